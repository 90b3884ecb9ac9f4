//! Report: assembles per-customer rows and the summary (SPEC §10–§11) and writes the CSV.

use crate::actions;
use crate::churn;
use crate::dates::format_day;
use crate::facts::Facts;
use crate::grade::{self, Pareto};
use crate::ingest::{Ingested, InputReport};
use crate::lifecycle::{self, ACTIVITY, STAGES};
use crate::money::{format_money, from_f64, round_half_even_div, to_f64, Money};
use crate::options::{Labels, Options, Preset};
use crate::score::{self, CutPoints};
use crate::segment::{self, Split, CN8, CN8_ORDER, RFM11};
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

/// One customer's output row, compact: labels are indexes rendered to text only on output (see
/// [`Analysis::write_field`]), so building rows for a million customers allocates one string each.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CustomerRow {
    /// Customer id.
    pub customer_id: String,
    /// First order date, day number.
    pub first_day: i32,
    /// Last order date, day number.
    pub last_day: i32,
    /// Recency in days.
    pub recency_days: i32,
    /// Frequency in the chosen unit.
    pub frequency: u64,
    /// Net spend (millionths), `None` without an amount column.
    pub monetary: Option<Money>,
    /// Recency score.
    pub r_score: Option<u8>,
    /// Frequency score.
    pub f_score: Option<u8>,
    /// Monetary score.
    pub m_score: Option<u8>,
    /// `cn8` class (index into [`CN8`]).
    pub cn8: Option<u8>,
    /// `rfm11` segment (index into [`RFM11`]).
    pub rfm11: Option<u8>,
    /// ABC grade: 0 = A, 1 = B, 2 = C.
    pub abc: Option<u8>,
    /// Ladder grade (index into `grades.ladder`).
    pub ladder: Option<u8>,
    /// Absolute grade (index into `grades.absolute`).
    pub absolute: Option<u8>,
    /// Activity class (index into [`ACTIVITY`]).
    pub activity: u8,
    /// Lifecycle stage (index into [`STAGES`]).
    pub lifecycle: u8,
    /// Churn flags, a bitmask over [`churn::FLAG_NAMES`].
    pub flags: u8,
    /// What the churn reasons say.
    pub reason: churn::ReasonFacts,
    /// Risk: index into [`churn::RISKS`].
    pub risk: u8,
    /// Probability alive (model).
    pub p_alive: Option<f64>,
    /// Expected purchases over the horizon (model).
    pub expected_purchases: Option<f64>,
    /// Predicted CLV (model).
    pub predicted_clv: Option<f64>,
    /// Key of the recommended action (an English segment, grade, stage or flag name).
    pub action: &'static str,
}

impl CustomerRow {
    /// Average order value = monetary / frequency, in millionths rounded half-even (`None` without
    /// an amount column).
    pub fn aov(&self) -> Option<Money> {
        self.monetary
            .map(|m| round_half_even_div(m, self.frequency.max(1) as i128))
    }
}

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

/// A finished analysis: rows sorted by customer id, the summary, and the options that render the
/// rows' labels.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// Per-customer rows.
    pub rows: Vec<CustomerRow>,
    /// Summary.
    pub summary: Summary,
    /// The effective options (label language, grade names, action texts, churn thresholds).
    pub options: Options,
    /// Milliseconds spent in each phase of `finish` (grouping, facts, scores, …), for benchmarks.
    pub timings: Vec<(&'static str, f64)>,
}

impl Analysis {
    /// The per-customer CSV (UTF-8 with BOM), see [`write_csv`].
    pub fn to_csv(&self) -> Vec<u8> {
        write_csv(self)
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
        let text: std::borrow::Cow<'_, str> = match col {
            0 => r.customer_id.as_str().into(),
            1 => format_day(r.first_day).into(),
            2 => format_day(r.last_day).into(),
            3 => {
                let _ = write!(out, "{}", r.recency_days);
                return;
            }
            4 => {
                let _ = write!(out, "{}", r.frequency);
                return;
            }
            5 => r.monetary.map(format_money).unwrap_or_default().into(),
            6 => r.aov().map(format_money).unwrap_or_default().into(),
            7..=9 => {
                if let Some(v) = [r.r_score, r.f_score, r.m_score][col - 7] {
                    let _ = write!(out, "{v}");
                }
                return;
            }
            10 => {
                for v in [r.r_score, r.f_score, r.m_score].into_iter().flatten() {
                    let _ = write!(out, "{v}");
                }
                return;
            }
            11 => r
                .cn8
                .map(|c| pick(CN8[c as usize].en, CN8[c as usize].zh))
                .unwrap_or_default()
                .into(),
            12 => r
                .rfm11
                .map(|c| pick(RFM11[c as usize].en, RFM11[c as usize].zh))
                .unwrap_or_default()
                .into(),
            13 => "".into(),
            14 => r
                .abc
                .map(|g| ["A", "B", "C"][g as usize])
                .unwrap_or("")
                .into(),
            15 => r
                .ladder
                .and_then(|g| o.grades.ladder.get(g as usize))
                .map(|(name, _)| pick(name, &grade::ladder_name_zh(name)))
                .unwrap_or_default()
                .into(),
            16 => r
                .absolute
                .and_then(|g| o.grades.absolute.as_ref().and_then(|a| a.get(g as usize)))
                .map(|(name, _)| name.clone())
                .unwrap_or_default()
                .into(),
            17 => pick(
                ACTIVITY[r.activity as usize].0,
                ACTIVITY[r.activity as usize].1,
            )
            .into(),
            18 => pick(
                STAGES[r.lifecycle as usize].0,
                STAGES[r.lifecycle as usize].1,
            )
            .into(),
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
            20 => churn::RISKS[r.risk as usize].into(),
            21 => opt_f64(r.p_alive).into(),
            22 => opt_f64(r.expected_purchases).into(),
            23 => opt_f64(r.predicted_clv).into(),
            24 => actions::action(r.action, o.labels, o).into(),
            _ => "".into(),
        };
        out.extend_from_slice(text.as_bytes());
    }

    /// The text of output column `col` of row `i` (see [`Analysis::write_field`]).
    pub fn field(&self, i: usize, col: usize) -> String {
        let mut b = Vec::new();
        self.write_field(i, col, &mut b);
        String::from_utf8(b).unwrap_or_default()
    }

    /// The churn reasons of row `i` in the label language, `; `-separated, in flag order.
    pub fn churn_reasons(&self, i: usize) -> String {
        let Some(r) = self.rows.get(i) else {
            return String::new();
        };
        let zh = self.options.labels == Labels::Zh;
        (0..churn::FLAG_NAMES.len())
            .filter(|b| r.flags & (1 << b) != 0)
            .map(|b| churn::reason(1 << b, &r.reason, &self.options.churn, zh))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Builds the rows and summary from ingest and facts.
pub fn build(
    ing: Ingested,
    mut facts: Facts,
    opts: &Options,
    phases: &mut crate::clock::Phases,
) -> Analysis {
    // the ids move into the rows instead of being copied
    let mut ids: Vec<String> = facts
        .customers
        .iter_mut()
        .map(|c| std::mem::take(&mut c.id))
        .collect();
    let n = facts.customers.len();
    let k = opts.rfm.bins;
    let has_m = ing.has_amount;
    let mut warnings = ing.warnings.clone();
    let cs = &facts.customers;
    let rv: Vec<i128> = cs.iter().map(|c| c.recency as i128).collect();
    let fv: Vec<i128> = cs.iter().map(|c| c.frequency as i128).collect();
    let mv: Vec<i128> = cs.iter().map(|c| c.monetary).collect();
    let (r_scores, r_cut) = score::quantile(&rv, k, true, 1.0);
    let (f_scores, f_cut) = score::quantile(&fv, k, false, 1.0);
    let (m_scores, m_cut) = if has_m {
        let (s, c) = score::quantile(&mv, k, false, crate::money::SCALE as f64);
        (Some(s), Some(c))
    } else {
        (None, None)
    };
    if opts.rfm.mode != crate::options::ScoreMode::Quantile {
        warnings.push(format!(
            "rfm.mode \"{}\" is not available in this version; scores use \"quantile\"",
            serde_json::to_value(opts.rfm.mode)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        ));
    }
    if !opts.segments.rules.is_empty() {
        warnings.push(
            "custom segment rules are not available in this version; segment_custom is empty"
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
    let rfm11_ok = want_rfm11 && k == 5;
    if want_rfm11 && k != 5 {
        warnings.push(format!(
            "rfm11 is defined for rfm.bins = 5 only (got {k}): segment_rfm11 is empty"
        ));
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
        (Some(levels), true) => Some(
            cs.iter()
                .map(|c| {
                    levels
                        .iter()
                        .position(|(_, min)| c.window_spend >= from_f64(*min))
                })
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
    // churn, lifecycle, rows
    let mut rows = Vec::with_capacity(n);
    let mut flag_n = [0u64; 5];
    let mut risk_n = [0u64; 3];
    let mut stage_idx = Vec::with_capacity(n);
    for (i, c) in cs.iter().enumerate() {
        let top = abc.as_ref().is_some_and(|a| a[i] == 0)
            || ladder
                .as_ref()
                .is_some_and(|l| matches!(l[i], Some(0) | Some(1)));
        let flags = churn::flags(c, top, &opts.churn);
        for (b, n) in flag_n.iter_mut().enumerate() {
            *n += u64::from(flags & (1 << b) != 0);
        }
        let risk = churn::rule_risk(flags);
        risk_n[risk as usize] += 1;
        let st = lifecycle::stage(c, flags != 0, &opts.lifecycle, &opts.churn);
        stage_idx.push(st);
        let seg11 = rfm11_idx[i];
        let seg8 = cn8_idx[i];
        // action priority: lapsed high value, new customer, then the segment's action
        let action: &'static str = if flags & churn::HIGH_VALUE_LAPSED != 0 {
            "high_value_lapsed"
        } else if st == 0 {
            "new"
        } else if let Some(s) = seg11 {
            RFM11[s].en
        } else if let Some(s) = seg8 {
            CN8[s].en
        } else {
            STAGES[st].0
        };
        rows.push(CustomerRow {
            customer_id: std::mem::take(&mut ids[i]),
            first_day: c.first_day,
            last_day: c.last_day,
            recency_days: c.recency,
            frequency: c.frequency,
            monetary: has_m.then_some(c.monetary),
            r_score: Some(r_scores[i]),
            f_score: Some(f_scores[i]),
            m_score: m_scores.as_ref().map(|m| m[i]),
            cn8: seg8.map(|s| s as u8),
            rfm11: seg11.map(|s| s as u8),
            abc: abc.as_ref().map(|a| a[i]),
            ladder: ladder.as_ref().and_then(|l| l[i]).map(|g| g as u8),
            absolute: absolute.as_ref().and_then(|a| a[i]).map(|g| g as u8),
            activity: lifecycle::activity(c, &opts.activity) as u8,
            lifecycle: st as u8,
            flags,
            reason: churn::ReasonFacts {
                recency: c.recency,
                median_gap: c.median_gap,
                previous_orders: c.previous_orders.min(u32::MAX as u64) as u32,
                recent_orders: c.recent_orders.min(u32::MAX as u64) as u32,
                by_orders: churn::declining_by_orders(c, &opts.churn),
            },
            risk,
            p_alive: None,
            expected_purchases: None,
            predicted_clv: None,
            action,
        });
    }
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
                    e.2 += cs[i].frequency;
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
                    splits[2].value() / crate::money::SCALE as f64,
                ),
            ])
        }),
        rfm11: rfm11_ok.then(|| {
            let t = tally(RFM11.len(), &|i| rfm11_idx[i]);
            (0..RFM11.len())
                .map(|s| group(RFM11[s].en, RFM11[s].zh, t[s]))
                .collect()
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
    let orders: u64 = cs.iter().map(|c| c.frequency).sum();
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
            cs.iter().filter(|c| c.purchase_days >= 2).count() as f64 / n as f64
        },
    };
    let model = if opts.model.enabled {
        serde_json::json!({"notFitted": "the BG/NBD and Gamma-Gamma models are not available in this version"})
    } else {
        serde_json::json!({"notFitted": "disabled by options.model.enabled"})
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
        cut_points: CutPointsSummary { r: r_cut, f: f_cut, m: m_cut },
        segments,
        grades,
        pareto,
        kpis,
        lifecycle: lifecycle_summary,
        churn: ChurnSummary {
            flags: flag_counts,
            risk: risk_counts,
            method: "rules: high for two or more flags or high_value_lapsed, medium for one flag, else low".into(),
        },
        model,
        warnings,
    };
    Analysis {
        rows,
        summary,
        options: opts.clone(),
        timings: Vec::new(),
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
