//! Column detection from names *and* values, title rows, `headerRow`, the sanity warnings and
//! `inspect` (issue 10). Every file is made here by hand; the expected customers, revenue and
//! mappings are worked out in the comments from the rows written, not from the program's output.

use serde_json::Value;
use tierwise::{analyze, inspect, Options};

fn opts(json: &str) -> Options {
    Options::from_json(json).unwrap()
}

fn summary(csv: &str, options: &str) -> Value {
    let a = analyze(csv.as_bytes(), &opts(options)).unwrap();
    serde_json::to_value(&a.summary).unwrap()
}

fn codes(s: &Value) -> Vec<String> {
    s["warningCodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap().to_string())
        .collect()
}

/// A headerless `order_id,customer,date,amount` file: 40 orders (1000…1039, one row each) from 8
/// customers (C000…C007, order i by C00(i mod 8)), whole amounts 10 + (i mod 7) → total
/// Σ(i mod 7) over i < 40 = 5 × 21 + (0 + 1 + 2 + 3 + 4) = 115, plus 400 = 515. The order id column
/// must not be taken as the customer (it was: 40 customers).
#[test]
fn headerless_file_takes_the_repeating_column_as_customer() {
    let mut csv = String::new();
    for i in 0..40 {
        csv += &format!(
            "{},C{:03},2024-01-{:02},{}\n",
            1000 + i,
            i % 8,
            1 + i % 28,
            10 + i % 7
        );
    }
    let s = summary(&csv, "{}");
    assert_eq!(s["input"]["header"], false);
    assert_eq!(s["input"]["columns"]["customer"], 1);
    assert_eq!(s["input"]["columns"]["date"], 2);
    assert_eq!(s["input"]["columns"]["amount"], 3);
    assert_eq!(s["customers"], 8);
    assert_eq!(s["kpis"]["revenue"], 515.0);
    // whole numbers are a weak guess for an amount: said so
    assert!(codes(&s).contains(&"weak_guess".to_string()));
    // each customer has 5 orders: everybody repeats
    assert_eq!(s["kpis"]["repeatRate"], 1.0);
}

/// Headerless order lines: invoice, product, date, amount, customer. 30 invoices of 3 lines, invoice
/// k by customer K(k mod 9): each invoice belongs to one customer, so the customer is column 4 and
/// the order id column 0 → 30 orders, 9 customers.
#[test]
fn headerless_order_lines_find_customer_and_order() {
    let mut csv = String::new();
    for inv in 0..30 {
        for line in 0..3 {
            csv += &format!(
                "INV{inv:04},P{:02},2024-02-{:02},{}.25,K{:02}\n",
                (inv * 7 + line) % 40,
                1 + inv % 28,
                line + 1,
                inv % 9
            );
        }
    }
    let s = summary(&csv, "{}");
    assert_eq!(s["input"]["columns"]["customer"], 4);
    assert_eq!(s["input"]["columns"]["order"], 0);
    assert_eq!(s["customers"], 9);
    assert_eq!(s["kpis"]["orders"], 30);
}

/// Header names tierwise does not know, in several languages; the values decide. Rows (hand-made):
///   buyer email   purchased_at                 dollar_value
///   a@x.com       2023-01-02T10:00:00Z         12.50
///   b@x.com       2023-01-03T11:30:00Z          7.25
///   a@x.com       2023-02-01T09:00:00+08:00    20.00
///   c@x.com       2023-02-10T18:45:00Z          3.30
/// → 3 customers; revenue 43.05; a@x.com: 2 orders, 32.50.
#[test]
fn unknown_english_names_fall_back_to_values() {
    let csv = "id_for_marketing,when_it_happened,value_usd\n\
               a@x.com,2023-01-02T10:00:00Z,12.50\n\
               b@x.com,2023-01-03T11:30:00Z,7.25\n\
               a@x.com,2023-02-01T09:00:00+08:00,20.00\n\
               c@x.com,2023-02-10T18:45:00Z,3.30\n";
    let s = summary(csv, "{}");
    assert_eq!(s["input"]["columns"]["customer"], "id_for_marketing");
    assert_eq!(s["input"]["columns"]["date"], "when_it_happened");
    assert_eq!(s["input"]["columns"]["amount"], "value_usd");
    assert_eq!(s["customers"], 3);
    assert!((s["kpis"]["revenue"].as_f64().unwrap() - 43.05).abs() < 1e-9);
    let a = analyze(csv.as_bytes(), &Options::default()).unwrap();
    let i = (0..a.rows.len())
        .find(|&i| a.customer_id(i) == "a@x.com")
        .unwrap();
    assert_eq!(a.rows[i].frequency, 2);
}

/// The names the testers tried: `purchased_at`, `buyer_email`, `dollar_value`.
#[test]
fn names_from_the_issue() {
    let csv = "buyer_email,purchased_at,dollar_value\n\
               a@x.com,2023-01-02 10:00:00,12.50\n\
               a@x.com,2023-03-02 10:00:00,7.50\n";
    let s = summary(csv, "{}");
    assert_eq!(s["input"]["columns"]["customer"], "buyer_email");
    assert_eq!(s["input"]["columns"]["date"], "purchased_at");
    assert_eq!(s["input"]["columns"]["amount"], "dollar_value");
    assert_eq!(s["kpis"]["revenue"], 20.0);
}

/// A German export: `Kundennummer;Rechnungsdatum;Betrag` with day-first dotted dates (13.01.2023
/// can only be day-first) and decimal commas. K1: 12,50 + 7,50 = 20; K2: 1.000,00 = 1000 → revenue
/// 1020; K1's last order 13.02.2023 is the analysis date.
#[test]
fn german_export() {
    let csv = "Kundennummer;Rechnungsdatum;Betrag\n\
               K1;13.01.2023;12,50\n\
               K2;20.01.2023;1.000,00\n\
               K1;13.02.2023;7,50\n";
    let s = summary(csv, "{}");
    assert_eq!(s["input"]["columns"]["customer"], "Kundennummer");
    assert_eq!(s["input"]["columns"]["date"], "Rechnungsdatum");
    assert_eq!(s["input"]["columns"]["amount"], "Betrag");
    assert_eq!(s["analysisDate"], "2023-02-13");
    assert_eq!(s["kpis"]["revenue"], 1020.0);
    // and the short names
    let csv = "Kunde,Datum,Umsatz\nA,02.01.2023,5\nB,28.02.2023,6\nA,03.03.2023,7\n";
    let s = summary(csv, "{}");
    assert_eq!(s["input"]["columns"]["customer"], "Kunde");
    assert_eq!(s["input"]["columns"]["date"], "Datum");
    assert_eq!(s["kpis"]["revenue"], 18.0);
    // 28.02.2023 is day-first only, so the column is read day-first: A's last order is 3 March
    assert_eq!(s["analysisDate"], "2023-03-03");
}

/// `会员卡号` (membership card number) is the customer; CDNOW master's `dollar_value` the amount.
#[test]
fn chinese_card_number_and_cdnow_names() {
    let csv = "会员卡号,下单时间,实付金额\n8801,2024-01-05 10:00,88\n8802,2024-01-06 11:00,99.5\n8801,2024-02-01 09:30,12\n";
    let s = summary(csv, "{}");
    assert_eq!(s["input"]["columns"]["customer"], "会员卡号");
    assert_eq!(s["customers"], 2);
    assert_eq!(s["kpis"]["revenue"], 199.5);
    // CDNOW master layout with a header: id, date, number of CDs, dollar value
    let csv = "customer_id date cds dollar_value\n00001 19970101 1 11.77\n00002 19970112 1 12.00\n00002 19970112 5 77.00\n00003 19970102 2 20.76\n";
    let s = summary(csv, "{}");
    assert_eq!(s["input"]["columns"]["amount"], "dollar_value");
    // 11.77 + 12.00 + 77.00 + 20.76 = 121.53
    assert!((s["kpis"]["revenue"].as_f64().unwrap() - 121.53).abs() < 1e-9);
    assert_eq!(s["customers"], 3);
}

/// Names that nobody would guess at all; values only. `wer` repeats (W1 twice), `wann` are
/// `YYYY/M/D` dates, `wieviel` decimals: 3.50 + 4.25 + 1.25 = 9.
#[test]
fn meaningless_names() {
    let csv = "wer,wann,wieviel\nW1,2024/1/5,3.50\nW2,2024/1/9,4.25\nW1,2024/2/1,1.25\n";
    let s = summary(csv, "{}");
    assert_eq!(s["input"]["columns"]["customer"], "wer");
    assert_eq!(s["input"]["columns"]["date"], "wann");
    assert_eq!(s["input"]["columns"]["amount"], "wieviel");
    assert_eq!(s["kpis"]["revenue"], 9.0);
}

/// A header named `date` whose values are not dates does not win over a column of dates.
#[test]
fn values_overrule_a_misleading_name() {
    let csv =
        "customer,date,when,amount\nA,n/a,2024-03-01,5\nB,n/a,2024-03-02,6\nA,n/a,2024-03-05,7\n";
    let s = summary(csv, "{}");
    assert_eq!(s["input"]["columns"]["date"], "when");
    assert_eq!(s["analysisDate"], "2024-03-05");
}

/// A Chinese CRM export: a report title, an export date (holding a date), a blank separator row,
/// then the header on row 4. 3 data rows, 2 customers, revenue 88 + 99 + 12 = 199.
const CRM: &str = "客户交易明细报表,,\n导出日期：2024-03-01,,\n,,\n客户编号,订单日期,实付金额\nK1,2024-01-05,88\nK2,2024-01-06,99\nK1,2024-02-01,12\n";

#[test]
fn title_rows_above_the_header_are_skipped() {
    let s = summary(CRM, "{}");
    assert_eq!(s["input"]["header"], true);
    assert_eq!(s["input"]["headerRow"], 4);
    assert_eq!(s["input"]["titleRows"][0]["row"], 1);
    assert_eq!(s["input"]["titleRows"][0]["text"], "客户交易明细报表");
    assert_eq!(s["input"]["titleRows"][1]["text"], "导出日期：2024-03-01");
    assert_eq!(s["input"]["titleRows"].as_array().unwrap().len(), 3);
    assert_eq!(s["input"]["rows"], 3);
    assert_eq!(s["input"]["rejected"], serde_json::json!({}));
    assert_eq!(s["customers"], 2);
    assert_eq!(s["kpis"]["revenue"], 199.0);
    assert!(codes(&s).contains(&"title_rows_skipped".to_string()));
    // the same with the header row given
    let s = summary(CRM, r#"{"headerRow": 4}"#);
    assert_eq!(s["customers"], 2);
    assert_eq!(s["input"]["rows"], 3);
}

#[test]
fn header_row_option_is_checked() {
    let e = analyze(CRM.as_bytes(), &opts(r#"{"headerRow": 40}"#)).unwrap_err();
    assert_eq!(e.message().code(), "invalid_option");
    assert!(e.to_string().contains("there is no row 40"), "{e}");
    for bad in [
        r#"{"headerRow": 0}"#,
        r#"{"headerRow": 4294967297}"#,
        r#"{"headerRow": "first"}"#,
    ] {
        let e = Options::from_json(bad).unwrap_err().to_string();
        assert!(e.contains("headerRow"), "{bad}: {e}");
    }
    // "none": the first record is data (here the file's header is then a row with a bad date)
    let csv = "customer,date,amount\nA,2024-01-01,5\nA,2024-01-02,6\nB,2024-01-02,7\nB,2024-01-03,7\nC,2024-01-04,8\n";
    let s = summary(csv, r#"{"headerRow": "none"}"#);
    assert_eq!(s["input"]["header"], false);
    assert_eq!(s["input"]["rows"], 6);
    assert_eq!(s["input"]["rejected"]["bad_date"]["count"], 1);
}

/// A sparse first data row must not be taken for a title row when the file has no header.
#[test]
fn sparse_rows_without_a_header_are_data() {
    let csv = "A,2024-01-01,,,\nB,2024-01-02,5,x,y\nA,2024-01-03,6,x,y\n";
    let s = summary(csv, "{}");
    assert_eq!(s["input"]["header"], false);
    assert_eq!(s["input"]["rows"], 3);
}

fn rows(n: usize, f: impl Fn(usize) -> String) -> String {
    (0..n).map(f).collect()
}

#[test]
fn customer_column_with_one_row_per_value_is_called_out() {
    // the order id given as the customer: 60 rows, 60 "customers"
    let csv = format!(
        "order_id,customer_id,order_date,amount\n{}",
        rows(60, |i| format!(
            "{},C{},2024-01-{:02},5\n",
            5000 + i,
            i % 6,
            1 + i % 28
        ))
    );
    let s = summary(&csv, r#"{"columns": {"customer": "order_id"}}"#);
    assert_eq!(s["customers"], 60);
    assert!(codes(&s).contains(&"customer_rarely_repeats".to_string()));
    // mapped right, no warning
    let s = summary(&csv, "{}");
    assert_eq!(s["customers"], 6);
    assert!(!codes(&s).contains(&"customer_rarely_repeats".to_string()));
}

#[test]
fn amount_that_looks_like_an_id_or_a_count() {
    // 1, 2, 3 … 20 in order: a running number
    let csv = format!(
        "customer,date,amount\n{}",
        rows(20, |i| format!(
            "C{},2024-01-{:02},{}\n",
            i % 4,
            1 + i,
            101 + i
        ))
    );
    assert!(codes(&summary(&csv, "{}")).contains(&"amount_looks_like_id".to_string()));
    // mostly ones, at most 3: a count
    let csv = format!(
        "customer,date,amount\n{}",
        rows(20, |i| format!(
            "C{},2024-01-{:02},{}\n",
            i % 4,
            1 + i,
            [1, 1, 2, 3][i % 4]
        ))
    );
    assert!(codes(&summary(&csv, "{}")).contains(&"amount_looks_like_count".to_string()));
    // real amounts: neither
    let csv = format!(
        "customer,date,amount\n{}",
        rows(20, |i| format!(
            "C{},2024-01-{:02},{}.90\n",
            i % 4,
            1 + i,
            20 + i * 3
        ))
    );
    let c = codes(&summary(&csv, "{}"));
    assert!(!c.iter().any(|c| c.starts_with("amount_looks")), "{c:?}");
}

#[test]
fn a_placeholder_date_far_before_the_rest_is_called_out() {
    // 200 customers buying in 2024, one with a 1900-01-01 placeholder
    let csv = format!(
        "customer,date,amount\nP0,1900-01-01,5\n{}",
        rows(200, |i| format!("P{i},2024-0{}-10,5\n", 1 + i % 9))
    );
    let s = summary(&csv, "{}");
    assert!(codes(&s).contains(&"far_earliest_date".to_string()));
    let w = &s["warningCodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "far_earliest_date")
        .unwrap()["params"];
    assert_eq!(w["date"], "1900-01-01");
    assert_eq!(w["reference"], "2024-01-10");
}

#[test]
fn weak_guesses_are_warnings() {
    // no header, two columns of ids that both repeat about as much: which is the customer is a guess
    let csv = rows(12, |i| {
        format!("A{},B{},2024-01-{:02},5.5\n", i % 3, i % 4, 1 + i)
    });
    let s = summary(&csv, "{}");
    let w: Vec<&Value> = s["warningCodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == "weak_guess")
        .collect();
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0]["params"]["key"], "customer");
}

#[test]
fn inspect_reports_every_column() {
    let i = inspect(CRM.as_bytes(), &Options::default()).unwrap();
    assert_eq!(i.kind, "csv");
    assert_eq!(i.encoding, "UTF-8");
    assert_eq!(i.delimiter, ",");
    assert_eq!(i.header_row, Some(4));
    assert_eq!(i.title_rows.len(), 3);
    assert_eq!(i.rows_sampled, 3);
    assert_eq!(i.columns.len(), 3);
    let c = &i.columns[0];
    assert_eq!(c.name.as_deref(), Some("客户编号"));
    assert_eq!(c.samples, ["K1", "K2"]);
    assert_eq!((c.filled, c.distinct), (3, 2));
    let v = serde_json::to_value(&i).unwrap();
    assert_eq!(v["columns"][0]["role"], "customer");
    assert_eq!(v["columns"][0]["confidence"], "high");
    assert_eq!(v["columns"][0]["reason"]["code"], "guess_header_exact");
    assert_eq!(v["columns"][1]["role"], "date");
    assert_eq!(v["columns"][2]["role"], "amount");
    assert_eq!(v["mapping"]["customer"], "客户编号");
    assert_eq!(v["dateFormat"], "YYYY-MM-DD");
    assert_eq!(v["warningCodes"][0]["code"], "title_rows_skipped");
    // values-based reasons
    let csv = "a,b,c,d\nx1,02.01.2023,1.50,yes\nx2,03.01.2023,2.50,no\nx1,13.01.2023,3.00,no\n";
    let v = serde_json::to_value(inspect(csv.as_bytes(), &Options::default()).unwrap()).unwrap();
    assert_eq!(v["columns"][1]["reason"]["code"], "guess_dates");
    assert_eq!(v["columns"][1]["reason"]["params"]["format"], "D.M.YYYY");
    assert_eq!(v["columns"][1]["reason"]["params"]["percent"], 100);
    assert_eq!(v["columns"][2]["reason"]["code"], "guess_decimals");
    assert_eq!(v["columns"][3]["role"], "signal");
    assert_eq!(v["columns"][3]["mapped"], false);
    // the same failures as analyze
    let e = inspect(b"", &Options::default()).unwrap_err();
    assert_eq!(e.message().code(), "empty_file");
    let e = inspect(b"PK\x03\x04rest", &Options::default()).unwrap_err();
    assert_eq!(e.message().code(), "not_a_table");
}

#[test]
fn inspect_agrees_with_analyze() {
    for csv in [
        CRM.to_string(),
        rows(40, |i| {
            format!(
                "{},C{:03},2024-01-{:02},{}\n",
                1000 + i,
                i % 8,
                1 + i % 28,
                10 + i
            )
        }),
        std::fs::read_to_string("www/sample.csv").unwrap(),
    ] {
        let i =
            serde_json::to_value(inspect(csv.as_bytes(), &Options::default()).unwrap()).unwrap();
        let s = summary(&csv, "{}");
        assert_eq!(i["mapping"], s["input"]["columns"]);
        assert_eq!(i["encoding"], s["input"]["encoding"]);
    }
}

#[test]
fn cli_inspect() {
    let bin = env!("CARGO_BIN_EXE_tierwise");
    let dir = std::env::temp_dir().join(format!("tierwise-inspect-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("crm.csv");
    std::fs::write(&f, CRM).unwrap();
    let out = std::process::Command::new(bin)
        .args(["inspect", f.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["headerRow"], 4);
    assert_eq!(v["columns"][2]["name"], "实付金额");
    let out = std::process::Command::new(bin)
        .args([
            "inspect",
            f.to_str().unwrap(),
            "--options",
            r#"{"labels":"zh"}"#,
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("表头在第 4 行"), "{text}");
    assert!(text.contains("客户编号 (高)"), "{text}");
    let empty = dir.join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    let out = std::process::Command::new(bin)
        .args(["inspect", empty.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Messages stay short whatever the file: a header of 3,000 columns, a 1 MB bad value.
#[test]
fn messages_are_bounded() {
    let header: Vec<String> = (0..3000).map(|i| format!("c{i}")).collect();
    let csv = format!("{}\n{}\n", header.join(","), vec!["1"; 3000].join(","));
    let e = analyze(csv.as_bytes(), &Options::default())
        .unwrap_err()
        .to_string();
    assert!(e.len() < 600, "{} bytes", e.len());
    assert!(e.contains("(3000 columns in all)"), "{e}");
    let e = analyze(
        csv.as_bytes(),
        &opts(r#"{"columns": {"customer": "nope"}}"#),
    )
    .unwrap_err()
    .to_string();
    assert!(e.len() < 600, "{} bytes", e.len());
    // a 500 KB amount (rows may take 1 MiB): the example and its message show 200 characters and an ellipsis
    let big = "9".repeat(500) + &"x".repeat(500_000);
    let csv = format!("customer,date,amount\nA,2024-01-01,{big}\nA,2024-01-02,5\n");
    let s = summary(&csv, "{}");
    let ex = &s["input"]["rejected"]["bad_amount"]["examples"][0];
    assert_eq!(ex["value"].as_str().unwrap().chars().count(), 201);
    assert!(ex["value"].as_str().unwrap().ends_with('…'));
    assert!(ex["message"].as_str().unwrap().len() < 400);
}
