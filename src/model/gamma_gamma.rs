//! The Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: Using Iso-Value Curves for
//! Customer Base Analysis"; the form `lifetimes` fits): a customer's transaction values are
//! Gamma(p, ν) with ν ~ Gamma(q, γ) across customers. Fitted on customers with x > 0 repeat purchases
//! and a positive mean repeat spend m.

use super::special::{digamma, exp, ln, ln_gamma};

/// Gamma-Gamma parameters (γ in money units).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Shape of each transaction's value.
    pub p: f64,
    /// Shape of the customers' ν.
    pub q: f64,
    /// Scale of the customers' ν, in money.
    pub gamma: f64,
}

/// Log-likelihood of the mean spend `m` over `x` transactions:
/// ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m + px ln x − (px+q) ln(γ + m x).
pub fn log_likelihood(p: &Params, x: f64, m: f64) -> f64 {
    let px = p.p * x;
    ln_gamma(px + p.q) - ln_gamma(px) - ln_gamma(p.q)
        + p.q * ln(p.gamma)
        + (px - 1.0) * ln(m)
        + px * ln(x)
        - (px + p.q) * ln(p.gamma + m * x)
}

/// The data for fitting: (x, m, ln m) sorted by x, and per distinct x its value, ln x and the range
/// of its rows (the Gamma-function terms depend on x only, so they are computed once per x).
struct Prepared {
    rows: Vec<(f64, f64, f64)>,
    xs: Vec<(f64, f64, std::ops::Range<usize>)>,
}

impl Prepared {
    /// The data with spend divided by `scale`.
    fn new(data: &[(f64, f64)], scale: f64) -> Prepared {
        let mut rows: Vec<(f64, f64, f64)> = data
            .iter()
            .map(|&(x, m)| (x, m / scale, ln(m / scale)))
            .collect();
        rows.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut xs = Vec::new();
        let mut start = 0;
        for i in 1..=rows.len() {
            if i == rows.len() || rows[i].0 != rows[start].0 {
                xs.push((rows[start].0, ln(rows[start].0), start..i));
                start = i;
            }
        }
        Prepared { rows, xs }
    }

    /// Sum of log-likelihoods and its gradient with respect to (ln p, ln q, ln γ).
    fn total(&self, p: &Params, g: &mut [f64; 3]) -> f64 {
        let (mut ll, mut dp, mut dq, mut dg) = (0.0, 0.0, 0.0, 0.0);
        let (lg_q, dg_q, ln_gamma_) = (ln_gamma(p.q), digamma(p.q), ln(p.gamma));
        for (x, ln_x, range) in &self.xs {
            let px = p.p * x;
            let (lg_sum, lg_px) = (ln_gamma(px + p.q), ln_gamma(px));
            let (s, s_px) = (digamma(px + p.q), digamma(px));
            for &(_, m, ln_m) in &self.rows[range.clone()] {
                let lgm = ln(p.gamma + m * x);
                ll += lg_sum - lg_px - lg_q + p.q * ln_gamma_ + (px - 1.0) * ln_m + px * ln_x
                    - (px + p.q) * lgm;
                dp += x * (s - s_px + ln_m + ln_x - lgm);
                dq += s - dg_q + ln_gamma_ - lgm;
                dg += p.q / p.gamma - (px + p.q) / (p.gamma + m * x);
            }
        }
        *g = [dp * p.p, dq * p.q, dg * p.gamma];
        ll
    }
}

/// The outcome of [`fit`].
pub type Fit = super::Fit<Params>;

/// Fits the model to (x, m) pairs (x > 0, m > 0). Spend is divided by its mean for the optimiser
/// (so γ starts near its scale), parameters are optimised on the log scale from (1, 1, 1).
pub fn fit(data: &[(f64, f64)]) -> Option<Fit> {
    if data.is_empty() {
        return None;
    }
    let n = data.len() as f64;
    let scale = data.iter().map(|d| d.1).sum::<f64>() / n;
    if !scale.is_finite() || scale <= 0.0 {
        return None;
    }
    let prepared = Prepared::new(data, scale);
    let mut objective = |theta: &[f64], g: &mut [f64]| {
        let p = Params {
            p: exp(theta[0]),
            q: exp(theta[1]),
            gamma: exp(theta[2]),
        };
        let mut grad = [0.0; 3];
        let ll = prepared.total(&p, &mut grad);
        for i in 0..3 {
            g[i] = -grad[i] / n;
        }
        -ll / n
    };
    let m = super::optim::bfgs(&mut objective, &[0.0; 3]);
    let params = Params {
        p: exp(m.x[0]),
        q: exp(m.x[1]),
        gamma: exp(m.x[2]) * scale,
    };
    let log_likelihood = data
        .iter()
        .map(|&(x, m)| log_likelihood(&params, x, m))
        .sum();
    Some(Fit {
        params,
        log_likelihood,
        converged: m.converged,
        iterations: m.iterations,
        gradient_norm: m.gradient_norm,
    })
}

/// Expected mean transaction value given x repeat purchases with mean spend m:
/// p(γ + m x) / (p x + q − 1); with x = 0 the population mean p γ / (q − 1). NaN when it does not
/// exist (q ≤ 1 for x = 0).
pub fn conditional_expected_spend(p: &Params, x: f64, m: f64) -> f64 {
    let den = p.p * x + p.q - 1.0;
    if den <= 0.0 {
        return f64::NAN;
    }
    p.p * (p.gamma + m * x) / den
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gradient_matches_finite_differences() {
        let data: Vec<(f64, f64)> = (1..60)
            .map(|i| ((1 + i % 7) as f64, 5.0 + (i * 13 % 40) as f64))
            .collect();
        let prepared = Prepared::new(&data, 1.0);
        let at = |th: [f64; 3]| Params {
            p: exp(th[0]),
            q: exp(th[1]),
            gamma: exp(th[2]),
        };
        for th in [[0.5, 1.0, 2.0], [1.8, 1.3, 2.7], [-0.5, 0.2, 0.0]] {
            let mut g = [0.0; 3];
            let ll = prepared.total(&at(th), &mut g);
            let direct: f64 = data
                .iter()
                .map(|&(x, m)| log_likelihood(&at(th), x, m))
                .sum();
            assert!((ll - direct).abs() < 1e-9 * direct.abs());
            for k in 0..3 {
                let h = 1e-6;
                let (mut up, mut down) = (th, th);
                up[k] += h;
                down[k] -= h;
                let mut scratch = [0.0; 3];
                let num = (prepared.total(&at(up), &mut scratch)
                    - prepared.total(&at(down), &mut scratch))
                    / (2.0 * h);
                assert!(
                    (num - g[k]).abs() < 1e-5 * (1.0 + num.abs()),
                    "{th:?} {k}: {} vs {num}",
                    g[k]
                );
            }
        }
    }
}
