//! A small BFGS minimiser with a backtracking (Armijo) line search, for the models' few
//! log-parameters. Written here rather than taken from a crate: four parameters with analytic
//! gradients need about forty lines, and `argmin` would add far more to the wasm module than that.

/// The result of [`bfgs`].
#[derive(Debug, Clone, PartialEq)]
pub struct Minimum {
    /// The minimising point.
    pub x: Vec<f64>,
    /// The objective there.
    pub value: f64,
    /// Iterations (line searches) done.
    pub iterations: usize,
    /// The gradient's largest component fell below the tolerance.
    pub converged: bool,
    /// Largest gradient component at `x`.
    pub gradient_norm: f64,
    /// The inverse-Hessian estimate at `x` (row-major), to warm-start a related minimisation.
    pub inverse_hessian: Vec<f64>,
}

/// Gradient tolerance: the objectives are means per customer, so this is per customer too.
pub const GRADIENT_TOLERANCE: f64 = 1e-8;
/// A point where the line search can no longer improve is accepted as converged when the gradient
/// is below this (the objective is then flat to rounding).
pub const STALL_TOLERANCE: f64 = 1e-5;
/// At most this many iterations.
pub const MAX_ITERATIONS: usize = 1000;

/// Minimises `f` (which returns the value and writes the gradient; a non-finite value means "outside
/// the domain") from `x0` by BFGS on the inverse Hessian.
pub fn bfgs(f: &mut dyn FnMut(&[f64], &mut [f64]) -> f64, x0: &[f64]) -> Minimum {
    bfgs_from(f, x0, None)
}

/// [`bfgs`] starting from an inverse-Hessian estimate (from a minimisation of a similar objective),
/// which saves the iterations that would rebuild it.
pub fn bfgs_from(
    f: &mut dyn FnMut(&[f64], &mut [f64]) -> f64,
    x0: &[f64],
    h0: Option<&[f64]>,
) -> Minimum {
    let n = x0.len();
    let mut x = x0.to_vec();
    let mut g = vec![0.0; n];
    let mut fx = f(&x, &mut g);
    let identity = |h: &mut Vec<f64>| {
        h.iter_mut().for_each(|v| *v = 0.0);
        (0..n).for_each(|i| h[i * n + i] = 1.0);
    };
    let mut h = vec![0.0; n * n];
    identity(&mut h);
    let mut fresh = true; // h is the identity (not yet scaled)
    if let Some(h0) = h0.filter(|h0| h0.len() == n * n && h0.iter().all(|v| v.is_finite())) {
        h.copy_from_slice(h0);
        fresh = false;
    }
    let norm = |g: &[f64]| g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let (mut xn, mut gn, mut d) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let mut iterations = 0;
    // accepted steps in a row that no longer lower the objective beyond rounding
    let mut flat = 0;
    if !fx.is_finite() {
        return Minimum {
            x,
            value: fx,
            iterations,
            converged: false,
            gradient_norm: f64::NAN,
            inverse_hessian: h,
        };
    }
    while iterations < MAX_ITERATIONS {
        if norm(&g) < GRADIENT_TOLERANCE {
            break;
        }
        iterations += 1;
        for i in 0..n {
            d[i] = -(0..n).map(|j| h[i * n + j] * g[j]).sum::<f64>();
        }
        let mut slope: f64 = d.iter().zip(&g).map(|(a, b)| a * b).sum();
        if slope >= 0.0 || !slope.is_finite() {
            identity(&mut h);
            fresh = true;
            d.iter_mut().zip(&g).for_each(|(d, g)| *d = -g);
            slope = -g.iter().map(|v| v * v).sum::<f64>();
        }
        // first step of a fresh identity: at most a unit move in the largest component
        let mut step = if fresh {
            1.0f64.min(1.0 / norm(&d))
        } else {
            1.0
        };
        let mut accepted = false;
        let mut settled = false;
        for _ in 0..40 {
            for i in 0..n {
                xn[i] = x[i] + step * d[i];
            }
            let fnew = f(&xn, &mut gn);
            if fnew.is_finite() && fnew <= fx + 1e-4 * step * slope {
                // BFGS update of the inverse Hessian with s = xn − x, y = gn − g
                let s: Vec<f64> = (0..n).map(|i| xn[i] - x[i]).collect();
                let y: Vec<f64> = (0..n).map(|i| gn[i] - g[i]).collect();
                let sy: f64 = s.iter().zip(&y).map(|(a, b)| a * b).sum();
                if sy > 1e-300 {
                    if fresh {
                        let yy: f64 = y.iter().map(|v| v * v).sum();
                        let scale = sy / yy;
                        h.iter_mut().for_each(|v| *v *= scale);
                        fresh = false;
                    }
                    let rho = 1.0 / sy;
                    let hy: Vec<f64> = (0..n)
                        .map(|i| (0..n).map(|j| h[i * n + j] * y[j]).sum())
                        .collect();
                    let yhy: f64 = y.iter().zip(&hy).map(|(a, b)| a * b).sum();
                    for i in 0..n {
                        for j in 0..n {
                            h[i * n + j] += rho
                                * ((1.0 + rho * yhy) * s[i] * s[j] - hy[i] * s[j] - s[i] * hy[j]);
                        }
                    }
                }
                // no real decrease while the gradient is at the noise floor of the sums: done
                // (with many customers the mean gradient cannot get much below 1e-8)
                settled = fx - fnew <= 1e-12 * fx.abs() && norm(&gn) < STALL_TOLERANCE;
                flat = if fx - fnew <= 1e-15 * fx.abs() {
                    flat + 1
                } else {
                    0
                };
                x.copy_from_slice(&xn);
                g.copy_from_slice(&gn);
                fx = fnew;
                accepted = true;
                break;
            }
            step *= 0.5;
        }
        if settled || flat >= 3 {
            break; // at the minimum to rounding: the gradient cannot get smaller
        }
        if !accepted {
            if fresh || norm(&g) < STALL_TOLERANCE {
                // not even a gradient step helps, or the objective is flat to rounding here: as
                // good as it gets (converged when the gradient is small)
                break;
            }
            identity(&mut h);
            fresh = true;
        }
    }
    let gradient_norm = norm(&g);
    Minimum {
        converged: gradient_norm < GRADIENT_TOLERANCE
            || (iterations < MAX_ITERATIONS && gradient_norm < STALL_TOLERANCE),
        x,
        value: fx,
        iterations,
        gradient_norm,
        inverse_hessian: h,
    }
}

/// A fit of distinct histories (x, t_x days, T days) with their counts, from log parameters `start`
/// and an optional inverse-Hessian estimate.
pub type HistoryFit<'a> =
    dyn Fn(&[(u32, i32, i32)], &[u32], [f64; 4], Option<&[f64]>) -> Minimum + 'a;

/// Histories in the sample a large fit starts from ([`minimise_warm`]).
pub const WARM_START_SAMPLE: usize = 8192;

/// Minimises `minimise(histories, counts, start, inverse Hessian)` over distinct histories (sorted)
/// from the log parameters 0. With many histories it first fits a systematic sample of them (every
/// k-th, which spans the sorted histories) and starts the full fit from there with its curvature,
/// so the full data need a few iterations instead of a few dozen. Shared by the purchase models.
pub fn minimise_warm(
    distinct: &[(u32, i32, i32)],
    counts: &[u32],
    minimise: &HistoryFit<'_>,
) -> Minimum {
    let mut start = [0.0; 4];
    let mut h = None;
    if distinct.len() > 2 * WARM_START_SAMPLE {
        let k = distinct.len() / WARM_START_SAMPLE;
        let sample: Vec<usize> = (0..distinct.len()).step_by(k).collect();
        let d: Vec<(u32, i32, i32)> = sample.iter().map(|&i| distinct[i]).collect();
        let c: Vec<u32> = sample.iter().map(|&i| counts[i]).collect();
        let m = minimise(&d, &c, start, None);
        if m.value.is_finite() && m.x.iter().all(|v| v.is_finite()) {
            start = [m.x[0], m.x[1], m.x[2], m.x[3]];
            h = Some(m.inverse_hessian);
        }
    }
    minimise(distinct, counts, start, h.as_deref())
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_the_minimum_of_rosenbrock() {
        // f = (1 − x)² + 100 (y − x²)², minimum 0 at (1, 1)
        let mut f = |p: &[f64], g: &mut [f64]| {
            let (x, y) = (p[0], p[1]);
            g[0] = -2.0 * (1.0 - x) - 400.0 * x * (y - x * x);
            g[1] = 200.0 * (y - x * x);
            (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2)
        };
        let m = super::bfgs(&mut f, &[-1.2, 1.0]);
        assert!(m.converged, "{m:?}");
        assert!(
            (m.x[0] - 1.0).abs() < 1e-6 && (m.x[1] - 1.0).abs() < 1e-6,
            "{m:?}"
        );
    }

    #[test]
    fn a_warm_start_with_the_curvature_needs_few_iterations() {
        // f = (x − 3)² + 10 (y + 1)²: from a nearby point with the exact inverse Hessian
        // diag(1/2, 1/20), one Newton step lands on the minimum
        let mut f = |p: &[f64], g: &mut [f64]| {
            g[0] = 2.0 * (p[0] - 3.0);
            g[1] = 20.0 * (p[1] + 1.0);
            (p[0] - 3.0).powi(2) + 10.0 * (p[1] + 1.0).powi(2)
        };
        let cold = super::bfgs(&mut f, &[2.5, -0.5]);
        let warm = super::bfgs_from(&mut f, &[2.5, -0.5], Some(&[0.5, 0.0, 0.0, 0.05]));
        assert!(warm.converged && (warm.x[0] - 3.0).abs() < 1e-9 && (warm.x[1] + 1.0).abs() < 1e-9);
        assert!(
            warm.iterations <= 1 && warm.iterations < cold.iterations,
            "{warm:?} {cold:?}"
        );
    }

    #[test]
    fn a_value_outside_the_domain_is_avoided() {
        // f = x − ln x on x > 0 (NaN elsewhere), minimum at x = 1
        let mut f = |p: &[f64], g: &mut [f64]| {
            g[0] = 1.0 - 1.0 / p[0];
            if p[0] > 0.0 {
                p[0] - p[0].ln()
            } else {
                f64::NAN
            }
        };
        let m = super::bfgs(&mut f, &[5.0]);
        assert!(m.converged && (m.x[0] - 1.0).abs() < 1e-7, "{m:?}");
    }
}
