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

/// `tierwise analyze … --holdout FILE`: the check per customer as CSV. Expected values from the
/// reference (holdout_reference.txt: the "data" totals and the first customers' table), and the
/// raw file for the dates (sample ids 0001 and 0002 as listed in CDNOW_sample.txt).
#[test]
fn cli_writes_the_holdout_per_customer() {
    let dir = std::env::temp_dir().join(format!("tierwise-holdout-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv_path = dir.join("holdout.csv");
    let run = |options: &str, holdout: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_tierwise"))
            .arg("analyze")
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/cdnow/CDNOW_sample.txt"
            ))
            .args(["--options", options, "--out", "/dev/null", "--holdout"])
            .arg(holdout)
            .output()
            .unwrap()
    };
    let base =
        r#""analysisDate": "1998-06-30", "columns": {"customer": 1, "date": 2, "amount": 4}"#;
    let out = run(
        &format!(r#"{{{base}, "model": {{"holdout": "1997-09-30"}}}}"#),
        &csv_path,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&csv_path).unwrap();
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a BOM, as customers.csv");
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "customer_id,first_date,calibration_repeat_purchases,calibration_last_date,holdout_purchases,predicted_holdout_purchases"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    // every CDNOW customer made the first purchase in the calibration period (Jan–Mar 1997)
    assert_eq!(rows.len(), 2357);
    let col = |k: usize| rows.iter().map(move |r| r[k].parse::<f64>().unwrap());
    assert_eq!(col(2).sum::<f64>(), 2457.0); // sum(x)
    assert_eq!(col(4).sum::<f64>(), 1882.0); // holdout purchase days
    assert_eq!(col(4).filter(|&v| v > 0.0).count(), 684);
    assert!(rel(col(5).sum::<f64>(), 1653.4086979425579, TOL));
    assert_eq!(rows[0][..5], ["0001", "1997-01-01", "2", "1997-08-02", "1"]);
    assert!(rel(rows[0][5].parse().unwrap(), 1.2259944552872968, TOL));
    assert_eq!(rows[1][..5], ["0002", "1997-01-01", "1", "1997-01-13", "0"]);
    assert!(rel(rows[1][5].parse().unwrap(), 0.20341884752959777, TOL));
    // without a computed check: exit code 2, the reason named, no file
    let missing = dir.join("none.csv");
    let out = run(
        &format!(r#"{{{base}, "model": {{"holdout": "1998-06-30"}}}}"#),
        &missing,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not computed") && err.contains("1998-06-30"),
        "{err}"
    );
    assert!(!missing.exists());
    let out = run(&format!("{{{base}}}"), &missing);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs model.holdout"));
    assert!(!missing.exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// The holdout CSV keeps the customers CSV's rules: an id that would start a formula is guarded
/// with `'`, and `;` with a decimal comma writes the prediction as European Excel reads it.
#[test]
fn holdout_csv_guards_formulas_and_writes_decimal_commas() {
    let raw = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/cdnow/CDNOW_sample.txt"
    ))
    .unwrap();
    // customer 0001 renamed to a formula (its four lines start with " 00004 0001 ")
    let bytes = raw.replace(" 00004 0001 ", " 00004 =1+1 ");
    let opts = Options::from_json(
        r#"{"analysisDate": "1998-06-30", "columns": {"customer": 1, "date": 2, "amount": 4},
            "model": {"holdout": 39}}"#,
    )
    .unwrap();
    let a = tierwise::analyze(bytes.as_bytes(), &opts).unwrap();
    let format = tierwise::report::CsvFormat::parse(&a, "", None, Some(";"), Some(",")).unwrap();
    let csv = String::from_utf8(tierwise::report::holdout_csv(&a, format).unwrap()).unwrap();
    let guarded: Vec<&str> = csv.lines().filter(|l| l.contains("=1+1")).collect();
    assert_eq!(guarded.len(), 1, "{guarded:?}");
    let fields: Vec<&str> = guarded[0].split(';').collect();
    assert_eq!(fields[..5], ["'=1+1", "1997-01-01", "2", "1997-08-02", "1"]);
    // 1.2259944… with a decimal comma (reference as in cdnow_39_weeks_equal_the_reference)
    let p: f64 = fields[5].replace(',', ".").parse().unwrap();
    assert!(fields[5].starts_with("1,22599"), "{}", fields[5]);
    assert!(rel(p, 1.2259944552872968, TOL));
    // without a check there is no holdout CSV
    let plain = tierwise::analyze(
        bytes.as_bytes(),
        &Options::from_json(
            r#"{"analysisDate": "1998-06-30", "columns": {"customer": 1, "date": 2, "amount": 4}}"#,
        )
        .unwrap(),
    )
    .unwrap();
    assert!(tierwise::report::holdout_csv(&plain, format).is_none());
    assert!(!plain.has_holdout());
}
