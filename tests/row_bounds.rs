//! A row's text is bounded (`docs/input.md#limits`, issue 10): a quote that is never closed, a
//! row longer than 1 MiB and a first row that cannot be read are each reported by name, in time
//! linear in the file and memory that does not grow with them, and the rest of the file is read.
//! Every file is made here by hand; the expected counts and sums are worked out in the comments.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::{json, Value};
use std::process::Command;
use tierwise::{analyze, Analysis, Analyzer, Options};

fn run(bytes: &[u8]) -> Analysis {
    analyze(bytes, &Options::default()).expect("the file is read")
}

fn summary(a: &Analysis) -> Value {
    serde_json::to_value(&a.summary).expect("summary serialises")
}

fn spend(a: &Analysis, id: &str) -> f64 {
    let i = (0..a.rows.len())
        .position(|i| a.customer_id(i) == id)
        .expect("the customer");
    a.monetary(i).expect("an amount") as f64 / 1e6
}

/// The file pushed in chunks of `n` bytes through the two-pass protocol.
fn streamed(bytes: &[u8], n: usize) -> Result<Value, String> {
    let a = tierwise::in_two_passes(
        &Options::default(),
        |a| a,
        |mut s: Analyzer| {
            for c in bytes.chunks(n) {
                s.push(c)?;
            }
            Ok::<_, tierwise::TierwiseError>(s)
        },
    )
    .map_err(|e| e.to_string())?;
    Ok(summary(&a))
}

fn tmp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("tierwise-rows-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d.join(name)
}

#[test]
fn an_unclosed_quote_is_one_malformed_row_and_reading_goes_on() {
    // row 4 opens a quote in the date column and never closes it: before, it swallowed rows 5
    // and 6 into one date and was reported as a bad date
    let text = "customer_id,order_date,amount\n\
                A,2024-01-01,10\n\
                B,2024-01-02,20\n\
                C,\"2024-01-03,30\n\
                A,2024-01-04,5\n\
                B,2024-01-05,7\n";
    let a = run(text.as_bytes());
    let s = summary(&a);
    assert_eq!(s["input"]["rows"], 5);
    assert_eq!(s["input"]["used"], 4);
    let bad = &s["input"]["rejected"]["malformed_row"];
    assert_eq!(bad["count"], 1);
    assert_eq!(
        bad["examples"][0],
        json!({
            "row": 4, "column": "order_date", "value": "2024-01-03,30", "reason": "malformed_row",
            "message": "row 4: quote not closed within 64 KiB or before the end of the file (\"2024-01-03,30\"): the row is skipped up to the end of its line and reading goes on with the next line",
            "messageCode": {"code": "at_row", "params": {"row": 4, "problem": {
                "code": "unclosed_quote", "params": {"value": "2024-01-03,30", "limit": "64 KiB"}}}}
        })
    );
    assert_eq!(s["input"]["rejected"].as_object().unwrap().len(), 1);
    // A 10 + 5, B 20 + 7; C is not a customer
    assert_eq!(a.rows.len(), 2);
    assert_eq!(spend(&a, "A"), 15.0);
    assert_eq!(spend(&a, "B"), 27.0);
    // the same however the bytes arrive
    for n in [1, 2, 7, 64] {
        assert_eq!(streamed(text.as_bytes(), n).unwrap(), s, "chunks of {n}");
    }
    // and in Chinese
    let m = tierwise::messages::Message::AtRow {
        row: 4,
        problem: Box::new(tierwise::messages::Message::UnclosedQuote {
            value: "2024-01-03,30".into(),
            limit: "64 KiB".into(),
        }),
    };
    assert_eq!(
        m.zh(),
        "第 4 行：引号在 64 KiB 内或文件结束前都没有闭合（“2024-01-03,30”）：该行已跳过至行末，从下一行继续读取"
    );
}

#[test]
fn a_quote_still_open_64_kib_later_is_unclosed_even_if_a_quote_comes_after() {
    // rows 2–11 are fine; row 12 opens a quote; 100,000 rows follow (2 MB), one of them, about
    // 100 KB later, with a properly quoted date. Read by RFC 4180 alone, that row's opening quote
    // would close row 12's field and swallow 100 KB of rows; past 64 KiB the quote counts as
    // never closed: row 12 is rejected and every other row is read.
    let mut text = String::from("customer_id,order_date,amount\n");
    for i in 0..10 {
        text.push_str(&format!("A{i},2024-01-10,1\n"));
    }
    text.push_str("X,\"2024-02-01,1\n");
    for i in 0..100_000 {
        if i == 5_000 {
            text.push_str("E,\"2024-03-01\",2\n");
        } else {
            text.push_str(&format!("D{},2024-03-{:02},1.00\n", i % 100, 1 + i % 28));
        }
    }
    assert!(text.find("E,\"").unwrap() - text.find("X,\"").unwrap() > 64 << 10);
    let a = run(text.as_bytes());
    let s = summary(&a);
    // 10 + 1 + 100,000 rows, all used but row 12
    assert_eq!(s["input"]["rows"], 100_011);
    assert_eq!(s["input"]["used"], 100_010);
    let bad = &s["input"]["rejected"]["malformed_row"];
    assert_eq!(bad["count"], 1);
    assert_eq!(bad["examples"][0]["row"], 12);
    assert_eq!(bad["examples"][0]["value"], "2024-02-01,1");
    // A0 … A9, D0 … D99 and E
    assert_eq!(a.rows.len(), 111);
    assert_eq!(spend(&a, "E"), 2.0);
    assert_eq!(streamed(text.as_bytes(), 100_003).unwrap(), s);
}

#[test]
fn a_huge_field_without_quotes_is_rejected_and_skipped() {
    // row 3 holds 8,000,000 digits in its amount: "B,2024-01-02," (13 bytes) + 8,000,000 =
    // 8,000,013 bytes before its line end, past the 1 MiB a row may take
    let mut bytes = b"customer_id,order_date,amount\nA,2024-01-01,1\nB,2024-01-02,".to_vec();
    bytes.resize(bytes.len() + 8_000_000, b'9');
    bytes.extend_from_slice(b"\nC,2024-01-03,3\n");
    let a = run(&bytes);
    let s = summary(&a);
    assert_eq!(s["input"]["rows"], 3);
    assert_eq!(s["input"]["used"], 2);
    let e = &s["input"]["rejected"]["malformed_row"]["examples"][0];
    assert_eq!(e["row"], 3);
    assert_eq!(e["column"], Value::Null);
    // the first 60 bytes of the row
    assert_eq!(e["value"], format!("B,2024-01-02,{}", "9".repeat(47)));
    assert_eq!(
        e["message"],
        "row 3: a row of 8000013 bytes, longer than 1 MiB: skipped up to the end of its line"
    );
    assert_eq!(spend(&a, "C"), 3.0);
    assert_eq!(streamed(&bytes, 1 << 20).unwrap(), s);
}

#[test]
fn a_64_mb_line_is_read_in_bounded_memory_by_the_command_line() {
    // the whole file is 64 MB; before, the line was held whole (twice, while being joined)
    let file = tmp("long_line.csv");
    let mut bytes = b"customer_id,order_date,amount\nA,2024-01-01,1\nB,2024-01-02,".to_vec();
    bytes.resize(64 << 20, b'7');
    bytes.extend_from_slice(b"\nC,2024-01-03,3\n");
    std::fs::write(&file, &bytes).unwrap();
    drop(bytes);
    let out = Command::new(env!("CARGO_BIN_EXE_tierwise"))
        .arg("analyze")
        .arg(&file)
        .args(["--out", "/dev/null"])
        .env("TIERWISE_TIMINGS", "1")
        .output()
        .unwrap();
    std::fs::remove_file(&file).ok();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("2 customers from 3 rows (2 used, 1 rejected)"),
        "{err}"
    );
    let rss: f64 = err
        .split("peak RSS ")
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .and_then(|t| t.parse().ok())
        .expect("peak RSS in the timings");
    assert!(rss < 48.0, "peak RSS {rss} MiB for a 64 MB line");
}

#[test]
fn a_first_row_that_cannot_be_read_is_named_not_empty() {
    let err = |b: &[u8]| analyze(b, &Options::default()).unwrap_err();
    // one line of 2 MiB without a line break, then rows
    let mut line = vec![b'a'; 2 << 20];
    line.extend_from_slice(b"\nA,2024-01-01,1\n");
    let e = err(&line);
    assert_eq!(e.message().code(), "first_row_too_long");
    assert!(
        e.to_string().starts_with(
            "the first row of the file does not end within its first 1 MiB, so its columns cannot be read"
        ),
        "{e}"
    );
    // a header of 1.2 MB (600,000 more columns)
    let mut header = String::from("customer_id,order_date,amount");
    header.push_str(&",x".repeat(600_000));
    header.push_str("\nA,2024-01-01,1\n");
    assert_eq!(
        err(header.as_bytes()).message().code(),
        "first_row_too_long"
    );
    // a header whose second name opens a quote that never closes
    let quoted = b"customer_id,\"order_date,amount\nA,2024-01-01,5\nB,2024-01-02,6\n";
    let e = err(quoted);
    assert_eq!(
        e.to_string(),
        "the first row of the file has a quote in column 1 that is not closed within 64 KiB or before the end of the file (\"order_date,amount\"), so its columns cannot be read: remove that quote, or write it twice (\"\") if it belongs to the text"
    );
    // streamed, the same
    assert_eq!(streamed(quoted, 3).unwrap_err(), e.to_string());
    assert!(streamed(&line, 65_536)
        .unwrap_err()
        .starts_with("the first row of the file does not end within its first 1 MiB"));

    // the command line: exit code 2 and the message on one line
    for (name, bytes, start) in [
        (
            "first_long.csv",
            &line[..],
            "tierwise: the first row of the file does not end within its first 1 MiB",
        ),
        (
            "first_quote.csv",
            &quoted[..],
            "tierwise: the first row of the file has a quote in column 1",
        ),
    ] {
        let file = tmp(name);
        std::fs::write(&file, bytes).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_tierwise"))
            .arg("analyze")
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with(start), "{stderr}");
    }
}

#[test]
fn values_shown_in_rejections_are_cut_at_200_characters() {
    // a date of 300,000 characters: the example and its message show the first 200 and "…"
    let mut text = String::from("customer_id,order_date,amount\nA,2024-01-01,1\nB,");
    text.push_str(&"x".repeat(300_000));
    text.push_str(",5\n");
    let s = summary(&run(text.as_bytes()));
    let e = &s["input"]["rejected"]["bad_date"]["examples"][0];
    let shown = format!("{}…", "x".repeat(200));
    assert_eq!(e["value"], shown.as_str());
    assert_eq!(
        e["message"],
        format!("row 3: could not parse date \"{shown}\" as YYYY-MM-DD")
    );
}

#[test]
fn bad_rows_waiting_for_the_date_reading_are_counted_past_their_examples() {
    // a month/day column: rows 2–6 read only month-first (1/20/2024), then 25 pairs of rows with a
    // bad amount, one read only day-first (20/1/2024: rows 7, 9, …, 55), one only month-first
    // (1/21/2024: rows 8, 10, …, 56). Month-first fits 5 + 25 rows, day-first 25: month-first
    // wins, so the day-first rows are bad dates and the others bad amounts — 25 each, with the
    // first 20 as examples (only those are kept while the reading is pending)
    let mut text = String::from("customer_id,order_date,amount\n");
    for _ in 0..5 {
        text.push_str("A,1/20/2024,1\n");
    }
    for _ in 0..25 {
        text.push_str("B,20/1/2024,x\nC,1/21/2024,x\n");
    }
    let s = summary(&run(text.as_bytes()));
    assert_eq!(s["input"]["rows"], 55);
    assert_eq!(s["input"]["used"], 5);
    let rows = |reason: &str| -> Vec<u64> {
        s["input"]["rejected"][reason]["examples"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["row"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(s["input"]["rejected"]["bad_date"]["count"], 25);
    assert_eq!(rows("bad_date"), (7..=45).step_by(2).collect::<Vec<u64>>());
    assert_eq!(s["input"]["rejected"]["bad_amount"]["count"], 25);
    assert_eq!(
        rows("bad_amount"),
        (8..=46).step_by(2).collect::<Vec<u64>>()
    );
}
