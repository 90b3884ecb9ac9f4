//! The summary (see `docs/outputs.md#summary-json`): what the page and the CLI's `summary.json` show
//! besides the per-customer rows — the input report, cut points, segment, grade and lifecycle
//! tables, KPIs, churn counts, the models and the warnings.

use crate::analytics::actions;
use crate::analytics::churn::{RiskSource, MODEL_HIGH, MODEL_MEDIUM};
use crate::analytics::grade::Pareto;
use crate::analytics::kpis::Kpis;
use crate::analytics::score::CutPoints;
use crate::analytics::segment::{lint, RuleLint};
use crate::analytics::Outcome;
use crate::facts::{CustomerFacts, NONE};
use crate::ingest::money::{to_f64, Money, SCALE};
use crate::ingest::InputReport;
use crate::labels::{ladder_name_zh, OTHERS};
use crate::labels::{Abc, Cn8, Flag, Rfm11, Risk, Stage};
use crate::messages::Message;
use crate::options::Options;
use serde::Serialize;
use std::collections::BTreeMap;

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
    pub custom_lint: Option<RuleLint>,
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

/// Churn counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChurnSummary {
    /// Customers per flag.
    pub flags: BTreeMap<String, u64>,
    /// Customers per risk level.
    pub risk: BTreeMap<String, u64>,
    /// Customers per band that set their risk level (`rules`, `model`, `both`: the two bands
    /// agreed); without a fitted model every customer is `rules`. Empty while the models are pending.
    #[serde(rename = "decidedBy")]
    pub decided_by: BTreeMap<String, u64>,
    /// How risk was decided.
    pub method: String,
    /// The same, coded.
    #[serde(rename = "methodCode")]
    pub method_code: Message,
}

/// The summary JSON (`docs/outputs.md` top-level keys).
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
    /// Per mapped dimension column: its values with customers, revenue and the segment and grade
    /// breakdown, as a JSON array (`[]` without `columns.dimensions`; `docs/outputs.md#summarydimensions`).
    pub dimensions: serde_json::Value,
    /// Warnings for the user, in English.
    pub warnings: Vec<String>,
    /// The same warnings, coded (`{code, params}`, in the same order).
    pub warning_codes: Vec<Message>,
}

/// Builds the summary tables of segments, grades and lifecycle stages in one pass per grouping:
/// customers, revenue, orders and recency summed per group.
pub(crate) struct Tables<'a> {
    customers: &'a [CustomerFacts],
    monetary: &'a [Money],
    total_revenue: Money,
    opts: &'a Options,
}

/// Per group: customers, revenue (millionths), orders, summed recency.
type Tally = (u64, i128, u64, i64);

impl<'a> Tables<'a> {
    /// Tables over `customers` with their net spend `monetary` (millionths).
    pub(crate) fn new(
        customers: &'a [CustomerFacts],
        monetary: &'a [Money],
        opts: &'a Options,
    ) -> Self {
        Tables {
            customers,
            monetary,
            total_revenue: monetary.iter().sum(),
            opts,
        }
    }

    /// Total net revenue (millionths).
    pub(crate) fn total_revenue(&self) -> Money {
        self.total_revenue
    }

    fn tally(&self, groups: usize, of: &dyn Fn(usize) -> Option<usize>) -> Vec<Tally> {
        let mut t = vec![(0u64, 0i128, 0u64, 0i64); groups];
        for (i, c) in self.customers.iter().enumerate() {
            if let Some(g) = of(i).filter(|&g| g < groups) {
                let e = &mut t[g];
                e.0 += 1;
                e.1 += self.monetary[i];
                e.2 += c.frequency as u64;
                e.3 += c.recency as i64;
            }
        }
        t
    }

    fn group(&self, name: &str, name_zh: &str, (cnt, rev, ord, rec): Tally) -> GroupSummary {
        let n = self.customers.len();
        let div = |a: f64| if cnt == 0 { 0.0 } else { a / cnt as f64 };
        let (action, action_zh) = actions::both(name, self.opts);
        GroupSummary {
            name: name.to_string(),
            name_zh: name_zh.to_string(),
            customers: cnt,
            share: if n == 0 { 0.0 } else { cnt as f64 / n as f64 },
            revenue: to_f64(rev),
            revenue_share: if self.total_revenue > 0 {
                rev as f64 / self.total_revenue as f64
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
    }

    /// The segment tables of the presets and rules that were computed.
    pub(crate) fn segments(&self, a: &Outcome) -> SegmentsSummary {
        let s = &a.segments;
        let rules = &self.opts.segments.rules;
        let cs = self.customers;
        SegmentsSummary {
            cn8: s.cn8_on.then(|| {
                let t = self.tally(Cn8::ALL.len(), &|i| s.cn8[i].map(Cn8::index));
                Cn8::TABLE_ORDER
                    .iter()
                    .map(|&c| self.group(c.en(), c.zh(), t[c.index()]))
                    .collect()
            }),
            cn8_split: s.cn8_on.then(|| {
                BTreeMap::from([
                    ("recency".to_string(), s.splits[0].value()),
                    ("frequency".to_string(), s.splits[1].value()),
                    ("monetary".to_string(), s.splits[2].value() / SCALE as f64),
                ])
            }),
            rfm11: s.rfm11_on.then(|| {
                let t = self.tally(Rfm11::ALL.len(), &|i| s.rfm11[i].map(Rfm11::index));
                Rfm11::ALL
                    .iter()
                    .map(|&r| self.group(r.en(), r.zh(), t[r.index()]))
                    .collect()
            }),
            custom: s.custom.as_ref().map(|_| {
                let t = self.tally(rules.len() + 1, &|i| {
                    (cs[i].custom != NONE).then_some(cs[i].custom as usize)
                });
                rules
                    .iter()
                    .map(|r| (r.name.as_str(), r.name.as_str()))
                    .chain([OTHERS])
                    .enumerate()
                    .map(|(g, (en, zh))| self.group(en, zh, t[g]))
                    .collect()
            }),
            custom_lint: s.custom.as_ref().map(|_| {
                let sc = &a.scores;
                lint(
                    rules,
                    [
                        Some(sc.r_cut.counts.len() as u8),
                        Some(sc.f_cut.counts.len() as u8),
                        sc.m_cut.as_ref().map(|c| c.counts.len() as u8),
                    ],
                )
            }),
        }
    }

    /// The grade tables (absent without an amount column).
    pub(crate) fn grades(&self, a: &Outcome) -> GradesSummary {
        let g = &a.grades;
        let o = &self.opts.grades;
        GradesSummary {
            abc: g.abc.as_ref().map(|abc| {
                let t = self.tally(Abc::ALL.len(), &|i| Some(abc[i].index()));
                Abc::ALL
                    .iter()
                    .map(|&x| self.group(x.en(), x.zh(), t[x.index()]))
                    .collect()
            }),
            ladder: g.ladder.as_ref().map(|l| {
                let t = self.tally(o.ladder.len(), &|i| l[i]);
                o.ladder
                    .iter()
                    .enumerate()
                    .map(|(k, (name, _))| self.group(name, ladder_name_zh(name), t[k]))
                    .collect()
            }),
            absolute: match (&g.absolute, &o.absolute) {
                (Some(abs), Some(levels)) => Some({
                    let t = self.tally(levels.len(), &|i| abs[i]);
                    levels
                        .iter()
                        .enumerate()
                        .map(|(k, (name, _))| self.group(name, name, t[k]))
                        .collect()
                }),
                _ => None,
            },
        }
    }

    /// Customers per lifecycle stage, in stage order.
    pub(crate) fn lifecycle(&self) -> Vec<GroupSummary> {
        let cs = self.customers;
        let t = self.tally(Stage::ALL.len(), &|i| Some(cs[i].lifecycle.index()));
        Stage::ALL
            .iter()
            .map(|&s| self.group(s.code(), s.zh(), t[s.index()]))
            .collect()
    }
}

impl ChurnSummary {
    /// How risk was decided.
    fn method(by_model: bool) -> Message {
        if by_model {
            Message::RiskByModel {
                high: MODEL_HIGH.to_string(),
                medium: MODEL_MEDIUM.to_string(),
            }
        } else {
            Message::RiskByRules
        }
    }

    /// The churn counts of an analysis whose models are pending: the flags are final, the risk
    /// counts are withheld (empty) and the method says `risk_pending`.
    pub(crate) fn pending(a: &Outcome) -> ChurnSummary {
        let mut c = ChurnSummary::of(a, false);
        c.risk.clear();
        c.decided_by.clear();
        c.method_code = Message::RiskPending;
        c.method = c.method_code.en();
        c
    }

    /// Sets the risk counts (indexed by [`Risk::index`]) and how risk was decided, once the
    /// models are fitted.
    pub(crate) fn set_risk(
        &mut self,
        counts: &[u64; Risk::ALL.len()],
        sources: &[u64; RiskSource::ALL.len()],
        by_model: bool,
    ) {
        self.risk = Risk::ALL
            .iter()
            .map(|r| (r.code().to_string(), counts[r.index()]))
            .collect();
        self.decided_by = decided_by(sources);
        self.method_code = ChurnSummary::method(by_model);
        self.method = self.method_code.en();
    }

    /// Customers per flag and per risk level, and how risk was decided.
    pub(crate) fn of(a: &Outcome, by_model: bool) -> ChurnSummary {
        let method_code = ChurnSummary::method(by_model);
        ChurnSummary {
            flags: Flag::ALL
                .iter()
                .map(|f| (f.code().to_string(), a.flag_counts[f.index()]))
                .collect(),
            risk: Risk::ALL
                .iter()
                .map(|r| (r.code().to_string(), a.risk_counts[r.index()]))
                .collect(),
            decided_by: decided_by(&a.risk_sources),
            method: method_code.en(),
            method_code,
        }
    }
}

/// `summary.churn.decidedBy` from counts indexed by [`RiskSource::index`].
fn decided_by(sources: &[u64; RiskSource::ALL.len()]) -> BTreeMap<String, u64> {
    RiskSource::ALL
        .iter()
        .map(|s| (s.code().to_string(), sources[s.index()]))
        .collect()
}
