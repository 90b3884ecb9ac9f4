//! Results before the models (`docs/models.md#later`): an analysis finished without the models
//! (`Analyzer::finish_pass_deferred`) and fitted afterwards (`Analysis::fit_models`) must equal the
//! one-step analysis byte for byte (CSV and summary JSON) on every input: the ingest fixture corpus
//! with each fixture's options, the page's sample and the CDNOW sample. Before the fit, nothing that
//! depends on the models may carry a number: the model columns are empty, risk is withheld and the
//! summary says the models are pending; everything else is already final.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::{json, Value};
use std::path::PathBuf;
use tierwise::report::Column;
use tierwise::{Analysis, Analyzer, Finish, Options};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The deferred path with the two-pass protocol, as `tierwise::analyze` runs the one-step one.
fn deferred(bytes: &[u8], opts: &Options) -> Result<Analysis, String> {
    let mut a = Analyzer::new(opts.clone()).map_err(|e| e.to_string())?;
    a.push(bytes).map_err(|e| e.to_string())?;
    match a.finish_pass_deferred().map_err(|e| e.to_string())? {
        Finish::Done(a) => Ok(*a),
        Finish::Rerun(d) => {
            let mut b = Analyzer::with_decisions(opts.clone(), d).map_err(|e| e.to_string())?;
            b.push(bytes).map_err(|e| e.to_string())?;
            b.finish_deferred().map_err(|e| e.to_string())
        }
    }
}

/// The model-dependent columns (docs/outputs.md: risk, p_alive, expected_purchases,
/// predicted_clv).
const MODEL_COLUMNS: [Column; 4] = [
    Column::Risk,
    Column::PAlive,
    Column::ExpectedPurchases,
    Column::PredictedClv,
];

/// Checks one input; returns the problems found (empty = fine).
fn check(name: &str, bytes: &[u8], opts: &Options) -> Vec<String> {
    let mut problems = Vec::new();
    let one = tierwise::analyze(bytes, opts).map_err(|e| e.to_string());
    let two = deferred(bytes, opts);
    let (one, mut two) = match (one, two) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(a), Err(b)) if a == b => return problems,
        (a, b) => {
            return vec![format!(
                "{name}: one-step {:?} but deferred {:?}",
                a.err(),
                b.err()
            )]
        }
    };
    let pending = opts.model.enabled;
    if two.models_pending() != pending {
        problems.push(format!(
            "{name}: models_pending() = {}, expected {pending}",
            two.models_pending()
        ));
    }
    if pending {
        let s = serde_json::to_value(&two.summary).unwrap();
        if s["model"] != json!({ "pending": true }) {
            problems.push(format!("{name}: pending summary.model = {}", s["model"]));
        }
        if s["churn"]["risk"] != json!({}) || s["churn"]["methodCode"]["code"] != "risk_pending" {
            problems.push(format!("{name}: pending summary.churn = {}", s["churn"]));
        }
        for i in 0..two.rows.len() {
            for col in MODEL_COLUMNS {
                let f = two.field(i, col);
                if !f.is_empty() {
                    problems.push(format!("{name}: row {i} {col:?} = {f:?} while pending"));
                }
            }
            // everything else is final already
            for &col in Column::ALL.iter().filter(|c| !MODEL_COLUMNS.contains(c)) {
                if two.field(i, col) != one.field(i, col) {
                    problems.push(format!("{name}: row {i} {col:?} differs before the fit"));
                }
            }
        }
        let (mut a, mut b) = (
            serde_json::to_value(&one.summary).unwrap(),
            serde_json::to_value(&two.summary).unwrap(),
        );
        for v in [&mut a, &mut b] {
            let o = v.as_object_mut().unwrap();
            for k in ["model", "warnings", "warningCodes"] {
                o.remove(k);
            }
            let churn = o.get_mut("churn").unwrap().as_object_mut().unwrap();
            for k in ["risk", "decidedBy", "method", "methodCode"] {
                churn.remove(k);
            }
        }
        if a != b {
            problems.push(format!(
                "{name}: the pending summary differs beyond model, churn.risk/method, warnings"
            ));
        }
    }
    two.fit_models();
    if two.models_pending() {
        problems.push(format!("{name}: still pending after fit_models"));
    }
    if one.to_csv() != two.to_csv() {
        problems.push(format!("{name}: CSV differs after fit_models"));
    }
    let (a, b) = (
        serde_json::to_string(&one.summary).unwrap(),
        serde_json::to_string(&two.summary).unwrap(),
    );
    if a != b {
        problems.push(format!("{name}: summary JSON differs after fit_models"));
    }
    // a second fit changes nothing
    let before = two.to_csv();
    two.fit_models();
    if two.to_csv() != before {
        problems.push(format!("{name}: a second fit_models changed the CSV"));
    }
    problems
}

#[test]
fn deferred_then_fitted_equals_one_step_on_the_fixture_corpus() {
    let dir = root().join("tests/fixtures/ingest");
    let mut problems = Vec::new();
    let mut cases = 0;
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".expect.json"))
        .collect();
    files.sort();
    for exp_path in files {
        let stem = exp_path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .trim_end_matches(".expect.json")
            .to_string();
        let Some(data) = ["csv", "tsv", "txt"]
            .iter()
            .map(|e| dir.join(format!("{stem}.{e}")))
            .find(|p| p.exists())
        else {
            continue;
        };
        let exp: Value =
            serde_json::from_str(&std::fs::read_to_string(&exp_path).unwrap()).unwrap();
        let options = exp.get("options").cloned().unwrap_or(json!({}));
        let Ok(opts) = Options::from_json(&options.to_string()) else {
            continue; // invalid options are the corpus' own test
        };
        let bytes = std::fs::read(&data).unwrap();
        problems.extend(check(&stem, &bytes, &opts));
        // and with the models switched off: nothing pending, the same result
        let mut off = opts.clone();
        off.model.enabled = false;
        problems.extend(check(&format!("{stem} (model off)"), &bytes, &off));
        cases += 1;
    }
    assert!(cases >= 30, "only {cases} corpus cases found");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn deferred_then_fitted_equals_one_step_on_the_sample_and_cdnow() {
    let sample = std::fs::read(root().join("www/sample.csv")).unwrap();
    let mut problems = check("www/sample.csv", &sample, &Options::default());
    let cdnow = std::fs::read(root().join("tests/fixtures/cdnow/CDNOW_sample.txt")).unwrap();
    for extra in ["", r#", "model": {"timeUnit": "day"}"#] {
        let opts = Options::from_json(&format!(
            r#"{{"analysisDate": "1997-09-30", "columns": {{"customer": 1, "date": 2, "amount": 4}}{extra}}}"#
        ))
        .unwrap();
        problems.extend(check(&format!("CDNOW{extra}"), &cdnow, &opts));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_models_warnings_keep_their_place_between_the_others() {
    // summary.warnings of a one-step analysis: ingest warnings, then the models' (CDNOW has one-time
    // buyers: `one_time_buyers_alive`), then the analytics' (`rfm11_needs_five_bins` with 4 bins).
    // A byte that is not UTF-8 in a file read as UTF-8 adds `decode_errors` before them all.
    let mut bytes = std::fs::read(root().join("tests/fixtures/cdnow/CDNOW_sample.txt")).unwrap();
    bytes.extend_from_slice(b"99999\xff   99999 19970101 1 1.00\n");
    let opts = Options::from_json(
        r#"{"analysisDate": "1997-09-30", "encoding": "utf-8", "rfm": {"bins": 4},
            "columns": {"customer": 1, "date": 2, "amount": 4}}"#,
    )
    .unwrap();
    let one = tierwise::analyze(&bytes, &opts).unwrap();
    let codes: Vec<&str> = one.summary.warning_codes.iter().map(|m| m.code()).collect();
    let at = |c: &str| codes.iter().position(|x| *x == c);
    let (decode, model, rfm11) = (
        at("decode_errors"),
        at("one_time_buyers_alive"),
        at("rfm11_needs_five_bins"),
    );
    assert!(
        decode.is_some() && model.is_some() && rfm11.is_some() && decode < model && model < rfm11,
        "the case needs the three kinds of warning in this order: {codes:?}"
    );
    let problems = check(
        "CDNOW with warnings before and after the models'",
        &bytes,
        &opts,
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn cdnow_is_fitted_so_the_fit_really_changes_risk() {
    // Guards the test above against passing vacuously: on CDNOW the BG/NBD model converges
    // (docs/models.md reference values), so the fit fills P(alive) and risk follows the model
    // band, which for the 1,411 customers flagged only `inactive` (medium by the rules) with
    // P(alive) = 1 (one-time buyers) is `low` (docs/churn.md).
    let cdnow = std::fs::read(root().join("tests/fixtures/cdnow/CDNOW_sample.txt")).unwrap();
    let opts = Options::from_json(
        r#"{"analysisDate": "1997-09-30", "columns": {"customer": 1, "date": 2, "amount": 4}}"#,
    )
    .unwrap();
    let mut a = deferred(&cdnow, &opts).unwrap();
    assert!(a.models_pending());
    assert_eq!(a.p_alive_of(0), None);
    assert_eq!(a.summary.churn.method_code.code(), "risk_pending");
    a.fit_models();
    assert!(!a.models_pending());
    assert_eq!(a.summary.churn.method_code.code(), "risk_by_model");
    assert_eq!(a.rows.len(), 2357);
    assert!((0..a.rows.len()).all(|i| a.p_alive_of(i).is_some()));
    // the fit raised some customers above their rule band (risk is the higher of the two bands)
    let by_model = a.summary.churn.decided_by["model"];
    assert!(
        by_model > 0,
        "risk set by the model band for {by_model} customers"
    );
    let decided: u64 = a.summary.churn.decided_by.values().sum();
    assert_eq!(decided, 2357);
}
