//! The `signal` churn flag (`docs/churn.md`): a mapped signal column true within the recent window
//! (`churn.windowDays`, default 90 days: ages 0 … 89, so from 2024-01-02 for 2024-03-31).

use tierwise::{analyze, Options};

const CSV: &str = "customer_id,order_date,amount,complaint
A,2024-02-01,10,
A,2024-03-01,10,yes
B,2023-12-01,10,1
B,2024-03-20,10,0
C,2024-03-10,10,no
D,2024-03-30,10,是
E,2024-01-02,10,TRUE
F,2024-01-01,10,x
";

#[test]
fn signal_flag_within_the_recent_window() {
    let opts = Options::from_json(
        r#"{"analysisDate": "2024-03-31", "columns": {"signals": ["complaint"]}}"#,
    )
    .unwrap();
    let a = analyze(CSV.as_bytes(), &opts).unwrap();
    let with_signal: Vec<String> = a
        .rows
        .iter()
        .filter(|r| r.flags.contains(tierwise::labels::Flag::Signal))
        .map(|r| a.ids.text(r.id).into_owned())
        .collect();
    // A: "yes" 30 days ago; B: "1" 121 days ago (outside), "0" is false; C: "no"; D: "是" 1 day ago;
    // E: "TRUE" on 2024-01-02 (age 89, inside); F: "x" on 2024-01-01 (age 90, outside)
    assert_eq!(with_signal, vec!["A", "D", "E"]);
    assert_eq!(a.summary.churn.flags["signal"], 3);
    let csv = String::from_utf8(a.to_csv()).unwrap();
    let a_line = csv.lines().find(|l| l.starts_with("A,")).unwrap();
    assert!(a_line.contains("signal"), "{a_line}");
}

#[test]
fn without_signal_columns_nobody_has_the_flag() {
    let opts = Options::from_json(r#"{"analysisDate": "2024-03-31"}"#).unwrap();
    let a = analyze(CSV.as_bytes(), &opts).unwrap();
    assert!(a
        .rows
        .iter()
        .all(|r| !r.flags.contains(tierwise::labels::Flag::Signal)));
}
