//! The scoring modes of SPEC §3 through the whole pipeline, on ten customers whose scores are worked
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
