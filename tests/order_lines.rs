//! Several lines of one order (the usual ERP / UCI retail export): consecutive lines of the same order
//! are stored as one event with a row count, which must not change any fact. Expected values are
//! worked out by hand from `docs/input.md`, `docs/facts.md` below.

use tierwise::{analyze, Options};

/// Orders with several lines, a return line inside an order, a two-line cancellation and a two-line
/// order after the analysis date (2024-01-31).
///
/// A: 1001 = 10 + 5 (two lines, same day), a line of −3 on 1001 (negative amount without a quantity:
///    a return), 1003 = 20, cancellation C1004 = −4 − 6, 1005 = 100 + 50 on 2024-02-01 (after).
/// B: 1002 = 7 + 8, then after A's 1003 another line of 1002 (+1, not adjacent to the others).
const CSV: &str = "order_id,customer_id,order_date,amount
1001,A,2024-01-01,10
1001,A,2024-01-01,5
1001,A,2024-01-01,-3
1002,B,2024-01-02,7
1002,B,2024-01-02,8
1003,A,2024-01-03,20
1002,B,2024-01-02,1
C1004,A,2024-01-04,-4
C1004,A,2024-01-04,-6
1005,A,2024-02-01,100
1005,A,2024-02-01,50
";

fn run(extra: &str) -> tierwise::Analysis {
    let json = format!(r#"{{"analysisDate": "2024-01-31"{extra}}}"#);
    let opts = Options::from_json(&json).unwrap();
    analyze(CSV.as_bytes(), &opts).unwrap()
}

fn money(a: &tierwise::Analysis, i: usize) -> f64 {
    a.rows[i].monetary as f64 / 1e6
}

#[test]
fn net_returns_count_every_line() {
    let a = run("");
    let s = &a.summary;
    assert_eq!(s.input.rows, 11);
    // two lines of 1005 fall after the analysis date
    assert_eq!(s.input.excluded.after_analysis_date, 2);
    // A: 3 lines of 1001, 1003, 2 lines of C1004 = 6; B: 3 lines
    assert_eq!(s.input.used, 9);
    assert_eq!(s.customers, 2);
    // A: 10 + 5 + 20 − |−3| − |−4| − |−6| = 22; orders among non-returns: 1001, 1003
    assert_eq!(a.ids.text(a.rows[0].id), "A");
    assert_eq!(money(&a, 0), 22.0);
    assert_eq!(a.rows[0].frequency, 2);
    // B: 7 + 8 + 1 = 16, one order
    assert_eq!(money(&a, 1), 16.0);
    assert_eq!(a.rows[1].frequency, 1);
}

#[test]
fn ignored_returns_count_every_line() {
    let a = run(r#", "returns": "ignore""#);
    // the −3 line and both lines of C1004
    assert_eq!(a.summary.input.excluded.ignored_returns, 3);
    assert_eq!(a.summary.input.used, 6);
    assert_eq!(money(&a, 0), 35.0);
}

#[test]
fn rows_frequency_counts_lines() {
    let a = run(r#", "frequency": "rows""#);
    // A's non-return lines up to the date: 10, 5, 20; B's: 7, 8, 1
    assert_eq!(a.rows[0].frequency, 3);
    assert_eq!(a.rows[1].frequency, 3);
    assert_eq!(money(&a, 0), 22.0);
}

#[test]
fn days_frequency_counts_purchase_days() {
    let a = run(r#", "frequency": "days""#);
    // A bought on 2024-01-01 and 2024-01-03; B on 2024-01-02
    assert_eq!(a.rows[0].frequency, 2);
    assert_eq!(a.rows[1].frequency, 1);
}

#[test]
fn kept_returns_add_their_signed_amounts() {
    let a = run(r#", "returns": "keep""#);
    // A: 10 + 5 − 3 + 20 − 4 − 6 = 22 as well, but every line counts as an order line:
    // orders 1001, 1003, C1004
    assert_eq!(money(&a, 0), 22.0);
    assert_eq!(a.rows[0].frequency, 3);
    assert_eq!(a.summary.input.used, 9);
}
