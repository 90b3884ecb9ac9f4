//! Predictive models (`docs/models.md`): BG/NBD for "probability still alive" and expected purchases,
//! Gamma-Gamma for expected spend, and a 12-month CLV from the two. Everything is computed from
//! the per-customer facts as of the analysis date ([`RepeatSummary`]).
//!
//! When a fit is not identifiable (too few customers or repeat buyers, no convergence, a parameter
//! running off to 0 or infinity) the summary says why and the per-customer columns stay empty; the
//! rule-based churn flags and risk then stand alone.

pub mod bgnbd;
pub mod gamma_gamma;
pub mod holdout;
pub mod optim;
pub mod paretonbd;
pub mod special;

use crate::facts::CustomerFacts;
use crate::messages::Message;
use crate::options::{ModelKind, ModelOptions, TimeUnit};
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
    /// With a holdout check: purchase days in the holdout per customer (NaN outside its cohort).
    pub holdout_actual: Vec<f64>,
    /// With a holdout check: the calibration fit's expected purchases in the holdout per customer.
    pub holdout_predicted: Vec<f64>,
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

/// Fits the models to the customers' facts and predicts per customer; with `holdout` (the counts
/// after the cut and the analysis day) also runs the holdout check ([`holdout::check`]).
pub fn run(
    customers: &[CustomerFacts],
    has_amount: bool,
    opts: &ModelOptions,
    holdout: Option<(&crate::facts::HoldoutActual, i32)>,
) -> Outcome {
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
    let unit_name = match unit {
        TimeUnit::Day => "day",
        TimeUnit::Week => "week",
    };
    let kinds: &[ModelKind] = match opts.kind {
        ModelKind::Auto => &[ModelKind::Bgnbd, ModelKind::Mbgnbd, ModelKind::Paretonbd],
        ModelKind::Bgnbd => &[ModelKind::Bgnbd],
        ModelKind::Mbgnbd => &[ModelKind::Mbgnbd],
        ModelKind::Paretonbd => &[ModelKind::Paretonbd],
    };
    let n = histories.counts.iter().map(|&c| c as f64).sum::<f64>();
    let tried: Vec<Tried> = kinds
        .iter()
        .map(|&k| Tried::fit(k, &histories, dpu, n))
        .collect();
    let Some(pick) = choose(&tried) else {
        // nothing usable: the reason of the one asked for (or of the first family under auto)
        let Some(first) = tried.first() else {
            return not_fitted(Message::NoTimeToLearn);
        };
        let reason = first.reason.clone().unwrap_or(Message::NoTimeToLearn);
        let mut summary = not_fitted_json(&reason);
        summary["timeUnit"] = json!(unit_name);
        for t in &tried {
            if let Some(j) = &t.json {
                summary[t.kind.key()] = j.clone();
            }
        }
        if opts.kind == ModelKind::Auto {
            summary["auto"] = auto_json(&tried, None);
        }
        return Outcome {
            summary,
            ..Outcome::default()
        };
    };
    let chosen = &tried[pick];
    let Some(model) = chosen.model else {
        return not_fitted(Message::NoTimeToLearn);
    };
    let mut summary = json!({
        "kind": chosen.kind.key(),
        "timeUnit": unit_name,
        "horizon": opts.horizon,
        "customers": customers.len(),
        "repeatBuyers": repeaters,
    });
    for t in &tried {
        if let Some(j) = &t.json {
            summary[t.kind.key()] = j.clone();
        }
    }
    if opts.kind == ModelKind::Auto {
        summary["auto"] = auto_json(&tried, Some(pick));
    }
    // Gamma-Gamma on repeat buyers with a positive mean repeat spend
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
    let per_history = histories.predict(&model, opts.horizon, clv_months);
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
    if let Purchase::Bg(p) | Purchase::Mbg(p) = model {
        let dropout = p.a / (p.a + p.b);
        if dropout < MIN_MEAN_DROPOUT {
            warnings.push(Message::NoDropout {
                dropout: format!("{dropout:.1e}"),
            });
        }
    }
    let one_time = customers.len() - repeaters;
    if one_time > 0 && matches!(model, Purchase::Bg(_)) {
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
    let check = holdout.map(|(h, day)| holdout::check(customers, h, chosen.kind, unit, day));
    let (holdout_actual, holdout_predicted) = match check {
        Some(c) => {
            summary["holdout"] = c.summary;
            (c.actual, c.predicted)
        }
        None => (Vec::new(), Vec::new()),
    };
    Outcome {
        summary,
        p_alive,
        expected_purchases,
        predicted_clv,
        fitted: true,
        warnings,
        holdout_actual,
        holdout_predicted,
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
        let keys: Vec<(u32, i32, i32)> = customers
            .iter()
            .map(|c| {
                (
                    c.purchase_days.saturating_sub(1),
                    c.last_day - c.first_day,
                    c.tenure,
                )
            })
            .collect();
        Histories::from_keys(&keys, days_per_unit)
    }

    /// The histories of customers given as (x, t_x days, T days), in that order.
    fn from_keys(keys: &[(u32, i32, i32)], days_per_unit: f64) -> Histories {
        let mut order: Vec<u32> = (0..keys.len() as u32).collect();
        // by (x, T, t_x): histories sharing x and T (and so the expensive part of the expected
        // purchases) are adjacent
        order.sort_unstable_by_key(|&i| {
            let (x, tx, t) = keys[i as usize];
            (x, t, tx)
        });
        let (mut days, mut counts) = (Vec::new(), Vec::new());
        let mut index = vec![0u32; keys.len()];
        for &i in &order {
            let h = keys[i as usize];
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
        model: &Purchase,
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
                    model.expected_if_alive(c.x, c.t, &ts[..=months], &mut if_alive[..=months]);
                    last = Some((x, t));
                }
                let alive = model.p_alive_nudged(&c);
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
                [model.p_alive(&c), alive * if_alive[0], clv_weight]
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

/// A fitted purchase model of one of the families (`docs/models.md#families`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Purchase {
    /// BG/NBD.
    Bg(bgnbd::Params),
    /// MBG/NBD.
    Mbg(bgnbd::Params),
    /// Pareto/NBD.
    Pareto(paretonbd::Params),
}

impl Purchase {
    /// P(alive | x, t_x, T).
    pub fn p_alive(&self, c: &bgnbd::Customer) -> f64 {
        match self {
            Purchase::Bg(p) => bgnbd::p_alive(p, c),
            Purchase::Mbg(p) => bgnbd::p_alive_of(p, c, bgnbd::Variant::Modified),
            Purchase::Pareto(p) => paretonbd::p_alive(p, c),
        }
    }

    /// P(alive) as the expectations use it (for the BG families `a` moved off 1, see
    /// [`bgnbd::p_alive_nudged`]).
    pub fn p_alive_nudged(&self, c: &bgnbd::Customer) -> f64 {
        match self {
            Purchase::Bg(p) => bgnbd::p_alive_nudged(p, c),
            Purchase::Mbg(p) => bgnbd::p_alive_nudged_of(p, c, bgnbd::Variant::Modified),
            Purchase::Pareto(p) => paretonbd::p_alive(p, c),
        }
    }

    /// Expected purchases in the next `ts` time units of a customer still alive (x repeat
    /// purchases, age `t_age`), written to `out`.
    pub fn expected_if_alive(&self, x: f64, t_age: f64, ts: &[f64], out: &mut [f64]) {
        match self {
            Purchase::Bg(p) => bgnbd::expected_if_alive(p, x, t_age, ts, out),
            Purchase::Mbg(p) => {
                bgnbd::expected_if_alive_of(p, x, t_age, ts, out, bgnbd::Variant::Modified)
            }
            Purchase::Pareto(p) => paretonbd::expected_if_alive(p, x, t_age, ts, out),
        }
    }

    /// Expected purchases in the next `t` time units given the history: P(alive) × if alive.
    pub fn expected_purchases(&self, c: &bgnbd::Customer, t: f64) -> f64 {
        let mut out = [0.0];
        self.expected_if_alive(c.x, c.t, &[t], &mut out);
        out[0] * self.p_alive_nudged(c)
    }
}

impl ModelKind {
    /// The summary key of the family (`bgnbd`, `mbgnbd`, `paretonbd`; `auto` for auto).
    pub fn key(self) -> &'static str {
        match self {
            ModelKind::Bgnbd => "bgnbd",
            ModelKind::Mbgnbd => "mbgnbd",
            ModelKind::Paretonbd => "paretonbd",
            ModelKind::Auto => "auto",
        }
    }

    /// The family's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::Bgnbd => "BG/NBD",
            ModelKind::Mbgnbd => "MBG/NBD",
            ModelKind::Paretonbd => "Pareto/NBD",
            ModelKind::Auto => "auto",
        }
    }
}

/// One family fitted: its parameters' summary, the usable model (none when the fit is not usable,
/// with the reason), and the numbers `auto` compares.
struct Tried {
    kind: ModelKind,
    /// `summary.model.<kind>` (absent when nothing could be fitted at all).
    json: Option<serde_json::Value>,
    model: Option<Purchase>,
    reason: Option<Message>,
    log_likelihood: f64,
    /// Bayesian information criterion: k ln n − 2 ln L (k = 4 parameters, n customers).
    bic: f64,
}

impl Tried {
    fn fit(kind: ModelKind, h: &Histories, dpu: f64, n: f64) -> Tried {
        let empty = |reason| Tried {
            kind,
            json: None,
            model: None,
            reason: Some(reason),
            log_likelihood: f64::NAN,
            bic: f64::NAN,
        };
        let fitted: Option<(Purchase, f64, bool, usize, f64)> = match kind {
            ModelKind::Bgnbd | ModelKind::Mbgnbd | ModelKind::Auto => {
                let variant = if kind == ModelKind::Mbgnbd {
                    bgnbd::Variant::Modified
                } else {
                    bgnbd::Variant::Bg
                };
                bgnbd::fit_distinct_of(&h.days, &h.counts, dpu, variant).map(|f| {
                    let m = if kind == ModelKind::Mbgnbd {
                        Purchase::Mbg(f.params)
                    } else {
                        Purchase::Bg(f.params)
                    };
                    (
                        m,
                        f.log_likelihood,
                        f.converged,
                        f.iterations,
                        f.gradient_norm,
                    )
                })
            }
            ModelKind::Paretonbd => paretonbd::fit_distinct(&h.days, &h.counts, dpu).map(|f| {
                (
                    Purchase::Pareto(f.params),
                    f.log_likelihood,
                    f.converged,
                    f.iterations,
                    f.gradient_norm,
                )
            }),
        };
        let Some((model, ll, converged, iterations, gradient)) = fitted else {
            return empty(Message::NoTimeToLearn);
        };
        let (names, mut json) = match model {
            Purchase::Bg(p) | Purchase::Mbg(p) => (
                [("r", p.r), ("alpha", p.alpha), ("a", p.a), ("b", p.b)],
                json!({ "r": round(p.r, 7), "alpha": round(p.alpha, 7), "a": round(p.a, 7), "b": round(p.b, 7) }),
            ),
            Purchase::Pareto(p) => (
                [("r", p.r), ("alpha", p.alpha), ("s", p.s), ("beta", p.beta)],
                json!({ "r": round(p.r, 7), "alpha": round(p.alpha, 7), "s": round(p.s, 7), "beta": round(p.beta, 7) }),
            ),
        };
        json["logLikelihood"] = json!(round(ll, 10));
        json["converged"] = json!(converged);
        json["iterations"] = json!(iterations);
        let reason = unusable(kind.name(), &names, converged, ll, iterations, gradient);
        let bic = 4.0 * ln(n) - 2.0 * ll;
        Tried {
            kind,
            model: reason.is_none().then_some(model),
            json: Some(json),
            reason,
            log_likelihood: ll,
            bic,
        }
    }
}

/// The usable fit with the lowest BIC (ties: the order tried, BG/NBD first).
fn choose(tried: &[Tried]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, t) in tried.iter().enumerate() {
        if t.model.is_none() || !t.bic.is_finite() {
            continue;
        }
        if best.is_none_or(|b| t.bic < tried[b].bic) {
            best = Some(i);
        }
    }
    best
}

/// `summary.model.auto`: each family's log-likelihood and BIC (or why it is not usable), the chosen
/// one and why.
fn auto_json(tried: &[Tried], pick: Option<usize>) -> serde_json::Value {
    let candidates: Vec<serde_json::Value> = tried
        .iter()
        .map(|t| {
            let mut j = json!({ "kind": t.kind.key() });
            if t.log_likelihood.is_finite() {
                j["logLikelihood"] = json!(round(t.log_likelihood, 10));
                j["bic"] = json!(round(t.bic, 10));
            }
            if let Some(r) = &t.reason {
                j["notUsable"] = json!(r.en());
                j["notUsableCode"] = json!(r);
            }
            j
        })
        .collect();
    let why = pick.map(|i| {
        let t = &tried[i];
        let next = tried
            .iter()
            .enumerate()
            .filter(|(j, o)| *j != i && o.model.is_some() && o.bic.is_finite())
            .min_by(|a, b| a.1.bic.total_cmp(&b.1.bic))
            .map(|(_, o)| o);
        Message::ModelChosen {
            model: t.kind.name().to_string(),
            runner_up: next
                .map_or_else(|| "none usable".to_string(), |o| o.kind.name().to_string()),
            margin: next.map_or_else(|| "–".to_string(), |o| format!("{:.2}", o.bic - t.bic)),
        }
    });
    json!({
        "chosen": pick.map(|i| tried[i].kind.key()),
        "candidates": candidates,
        "why": why.as_ref().map(|w| w.en()),
        "whyCode": why,
    })
}
