//! The Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: Using Iso-Value Curves for
//! Customer Base Analysis"; the form `lifetimes` fits): a customer's transaction values are
//! Gamma(p, ν) with ν ~ Gamma(q, γ) across customers. Fitted on customers with x > 0 repeat purchases
//! and a positive mean repeat spend m.

use super::special::{digamma, ln_gamma};

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
        + p.q * p.gamma.ln()
        + (px - 1.0) * m.ln()
        + px * x.ln()
        - (px + p.q) * (p.gamma + m * x).ln()
}

/// Sum of log-likelihoods and its gradient with respect to (ln p, ln q, ln γ).
fn total(p: &Params, data: &[(f64, f64)], g: &mut [f64; 3]) -> f64 {
    let (mut ll, mut dp, mut dq, mut dg) = (0.0, 0.0, 0.0, 0.0);
    let dq0 = -digamma(p.q) + p.gamma.ln();
    for &(x, m) in data {
        let px = p.p * x;
        let s = digamma(px + p.q);
        let lgm = (p.gamma + m * x).ln();
        ll += log_likelihood(p, x, m);
        dp += x * (s - digamma(px) + m.ln() + x.ln() - lgm);
        dq += s + dq0 - lgm;
        dg += p.q / p.gamma - (px + p.q) / (p.gamma + m * x);
    }
    *g = [dp * p.p, dq * p.q, dg * p.gamma];
    ll
}

/// The outcome of [`fit`].
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// Parameters.
    pub params: Params,
    /// Total log-likelihood.
    pub log_likelihood: f64,
    /// The optimiser converged.
    pub converged: bool,
    /// Optimiser iterations.
    pub iterations: usize,
}

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
    let scaled: Vec<(f64, f64)> = data.iter().map(|&(x, m)| (x, m / scale)).collect();
    let mut objective = |theta: &[f64], g: &mut [f64]| {
        let p = Params {
            p: theta[0].exp(),
            q: theta[1].exp(),
            gamma: theta[2].exp(),
        };
        let mut grad = [0.0; 3];
        let ll = total(&p, &scaled, &mut grad);
        for i in 0..3 {
            g[i] = -grad[i] / n;
        }
        -ll / n
    };
    let m = super::optim::bfgs(&mut objective, &[0.0; 3]);
    let params = Params {
        p: m.x[0].exp(),
        q: m.x[1].exp(),
        gamma: m.x[2].exp() * scale,
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
