//! The MBG/NBD and Pareto/NBD models (`docs/models.md#families`) against published CDNOW results and
//! independent computations (tests/fixtures/model/btyd_reference.txt: mpmath at 40 digits and
//! `lifetimes` 0.11.3, printed by the scripts beside it).
#![allow(clippy::excessive_precision)]
#![cfg(not(target_arch = "wasm32"))]

use tierwise::model::bgnbd::{self, Customer, Grouped, Variant};
use tierwise::model::paretonbd;
use tierwise::Options;

/// CDNOW's distinct histories in days (x, t_x, T) with their counts, as of 1997-09-30.
fn cdnow_days() -> Vec<(u32, i32, i32)> {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/cdnow/CDNOW_sample.txt"
    ))
    .unwrap();
    let opts = Options::from_json(
        r#"{"analysisDate": "1997-09-30", "columns": {"customer": 1, "date": 2, "amount": 4}}"#,
    )
    .unwrap();
    let a = tierwise::analyze(&bytes, &opts).unwrap();
    a.rows
        .iter()
        .map(|c| (c.purchase_days - 1, c.last_day - c.first_day, c.tenure))
        .collect()
}

fn distinct(rows: &[(u32, i32, i32)]) -> (Vec<(u32, i32, i32)>, Vec<u32>) {
    let mut rows = rows.to_vec();
    rows.sort_unstable();
    let mut d = Vec::new();
    let mut c = Vec::new();
    for w in rows.chunk_by(|a, b| a == b) {
        d.push(w[0]);
        c.push(w.len() as u32);
    }
    (d, c)
}

fn rel(got: f64, want: f64, tol: f64) -> bool {
    ((got - want) / want).abs() <= tol
}

/// Pareto/NBD on CDNOW in weeks: Fader & Hardie's published r = 0.5533, α = 10.5776, s = 0.6062,
/// β = 11.6679, log-likelihood −9594.97.
#[test]
fn pareto_nbd_reproduces_the_published_cdnow_fit() {
    let rows = cdnow_days();
    let (d, c) = distinct(&rows);
    let g = Grouped::from_distinct(&d, &c, 7.0);
    let published = paretonbd::Params {
        r: 0.5533,
        alpha: 10.5776,
        s: 0.6062,
        beta: 11.6679,
    };
    let at_published = paretonbd::grouped_log_likelihood(&g, &published);
    assert!((at_published - -9594.97).abs() < 0.05, "{at_published}");
    let fit = paretonbd::fit_distinct(&d, &c, 7.0).unwrap();
    let p = fit.params;
    assert!(fit.converged);
    for (got, want, name) in [
        (p.r, 0.5533, "r"),
        (p.alpha, 10.5776, "alpha"),
        (p.s, 0.6062, "s"),
        (p.beta, 11.6679, "beta"),
    ] {
        assert!(rel(got, want, 0.005), "{name} = {got} (published {want})");
    }
    assert!(
        (fit.log_likelihood - -9594.97).abs() < 0.05,
        "{}",
        fit.log_likelihood
    );
}

/// The lifetimes copy of the CDNOW summary (weeks rounded to 2 decimals): what the reference
/// scripts read.
fn cdnow_summary() -> Vec<Customer> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/cdnow/cdnow_customers_summary_with_transactions.csv"
    ))
    .unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<f64> = l.split(',').map(|v| v.parse().unwrap()).collect();
            Customer {
                x: f[1],
                t_x: f[2],
                t: f[3],
            }
        })
        .collect()
}

/// MBG/NBD at the mpmath maximum (rounded as printed in btyd_reference.txt).
const MBG: bgnbd::Params = bgnbd::Params {
    r: 0.524838,
    alpha: 6.182992,
    a: 0.8913562,
    b: 1.613999,
};

const PARETO_PUBLISHED: paretonbd::Params = paretonbd::Params {
    r: 0.5533,
    alpha: 10.5776,
    s: 0.6062,
    beta: 11.6679,
};

/// The likelihoods written in the core equal mpmath's (40 digits) on the same 2,357 customers.
#[test]
fn likelihoods_equal_the_mpmath_reference() {
    let cs = cdnow_summary();
    assert_eq!(cs.len(), 2357);
    let mbg: f64 = cs
        .iter()
        .map(|c| bgnbd::log_likelihood_of(&MBG, c, Variant::Modified))
        .sum();
    // btyd_reference.txt: "LL at the rounded parameters -9582.1326848999099"
    assert!((mbg - -9582.1326848999099).abs() < 1e-8, "{mbg}");
    let pareto: f64 = cs
        .iter()
        .map(|c| paretonbd::log_likelihood(&PARETO_PUBLISHED, c))
        .sum();
    assert!((pareto - -9594.9739311335223).abs() < 1e-8, "{pareto}");
    let pareto_mle = paretonbd::Params {
        r: 0.5532755,
        alpha: 10.57761,
        s: 0.6062136,
        beta: 11.66791,
    };
    let at_mle: f64 = cs
        .iter()
        .map(|c| paretonbd::log_likelihood(&pareto_mle, c))
        .sum();
    assert!((at_mle - -9594.973929826874).abs() < 1e-8, "{at_mle}");
}

/// (x, t_x, T) in weeks.
type History = (f64, f64, f64);

/// P(alive), E[Y(39)] and E[Y(52)] for histories (x, t_x, T) in weeks, from mpmath at 40 digits
/// (btyd_reference.txt; lifetimes 0.11.3 agrees to 6e-14).
#[test]
fn predictions_equal_the_mpmath_reference() {
    #[rustfmt::skip]
    let cases: [(History, [f64; 3], [f64; 3]); 7] = [
        ((0.0, 0.0, 38.86), [0.38971624421206894, 0.15395362832964493, 0.19762846034959422],
                            [0.29509925952537555, 0.10706574815661092, 0.13617892302228127]),
        ((2.0, 30.43, 38.86), [0.70612621629268224, 1.2626707186455266, 1.5968257920051924],
                              [0.86912109570405912, 1.4551370640067207, 1.8508159858592833]),
        ((1.0, 1.71, 38.86), [0.17081959913752597, 0.18878922001390522, 0.24006884000739472],
                             [0.16787330148324453, 0.17098528632694839, 0.21747937641644815]),
        ((7.0, 29.43, 35.14), [0.75939987797446276, 4.135960460581588, 5.1589913040273379],
                              [0.87526133837183928, 4.6332007811348015, 5.8797350253842188]),
        ((0.0, 0.0, 32.71), [0.40818896725531242, 0.1833426796212999, 0.23441108054774659],
                            [0.33573818362518373, 0.13632974278452279, 0.17273119409671037]),
        ((26.0, 35.14, 35.86), [0.95143891202912061, 17.453347254173015, 21.650567507235243],
                               [0.98860568194293747, 18.155065022354287, 23.05006665933261]),
        ((0.0, 0.0, 78.0), [0.31502594725859031, 0.070649564021764925, 0.091992247916997544],
                           [0.16220560955545925, 0.03525654229666603, 0.045531075500345624]),
    ];
    let near = |got: f64, want: f64| ((got - want) / want).abs() < 1e-10;
    let mbg = tierwise::model::Purchase::Mbg(MBG);
    let pareto = tierwise::model::Purchase::Pareto(PARETO_PUBLISHED);
    for ((x, t_x, t), want_mbg, want_pareto) in cases {
        let c = Customer { x, t_x, t };
        for (model, want) in [(&mbg, want_mbg), (&pareto, want_pareto)] {
            let got = [
                model.p_alive(&c),
                model.expected_purchases(&c, 39.0),
                model.expected_purchases(&c, 52.0),
            ];
            for k in 0..3 {
                assert!(
                    near(got[k], want[k]),
                    "{model:?} {c:?} [{k}]: {} vs {}",
                    got[k],
                    want[k]
                );
            }
        }
    }
    // a one-time buyer is alive with a probability below 1 that falls with the time since the
    // purchase (MBG/NBD, Pareto/NBD), where BG/NBD says 1
    for model in [&mbg, &pareto] {
        let p = |t: f64| {
            model.p_alive(&Customer {
                x: 0.0,
                t_x: 0.0,
                t,
            })
        };
        assert!(
            p(32.71) < 1.0 && p(38.86) < p(32.71) && p(78.0) < p(38.86),
            "{model:?}"
        );
    }
    // unconditional E[X(t)] for a new customer at t = 1, 13, 39, 78
    let unc_mbg = [
        0.053060616939873717,
        0.53508635168355262,
        1.1822835552177358,
        1.8036358339112352,
    ];
    let unc_pareto = [
        0.051008889546698273,
        0.53142665088413728,
        1.2134760672924599,
        1.9099967450421433,
    ];
    for (k, t) in [1.0, 13.0, 39.0, 78.0].into_iter().enumerate() {
        let m = bgnbd::unconditional_expected_of(&MBG, t, Variant::Modified);
        assert!(near(m, unc_mbg[k]), "MBG E[X({t})] {m} vs {}", unc_mbg[k]);
        let p = paretonbd::unconditional_expected(&PARETO_PUBLISHED, t);
        assert!(
            near(p, unc_pareto[k]),
            "Pareto E[X({t})] {p} vs {}",
            unc_pareto[k]
        );
    }
}

/// The MBG/NBD fit on CDNOW against the reference maximum (mpmath Nelder–Mead and lifetimes'
/// ModifiedBetaGeoFitter agree to 6e-7). The core fits the unrounded days, the references the
/// summary's weeks rounded to 2 decimals, so the parameters agree to about 1e-5, not further.
#[test]
fn mbg_nbd_fit_equals_the_reference_maximum() {
    let (d, c) = distinct(&cdnow_days());
    let fit = bgnbd::fit_distinct_of(&d, &c, 7.0, Variant::Modified).unwrap();
    assert!(fit.converged);
    let p = fit.params;
    for (got, want, name) in [
        (p.r, MBG.r, "r"),
        (p.alpha, MBG.alpha, "alpha"),
        (p.a, MBG.a, "a"),
        (p.b, MBG.b, "b"),
    ] {
        assert!(rel(got, want, 1e-4), "{name} = {got} (reference {want})");
    }
    assert!(
        (fit.log_likelihood - -9582.132685).abs() < 0.01,
        "{}",
        fit.log_likelihood
    );
}

fn cdnow_analysis(extra: &str) -> tierwise::Analysis {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/cdnow/CDNOW_sample.txt"
    ))
    .unwrap();
    let opts = Options::from_json(&format!(
        r#"{{"analysisDate": "1997-09-30", "columns": {{"customer": 1, "date": 2, "amount": 4}}{extra}}}"#
    ))
    .unwrap();
    tierwise::analyze(&bytes, &opts).unwrap()
}

/// `model.kind` picks the family; the summary names it and holds its parameters under its key.
#[test]
fn model_kind_chooses_the_family() {
    let m = cdnow_analysis(r#", "model": {"kind": "mbgnbd"}"#);
    let s = serde_json::to_value(&m.summary).unwrap();
    assert_eq!(s["model"]["kind"], "mbgnbd");
    assert!(s["model"].get("bgnbd").is_none());
    assert!(rel(
        s["model"]["mbgnbd"]["b"].as_f64().unwrap(),
        MBG.b,
        1e-4
    ));
    // customer 0003 (one purchase, T = 38.86 weeks): P(alive) below 1 under MBG/NBD
    let i = (0..m.rows.len())
        .find(|&i| m.customer_id(i) == "0003")
        .unwrap();
    let p = m.p_alive_of(i).unwrap();
    assert!((p - 0.3897).abs() < 0.001, "{p}");
    // (no warning that one-time buyers are alive for sure: that is BG/NBD's)
    assert!(!m
        .summary
        .warnings
        .iter()
        .any(|w| w.contains("one-time buyers")));
    let p = cdnow_analysis(r#", "model": {"kind": "paretonbd"}"#);
    let s = serde_json::to_value(&p.summary).unwrap();
    assert_eq!(s["model"]["kind"], "paretonbd");
    assert!(rel(
        s["model"]["paretonbd"]["s"].as_f64().unwrap(),
        0.6062,
        0.005
    ));
    assert!(p.p_alive_of(i).unwrap() < 0.5);
    let bg = cdnow_analysis("");
    let s = serde_json::to_value(&bg.summary).unwrap();
    assert_eq!(s["model"]["kind"], "bgnbd");
    assert_eq!(bg.p_alive_of(i), Some(1.0));
    assert!(Options::from_json(r#"{"model": {"kind": "weibull"}}"#).is_err());
}

/// `auto` fits all three and keeps the lowest BIC = 4 ln n − 2 ln L: on CDNOW MBG/NBD
/// (ln L −9582.13) before BG/NBD (−9582.43) and Pareto/NBD (−9594.97).
#[test]
fn auto_picks_the_lowest_bic_and_says_why() {
    let a = cdnow_analysis(r#", "model": {"kind": "auto"}"#);
    let s = serde_json::to_value(&a.summary).unwrap();
    let m = &s["model"];
    assert_eq!(m["kind"], "mbgnbd");
    assert_eq!(m["auto"]["chosen"], "mbgnbd");
    let cands = m["auto"]["candidates"].as_array().unwrap();
    let kinds: Vec<&str> = cands.iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["bgnbd", "mbgnbd", "paretonbd"]);
    for c in cands {
        let ll = c["logLikelihood"].as_f64().unwrap();
        let bic = c["bic"].as_f64().unwrap();
        // (both printed to 10 significant digits)
        assert!((bic - (4.0 * 2357f64.ln() - 2.0 * ll)).abs() < 1e-3, "{c}");
    }
    let ll = |k: usize| cands[k]["logLikelihood"].as_f64().unwrap();
    assert!((ll(0) - -9582.43).abs() < 0.01 && (ll(2) - -9594.97).abs() < 0.01);
    // every family's parameters are in the summary, and the reason names the runner-up
    for k in ["bgnbd", "mbgnbd", "paretonbd"] {
        assert!(m[k]["r"].is_number(), "{k}");
    }
    let why = m["auto"]["why"].as_str().unwrap();
    assert!(
        why.starts_with("MBG/NBD chosen: the lowest BIC") && why.contains("next BG/NBD"),
        "{why}"
    );
    assert_eq!(m["auto"]["whyCode"]["code"], "model_chosen");
}
