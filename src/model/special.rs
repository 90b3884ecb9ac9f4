//! Special functions for the models: ln Γ (from the `libm` crate), the digamma function ψ and the
//! Gauss hypergeometric function ₂F₁ for real arguments.

// Elementary functions come from the `libm` crate rather than the platform (std's `f64::ln` calls
// the system's libm natively and a compiled-in one in wasm, which differ in the last bit): the CLI and
// the browser then give bit-identical model outputs.

/// Natural logarithm (`libm::log`).
#[inline]
pub fn ln(x: f64) -> f64 {
    libm::log(x)
}

/// eˣ (`libm::exp`).
#[inline]
pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}

/// ln(1 + x), accurate for small x (`libm::log1p`).
#[inline]
pub fn ln_1p(x: f64) -> f64 {
    libm::log1p(x)
}

/// eˣ − 1, accurate for small x (`libm::expm1`).
#[inline]
pub fn exp_m1(x: f64) -> f64 {
    libm::expm1(x)
}

/// xʸ (`libm::pow`).
#[inline]
pub fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

/// ln Γ(x) for x > 0 (`libm::lgamma`, the FreeBSD msun algorithm; about 1 ulp).
#[inline]
pub fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// The digamma function ψ(x) = d/dx ln Γ(x) for x > 0: the recurrence ψ(x) = ψ(x + 1) − 1/x up to
/// x ≥ 10, then the asymptotic series to the x⁻¹² term (absolute error below 1e-14 there).
pub fn digamma(x: f64) -> f64 {
    if !x.is_finite() || x <= 0.0 {
        return f64::NAN;
    }
    let mut x = x;
    let mut acc = 0.0;
    while x < 10.0 {
        acc -= 1.0 / x;
        x += 1.0;
    }
    let f = 1.0 / (x * x);
    // Bernoulli terms: 1/12, 1/120, 1/252, 1/240, 1/132, 691/32760
    let tail = f
        * (1.0 / 12.0
            - f * (1.0 / 120.0
                - f * (1.0 / 252.0 - f * (1.0 / 240.0 - f * (1.0 / 132.0 - f * 691.0 / 32760.0)))));
    acc + ln(x) - 0.5 / x - tail
}

/// Most terms summed by [`hyp2f1`] before it gives up (returns NaN).
pub const MAX_TERMS: usize = 200_000;

/// The Gauss hypergeometric function ₂F₁(a, b; c; z) for real z < 1 and c not a non-positive
/// integer; NaN outside that domain or when the series does not settle within [`MAX_TERMS`] terms.
///
/// Negative z is first mapped into (0, 1) by Pfaff's transformation
/// ₂F₁(a, b; c; z) = (1 − z)^(−a) ₂F₁(a, c − b; c; z / (z − 1)); on [0, 1) the series is summed
/// directly or after Euler's transformation ₂F₁(a, b; c; z) = (1 − z)^(c−a−b) ₂F₁(c − a, c − b; c; z),
/// whichever has the smaller numerator parameters. Large c (as in the BG/NBD conditional
/// expectation, where c grows with the customer's repeat purchases) makes the series converge faster,
/// so the function stays accurate for large x and T; z close to 1 with small c needs many terms.
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> f64 {
    if z.is_nan()
        || z >= 1.0
        || !a.is_finite()
        || !b.is_finite()
        || !c.is_finite()
        || !z.is_finite()
    {
        return f64::NAN;
    }
    if c <= 0.0 && c == c.floor() {
        return f64::NAN;
    }
    if z < 0.0 {
        let w = z / (z - 1.0);
        // either Pfaff form: pick the one with the smaller numerator parameter sizes
        let (p, q) = if (c - b).abs() <= (c - a).abs() {
            (a, c - b)
        } else {
            (b, c - a)
        };
        return pow(1.0 - z, -p) * unit_interval(p, q, c, w);
    }
    unit_interval(a, b, c, z)
}

/// ₂F₁ on 0 ≤ z < 1: the direct series or Euler's transformation of it.
fn unit_interval(a: f64, b: f64, c: f64, z: f64) -> f64 {
    let direct = a.abs() + b.abs();
    let euler = (c - a).abs() + (c - b).abs();
    if euler < direct && z > 0.0 {
        pow(1.0 - z, c - a - b) * series(c - a, c - b, c, z)
    } else {
        series(a, b, c, z)
    }
}

/// The hypergeometric series Σ (a)ₖ (b)ₖ / ((c)ₖ k!) zᵏ, summed until a term no longer changes the
/// sum (twice in a row, after the terms stopped growing).
fn series(a: f64, b: f64, c: f64, z: f64) -> f64 {
    let mut sum = 1.0;
    let mut term = 1.0;
    let mut quiet = 0;
    for k in 0..MAX_TERMS {
        let k = k as f64;
        term *= (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        if term == 0.0 {
            return sum;
        }
        sum += term;
        // past the largest term once (a+k)(b+k) z < (c+k)(k+1)
        let shrinking =
            ((a + k + 1.0) * (b + k + 1.0) * z).abs() < ((c + k + 1.0) * (k + 2.0)).abs();
        if shrinking && term.abs() <= 1e-16 * sum.abs() {
            quiet += 1;
            if quiet == 2 {
                return sum;
            }
        } else {
            quiet = 0;
        }
        if !sum.is_finite() {
            return f64::NAN;
        }
    }
    f64::NAN
}

/// ln F and its partial derivatives (∂/∂a, ∂/∂b, ∂/∂z of ln F) for F = ₂F₁(a, b; a + 1; z), a > 0,
/// 0 ≤ z < 1, where c = a + 1 moves with a: the form of the Pareto/NBD likelihood's A₀ terms, whose
/// gradient the fit needs. The series is the one [`hyp2f1`] sums (direct, or after Euler's
/// transformation, by the same choice); each term's derivatives follow from its ratio to the
/// previous one, so one pass gives the value and all three derivatives. NaN outside the domain or
/// when the series does not settle.
pub fn ln_hyp2f1_next_with_gradient(a: f64, b: f64, z: f64) -> [f64; 4] {
    const NAN: [f64; 4] = [f64::NAN; 4];
    if !(a.is_finite() && b.is_finite() && a > 0.0 && (0.0..1.0).contains(&z)) {
        return NAN;
    }
    let c = a + 1.0;
    if z == 0.0 {
        return [0.0, 0.0, 0.0, a * b / c];
    }
    // the series Σ tₖ of the chosen form with p₁ = numerator parameter 1, p₂ = numerator 2:
    // tₖ₊₁ = tₖ (p₁ + k)(p₂ + k) / ((c + k)(k + 1)) z; alongside, Σ tₖ·∂ln tₖ for each parameter
    let euler = 1.0 + (c - b).abs() < a.abs() + b.abs();
    let (p1, p2) = if euler { (1.0, c - b) } else { (a, b) };
    let (mut sum, mut term) = (1.0f64, 1.0f64);
    // running Σⱼ<ₖ 1/(p₂ + j) and Σⱼ<ₖ 1/(c + j) (∂ln tₖ/∂p₂ and −∂ln tₖ/∂c), and
    // Σⱼ<ₖ 1/(p₁ + j) (∂ln tₖ/∂p₁, used in the direct form where p₁ = a)
    let (mut s1, mut s2, mut sc) = (0.0f64, 0.0f64, 0.0f64);
    let (mut d1, mut d2, mut dc, mut dz) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    let mut quiet = 0;
    let mut settled = false;
    for k in 0..MAX_TERMS {
        let k = k as f64;
        s1 += 1.0 / (p1 + k);
        s2 += 1.0 / (p2 + k);
        sc += 1.0 / (c + k);
        term *= (p1 + k) * (p2 + k) / ((c + k) * (k + 1.0)) * z;
        if term == 0.0 {
            settled = true;
            break;
        }
        sum += term;
        d1 += term * s1;
        d2 += term * s2;
        dc -= term * sc;
        dz += term * (k + 1.0);
        let shrinking =
            ((p1 + k + 1.0) * (p2 + k + 1.0) * z).abs() < ((c + k + 1.0) * (k + 2.0)).abs();
        // (the derivative terms are the value's times at most k + 1 or a harmonic sum)
        let weight = (k + 1.0).max(s1.abs()).max(s2.abs()).max(sc.abs());
        if shrinking && (term * weight).abs() <= 1e-16 * sum.abs() {
            quiet += 1;
            if quiet == 2 {
                settled = true;
                break;
            }
        } else {
            quiet = 0;
        }
        if !sum.is_finite() {
            return NAN;
        }
    }
    if !settled || sum.is_nan() || sum <= 0.0 {
        return NAN;
    }
    let ln_g = ln(sum);
    let dz = dz / (z * sum);
    if euler {
        // F = (1 − z)^(1 − b) G(1, c − b; c; z): ∂/∂a moves c − b and c, ∂/∂b moves the power and c − b
        let ln_1mz = ln_1p(-z);
        [
            (1.0 - b) * ln_1mz + ln_g,
            (d2 + dc) / sum,
            -ln_1mz - d2 / sum,
            -(1.0 - b) / (1.0 - z) + dz,
        ]
    } else {
        // F = Σ tₖ with p₁ = a, p₂ = b: ∂/∂a moves a and c
        [ln_g, (d1 + dc) / sum, d2 / sum, dz]
    }
}
