//! The predictive models (`docs/models.md`) against the published CDNOW results (Fader, Hardie & Lee 2005;
//! the `lifetimes` package's copy of the data in tests/fixtures/cdnow), against reference values
//! computed with mpmath 1.3.0 at 40 digits (tests/fixtures/model/mpmath_reference.py prints them), and on
//! synthetic data drawn from known parameters.
// (reference values are quoted with the 17 digits mpmath printed)
#![allow(clippy::excessive_precision)]
// (native only: rand and rand_distr are native dev-dependencies)
#![cfg(not(target_arch = "wasm32"))]

use tierwise::model::bgnbd::{self, Customer, Params};
use tierwise::model::special::{digamma, hyp2f1};
use tierwise::model::{gamma_gamma, RepeatSummary};
use tierwise::Options;

fn cdnow() -> Vec<u8> {
    let p = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/cdnow/CDNOW_sample.txt"
    );
    std::fs::read(p).unwrap()
}

/// CDNOW as of 1997-09-30 (the 39-week calibration period), customers by their sample id (column 1).
fn cdnow_analysis(extra: &str) -> tierwise::Analysis {
    let opts = Options::from_json(&format!(
        r#"{{"analysisDate": "1997-09-30", "columns": {{"customer": 1, "date": 2, "amount": 4}}{extra}}}"#
    ))
    .unwrap();
    tierwise::analyze(&cdnow(), &opts).unwrap()
}

fn close(got: f64, want: f64, tol: f64) -> bool {
    (got - want).abs() <= tol
}

fn rel(got: f64, want: f64, tol: f64) -> bool {
    ((got - want) / want).abs() <= tol
}

#[test]
fn cdnow_repeat_summary_equals_the_published_one() {
    let a = cdnow_analysis("");
    assert_eq!(a.summary.customers, 2357);
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/cdnow/cdnow_customers_summary_with_transactions.csv"
    ))
    .unwrap();
    let mut published = std::collections::BTreeMap::new();
    for line in text.lines().skip(1) {
        let f: Vec<f64> = line.split(',').map(|v| v.parse().unwrap()).collect();
        published.insert(f[0] as u32, (f[1] as u32, f[2], f[3], f[4]));
    }
    assert_eq!(published.len(), 2357);
    for (i, row) in a.rows.iter().enumerate() {
        let id: u32 = a.customer_id(i).parse().unwrap();
        let (x, t_x, t, zbar) = published[&id];
        let s = RepeatSummary::of(row, tierwise::options::TimeUnit::Week);
        assert_eq!(s.x, x, "customer {id}: x");
        // the published weeks are rounded to 2 decimals
        assert!(
            close(s.t_x, t_x, 0.005 + 1e-9),
            "customer {id}: t_x {} vs {t_x}",
            s.t_x
        );
        assert!(
            close(s.t, t, 0.005 + 1e-9),
            "customer {id}: T {} vs {t}",
            s.t
        );
        assert!(
            close(s.zbar.unwrap_or(0.0), zbar, 0.005 + 1e-9),
            "customer {id}: zbar {:?} vs {zbar}",
            s.zbar
        );
    }
}

#[test]
fn cdnow_fits_match_the_published_parameters() {
    let a = cdnow_analysis(r#", "model": {"horizon": 39}"#);
    let m = &a.summary.model;
    let bg = &m["bgnbd"];
    let get = |o: &serde_json::Value, k: &str| o[k].as_f64().unwrap();
    assert_eq!(bg["converged"], true);
    for (k, want) in [
        ("r", 0.2426),
        ("alpha", 4.4135),
        ("a", 0.7929),
        ("b", 2.4258),
    ] {
        assert!(
            rel(get(bg, k), want, 0.001),
            "{k} = {} (published {want})",
            get(bg, k)
        );
    }
    assert!(close(get(bg, "logLikelihood"), -9582.43, 0.01), "{bg}");
    let gg = &m["gammaGamma"];
    assert_eq!(gg["customers"], 946);
    for (k, want) in [("p", 6.25), ("q", 3.74), ("gamma", 15.44)] {
        assert!(
            rel(get(gg, k), want, 0.005),
            "{k} = {} (published {want})",
            get(gg, k)
        );
    }
    // customer 1 (x = 2, t_x = 30.43, T = 38.86): P(alive) 0.727, 1.226 purchases in 39 weeks
    assert_eq!(a.customer_id(0), "0001");
    assert!(close(a.p_alive_of(0).unwrap(), 0.727, 0.0005));
    assert!(close(a.expected_purchases_of(0).unwrap(), 1.226, 0.0005));
    // the columns are filled for everyone, and risk is the higher of the rule and model bands
    assert_eq!(a.p_alive.len(), 2357);
    assert!(a.predicted_clv.iter().all(|v| v.is_finite() && *v >= 0.0));
    assert_eq!(a.summary.churn.method_code.code(), "risk_by_model");
}

/// The paper's parameters to 4 decimals (FHL 2005, Figure 2 fit).
const PAPER: Params = Params {
    r: 0.2426,
    alpha: 4.4135,
    a: 0.7929,
    b: 2.4258,
};

#[test]
fn customer_predictions_at_the_paper_parameters() {
    let c1 = Customer {
        x: 2.0,
        t_x: 30.43,
        t: 38.86,
    };
    assert!(close(bgnbd::p_alive(&PAPER, &c1), 0.727, 0.0005));
    assert!(close(
        bgnbd::expected_purchases(&PAPER, &c1, 39.0),
        1.226,
        0.0005
    ));
    // mpmath, the FHL eq. 10 as written (no transformation): 1.2259112, 0.72660800
    assert!(close(
        bgnbd::expected_purchases(&PAPER, &c1, 39.0),
        1.2259112,
        1e-7
    ));
    // unconditional E[X(t)] (FHL eq. 9) for t = 1, 3, 32, 78 weeks: the paper's figures (4 and 3
    // decimals, from its unrounded parameters, so within one unit of the last decimal) and mpmath's
    // value of eq. 9 at these rounded parameters
    for (t, paper, mp) in [
        (1.0, 0.0532, 0.05318665595),
        (3.0, 0.1506, 0.1506372557),
        (32.0, 1.0437, 1.043769046),
        (78.0, 1.858, 1.858021759),
    ] {
        let got = bgnbd::unconditional_expected(&PAPER, t);
        let unit = if t == 78.0 { 0.001 } else { 0.0001 };
        assert!(
            close(got, paper, unit),
            "t = {t}: {got} vs the paper's {paper}"
        );
        assert!(rel(got, mp, 1e-9), "t = {t}: {got} vs mpmath {mp}");
    }
}

#[test]
fn single_customer_log_likelihoods() {
    // at the paper's parameters as published to 3 decimals: customer 1 −9.4586, x = 0 with
    // T = 38.86: −0.5547 (mpmath: −9.458606, −0.554713)
    let p = Params {
        r: 0.243,
        alpha: 4.414,
        a: 0.793,
        b: 2.426,
    };
    let c1 = Customer {
        x: 2.0,
        t_x: 30.43,
        t: 38.86,
    };
    let c0 = Customer {
        x: 0.0,
        t_x: 0.0,
        t: 38.86,
    };
    assert!(close(bgnbd::log_likelihood(&p, &c1), -9.4586, 0.00005));
    assert!(close(bgnbd::log_likelihood(&p, &c0), -0.5547, 0.00005));
}

#[test]
fn conditional_expectation_is_stable_for_large_x_and_t() {
    // (x, t_x, T, t) → expected purchases and P(alive), from mpmath on FHL eq. 10 at 40 digits
    let cases = [
        (
            (200.0, 300.0, 310.0, 52.0),
            8.7847900576444393,
            0.28195861880350732,
        ),
        (
            (50.0, 100.0, 104.0, 52.0),
            18.705772335502825,
            0.90749251977742792,
        ),
        ((0.0, 0.0, 0.5, 52.0), 1.3470119764339409, 1.0),
        (
            (1000.0, 500.0, 520.0, 520.0),
            1.2021671624497607e-11,
            1.6223394052110754e-14,
        ),
        (
            (3.0, 1.0, 200.0, 52.0),
            3.3236624952101471e-5,
            4.2960822070635031e-5,
        ),
    ];
    for ((x, t_x, t, h), want_e, want_p) in cases {
        let c = Customer { x, t_x, t };
        let e = bgnbd::expected_purchases(&PAPER, &c, h);
        let p = bgnbd::p_alive(&PAPER, &c);
        assert!(rel(e, want_e, 1e-9), "{c:?}: expected {e} vs {want_e}");
        assert!(rel(p, want_p, 1e-9), "{c:?}: P(alive) {p} vs {want_p}");
    }
}

#[test]
fn hypergeometric_reference_values() {
    // closed forms
    for z in [-0.9, -0.3, 0.0, 0.2, 0.5, 0.9, 0.99] {
        let want = if z == 0.0 {
            1.0
        } else {
            -(1.0f64 - z).ln() / z
        };
        assert!(rel(hyp2f1(1.0, 1.0, 2.0, z), want, 1e-13), "2F1(1,1;2;{z})");
        assert!(rel(hyp2f1(0.7, 3.2, 3.2, z), (1.0 - z).powf(-0.7), 1e-13));
    }
    // arctan(√w)/√w = 2F1(1/2, 1; 3/2; −w), including w > 1 (the Pfaff branch beyond −1)
    for w in [0.25f64, 1.0, 4.0, 20.0, 1000.0] {
        let s = w.sqrt();
        assert!(
            rel(hyp2f1(0.5, 1.0, 1.5, -w), s.atan() / s, 1e-13),
            "w = {w}"
        );
    }
    // mpmath.hyp2f1 at 40 digits
    let cases = [
        ((0.2426, 2.4258, 2.2184, 0.5), 1.2067773018090171),
        ((1.5, 2.5, 3.7, 0.9), 6.9271050406138271),
        ((-0.3, 0.7, 1.9, -3.0), 1.2287976616004543),
        ((10.5, 20.3, 40.1, 0.95), 4894.7786706829102),
        ((0.5, 1.0, 1.5, -20.0), 0.30204992938314287),
        ((200.2426, 202.4258, 202.2187, 0.3), 1.1214687844257047e31),
        ((2.5, -1.7, 50.2, 0.99), 0.918188079018663),
        ((1.4684, -0.2071, 202.2187, 0.1437), 0.9997837476730461),
        ((0.2426, 2.4258, 2.2187, 0.9466), 2.389316351728017),
    ];
    for ((a, b, c, z), want) in cases {
        let got = hyp2f1(a, b, c, z);
        assert!(
            rel(got, want, 1e-11),
            "2F1({a}, {b}; {c}; {z}) = {got}, mpmath {want}"
        );
    }
    // outside the domain: NaN, not a panic or a wrong number
    assert!(hyp2f1(1.0, 1.0, 2.0, 1.0).is_nan());
    assert!(hyp2f1(1.0, 1.0, -2.0, 0.5).is_nan());
}

#[test]
fn digamma_reference_values() {
    // ψ(1) = −γ, ψ(1/2) = −γ − 2 ln 2; the rest from mpmath.digamma
    let euler = 0.577_215_664_901_532_9;
    assert!(close(digamma(1.0), -euler, 1e-14));
    assert!(close(digamma(0.5), -euler - 2.0 * 2f64.ln(), 1e-14));
    for (x, want) in [
        (0.3, -3.502524222200133),
        (2.5, 0.70315664064524319),
        (9.9, 2.2411803166063814),
        (30.0, 3.3844381326855249),
        (1e5, 11.512920464961895),
    ] {
        assert!(
            close(digamma(x), want, 1e-14 * (1.0 + want.abs())),
            "ψ({x}) = {}",
            digamma(x)
        );
    }
    assert!(digamma(0.0).is_nan() && digamma(-1.0).is_nan());
}

#[test]
fn gamma_gamma_conditional_spend() {
    // p(γ + m x) / (p x + q − 1) at the published parameters: x = 2, m = 22.35 (customer 1)
    let p = gamma_gamma::Params {
        p: 6.25,
        q: 3.74,
        gamma: 15.44,
    };
    let want = 6.25 * (15.44 + 22.35 * 2.0) / (6.25 * 2.0 + 3.74 - 1.0);
    assert!(close(
        gamma_gamma::conditional_expected_spend(&p, 2.0, 22.35),
        want,
        1e-12
    ));
    // x = 0: the population mean p γ / (q − 1)
    let pop = 6.25 * 15.44 / 2.74;
    assert!(close(
        gamma_gamma::conditional_expected_spend(&p, 0.0, 0.0),
        pop,
        1e-12
    ));
    // q ≤ 1: no population mean
    let flat = gamma_gamma::Params { q: 0.8, ..p };
    assert!(gamma_gamma::conditional_expected_spend(&flat, 0.0, 0.0).is_nan());
}

#[test]
fn clv_sums_discounted_monthly_purchases() {
    let c1 = Customer {
        x: 2.0,
        t_x: 30.43,
        t: 38.86,
    };
    let months: Vec<f64> = (1..=12).map(|m| m as f64 * 365.25 / 12.0 / 7.0).collect();
    // without discounting the monthly increments add up to a year's expected purchases
    let year = bgnbd::expected_purchases(&PAPER, &c1, 365.25 / 7.0);
    let undiscounted = tierwise::model::clv(&PAPER, &c1, 30.0, &months, 0.0);
    assert!(close(undiscounted, 30.0 * year, 1e-9));
    // at 1 % a month every increment is discounted by 1.01^-1 … 1.01^-12: strictly between
    let discounted = tierwise::model::clv(&PAPER, &c1, 30.0, &months, 0.01);
    assert!(discounted < 30.0 * year / 1.01 && discounted > 30.0 * year / 1.01f64.powi(12));
    // and exactly the month-by-month sum of eq. 10 that mpmath gives
    assert!(rel(discounted, 44.163723034850265, 1e-9), "{discounted}");
}

/// Draws transactions from the BG/NBD process with known parameters and checks that the fit on
/// the resulting file recovers them. 40,000 customers observed for 26 to 104 weeks. Tolerances set
/// from the CDNOW standard errors (r 5 %, α 9 %, a 23 %, b 32 % at 2,357 customers) scaled by
/// √(2357/40000): about three standard errors, 10 % for r and α and 25 % for a and b.
#[test]
fn the_fit_recovers_known_parameters() {
    use rand::{Rng, SeedableRng};
    use rand_distr::{Beta, Distribution, Exp, Gamma};
    let truth = Params {
        r: 0.5,
        alpha: 6.0,
        a: 0.8,
        b: 2.5,
    };
    let mut rng = rand::rngs::StdRng::seed_from_u64(20261129);
    let rate = Gamma::new(truth.r, 1.0 / truth.alpha).unwrap(); // per week
    let dropout = Beta::new(truth.a, truth.b).unwrap();
    // analysis date 2024-12-31 = day 0 below; first purchases 182 … 728 days before it
    let mut csv = String::from("customer,date,amount\n");
    let end = chrono_like_day("2024-12-31");
    for id in 0..40_000u32 {
        let age_days: i64 = rng.random_range(182..=728);
        let first = end - age_days;
        let lambda: f64 = rate.sample(&mut rng);
        let p: f64 = dropout.sample(&mut rng);
        let wait = Exp::new(lambda / 7.0).unwrap(); // per day
        let mut day = 0.0f64;
        csv.push_str(&format!("c{id},{},10\n", format_day(first)));
        loop {
            if rng.random::<f64>() < p && day > 0.0 {
                break; // dropped out after the last purchase
            }
            day += wait.sample(&mut rng);
            if day > age_days as f64 {
                break;
            }
            csv.push_str(&format!("c{id},{},10\n", format_day(first + day as i64)));
        }
    }
    let opts = Options::from_json(r#"{"analysisDate": "2024-12-31"}"#).unwrap();
    let a = tierwise::analyze(csv.as_bytes(), &opts).unwrap();
    let bg = &a.summary.model["bgnbd"];
    assert_eq!(bg["converged"], true, "{}", a.summary.model);
    let get = |k: &str| bg[k].as_f64().unwrap();
    for (k, want, tol) in [
        ("r", truth.r, 0.10),
        ("alpha", truth.alpha, 0.10),
        ("a", truth.a, 0.25),
        ("b", truth.b, 0.25),
    ] {
        assert!(
            rel(get(k), want, tol),
            "{k}: fitted {} vs true {want} ({})",
            get(k),
            a.summary.model
        );
    }
}

/// Day number of a `YYYY-MM-DD` date (days since 1970-01-01), by the civil-from-days algorithm.
fn chrono_like_day(s: &str) -> i64 {
    let y: i64 = s[0..4].parse().unwrap();
    let m: i64 = s[5..7].parse().unwrap();
    let d: i64 = s[8..10].parse().unwrap();
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// `YYYY-MM-DD` of a day number (days since 1970-01-01).
fn format_day(z: i64) -> String {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn analyze(csv: &str, extra: &str) -> tierwise::Analysis {
    let opts = Options::from_json(&format!(r#"{{"analysisDate": "2024-12-31"{extra}}}"#)).unwrap();
    tierwise::analyze(csv.as_bytes(), &opts).unwrap()
}

#[test]
fn degenerate_inputs_say_why_and_keep_the_rules() {
    // five customers: too few
    let few = "customer,date,amount\nA,2024-01-01,1\nA,2024-02-01,1\nB,2024-03-01,1\nC,2024-04-01,1\nD,2024-05-01,1\nE,2024-06-01,1\n";
    let a = analyze(few, "");
    let why = a.summary.model["notFitted"].as_str().unwrap();
    assert!(
        why.contains("too few customers") && why.contains('5'),
        "{why}"
    );
    assert!(a.p_alive.is_empty() && a.expected_purchases.is_empty() && a.predicted_clv.is_empty());
    assert!(a.summary.churn.method.starts_with("rules"));
    assert_eq!(a.p_alive_of(0), None);

    // twenty one-time buyers: no repeat purchases
    let once: String = std::iter::once("customer,date,amount\n".to_string())
        .chain((0..20).map(|i| format!("C{i:02},2024-0{}-1{},5\n", 1 + i % 9, i % 10)))
        .collect();
    let a = analyze(&once, "");
    let why = a.summary.model["notFitted"].as_str().unwrap();
    assert!(
        why.contains("too few repeat buyers") && why.contains(": 0 "),
        "{why}"
    );

    // disabled
    let a = analyze(&once, r#", "model": {"enabled": false}"#);
    assert_eq!(
        a.summary.model["notFitted"],
        "disabled by options.model.enabled"
    );
}

#[test]
fn without_dropouts_the_model_is_not_identifiable() {
    // 20 customers who each bought every week for a year up to the analysis date: nobody shows any
    // sign of dropping out, so the likelihood keeps rising as the dropout probability a/(a+b) goes
    // to 0 — there is no finite maximum. The summary must say so and risk stays rule-based.
    let mut csv = String::from("customer,date,amount\n");
    let end = chrono_like_day("2024-12-31");
    for c in 0..20 {
        for w in 0..52 {
            csv.push_str(&format!(
                "C{c:02},{},5\n",
                format_day(end - 7 * w - (c % 7))
            ));
        }
    }
    let a = analyze(&csv, "");
    let why = a.summary.model["notFitted"].as_str().unwrap_or("");
    assert!(
        why.contains("not identifiable") || why.contains("did not converge"),
        "{}",
        a.summary.model
    );
    assert!(a.p_alive.is_empty());
    assert!(a.summary.churn.method.starts_with("rules"));
}

#[test]
fn a_usage_log_without_amounts_gets_bgnbd_but_no_spend_model() {
    // the synthetic CDNOW layout without its amount column
    let text = String::from_utf8(cdnow()).unwrap();
    let csv: String = text
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            format!("{},{}\n", f[1], f[2])
        })
        .collect();
    let opts = Options::from_json(r#"{"analysisDate": "1997-09-30"}"#).unwrap();
    let a = tierwise::analyze(csv.as_bytes(), &opts).unwrap();
    let m = &a.summary.model;
    // the same purchase days, so the same BG/NBD fit
    assert!(rel(m["bgnbd"]["r"].as_f64().unwrap(), 0.2426, 0.001), "{m}");
    assert_eq!(m["gammaGamma"]["notFitted"], "there is no amount column");
    assert_eq!(a.p_alive.len(), 2357);
    assert!(a.predicted_clv.is_empty());
    assert_eq!(a.predicted_clv_of(0), None);
}

#[test]
fn model_options_are_validated() {
    for (json, key) in [
        (r#"{"model": {"horizon": -1}}"#, "model.horizon"),
        (r#"{"model": {"discountRate": -1.5}}"#, "model.discountRate"),
        (r#"{"model": {"timeUnit": "month"}}"#, "model.timeUnit"),
    ] {
        let e = Options::from_json(json).unwrap_err().to_string();
        assert!(e.contains(key), "{json}: {e}");
    }
}

#[test]
fn days_and_weeks_give_the_same_model() {
    // measuring time in days instead of weeks multiplies α by 7 and leaves r, a, b unchanged; the
    // log-likelihood (a density in time) changes by −Σx · ln 7, with Σx = 2,457 repeat purchases on
    // CDNOW (the sum of the published x column)
    let weeks = cdnow_analysis("");
    let days = cdnow_analysis(r#", "model": {"timeUnit": "day"}"#);
    let (w, d) = (&weeks.summary.model["bgnbd"], &days.summary.model["bgnbd"]);
    let get = |o: &serde_json::Value, k: &str| o[k].as_f64().unwrap();
    for k in ["r", "a", "b"] {
        assert!(rel(get(d, k), get(w, k), 1e-4), "{k}: {d} vs {w}");
    }
    assert!(rel(get(d, "alpha"), 7.0 * get(w, "alpha"), 1e-4));
    let shifted = get(w, "logLikelihood") - 2457.0 * 7f64.ln();
    assert!(
        close(get(d, "logLikelihood"), shifted, 0.01),
        "{} vs {shifted}",
        get(d, "logLikelihood")
    );
    // P(alive) does not depend on the unit
    for i in [0, 1, 100, 2000] {
        assert!(close(days.p_alive[i], weeks.p_alive[i], 1e-4));
    }
}

#[test]
fn risk_follows_the_p_alive_bands() {
    use tierwise::analytics::churn::model_risk;
    use tierwise::labels::Risk;
    // 1 − P(alive) > 0.66 high, ≥ 0.33 medium, else low
    // (1 − P(alive) on either side of each boundary; exactly 0.66 or 0.33 is not representable)
    assert_eq!(model_risk(0.30), Risk::High);
    assert_eq!(model_risk(0.335), Risk::High); // 0.665 > 0.66
    assert_eq!(model_risk(0.345), Risk::Medium); // 0.655
    assert_eq!(model_risk(0.665), Risk::Medium); // 0.335 ≥ 0.33
    assert_eq!(model_risk(0.675), Risk::Low); // 0.325
    assert_eq!(model_risk(1.0), Risk::Low);
    // on CDNOW every customer's risk is the higher of the rule band (from its flags) and the band
    // of its P(alive) (SPEC §6), computed here from the CSV's own columns
    let a = cdnow_analysis("");
    assert_eq!(a.summary.churn.method_code.code(), "risk_by_model");
    let csv = String::from_utf8(a.to_csv()).unwrap();
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (risk, p_alive, flags) = (col("risk"), col("p_alive"), col("churn_flags"));
    let levels = ["high", "medium", "low"];
    let mut bands = [0; 3];
    let (mut by_rules, mut by_model, mut by_both) = (0u64, 0u64, 0u64);
    let mut flagged_low_by_model = 0;
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        let dead = 1.0 - f[p_alive].parse::<f64>().unwrap();
        let model = if dead > 0.66 {
            0
        } else if dead >= 0.33 {
            1
        } else {
            2
        };
        let names: Vec<&str> = f[flags].split('|').filter(|s| !s.is_empty()).collect();
        let rule = if names.len() >= 2 || names.contains(&"high_value_lapsed") {
            0
        } else if names.len() == 1 {
            1
        } else {
            2
        };
        let want = rule.min(model); // the higher level has the lower position
        assert_eq!(f[risk], levels[want], "{line}");
        assert!(
            names.is_empty() || f[risk] != "low",
            "a flagged customer is never low: {line}"
        );
        flagged_low_by_model += usize::from(!names.is_empty() && model == 2);
        match rule.cmp(&model) {
            std::cmp::Ordering::Less => by_rules += 1,
            std::cmp::Ordering::Greater => by_model += 1,
            std::cmp::Ordering::Equal => by_both += 1,
        }
        bands[want] += 1;
    }
    assert!(bands.iter().all(|&n| n > 0), "{bands:?}");
    // the case of issue 14: flagged customers (inactive one-time buyers among them) whom the model
    // alone would have called low
    assert!(flagged_low_by_model > 1000, "{flagged_low_by_model}");
    let decided = &a.summary.churn.decided_by;
    assert_eq!(decided["rules"], by_rules);
    assert_eq!(decided["model"], by_model);
    assert_eq!(decided["both"], by_both);
    assert_eq!(by_rules + by_model + by_both, 2357);
    let counts = &a.summary.churn.risk;
    for (k, level) in levels.iter().enumerate() {
        assert_eq!(counts[*level], bands[k], "{level}");
    }
    // the one-time buyers' P(alive) = 1 is called out
    assert!(
        a.summary
            .warnings
            .iter()
            .any(|w| w.contains("1411 one-time buyers")),
        "{:?}",
        a.summary.warnings
    );
}

#[test]
fn a_zero_horizon_expects_no_purchases() {
    let a = cdnow_analysis(r#", "model": {"horizon": 0}"#);
    assert_eq!(a.expected_purchases.len(), 2357);
    assert!(a.expected_purchases.iter().all(|&e| e == 0.0));
}

#[test]
fn a_ridge_towards_no_dropout_is_called_out() {
    // CDNOW as of 1997-01-20, in days: the cohort is at most 19 days old and almost nobody has had
    // time to show dropout; the likelihood is flat along a → 0, b → ∞ (different start points give
    // a from 4e-5 to 6e-4 and b from 1e4 to 3.5e4 at equal likelihood), so only "a/(a+b) ≈ 0" is
    // identified. The fit is used, with a warning that says so.
    let opts = Options::from_json(
        r#"{"analysisDate": "1997-01-20", "columns": {"customer": 1, "date": 2, "amount": 4}, "model": {"timeUnit": "day"}}"#,
    )
    .unwrap();
    let a = tierwise::analyze(&cdnow(), &opts).unwrap();
    let bg = &a.summary.model["bgnbd"];
    let (pa, pb) = (bg["a"].as_f64().unwrap(), bg["b"].as_f64().unwrap());
    assert!(pa / (pa + pb) < tierwise::model::MIN_MEAN_DROPOUT, "{bg}");
    assert!(
        a.summary
            .warnings
            .iter()
            .any(|w| w.contains("almost no dropout")),
        "{:?}",
        a.summary.warnings
    );
    assert!(!a.p_alive.is_empty());
}
