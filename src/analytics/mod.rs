//! The analytics stage: from each customer's facts to scores, segments, grades, churn flags and
//! risk, lifecycle stages, recommended actions and the KPIs. `run` applies them in that order and
//! writes each customer's labels into its record.

pub mod actions;
pub mod churn;
pub mod grade;
pub mod kpis;
pub mod lifecycle;
pub mod score;
pub mod segment;

use crate::clock::Phases;
use crate::facts::{CustomerFacts, NONE};
use crate::labels::{Flag, Risk};
use crate::messages::Message;
use crate::options::Options;
use grade::Grades;
use score::{Scores, Values};
use segment::Segments;

/// What the analytics stage decided, besides each customer's labels, for the summary.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The scored values.
    pub values: Values,
    /// Scores and cut points.
    pub scores: Scores,
    /// Segments per customer.
    pub segments: Segments,
    /// Grades per customer and the Pareto curve.
    pub grades: Grades,
    /// Customers per churn flag (indexed by [`Flag::index`]).
    pub flag_counts: [u64; Flag::ALL.len()],
    /// Customers per risk level (indexed by [`Risk::index`]).
    pub risk_counts: [u64; Risk::ALL.len()],
    /// Customers per band that set their risk level (indexed by [`churn::RiskSource::index`]).
    pub risk_sources: [u64; churn::RiskSource::ALL.len()],
    /// Customers with two or more purchase days.
    pub repeaters: u64,
}

/// Scores, segments, grades, flags, risk, stage and action for every customer (written into the
/// records); `p_alive` is given when a purchase model was fitted (risk is then the higher of the
/// rule band and the model band, [`churn::risk`]).
/// Warnings about presets that cannot be computed go to `warnings`.
pub(crate) fn run(
    customers: &mut [CustomerFacts],
    with_amount: bool,
    opts: &Options,
    p_alive: Option<&[f64]>,
    warnings: &mut Vec<Message>,
    phases: &mut Phases,
) -> Outcome {
    let values = Values::of(customers);
    let scores = Scores::of(&values, with_amount, opts);
    phases.mark("scores");
    let segments = Segments::assign(&values, &scores, with_amount, opts, warnings);
    phases.mark("segments");
    let grades = Grades::assign(&values.monetary, customers, with_amount, opts);
    phases.mark("grades");
    let mut flag_counts = [0u64; Flag::ALL.len()];
    let mut risk_counts = [0u64; Risk::ALL.len()];
    let mut risk_sources = [0u64; churn::RiskSource::ALL.len()];
    let mut repeaters = 0u64;
    for (i, c) in customers.iter_mut().enumerate() {
        let flags = churn::flags(c, grades.is_top(i), &opts.churn);
        for f in flags.iter() {
            flag_counts[f.index()] += 1;
        }
        let (risk, source) = churn::risk(churn::rule_risk(flags), p_alive.map(|p| p[i]));
        risk_counts[risk.index()] += 1;
        risk_sources[source.index()] += 1;
        let stage = lifecycle::stage(c, !flags.is_empty(), &opts.lifecycle, &opts.churn);
        repeaters += u64::from(c.purchase_days >= 2);
        c.action = actions::choose(flags, stage, segments.rfm11[i], segments.cn8[i]);
        c.r_score = scores.r[i];
        c.f_score = scores.f[i];
        c.m_score = scores.m_of(i).unwrap_or(0);
        c.cn8 = segments.cn8[i];
        c.rfm11 = segments.rfm11[i];
        c.custom = segments.custom.as_ref().map_or(NONE, |v| v[i]);
        c.abc = grades.abc.as_ref().map(|a| a[i]);
        c.ladder = grades
            .ladder
            .as_ref()
            .and_then(|l| l[i])
            .map_or(NONE, |g| g as u8);
        c.lifecycle = stage;
        c.flags = flags;
        c.risk = risk;
    }
    phases.mark("rows");
    Outcome {
        values,
        scores,
        segments,
        grades,
        flag_counts,
        risk_counts,
        risk_sources,
        repeaters,
    }
}
