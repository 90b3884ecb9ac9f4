//! The monthly series `kpis.monthly` (`docs/kpis.md#months`) on a small file worked out by hand.
//!
//! Analysis date 2024-03-15; order ids mapped; `C` + digits is a cancellation (default prefix).
//!
//! | row | customer | date       | order | amount | what it is                                      |
//! |-----|----------|------------|-------|--------|-------------------------------------------------|
//! | 1   | A        | 2024-01-05 | O1    | 100    | order                                           |
//! | 2   | A        | 2024-01-31 | O2    | 50     | order O2, first row (January)                   |
//! | 3   | A        | 2024-02-01 | O2    | 25     | order O2, second row: O2 counts in January      |
//! | 4   | A        | 2024-03-15 | O3    | 40     | order on the analysis date (counts)             |
//! | 5   | A        | 2024-02-10 | C9    | 30     | cancellation (a return)                         |
//! | 6   | B        | 2023-12-20 | O4    | 200    | order                                           |
//! | 7   | B        | 2024-03-01 | O5    | -20    | negative amount (a return)                      |
//! | 8   | C        | 2024-02-14 | O6    | 70     | order                                           |
//! | 9   | C        | 2024-03-20 | O7    | 500    | after the analysis date: excluded               |
//! | 10  | D        | 2024-01-10 | C10   | 15     | D has only a return                             |
//!
//! `net` (default): returns lower revenue by their absolute value in their own month and are not
//! orders; D has no order, so D is not analysed and is in no month.
//!
//! | month   | revenue               | orders      | active | new |
//! |---------|-----------------------|-------------|--------|-----|
//! | 2023-12 | 200                   | 1 (O4)      | 1 (B)  | 1 B |
//! | 2024-01 | 100 + 50 = 150        | 2 (O1, O2)  | 1 (A)  | 1 A |
//! | 2024-02 | 25 − 30 + 70 = 65     | 1 (O6)      | 2 (AC) | 1 C |
//! | 2024-03 | 40 − 20 = 20          | 1 (O3)      | 1 (A)  | 0   |
//!
//! Sum of revenue 435 = A 185 + B 180 + C 70 (the monetary total); sum of orders 5 = A 3 + B 1 + C 1.

use tierwise::{analyze, Options};

/// The hand-made file of docs/kpis.md#months (also read by tests/e2e/charts.test.mjs).
const CSV: &str = include_str!("fixtures/kpis/months.csv");

/// (month, revenue, orders, active, new) of one entry.
type Row = (String, Option<f64>, u64, u64, u64);

/// The entries of `kpis.monthly` and `kpis.monthlyOmitted`.
fn series(extra: &str, csv: &str) -> (Vec<Row>, u64) {
    let json = format!(
        r#"{{"analysisDate": "2024-03-15", "columns": {{"customer": "customer_id", "date": "order_date", "order": "order_id", "amount": "amount"}}{extra}}}"#
    );
    let opts = Options::from_json(&json).unwrap();
    let a = analyze(csv.as_bytes(), &opts).unwrap();
    let k = &a.summary.kpis;
    (
        k.monthly
            .iter()
            .map(|m| {
                (
                    m.month.clone(),
                    m.revenue,
                    m.orders,
                    m.active_customers,
                    m.new_customers,
                )
            })
            .collect(),
        k.monthly_omitted,
    )
}

fn row(
    m: &str,
    rev: f64,
    orders: u64,
    active: u64,
    new: u64,
) -> (String, Option<f64>, u64, u64, u64) {
    (m.to_string(), Some(rev), orders, active, new)
}

#[test]
fn net_returns_by_hand() {
    let (s, omitted) = series("", CSV);
    assert_eq!(omitted, 0);
    assert_eq!(
        s,
        vec![
            row("2023-12", 200.0, 1, 1, 1),
            row("2024-01", 150.0, 2, 1, 1),
            row("2024-02", 65.0, 1, 2, 1),
            row("2024-03", 20.0, 1, 1, 0),
        ]
    );
}

/// `keep`: every row counts like an order with its signed amount (the cancellation C9 adds +30),
/// so D is analysed (January: +15, an order, active and new).
///
/// | month   | revenue              | orders         | active  | new   |
/// |---------|----------------------|----------------|---------|-------|
/// | 2023-12 | 200                  | 1              | 1       | 1     |
/// | 2024-01 | 100 + 50 + 15 = 165  | 3 (O1 O2 C10)  | 2 (A D) | 2 A D |
/// | 2024-02 | 25 + 30 + 70 = 125   | 2 (C9 O6)      | 2 (A C) | 1 C   |
/// | 2024-03 | 40 − 20 = 20         | 2 (O3 O5)      | 2 (A B) | 0     |
#[test]
fn keep_returns_by_hand() {
    let (s, _) = series(r#", "returns": "keep""#, CSV);
    assert_eq!(
        s,
        vec![
            row("2023-12", 200.0, 1, 1, 1),
            row("2024-01", 165.0, 3, 2, 2),
            row("2024-02", 125.0, 2, 2, 1),
            row("2024-03", 20.0, 2, 2, 0),
        ]
    );
}

/// `ignore`: return rows are dropped; revenue Feb 25 + 70 = 95, March 40; orders as under `net`.
#[test]
fn ignore_returns_by_hand() {
    let (s, _) = series(r#", "returns": "ignore""#, CSV);
    assert_eq!(
        s,
        vec![
            row("2023-12", 200.0, 1, 1, 1),
            row("2024-01", 150.0, 2, 1, 1),
            row("2024-02", 95.0, 1, 2, 1),
            row("2024-03", 40.0, 1, 1, 0),
        ]
    );
}

/// `frequency: days`: distinct purchase days per customer, each in its month: A 01-05, 01-31,
/// 02-01, 03-15; B 2023-12-20; C 02-14 → [1, 2, 2, 1]. `rows`: order rows → the same counts here
/// (January: A's two rows; February: A's 02-01 and C's row).
#[test]
fn other_frequency_units() {
    for unit in ["days", "rows"] {
        let (s, _) = series(&format!(r#", "frequency": "{unit}""#), CSV);
        let orders: Vec<u64> = s.iter().map(|r| r.2).collect();
        assert_eq!(orders, [1, 2, 2, 1], "{unit}");
    }
}

/// Without an amount, revenue is null and the other figures stay.
#[test]
fn without_amount_revenue_is_null() {
    let csv = "customer_id,order_date\nA,2024-01-05\nA,2024-03-02\nB,2024-03-10\n";
    let opts = Options::from_json(r#"{"analysisDate": "2024-03-15"}"#).unwrap();
    let a = analyze(csv.as_bytes(), &opts).unwrap();
    let m = &a.summary.kpis.monthly;
    let got: Vec<_> = m
        .iter()
        .map(|m| {
            (
                m.month.as_str(),
                m.revenue,
                m.orders,
                m.active_customers,
                m.new_customers,
            )
        })
        .collect();
    // February has no order: the month is still there, with zeros
    assert_eq!(
        got,
        [
            ("2024-01", None, 1, 1, 1),
            ("2024-02", None, 0, 0, 0),
            ("2024-03", None, 2, 2, 1)
        ]
    );
}

/// The series keeps the last 120 months like the cohorts: a first order in January 1990 and the
/// analysis month March 2024 keep April 2014 … March 2024; the months from January 1990 to March
/// 2014 are omitted: 24 years × 12 + 3 = 291.
#[test]
fn capped_to_the_last_120_months() {
    let csv = "customer_id,order_date,order_id,amount\nX,1990-01-15,O1,10\nX,2024-03-01,O2,7\nY,2014-04-30,O3,5\n";
    let (s, omitted) = series("", csv);
    assert_eq!(omitted, 291);
    assert_eq!(s.len(), 120);
    assert_eq!(s[0], row("2014-04", 5.0, 1, 1, 1));
    assert_eq!(s[119], row("2024-03", 7.0, 1, 1, 0));
    let total: f64 = s.iter().filter_map(|r| r.1).sum();
    assert_eq!(total, 12.0);
}

/// The JSON names of the contract.
#[test]
fn json_names() {
    let opts = Options::from_json(r#"{"analysisDate": "2024-03-15"}"#).unwrap();
    let a = analyze(CSV.as_bytes(), &opts).unwrap();
    let v = serde_json::to_value(&a.summary).unwrap();
    let m = &v["kpis"]["monthly"][0];
    for key in [
        "month",
        "revenue",
        "orders",
        "activeCustomers",
        "newCustomers",
    ] {
        assert!(m.get(key).is_some(), "{key} missing in {m}");
    }
    assert_eq!(v["kpis"]["monthlyOmitted"], 0);
}
