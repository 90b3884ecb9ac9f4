//! The mapping step's core parts: `options.decimal` (the decimal separator forced for the number
//! columns), `inspect`'s `preview` and `inspect_lenient` (docs/input.md#inspect). Expected values are
//! worked out by hand from the files below.

use tierwise::{analyze, inspect, inspect_lenient, Options};

fn opts(json: &str) -> Options {
    Options::from_json(json).unwrap()
}

fn money(a: &tierwise::Analysis, i: usize) -> f64 {
    a.rows[i].monetary as f64 / 1e6
}

/// `1.234` votes "either" (one separator followed by three digits), `2.5` votes point, `3,5` votes
/// comma: with `auto` no more values vote comma than point, so the column has a decimal point.
const CSV: &str = "customer,date,amount
A,2024-01-01,1.234
A,2024-01-02,2.5
B,2024-01-03,\"3,5\"
";

#[test]
fn decimal_auto_point_and_comma() {
    // auto: the column votes point (2.5 point, 1.234 either, 3,5 comma → 1 point vs 1 comma: not
    // more comma than point, so a decimal point); "3,5" is then not a number (a comma group of one
    // digit): B is rejected as bad_amount.
    let a = analyze(CSV.as_bytes(), &opts("{}")).unwrap();
    assert_eq!(a.rows.len(), 1);
    assert!((money(&a, 0) - 3.734).abs() < 1e-9, "{}", money(&a, 0));
    assert_eq!(a.summary.input.rejected["bad_amount"].count, 1);

    // ".": the same reading, decided by the option
    let a = analyze(CSV.as_bytes(), &opts(r#"{"decimal": "."}"#)).unwrap();
    assert!((money(&a, 0) - 3.734).abs() < 1e-9);
    assert_eq!(a.summary.input.rejected["bad_amount"].count, 1);

    // ",": 1.234 is 1234 (a thousands point), 2.5 is not a number under a decimal comma, 3,5 is 3.5
    let a = analyze(CSV.as_bytes(), &opts(r#"{"decimal": ","}"#)).unwrap();
    assert_eq!(a.rows.len(), 2);
    assert!((money(&a, 0) - 1234.0).abs() < 1e-9, "{}", money(&a, 0));
    assert!((money(&a, 1) - 3.5).abs() < 1e-9, "{}", money(&a, 1));
    assert_eq!(a.summary.input.rejected["bad_amount"].count, 1);
    assert_eq!(a.summary.options["decimal"], ",");
}

#[test]
fn preview_marks_title_and_header_rows() {
    let csv = "客户交易明细报表,,\n导出日期：2024-03-01,,\n客户编号,日期,金额\nK1,2024-01-05,9.50\nK1,2024-02-01,3.00\n";
    let i = inspect(csv.as_bytes(), &Options::default()).unwrap();
    let kinds: Vec<_> = i.preview.iter().map(|r| (r.row, r.kind)).collect();
    assert_eq!(
        kinds,
        [
            (1, "title"),
            (2, "title"),
            (3, "header"),
            (4, "data"),
            (5, "data")
        ]
    );
    assert_eq!(i.preview[3].cells, ["K1", "2024-01-05", "9.50"]);
    assert!(i.missing.is_none());
}

#[test]
fn preview_keeps_twenty_records_and_cuts_long_cells() {
    let mut csv = String::from("customer,date,amount\n");
    let long = "x".repeat(150);
    for n in 0..30 {
        csv.push_str(&format!("{long}{n},2024-01-{:02},1.5\n", n % 28 + 1));
    }
    let i = inspect(csv.as_bytes(), &Options::default()).unwrap();
    assert_eq!(i.preview.len(), 20);
    assert_eq!(i.preview[0].kind, "header");
    assert_eq!(i.preview[19].row, 20);
    let cell = &i.preview[1].cells[0];
    assert_eq!(cell.chars().count(), 101, "100 characters and an ellipsis");
    assert!(cell.ends_with('…'));
}

#[test]
fn lenient_inspect_reports_a_missing_column_instead_of_failing() {
    // no date anywhere: inspect fails, inspect_lenient reports it
    let csv = "k,v\nA,1.5\nB,2.5\nA,3.5\n";
    assert!(inspect(csv.as_bytes(), &Options::default()).is_err());
    let i = inspect_lenient(csv.as_bytes(), &Options::default()).unwrap();
    let missing = i.missing.expect("the missing date is reported");
    assert_eq!(missing.code(), "no_date_column");
    assert!(i.mapping.date.is_none());
    assert_eq!(i.columns.len(), 2);
    assert_eq!(i.preview.len(), 4);
    // other failures still fail
    assert!(inspect_lenient(b"", &Options::default()).is_err());
}

#[test]
fn decimal_option_is_honoured_by_inspect_with_options() {
    // inspect validates the option like analyze
    assert!(Options::from_json(r#"{"decimal": "·"}"#).is_err());
    let i = inspect(CSV.as_bytes(), &opts(r#"{"decimal": ","}"#)).unwrap();
    assert_eq!(i.preview.len(), 4);
}
