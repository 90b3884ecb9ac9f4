//! Boundary tests in headless Chromium: `wasm-pack test --headless --chrome --chromedriver /usr/bin/chromedriver`.
#![cfg(target_arch = "wasm32")]

use tierwise::wasm::{analyze, compare, inspect, lint_rules, version};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CSV: &str =
    "customer_id,order_date,amount\nB,2024-01-05,20\nA,2024-01-01,10\nA,2024-01-09,5.5\n";

#[wasm_bindgen_test]
fn bytes_in_columns_out() {
    let a = analyze(CSV.as_bytes(), JsValue::UNDEFINED).unwrap();
    assert_eq!(a.customer_count(), 2);
    // sorted by customer id; analysis date 2024-01-09
    assert_eq!(a.customer_id(), vec!["A".to_string(), "B".to_string()]);
    assert_eq!(a.recency_days(), vec![0, 4]);
    assert_eq!(a.monetary(), vec![15.5, 20.0]);
    assert_eq!(a.frequency(), vec![2.0, 1.0]);
    assert_eq!(
        a.last_date(),
        vec!["2024-01-09".to_string(), "2024-01-05".to_string()]
    );
    assert!(a.p_alive().iter().all(|x| x.is_nan()));
    let csv = a.to_csv();
    assert_eq!(&csv[..3], &[0xEF, 0xBB, 0xBF]);
    assert!(String::from_utf8(csv)
        .unwrap()
        .contains("\nA,2024-01-01,2024-01-09,0,2,15.5,7.75,"));
}

#[wasm_bindgen_test]
fn summary_is_a_plain_object() {
    let a = analyze(CSV.as_bytes(), JsValue::UNDEFINED).unwrap();
    let s = a.summary().unwrap();
    let customers = js_sys::Reflect::get(&s, &"customers".into()).unwrap();
    assert_eq!(customers.as_f64(), Some(2.0));
    let date = js_sys::Reflect::get(&s, &"analysisDate".into()).unwrap();
    assert_eq!(date.as_string().as_deref(), Some("2024-01-09"));
    let input = js_sys::Reflect::get(&s, &"input".into()).unwrap();
    assert_eq!(
        js_sys::Reflect::get(&input, &"rows".into())
            .unwrap()
            .as_f64(),
        Some(3.0)
    );
    assert!(!version().is_empty());
}

#[wasm_bindgen_test]
fn options_object_is_read() {
    let opts = js_sys::JSON::parse(r#"{"analysisDate": "2024-01-05", "labels": "zh"}"#).unwrap();
    let a = analyze(CSV.as_bytes(), opts).unwrap();
    // only A's first order and B's order are on or before 2024-01-05
    assert_eq!(a.recency_days(), vec![4, 0]);
    assert_eq!(a.monetary(), vec![10.0, 20.0]);
}

#[wasm_bindgen_test]
fn scoring_mode_and_thresholds_are_read() {
    // recency A 0, B 4; cut point 2 days: A (0) → score 2 (recent), B (4) → 1
    let opts = js_sys::JSON::parse(
        r#"{"rfm": {"mode": "thresholds", "thresholds": {"r": [2], "f": [1], "m": [18]}}}"#,
    )
    .unwrap();
    let a = analyze(CSV.as_bytes(), opts).unwrap();
    assert_eq!(a.r_score(), vec![2, 1]);
    // frequency A 2, B 1 (cut point 1); monetary A 15.5, B 20 (cut point 18)
    assert_eq!(a.f_score(), vec![2, 1]);
    assert_eq!(a.m_score(), vec![1, 2]);
    // a wrong threshold list is an error naming the key
    let bad =
        js_sys::JSON::parse(r#"{"rfm": {"mode": "thresholds", "thresholds": {"r": [5, 1]}}}"#)
            .unwrap();
    let e: JsValue = analyze(CSV.as_bytes(), bad).err().expect("an error").into();
    let msg = js_sys::Reflect::get(&e, &"message".into())
        .unwrap()
        .as_string()
        .unwrap();
    assert!(msg.contains("rfm.thresholds.r"), "{msg}");
}

#[wasm_bindgen_test]
fn lint_rules_reports_gaps_and_overlaps() {
    // k = 3, R and F only: "High" R 3; "Low" R 1–2 × F 1; "Mid" R 2–3 × F 2 →
    // gaps (1,2) (1,3) (2,3), one overlap (3,2)
    let rules = js_sys::JSON::parse(
        r#"[{"name": "High", "r": [3, 3]}, {"name": "Low", "r": [1, 2], "f": [1, 1]},
            {"name": "Mid", "r": [2, 3], "f": [2, 2]}]"#,
    )
    .unwrap();
    let lint = lint_rules(rules, Some(3.0), Some(false)).unwrap();
    let get = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).unwrap();
    assert_eq!(get(&lint, "combinations").as_f64(), Some(9.0));
    let uncovered = js_sys::Array::from(&get(&lint, "uncovered"));
    assert_eq!(uncovered.length(), 3);
    let overlaps = js_sys::Array::from(&get(&lint, "overlaps"));
    assert_eq!(overlaps.length(), 1);
    assert_eq!(get(&overlaps.get(0), "r").as_f64(), Some(3.0));
    // an empty range is an error naming the key
    let bad = js_sys::JSON::parse(r#"[{"name": "X", "r": [4, 2]}]"#).unwrap();
    assert!(lint_rules(bad, None, None).is_err());
}

#[wasm_bindgen_test]
fn compare_two_dates() {
    // as of 2024-01-05: B 20, A 10 (total 30): B has 0 above it → A, A has 20/30 = .67 → A.
    // As of 2024-01-09: B 20, A 15.5 (total 35.5): B → A, A 20/35.5 = .56 → A. Ladder (n = 2):
    // B VIP, A Bronze on both dates. So counts[A][A] = 2 and nobody moves.
    let early = js_sys::JSON::parse(r#"{"analysisDate": "2024-01-05"}"#).unwrap();
    let late = js_sys::JSON::parse(r#"{"analysisDate": "2024-01-09"}"#).unwrap();
    let c = compare(CSV.as_bytes(), early, late).unwrap();
    let get = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).unwrap();
    assert_eq!(get(&c, "from").as_string().as_deref(), Some("2024-01-05"));
    assert_eq!(get(&c, "to").as_string().as_deref(), Some("2024-01-09"));
    let abc = get(&c, "abc");
    let counts = js_sys::Array::from(&get(&abc, "counts"));
    // both customers are A on both dates: counts[0][0] = 2
    assert_eq!(
        js_sys::Array::from(&counts.get(0)).get(0).as_f64(),
        Some(2.0)
    );
    assert_eq!(js_sys::Array::from(&get(&c, "movedUp")).length(), 0);

    // a category first bought in the last quarter ((2024-03-30, 2024-06-30]) by a customer of before
    let csv = "customer,date,amount,category\nA,2024-01-10,5,Books\nA,2024-06-01,5,Toys\n";
    let early = js_sys::JSON::parse(r#"{"analysisDate": "2024-03-31"}"#).unwrap();
    let late = js_sys::JSON::parse(r#"{"analysisDate": "2024-06-30"}"#).unwrap();
    let c = compare(csv.as_bytes(), early, late).unwrap();
    let up = js_sys::Array::from(&get(&c, "upgradeCandidates"));
    assert_eq!(up.length(), 1);
    let cats = js_sys::Array::from(&get(&up.get(0), "newCategories"));
    assert_eq!(cats.get(0).as_string().as_deref(), Some("Toys"));
    assert_eq!(get(&up.get(0), "spendGrowth").as_bool(), Some(false));
}

#[wasm_bindgen_test]
fn errors_are_js_errors_with_the_core_message() {
    let e = analyze(b"", JsValue::UNDEFINED)
        .err()
        .expect("empty file must fail");
    let v: JsValue = e.into();
    let msg = js_sys::Reflect::get(&v, &"message".into())
        .unwrap()
        .as_string()
        .unwrap();
    assert!(msg.starts_with("the file is empty"), "{msg}");
    let opts = js_sys::JSON::parse(r#"{"rfm": {"bins": 2}}"#).unwrap();
    let e: JsValue = analyze(CSV.as_bytes(), opts)
        .err()
        .expect("bad option must fail")
        .into();
    let msg = js_sys::Reflect::get(&e, &"message".into())
        .unwrap()
        .as_string()
        .unwrap();
    assert!(msg.contains("rfm.bins"), "{msg}");
}

#[wasm_bindgen_test]
fn streaming_in_chunks_equals_whole_file() {
    use tierwise::wasm::Analyzer;
    let whole = analyze(CSV.as_bytes(), JsValue::UNDEFINED).unwrap();
    let mut s = Analyzer::new(JsValue::UNDEFINED).unwrap();
    for chunk in CSV.as_bytes().chunks(7) {
        s.push(chunk).unwrap();
    }
    assert_eq!(s.bytes_read(), CSV.len() as f64);
    let a = s.finish().unwrap();
    assert_eq!(a.to_csv(), whole.to_csv());
    assert!(
        s.finish().is_err(),
        "a finished analyzer refuses a second finish"
    );
}

#[wasm_bindgen_test]
fn slice_returns_a_page_of_columns() {
    let a = analyze(CSV.as_bytes(), JsValue::UNDEFINED).unwrap();
    let page = a.slice(1, 10).unwrap();
    let ids: js_sys::Array = js_sys::Reflect::get(&page, &"customerId".into())
        .unwrap()
        .into();
    assert_eq!(ids.length(), 1);
    assert_eq!(ids.get(0).as_string().as_deref(), Some("B"));
    let rec: js_sys::Int32Array = js_sys::Reflect::get(&page, &"recencyDays".into())
        .unwrap()
        .into();
    assert_eq!(rec.to_vec(), vec![4]);
}

#[wasm_bindgen_test]
fn a_misleading_head_asks_for_a_second_pass() {
    use tierwise::wasm::Analyzer;
    // more than the 1 MiB head of ISO dates, then a majority of US dates: the whole file is M/D/YYYY
    let mut text = String::from("customer_id,order_date,amount\n");
    let line_iso = "A,2024-01-05,1\n";
    let line_us = "B,1/20/2024,2\n";
    let iso_rows = (1 << 20) / line_iso.len() + 10;
    for _ in 0..iso_rows {
        text.push_str(line_iso);
    }
    for _ in 0..iso_rows + 10 {
        text.push_str(line_us);
    }
    let bytes = text.as_bytes();
    let mut first = Analyzer::new(JsValue::UNDEFINED).unwrap();
    for c in bytes.chunks(65536) {
        first.push(c).unwrap();
    }
    let provisional = first.finish().unwrap();
    assert!(provisional.needs_rerun());
    let mut second = Analyzer::second_pass(JsValue::UNDEFINED, &provisional).unwrap();
    for c in bytes.chunks(65536) {
        second.push(c).unwrap();
    }
    let exact = second.finish().unwrap();
    assert!(!exact.needs_rerun());
    // with M/D/YYYY only B's rows are valid
    assert_eq!(exact.customer_id(), vec!["B".to_string()]);
    assert_eq!(
        exact.to_csv(),
        analyze(bytes, JsValue::UNDEFINED).unwrap().to_csv()
    );
}

fn get(v: &JsValue, path: &[&str]) -> JsValue {
    path.iter().fold(v.clone(), |v, k| {
        let key: JsValue = match k.parse::<u32>() {
            Ok(i) => i.into(),
            Err(_) => (*k).into(),
        };
        js_sys::Reflect::get(&v, &key).unwrap()
    })
}

#[wasm_bindgen_test]
fn inspect_reports_title_rows_and_guesses() {
    // a report title and an export date above the header on row 3
    let csv = "报表,,\n导出日期：2024-03-01,,\n客户编号,日期,金额\nK1,2024-01-05,9.50\nK1,2024-02-01,3.00\n";
    let i = inspect(csv.as_bytes(), JsValue::UNDEFINED, None).unwrap();
    assert_eq!(get(&i, &["headerRow"]).as_f64(), Some(3.0));
    assert_eq!(get(&i, &["titleRows", "1", "row"]).as_f64(), Some(2.0));
    assert_eq!(
        get(&i, &["columns", "0", "role"]).as_string().as_deref(),
        Some("customer")
    );
    assert_eq!(
        get(&i, &["columns", "0", "confidence"])
            .as_string()
            .as_deref(),
        Some("high")
    );
    assert_eq!(
        get(&i, &["columns", "0", "reason", "code"])
            .as_string()
            .as_deref(),
        Some("guess_header_exact")
    );
    assert_eq!(
        get(&i, &["mapping", "amount"]).as_string().as_deref(),
        Some("金额")
    );
    // the analysis skips the title rows the same way
    let a = analyze(csv.as_bytes(), JsValue::UNDEFINED).unwrap();
    assert_eq!(a.customer_count(), 1);
    assert_eq!(a.monetary(), vec![12.5]);
    // an error is a coded Error, and the instance keeps working
    let e = inspect(b"", JsValue::UNDEFINED, None).unwrap_err();
    assert_eq!(
        get(&e, &["code"]).as_string().as_deref(),
        Some("empty_file")
    );
    assert!(inspect(CSV.as_bytes(), JsValue::UNDEFINED, None).is_ok());
    // the preview marks the title rows and the header
    assert_eq!(
        get(&i, &["preview", "1", "kind"]).as_string().as_deref(),
        Some("title")
    );
    assert_eq!(
        get(&i, &["preview", "2", "kind"]).as_string().as_deref(),
        Some("header")
    );
    assert_eq!(
        get(&i, &["preview", "3", "cells", "2"])
            .as_string()
            .as_deref(),
        Some("9.50")
    );
    // lenient: no date column is reported in `missing` instead of thrown
    let no_date = b"k,v\nA,1.5\nB,2.5\nA,3.5\n";
    assert!(inspect(no_date, JsValue::UNDEFINED, None).is_err());
    let l = inspect(no_date, JsValue::UNDEFINED, Some(true)).unwrap();
    assert_eq!(
        get(&l, &["missing", "code"]).as_string().as_deref(),
        Some("no_date_column")
    );
}

#[wasm_bindgen_test]
fn an_unclosed_quote_is_one_bad_row_and_the_instance_keeps_working() {
    use tierwise::wasm::Analyzer;
    let get = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).unwrap();
    // row 3 opens a quote that never closes: one malformed row, row 4 is read
    let text =
        "customer_id,order_date,amount\nA,2024-01-01,10\nC,\"2024-01-03,30\nA,2024-01-04,5\n";
    let a = analyze(text.as_bytes(), JsValue::UNDEFINED).unwrap();
    let bad = get(
        &get(&get(&a.summary().unwrap(), "input"), "rejected"),
        "malformed_row",
    );
    assert_eq!(get(&bad, "count").as_f64(), Some(1.0));
    let example = js_sys::Array::from(&get(&bad, "examples")).get(0);
    assert_eq!(get(&example, "row").as_f64(), Some(3.0));
    assert_eq!(
        get(&example, "column").as_string().as_deref(),
        Some("order_date")
    );
    assert_eq!(
        get(&example, "message").as_string().as_deref(),
        Some("row 3: quote not closed within 64 KiB or before the end of the file (\"2024-01-03,30\"): the row is skipped up to the end of its line and reading goes on with the next line")
    );
    assert_eq!(a.customer_id(), vec!["A".to_string()]);
    assert_eq!(a.monetary(), vec![15.0]);

    // an unclosed quote with 300 KB after it (past the 64 KiB bound), pushed in 4 KiB chunks:
    // 20,000 rows of D0 … D9 read, 1 each
    let mut big = String::from("customer_id,order_date,amount\nX,\"2024-02-01,1\n");
    for i in 0..20_000 {
        big.push_str(&format!("D{},2024-03-01,1\n", i % 10));
    }
    let mut s = Analyzer::new(JsValue::UNDEFINED).unwrap();
    for c in big.as_bytes().chunks(4096) {
        s.push(c).unwrap();
    }
    let b = s.finish().unwrap();
    assert_eq!(b.customer_count(), 10);
    assert_eq!(b.monetary(), vec![2000.0; 10]);

    // a quote in the header that never closes is a coded error ...
    let e: JsValue = analyze(
        b"customer_id,\"order_date,amount\nA,2024-01-01,5\n",
        JsValue::UNDEFINED,
    )
    .err()
    .expect("the header cannot be read");
    assert_eq!(
        get(&e, "code").as_string().as_deref(),
        Some("first_row_unclosed_quote")
    );
    assert!(get(&e, "message")
        .as_string()
        .unwrap()
        .starts_with("the first row of the file has a quote in column 1"));
    // ... and the instance still works afterwards
    let again = analyze(CSV.as_bytes(), JsValue::UNDEFINED).unwrap();
    assert_eq!(again.customer_count(), 2);
}

#[wasm_bindgen_test]
fn deferred_models_then_fit_equal_finish() {
    // docs/models.md#later: the same file finished with and without the models, then fitted
    use tierwise::wasm::Analyzer;
    let bytes: &[u8] = include_bytes!("../www/sample.csv");
    let mut one = Analyzer::new(JsValue::UNDEFINED).unwrap();
    one.push(bytes).unwrap();
    let one = one.finish().unwrap();
    let mut two = Analyzer::new(JsValue::UNDEFINED).unwrap();
    two.push(bytes).unwrap();
    let mut two = two.finish_deferred().unwrap();
    assert!(two.models_pending());
    assert!(two.p_alive().iter().all(|x| x.is_nan()));
    assert!(two.risk().iter().all(|r| r.is_empty()));
    let s = two.summary().unwrap();
    let model = js_sys::Reflect::get(&s, &"model".into()).unwrap();
    let pending = js_sys::Reflect::get(&model, &"pending".into()).unwrap();
    assert_eq!(pending.as_bool(), Some(true));
    two.fit_models();
    assert!(!two.models_pending());
    assert_eq!(two.to_csv(), one.to_csv());
    assert_eq!(
        js_sys::JSON::stringify(&two.summary().unwrap()).unwrap(),
        js_sys::JSON::stringify(&one.summary().unwrap()).unwrap()
    );
}

/// The tokenizer scans unquoted fields a word at a time: customer ids of every length 1–40 put each
/// delimiter and line end at every offset of a word in the wasm build too, and each id and amount
/// must come back exactly (the expected ids are built here, not by the tokenizer).
#[wasm_bindgen_test]
fn field_scan_finds_every_delimiter_position() {
    let mut csv = String::from("customer_id,order_date,amount\r\n");
    let mut ids: Vec<String> = (1..=40usize)
        .map(|len| {
            (0..len)
                .map(|i| (b'a' + (i % 26) as u8) as char)
                .collect::<String>()
        })
        .collect();
    for (i, id) in ids.iter().enumerate() {
        // CRLF and LF line ends alternate, so both terminators land at every offset too
        let end = if i % 2 == 0 { "\r\n" } else { "\n" };
        csv.push_str(&format!("{id},2024-01-{:02},{}{end}", 1 + i % 28, i + 1));
    }
    let a = analyze(csv.as_bytes(), JsValue::UNDEFINED).unwrap();
    ids.sort(); // the output is sorted by customer id
    assert_eq!(a.customer_id(), ids);
    // the id of length L bought for L (its row's amount): the sorted ids' amounts in the same order
    let amounts: Vec<f64> = ids.iter().map(|id| id.len() as f64).collect();
    assert_eq!(a.monetary(), amounts);
}

/// The holdout check per customer at the boundary: CDNOW with the last 39 weeks as the holdout
/// (tests/fixtures/model/holdout_reference.txt: 2,357 customers, 1,882 purchase days after the cut,
/// sum(x) = 2,457), as typed columns and as the CSV; nothing without a check.
#[wasm_bindgen_test]
fn holdout_per_customer_as_columns_and_csv() {
    let bytes = include_bytes!("fixtures/cdnow/CDNOW_sample.txt");
    let opts = js_sys::JSON::parse(
        r#"{"analysisDate": "1998-06-30", "columns": {"customer": 1, "date": 2, "amount": 4},
            "model": {"holdout": 39}}"#,
    )
    .unwrap();
    let a = analyze(bytes, opts).unwrap();
    let actual = a.holdout_actual();
    assert_eq!(actual.len(), 2357);
    assert_eq!(actual.iter().sum::<f64>(), 1882.0);
    assert_eq!(a.holdout_predicted().len(), 2357);
    let csv = String::from_utf8(a.holdout_csv(JsValue::UNDEFINED).unwrap().unwrap()).unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 2357);
    let x: f64 = rows
        .iter()
        .map(|r| r.split(',').nth(2).unwrap().parse::<f64>().unwrap())
        .sum();
    assert_eq!(x, 2457.0);
    // a wrong setting is named
    let bad = js_sys::JSON::parse(r#"{"delimiter": "|"}"#).unwrap();
    let e = a
        .holdout_csv(bad)
        .expect_err("a wrong delimiter is an error");
    let msg = js_sys::Reflect::get(&e, &"message".into())
        .unwrap()
        .as_string()
        .unwrap();
    assert!(msg.contains("holdoutCsv.delimiter"), "{msg}");
    // without a check: no CSV, empty columns
    let plain = analyze(bytes, JsValue::UNDEFINED).unwrap();
    assert!(plain.holdout_csv(JsValue::UNDEFINED).unwrap().is_none());
    assert!(plain.holdout_actual().is_empty());
}
