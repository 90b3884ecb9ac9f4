//! Predictive models (`docs/models.md`): BG/NBD for "probability still alive" and expected purchases,
//! Gamma-Gamma for expected spend, and a 12-month CLV from the two. Everything is computed from
//! the per-customer facts as of the analysis date ([`RepeatSummary`]).
//!
//! When a fit is not identifiable (too few customers or repeat buyers, no convergence, a parameter
//! running off to 0 or infinity) the summary says why and the per-customer columns stay empty; the
//! rule-based churn flags and risk then stand alone.

pub mod bgnbd;
pub mod gamma_gamma;
pub mod optim;
pub mod special;

use crate::facts::CustomerFacts;
use crate::messages::Message;
use crate::options::{ModelOptions, TimeUnit};
use serde_json::json;
use special::{ln, pow};

/// Fewest customers a BG/NBD fit is tried on.
pub const MIN_CUSTOMERS: usize = 10;
/// Fewest repeat buyers (x > 0) a BG/NBD fit is tried on: without repeat purchases neither the
/// purchase rate nor the dropout can be told apart.
pub const MIN_REPEAT_BUYERS: usize = 3;
/// Fewest customers with x > 0 and positive mean repeat spend a Gamma-Gamma fit is tried on.
pub const MIN_SPEND_CUSTOMERS: usize = 3;
/// A fitted log-parameter beyond ±this (a parameter below 3e-7 or above 3e6) means the likelihood
/// keeps rising towards a boundary: the data do not identify the model.
pub const MAX_LOG_PARAMETER: f64 = 15.0;
/// Below this mean dropout probability a/(a+b) the fit lies on a flat ridge towards "no dropout"
/// (a → 0, b → ∞ together): the summary warns that a and b are not identified separately.
pub const MIN_MEAN_DROPOUT: f64 = 1e-4;
/// Days per CLV month (`docs/models.md`: a month is 365.25 / 12 days).
pub const DAYS_PER_MONTH: f64 = 365.25 / 12.0;
/// CLV months.
pub const CLV_MONTHS: u32 = 12;

/// A maximum-likelihood fit of either model.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit<P> {
    /// The parameters.
    pub params: P,
    /// Total log-likelihood at `params`.
    pub log_likelihood: f64,
    /// The optimiser converged.
    pub converged: bool,
    /// Optimiser iterations.
    pub iterations: usize,
    /// Largest component of the mean log-likelihood's gradient (log parameters) where it stopped.
    pub gradient_norm: f64,
}

/// Days per time unit.
pub fn days_per_unit(unit: TimeUnit) -> f64 {
    match unit {
        TimeUnit::Day => 1.0,
        TimeUnit::Week => 7.0,
    }
}

/// A customer's repeat-purchase summary as of the analysis date (`docs/models.md`): purchase days count
/// order rows only (same-day orders merged, zero-amount days included).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RepeatSummary {
    /// Repeat purchase days: purchase days − 1.
    pub x: u32,
    /// Last − first purchase day, in time units.
    pub t_x: f64,
    /// Analysis date − first purchase day, in time units.
    pub t: f64,
    /// Mean spend of the repeat purchase days (`None` when x = 0).
    pub zbar: Option<f64>,
}

impl RepeatSummary {
    /// The summary of one customer's facts, in `unit`.
    pub fn of(c: &CustomerFacts, unit: TimeUnit) -> RepeatSummary {
        let d = days_per_unit(unit);
        let x = c.purchase_days.saturating_sub(1);
        RepeatSummary {
            x,
            t_x: (c.last_day - c.first_day) as f64 / d,
            t: c.tenure as f64 / d,
            zbar: (x > 0).then(|| crate::ingest::money::to_f64(c.repeat_spend) / x as f64),
        }
    }
}

/// What [`run`] produced.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outcome {
    /// `summary.model`: the parameters, or `{notFitted: reason}`.
    pub summary: serde_json::Value,
    /// P(alive) per customer (empty when not fitted).
    pub p_alive: Vec<f64>,
    /// Expected purchases over `model.horizon` per customer (empty when not fitted).
    pub expected_purchases: Vec<f64>,
    /// 12-month CLV per customer (empty without a Gamma-Gamma fit; NaN where undefined).
    pub predicted_clv: Vec<f64>,
    /// The BG/NBD fit converged and is used for risk.
    pub fitted: bool,
    /// Warnings for `summary.warnings`.
    pub warnings: Vec<Message>,
}

/// Rounds to `digits` significant digits for the summary (the fit is not more precise than this;
/// significant rather than decimal digits, so a parameter near 0 still shows its size).
fn round(v: f64, digits: i32) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    format!("{:.*e}", (digits - 1).max(0) as usize, v)
        .parse()
        .unwrap_or(v)
}

/// Why a fit is not usable: a parameter running off to 0 or infinity (checked first: the optimiser
/// then often stops early on a ridge), else no convergence.
fn unusable(
    model: &str,
    params: &[(&str, f64)],
    converged: bool,
    log_likelihood: f64,
    iterations: usize,
    gradient_norm: f64,
) -> Option<Message> {
    let escaped = params
        .iter()
        .find(|(_, v)| !v.is_finite() || ln(*v).abs() > MAX_LOG_PARAMETER);
    if let Some((name, v)) = escaped {
        return Some(Message::NotIdentifiable {
            model: model.to_string(),
            parameter: name.to_string(),
            limit: Box::new(if *v < 1.0 {
                Message::LimitZero
            } else {
                Message::LimitInfinity
            }),
            fitted: format!("{v:e}"),
        });
    }
    (!converged || !log_likelihood.is_finite()).then(|| Message::NotConverged {
        model: model.to_string(),
        iterations,
        gradient: format!("{gradient_norm:.1e}"),
    })
}

/// `{"notFitted": English text, "notFittedCode": {code, params}}`.
fn not_fitted_json(reason: &Message) -> serde_json::Value {
    json!({ "notFitted": reason.en(), "notFittedCode": reason })
}

/// Fits the models to the customers' facts and predicts per customer.
pub fn run(customers: &[CustomerFacts], has_amount: bool, opts: &ModelOptions) -> Outcome {
    let not_fitted = |reason: Message| Outcome {
        summary: not_fitted_json(&reason),
        ..Outcome::default()
    };
    if !opts.enabled {
        return not_fitted(Message::ModelDisabled);
    }
    let unit = opts.time_unit;
    let dpu = days_per_unit(unit);
    let repeaters = customers.iter().filter(|c| c.purchase_days > 1).count();
    if customers.len() < MIN_CUSTOMERS {
        return not_fitted(Message::TooFewCustomers {
            count: customers.len(),
            needed: MIN_CUSTOMERS,
        });
    }
    if repeaters < MIN_REPEAT_BUYERS {
        return not_fitted(Message::TooFewRepeatBuyers {
            count: repeaters,
            needed: MIN_REPEAT_BUYERS,
        });
    }
    let histories = Histories::of(customers, dpu);
    let Some(fit) = bgnbd::fit_distinct(&histories.days, &histories.counts, dpu) else {
        return not_fitted(Message::NoTimeToLearn);
    };
    let p = fit.params;
    let unit_name = match unit {
        TimeUnit::Day => "day",
        TimeUnit::Week => "week",
    };
    let bg_json = json!({
        "r": round(p.r, 7), "alpha": round(p.alpha, 7), "a": round(p.a, 7), "b": round(p.b, 7),
        "logLikelihood": round(fit.log_likelihood, 10),
        "converged": fit.converged,
        "iterations": fit.iterations,
    });
    let reason = unusable(
        "BG/NBD",
        &[("r", p.r), ("alpha", p.alpha), ("a", p.a), ("b", p.b)],
        fit.converged,
        fit.log_likelihood,
        fit.iterations,
        fit.gradient_norm,
    );
    if let Some(reason) = reason {
        let mut summary = not_fitted_json(&reason);
        summary["timeUnit"] = json!(unit_name);
        summary["bgnbd"] = bg_json;
        return Outcome {
            summary,
            ..Outcome::default()
        };
    }
    // Gamma-Gamma on repeat buyers with a positive mean repeat spend
    let mut summary = json!({
        "timeUnit": unit_name,
        "horizon": opts.horizon,
        "customers": customers.len(),
        "repeatBuyers": repeaters,
        "bgnbd": bg_json,
    });
    let zbar = |c: &CustomerFacts| RepeatSummary::of(c, unit).zbar.filter(|&m| m > 0.0);
    let (gg, spend_model) = if has_amount {
        let data: Vec<(f64, f64)> = customers
            .iter()
            .filter_map(|c| Some((c.purchase_days.saturating_sub(1) as f64, zbar(c)?)))
            .collect();
        if data.len() < MIN_SPEND_CUSTOMERS {
            let why = Message::TooFewSpenders {
                count: data.len(),
                needed: MIN_SPEND_CUSTOMERS,
            };
            (not_fitted_json(&why), None)
        } else {
            match gamma_gamma::fit(&data) {
                Some(g) => {
                    let gp = g.params;
                    let why = unusable(
                        "Gamma-Gamma",
                        &[("p", gp.p), ("q", gp.q), ("gamma", gp.gamma)],
                        g.converged,
                        g.log_likelihood,
                        g.iterations,
                        g.gradient_norm,
                    );
                    match why {
                        Some(why) => (not_fitted_json(&why), None),
                        None => {
                            let population = gamma_gamma::conditional_expected_spend(&gp, 0.0, 0.0);
                            let mut j = json!({
                                "p": round(gp.p, 7), "q": round(gp.q, 7), "gamma": round(gp.gamma, 7),
                                "logLikelihood": round(g.log_likelihood, 10),
                                "converged": true, "iterations": g.iterations, "customers": data.len(),
                                "populationMeanSpend": population.is_finite().then(|| round(population, 7)),
                            });
                            if !population.is_finite() {
                                j["note"] = json!(Message::NoPopulationMean.en());
                                j["noteCode"] = json!(Message::NoPopulationMean);
                            }
                            (j, Some(gp))
                        }
                    }
                }
                None => (not_fitted_json(&Message::NoUsableSpend), None),
            }
        }
    } else {
        (not_fitted_json(&Message::NoAmountForSpend), None)
    };
    // per customer: P(alive), expected purchases over the horizon and (with a spend model) the
    // discounted purchases of the next 12 months, once per distinct history (x, t_x, T)
    let months = clv_month_ends(dpu);
    let factors = discount_factors(months.len(), opts.discount_rate);
    let clv_months = spend_model.map(|_| (&months[..], &factors[..]));
    let per_history = histories.predict(&p, opts.horizon, clv_months);
    let p_alive = histories.per_customer(&per_history, 0);
    let expected_purchases = histories.per_customer(&per_history, 1);
    let mut predicted_clv = Vec::new();
    if let Some(gp) = spend_model {
        let population = gamma_gamma::conditional_expected_spend(&gp, 0.0, 0.0);
        predicted_clv = customers
            .iter()
            .zip(histories.per_customer(&per_history, 2))
            .map(|(c, n)| {
                let x = c.purchase_days.saturating_sub(1) as f64;
                let spend = zbar(c).map_or(population, |m| {
                    gamma_gamma::conditional_expected_spend(&gp, x, m)
                });
                spend * n
            })
            .collect();
    }
    let mut warnings = Vec::new();
    let dropout = p.a / (p.a + p.b);
    if dropout < MIN_MEAN_DROPOUT {
        warnings.push(Message::NoDropout {
            dropout: format!("{dropout:.1e}"),
        });
    }
    let one_time = customers.len() - repeaters;
    if one_time > 0 {
        warnings.push(Message::OneTimeBuyersAlive { count: one_time });
    }
    let missing = |v: &[f64]| v.iter().filter(|x| !x.is_finite()).count();
    let unsettled = missing(&expected_purchases);
    if unsettled > 0 {
        warnings.push(Message::UnsettledExpectations { count: unsettled });
    }
    let no_clv = missing(&predicted_clv);
    if spend_model.is_some() && no_clv > 0 {
        warnings.push(Message::ClvMissing { count: no_clv });
    }
    summary["gammaGamma"] = gg;
    summary["clv"] = json!({ "months": CLV_MONTHS, "discountRate": opts.discount_rate });
    Outcome {
        summary,
        p_alive,
        expected_purchases,
        predicted_clv,
        fitted: true,
        warnings,
    }
}

/// The ends of the CLV months in time units: m · 365.25/12 days for m = 1 … 12.
fn clv_month_ends(days_per_unit: f64) -> Vec<f64> {
    (1..=CLV_MONTHS)
        .map(|m| m as f64 * DAYS_PER_MONTH / days_per_unit)
        .collect()
}

/// CLV over the months ending at `month_ends`: Σₘ spend · (E[Y(tₘ)] − E[Y(tₘ₋₁)]) / (1 + d)^m.
pub fn clv(p: &bgnbd::Params, c: &bgnbd::Customer, spend: f64, month_ends: &[f64], d: f64) -> f64 {
    spend * discounted_purchases(p, c, month_ends, &discount_factors(month_ends.len(), d))
}

/// (1 + d)^−m for m = 1 … `months`.
pub fn discount_factors(months: usize, d: f64) -> Vec<f64> {
    (1..=months).map(|m| 1.0 / pow(1.0 + d, m as f64)).collect()
}

/// Σₘ (E[Y(tₘ)] − E[Y(tₘ₋₁)]) · factorₘ: expected purchases month by month, discounted.
pub fn discounted_purchases(
    p: &bgnbd::Params,
    c: &bgnbd::Customer,
    month_ends: &[f64],
    factors: &[f64],
) -> f64 {
    let mut e = [0.0; CLV_MONTHS as usize];
    let n = month_ends.len().min(e.len());
    bgnbd::expected_purchases_at(p, c, &month_ends[..n], &mut e[..n]);
    let mut prev = 0.0;
    let mut total = 0.0;
    for (m, f) in factors.iter().enumerate().take(n) {
        total += (e[m] - prev) * f;
        prev = e[m];
    }
    total
}

/// The customers' distinct histories (x, t_x days, T days) with their customer counts, so the fit
/// and the predictions run once per history rather than once per customer.
struct Histories {
    /// Distinct histories in whole days, sorted.
    days: Vec<(u32, i32, i32)>,
    /// Customers per history.
    counts: Vec<u32>,
    /// Per customer, the index of its history.
    index: Vec<u32>,
    /// Days per time unit.
    days_per_unit: f64,
}

impl Histories {
    fn of(customers: &[CustomerFacts], days_per_unit: f64) -> Histories {
        let key = |c: &CustomerFacts| {
            (
                c.purchase_days.saturating_sub(1),
                c.last_day - c.first_day,
                c.tenure,
            )
        };
        let mut order: Vec<u32> = (0..customers.len() as u32).collect();
        // by (x, T, t_x): histories sharing x and T (and so the expensive part of the expected
        // purchases) are adjacent
        order.sort_unstable_by_key(|&i| {
            let (x, tx, t) = key(&customers[i as usize]);
            (x, t, tx)
        });
        let (mut days, mut counts) = (Vec::new(), Vec::new());
        let mut index = vec![0u32; customers.len()];
        for &i in &order {
            let h = key(&customers[i as usize]);
            if days.last() != Some(&h) {
                days.push(h);
                counts.push(0);
            }
            if let Some(n) = counts.last_mut() {
                *n += 1;
            }
            index[i as usize] = (days.len() - 1) as u32;
        }
        Histories {
            days,
            counts,
            index,
            days_per_unit,
        }
    }

    /// Per distinct history: P(alive), expected purchases over `horizon`, and with `clv` (month ends
    /// and discount factors) the discounted purchases of each month summed ([`discounted_purchases`]),
    /// else NaN. The series behind the expected purchases depend on x and T only, so they are
    /// computed once per (x, T).
    fn predict(
        &self,
        p: &bgnbd::Params,
        horizon: f64,
        clv: Option<(&[f64], &[f64])>,
    ) -> Vec<[f64; 3]> {
        let months = clv.map_or(0, |(m, _)| m.len().min(CLV_MONTHS as usize));
        let mut ts = [0.0; 1 + CLV_MONTHS as usize];
        ts[0] = horizon;
        if let Some((m, _)) = clv {
            ts[1..=months].copy_from_slice(&m[..months]);
        }
        let mut if_alive = [0.0; 1 + CLV_MONTHS as usize];
        let mut last: Option<(u32, i32)> = None;
        self.days
            .iter()
            .map(|&(x, tx, t)| {
                let c = bgnbd::Customer {
                    x: x as f64,
                    t_x: tx as f64 / self.days_per_unit,
                    t: t as f64 / self.days_per_unit,
                };
                if last != Some((x, t)) {
                    bgnbd::expected_if_alive(p, c.x, c.t, &ts[..=months], &mut if_alive[..=months]);
                    last = Some((x, t));
                }
                let alive = bgnbd::p_alive_nudged(p, &c);
                let clv_weight = match clv {
                    Some((_, factors)) => {
                        let mut prev = 0.0;
                        let mut total = 0.0;
                        for (m, f) in factors.iter().enumerate().take(months) {
                            let e = alive * if_alive[m + 1];
                            total += (e - prev) * f;
                            prev = e;
                        }
                        total
                    }
                    None => f64::NAN,
                };
                [bgnbd::p_alive(p, &c), alive * if_alive[0], clv_weight]
            })
            .collect()
    }

    /// Column `k` of `per_history`, per customer.
    fn per_customer(&self, per_history: &[[f64; 3]], k: usize) -> Vec<f64> {
        self.index
            .iter()
            .map(|&i| per_history[i as usize][k])
            .collect()
    }
}
