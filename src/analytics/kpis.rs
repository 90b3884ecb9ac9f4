//! Headline KPIs (see `docs/kpis.md`): customers, orders, revenue, average order value, repeat rate,
//! retention and churn over the last activity window, and monthly cohorts.

use crate::calendar::{format_day, month_index};
use crate::facts::Facts;
use crate::ingest::money::{to_f64, Money};
use serde::Serialize;

/// Headline KPIs.
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
    /// Retention and churn over the last activity window (`docs/kpis.md`).
    pub retention: Retention,
    /// Monthly cohorts by month of first purchase, oldest first: those of the last 120 months
    /// ([`crate::facts::COHORT_MONTHS`]).
    pub cohorts: Vec<Cohort>,
    /// Customers whose first purchase is older than the cohorts kept.
    pub cohorts_omitted: u64,
    /// One entry per calendar month from the month of the earliest counted row to the analysis
    /// month, oldest first, at most the last 120 months ([`crate::facts::COHORT_MONTHS`])
    /// (`docs/kpis.md#months`).
    pub monthly: Vec<Month>,
    /// Calendar months left out of `monthly`: from the month of the earliest counted row up to the
    /// first month kept (0 when the series starts with the earliest month).
    pub monthly_omitted: u64,
}

/// One calendar month of the series (`docs/kpis.md#months`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Month {
    /// `YYYY-MM`.
    pub month: String,
    /// Net revenue of the rows dated in the month, counted as in the monetary total (`null`
    /// without an amount column).
    pub revenue: Option<f64>,
    /// Frequency units whose earliest row is in the month.
    pub orders: u64,
    /// Customers with an order in the month.
    pub active_customers: u64,
    /// Customers whose first order is in the month.
    pub new_customers: u64,
}

/// Retention and churn for the period (t0, t1] (`docs/kpis.md`): t1 = the analysis date, t0 = t1 −
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

/// One monthly cohort (`docs/kpis.md`): its customers and, for each month since the first purchase up to the
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

impl Kpis {
    /// The KPIs of the analysed customers: `revenue` is their total net spend (millionths),
    /// `repeaters` the customers with two or more purchase days.
    pub fn of(facts: &Facts, revenue: Money, with_amount: bool, repeaters: u64) -> Kpis {
        let n = facts.customers.len();
        let orders: u64 = facts.customers.iter().map(|c| c.frequency as u64).sum();
        Kpis {
            customers: n as u64,
            orders,
            revenue: with_amount.then(|| to_f64(revenue)),
            aov: with_amount.then(|| {
                if orders == 0 {
                    0.0
                } else {
                    to_f64(revenue) / orders as f64
                }
            }),
            repeat_rate: if n == 0 {
                0.0
            } else {
                repeaters as f64 / n as f64
            },
            retention: Retention::of(facts),
            cohorts: Cohort::all(facts),
            cohorts_omitted: facts.cohorts_omitted,
            monthly: Month::all(facts, with_amount),
            monthly_omitted: Month::omitted(facts),
        }
    }
}

impl Month {
    /// The monthly series: from the earliest counted month (or the first month kept, when that is
    /// later) to the analysis month.
    pub fn all(facts: &Facts, with_amount: bool) -> Vec<Month> {
        let m = &facts.monthly;
        let Some(earliest) = m.earliest_month else {
            return Vec::new();
        };
        let start = (earliest - m.first_slot_month).max(0) as usize;
        (start..m.revenue.len())
            .map(|k| {
                let month = m.first_slot_month + k as i32;
                Month {
                    month: format!(
                        "{:04}-{:02}",
                        month.div_euclid(12),
                        month.rem_euclid(12) + 1
                    ),
                    revenue: with_amount.then(|| to_f64(m.revenue[k])),
                    orders: m.orders[k],
                    active_customers: m.active[k],
                    new_customers: m.new[k],
                }
            })
            .collect()
    }

    /// Months from the earliest counted month up to the first month kept (0 when none is left out).
    pub fn omitted(facts: &Facts) -> u64 {
        let m = &facts.monthly;
        m.earliest_month
            .map_or(0, |e| (m.first_slot_month - e).max(0) as u64)
    }
}

impl Retention {
    /// Retention for the period ending on the analysis date, from the counts of the facts step.
    pub fn of(facts: &Facts) -> Retention {
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
    }
}

impl Cohort {
    /// Every monthly cohort, oldest first, each with one share per month up to the analysis month.
    pub fn all(facts: &Facts) -> Vec<Cohort> {
        let last = month_index(facts.analysis_day);
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
    }
}
