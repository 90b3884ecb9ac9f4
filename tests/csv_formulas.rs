//! Cells written for Excel never start a live formula: text that came from the file or the options
//! (customer ids, custom segment names, absolute grade names, action texts) and starts with `=`,
//! `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe in the CSV; numbers keep their
//! sign (a negative monetary stays `-3`). The in-memory values (`field`, the wasm getters) are
//! unchanged. Expected cells are written by hand.

use tierwise::report::Column;
use tierwise::{analyze, Options};

fn csv_cells(a: &tierwise::Analysis) -> Vec<Vec<String>> {
    let text = String::from_utf8(a.to_csv()).unwrap();
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    r.records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn free_text_that_would_be_a_formula_is_guarded() {
    // ids sort as bytes: "+1" < "-2" < "=HYPERLINK(…)" < "@SUM(A1)" < "plain"
    let csv = "customer_id,order_date,amount\n\
        =HYPERLINK(\"http://x\"),2024-01-01,10\n\
        +1,2024-01-02,5\n\
        -2,2024-01-03,2\n\
        -2,2024-01-04,-5\n\
        @SUM(A1),2024-01-04,7\n\
        plain,2024-01-05,8\n";
    let opts = Options::from_json(
        r#"{"segments": {"rules": [{"name": "=1+1", "r": [1, 5]}]},
            "grades": {"absolute": [["-VIP", 9], ["@low", 0]]},
            "actions": {"A": "=cmd|' /C calc'!A0", "new": "+call"}}"#,
    )
    .unwrap();
    let a = analyze(csv.as_bytes(), &opts).unwrap();
    let header: Vec<&str> = Column::ALL.iter().map(|c| c.csv()).collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let rows = csv_cells(&a);
    let ids: Vec<&str> = rows
        .iter()
        .map(|r| r[col("customer_id")].as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "'+1",
            "'-2",
            "'=HYPERLINK(\"http://x\")",
            "'@SUM(A1)",
            "plain"
        ]
    );
    for r in &rows {
        assert_eq!(r[col("segment_custom")], "'=1+1");
        for name in ["customer_id", "segment_custom", "grade_absolute", "action"] {
            let cell = &r[col(name)];
            assert!(
                !matches!(cell.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@')),
                "{name}: {cell}"
            );
        }
    }
    // "-2" bought for 2 and returned 5: net −3, and a number keeps its sign
    assert_eq!(rows[1][col("monetary")], "-3");
    // grade_absolute: "-2" (spent −3) reaches no level; the others are at least "@low"
    assert_eq!(rows[1][col("grade_absolute")], "");
    assert_eq!(rows[4][col("grade_absolute")], "'@low");
    // every customer is new (one order, tenure < 30 days), so the overridden "new" action applies
    assert!(rows.iter().all(|r| r[col("action")] == "'+call"));
    // the values themselves are unchanged
    assert_eq!(a.field(0, Column::CustomerId), "+1");
}
