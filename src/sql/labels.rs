//! The script's labels (`docs/sql.md#how-the-rules-are-written`): `cn8`, `rfm11` and custom segments, ABC, ladder and
//! absolute grades, the activity class, the churn flags and the rule risk band (`docs/churn.md`),
//! the lifecycle stage and the recommended action, then the final `SELECT` with the columns of
//! `customers.csv` in the analysis' label language. Label texts and action texts come from the same
//! tables the core writes its CSV from ([`crate::labels`], [`crate::analytics::actions`]).

use super::input::div_half_even;
use super::{double, int, CutSource, Dialect, Script};
use crate::analytics::actions::action_text;
use crate::analytics::score::Values;
use crate::analytics::segment::Split;
use crate::ingest::money::from_f64;
use crate::labels::{ladder_name_zh, Activity, Cn8, Flag, Rfm11, Stage, OTHERS};
use crate::options::{Cn8Split, Labels, Preset};
use crate::report::{Analysis, Column};

/// The `rfm11` grid, rows R = 5 … 1, columns FM = 5 … 1 (the core's `segment::rfm11`).
fn rfm11_case(d: Dialect) -> String {
    let mut arms = Vec::new();
    for r in 1..=5u8 {
        for fm in 1..=5u8 {
            if let Some(seg) = crate::analytics::segment::rfm11(r, fm) {
                arms.push(format!(
                    "WHEN r_score = {r} AND fm = {fm} THEN {}",
                    d.text(seg.code())
                ));
            }
        }
    }
    format!("CASE {} ELSE NULL END", arms.join(" "))
}

/// A `CASE` over `expr` mapping each code to its text.
fn map_codes(d: Dialect, expr: &str, pairs: &[(String, String)]) -> String {
    let arms: Vec<String> = pairs
        .iter()
        .map(|(code, text)| format!("WHEN {} THEN {}", d.text(code), d.text(text)))
        .collect();
    format!("CASE {expr} {} ELSE NULL END", arms.join(" "))
}

/// Adds the label CTEs and returns the final `SELECT`.
pub(crate) fn labels_and_select(s: &mut Script, a: &Analysis, cuts: CutSource) -> String {
    let d = s.d;
    let o = &a.options;
    let zh = o.labels == Labels::Zh;
    let amount = a.has_amount;
    let dbl = |e: &str| d.cast(e, d.double());
    // ---- cn8 splits
    let cn8_on = amount && o.segments.presets.contains(&Preset::Cn8);
    let how = o.segments.cn8_split;
    if cn8_on {
        let body = match cuts {
            CutSource::Fitted => {
                let v = Values::of(&a.rows);
                let parts: Vec<String> = [
                    ("r", &v.recency),
                    ("f", &v.frequency),
                    ("m", &v.monetary),
                ]
                .iter()
                .flat_map(|(k, vals)| match Split::of(vals, how) {
                    Split::Mean { sum, n } => vec![
                        format!("{} AS sum_{k}", d.cast(&int(sum), d.big_int())),
                        format!("{} AS n_{k}", d.cast(&int(n), d.big_int())),
                    ],
                    Split::Median2(m2) => {
                        vec![format!("{} AS med2_{k}", d.cast(&int(m2), d.big_int()))]
                    }
                })
                .collect();
                format!("SELECT {}", parts.join(", "))
            }
            CutSource::Sql => match how {
                Cn8Split::Mean => "SELECT SUM(recency) AS sum_r, COUNT(*) AS n_r, SUM(frequency) AS sum_f, COUNT(*) AS n_f, SUM(monetary) AS sum_m, COUNT(*) AS n_m FROM tw_facts".to_string(),
                Cn8Split::Median => {
                    for (k, col) in [("r", "recency"), ("f", "frequency"), ("m", "monetary")] {
                        s.cte(
                            &format!("tw_med_{k}"),
                            format!(
                                "SELECT {col} AS v, ROW_NUMBER() OVER (ORDER BY {col}) AS k, COUNT(*) OVER () AS n FROM tw_facts"
                            ),
                        );
                    }
                    let med = |k: &str| {
                        format!(
                            "(SELECT SUM(CASE WHEN {odd} AND k = {mid_odd} THEN 2 * v WHEN NOT {odd} AND (k = {mid} OR k = {mid} + 1) THEN v ELSE 0 END) FROM tw_med_{k}) AS med2_{k}",
                            odd = format!("{} = 1", d.imod("n", "2")),
                            mid_odd = d.idiv("n + 1", "2"),
                            mid = d.idiv("n", "2"),
                        )
                    };
                    format!("SELECT {}, {}, {}", med("r"), med("f"), med("m"))
                }
            },
        };
        s.cte("tw_split", body);
    }
    let high = |k: &str, col: &str, above: bool| {
        let op = if above { ">" } else { "<" };
        match how {
            Cn8Split::Mean => format!("f.{col} * p.n_{k} {op} p.sum_{k}"),
            Cn8Split::Median => format!("2 * f.{col} {op} p.med2_{k}"),
        }
    };
    let cn8 = if cn8_on {
        format!(
            "(CASE WHEN {} THEN 4 ELSE 0 END + CASE WHEN {} THEN 2 ELSE 0 END + CASE WHEN {} THEN 1 ELSE 0 END)",
            high("r", "recency", false),
            high("f", "frequency", true),
            high("m", "monetary", true)
        )
    } else {
        d.cast("NULL", d.int64())
    };
    // ---- rfm11: five scores per dimension
    let cp = &a.summary.cut_points;
    let five = [&cp.r, &cp.f]
        .into_iter()
        .chain(cp.m.as_ref())
        .all(|c| c.counts.len() == 5);
    let rfm11_on = o.segments.presets.contains(&Preset::Rfm11) && five;
    let fm = if amount {
        d.idiv("f.f_score + f.m_score + 1", "2")
    } else {
        "f.f_score".to_string()
    };
    // ---- grades
    let grades = if amount {
        let share = |x: f64| int(from_f64(x));
        let order = format!("monetary DESC, {}", d.byte_order("customer_id"));
        s.cte(
            "tw_rank",
            format!(
                "SELECT\n  customer_id,\n  ROW_NUMBER() OVER (ORDER BY {order}) AS pos,\n  COUNT(*) OVER () AS n,\n  SUM(CASE WHEN monetary > 0 THEN monetary ELSE 0 END) OVER () AS total,\n  COALESCE(SUM(CASE WHEN monetary > 0 THEN monetary ELSE 0 END) OVER (ORDER BY {order} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS above\nFROM tw_facts"
            ),
        );
        let ceil_micro = |x: f64| d.idiv(&format!("{} * g.total + 999999", share(x)), "1000000");
        let abc = format!(
            "CASE WHEN g.total <= 0 OR f.monetary <= 0 THEN 'C' WHEN g.above < {} THEN 'A' WHEN g.above < {} THEN 'B' ELSE 'C' END",
            ceil_micro(o.grades.abc[0]),
            ceil_micro(o.grades.abc[1])
        );
        let ladder_arms: Vec<String> = o
            .grades
            .ladder
            .iter()
            .enumerate()
            .map(|(i, (_, sh))| {
                format!(
                    "WHEN g.pos <= {} THEN {i}",
                    d.idiv(&format!("{} * g.n + 999999", share(*sh)), "1000000")
                )
            })
            .collect();
        let ladder = format!("CASE {} ELSE NULL END", ladder_arms.join(" "));
        let absolute = match &o.grades.absolute {
            Some(list) if !list.is_empty() => {
                let arms: Vec<String> = list
                    .iter()
                    .map(|(name, min)| {
                        format!(
                            "WHEN f.window_spend >= {} THEN {}",
                            d.cast(&int(from_f64(*min)), d.big_int()),
                            d.text(name)
                        )
                    })
                    .collect();
                format!("CASE {} ELSE NULL END", arms.join(" "))
            }
            _ => d.cast("NULL", d.text_type()),
        };
        Some((abc, ladder, absolute))
    } else {
        None
    };
    let (abc, ladder, absolute) = grades.clone().unwrap_or_else(|| {
        (
            d.cast("NULL", d.text_type()),
            d.cast("NULL", d.int64()),
            d.cast("NULL", d.text_type()),
        )
    });
    let mut joins = String::new();
    if cn8_on {
        joins.push_str("\nCROSS JOIN tw_split p");
    }
    if grades.is_some() {
        joins.push_str("\nJOIN tw_rank g ON g.customer_id = f.customer_id");
    }
    s.cte(
        "tw_graded",
        format!(
            "SELECT\n  f.*,\n  {cn8} AS cn8,\n  {fm} AS fm,\n  {abc} AS abc,\n  {ladder} AS ladder,\n  {absolute} AS absolute_grade\nFROM tw_scores f{joins}"
        ),
    );
    // ---- flags, risk, activity, stage
    let c = &o.churn;
    let top = "(abc = 'A' OR ladder IN (0, 1))";
    let flag = |f: Flag| -> String {
        match f {
            Flag::Inactive => format!("recency >= {}", c.inactive_days),
            Flag::Overdue => format!(
                "purchase_days >= 3 AND median_gap2 IS NOT NULL AND {} > {} * ({} / {})",
                dbl("recency"),
                double(d, c.overdue_factor),
                dbl("median_gap2"),
                double(d, 2.0)
            ),
            Flag::HighValueLapsed => format!(
                "COALESCE({top}, FALSE) AND recency >= {}",
                c.high_value_lapsed_days
            ),
            Flag::Declining => "(declining_orders = 1 OR declining_spend = 1)".to_string(),
            Flag::Signal => "signal = 1".to_string(),
        }
    };
    let flag_cols: Vec<String> = Flag::ALL
        .iter()
        .map(|&f| {
            format!(
                "CASE WHEN {} THEN 1 ELSE 0 END AS flag_{}",
                flag(f),
                f.code()
            )
        })
        .collect();
    let act = &o.activity;
    let days = f64::from(act.window_days);
    let activity = format!(
        "CASE WHEN {e} >= {} THEN 'high' WHEN {e} >= {} THEN 'low' ELSE 'idle' END",
        double(d, act.high * days),
        double(d, act.low * days),
        e = dbl("7 * activity_events"),
    );
    s.cte(
        "tw_flagged",
        format!(
            "SELECT\n  g.*,\n  {},\n  {activity} AS activity\nFROM tw_graded g",
            flag_cols.join(",\n  ")
        ),
    );
    let flag_count = Flag::ALL
        .iter()
        .map(|f| format!("flag_{}", f.code()))
        .collect::<Vec<_>>()
        .join(" + ");
    let l = &o.lifecycle;
    let stage = format!(
        "CASE WHEN tenure < {} THEN 'new' WHEN purchase_days = 1 THEN 'one_time' WHEN recency >= {} THEN 'lapsed' WHEN recency < {} AND gap_before_last IS NOT NULL AND gap_before_last > {} THEN 'reactivated' WHEN ({flag_count}) > 0 THEN 'at_risk' WHEN tenure >= {} THEN 'mature' ELSE 'active' END",
        l.new_days, l.lapsed_days, c.window_days, l.lapsed_days, l.mature_days
    );
    let rfm11 = if rfm11_on {
        rfm11_case(d)
    } else {
        d.cast("NULL", d.text_type())
    };
    s.cte(
        "tw_staged",
        format!(
            "SELECT\n  f.*,\n  {stage} AS stage,\n  CASE WHEN flag_high_value_lapsed = 1 OR ({flag_count}) >= 2 THEN 'high' WHEN ({flag_count}) = 1 THEN 'medium' ELSE 'low' END AS risk,\n  {rfm11} AS rfm11\nFROM tw_flagged f"
        ),
    );
    // dimension values: the value on most order rows (returns never count), then the latest, then
    // the first in byte order (`facts::dims`); empty values do not count
    let m = super::input::Mapping::of(a);
    let mut joins = String::new();
    let mut cols = String::new();
    for k in 0..m.dimensions.len() {
        s.cte(
            &format!("tw_dim_{k}"),
            format!(
                "SELECT customer_id, v FROM (\n  SELECT customer_id, v, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY n DESC, latest DESC, {}) AS k\n  FROM (\n    SELECT customer_id, dim_{k} AS v, COUNT(*) AS n, MAX(day) AS latest\n    FROM tw_rows\n    WHERE NOT is_return AND dim_{k} IS NOT NULL AND dim_{k} <> ''\n    GROUP BY customer_id, dim_{k}\n  ) c\n) x\nWHERE k = 1",
                d.byte_order("v")
            ),
        );
        joins.push_str(&format!(
            "\nLEFT JOIN tw_dim_{k} d{k} ON d{k}.customer_id = s.customer_id"
        ));
        cols.push_str(&format!(",\n  d{k}.v AS dim_{k}"));
    }
    s.cte(
        "tw_out",
        format!("SELECT\n  s.*{cols}\nFROM tw_staged s{joins}"),
    );
    final_select(d, a, zh, &a.dimension_keys())
}

/// The final `SELECT`: the columns of customers.csv, then the `dim:` columns (`dimension_keys`).
fn final_select(d: Dialect, a: &Analysis, zh: bool, dimensions: &[String]) -> String {
    let o = &a.options;
    let labels = o.labels;
    let pick = |en: &str, z: &str| if zh { z.to_string() } else { en.to_string() };
    let amount = a.has_amount;
    let money = |e: &str| {
        let m = d.money_type();
        match d {
            Dialect::DuckDb => d.cast(
                &format!("{} * {}", d.cast(e, m), d.cast(&d.text("0.000001"), m)),
                m,
            ),
            _ => d.cast(&format!("{} / 1000000", d.cast(e, m)), m),
        }
    };
    let null_text = d.cast("NULL", d.text_type());
    let (monetary, aov) = if amount {
        (
            money("monetary"),
            money(&div_half_even(d, "monetary", "GREATEST(frequency, 1)")),
        )
    } else {
        (
            d.cast("NULL", d.money_type()),
            d.cast("NULL", d.money_type()),
        )
    };
    let cn8_pairs: Vec<(String, String)> = Cn8::ALL
        .iter()
        .map(|c| (c.index().to_string(), c.name(zh).to_string()))
        .collect();
    let cn8 = {
        let arms: Vec<String> = cn8_pairs
            .iter()
            .map(|(i, t)| format!("WHEN {i} THEN {}", d.text(t)))
            .collect();
        format!("CASE cn8 {} ELSE NULL END", arms.join(" "))
    };
    let rfm11 = map_codes(
        d,
        "rfm11",
        &Rfm11::ALL
            .iter()
            .map(|s| (s.code().to_string(), s.name(zh).to_string()))
            .collect::<Vec<_>>(),
    );
    let rules = &o.segments.rules;
    let custom = if rules.is_empty() {
        null_text.clone()
    } else {
        let within = |range: Option<[u8; 2]>, col: &str| match range {
            Some([lo, hi]) => format!("COALESCE({col}, 0) BETWEEN {lo} AND {hi}"),
            None => "TRUE".to_string(),
        };
        let arms: Vec<String> = rules
            .iter()
            .map(|r| {
                let mut conds = vec![within(r.r, "r_score"), within(r.f, "f_score")];
                if amount {
                    conds.push(within(r.m, "m_score"));
                }
                format!("WHEN {} THEN {}", conds.join(" AND "), d.text(&r.name))
            })
            .collect();
        format!(
            "CASE {} ELSE {} END",
            arms.join(" "),
            d.text(&pick(OTHERS.0, OTHERS.1))
        )
    };
    let ladder = {
        let arms: Vec<String> = o
            .grades
            .ladder
            .iter()
            .enumerate()
            .map(|(i, (name, _))| {
                let t = if zh {
                    ladder_name_zh(name).to_string()
                } else {
                    name.clone()
                };
                format!("WHEN {i} THEN {}", d.text(&t))
            })
            .collect();
        format!("CASE ladder {} ELSE NULL END", arms.join(" "))
    };
    let code_or_zh = |pairs: Vec<(&'static str, &'static str)>, e: &str| {
        map_codes(
            d,
            e,
            &pairs
                .iter()
                .map(|(c, z)| (c.to_string(), pick(c, z)))
                .collect::<Vec<_>>(),
        )
    };
    let activity = code_or_zh(
        Activity::ALL.iter().map(|a| (a.code(), a.zh())).collect(),
        "activity",
    );
    let stage = code_or_zh(
        Stage::ALL.iter().map(|s| (s.code(), s.zh())).collect(),
        "stage",
    );
    let flags: Vec<String> = Flag::ALL
        .iter()
        .map(|f| {
            format!(
                "CASE WHEN flag_{} = 1 THEN {} END",
                f.code(),
                d.text(f.code())
            )
        })
        .collect();
    // the action: a lapsed high-value customer, then a new one, then the rfm11 segment, the cn8
    // class, or the stage (`analytics::actions::choose`)
    let text = |key: &str| d.text(action_text(key, labels, o));
    let mut action = vec![
        format!(
            "WHEN flag_high_value_lapsed = 1 THEN {}",
            text(Flag::HighValueLapsed.code())
        ),
        format!("WHEN stage = 'new' THEN {}", text(Stage::New.code())),
    ];
    for s in Rfm11::ALL {
        action.push(format!(
            "WHEN rfm11 = {} THEN {}",
            d.text(s.code()),
            text(s.en())
        ));
    }
    for c in Cn8::ALL {
        action.push(format!("WHEN cn8 = {} THEN {}", c.index(), text(c.en())));
    }
    for st in Stage::ALL {
        action.push(format!(
            "WHEN stage = {} THEN {}",
            d.text(st.code()),
            text(st.code())
        ));
    }
    let score_text = |c: &str| d.cast(c, d.text_type());
    let columns: Vec<(Column, String)> = vec![
        (Column::CustomerId, "customer_id".to_string()),
        (Column::FirstDate, d.date_text("first_day")),
        (Column::LastDate, d.date_text("last_day")),
        (Column::RecencyDays, "recency".to_string()),
        (Column::Frequency, "frequency".to_string()),
        (Column::Monetary, monetary),
        (Column::Aov, aov),
        (Column::RScore, "r_score".to_string()),
        (Column::FScore, "f_score".to_string()),
        (Column::MScore, "m_score".to_string()),
        (
            Column::RfmCode,
            d.join_present(
                "",
                &[
                    score_text("r_score"),
                    score_text("f_score"),
                    score_text("m_score"),
                ],
            ),
        ),
        (Column::SegmentCn8, cn8),
        (Column::SegmentRfm11, rfm11),
        (Column::SegmentCustom, custom),
        (Column::GradeAbc, "abc".to_string()),
        (Column::GradeLadder, ladder),
        (Column::GradeAbsolute, "absolute_grade".to_string()),
        (Column::Activity, activity),
        (Column::Lifecycle, stage),
        (Column::ChurnFlags, d.join_present("|", &flags)),
        (Column::Risk, "risk".to_string()),
        (Column::PAlive, d.cast("NULL", d.double())),
        (Column::ExpectedPurchases, d.cast("NULL", d.double())),
        (Column::PredictedClv, d.cast("NULL", d.double())),
        (
            Column::Action,
            format!("CASE {} ELSE NULL END", action.join(" ")),
        ),
    ];
    let mut list: Vec<String> = columns
        .iter()
        .map(|(c, e)| format!("  {e} AS {}", d.ident(c.csv())))
        .collect();
    for (k, name) in dimensions.iter().enumerate() {
        list.push(format!("  dim_{k} AS {}", d.ident(name)));
    }
    format!(
        "SELECT\n{}\nFROM tw_out\nORDER BY {}",
        list.join(",\n"),
        d.byte_order("customer_id")
    )
}
