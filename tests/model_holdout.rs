//! The holdout check (`docs/models.md#holdout`) on CDNOW: BG/NBD fitted on the 39 weeks up to
//! 1997-09-30, predicting the 39 weeks after, against an independent computation
//! (tests/fixtures/model/holdout_reference.py: lifetimes 0.11.3 with a tight re-fit, and mpmath at 40
//! digits for the predictions; its output is tests/fixtures/model/holdout_reference.txt).
#![allow(clippy::excessive_precision)]
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use tierwise::Options;

fn cdnow(extra: &str) -> tierwise::Analysis {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/cdnow/CDNOW_sample.txt"
    ))
    .unwrap();
    let opts = Options::from_json(&format!(
        r#"{{"analysisDate": "1998-06-30", "columns": {{"customer": 1, "date": 2, "amount": 4}}{extra}}}"#
    ))
    .unwrap();
    tierwise::analyze(&bytes, &opts).unwrap()
}

fn rel(got: f64, want: f64, tol: f64) -> bool {
    ((got - want) / want).abs() <= tol
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// The reference fit differs from ours only by the optimisers' tolerances (about 1e-6 in the
/// parameters), so the predictions agree to about 1e-5.
const TOL: f64 = 1e-5;

fn check_cdnow(h: &Value) {
    assert_eq!(h["cut"], "1997-09-30");
    assert_eq!(h["end"], "1998-06-30");
    assert_eq!(h["periods"], 39);
    assert_eq!(h["customers"], 2357);
    assert_eq!(h["repeatBuyers"], 946);
    // the calibration fit: r, α, a, b and the log-likelihood of the reference
    let fit = &h["fit"];
    for (k, want) in [
        ("r", 0.24259452243015647),
        ("alpha", 4.4136020190135001),
        ("a", 0.79292201722552569),
        ("b", 2.4259067768260394),
    ] {
        assert!(rel(f(&fit[k]), want, TOL), "{k} {} vs {want}", fit[k]);
    }
    assert!((f(&fit["logLikelihood"]) - -9582.4292066739308).abs() < 1e-4);
    // the tracking curve: actual counts exactly, predictions to TOL
    let actual = h["tracking"]["actual"].as_array().unwrap();
    let predicted = h["tracking"]["predicted"].as_array().unwrap();
    assert_eq!((actual.len(), predicted.len()), (39, 39));
    for (k, a, p) in [
        (1, 50, 52.146762613776858),
        (13, 726, 628.02243713982875),
        (26, 1387, 1171.1432995596706),
        (39, 1882, 1653.4086979425579),
    ] {
        assert_eq!(actual[k - 1], a, "week {k}");
        assert!(
            rel(f(&predicted[k - 1]), p, TOL),
            "week {k}: {} vs {p}",
            predicted[k - 1]
        );
    }
    // cumulative: never falling
    assert!(predicted.windows(2).all(|w| f(&w[1]) >= f(&w[0])));
    // the conditional-expectation table by calibration purchases
    let table = h["byPurchases"].as_array().unwrap();
    let want = [
        ("0", 1411, 0.23671155209071582, 0.22508732611461549),
        ("1", 439, 0.69703872437357628, 0.52313117336311421),
        ("2", 214, 1.3925233644859814, 1.044134121678266),
        ("3", 100, 1.56, 1.5202795129714497),
        ("4", 62, 2.532258064516129, 2.1638657993335246),
        ("5", 38, 2.9473684210526314, 2.6538458849175233),
        ("6", 29, 3.8620689655172415, 3.5040422987038307),
        ("7+", 64, 6.359375, 6.1571905078777949),
    ];
    assert_eq!(table.len(), want.len());
    for (row, (x, n, a, p)) in table.iter().zip(want) {
        assert_eq!(row["x"], x);
        assert_eq!(row["customers"], n, "x = {x}");
        assert!(
            rel(f(&row["actual"]), a, 1e-9),
            "x = {x}: actual {}",
            row["actual"]
        );
        assert!(
            rel(f(&row["predicted"]), p, TOL),
            "x = {x}: predicted {}",
            row["predicted"]
        );
    }
    assert_eq!(f(&h["actualTotal"]), 1882.0);
    assert!(rel(f(&h["predictedTotal"]), 1653.4086979425579, TOL));
    assert!(rel(f(&h["mae"]), 0.78545423660607894, TOL));
    assert!((f(&h["totalErrorPct"]) - -12.146190332488956).abs() < 1e-3);
    assert_eq!(h["verdictCode"]["code"], "holdout_verdict");
    assert!(
        h["verdict"]
            .as_str()
            .unwrap()
            .contains("total error of -12.1 %"),
        "{}",
        h["verdict"]
    );
}

#[test]
fn cdnow_39_weeks_equal_the_reference() {
    let a = cdnow(r#", "model": {"holdout": "1997-09-30"}"#);
    let s = serde_json::to_value(&a.summary).unwrap();
    check_cdnow(&s["model"]["holdout"]);
    // per customer: sample ids 1, 2, 6, 9 (reference: actual, predicted E[Y(39)])
    for (id, actual, predicted) in [
        ("0001", 1.0, 1.2259944552872968),
        ("0002", 0.0, 0.20341884752959777),
        ("0006", 8.0, 3.3375713580461941),
        ("0009", 2.0, 1.3242816180736405),
    ] {
        let i = (0..a.rows.len()).find(|&i| a.customer_id(i) == id).unwrap();
        assert_eq!(a.holdout_actual[i], actual, "{id}");
        assert!(
            rel(a.holdout_predicted[i], predicted, TOL),
            "{id}: {}",
            a.holdout_predicted[i]
        );
    }
    // the same cut given as 39 periods (weeks) before the analysis date
    let b = cdnow(r#", "model": {"holdout": 39}"#);
    let t = serde_json::to_value(&b.summary).unwrap();
    assert_eq!(s["model"]["holdout"], t["model"]["holdout"]);
}

#[test]
fn holdout_edges_are_explained_not_fatal() {
    // a cut on or after the analysis date: the check says why, the analysis stands
    let a = cdnow(r#", "model": {"holdout": "1998-06-30"}"#);
    let s = serde_json::to_value(&a.summary).unwrap();
    let h = &s["model"]["holdout"];
    assert_eq!(
        h["notComputedCode"]["code"], "holdout_cut_not_before",
        "{h}"
    );
    assert!(s["model"]["bgnbd"]["r"].is_number());
    // a cut before every first purchase: nobody to calibrate on
    let a = cdnow(r#", "model": {"holdout": "1990-01-01"}"#);
    let s = serde_json::to_value(&a.summary).unwrap();
    assert_eq!(
        s["model"]["holdout"]["notComputedCode"]["code"],
        "too_few_customers"
    );
    // a date far before: more than 1,000 periods are not counted (bounded memory), and the check
    // says so rather than compare a longer actual period with a shorter prediction
    let a = cdnow(r#", "model": {"holdout": "0001-01-01"}"#);
    let s = serde_json::to_value(&a.summary).unwrap();
    assert_eq!(
        s["model"]["holdout"]["notComputedCode"]["code"],
        "holdout_too_long"
    );
    // in days: 1,032 days from 1995-09-02 to 1998-06-30, over the bound
    let a = cdnow(r#", "model": {"timeUnit": "day", "holdout": "1995-09-02"}"#);
    let s = serde_json::to_value(&a.summary).unwrap();
    assert_eq!(
        s["model"]["holdout"]["notComputedCode"]["code"],
        "holdout_too_long"
    );
    // wrong values are named
    for bad in [r#"0"#, r#"1001"#, r#""30/09/1997""#, r#"-3"#, r#"true"#] {
        let o = Options::from_json(&format!(r#"{{"model": {{"holdout": {bad}}}}}"#));
        let e = o.and_then(|o| o.validate().map(|_| o));
        assert!(e.is_err(), "{bad}");
        assert!(e.unwrap_err().to_string().contains("model"), "{bad}");
    }
}
