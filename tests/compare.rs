//! Movement between two analysis dates (`docs/churn.md`), worked out by hand.
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
    let got: Vec<(&str, Option<[f64; 3]>, bool)> = c
        .upgrade_candidates
        .iter()
        .map(|c| (c.customer_id.as_str(), c.quarters, c.spend_growth))
        .collect();
    assert_eq!(
        got,
        vec![
            ("G", Some([100.0, 120.0, 150.0]), true),
            ("K", Some([100.0, 200.0, 250.0]), true),
            ("R", Some([10.0, 12.0, 15.0]), true)
        ]
    );
    // no category column: that trigger never fires
    assert!(c
        .upgrade_candidates
        .iter()
        .all(|c| c.new_categories.is_empty()));
}

/// The "new category last quarter" trigger as of 2024-12-31: the last quarter is (2024-09-30,
/// 2024-12-31]; a customer qualifies when their first order is on or before 2024-09-30 and some
/// category's first order row falls in the quarter.
///
/// | customer | rows                                                    | candidate?                     |
/// |----------|---------------------------------------------------------|--------------------------------|
/// | A        | Books 03-01, Toys 10-15                                 | yes: Toys                      |
/// | B        | Books 03-01, Books 11-01                                | no: Books is not new           |
/// | C        | Toys 11-01 only                                         | no: a new customer             |
/// | D        | Books 09-30, Toys and Garden 12-31                      | yes: Garden, Toys (both ends)  |
/// | E        | Books 06-01, Toys 09-30, Toys 10-05                     | no: Toys first on 09-30        |
/// | F        | Books 06-01, Toys returned 10-05, Garden 2025-01-05     | no: a return; after the date   |
/// | G        | Books 06-01, empty category 10-05                       | no: no category                |
/// | H        | Books 06-01, "  Books  " 10-05                          | no: trimmed, the same category |
///
/// Spend: nobody grows 20 % twice (E: 10, 10, 10), so the candidates are the category ones only.
const CATEGORIES: &str = "customer_id,order_date,amount,category
A,2024-03-01,10,Books
A,2024-10-15,10,Toys
B,2024-03-01,10,Books
B,2024-11-01,10,Books
C,2024-11-01,10,Toys
D,2024-09-30,10,Books
D,2024-12-31,10,Toys
D,2024-12-31,10,Garden
E,2024-06-01,10,Books
E,2024-09-30,10,Toys
E,2024-10-05,10,Toys
F,2024-06-01,10,Books
F,2024-10-05,-10,Toys
F,2025-01-05,10,Garden
G,2024-06-01,10,Books
G,2024-10-05,10,
H,2024-06-01,10,Books
H,2024-10-05,10,  Books  
";

/// (customer, new categories, spend trigger) of each candidate.
fn category_candidates(c: &tierwise::compare::Comparison) -> Vec<(String, Vec<String>, bool)> {
    c.upgrade_candidates
        .iter()
        .map(|c| {
            (
                c.customer_id.clone(),
                c.new_categories.clone(),
                c.spend_growth,
            )
        })
        .collect()
}

fn owned(rows: &[(&str, &[&str])]) -> Vec<(String, Vec<String>, bool)> {
    rows.iter()
        .map(|(id, cats)| {
            (
                id.to_string(),
                cats.iter().map(|c| c.to_string()).collect(),
                false,
            )
        })
        .collect()
}

#[test]
fn upgrade_candidates_bought_a_new_category_last_quarter() {
    let early = Options::from_json(r#"{"analysisDate": "2024-09-30"}"#).unwrap();
    let late = Options::from_json(r#"{"analysisDate": "2024-12-31"}"#).unwrap();
    let c = compare_bytes(CATEGORIES.as_bytes(), &early, &late).unwrap();
    let want = owned(&[("A", &["Toys"]), ("D", &["Garden", "Toys"])]);
    assert_eq!(category_candidates(&c), want);
    // quarters are still reported: A spent 0 in the two older quarters and 10 in the last
    assert_eq!(c.upgrade_candidates[0].quarters, Some([0.0, 0.0, 10.0]));

    // the CLI gives the same candidates
    let dir = std::env::temp_dir().join(format!("tierwise-cat-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("cat.csv");
    std::fs::write(&input, CATEGORIES).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tierwise"))
        .args(["compare", input.to_str().unwrap()])
        .args(["--from", "2024-09-30", "--to", "2024-12-31"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<(&str, &serde_json::Value)> = json["upgradeCandidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["customerId"].as_str().unwrap(), &c["newCategories"]))
        .collect();
    assert_eq!(
        ids,
        vec![
            ("A", &serde_json::json!(["Toys"])),
            ("D", &serde_json::json!(["Garden", "Toys"]))
        ]
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn new_category_trigger_without_an_amount_column() {
    // a usage log: no amount, so no quarters and no spend trigger; the category trigger still works
    let csv: String = CATEGORIES
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            format!("{},{},{}\n", f[0], f[1], f[3])
        })
        .collect();
    let early = Options::from_json(r#"{"analysisDate": "2024-09-30"}"#).unwrap();
    let late = Options::from_json(r#"{"analysisDate": "2024-12-31"}"#).unwrap();
    let c = compare_bytes(csv.as_bytes(), &early, &late).unwrap();
    // without amounts F's row of 10-05 is an order, not a return: Toys is new for F too
    let want = owned(&[
        ("A", &["Toys"]),
        ("D", &["Garden", "Toys"]),
        ("F", &["Toys"]),
    ]);
    assert_eq!(category_candidates(&c), want);
    assert!(c.upgrade_candidates.iter().all(|c| c.quarters.is_none()));
}

#[test]
fn new_category_days_follow_the_winning_month_day_reading() {
    // read from a 60-byte head (the header and two rows), the first dates fit both readings, so month-first is provisional;
    // the whole file has more day-first-only values (25/12, 20/12), so day-first wins and the
    // category days must follow it. Analysis date: 2024-12-25; last quarter (2024-09-25, 12-25].
    // Day-first: A Books 1 March, Toys 5 November (new in the quarter). Month-first would put
    // Toys on 11 May, before the quarter.
    let csv = "customer,date,category\nA,01/03/2024,Books\nA,05/11/2024,Toys\nZ,20/12/2024,Books\nZ,25/12/2024,Books\n";
    let mut a = tierwise::Analyzer::new(Options::default())
        .unwrap()
        .with_head_bytes(60)
        .track_categories();
    a.push(csv.as_bytes()).unwrap();
    let later = a.finish().unwrap();
    assert_eq!(later.summary.analysis_date, "2024-12-25");
    assert_eq!(
        later
            .summary
            .input
            .date_format
            .as_ref()
            .unwrap()
            .order
            .as_deref(),
        Some("dmy")
    );
    let got = tierwise::compare::upgrade_candidates(&later, [None, None, None]);
    let got: Vec<(&str, &[String])> = got
        .iter()
        .map(|c| (c.customer_id.as_str(), c.new_categories.as_slice()))
        .collect();
    assert_eq!(got, vec![("A", &["Toys".to_string()][..])]);
}
