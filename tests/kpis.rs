//! Retention, churn and monthly cohorts (`docs/kpis.md`) on five customers worked out by hand.
//!
//! Analysis date 2024-12-31, `kpis.activeDays` 365: the period is (2024-01-01, 2024-12-31]; active at
//! 2024-01-01 = an order in (2023-01-01, 2024-01-01]; active at 2024-12-31 = an order in
//! (2024-01-01, 2024-12-31].
//!
//! | customer | orders                 | active at t0 | active at t1 | new in the period |
//! |----------|------------------------|--------------|--------------|-------------------|
//! | A        | 2023-06-01, 2024-06-01 | yes          | yes          | no                |
//! | B        | 2023-03-01             | yes          | no           | no                |
//! | C        | 2024-02-01, 2024-03-15 | no           | yes          | yes               |
//! | D        | 2022-05-01             | no           | no           | no                |
//! | E        | 2024-01-01             | yes (age 0)  | no (age 365) | no (first = t0)   |
//!
//! S = 3 (A, B, E), E = 2 (A, C), N = 1 (C): retention = (2 − 1) / 3, churn = 2 / 3.

use tierwise::{analyze, Options};

const CSV: &str = "customer_id,order_date,amount
A,2023-06-01,10
A,2024-06-01,10
B,2023-03-01,10
C,2024-02-01,10
C,2024-03-15,10
D,2022-05-01,10
E,2024-01-01,10
";

#[test]
fn retention_and_cohorts_by_hand() {
    let opts = Options::from_json(r#"{"analysisDate": "2024-12-31"}"#).unwrap();
    let a = analyze(CSV.as_bytes(), &opts).unwrap();
    let r = &a.summary.kpis.retention;
    assert_eq!(
        (r.from.as_str(), r.to.as_str()),
        ("2024-01-01", "2024-12-31")
    );
    assert_eq!((r.active_at_start, r.active_at_end, r.new), (3, 2, 1));
    assert_eq!(r.retention, Some(1.0 / 3.0));
    assert_eq!(r.churn, Some(1.0 - 1.0 / 3.0));

    let c = &a.summary.kpis.cohorts;
    let months: Vec<&str> = c.iter().map(|c| c.month.as_str()).collect();
    assert_eq!(
        months,
        ["2022-05", "2023-03", "2023-06", "2024-01", "2024-02"]
    );
    // A's cohort (2023-06): June 2023 … December 2024 = 19 months; orders in months 0 and 12
    let a_cohort = &c[2];
    assert_eq!(a_cohort.customers, 1);
    assert_eq!(a_cohort.active.len(), 19);
    let ordered: Vec<usize> = (0..19).filter(|&k| a_cohort.active[k] > 0.0).collect();
    assert_eq!(ordered, vec![0, 12]);
    // C's cohort (2024-02): February … December = 11 months; orders in months 0 and 1
    assert_eq!(c[4].active.len(), 11);
    assert_eq!(&c[4].active[..3], &[1.0, 1.0, 0.0]);
}

#[test]
fn retention_is_null_without_customers_active_at_the_start() {
    // a shorter window: activeDays 30 → t0 = 2024-12-01; nobody ordered in (2024-11-01, 2024-12-01]
    let opts = Options::from_json(r#"{"analysisDate": "2024-12-31", "kpis": {"activeDays": 30}}"#)
        .unwrap();
    let a = analyze(CSV.as_bytes(), &opts).unwrap();
    let r = &a.summary.kpis.retention;
    assert_eq!(r.from, "2024-12-01");
    assert_eq!(r.active_at_start, 0);
    assert_eq!(r.retention, None);
    assert_eq!(r.churn, None);
}
