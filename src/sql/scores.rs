//! The script's R, F and M scores (`docs/scores.md`, `docs/sql.md#cut-points`) in the analysis'
//! scoring mode, each dimension's cut points either fitted in SQL (type-7 quantiles exactly, as
//! integers times k; R's `rfm` breaks in doubles; ranks) or written into the script as the core
//! fitted them. Adds `tw_scores`: one row per customer with `r_score`, `f_score`, `m_score`.

use super::{double, int, CutSource, Dialect, Script};
use crate::analytics::score::{sorted_copy, type7_cut, Values};
use crate::ingest::money::{from_f64, SCALE};
use crate::options::ScoreMode;
use crate::report::Analysis;

/// One scored dimension: its name, its value in `tw_facts` (an integer: days, units, millionths),
/// its integer scale (1, or 10⁶ for money), whether higher values score lower (recency), and the
/// core's values for fitted cut points.
struct Dim<'a> {
    key: &'static str,
    column: &'static str,
    scale: i128,
    reverse: bool,
    values: &'a [i128],
    thresholds: &'a [f64],
    fitted_breaks: Option<&'a [f64]>,
}

/// `1, 2, …, n` as rows of `i`.
fn seq(n: u8) -> String {
    (1..=n)
        .map(|i| format!("SELECT {i} AS i"))
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}

/// Adds the score CTEs and `tw_scores`.
pub(crate) fn scores(s: &mut Script, a: &Analysis, cuts: CutSource) {
    let o = &a.options;
    let values = Values::of(&a.rows);
    let t = &o.rfm.thresholds;
    let cp = &a.summary.cut_points;
    let mut dims = vec![
        Dim {
            key: "r",
            column: "recency",
            scale: 1,
            reverse: true,
            values: &values.recency,
            thresholds: &t.r,
            fitted_breaks: Some(&cp.r.cuts),
        },
        Dim {
            key: "f",
            column: "frequency",
            scale: 1,
            reverse: false,
            values: &values.frequency,
            thresholds: &t.f,
            fitted_breaks: Some(&cp.f.cuts),
        },
    ];
    if a.has_amount {
        dims.push(Dim {
            key: "m",
            column: "monetary",
            scale: SCALE,
            reverse: false,
            values: &values.monetary,
            thresholds: &t.m,
            fitted_breaks: cp.m.as_ref().map(|c| c.cuts.as_slice()),
        });
    }
    let mut selects = Vec::new();
    let mut joins = Vec::new();
    for dim in &dims {
        let score = match o.rfm.mode {
            ScoreMode::Quantile => quantile(s, dim, o.rfm.bins, cuts),
            ScoreMode::Rank => rank(s, dim, o.rfm.bins),
            ScoreMode::Thresholds => thresholds(s.d, dim),
            ScoreMode::RfmR => rfm_r(s, dim, o.rfm.bins, cuts),
        };
        selects.push(format!("{} AS {}_score", score.expr, dim.key));
        joins.extend(score.join);
    }
    if !a.has_amount {
        selects.push(format!("{} AS m_score", s.d.cast("NULL", s.d.int64())));
    }
    s.cte(
        "tw_scores",
        format!(
            "SELECT\n  f.*,\n  {}\nFROM tw_facts f{}",
            selects.join(",\n  "),
            joins.concat()
        ),
    );
}

/// A dimension's score: its expression over `f` (`tw_facts`) and the joins it needs.
struct Score {
    expr: String,
    join: Option<String>,
}

/// Counts the cut points `c1 … c(k−1)` (columns of `cut`) strictly below `k·v`, as the core's
/// "1 + #{c < value}" (or k − # for recency).
fn count_below(dim: &Dim, cut: &str, n: usize, times: &str) -> String {
    let v = format!("{times} * f.{}", dim.column);
    (1..=n)
        .map(|i| format!("CASE WHEN {cut}.c{i} < {v} THEN 1 ELSE 0 END"))
        .collect::<Vec<_>>()
        .join(" + ")
}

fn quantile(s: &mut Script, dim: &Dim, k: u8, cuts: CutSource) -> Score {
    let d = s.d;
    let name = format!("tw_cut_{}", dim.key);
    let n = usize::from(k) - 1;
    match cuts {
        CutSource::Fitted => {
            let sorted = sorted_copy(dim.values);
            let cols: Vec<String> = (1..k)
                .map(|i| {
                    let num = if sorted.is_empty() {
                        0
                    } else {
                        type7_cut(&sorted, u32::from(i), u32::from(k)).num
                    };
                    format!("{} AS c{i}", d.cast(&int(num), d.big_int()))
                })
                .collect();
            s.cte(&name, format!("SELECT {}", cols.join(", ")));
        }
        CutSource::Sql => {
            let sorted = format!("tw_sorted_{}", dim.key);
            s.cte(
                &sorted,
                format!(
                    "SELECT {} AS v, ROW_NUMBER() OVER (ORDER BY {}) - 1 AS pos FROM tw_facts",
                    dim.column, dim.column
                ),
            );
            let pivot: Vec<String> = (1..k)
                .map(|i| format!("MAX(CASE WHEN c.i = {i} THEN c.num END) AS c{i}"))
                .collect();
            s.cte(
                &name,
                format!(
                    "SELECT {}\nFROM (\n  SELECT c.i, s0.v * {k} + c.rem * (COALESCE(s1.v, s0.v) - s0.v) AS num\n  FROM (\n    SELECT i.i, {} AS lo, {} AS rem\n    FROM ({}) i CROSS JOIN (SELECT COUNT(*) AS n FROM tw_facts) n\n  ) c\n  JOIN {sorted} s0 ON s0.pos = c.lo\n  LEFT JOIN {sorted} s1 ON s1.pos = c.lo + 1\n) c",
                    pivot.join(", "),
                    d.idiv("(n.n - 1) * i.i", &k.to_string()),
                    d.imod("(n.n - 1) * i.i", &k.to_string()),
                    seq(k - 1),
                ),
            );
        }
    }
    let below = if n == 0 {
        "0".to_string()
    } else {
        count_below(dim, &name, n, &k.to_string())
    };
    let expr = if dim.reverse {
        format!("{k} - ({below})")
    } else {
        format!("1 + {below}")
    };
    Score {
        expr,
        join: Some(format!("\nCROSS JOIN {name}")),
    }
}

fn rank(s: &mut Script, dim: &Dim, k: u8) -> Score {
    let d = s.d;
    let name = format!("tw_rank_{}", dim.key);
    s.cte(
        &name,
        format!(
            "SELECT customer_id, ROW_NUMBER() OVER (ORDER BY {}, {}) AS r, COUNT(*) OVER () AS n FROM tw_facts",
            dim.column,
            d.byte_order("customer_id")
        ),
    );
    let j = format!(
        "CASE WHEN {name}.n = 1 THEN 1 ELSE GREATEST(1, LEAST({k}, {})) END",
        d.idiv(
            &format!("{k} * ({name}.r - 1) + {name}.n - 2"),
            &format!("NULLIF({name}.n - 1, 0)")
        )
    );
    let expr = if dim.reverse {
        format!("{} - ({j})", u16::from(k) + 1)
    } else {
        j
    };
    Score {
        expr,
        join: Some(format!(
            "\nJOIN {name} ON {name}.customer_id = f.customer_id"
        )),
    }
}

fn thresholds(d: Dialect, dim: &Dim) -> Score {
    let per_unit = SCALE / dim.scale.max(1);
    let v = format!("{per_unit} * f.{}", dim.column);
    let bins = dim.thresholds.len() + 1;
    let below: Vec<String> = dim
        .thresholds
        .iter()
        .map(|&c| {
            format!(
                "CASE WHEN {} < {v} THEN 1 ELSE 0 END",
                d.cast(&int(from_f64(c)), d.big_int())
            )
        })
        .collect();
    let below = if below.is_empty() {
        "0".to_string()
    } else {
        below.join(" + ")
    };
    let expr = if dim.reverse {
        format!("{bins} - ({below})")
    } else {
        format!("1 + {below}")
    };
    Score { expr, join: None }
}

/// The value as the `rfm-r` mode compares it: a double in the displayed unit.
fn as_double(d: Dialect, dim: &Dim, e: &str) -> String {
    let x = d.cast(e, d.double());
    if dim.scale == 1 {
        x
    } else {
        format!("({x} / {})", double(d, dim.scale as f64))
    }
}

fn rfm_r(s: &mut Script, dim: &Dim, k: u8, cuts: CutSource) -> Score {
    let d = s.d;
    let name = format!("tw_breaks_{}", dim.key);
    let inner = usize::from(k) - 1;
    match cuts {
        CutSource::Fitted => {
            let as_f = |v: i128| v as f64 / dim.scale as f64;
            let min = dim.values.iter().copied().min().map_or(0.0, as_f);
            let max = dim.values.iter().copied().max().map_or(0.0, as_f);
            let mut cols = vec![
                format!("{} AS lo", double(d, min)),
                format!("{} AS hi", double(d, max + 1.0)),
            ];
            for (i, b) in dim.fitted_breaks.unwrap_or(&[]).iter().enumerate() {
                cols.push(format!("{} AS b{}", double(d, *b), i + 1));
            }
            s.cte(&name, format!("SELECT {}", cols.join(", ")));
        }
        CutSource::Sql => {
            let sorted = format!("tw_sorted_{}", dim.key);
            s.cte(
                &sorted,
                format!(
                    "SELECT v, ROW_NUMBER() OVER (ORDER BY v) AS pos, COUNT(*) OVER () AS n FROM (SELECT {} AS v FROM tw_facts) x",
                    as_double(d, dim, dim.column)
                ),
            );
            // R: p = j · (1/k); index = 1 + (n − 1)·p; q = x[lo], or (1 − h)·x[lo] + h·x[hi]
            let by = 1.0 / f64::from(k);
            let probs: Vec<String> = (1..k)
                .map(|j| format!("SELECT {j} AS j, {} AS p", double(d, f64::from(j) * by)))
                .collect();
            let pivot: Vec<String> = (1..k)
                .map(|j| format!("MAX(CASE WHEN q.j = {j} THEN q.b END) AS b{j}"))
                .collect();
            s.cte(
                &name,
                format!(
                    "SELECT\n  (SELECT MIN(v) FROM {sorted}) AS lo,\n  (SELECT MAX(v) FROM {sorted}) + {one} AS hi{comma}\n  {}\nFROM (\n  SELECT c.j, CASE WHEN c.idx > c.lo AND s1.v <> s0.v THEN ({one} - (c.idx - c.lo)) * s0.v + (c.idx - c.lo) * s1.v ELSE s0.v END + {one} AS b\n  FROM (\n    SELECT i.j, i.idx, FLOOR(i.idx) AS lo, CEIL(i.idx) AS hi\n    FROM (\n      SELECT p.j, {one} + {} * p.p AS idx\n      FROM ({}) p\n      CROSS JOIN (SELECT COUNT(*) AS n FROM tw_facts) n\n    ) i\n  ) c\n  JOIN {sorted} s0 ON s0.pos = c.lo\n  JOIN {sorted} s1 ON s1.pos = c.hi\n) q",
                    pivot.join(", "),
                    d.cast("n.n - 1", d.double()),
                    probs.join(" UNION ALL "),
                    one = double(d, 1.0),
                    comma = if inner > 0 { "," } else { "" },
                ),
            );
        }
    }
    // bins [lower_i, upper_i): lower = (lo, b1 … b(k−1)), upper = (b1 … b(k−1), hi); the last that
    // holds the value wins. The outer ends are left open: on the fitted data every value lies in
    // [lo, hi) anyway, and with the sample's breaks (`--cuts fitted`) a warehouse value below the
    // sample's minimum or past its maximum goes to the first or the last bin rather than none
    let v = as_double(d, dim, &format!("f.{}", dim.column));
    let lower = |i: usize| {
        if i == 1 {
            format!("{name}.lo")
        } else {
            format!("{name}.b{}", i - 1)
        }
    };
    let upper = |i: usize| {
        if i == usize::from(k) {
            format!("{name}.hi")
        } else {
            format!("{name}.b{i}")
        }
    };
    let arms: Vec<String> = (1..=usize::from(k))
        .rev()
        .map(|i| {
            let score = if dim.reverse {
                usize::from(k) + 1 - i
            } else {
                i
            };
            let mut cond = Vec::new();
            if i > 1 {
                cond.push(format!("{v} >= {}", lower(i)));
            }
            if i < usize::from(k) {
                cond.push(format!("{v} < {}", upper(i)));
            }
            if cond.is_empty() {
                cond.push("TRUE".to_string());
            }
            format!("WHEN {} THEN {score}", cond.join(" AND "))
        })
        .collect();
    Score {
        expr: format!("CASE {} ELSE NULL END", arms.join(" ")),
        join: Some(format!("\nCROSS JOIN {name}")),
    }
}
