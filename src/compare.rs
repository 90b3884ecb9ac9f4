//! Grade and segment movement between two analysis dates (`docs/churn.md`, "the quarterly review"):
//! transition matrices, who moved up or down, and downgrade warnings, from two finished analyses of
//! the same data (usually the same file with two `analysisDate`s).
//!
//! Upgrade candidates are the customers whose net spend grew by at least 20 % in each of the last
//! two quarters over the quarter before (quarters of three calendar months ending on the later date),
//! or who bought a new category in the last quarter. A quarter's spend is the difference of
//! cumulative net spend between two analyses, so the caller analyses the data as of the later date
//! and one, two and three quarters earlier ([`quarter_dates`]). A new category is one the customer
//! first bought (an order row, not a return) in the last quarter, by a customer whose first order is
//! before that quarter (for a new customer every category is new: that is the `new` lifecycle stage,
//! not an upgrade); it needs the later analysis started with
//! [`crate::Analyzer::track_categories`] and a category column.

use crate::facts::NONE;
use crate::labels::{Abc, Cn8, Flag, Rfm11};
use crate::report::Analysis;
use serde::Serialize;

/// Label of "no grade / not a customer on that date" in the matrices.
pub const ABSENT: &str = "—";

/// Counts of customers by label on the earlier date (rows) × label on the later date (columns). The
/// last label of both axes is [`ABSENT`]: not analysed on that date (no order yet, or no grade).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transitions {
    /// Axis labels, best first, then [`ABSENT`].
    pub labels: Vec<String>,
    /// `counts[from][to]`.
    pub counts: Vec<Vec<u64>>,
}

/// One customer whose grade changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Move {
    /// Customer id.
    pub customer_id: String,
    /// Grade on the earlier date.
    pub from: String,
    /// Grade on the later date.
    pub to: String,
}

/// The comparison of two analyses.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    /// Earlier analysis date.
    pub from: String,
    /// Later analysis date.
    pub to: String,
    /// ABC grade transitions (`None` without an amount column).
    pub abc: Option<Transitions>,
    /// Ladder grade transitions (`None` without an amount column).
    pub ladder: Option<Transitions>,
    /// rfm11 segment transitions (`None` when not computed on either date).
    pub rfm11: Option<Transitions>,
    /// cn8 class transitions (`None` when not computed on either date).
    pub cn8: Option<Transitions>,
    /// Customers whose ladder grade (else ABC grade) improved, by customer id.
    pub moved_up: Vec<Move>,
    /// Customers whose ladder grade (else ABC grade) worsened, by customer id.
    pub moved_down: Vec<Move>,
    /// Downgrade warnings: customers flagged `high_value_lapsed` on the later date.
    pub downgrade_warnings: Vec<String>,
    /// Upgrade candidates by customer id ([`upgrade_candidates`]; empty until the caller fills it).
    pub upgrade_candidates: Vec<Candidate>,
}

/// An upgrade candidate: net spend grew ≥ 20 % in each of the last two quarters, or a category
/// bought for the first time in the last quarter (either or both).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    /// Customer id.
    pub customer_id: String,
    /// Net spend in the three quarters ending on the later date, oldest first (`None` without an
    /// amount column).
    pub quarters: Option<[f64; 3]>,
    /// The spend trigger fired: Q3 > 0, Q2 ≥ 1.2 · Q3 and Q1 ≥ 1.2 · Q2 (Q1 = the last quarter).
    pub spend_growth: bool,
    /// Categories first bought in the last quarter, by name (empty when that trigger did not fire
    /// or no category column is mapped).
    pub new_categories: Vec<String>,
}

/// The dates one, two and three quarters (3, 6, 9 calendar months; the last day of a month when the
/// day does not exist) before `date` (`YYYY-MM-DD`); `None` for an invalid date.
pub fn quarter_dates(date: &str) -> Option<[String; 3]> {
    // (day numbers and hand formatting: chrono's format strings would add ~50 KB to the wasm module)
    let d = chrono::NaiveDate::from_num_days_from_ce_opt(crate::calendar::parse_iso_day(date)?)?;
    let back = |m: u32| {
        d.checked_sub_months(chrono::Months::new(m))
            .map(|x| crate::calendar::format_day(chrono::Datelike::num_days_from_ce(&x)))
    };
    Some([back(3)?, back(6)?, back(9)?])
}

/// Net spend per customer id of an analysis (customers absent from it spent nothing up to its date).
fn spend_by_id(x: Option<&Analysis>) -> std::collections::HashMap<Vec<u8>, i128> {
    x.map(|x| {
        x.rows
            .iter()
            .map(|r| (x.ids.bytes(r.id).to_vec(), r.monetary))
            .collect()
    })
    .unwrap_or_default()
}

/// Upgrade candidates of `later` given the analyses one, two and three quarters earlier (`None` when
/// nobody had bought by that date): quarter spends Q3 (oldest), Q2, Q1 as differences of
/// cumulative net spend, and Q3 > 0, Q2 ≥ 1.2 · Q3, Q1 ≥ 1.2 · Q2, compared exactly; or, when
/// `later` tracked categories, a category first bought in the last quarter (after the date one
/// quarter back, up to the analysis date) by a customer whose first order is on or before that date.
/// Sorted by customer id.
pub fn upgrade_candidates(later: &Analysis, earlier: [Option<&Analysis>; 3]) -> Vec<Candidate> {
    let quarter_start = quarter_dates(&later.summary.analysis_date)
        .and_then(|d| crate::calendar::parse_iso_day(&d[0]));
    let [m1, m2, m3] = earlier.map(spend_by_id);
    later
        .rows
        .iter()
        .filter_map(|r| {
            let id = later.ids.bytes(r.id);
            let quarters = later.has_amount.then(|| {
                let at =
                    |m: &std::collections::HashMap<Vec<u8>, i128>| m.get(id).copied().unwrap_or(0);
                let (c0, c1, c2, c3) = (r.monetary, at(&m1), at(&m2), at(&m3));
                (c0 - c1, c1 - c2, c2 - c3)
            });
            let spend_growth = quarters
                .is_some_and(|(q1, q2, q3)| q3 > 0 && 10 * q2 >= 12 * q3 && 10 * q1 >= 12 * q2);
            let new_categories = match (quarter_start, &later.categories) {
                (Some(q0), Some(c)) if r.first_day <= q0 => new_categories(c, r.id, q0, later),
                _ => Vec::new(),
            };
            (spend_growth || !new_categories.is_empty()).then(|| Candidate {
                customer_id: later.ids.text(r.id).into_owned(),
                quarters: quarters
                    .map(|(q1, q2, q3)| [q3, q2, q1].map(crate::ingest::money::to_f64)),
                spend_growth,
                new_categories,
            })
        })
        .collect()
}

/// The categories customer `id` first bought after day `since`, up to the analysis date, by name.
fn new_categories(
    c: &crate::ingest::rows::CategoryFirsts,
    id: u32,
    since: i32,
    later: &Analysis,
) -> Vec<String> {
    let lo = c.entries.partition_point(|e| e.0 < id);
    let hi = c.entries.partition_point(|e| e.0 <= id);
    let mut names: Vec<String> = c.entries[lo..hi]
        .iter()
        .filter(|e| e.2 > since && e.2 <= later.analysis_day)
        .map(|e| c.names.text(e.1).into_owned())
        .collect();
    names.sort_unstable();
    names
}

/// Pairs the customers of two analyses by id: `(index in a, index in b)`, either side `None` when
/// the customer is absent on that date. Both row lists are sorted by id bytes.
fn pair(a: &Analysis, b: &Analysis) -> Vec<(Option<usize>, Option<usize>)> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(a.rows.len().max(b.rows.len()));
    while i < a.rows.len() || j < b.rows.len() {
        let ord = match (a.rows.get(i), b.rows.get(j)) {
            (Some(x), Some(y)) => a.ids.bytes(x.id).cmp(b.ids.bytes(y.id)),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        match ord {
            std::cmp::Ordering::Less => {
                out.push((Some(i), None));
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push((None, Some(j)));
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push((Some(i), Some(j)));
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// A transition matrix over `labels` (plus [`ABSENT`]) of the label index `of(analysis, row)`.
fn transitions(
    pairs: &[(Option<usize>, Option<usize>)],
    a: &Analysis,
    b: &Analysis,
    labels: Vec<String>,
    of: &dyn Fn(&Analysis, usize) -> Option<usize>,
) -> Transitions {
    let absent = labels.len();
    let index = |x: &Analysis, row: Option<usize>| {
        row.and_then(|r| of(x, r))
            .filter(|&g| g < absent)
            .unwrap_or(absent)
    };
    let mut counts = vec![vec![0u64; absent + 1]; absent + 1];
    for &(i, j) in pairs {
        counts[index(a, i)][index(b, j)] += 1;
    }
    let mut labels = labels;
    labels.push(ABSENT.into());
    Transitions { labels, counts }
}

/// Compares an analysis as of an earlier date (`a`) with one as of a later date (`b`).
pub fn compare(a: &Analysis, b: &Analysis) -> Comparison {
    let pairs = pair(a, b);
    let zh = b.options.labels == crate::options::Labels::Zh;
    let pick = |en: &str, zh_name: &str| if zh { zh_name } else { en }.to_string();
    let amounts = a.has_amount && b.has_amount;
    let ladder_names: Vec<String> = b
        .options
        .grades
        .ladder
        .iter()
        .map(|(n, _)| pick(n, crate::labels::ladder_name_zh(n)))
        .collect();
    let abc_names: Vec<String> = Abc::ALL.iter().map(|g| g.code().to_string()).collect();
    let rfm11_on = |x: &Analysis| x.rows.iter().any(|r| r.rfm11.is_some());
    let cn8_on = |x: &Analysis| x.rows.iter().any(|r| r.cn8.is_some());
    let ladder_of = |x: &Analysis, r: usize| {
        let g = x.rows[r].ladder;
        (g != NONE).then_some(g as usize)
    };
    let abc_of = |x: &Analysis, r: usize| x.rows[r].abc.map(Abc::index);
    // movers by ladder grade (index 0 = best); ABC when the ladder is empty
    let use_ladder = !ladder_names.is_empty();
    let grade_of = |x: &Analysis, r: usize| {
        if use_ladder {
            ladder_of(x, r)
        } else {
            abc_of(x, r)
        }
    };
    let names = if use_ladder {
        &ladder_names
    } else {
        &abc_names
    };
    let (mut moved_up, mut moved_down) = (Vec::new(), Vec::new());
    if amounts {
        for &(i, j) in &pairs {
            let (Some(i), Some(j)) = (i, j) else { continue };
            let (g0, g1) = (grade_of(a, i), grade_of(b, j));
            let (Some(g0), Some(g1)) = (g0, g1) else {
                continue;
            };
            if g0 == g1 {
                continue;
            }
            let label = |g: usize| names.get(g).cloned().unwrap_or_default();
            let m = Move {
                customer_id: b.ids.text(b.rows[j].id).into_owned(),
                from: label(g0),
                to: label(g1),
            };
            if g1 < g0 {
                moved_up.push(m);
            } else {
                moved_down.push(m);
            }
        }
    }
    let downgrade_warnings = b
        .rows
        .iter()
        .filter(|r| r.flags.contains(Flag::HighValueLapsed))
        .map(|r| b.ids.text(r.id).into_owned())
        .collect();
    Comparison {
        from: a.summary.analysis_date.clone(),
        to: b.summary.analysis_date.clone(),
        abc: amounts.then(|| transitions(&pairs, a, b, abc_names.clone(), &abc_of)),
        ladder: amounts.then(|| transitions(&pairs, a, b, ladder_names.clone(), &ladder_of)),
        rfm11: (rfm11_on(a) || rfm11_on(b)).then(|| {
            let labels = Rfm11::ALL.iter().map(|s| s.name(zh).to_string()).collect();
            transitions(&pairs, a, b, labels, &|x, r| {
                x.rows[r].rfm11.map(Rfm11::index)
            })
        }),
        cn8: (cn8_on(a) || cn8_on(b)).then(|| {
            let labels = Cn8::ALL.iter().map(|s| s.name(zh).to_string()).collect();
            transitions(&pairs, a, b, labels, &|x, r| x.rows[r].cn8.map(Cn8::index))
        }),
        moved_up,
        moved_down,
        downgrade_warnings,
        upgrade_candidates: Vec::new(),
    }
}

/// [`crate::analyze`] with [`crate::Analyzer::track_categories`].
pub fn analyze_tracking_categories(bytes: &[u8], opts: &crate::Options) -> crate::Result<Analysis> {
    crate::in_two_passes(opts, crate::Analyzer::track_categories, |mut a| {
        a.push(bytes).map(|_| a)
    })
}

/// Refuses a comparison whose earlier analysis date is after the later one.
pub fn check_order(earlier: &crate::Options, later: &crate::Options) -> crate::Result<()> {
    if let (Some(a), Some(b)) = (earlier.analysis_day()?, later.analysis_day()?) {
        if a > b {
            return Err(crate::TierwiseError::Options {
                key: "analysisDate".into(),
                problem: crate::messages::Message::CompareOrder {
                    from: crate::calendar::format_day(a),
                    to: crate::calendar::format_day(b),
                },
            });
        }
    }
    Ok(())
}

/// Analyses `bytes` twice, with `earlier` and `later` options (normally differing in
/// `analysisDate`), and compares the two.
pub fn compare_bytes(
    bytes: &[u8],
    earlier: &crate::Options,
    later: &crate::Options,
) -> crate::Result<Comparison> {
    check_order(earlier, later)?;
    let a = crate::analyze(bytes, earlier)?;
    let b = analyze_tracking_categories(bytes, later)?;
    let mut c = compare(&a, &b);
    let dates = quarter_dates(&b.summary.analysis_date).filter(|_| b.has_amount);
    c.upgrade_candidates = upgrade_candidates(&b, [None, None, None]);
    if let Some(dates) = dates {
        let quarters = dates.map(|d| {
            let mut o = later.clone();
            o.analysis_date = Some(d);
            // before the first purchase there is nothing to analyse: no spend yet
            crate::analyze(bytes, &o).ok()
        });
        let [q1, q2, q3] = &quarters;
        c.upgrade_candidates = upgrade_candidates(&b, [q1.as_ref(), q2.as_ref(), q3.as_ref()]);
    }
    Ok(c)
}
