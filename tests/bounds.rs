//! Memory that a data value could blow up stays bounded: the monthly cohort table keeps the cohorts of
//! the last 120 months whatever the dates in the file (a 75 KB file with first orders spread over
//! centuries used to build gigabytes of cohort rows). Expected values are worked out by hand.

use tierwise::{analyze, Options};

#[test]
fn cohorts_of_the_last_120_months_only() {
    // analysis date 2024-12-31 (December 2024): the cohorts kept start in January 2015 … December 2024
    let csv = "customer_id,order_date,amount\n\
        A,2014-12-31,1\nA,2024-12-01,1\n\
        B,2015-01-01,1\nB,2015-03-10,1\nB,2024-12-31,1\n\
        C,1900-01-01,1\n\
        D,2024-12-15,1\n";
    let o = Options::from_json(r#"{"analysisDate": "2024-12-31"}"#).unwrap();
    let a = analyze(csv.as_bytes(), &o).unwrap();
    let k = &a.summary.kpis;
    // A (first order December 2014, 120 months back) and C (1900) are outside the window
    assert_eq!(k.cohorts_omitted, 2);
    let months: Vec<&str> = k.cohorts.iter().map(|c| c.month.as_str()).collect();
    assert_eq!(months, ["2015-01", "2024-12"]);
    // B's cohort: months 0 … 119 (January 2015 … December 2024); ordered in months 0, 2 and 119
    let b = &k.cohorts[0];
    assert_eq!((b.customers, b.active.len()), (1, 120));
    let ordered: Vec<usize> = (0..120).filter(|&m| b.active[m] > 0.0).collect();
    assert_eq!(ordered, [0, 2, 119]);
    assert_eq!(k.cohorts[1].active, [1.0]);
    // everyone is still a customer and counted in the other KPIs
    assert_eq!(k.customers, 4);
}

#[test]
fn first_orders_spread_over_millennia_stay_small() {
    // 3,000 customers, each with a first order in another month between year 1 and year 9999 and a
    // last order on 9999-12-31 (the analysis date): before the bound this asked for about 3,000 rows
    // of up to 120,000 months
    let mut csv = String::from("customer_id,order_date,amount\n");
    for i in 0..3000u32 {
        let year = 1 + i * 3;
        let month = 1 + i % 12;
        csv.push_str(&format!(
            "C{i},{year:04}-{month:02}-01,1\nC{i},9999-12-31,1\n"
        ));
    }
    let a = analyze(csv.as_bytes(), &Options::default()).unwrap();
    let k = &a.summary.kpis;
    assert_eq!(a.summary.analysis_date, "9999-12-31");
    // the last customer's first order is in 8998, far more than 120 months before December 9999:
    // no cohort is kept and all 3,000 are counted as omitted
    assert_eq!(k.cohorts.len(), 0);
    assert_eq!(k.cohorts_omitted, 3000);
}

#[test]
fn a_latest_date_far_after_everyone_else_is_called_out() {
    // one row dated 9999-12-31 becomes the analysis date: everyone's recency would be millions of
    // days without a word. The latest last order of the others is 2024-03-15; 9999-12-31 is
    // 2,913,099 days later (computed with Python's datetime).
    let csv = "customer_id,order_date,amount\n\
        A,2024-01-05,10\nA,2024-03-15,10\n\
        B,2024-02-01,5\n\
        C,9999-12-31,7\n";
    let a = analyze(csv.as_bytes(), &Options::default()).unwrap();
    let w = &a.summary.warnings;
    assert!(
        w.contains(&"the analysis date 9999-12-31 (the latest date in the file) is 2913099 days after the last order of every customer but 1 (2024-03-15): if that date is a typing error, correct the row, or set options.analysisDate".to_string()),
        "{w:?}"
    );
    let i = w
        .iter()
        .position(|x| x.starts_with("the analysis date"))
        .unwrap();
    assert_eq!(a.summary.warning_codes[i].code(), "far_latest_date");
    // a date the user chose is not second-guessed
    let o = Options::from_json(r#"{"analysisDate": "9999-12-31"}"#).unwrap();
    let a = analyze(csv.as_bytes(), &o).unwrap();
    assert!(!a
        .summary
        .warnings
        .iter()
        .any(|x| x.starts_with("the analysis date")));
    // a year apart is not called out (365 days is the limit)
    let near = "customer_id,order_date\nA,2024-01-01\nB,2024-12-31\n";
    let a = analyze(near.as_bytes(), &Options::default()).unwrap();
    assert!(!a
        .summary
        .warnings
        .iter()
        .any(|x| x.starts_with("the analysis date")));
    let far = "customer_id,order_date\nA,2024-01-01\nB,2025-01-02\n";
    let a = analyze(far.as_bytes(), &Options::default()).unwrap();
    assert!(a
        .summary
        .warnings
        .iter()
        .any(|x| x.starts_with("the analysis date 2025-01-02")));
}

#[test]
fn customer_ids_past_the_bound_fail_with_a_message_not_a_panic() {
    // the real bounds are 16,777,216 ids and 256 MiB of id text (docs/input.md#limits); the test
    // seam lowers them to 3 ids so a small file reaches them
    let csv = "customer_id,order_date\nA,2024-01-01\nB,2024-01-02\nC,2024-01-03\nD,2024-01-04\nA,2024-01-05\n";
    let run = |limit_ids: usize| {
        let mut a = tierwise::Analyzer::new(Options::default())
            .unwrap()
            .with_id_limits(1 << 20, limit_ids);
        a.push(csv.as_bytes()).unwrap();
        a.finish()
    };
    let e = run(3).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the customer ids go past the limit of 3 customers or 1 MiB of id text: split the file (by period or region) and analyse the parts"
    );
    assert_eq!(e.message().code(), "too_many_ids");
    // with room for the four customers the same file analyses
    assert_eq!(run(4).unwrap().summary.customers, 4);
}

#[test]
fn invisible_characters_and_nuls_do_not_split_or_invent_customers() {
    // "A", "A" + NUL, zero-width space + "A" are one customer; an id of only a zero-width space and
    // an ideographic space is a missing id (row 5), not a blank-looking customer
    let csv = "customer_id,order_date,amount\nA,2024-01-01,1\nA\0,2024-01-02,2\n\u{200B}A,2024-01-03,3\n\u{200B}\u{3000},2024-01-04,4\nB,2024-01-05,5\n";
    let a = analyze(csv.as_bytes(), &Options::default()).unwrap();
    assert_eq!(a.summary.customers, 2);
    assert_eq!(a.customer_id(0), "A");
    assert_eq!(a.rows[0].frequency, 3);
    let missing = &a.summary.input.rejected["missing_customer"];
    assert_eq!(missing.count, 1);
    assert_eq!(missing.examples[0].row, 5);
    // (the value as written, trimmed like every field: the ideographic space at the end goes)
    assert_eq!(missing.examples[0].value, "\u{200B}");
}
