//! Options are range-checked before any cast: day counts that would wrap a 32-bit day difference are
//! refused by name, a long threshold list is not echoed whole, and `compare` refuses dates in the wrong
//! order. Expected messages are written by hand from `docs/outputs.md#options`.

use std::process::Command;
use tierwise::{Options, TierwiseError};

fn error_of(json: &str) -> String {
    Options::from_json(json).unwrap_err().to_string()
}

#[test]
fn day_counts_beyond_the_bound_are_refused_before_any_cast() {
    // 2^31 and 2^32 − 1 used to become negative or −1 as i32 and flip the flags
    assert_eq!(
        error_of(r#"{"churn": {"inactiveDays": 2147483648}}"#),
        "invalid option churn.inactiveDays: must be at most 100000 days, got 2147483648"
    );
    assert_eq!(
        error_of(r#"{"lifecycle": {"newDays": 4294967295}}"#),
        "invalid option lifecycle.newDays: must be at most 100000 days, got 4294967295"
    );
    for key in [
        r#"{"churn": {"windowDays": 100001}}"#,
        r#"{"churn": {"highValueLapsedDays": 100001}}"#,
        r#"{"activity": {"windowDays": 100001}}"#,
        r#"{"grades": {"windowDays": 100001}}"#,
        r#"{"lifecycle": {"lapsedDays": 100001}}"#,
        r#"{"lifecycle": {"matureDays": 100001}}"#,
        r#"{"kpis": {"activeDays": 100001}}"#,
    ] {
        assert!(
            error_of(key).contains("must be at most 100000 days, got 100001"),
            "{key}"
        );
    }
    // the bound itself is allowed, and an analysis with it runs
    let o = Options::from_json(
        r#"{"churn": {"inactiveDays": 100000}, "kpis": {"activeDays": 100000}}"#,
    )
    .unwrap();
    let a = tierwise::analyze(b"customer_id,order_date\nA,2024-01-01\nB,2024-02-01\n", &o).unwrap();
    // nobody has gone 100,000 days without an order: no `inactive` flag
    assert_eq!(a.summary.churn.flags["inactive"], 0);
}

#[test]
fn a_long_threshold_list_is_not_echoed_whole() {
    let cuts: Vec<String> = (0..1000).map(|i| (1000 - i).to_string()).collect();
    let json = format!(
        r#"{{"rfm": {{"mode": "thresholds", "thresholds": {{"r": [{}], "f": [1], "m": [1]}}}}}}"#,
        cuts.join(",")
    );
    let e = error_of(&json);
    assert!(e.starts_with("invalid option rfm.thresholds.r: mode \"thresholds\" needs 1 to 9 increasing cut points, got [1000.0, 999.0,"), "{e}");
    assert!(e.ends_with("… (1000 values)"), "{e}");
    assert!(e.len() < 200, "{} bytes", e.len());
}

#[test]
fn compare_refuses_dates_in_the_wrong_order() {
    let csv = b"customer_id,order_date,amount\nA,2024-01-05,10\nA,2024-05-05,10\n";
    let early = Options::from_json(r#"{"analysisDate": "2024-06-30"}"#).unwrap();
    let late = Options::from_json(r#"{"analysisDate": "2024-03-31"}"#).unwrap();
    let e: TierwiseError = tierwise::compare::compare_bytes(csv, &early, &late).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid option analysisDate: the first date 2024-06-30 is after the second date 2024-03-31: give the earlier date first"
    );
    // the same dates the right way round work
    assert!(tierwise::compare::compare_bytes(csv, &late, &early).is_ok());

    let dir = std::env::temp_dir().join(format!("tierwise-order-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("t.csv");
    std::fs::write(&file, csv).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tierwise"))
        .args([
            "compare",
            file.to_str().unwrap(),
            "--from",
            "2024-06-30",
            "--to",
            "2024-03-31",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "tierwise: invalid option analysisDate: the first date 2024-06-30 is after the second date 2024-03-31: give the earlier date first"
    );
    std::fs::remove_dir_all(&dir).ok();
}
