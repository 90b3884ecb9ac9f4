//! Movement between two analysis dates (SPEC §6), worked out by hand.
//!
//! Orders: A 100 (2024-01-10); B 50 (2024-02-10); C 10 (2024-03-10) and 300 (2024-06-15);
//! D 500 (2024-05-15); E 1000 (2023-11-01). Earlier date 2024-03-31, later 2024-06-30.
//!
//! Earlier (E 1000, A 100, B 50, C 10; total 1160): ABC by the share held by those ranked above —
//! E 0 → A, A 1000/1160 = .86 → B, B 1100/1160 = .948 → B, C 1150/1160 = .99 → C. Ladder, n = 4
//! (limits VIP 1, Gold 1, Silver 2, Bronze 3, Regular 4): E VIP, A Silver, B Bronze, C Regular.
//!
//! Later (E 1000, D 500, C 310, A 100, B 50; total 1960): ABC — E A, D 1000/1960 = .51 → A,
//! C 1500/1960 = .77 → A, A 1810/1960 = .92 → B, B 1910/1960 = .97 → C. Ladder, n = 5 (limits 1, 1,
//! 2, 3, 5): E VIP, D Silver, C Bronze, A Regular, B Regular.
//!
//! E is top grade and has not ordered for 242 days (≥ 180): `high_value_lapsed`, a downgrade warning.

use tierwise::compare::compare_bytes;
use tierwise::Options;

const CSV: &str = "customer_id,order_date,amount
A,2024-01-10,100
B,2024-02-10,50
C,2024-03-10,10
C,2024-06-15,300
D,2024-05-15,500
E,2023-11-01,1000
";

#[test]
fn grade_movement_between_two_dates() {
    let early = Options::from_json(r#"{"analysisDate": "2024-03-31"}"#).unwrap();
    let late = Options::from_json(r#"{"analysisDate": "2024-06-30"}"#).unwrap();
    let c = compare_bytes(CSV.as_bytes(), &early, &late).unwrap();
    assert_eq!(
        (c.from.as_str(), c.to.as_str()),
        ("2024-03-31", "2024-06-30")
    );

    let abc = c.abc.unwrap();
    assert_eq!(abc.labels, ["A", "B", "C", "—"]);
    // rows: earlier grade; columns: later grade
    assert_eq!(
        abc.counts,
        vec![
            vec![1, 0, 0, 0], // E stays A
            vec![0, 1, 1, 0], // A stays B, B goes to C
            vec![1, 0, 0, 0], // C goes up to A
            vec![1, 0, 0, 0], // D is new, A
        ]
    );

    let moves = |m: &[tierwise::compare::Move]| -> Vec<(String, String, String)> {
        m.iter()
            .map(|m| (m.customer_id.clone(), m.from.clone(), m.to.clone()))
            .collect()
    };
    let s = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(moves(&c.moved_up), vec![s("C", "Regular", "Bronze")]);
    assert_eq!(
        moves(&c.moved_down),
        vec![s("A", "Silver", "Regular"), s("B", "Bronze", "Regular")]
    );
    assert_eq!(c.downgrade_warnings, vec!["E".to_string()]);

    let ladder = c.ladder.unwrap();
    assert_eq!(ladder.labels.last().map(String::as_str), Some("—"));
    // D: absent → Silver (index 2)
    assert_eq!(ladder.counts[5][2], 1);
}

#[test]
fn cli_compare_writes_the_comparison() {
    let dir = std::env::temp_dir().join(format!("tierwise-compare-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("orders.csv");
    std::fs::write(&input, CSV).unwrap();
    let out = dir.join("comparison.json");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_tierwise"))
        .args([
            "compare",
            input.to_str().unwrap(),
            "--from",
            "2024-03-31",
            "--to",
            "2024-06-30",
        ])
        .args(["--out", out.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(status.success());
    let c: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(c["movedUp"][0]["customerId"], "C");
    assert_eq!(c["movedDown"].as_array().unwrap().len(), 2);
    assert_eq!(c["downgradeWarnings"], serde_json::json!(["E"]));
    // a missing --to is a usage error
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_tierwise"))
        .args(["compare", input.to_str().unwrap(), "--from", "2024-03-31"])
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
    std::fs::remove_dir_all(&dir).ok();
}

/// Upgrade candidates as of 2024-12-31: quarters (2024-03-31, 06-30], (06-30, 09-30], (09-30, 12-31].
///
/// | customer | Q3 (oldest) | Q2  | Q1          | candidate?                                   |
/// |----------|-------------|-----|-------------|----------------------------------------------|
/// | G        | 100         | 120 | 150         | yes: 120 ≥ 1.2·100 (equal), 150 ≥ 144         |
/// | H        | 100         | 130 | 150         | no: 150 < 1.2·130 = 156                      |
/// | K        | 100         | 200 | 300 − 50    | yes: net 250 ≥ 240                           |
/// | N        | 0           | 50  | 100         | no: nothing in Q3 to grow from               |
/// | R        | 10          | 12  | 15          | yes (its 500 of 2023 is before the quarters) |
const GROWTH: &str = "customer_id,order_date,amount
G,2024-05-01,100
G,2024-08-01,120
G,2024-11-01,150
H,2024-05-01,100
H,2024-08-01,130
H,2024-11-01,150
K,2024-05-01,100
K,2024-08-01,200
K,2024-11-01,300
K,2024-11-20,-50
N,2024-08-01,50
N,2024-11-01,100
R,2023-01-01,500
R,2024-05-01,10
R,2024-08-01,12
R,2024-11-01,15
";

#[test]
fn upgrade_candidates_grew_20_percent_twice() {
    assert_eq!(
        tierwise::compare::quarter_dates("2024-12-31").unwrap(),
        ["2024-09-30", "2024-06-30", "2024-03-31"]
    );
    // a day that the earlier month lacks becomes that month's last day
    assert_eq!(
        tierwise::compare::quarter_dates("2024-05-31").unwrap(),
        ["2024-02-29", "2023-11-30", "2023-08-31"]
    );
    let early = Options::from_json(r#"{"analysisDate": "2024-09-30"}"#).unwrap();
    let late = Options::from_json(r#"{"analysisDate": "2024-12-31"}"#).unwrap();
    let c = compare_bytes(GROWTH.as_bytes(), &early, &late).unwrap();
    let got: Vec<(&str, [f64; 3])> = c
        .upgrade_candidates
        .iter()
        .map(|c| (c.customer_id.as_str(), c.quarters))
        .collect();
    assert_eq!(
        got,
        vec![
            ("G", [100.0, 120.0, 150.0]),
            ("K", [100.0, 200.0, 250.0]),
            ("R", [10.0, 12.0, 15.0])
        ]
    );
}
