//! The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987): purchases while alive follow a
//! Poisson process with rate λ ~ Gamma(r, α); each customer's lifetime is exponential with rate
//! μ ~ Gamma(s, β), so a customer may drop out at any time, one-time buyers included. Fitted by
//! maximum likelihood on each customer's (x, t_x, T) in the model's time unit.
//!
//! The likelihood is the ₂F₁ form of Fader & Hardie's note "A Note on Deriving the Pareto/NBD
//! Model and Related Expressions" (2005), computed in logs: the two terms of A₀ and the "alive"
//! term are combined with log-sum-exp, so large x or T neither overflow nor underflow.

use super::bgnbd::{Customer, Grouped};
use super::special::{
    digamma, exp, exp_m1, hyp2f1, ln, ln_1p, ln_gamma, ln_hyp2f1_next_with_gradient,
};

/// Pareto/NBD parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Shape of the purchase-rate Gamma.
    pub r: f64,
    /// Scale (rate) of the purchase-rate Gamma, in time units.
    pub alpha: f64,
    /// Shape of the dropout-rate Gamma.
    pub s: f64,
    /// Scale (rate) of the dropout-rate Gamma, in time units.
    pub beta: f64,
}

/// ln[₂F₁(r+s+x, b; r+s+x+1; z(y)) / (scale + y)^(r+s+x)], one of the two terms of A₀ (at y = t_x
/// and y = T); the larger of α and β decides the form (both are exact; this one keeps z in [0, 1)).
fn a0_term(p: &Params, x: f64, y: f64) -> f64 {
    let rsx = p.r + p.s + x;
    let (scale, b, diff) = if p.alpha >= p.beta {
        (p.alpha, p.s + 1.0, p.alpha - p.beta)
    } else {
        (p.beta, p.r + x, p.beta - p.alpha)
    };
    let f = hyp2f1(rsx, b, rsx + 1.0, diff / (scale + y));
    ln(f) - rsx * ln(scale + y)
}

/// ln A₀ of the note (eq. 19/20) for a customer: the dropout part of the likelihood, ln 0 = −∞
/// when t_x = T (then the customer cannot have dropped out between the last purchase and T).
fn ln_a0(p: &Params, c: &Customer) -> f64 {
    ln_a0_of(a0_term(p, c.x, c.t_x), a0_term(p, c.x, c.t))
}

/// ln A₀ = ln(e^u1 − e^u2) from the two terms of [`a0_term`].
fn ln_a0_of(u1: f64, u2: f64) -> f64 {
    if u1.is_nan() || u2.is_nan() {
        return f64::NAN;
    }
    if u1 <= u2 {
        // t_x = T, or a difference below the arithmetic's resolution
        return f64::NEG_INFINITY;
    }
    // ln(e^u1 − e^u2) = u1 + ln(1 − e^(u2 − u1))
    u1 + ln(-exp_m1(u2 - u1))
}

/// ln(e^a + e^b) without overflow.
fn ln_add(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
    if lo == f64::NEG_INFINITY {
        return hi;
    }
    hi + ln_1p(exp(lo - hi))
}

/// The "alive" term ln[(α+T)^−(r+x) (β+T)^−s] and the "dropped out" term ln[s/(r+s+x) · A₀].
fn terms(p: &Params, c: &Customer) -> (f64, f64) {
    let alive = -(p.r + c.x) * ln(p.alpha + c.t) - p.s * ln(p.beta + c.t);
    let dropped = ln(p.s / (p.r + p.s + c.x)) + ln_a0(p, c);
    (alive, dropped)
}

/// Log-likelihood of one customer:
/// ln Γ(r+x) − ln Γ(r) + r ln α + s ln β + ln[(α+T)^−(r+x) (β+T)^−s + s/(r+s+x) · A₀].
pub fn log_likelihood(p: &Params, c: &Customer) -> f64 {
    let (alive, dropped) = terms(p, c);
    ln_gamma(p.r + c.x) - ln_gamma(p.r)
        + p.r * ln(p.alpha)
        + p.s * ln(p.beta)
        + ln_add(alive, dropped)
}

/// Sum of log-likelihoods over grouped customers (the groups of [`Grouped`]; its variant is not
/// used). The ₂F₁ terms depend on (x, y) only, so each is computed once per distinct pair of x and
/// a time value (the groups come sorted by x).
pub fn grouped_log_likelihood(g: &Grouped, p: &Params) -> f64 {
    let ln_a: Vec<f64> = g.ts.iter().map(|&t| ln(p.alpha + t)).collect();
    let ln_b: Vec<f64> = g.ts.iter().map(|&t| ln(p.beta + t)).collect();
    // the A₀ terms of the current x by time index; `seen[i] == stamp` marks the computed ones
    let mut cache = vec![0.0; g.ts.len()];
    let mut seen = vec![u32::MAX; g.ts.len()];
    let mut term = |xi: u32, ti: u32, x: f64| {
        let i = ti as usize;
        if seen[i] != xi {
            cache[i] = a0_term(p, x, g.ts[i]);
            seen[i] = xi;
        }
        cache[i]
    };
    let constant = -ln_gamma(p.r) + p.r * ln(p.alpha) + p.s * ln(p.beta);
    let mut ll = 0.0;
    // per x: ln Γ(r+x) and ln(s/(r+s+x))
    let mut by_x = (u32::MAX, 0.0, 0.0);
    for &(xi, txi, ti, w) in &g.groups {
        let x = g.xs[xi as usize];
        if by_x.0 != xi {
            by_x = (xi, ln_gamma(p.r + x), ln(p.s / (p.r + p.s + x)));
        }
        let alive = -(p.r + x) * ln_a[ti as usize] - p.s * ln_b[ti as usize];
        let dropped = by_x.2 + ln_a0_of(term(xi, txi, x), term(xi, ti, x));
        ll += w * (constant + by_x.1 + ln_add(alive, dropped));
    }
    ll
}

/// [`a0_term`] and its gradient with respect to (r, α, s, β).
fn a0_term_with_gradient(p: &Params, x: f64, y: f64) -> (f64, [f64; 4]) {
    let rsx = p.r + p.s + x;
    if p.alpha >= p.beta {
        // z = (α − β)/(α + y), b = s + 1
        let ay = p.alpha + y;
        let z = (p.alpha - p.beta) / ay;
        let [f, fa, fb, fz] = ln_hyp2f1_next_with_gradient(rsx, p.s + 1.0, z);
        let l = ln(ay);
        (
            f - rsx * l,
            [
                fa - l,
                fz * (p.beta + y) / (ay * ay) - rsx / ay,
                fa + fb - l,
                -fz / ay,
            ],
        )
    } else {
        // z = (β − α)/(β + y), b = r + x
        let by = p.beta + y;
        let z = (p.beta - p.alpha) / by;
        let [f, fa, fb, fz] = ln_hyp2f1_next_with_gradient(rsx, p.r + x, z);
        let l = ln(by);
        (
            f - rsx * l,
            [
                fa + fb - l,
                -fz / by,
                fa - l,
                fz * (p.alpha + y) / (by * by) - rsx / by,
            ],
        )
    }
}

/// [`grouped_log_likelihood`] and its gradient with respect to (r, α, s, β), in one pass: what the
/// fit minimises. The ₂F₁ terms and their derivatives come from one series each
/// ([`ln_hyp2f1_next_with_gradient`]), computed once per distinct pair of x and a time value, so a
/// gradient costs little more than a value (central differences took nine values).
pub fn grouped_log_likelihood_with_gradient(g: &Grouped, p: &Params) -> (f64, [f64; 4]) {
    let add = |acc: &mut [f64; 4], w: f64, d: &[f64; 4]| {
        for (a, d) in acc.iter_mut().zip(d) {
            *a += w * d;
        }
    };
    // per time value: ln(α+t), ln(β+t), 1/(α+t), 1/(β+t)
    let per_t: Vec<[f64; 4]> =
        g.ts.iter()
            .map(|&t| {
                [
                    ln(p.alpha + t),
                    ln(p.beta + t),
                    1.0 / (p.alpha + t),
                    1.0 / (p.beta + t),
                ]
            })
            .collect();
    let mut cache = vec![(0.0, [0.0; 4]); g.ts.len()];
    let mut seen = vec![u32::MAX; g.ts.len()];
    let mut term = |xi: u32, ti: u32, x: f64| {
        let i = ti as usize;
        if seen[i] != xi {
            cache[i] = a0_term_with_gradient(p, x, g.ts[i]);
            seen[i] = xi;
        }
        cache[i]
    };
    // the constant −ln Γ(r) + r ln α + s ln β, per customer
    let constant = -ln_gamma(p.r) + p.r * ln(p.alpha) + p.s * ln(p.beta);
    let d_constant = [
        -digamma(p.r) + ln(p.alpha),
        p.r / p.alpha,
        ln(p.beta),
        p.s / p.beta,
    ];
    let (mut ll, mut grad) = (0.0, [0.0; 4]);
    // per x: ln Γ(r+x), ψ(r+x), ln(s/(r+s+x)), 1/(r+s+x)
    let mut by_x = (u32::MAX, [0.0; 4]);
    for &(xi, txi, ti, w) in &g.groups {
        let x = g.xs[xi as usize];
        if by_x.0 != xi {
            let rsx = p.r + p.s + x;
            by_x = (
                xi,
                [
                    ln_gamma(p.r + x),
                    digamma(p.r + x),
                    ln(p.s / rsx),
                    1.0 / rsx,
                ],
            );
        }
        let [lg, psi, ln_share, inv_rsx] = by_x.1;
        let [la, lb, ia, ib] = per_t[ti as usize];
        let alive = -(p.r + x) * la - p.s * lb;
        let d_alive = [-la, -(p.r + x) * ia, -lb, -p.s * ib];
        let (u1, du1) = term(xi, txi, x);
        let (u2, du2) = term(xi, ti, x);
        let a0 = ln_a0_of(u1, u2);
        ll += w * (constant + lg + ln_add(alive, ln_share + a0));
        add(&mut grad, w, &d_constant);
        grad[0] += w * psi;
        if a0 == f64::NEG_INFINITY {
            add(&mut grad, w, &d_alive); // t_x = T: the alive term alone
            continue;
        }
        // ln A₀ = u1 + ln(1 − q), q = e^(u2 − u1): d ln A₀ = (du1 − q du2) / (1 − q)
        let q = exp(u2 - u1);
        let mut d_dropped = [0.0; 4];
        for i in 0..4 {
            d_dropped[i] = (du1[i] - q * du2[i]) / (1.0 - q);
        }
        d_dropped[0] -= inv_rsx;
        d_dropped[2] += 1.0 / p.s - inv_rsx;
        // ln_add's weights: the share of each term in e^alive + e^dropped
        let diff = ln_share + a0 - alive;
        let w_dropped = if diff > 0.0 {
            1.0 / (1.0 + exp(-diff))
        } else {
            let e = exp(diff);
            e / (1.0 + e)
        };
        for i in 0..4 {
            grad[i] += w * ((1.0 - w_dropped) * d_alive[i] + w_dropped * d_dropped[i]);
        }
    }
    (ll, grad)
}

/// P(alive | x, t_x, T) = 1 / (1 + s/(r+s+x) · (α+T)^(r+x) (β+T)^s · A₀).
pub fn p_alive(p: &Params, c: &Customer) -> f64 {
    let (alive, dropped) = terms(p, c);
    let d = dropped - alive;
    if d.is_nan() {
        return f64::NAN;
    }
    // 1 / (1 + e^d), without overflow
    if d > 0.0 {
        let e = exp(-d);
        e / (1.0 + e)
    } else {
        1.0 / (1.0 + exp(d))
    }
}

/// Expected purchases in the next `ts` time units of a customer still alive with x repeat purchases
/// and age T: (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)], written as
/// (r+x)/(α+T) · (β+T) · (1 − e^(−(s−1)L)) / (s−1) with L = ln((β+T+t)/(β+T)), which tends to
/// (r+x)/(α+T) · (β+T) · L at s = 1 (no singularity). Times P(alive) it is the conditional
/// expectation of Schmittlein et al. (1987).
pub fn expected_if_alive(p: &Params, x: f64, t_age: f64, ts: &[f64], out: &mut [f64]) {
    let rate = (p.r + x) / (p.alpha + t_age);
    let bt = p.beta + t_age;
    let s1 = p.s - 1.0;
    for (&t, o) in ts.iter().zip(out.iter_mut()) {
        if t <= 0.0 {
            *o = 0.0;
            continue;
        }
        let l = ln_1p(t / bt);
        let per = if s1.abs() < 1e-12 {
            l
        } else {
            -exp_m1(-s1 * l) / s1
        };
        *o = rate * bt * per;
    }
}

/// Expected purchases of a new customer in `t` time units after the first:
/// rβ / (α(s−1)) · [1 − (β/(β+t))^(s−1)].
pub fn unconditional_expected(p: &Params, t: f64) -> f64 {
    let mut out = [0.0];
    expected_if_alive(p, 0.0, 0.0, &[t], &mut out);
    out[0]
}

/// The outcome of [`fit_distinct`] (α and β in the data's time unit).
pub type Fit = super::Fit<Params>;

/// Fits the model to distinct histories in whole days (x, t_x days, T days; sorted) with their
/// customer counts, in units of `days_per_unit` days. As for BG/NBD, time is rescaled so that the
/// largest T is 10 and the log parameters start from 0; the gradient is analytic
/// ([`grouped_log_likelihood_with_gradient`]).
pub fn fit_distinct(
    distinct: &[(u32, i32, i32)],
    counts: &[u32],
    days_per_unit: f64,
) -> Option<Fit> {
    let max_t = distinct.iter().map(|r| r.2).max()? as f64 / days_per_unit;
    if max_t.is_nan() || max_t <= 0.0 {
        return None;
    }
    let scale = 10.0 / max_t;
    let at = |theta: &[f64]| Params {
        r: exp(theta[0]),
        alpha: exp(theta[1]),
        s: exp(theta[2]),
        beta: exp(theta[3]),
    };
    let minimise =
        |distinct: &[(u32, i32, i32)], counts: &[u32], start: [f64; 4], h: Option<&[f64]>| {
            let scaled = Grouped::from_distinct(distinct, counts, days_per_unit / scale);
            let n = scaled.n;
            let mut objective = |theta: &[f64], g: &mut [f64]| {
                let p = at(theta);
                let (ll, d) = grouped_log_likelihood_with_gradient(&scaled, &p);
                // d/dθ of −ll/n with θ = ln(parameter)
                for (i, v) in [p.r, p.alpha, p.s, p.beta].into_iter().enumerate() {
                    g[i] = -d[i] * v / n;
                }
                -ll / n
            };
            super::optim::bfgs_from(&mut objective, &start, h)
        };
    // many histories: start from the fit to a sample of them, as for BG/NBD
    let m = super::optim::minimise_warm(distinct, counts, &minimise);
    let params = Params {
        r: exp(m.x[0]),
        alpha: exp(m.x[1]) / scale,
        s: exp(m.x[2]),
        beta: exp(m.x[3]) / scale,
    };
    let unscaled = Grouped::from_distinct(distinct, counts, days_per_unit);
    Some(Fit {
        log_likelihood: grouped_log_likelihood(&unscaled, &params),
        params,
        converged: m.converged,
        iterations: m.iterations,
        gradient_norm: m.gradient_norm,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The two forms of A₀ (α ≥ β and α < β) are the same function: near α = β both must agree
    /// with the limit, and P(alive) lies in (0, 1].
    #[test]
    fn both_forms_agree_near_alpha_equal_beta() {
        let c = Customer {
            x: 3.0,
            t_x: 20.0,
            t: 38.0,
        };
        let p = |alpha: f64, beta: f64| Params {
            r: 0.55,
            alpha,
            s: 0.6,
            beta,
        };
        let below = log_likelihood(&p(10.0, 10.0 + 1e-7), &c);
        let above = log_likelihood(&p(10.0 + 1e-7, 10.0), &c);
        assert!((below - above).abs() < 1e-6, "{below} {above}");
        for (a, b) in [(10.0, 12.0), (12.0, 10.0), (0.1, 50.0), (50.0, 0.1)] {
            let pa = p_alive(&p(a, b), &c);
            assert!(pa > 0.0 && pa <= 1.0, "{a} {b}: {pa}");
        }
        // t_x = T: the customer bought at the end, so P(alive) = 1
        let now = Customer { t_x: 38.0, ..c };
        assert_eq!(p_alive(&p(10.0, 12.0), &now), 1.0);
    }

    /// The analytic gradient the fit uses equals central differences of the value, and the value
    /// equals [`grouped_log_likelihood`], in both forms of A₀ (α > β, α < β), near α = β, with
    /// one-time buyers (x = 0, t_x = 0), a purchase on the last day (t_x = T) and long histories.
    #[test]
    fn the_gradient_is_the_derivative_of_the_likelihood() {
        // (x, t_x days, T days) and counts
        let distinct = [
            (0, 0, 10),
            (0, 0, 250),
            (0, 0, 272),
            (1, 12, 272),
            (2, 213, 272),
            (3, 90, 90),
            (7, 206, 272),
            (25, 260, 270),
            (140, 900, 1000),
        ];
        let counts = [40, 900, 300, 80, 20, 5, 9, 2, 1];
        let g = Grouped::from_distinct(&distinct, &counts, 7.0);
        for (r, alpha, s, beta) in [
            (0.55, 10.58, 0.61, 11.67),
            (0.55, 11.67, 0.61, 10.58),
            (0.3, 2.0, 1.7, 40.0),
            (2.5, 40.0, 0.2, 0.5),
            (0.8, 5.0, 0.9, 5.0 + 1e-9),
            (0.24, 4.4, 1.0, 4.4),
        ] {
            let p = Params { r, alpha, s, beta };
            let (ll, d) = grouped_log_likelihood_with_gradient(&g, &p);
            let want = grouped_log_likelihood(&g, &p);
            assert!(
                (ll - want).abs() <= 1e-12 * want.abs(),
                "{p:?}: {ll} vs {want}"
            );
            let v = [r, alpha, s, beta];
            for i in 0..4 {
                let h = 1e-6 * v[i];
                let at = |delta: f64| {
                    let mut w = v;
                    w[i] += delta;
                    let q = Params {
                        r: w[0],
                        alpha: w[1],
                        s: w[2],
                        beta: w[3],
                    };
                    grouped_log_likelihood(&g, &q)
                };
                let numeric = (at(h) - at(-h)) / (2.0 * h);
                let tol = 1e-6 * numeric.abs().max(1.0);
                assert!(
                    (d[i] - numeric).abs() <= tol,
                    "{p:?} parameter {i}: {} vs {numeric}",
                    d[i]
                );
            }
        }
    }
}
