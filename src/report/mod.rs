//! Report: assembles per-customer rows and the summary (SPEC §10–§11) and writes the CSV.

use crate::analytics::actions;
use crate::analytics::churn;
use crate::analytics::grade::{self, Pareto};
use crate::analytics::lifecycle::{self, ACTIVITY, STAGES};
use crate::analytics::score::{self, CutPoints};
use crate::analytics::segment::{self, Split, CN8, CN8_ORDER, OTHERS, RFM11};
use crate::facts::{CustomerFacts, Facts, IdTable, NONE};
use crate::ingest::dates::format_day;
use crate::ingest::money::{format_money, round_half_even_div, to_f64, Money};
use crate::ingest::{Ingested, InputReport};
use crate::options::{Labels, Options, Preset, ScoreMode};
use serde::Serialize;
use std::collections::BTreeMap;

/// Per-customer output columns, in contract order (SPEC §11).
pub const COLUMNS: [&str; 25] = [
    "customer_id",
    "first_date",
    "last_date",
    "recency_days",
    "frequency",
    "monetary",
    "aov",
    "r_score",
    "f_score",
    "m_score",
    "rfm_code",
    "segment_cn8",
    "segment_rfm11",
    "segment_custom",
    "grade_abc",
    "grade_ladder",
    "grade_absolute",
    "activity",
    "lifecycle",
    "churn_flags",
    "risk",
    "p_alive",
    "expected_purchases",
    "predicted_clv",
    "action",
];

/// One customer's output row: the compact [`CustomerFacts`] record, whose label slots the report
/// step fills in; text is rendered only on output (see [`Analysis::write_field`]).
pub type CustomerRow = CustomerFacts;

/// A segment, grade or stage summary line.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupSummary {
    /// English name.
    pub name: String,
    /// Chinese name.
    pub name_zh: String,
    /// Customers in the group.
    pub customers: u64,
    /// Share of all customers.
    pub share: f64,
    /// Net revenue of the group.
    pub revenue: f64,
    /// Share of total net revenue (0 when the total is not positive).
    pub revenue_share: f64,
    /// Orders (frequency units).
    pub orders: u64,
    /// Mean recency in days.
    pub avg_recency: f64,
    /// Mean frequency.
    pub avg_frequency: f64,
    /// Mean monetary.
    pub avg_monetary: f64,
    /// Recommended action, English.
    pub action: String,
    /// Recommended action, Chinese.
    pub action_zh: String,
}

/// Cut points per dimension.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CutPointsSummary {
    /// Recency (days).
    pub r: CutPoints,
    /// Frequency.
    pub f: CutPoints,
    /// Monetary (absent without an amount).
    pub m: Option<CutPoints>,
}

/// Segment summaries per preset.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct SegmentsSummary {
    /// `cn8` classes in table order.
    pub cn8: Option<Vec<GroupSummary>>,
    /// `cn8` split values (recency, frequency, monetary).
    #[serde(rename = "cn8Split")]
    pub cn8_split: Option<BTreeMap<String, f64>>,
    /// `rfm11` segments in display order.
    pub rfm11: Option<Vec<GroupSummary>>,
    /// Custom segments in rule order, then `Others` (only with `segments.rules`).
    pub custom: Option<Vec<GroupSummary>>,
    /// What the linter found in `segments.rules` for this run's score ranges.
    #[serde(rename = "customLint")]
    pub custom_lint: Option<segment::RuleLint>,
}

/// Grade summaries.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct GradesSummary {
    /// A, B, C.
    pub abc: Option<Vec<GroupSummary>>,
    /// Ladder grades from the top.
    pub ladder: Option<Vec<GroupSummary>>,
    /// Absolute grades, highest first.
    pub absolute: Option<Vec<GroupSummary>>,
}

/// Headline KPIs (SPEC §7).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Kpis {
    /// Analysed customers.
    pub customers: u64,
    /// Orders (sum of frequencies in the chosen unit).
    pub orders: u64,
    /// Net revenue (`null` without an amount column).
    pub revenue: Option<f64>,
    /// Revenue / orders (`null` without an amount column).
    pub aov: Option<f64>,
    /// Share of customers with ≥ 2 purchase days.
    pub repeat_rate: f64,
    /// Retention and churn over the last activity window (SPEC §7).
    pub retention: Retention,
    /// Monthly cohorts by month of first purchase, oldest first.
    pub cohorts: Vec<Cohort>,
}

/// Retention and churn for the period (t0, t1] (SPEC §7): t1 = the analysis date, t0 = t1 −
/// `kpis.activeDays`. With S = customers active at t0, E = active at t1, N = customers whose first
/// purchase falls in the period: retention = (E − N) / S, churn = 1 − retention (`null` when S = 0).
/// "Active at t" = an order in the `kpis.activeDays` window ending on t.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Retention {
    /// t0, `YYYY-MM-DD` (excluded from the period).
    pub from: String,
    /// t1, the analysis date.
    pub to: String,
    /// S.
    pub active_at_start: u64,
    /// E.
    pub active_at_end: u64,
    /// N.
    pub new: u64,
    /// (E − N) / S.
    pub retention: Option<f64>,
    /// 1 − retention.
    pub churn: Option<f64>,
}

/// One monthly cohort (SPEC §7): its customers and, for each month since the first purchase up to the
/// analysis month, the share of them with an order in that month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cohort {
    /// Month of first purchase, `YYYY-MM`.
    pub month: String,
    /// Customers whose first purchase is in that month.
    pub customers: u64,
    /// Share with an order in month 0, 1, 2 … after it.
    pub active: Vec<f64>,
}

/// Churn counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChurnSummary {
    /// Customers per flag.
    pub flags: BTreeMap<String, u64>,
    /// Customers per risk level.
    pub risk: BTreeMap<String, u64>,
    /// How risk was decided.
    pub method: String,
}

/// The summary JSON (SPEC §11 top-level keys).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Crate version.
    pub version: String,
    /// Effective options.
    pub options: serde_json::Value,
    /// Data-quality report.
    pub input: InputReport,
    /// Analysed customers.
    pub customers: u64,
    /// Analysis date `YYYY-MM-DD`.
    pub analysis_date: String,
    /// Cut points.
    pub cut_points: CutPointsSummary,
    /// Segment summaries.
    pub segments: SegmentsSummary,
    /// Grade summaries.
    pub grades: GradesSummary,
    /// Pareto curve (absent without positive revenue).
    pub pareto: Option<Pareto>,
    /// KPIs.
    pub kpis: Kpis,
    /// Customers per lifecycle stage.
    pub lifecycle: Vec<GroupSummary>,
    /// Churn counts.
    pub churn: ChurnSummary,
    /// Model results or why none.
    pub model: serde_json::Value,
    /// Warnings for the user.
    pub warnings: Vec<String>,
}

/// A finished analysis: rows sorted by customer id, the summary, and what renders the rows' text.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// Per-customer rows, sorted by customer id.
    pub rows: Vec<CustomerRow>,
    /// Customer ids (`CustomerRow::id` indexes this).
    pub ids: IdTable,
    /// The analysis date as a day number.
    pub analysis_day: i32,
    /// The file has an amount (monetary columns are filled).
    pub has_amount: bool,
    /// Model outputs per row, empty until a model is fitted.
    pub p_alive: Vec<f64>,
    /// Expected purchases per row over the model horizon, empty until a model is fitted.
    pub expected_purchases: Vec<f64>,
    /// Predicted CLV per row, empty until a model is fitted.
    pub predicted_clv: Vec<f64>,
    /// Summary.
    pub summary: Summary,
    /// The effective options (label language, grade names, action texts, churn thresholds).
    pub options: Options,
    /// Milliseconds spent in each phase of `finish` (grouping, facts, scores, …), for benchmarks.
    pub timings: Vec<(&'static str, f64)>,
    /// The whole file disagreed with the decisions taken from its head: a second pass with these
    /// decisions gives the exact result (see [`crate::Decisions`]).
    pub rerun: Option<crate::Decisions>,
    /// First purchase day of each customer's categories, when the analysis was started with
    /// [`crate::Analyzer::track_categories`] and a category column is mapped or detected.
    pub categories: Option<crate::ingest::rows::CategoryFirsts>,
}

impl Analysis {
    /// The per-customer CSV (UTF-8 with BOM), see [`write_csv`].
    pub fn to_csv(&self) -> Vec<u8> {
        write_csv(self)
    }

    /// Customer id of row `i`.
    pub fn customer_id(&self, i: usize) -> std::borrow::Cow<'_, str> {
        self.rows
            .get(i)
            .map(|r| self.ids.text(r.id))
            .unwrap_or_default()
    }

    /// Net spend of row `i` in millionths (`None` without an amount column).
    pub fn monetary(&self, i: usize) -> Option<Money> {
        self.rows
            .get(i)
            .filter(|_| self.has_amount)
            .map(|r| r.monetary)
    }

    /// Average order value of row `i` = monetary / frequency, in millionths rounded half-even.
    pub fn aov(&self, i: usize) -> Option<Money> {
        let r = self.rows.get(i)?;
        self.monetary(i)
            .map(|m| round_half_even_div(m, r.frequency.max(1) as i128))
    }

    /// A model output of row `i` (`None` until the model is fitted).
    fn model(col: &[f64], i: usize) -> Option<f64> {
        col.get(i).copied().filter(|v| !v.is_nan())
    }

    /// P(alive) of row `i`.
    pub fn p_alive_of(&self, i: usize) -> Option<f64> {
        Self::model(&self.p_alive, i)
    }

    /// Expected purchases of row `i`.
    pub fn expected_purchases_of(&self, i: usize) -> Option<f64> {
        Self::model(&self.expected_purchases, i)
    }

    /// Predicted CLV of row `i`.
    pub fn predicted_clv_of(&self, i: usize) -> Option<f64> {
        Self::model(&self.predicted_clv, i)
    }

    /// Appends the text of output column `col` (index into [`COLUMNS`]) of row `i` to `out`:
    /// exactly what the CSV holds, unquoted; empty where not computed.
    pub fn write_field(&self, i: usize, col: usize, out: &mut Vec<u8>) {
        use std::io::Write;
        let Some(r) = self.rows.get(i) else { return };
        let o = &self.options;
        let zh = o.labels == Labels::Zh;
        let pick = |en: &str, z: &str| -> String {
            if zh {
                z.to_string()
            } else {
                en.to_string()
            }
        };
        let some = |v: u8| (v != NONE).then_some(v as usize);
        let text: std::borrow::Cow<'_, str> = match col {
            0 => {
                out.extend_from_slice(self.ids.bytes(r.id));
                return;
            }
            1 => format_day(r.first_day).into(),
            2 => format_day(r.last_day).into(),
            3 => {
                let _ = write!(out, "{}", r.recency);
                return;
            }
            4 => {
                let _ = write!(out, "{}", r.frequency);
                return;
            }
            5 => self
                .monetary(i)
                .map(format_money)
                .unwrap_or_default()
                .into(),
            6 => self.aov(i).map(format_money).unwrap_or_default().into(),
            7..=9 => {
                let v = [r.r_score, r.f_score, r.m_score][col - 7];
                if v != 0 {
                    let _ = write!(out, "{v}");
                }
                return;
            }
            10 => {
                for v in [r.r_score, r.f_score, r.m_score] {
                    if v != 0 {
                        let _ = write!(out, "{v}");
                    }
                }
                return;
            }
            11 => some(r.cn8)
                .map(|c| pick(CN8[c].en, CN8[c].zh))
                .unwrap_or_default()
                .into(),
            12 => some(r.rfm11)
                .map(|c| pick(RFM11[c].en, RFM11[c].zh))
                .unwrap_or_default()
                .into(),
            13 => some(r.custom)
                .map(|c| match o.segments.rules.get(c) {
                    Some(rule) => rule.name.clone(),
                    None => pick(OTHERS.en, OTHERS.zh),
                })
                .unwrap_or_default()
                .into(),
            14 => some(r.abc)
                .map(|g| ["A", "B", "C"][g.min(2)])
                .unwrap_or("")
                .into(),
            15 => some(r.ladder)
                .and_then(|g| o.grades.ladder.get(g))
                .map(|(name, _)| pick(name, &grade::ladder_name_zh(name)))
                .unwrap_or_default()
                .into(),
            16 => some(r.absolute)
                .and_then(|g| o.grades.absolute.as_ref().and_then(|a| a.get(g)))
                .map(|(name, _)| name.clone())
                .unwrap_or_default()
                .into(),
            17 => {
                let a = ACTIVITY[(r.activity as usize).min(2)];
                pick(a.0, a.1).into()
            }
            18 => {
                let st = STAGES[(r.lifecycle as usize).min(STAGES.len() - 1)];
                pick(st.0, st.1).into()
            }
            19 => {
                let mut first = true;
                for (b, name) in churn::FLAG_NAMES.iter().enumerate() {
                    if r.flags & (1 << b) != 0 {
                        if !first {
                            out.push(b'|');
                        }
                        out.extend_from_slice(name.as_bytes());
                        first = false;
                    }
                }
                return;
            }
            20 => churn::RISKS[(r.risk as usize).min(2)].into(),
            21 => opt_f64(self.p_alive_of(i)).into(),
            22 => opt_f64(self.expected_purchases_of(i)).into(),
            23 => opt_f64(self.predicted_clv_of(i)).into(),
            24 => actions::action(
                actions::KEYS[(r.action as usize).min(actions::KEYS.len() - 1)],
                o.labels,
                o,
            )
            .into(),
            _ => "".into(),
        };
        out.extend_from_slice(text.as_bytes());
    }

    /// The text of output column `col` of row `i` (see [`Analysis::write_field`]).
    pub fn field(&self, i: usize, col: usize) -> String {
        let mut b = Vec::new();
        self.write_field(i, col, &mut b);
        String::from_utf8_lossy(&b).into_owned()
    }

    /// The churn reasons of row `i` in the label language, `; `-separated, in flag order.
    pub fn churn_reasons(&self, i: usize) -> String {
        let Some(r) = self.rows.get(i) else {
            return String::new();
        };
        let zh = self.options.labels == Labels::Zh;
        (0..churn::FLAG_NAMES.len())
            .filter(|b| r.flags & (1 << b) != 0)
            .map(|b| churn::reason(1 << b, r, &self.options.churn, zh))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// One dimension's scores and cut points in the mode of `opts.rfm` (SPEC §3). `values` are integers
/// in units of 1/`scale` (days and counts: scale 1; money: millionths), in customer-id order.
fn score_dimension(
    values: &[i128],
    opts: &Options,
    reverse: bool,
    scale: i128,
    thresholds: &[f64],
) -> (Vec<u8>, CutPoints) {
    let k = opts.rfm.bins;
    match opts.rfm.mode {
        ScoreMode::Quantile => score::quantile(values, k, reverse, scale as f64),
        ScoreMode::Rank => score::rank(values, k, reverse),
        ScoreMode::RfmR => {
            let as_f64: Vec<f64> = values.iter().map(|&v| v as f64 / scale as f64).collect();
            score::rfm_r(&as_f64, k, reverse)
        }
        ScoreMode::Thresholds => score::thresholds(values, thresholds, reverse, scale),
    }
}

/// Builds the rows and summary from ingest and facts.
pub fn build(
    ing: Ingested,
    mut facts: Facts,
    opts: &Options,
    phases: &mut crate::clock::Phases,
) -> Analysis {
    let n = facts.customers.len();
    let k = opts.rfm.bins;
    let has_m = ing.has_amount;
    let mut warnings = ing.warnings.clone();
    // the models first: their working memory is freed before the scoring vectors below exist
    let model = crate::model::run(&facts.customers, has_m, &opts.model);
    warnings.extend(model.warnings.iter().cloned());
    phases.mark("model");
    let cs = &facts.customers;
    let rv: Vec<i128> = cs.iter().map(|c| c.recency as i128).collect();
    let fv: Vec<i128> = cs.iter().map(|c| c.frequency as i128).collect();
    let mv: Vec<i128> = cs.iter().map(|c| c.monetary).collect();
    let t = &opts.rfm.thresholds;
    let (r_scores, r_cut) = score_dimension(&rv, opts, true, 1, &t.r);
    let (f_scores, f_cut) = score_dimension(&fv, opts, false, 1, &t.f);
    let (m_scores, m_cut) = if has_m {
        let (s, c) = score_dimension(&mv, opts, false, crate::ingest::money::SCALE, &t.m);
        (Some(s), Some(c))
    } else {
        (None, None)
    };
    let rules = &opts.segments.rules;
    let want_custom = !rules.is_empty();
    if want_custom && !has_m && rules.iter().any(|r| r.m.is_some()) {
        warnings.push(
            "custom segment rules: there is no amount column, so their m ranges are not checked"
                .into(),
        );
    }

    phases.mark("scores");
    // segments
    let want_cn8 = opts.segments.presets.contains(&Preset::Cn8) && has_m;
    let want_rfm11 = opts.segments.presets.contains(&Preset::Rfm11);
    if opts.segments.presets.contains(&Preset::Cn8) && !has_m {
        warnings.push("cn8 needs an amount column: segment_cn8 is empty".into());
    }
    // rfm11 is a grid of five scores per dimension
    let five = [&r_cut, &f_cut]
        .into_iter()
        .chain(m_cut.as_ref())
        .all(|c| c.counts.len() == 5);
    let rfm11_ok = want_rfm11 && five;
    if want_rfm11 && !five {
        warnings.push(if opts.rfm.mode == crate::options::ScoreMode::Thresholds {
            "rfm11 needs five scores per dimension (four thresholds each): segment_rfm11 is empty"
                .to_string()
        } else {
            format!("rfm11 is defined for rfm.bins = 5 only (got {k}): segment_rfm11 is empty")
        });
    }
    if rfm11_ok && !has_m {
        warnings.push("without an amount, rfm11 uses the F score in place of (F + M) / 2".into());
    }
    let splits = [
        Split::of(&rv, opts.segments.cn8_split),
        Split::of(&fv, opts.segments.cn8_split),
        Split::of(&mv, opts.segments.cn8_split),
    ];
    let cn8_idx: Vec<Option<usize>> = (0..n)
        .map(|i| want_cn8.then(|| segment::cn8(rv[i], fv[i], mv[i], &splits)))
        .collect();
    let rfm11_idx: Vec<Option<usize>> = (0..n)
        .map(|i| {
            if !rfm11_ok {
                return None;
            }
            let fm = match &m_scores {
                Some(m) => segment::fm_score(f_scores[i], m[i]),
                None => f_scores[i],
            };
            segment::rfm11(r_scores[i], fm)
        })
        .collect();

    phases.mark("segments");
    // grades
    let order = grade::rank_by_monetary(&mv);
    let abc = has_m.then(|| grade::abc(&mv, &order, opts.grades.abc[0], opts.grades.abc[1]));
    let shares: Vec<f64> = opts.grades.ladder.iter().map(|(_, s)| *s).collect();
    let ladder = has_m.then(|| grade::ladder(&order, &shares));
    let absolute: Option<Vec<Option<usize>>> = match (&opts.grades.absolute, has_m) {
        (Some(_), true) => Some(
            cs.iter()
                .map(|c| (c.absolute != NONE).then_some(c.absolute as usize))
                .collect(),
        ),
        _ => None,
    };
    let pareto = if has_m {
        grade::pareto(&mv, &order)
    } else {
        None
    };

    phases.mark("grades");
    // churn, lifecycle, labels: filled into each customer's record in place
    let mut flag_n = [0u64; 5];
    let mut risk_n = [0u64; 3];
    let mut stage_idx = Vec::with_capacity(n);
    let mut repeaters = 0u64;
    for (i, c) in facts.customers.iter_mut().enumerate() {
        let top = abc.as_ref().is_some_and(|a| a[i] == 0)
            || ladder
                .as_ref()
                .is_some_and(|l| matches!(l[i], Some(0) | Some(1)));
        let flags = churn::flags(c, top, &opts.churn);
        for (b, n) in flag_n.iter_mut().enumerate() {
            *n += u64::from(flags & (1 << b) != 0);
        }
        let risk = if model.fitted {
            churn::model_risk(model.p_alive[i])
        } else {
            churn::rule_risk(flags)
        };
        risk_n[risk as usize] += 1;
        let st = lifecycle::stage(c, flags != 0, &opts.lifecycle, &opts.churn);
        stage_idx.push(st);
        repeaters += u64::from(c.purchase_days >= 2);
        let seg11 = rfm11_idx[i];
        let seg8 = cn8_idx[i];
        // action priority: lapsed high value, new customer, then the segment's action
        c.action = if flags & churn::HIGH_VALUE_LAPSED != 0 {
            actions::HIGH_VALUE_LAPSED
        } else if st == 0 {
            actions::STAGE_BASE
        } else if let Some(s) = seg11 {
            s as u8
        } else if let Some(s) = seg8 {
            actions::CN8_BASE + s as u8
        } else {
            actions::STAGE_BASE + st as u8
        };
        c.r_score = r_scores[i];
        c.f_score = f_scores[i];
        c.m_score = m_scores.as_ref().map_or(0, |m| m[i]);
        c.cn8 = seg8.map_or(NONE, |s| s as u8);
        c.rfm11 = seg11.map_or(NONE, |s| s as u8);
        c.custom = if want_custom {
            let m = m_scores.as_ref().map(|m| m[i]);
            segment::custom(rules, r_scores[i], f_scores[i], m).unwrap_or(rules.len()) as u8
        } else {
            NONE
        };
        c.abc = abc.as_ref().map_or(NONE, |a| a[i]);
        c.ladder = ladder.as_ref().and_then(|l| l[i]).map_or(NONE, |g| g as u8);
        c.lifecycle = st as u8;
        c.flags = flags;
        c.risk = risk;
    }
    let cs = &facts.customers;
    let flag_counts: BTreeMap<String, u64> = churn::FLAG_NAMES
        .iter()
        .zip(flag_n)
        .map(|(f, n)| (f.to_string(), n))
        .collect();
    let risk_counts: BTreeMap<String, u64> = churn::RISKS
        .iter()
        .zip(risk_n)
        .map(|(r, n)| (r.to_string(), n))
        .collect();

    phases.mark("rows");
    // summaries
    let total_rev: Money = mv.iter().sum();
    // one pass per grouping: customers, revenue, orders and recency summed per group index
    let tally =
        |groups: usize, of: &dyn Fn(usize) -> Option<usize>| -> Vec<(u64, i128, u64, i64)> {
            let mut t = vec![(0u64, 0i128, 0u64, 0i64); groups];
            for i in 0..n {
                if let Some(g) = of(i).filter(|&g| g < groups) {
                    let e = &mut t[g];
                    e.0 += 1;
                    e.1 += mv[i];
                    e.2 += cs[i].frequency as u64;
                    e.3 += cs[i].recency as i64;
                }
            }
            t
        };
    let group =
        |name: &str, name_zh: &str, (cnt, rev, ord, rec): (u64, i128, u64, i64)| -> GroupSummary {
            let div = |a: f64| if cnt == 0 { 0.0 } else { a / cnt as f64 };
            let (action, action_zh) = actions::both(name, opts);
            GroupSummary {
                name: name.to_string(),
                name_zh: name_zh.to_string(),
                customers: cnt,
                share: if n == 0 { 0.0 } else { cnt as f64 / n as f64 },
                revenue: to_f64(rev),
                revenue_share: if total_rev > 0 {
                    rev as f64 / total_rev as f64
                } else {
                    0.0
                },
                orders: ord,
                avg_recency: div(rec as f64),
                avg_frequency: div(ord as f64),
                avg_monetary: div(to_f64(rev)),
                action,
                action_zh,
            }
        };
    let segments = SegmentsSummary {
        cn8: want_cn8.then(|| {
            let t = tally(CN8.len(), &|i| cn8_idx[i]);
            CN8_ORDER
                .iter()
                .map(|&s| group(CN8[s].en, CN8[s].zh, t[s]))
                .collect()
        }),
        cn8_split: want_cn8.then(|| {
            BTreeMap::from([
                ("recency".to_string(), splits[0].value()),
                ("frequency".to_string(), splits[1].value()),
                (
                    "monetary".to_string(),
                    splits[2].value() / crate::ingest::money::SCALE as f64,
                ),
            ])
        }),
        rfm11: rfm11_ok.then(|| {
            let t = tally(RFM11.len(), &|i| rfm11_idx[i]);
            (0..RFM11.len())
                .map(|s| group(RFM11[s].en, RFM11[s].zh, t[s]))
                .collect()
        }),
        custom: want_custom.then(|| {
            let t = tally(rules.len() + 1, &|i| {
                (cs[i].custom != NONE).then_some(cs[i].custom as usize)
            });
            rules
                .iter()
                .map(|r| (r.name.as_str(), r.name.as_str()))
                .chain([(OTHERS.en, OTHERS.zh)])
                .enumerate()
                .map(|(g, (en, zh))| group(en, zh, t[g]))
                .collect()
        }),
        custom_lint: want_custom.then(|| {
            segment::lint(
                rules,
                [
                    Some(r_cut.counts.len() as u8),
                    Some(f_cut.counts.len() as u8),
                    m_cut.as_ref().map(|c| c.counts.len() as u8),
                ],
            )
        }),
    };
    let grades = GradesSummary {
        abc: abc.as_ref().map(|a| {
            let t = tally(3, &|i| Some(a[i] as usize));
            ["A", "B", "C"]
                .iter()
                .enumerate()
                .map(|(g, name)| group(name, &format!("{name}类"), t[g]))
                .collect()
        }),
        ladder: ladder.as_ref().map(|l| {
            let t = tally(opts.grades.ladder.len(), &|i| l[i]);
            opts.grades
                .ladder
                .iter()
                .enumerate()
                .map(|(g, (name, _))| group(name, &grade::ladder_name_zh(name), t[g]))
                .collect()
        }),
        absolute: match (&absolute, &opts.grades.absolute) {
            (Some(a), Some(levels)) => Some({
                let t = tally(levels.len(), &|i| a[i]);
                levels
                    .iter()
                    .enumerate()
                    .map(|(g, (name, _))| group(name, name, t[g]))
                    .collect()
            }),
            _ => None,
        },
    };
    let stage_tally = tally(STAGES.len(), &|i| Some(stage_idx[i]));
    let lifecycle_summary: Vec<GroupSummary> = STAGES
        .iter()
        .enumerate()
        .map(|(s, (en, zh))| group(en, zh, stage_tally[s]))
        .collect();
    let orders: u64 = cs.iter().map(|c| c.frequency as u64).sum();
    phases.mark("summaries");
    let kpis = Kpis {
        customers: n as u64,
        orders,
        revenue: has_m.then(|| to_f64(total_rev)),
        aov: has_m.then(|| {
            if orders == 0 {
                0.0
            } else {
                to_f64(total_rev) / orders as f64
            }
        }),
        repeat_rate: if n == 0 {
            0.0
        } else {
            repeaters as f64 / n as f64
        },
        retention: {
            let p = &facts.period;
            let retention = (p.active_at_start > 0)
                .then(|| (p.active_at_end as f64 - p.new as f64) / p.active_at_start as f64);
            Retention {
                from: format_day(p.start_day),
                to: format_day(facts.analysis_day),
                active_at_start: p.active_at_start,
                active_at_end: p.active_at_end,
                new: p.new,
                retention,
                churn: retention.map(|r| 1.0 - r),
            }
        },
        cohorts: {
            let last = crate::facts::month_index(facts.analysis_day);
            facts
                .cohorts
                .iter()
                .map(|(&m, (size, counts))| {
                    let months = (last - m + 1).max(1) as usize;
                    Cohort {
                        month: format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1),
                        customers: *size,
                        active: (0..months)
                            .map(|k| counts.get(k).copied().unwrap_or(0) as f64 / *size as f64)
                            .collect(),
                    }
                })
                .collect()
        },
    };
    let mut input = ing.report;
    input.used = facts.used;
    input.excluded = facts.excluded.clone();
    let summary = Summary {
        version: env!("CARGO_PKG_VERSION").to_string(),
        options: opts.to_json_value(),
        input,
        customers: n as u64,
        analysis_date: format_day(facts.analysis_day),
        cut_points: CutPointsSummary {
            r: r_cut,
            f: f_cut,
            m: m_cut,
        },
        segments,
        grades,
        pareto,
        kpis,
        lifecycle: lifecycle_summary,
        churn: ChurnSummary {
            flags: flag_counts,
            risk: risk_counts,
            method: if model.fitted {
                "model: 1 − P(alive) above 0.66 high, from 0.33 medium, else low".into()
            } else {
                "rules: high for two or more flags or high_value_lapsed, medium for one flag, else low".into()
            },
        },
        model: model.summary,
        warnings,
    };
    Analysis {
        rows: facts.customers,
        ids: facts.ids,
        analysis_day: facts.analysis_day,
        has_amount: has_m,
        p_alive: model.p_alive,
        expected_purchases: model.expected_purchases,
        predicted_clv: model.predicted_clv,
        summary,
        options: opts.clone(),
        timings: Vec::new(),
        rerun: None,
        categories: None,
    }
}

/// Formats an optional float for the CSV (empty when absent).
fn opt_f64(x: Option<f64>) -> String {
    x.map(|v| format!("{v}")).unwrap_or_default()
}

/// Writes the per-customer CSV: UTF-8 with BOM (so Excel opens Chinese text correctly), `\n` line
/// ends, RFC 4180 quoting where needed (by the `csv` crate).
pub fn write_csv(a: &Analysis) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + a.rows.len() * 200);
    // writing to a Vec cannot fail
    let _ = write_csv_to(a, &mut out);
    out
}

/// Streams the per-customer CSV (as [`write_csv`]) into any writer, without holding it in memory.
pub fn write_csv_to(a: &Analysis, mut out: impl std::io::Write) -> std::io::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    w.write_record(COLUMNS)?;
    let mut field = Vec::with_capacity(256);
    for i in 0..a.rows.len() {
        for col in 0..COLUMNS.len() {
            field.clear();
            a.write_field(i, col, &mut field);
            w.write_field(&field)?;
        }
        w.write_record(None::<&[u8]>)?;
    }
    w.flush()
}
