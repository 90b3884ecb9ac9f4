//! The BG/NBD model (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way"): purchases
//! while alive follow a Poisson process with rate λ ~ Gamma(r, α); after each repeat purchase the
//! customer drops out with probability p ~ Beta(a, b). Fitted by maximum likelihood on each
//! customer's (x, t_x, T): repeat purchase days, time of the last purchase and age since the first,
//! in the model's time unit.
//!
//! The same code fits the MBG/NBD model (Batislam, Denizel & Filiztekin 2007), [`Variant::Modified`]:
//! there a customer may also drop out right after the first purchase, so a one-time buyer's P(alive)
//! is below 1 and falls with the time since the purchase. Its formulas are the BG/NBD ones with b
//! replaced by b + 1 in the purchase terms and the dropout term present for x = 0 too.

use super::special::{digamma, exp, exp_m1, hyp2f1, ln, ln_1p, ln_gamma, pow};

/// BG/NBD parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Shape of the purchase-rate Gamma.
    pub r: f64,
    /// Scale (rate) of the purchase-rate Gamma, in time units.
    pub alpha: f64,
    /// Dropout Beta a.
    pub a: f64,
    /// Dropout Beta b.
    pub b: f64,
}

/// One customer's repeat-purchase summary, in time units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Customer {
    /// Repeat purchases (purchase days − 1).
    pub x: f64,
    /// Time from the first to the last purchase.
    pub t_x: f64,
    /// Time from the first purchase to the analysis date.
    pub t: f64,
}

/// Which of the two models: when a customer may drop out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Variant {
    /// BG/NBD: after each repeat purchase only (a one-time buyer is alive for sure).
    #[default]
    Bg,
    /// MBG/NBD: after every purchase, the first included.
    Modified,
}

impl Variant {
    /// The shift of b in the purchase terms: 0 for BG/NBD, 1 for MBG/NBD.
    #[inline]
    fn k(self) -> f64 {
        match self {
            Variant::Bg => 0.0,
            Variant::Modified => 1.0,
        }
    }

    /// Whether a customer with `x` repeat purchases may have dropped out after the last one.
    #[inline]
    fn may_drop(self, x: f64) -> bool {
        x > 0.0 || self == Variant::Modified
    }
}

/// ln A1·A2: the part of a customer's log-likelihood that depends only on x (BG/NBD:
/// ln Γ(b+x) − ln Γ(b) + ln Γ(a+b) − ln Γ(a+b+x); MBG/NBD: b + x + 1 and a + b + x + 1 instead).
fn by_x(p: &Params, x: f64, v: Variant) -> f64 {
    let k = v.k();
    ln_gamma(p.r + x) - ln_gamma(p.r) + p.r * ln(p.alpha) + ln_gamma(p.b + x + k) - ln_gamma(p.b)
        + ln_gamma(p.a + p.b)
        - ln_gamma(p.a + p.b + x + k)
}

/// ln(1 + a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)) and its second term's share, for x > 0 (MBG/NBD:
/// a/(b+x), for every x).
#[inline]
fn dropout_terms(p: &Params, x: f64, ln_at: f64, ln_atx: f64, v: Variant) -> (f64, f64) {
    if !v.may_drop(x) {
        return (0.0, 0.0);
    }
    // ln of the ratio of the "died after the last purchase" term to the "alive" term
    // (b + (x − 1): exact for integer x, where (b + x) − 1 loses a tiny b)
    let d = ln(p.a) - ln(p.b + (x - 1.0 + v.k())) + (p.r + x) * (ln_at - ln_atx);
    // ln(1 + e^d) and e^d / (1 + e^d), without overflow
    if d > 0.0 {
        (d + ln_1p(exp(-d)), 1.0 / (1.0 + exp(-d)))
    } else {
        let e = exp(d);
        (ln_1p(e), e / (1.0 + e))
    }
}

/// Log-likelihood of one customer (FHL 2005, eq. 6):
/// ln[A1 · A2 · (A3 + δ(x>0) A4)].
pub fn log_likelihood(p: &Params, c: &Customer) -> f64 {
    log_likelihood_of(p, c, Variant::Bg)
}

/// [`log_likelihood`] of either model (MBG/NBD: Batislam et al. 2007, eq. 6).
pub fn log_likelihood_of(p: &Params, c: &Customer, v: Variant) -> f64 {
    let ln_at = ln(p.alpha + c.t);
    let ln_atx = ln(p.alpha + c.t_x);
    let (l, _) = dropout_terms(p, c.x, ln_at, ln_atx, v);
    by_x(p, c.x, v) - (p.r + c.x) * ln_at + l
}

/// Customers grouped for fitting: identical (x, t_x, T) share a weight, and the distinct x, t_x
/// and T values are shared further, so one evaluation costs one exponential per group plus the
/// special functions per distinct x.
#[derive(Debug, Clone, Default)]
pub struct Grouped {
    /// Distinct x values.
    pub xs: Vec<f64>,
    /// Distinct T values and distinct t_x values (time units).
    pub ts: Vec<f64>,
    /// (index into `xs`, index into `ts` for t_x, index into `ts` for T, weight).
    pub groups: Vec<(u32, u32, u32, f64)>,
    /// Total weight (customers).
    pub n: f64,
    /// The model the likelihood is of (BG/NBD unless set).
    pub variant: Variant,
}

/// The distinct histories of `rows`, sorted, with how many rows each.
fn distinct_histories(rows: &[(u32, i32, i32)]) -> (Vec<(u32, i32, i32)>, Vec<u32>) {
    let mut rows = rows.to_vec();
    rows.sort_unstable();
    let mut distinct = Vec::new();
    let mut counts = Vec::new();
    for w in rows.chunk_by(|a, b| a == b) {
        distinct.push(w[0]);
        counts.push(w.len() as u32);
    }
    (distinct, counts)
}

impl Grouped {
    /// Groups customers given in whole days (x, t_x days, T days), scaled to time units by
    /// `days_per_unit` (days per unit, times any fitting scale).
    pub fn from_days(rows: &[(u32, i32, i32)], days_per_unit: f64) -> Grouped {
        let (distinct, counts) = distinct_histories(rows);
        Grouped::from_distinct(&distinct, &counts, days_per_unit)
    }

    /// Groups distinct histories (sorted, in whole days) with their customer counts.
    pub fn from_distinct(
        distinct: &[(u32, i32, i32)],
        counts: &[u32],
        days_per_unit: f64,
    ) -> Grouped {
        let mut xs: Vec<u32> = distinct.iter().map(|r| r.0).collect();
        xs.sort_unstable();
        xs.dedup();
        let mut days: Vec<i32> = distinct.iter().flat_map(|r| [r.1, r.2]).collect();
        days.sort_unstable();
        days.dedup();
        let groups: Vec<(u32, u32, u32, f64)> = distinct
            .iter()
            .zip(counts)
            .map(|(&(x, tx, t), &w)| {
                let at = |v: i32| days.binary_search(&v).unwrap_or(0) as u32;
                let xi = xs.binary_search(&x).unwrap_or(0) as u32;
                (xi, at(tx), at(t), w as f64)
            })
            .collect();
        Grouped {
            xs: xs.iter().map(|&x| x as f64).collect(),
            ts: days.iter().map(|&d| d as f64 / days_per_unit).collect(),
            n: counts.iter().map(|&c| c as f64).sum(),
            groups,
            variant: Variant::Bg,
        }
    }

    /// The same groups, for the likelihood of model `v`.
    pub fn with_variant(mut self, v: Variant) -> Grouped {
        self.variant = v;
        self
    }

    /// Sum of log-likelihoods at `p`, and (when `grad` is given) its gradient with respect to
    /// (ln r, ln α, ln a, ln b).
    pub fn log_likelihood(&self, p: &Params, grad: Option<&mut [f64; 4]>) -> f64 {
        let want = grad.is_some();
        let variant = self.variant;
        let k = variant.k();
        // per distinct x: the x-only part and its derivatives
        let per_x: Vec<[f64; 4]> = self
            .xs
            .iter()
            .map(|&x| {
                let v = by_x(p, x, variant);
                if !want {
                    return [v, 0.0, 0.0, 0.0];
                }
                let ab = digamma(p.a + p.b) - digamma(p.a + p.b + x + k);
                [
                    v,
                    digamma(p.r + x) - digamma(p.r) + ln(p.alpha),
                    ab,
                    digamma(p.b + x + k) - digamma(p.b) + ab,
                ]
            })
            .collect();
        let lns: Vec<f64> = self.ts.iter().map(|&t| ln(p.alpha + t)).collect();
        let inv: Vec<f64> = if want {
            self.ts.iter().map(|&t| 1.0 / (p.alpha + t)).collect()
        } else {
            Vec::new()
        };
        let (mut ll, mut dr, mut dal, mut da, mut db) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for &(xi, txi, ti, w) in &self.groups {
            let x = self.xs[xi as usize];
            let (ln_at, ln_atx) = (lns[ti as usize], lns[txi as usize]);
            let (l, w4) = dropout_terms(p, x, ln_at, ln_atx, variant);
            let px = &per_x[xi as usize];
            ll += w * (px[0] - (p.r + x) * ln_at + l);
            if want {
                let w3 = 1.0 - w4;
                dr += w * (px[1] - w3 * ln_at - w4 * ln_atx);
                dal += w
                    * (p.r / p.alpha
                        - (p.r + x) * (w3 * inv[ti as usize] + w4 * inv[txi as usize]));
                da += w * (px[2] + w4 / p.a);
                let bx = if variant.may_drop(x) {
                    w4 / (p.b + (x - 1.0 + k))
                } else {
                    0.0
                };
                db += w * (px[3] - bx);
            }
        }
        if let Some(g) = grad {
            *g = [dr * p.r, dal * p.alpha, da * p.a, db * p.b];
        }
        ll
    }
}

/// The outcome of [`fit`] (α in the data's time unit, the log-likelihood in it too).
pub type Fit = super::Fit<Params>;

/// Fits the model to customers given in whole days (x, t_x days, T days), measured in units of
/// `days_per_unit` days. Time is rescaled for the optimiser so that the largest T is 10 (the
/// `lifetimes` convention; it keeps α near 1), the parameters are optimised on the log scale from
/// (1, 1, 1, 1), and α and the log-likelihood are reported in the requested unit.
pub fn fit(rows: &[(u32, i32, i32)], days_per_unit: f64) -> Option<Fit> {
    let (distinct, counts) = distinct_histories(rows);
    fit_distinct(&distinct, &counts, days_per_unit)
}

/// Histories in the sample a large fit starts from ([`fit_distinct`]).
pub const WARM_START_SAMPLE: usize = super::optim::WARM_START_SAMPLE;

/// [`fit`] on distinct histories (sorted) with their customer counts.
pub fn fit_distinct(
    distinct: &[(u32, i32, i32)],
    counts: &[u32],
    days_per_unit: f64,
) -> Option<Fit> {
    fit_distinct_of(distinct, counts, days_per_unit, Variant::Bg)
}

/// [`fit_distinct`] of either model.
pub fn fit_distinct_of(
    distinct: &[(u32, i32, i32)],
    counts: &[u32],
    days_per_unit: f64,
    variant: Variant,
) -> Option<Fit> {
    let max_t = distinct.iter().map(|r| r.2).max()? as f64 / days_per_unit;
    if max_t.is_nan() || max_t <= 0.0 {
        return None;
    }
    let scale = 10.0 / max_t;
    let minimise =
        |distinct: &[(u32, i32, i32)], counts: &[u32], start: [f64; 4], h: Option<&[f64]>| {
            let scaled = Grouped::from_distinct(distinct, counts, days_per_unit / scale)
                .with_variant(variant);
            let n = scaled.n;
            let mut objective = |theta: &[f64], g: &mut [f64]| {
                let p = Params {
                    r: exp(theta[0]),
                    alpha: exp(theta[1]),
                    a: exp(theta[2]),
                    b: exp(theta[3]),
                };
                let mut grad = [0.0; 4];
                let ll = scaled.log_likelihood(&p, Some(&mut grad));
                for i in 0..4 {
                    g[i] = -grad[i] / n;
                }
                -ll / n
            };
            super::optim::bfgs_from(&mut objective, &start, h)
        };
    let m = super::optim::minimise_warm(distinct, counts, &minimise);
    let params = Params {
        r: exp(m.x[0]),
        alpha: exp(m.x[1]) / scale,
        a: exp(m.x[2]),
        b: exp(m.x[3]),
    };
    let unscaled = Grouped::from_distinct(distinct, counts, days_per_unit).with_variant(variant);
    Some(Fit {
        log_likelihood: unscaled.log_likelihood(&params, None),
        params,
        converged: m.converged,
        iterations: m.iterations,
        gradient_norm: m.gradient_norm,
    })
}

/// P(alive | x, t_x, T) = 1 / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)).
pub fn p_alive(p: &Params, c: &Customer) -> f64 {
    p_alive_of(p, c, Variant::Bg)
}

/// [`p_alive`] of either model (MBG/NBD: 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^(r+x)), for every x).
pub fn p_alive_of(p: &Params, c: &Customer, v: Variant) -> f64 {
    let (l, _) = dropout_terms(p, c.x, ln(p.alpha + c.t), ln(p.alpha + c.t_x), v);
    exp(-l)
}

/// Expected purchases in the next `t` time units given the customer's history (FHL 2005, eq. 10):
/// (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))] / (1 + δ …).
///
/// Computed through Euler's transformation, which turns the bracket into
/// 1 − (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z) with z = t/(α+T+t): the series then converges
/// faster as x grows instead of overflowing. At a = 1 exactly (a removable singularity) a is moved
/// by 1e-9.
pub fn expected_purchases(p: &Params, c: &Customer, t: f64) -> f64 {
    let mut out = [0.0];
    expected_purchases_at(p, c, &[t], &mut out);
    out[0]
}

/// [`expected_purchases`] at several horizons `ts` (written to `out`).
pub fn expected_purchases_at(p: &Params, c: &Customer, ts: &[f64], out: &mut [f64]) {
    expected_if_alive(p, c.x, c.t, ts, out);
    let alive = p_alive_nudged(p, c);
    out.iter_mut().for_each(|v| *v *= alive);
}

/// [`p_alive`] with `a` as [`expected_if_alive`] uses it (moved off 1 by 1e-9 at exactly 1), so that
/// their product is eq. 10.
pub fn p_alive_nudged(p: &Params, c: &Customer) -> f64 {
    p_alive_nudged_of(p, c, Variant::Bg)
}

/// [`p_alive_nudged`] of either model.
pub fn p_alive_nudged_of(p: &Params, c: &Customer, v: Variant) -> f64 {
    p_alive_of(
        &Params {
            a: nudged_a(p.a),
            ..*p
        },
        c,
        v,
    )
}

/// `a` moved off the removable singularity at 1.
fn nudged_a(a: f64) -> f64 {
    if (a - 1.0).abs() < 1e-9 {
        1.0 + 1e-9
    } else {
        a
    }
}

/// Expected purchases in the next `ts` time units of a customer still alive with x repeat purchases
/// and age T: eq. 10 without its P(alive) factor, (a+b+x−1)/(a−1) · [1 − (1−z)^(a−1) ₂F₁(…; z)].
/// It does not depend on t_x, so customers with the same x and T share it.
pub fn expected_if_alive(p: &Params, x: f64, t_age: f64, ts: &[f64], out: &mut [f64]) {
    expected_if_alive_of(p, x, t_age, ts, out, Variant::Bg)
}

/// [`expected_if_alive`] of either model: MBG/NBD's is BG/NBD's with b + 1 for b,
/// (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x+1; a+b+x; z)].
pub fn expected_if_alive_of(
    p: &Params,
    x: f64,
    t_age: f64,
    ts: &[f64],
    out: &mut [f64],
    v: Variant,
) {
    let p = &Params {
        b: p.b + v.k(),
        ..*p
    };
    let a = nudged_a(p.a);
    let factor = (a + p.b + x - 1.0) / (a - 1.0);
    for (&t, o) in ts.iter().zip(out.iter_mut()) {
        if t <= 0.0 {
            *o = 0.0;
            continue;
        }
        let z = t / (p.alpha + t_age + t);
        let f = hyp2f1(a + p.b - 1.0 - p.r, a - 1.0, a + p.b + x - 1.0, z);
        // 1 − (1−z)^(a−1) F, without cancellation when it is small: −expm1((a−1) ln(1−z) + ln F)
        let bracket = if f > 0.0 {
            -exp_m1((a - 1.0) * ln_1p(-z) + ln(f))
        } else {
            1.0 - pow(1.0 - z, a - 1.0) * f
        };
        *o = factor * bracket;
    }
}

/// Expected purchases of a new customer in `t` time units after the first (FHL 2005, eq. 9):
/// (a+b−1)/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))].
pub fn unconditional_expected(p: &Params, t: f64) -> f64 {
    unconditional_expected_of(p, t, Variant::Bg)
}

/// [`unconditional_expected`] of either model. MBG/NBD (the customer may also drop out right
/// after the first purchase): b/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b+1; a+b; t/(α+t))], where BG/NBD
/// has (a+b−1)/(a−1) and ₂F₁(r, b; a+b−1; …).
pub fn unconditional_expected_of(p: &Params, t: f64, v: Variant) -> f64 {
    let z = t / (p.alpha + t);
    let (factor, f) = match v {
        Variant::Bg => (
            (p.a + p.b - 1.0) / (p.a - 1.0),
            hyp2f1(p.r, p.b, p.a + p.b - 1.0, z),
        ),
        Variant::Modified => (p.b / (p.a - 1.0), hyp2f1(p.r, p.b + 1.0, p.a + p.b, z)),
    };
    factor * (1.0 - pow(p.alpha / (p.alpha + t), p.r) * f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gradient_matches_finite_differences() {
        let rows: Vec<(u32, i32, i32)> = (0..200)
            .map(|i| {
                let x = (i * 7 % 13) as u32;
                let t = 30 + (i * 37 % 500) as i32;
                let tx = if x == 0 {
                    0
                } else {
                    (i * 11 % t as usize) as i32
                };
                (x, tx, t)
            })
            .collect();
        for variant in [Variant::Bg, Variant::Modified] {
            let g = Grouped::from_days(&rows, 7.0).with_variant(variant);
            let at = |th: [f64; 4]| Params {
                r: exp(th[0]),
                alpha: exp(th[1]),
                a: exp(th[2]),
                b: exp(th[3]),
            };
            for th in [
                [0.1, 1.2, -0.3, 0.8],
                [-1.4, 1.5, -0.2, 0.9],
                [0.5, -0.5, 1.0, 2.0],
            ] {
                let mut grad = [0.0; 4];
                g.log_likelihood(&at(th), Some(&mut grad));
                for k in 0..4 {
                    let h = 1e-6;
                    let (mut up, mut down) = (th, th);
                    up[k] += h;
                    down[k] -= h;
                    let num = (g.log_likelihood(&at(up), None) - g.log_likelihood(&at(down), None))
                        / (2.0 * h);
                    assert!(
                        (num - grad[k]).abs() < 1e-5 * (1.0 + num.abs()),
                        "{variant:?} θ = {th:?}, k = {k}: analytic {} numeric {num}",
                        grad[k]
                    );
                }
            }
        }
    }
}
