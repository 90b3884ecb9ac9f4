//! The holdout check (`docs/models.md#holdout`): the purchase model fitted on the data up to a cut
//! date (the calibration period) predicts the repeat purchases of the period after it (the holdout),
//! and the prediction is compared with what happened: per customer, as a cumulative tracking curve
//! per period, and as the conditional-expectation table by calibration purchases of Fader, Hardie &
//! Lee (2005, figures 2–4), with the mean absolute error and the total error.

use super::{round, Histories, Tried, MIN_CUSTOMERS, MIN_REPEAT_BUYERS};
use crate::calendar::format_day;
use crate::facts::{CustomerFacts, HoldoutActual};
use crate::messages::Message;
use crate::options::{ModelKind, TimeUnit};
use serde_json::json;

/// Calibration purchases (x) grouped into the table's last row from this value on ("7+").
pub const TABLE_TOP_X: u32 = 7;

/// The check's outcome: `summary.model.holdout`, and per customer the holdout's actual and predicted
/// repeat purchases (NaN for customers whose first purchase is after the cut, or without a check).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Check {
    /// `summary.model.holdout`.
    pub summary: serde_json::Value,
    /// Purchase days in the holdout, per customer.
    pub actual: Vec<f64>,
    /// Expected purchases in the holdout from the calibration fit, per customer.
    pub predicted: Vec<f64>,
}

fn not_computed(reason: Message, cut: i32) -> Check {
    Check {
        summary: json!({ "cut": format_day(cut), "notComputed": reason.en(), "notComputedCode": reason }),
        ..Check::default()
    }
}

/// Runs the check for the family `kind` (the one the full analysis uses) on `customers` (facts as of
/// `analysis_day`, with their calibration purchase days) and the holdout counts `h`.
pub fn check(
    customers: &[CustomerFacts],
    h: &HoldoutActual,
    kind: ModelKind,
    unit: TimeUnit,
    analysis_day: i32,
) -> Check {
    let dpu = super::days_per_unit(unit);
    if h.too_long {
        return not_computed(
            Message::HoldoutTooLong {
                cut: format_day(h.cut),
                max: crate::options::MAX_HOLDOUT_PERIODS,
            },
            h.cut,
        );
    }
    if h.periods.is_empty() {
        return not_computed(
            Message::HoldoutCutNotBefore {
                cut: format_day(h.cut),
                date: format_day(analysis_day),
            },
            h.cut,
        );
    }
    // the calibration cohort: customers with a purchase up to the cut
    let cohort: Vec<usize> = (0..customers.len())
        .filter(|&i| customers[i].cal_days > 0)
        .collect();
    let repeaters = cohort
        .iter()
        .filter(|&&i| customers[i].cal_days > 1)
        .count();
    if cohort.len() < MIN_CUSTOMERS {
        return not_computed(
            Message::TooFewCustomers {
                count: cohort.len(),
                needed: MIN_CUSTOMERS,
            },
            h.cut,
        );
    }
    if repeaters < MIN_REPEAT_BUYERS {
        return not_computed(
            Message::TooFewRepeatBuyers {
                count: repeaters,
                needed: MIN_REPEAT_BUYERS,
            },
            h.cut,
        );
    }
    let keys: Vec<(u32, i32, i32)> = cohort
        .iter()
        .map(|&i| {
            let c = &customers[i];
            (
                c.cal_days - 1,
                c.cal_last - c.first_day,
                h.cut - c.first_day,
            )
        })
        .collect();
    let histories = Histories::from_keys(&keys, dpu);
    let n = cohort.len() as f64;
    let tried = Tried::fit(kind, &histories, dpu, n);
    let Some(model) = tried.model else {
        return not_computed(tried.reason.unwrap_or(Message::NoTimeToLearn), h.cut);
    };
    // the end of each period in time units since the cut (the last one may be partial)
    let span = (analysis_day - h.cut) as f64;
    let periods = h.periods.len();
    let ts: Vec<f64> = (1..=periods)
        .map(|k| (k as f64 * h.period_days as f64).min(span) / dpu)
        .collect();
    // per distinct history: expected purchases by the end of each period (cumulative)
    let mut if_alive = vec![0.0; periods];
    let mut last: Option<(u32, i32)> = None;
    let mut tracking = vec![0.0; periods];
    let per_history: Vec<f64> = histories
        .days
        .iter()
        .zip(&histories.counts)
        .map(|(&(x, tx, t), &count)| {
            let c = crate::model::bgnbd::Customer {
                x: x as f64,
                t_x: tx as f64 / dpu,
                t: t as f64 / dpu,
            };
            if last != Some((x, t)) {
                model.expected_if_alive(c.x, c.t, &ts, &mut if_alive);
                last = Some((x, t));
            }
            let alive = model.p_alive_nudged(&c);
            // a series that did not settle (NaN) leaves the history out of every sum
            if !alive.is_finite() || if_alive.iter().any(|e| !e.is_finite()) {
                return f64::NAN;
            }
            for (sum, e) in tracking.iter_mut().zip(&if_alive) {
                *sum += count as f64 * alive * e;
            }
            alive * if_alive[periods - 1]
        })
        .collect();
    let mut actual = vec![f64::NAN; customers.len()];
    let mut predicted = vec![f64::NAN; customers.len()];
    // the table by calibration x (0 … 6, 7+): customers, actual and predicted sums
    let mut table = [(0u64, 0.0f64, 0.0f64); TABLE_TOP_X as usize + 1];
    let (mut abs_err, mut total_actual, mut total_predicted) = (0.0, 0.0, 0.0);
    let mut unsettled = 0usize;
    for (j, &i) in cohort.iter().enumerate() {
        let c = &customers[i];
        let a = f64::from(c.purchase_days - c.cal_days);
        let p = per_history[histories.index[j] as usize];
        actual[i] = a;
        predicted[i] = p;
        if !p.is_finite() {
            unsettled += 1;
            continue;
        }
        let row = &mut table[(c.cal_days - 1).min(TABLE_TOP_X) as usize];
        row.0 += 1;
        row.1 += a;
        row.2 += p;
        abs_err += (a - p).abs();
        total_actual += a;
        total_predicted += p;
    }
    if unsettled > 0 {
        // a prediction that did not settle (the ₂F₁ series, a very short history against a long
        // holdout) would leave the totals and the curve comparing different customers: say so
        // rather than show a partial comparison
        return not_computed(Message::UnsettledExpectations { count: unsettled }, h.cut);
    }
    let mut cumulative = 0u64;
    let actual_curve: Vec<u64> = h
        .periods
        .iter()
        .map(|&k| {
            cumulative += k;
            cumulative
        })
        .collect();
    let error_pct =
        (total_actual > 0.0).then(|| (total_predicted - total_actual) / total_actual * 100.0);
    let unit_name = match unit {
        TimeUnit::Day => "day",
        TimeUnit::Week => "week",
    };
    let verdict = Message::HoldoutVerdict {
        model: tried.kind.name().to_string(),
        cut: format_day(h.cut),
        periods,
        error: error_pct.map_or_else(|| "–".to_string(), |e| format!("{e:+.1}")),
    };
    let by_x: Vec<serde_json::Value> = table
        .iter()
        .enumerate()
        .map(|(x, &(n, a, p))| {
            let label = if x as u32 == TABLE_TOP_X {
                format!("{TABLE_TOP_X}+")
            } else {
                x.to_string()
            };
            let mean = |s: f64| (n > 0).then(|| round(s / n as f64, 10));
            json!({ "x": label, "customers": n, "actual": mean(a), "predicted": mean(p) })
        })
        .collect();
    let summary = json!({
        "cut": format_day(h.cut),
        "end": format_day(analysis_day),
        "periods": periods,
        "timeUnit": unit_name,
        "customers": cohort.len(),
        "repeatBuyers": repeaters,
        "kind": tried.kind.key(),
        "fit": tried.json,
        "tracking": {
            "actual": actual_curve,
            "predicted": tracking.iter().map(|&v| round(v, 10)).collect::<Vec<_>>(),
        },
        "byPurchases": by_x,
        "actualTotal": total_actual,
        "predictedTotal": round(total_predicted, 10),
        "mae": round(abs_err / n, 10),
        "totalErrorPct": error_pct.map(|e| round(e, 10)),
        "verdict": verdict.en(),
        "verdictCode": verdict,
    });
    Check {
        summary,
        actual,
        predicted,
    }
}
