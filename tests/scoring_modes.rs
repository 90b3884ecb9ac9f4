//! The scoring modes of `docs/scores.md` through the whole pipeline, on ten customers whose scores are worked
//! out by hand below (`rank` is also checked against the pandas recipe on the CDNOW sample in
//! tests/rank_reference.test.mjs).
//!
//! Analysis date 2024-02-10. Customer C_i (i = 1 … 10) last bought i days before it (recency i),
//! spent 10·i in total, and bought once (i ≤ 5) or twice (i > 5: 5 on 2023-12-01 and the rest later).

use tierwise::{analyze, Options};

const CSV: &str = "customer_id,order_date,amount
C01,2024-02-09,10
C02,2024-02-08,20
C03,2024-02-07,30
C04,2024-02-06,40
C05,2024-02-05,50
C06,2023-12-01,5
C06,2024-02-04,55
C07,2023-12-01,5
C07,2024-02-03,65
C08,2023-12-01,5
C08,2024-02-02,75
C09,2023-12-01,5
C09,2024-02-01,85
C10,2023-12-01,5
C10,2024-01-31,95
";

fn scores(rfm: &str) -> (Vec<[u8; 3]>, tierwise::Analysis) {
    let json = format!(r#"{{"analysisDate": "2024-02-10", "rfm": {rfm}}}"#);
    let a = analyze(CSV.as_bytes(), &Options::from_json(&json).unwrap()).unwrap();
    let s = a
        .rows
        .iter()
        .map(|r| [r.r_score, r.f_score, r.m_score])
        .collect();
    (s, a)
}

fn column(s: &[[u8; 3]], d: usize) -> Vec<u8> {
    s.iter().map(|x| x[d]).collect()
}

#[test]
fn rfm_r_follows_the_r_package_rule() {
    let (s, a) = scores(r#"{"mode": "rfm-r"}"#);
    // recency 1 … 10: R's quantile(1:10, c(.2, .4, .6, .8)) = 2.8 4.6 6.4 8.2, + 1 → bins [1, 3.8)
    // [3.8, 5.6) [5.6, 7.4) [7.4, 9.2) [9.2, 11), labels reversed. (`quantile` mode would cut at
    // 2.8 … and give 1, 2 → 5; 3, 4 → 4: the + 1 moves 3 up.)
    assert_eq!(column(&s, 0), vec![5, 5, 5, 4, 4, 3, 3, 2, 2, 1]);
    // frequency 1 ×5, 2 ×5: quantiles 1 1 2 2, + 1 → lower (1, 2, 2, 3, 3), upper (2, 2, 3, 3, 3):
    // 1 → bin 1; 2 → bin 3 ([2, 3)); bins 2, 4 and 5 are empty
    assert_eq!(column(&s, 1), vec![1, 1, 1, 1, 1, 3, 3, 3, 3, 3]);
    // monetary 10 … 100: quantiles 28 46 64 82, + 1 → 29 47 65 83
    assert_eq!(column(&s, 2), vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    assert_eq!(a.summary.cut_points.f.counts, vec![5, 0, 5, 0, 0]);
    assert_eq!(a.summary.cut_points.r.mode, "rfm-r");
}

#[test]
fn rank_makes_equal_count_bins_with_ties_by_customer_id() {
    let (s, _) = scores(r#"{"mode": "rank"}"#);
    // n = 10, k = 5: e(j) = 1 + 9j/5 = 2.8, 4.6, 6.4, 8.2 → ranks 1–2, 3–4, 5–6, 7–8, 9–10
    // recency ranks = i (C01 most recent) → bins 1,1,2,2,3,3,4,4,5,5, labels reversed
    assert_eq!(column(&s, 0), vec![5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    // frequency: the five 1s take ranks 1–5 in id order (C01 … C05), the 2s ranks 6–10
    assert_eq!(column(&s, 1), vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    assert_eq!(column(&s, 2), vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
}

#[test]
fn thresholds_give_their_own_number_of_scores() {
    let (s, a) = scores(
        r#"{"mode": "thresholds", "thresholds": {"r": [3, 7], "f": [1], "m": [50, 99.99]}}"#,
    );
    // recency ≤ 3 → 3, 4 … 7 → 2, > 7 → 1
    assert_eq!(column(&s, 0), vec![3, 3, 3, 2, 2, 2, 2, 1, 1, 1]);
    // frequency 1 → 1, 2 → 2
    assert_eq!(column(&s, 1), vec![1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    // monetary ≤ 50 → 1, ≤ 99.99 → 2, 100 → 3
    assert_eq!(column(&s, 2), vec![1, 1, 1, 1, 1, 2, 2, 2, 2, 3]);
    assert_eq!(
        a.summary.cut_points.m.as_ref().unwrap().cuts,
        vec![50.0, 99.99]
    );
    // three scores per dimension: rfm11 (five per dimension) is not computed, and says why
    assert!(a.summary.warnings.iter().any(|w| w.contains("rfm11")));
}

#[test]
fn custom_rules_first_match_wins_and_the_linter_counts_gaps_and_overlaps() {
    // quantile mode (default): recency scores 5 5 4 4 3 3 2 2 1 1 (cuts 2.8 4.6 6.4 8.2, reversed),
    // frequency 1 ×5 then 3 ×5 (cuts 1 1 2 2), monetary 1 1 2 2 3 3 4 4 5 5 (cuts 28 46 64 82)
    let json = r#"{"analysisDate": "2024-02-10", "segments": {"rules": [
        {"name": "Recent", "r": [4, 5]},
        {"name": "Loyal", "f": [3, 5], "m": [4, 5]}]}}"#;
    let a = analyze(CSV.as_bytes(), &Options::from_json(json).unwrap()).unwrap();
    let csv = String::from_utf8(a.to_csv()).unwrap();
    let header: Vec<&str> = csv
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap()
        .split(',')
        .collect();
    let col = header.iter().position(|h| *h == "segment_custom").unwrap();
    let got: Vec<String> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(col).unwrap().to_string())
        .collect();
    // C01–C04 recent (R 5, 5, 4, 4); C05 (R 3, F 1) and C06 (R 3, F 3, M 3) match nothing;
    // C07–C10 have F 3 and M 4 or 5
    let expected = [
        "Recent", "Recent", "Recent", "Recent", "Others", "Others", "Loyal", "Loyal", "Loyal",
        "Loyal",
    ];
    assert_eq!(got, expected);
    let seg = a.summary.segments.custom.as_ref().unwrap();
    let names: Vec<(&str, u64, f64)> = seg
        .iter()
        .map(|g| (g.name.as_str(), g.customers, g.revenue))
        .collect();
    assert_eq!(
        names,
        vec![
            ("Recent", 4, 100.0),
            ("Loyal", 4, 340.0),
            ("Others", 2, 110.0)
        ]
    );
    // 125 combinations; overlaps: R 4–5 × F 3–5 × M 4–5 = 12; gaps: R 1–3 × (25 − 6) = 57
    let lint = a.summary.segments.custom_lint.as_ref().unwrap();
    assert_eq!(lint.combinations, 125);
    assert_eq!(lint.overlaps.len(), 12);
    assert_eq!(lint.uncovered.len(), 57);
    assert!(lint.overlaps.iter().all(|c| c.rules == ["Recent", "Loyal"]));
}

#[test]
fn cli_lint_rules_prints_gaps_and_overlaps_and_exits_1() {
    let dir = std::env::temp_dir().join(format!("tierwise-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("rules.json");
    // the same rules as the unit test: k = 3, no amount → 3 gaps, 1 overlap
    std::fs::write(
        &file,
        r#"[{"name": "High", "r": [3, 3]}, {"name": "Low", "r": [1, 2], "f": [1, 1]},
            {"name": "Mid", "r": [2, 3], "f": [2, 2]}]"#,
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tierwise"))
        .args([
            "lint-rules",
            file.to_str().unwrap(),
            "--bins",
            "3",
            "--no-amount",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let lint: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(lint["combinations"], 9);
    assert_eq!(lint["uncovered"].as_array().unwrap().len(), 3);
    assert_eq!(
        lint["overlaps"][0]["rules"],
        serde_json::json!(["High", "Mid"])
    );
    // one rule for everything: clean, exit 0
    std::fs::write(
        &file,
        r#"{"segments": {"rules": [{"name": "All"}]}, "rfm": {"bins": 4}}"#,
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tierwise"))
        .args(["lint-rules", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let lint: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(lint["combinations"], 64);
    std::fs::remove_dir_all(&dir).ok();
}
