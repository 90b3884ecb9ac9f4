//! The Excel export (`write_xlsx`, docs/outputs.md#the-excel-workbook) read back with calamine, an
//! independent reader: sheet names and order, cell types (numbers as numbers, dates as dates, text
//! as text), no formula anywhere even for customer ids that look like one, and the customers going
//! on in a second sheet past Excel's row limit is left to the module's own unit tests (a million
//! rows is too slow here).

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use std::io::Cursor;
use tierwise_workbook::{write_xlsx, Customers, Kind, Table, Value};

/// A customers CSV as the core writes it: BOM, header, the guard apostrophe before text Excel
/// would read as a formula (`=1+1` → `'=1+1`, `@SUM(A1)` → `'@SUM(A1)`), RFC 4180 quotes.
const CSV: &str =
    "\u{feff}customer_id,first_date,recency_days,monetary,segment_rfm11,grade_ladder,action\n\
'=1+1,2024-01-05,3,120.5,Champions,VIP,\"call, then write\"\n\
'@SUM(A1),2024-02-29,0,-12,Lost,'+Gold,\n\
00123,2023-12-31,400,,At Risk,Regular,'-1\n\
'plain,,7,NaN,,,\n";

fn kinds() -> Vec<Kind> {
    use Kind::*;
    vec![
        GuardedText,
        Date,
        Number,
        Number,
        Text,
        GuardedText,
        GuardedText,
    ]
}

fn tables() -> Vec<Table> {
    vec![
        Table {
            name: "Summary".into(),
            rows: vec![
                vec![Value::Text("Item".into()), Value::Text("Value".into())],
                vec![Value::Text("Customers".into()), Value::Number(4.0)],
                vec![Value::Text("=HYPERLINK(\"x\")".into()), Value::Empty],
                vec![Value::Text("NaN".into()), Value::Number(f64::NAN)],
            ],
        },
        Table {
            name: "Options".into(),
            rows: vec![
                vec![Value::Text("Option".into()), Value::Text("Value".into())],
                vec![Value::Text("rfm.bins".into()), Value::Number(5.0)],
            ],
        },
        // an invalid name and one already taken are made valid
        Table {
            name: "Rev/iew".into(),
            rows: vec![],
        },
        Table {
            name: "summary".into(),
            rows: vec![vec![Value::Text("x".into())]],
        },
    ]
}

fn written() -> Vec<u8> {
    let c = Customers {
        name: "Customers".into(),
        csv: CSV.as_bytes(),
        delimiter: b',',
        kinds: kinds(),
    };
    write_xlsx(&c, &tables()).expect("writes")
}

fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes)).expect("calamine opens it")
}

fn text(s: &str) -> Data {
    Data::String(s.into())
}

#[test]
fn sheets_in_order_with_valid_unique_names() {
    let wb = open(written());
    assert_eq!(
        wb.sheet_names(),
        vec!["Customers", "Summary", "Options", "Rev_iew", "summary (2)"]
    );
}

#[test]
fn customer_cells_are_typed() {
    let mut wb = open(written());
    let r = wb.worksheet_range("Customers").expect("sheet");
    assert_eq!(r.start(), Some((0, 0)));
    let header: Vec<&Data> = r.rows().next().expect("header").iter().collect();
    assert_eq!(header[0], &text("customer_id"));
    assert_eq!(header[6], &text("action"));
    // row 1: '=1+1 → the text =1+1; 2024-01-05 a date (serial 45296: days since 1899-12-30);
    // 3 and 120.5 numbers; quoted "call, then write" one field
    assert_eq!(r.get_value((1, 0)), Some(&text("=1+1")));
    match r.get_value((1, 1)) {
        Some(Data::DateTime(d)) => assert_eq!(d.as_f64(), 45296.0),
        other => panic!("first_date is not a date: {other:?}"),
    }
    assert_eq!(r.get_value((1, 2)), Some(&Data::Float(3.0)));
    assert_eq!(r.get_value((1, 3)), Some(&Data::Float(120.5)));
    assert_eq!(r.get_value((1, 4)), Some(&text("Champions")));
    assert_eq!(r.get_value((1, 6)), Some(&text("call, then write")));
    // row 2: @SUM(A1) stays text; 2024-02-29 is serial 45351; -12 a number; '+Gold → +Gold
    assert_eq!(r.get_value((2, 0)), Some(&text("@SUM(A1)")));
    match r.get_value((2, 1)) {
        Some(Data::DateTime(d)) => assert_eq!(d.as_f64(), 45351.0),
        other => panic!("first_date is not a date: {other:?}"),
    }
    assert_eq!(r.get_value((2, 3)), Some(&Data::Float(-12.0)));
    assert_eq!(r.get_value((2, 5)), Some(&text("+Gold")));
    // row 3: an id of digits is text in a text column; an empty monetary is an empty cell; '-1 → -1
    assert_eq!(r.get_value((3, 0)), Some(&text("00123")));
    assert_eq!(r.get_value((3, 3)), Some(&Data::Empty));
    assert_eq!(r.get_value((3, 6)), Some(&text("-1")));
    // row 4: an apostrophe not guarding a formula is kept; NaN is left empty
    assert_eq!(r.get_value((4, 0)), Some(&text("'plain")));
    assert_eq!(r.get_value((4, 3)), Some(&Data::Empty));
    assert_eq!(r.height(), 5);
}

#[test]
fn no_formula_anywhere() {
    let mut wb = open(written());
    for name in wb.sheet_names() {
        let f = wb.worksheet_formula(&name).expect("formulas");
        let n = f.used_cells().filter(|(_, _, f)| !f.is_empty()).count();
        assert_eq!(n, 0, "sheet {name} has formulas");
    }
    let r = wb.worksheet_range("Summary").expect("sheet");
    assert_eq!(r.get_value((2, 0)), Some(&text("=HYPERLINK(\"x\")")));
    assert_eq!(r.get_value((1, 1)), Some(&Data::Float(4.0)));
    // a NaN number is left empty
    assert!(matches!(r.get_value((3, 1)), None | Some(Data::Empty)));
}

#[test]
fn an_empty_csv_still_makes_a_workbook() {
    let c = Customers {
        name: "Customers".into(),
        csv: b"",
        delimiter: b',',
        kinds: vec![],
    };
    let wb = open(write_xlsx(&c, &[]).expect("writes"));
    assert_eq!(wb.sheet_names(), vec!["Customers"]);
}

#[test]
fn semicolon_csv() {
    let c = Customers {
        name: "Kunden".into(),
        csv: "customer_id;monetary\nA;1.5\n".as_bytes(),
        delimiter: b';',
        kinds: vec![Kind::GuardedText, Kind::Number],
    };
    let mut wb = open(write_xlsx(&c, &[]).expect("writes"));
    let r = wb.worksheet_range("Kunden").expect("sheet");
    assert_eq!(r.get_value((1, 0)), Some(&text("A")));
    assert_eq!(r.get_value((1, 1)), Some(&Data::Float(1.5)));
}
