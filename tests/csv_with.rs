//! `write_csv_with` (wasm `toCsvWith`, the CLI's `--labels` / `--delimiter` / `--decimal`): the
//! customers CSV in another label language, with another delimiter, a decimal comma, or for some
//! customers only. Every expectation comes from an independent path: the CSV of an analysis run
//! with `labels: "zh"`, the default CSV re-parsed, or cells written by hand.

use tierwise::report::{write_csv_with, CsvFormat};
use tierwise::{analyze, Analysis, Options};

fn sample() -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/www/sample.csv")).unwrap()
}

fn run(bytes: &[u8], json: &str) -> Analysis {
    analyze(bytes, &Options::from_json(json).unwrap()).unwrap()
}

fn with(a: &Analysis, f: CsvFormat, rows: Option<&[u32]>) -> Vec<u8> {
    let mut out = Vec::new();
    write_csv_with(a, f, rows, &mut out).unwrap();
    out
}

fn parse(bytes: &[u8], delimiter: u8) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).unwrap();
    assert!(text.starts_with('\u{feff}'), "the BOM is kept");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn the_analysis_own_format_gives_the_same_bytes_as_to_csv() {
    let bytes = sample();
    for json in ["{}", r#"{"labels":"zh"}"#] {
        let a = run(&bytes, json);
        assert_eq!(with(&a, CsvFormat::of(&a), None), a.to_csv(), "{json}");
        let parsed = CsvFormat::parse(&a, "", None, None, None).unwrap();
        assert_eq!(
            parsed,
            CsvFormat::of(&a),
            "{json}: no settings = the analysis' own"
        );
    }
}

#[test]
fn chinese_labels_on_an_english_analysis_equal_a_chinese_analysis_and_back() {
    let bytes = sample();
    let en = run(&bytes, "{}");
    let zh = run(&bytes, r#"{"labels":"zh"}"#);
    let to_zh = CsvFormat::parse(&en, "", Some("zh"), None, None).unwrap();
    let to_en = CsvFormat::parse(&zh, "", Some("en"), None, None).unwrap();
    assert_eq!(with(&en, to_zh, None), zh.to_csv());
    assert_eq!(with(&zh, to_en, None), en.to_csv());
    // and the Chinese CSV does hold Chinese names (not the English ones twice)
    let cells = parse(&zh.to_csv(), b',');
    let seg = cells[0].iter().position(|c| c == "segment_rfm11").unwrap();
    assert!(cells[1..].iter().any(|r| r[seg] == "冠军客户"));
}

#[test]
fn semicolon_and_tab_delimiters_hold_the_same_cells() {
    let a = run(&sample(), "{}");
    let base = parse(&a.to_csv(), b',');
    for (d, byte) in [(";", b';'), ("\t", b'\t'), ("tab", b'\t')] {
        let f = CsvFormat::parse(&a, "", None, Some(d), None).unwrap();
        let out = with(&a, f, None);
        assert_eq!(parse(&out, byte), base, "{d:?}");
        let header = std::str::from_utf8(&out)
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .to_string();
        let sep = char::from(byte).to_string();
        assert!(header.starts_with(&format!("\u{feff}customer_id{sep}first_date{sep}")));
    }
}

#[test]
fn a_decimal_comma_changes_only_the_numbers_with_decimals() {
    // A: 2 orders, net 10.5 + 2.25 = 12.75, AOV 6.375; B: one order of 3
    let csv =
        "customer_id,order_date,amount\nA,2024-01-01,10.5\nA,2024-01-05,2.25\nB,2024-01-05,3\n";
    let a = run(csv.as_bytes(), r#"{"model":{"enabled":false}}"#);
    let f = CsvFormat::parse(&a, "", None, Some(";"), Some(",")).unwrap();
    let rows = parse(&with(&a, f, None), b';');
    let col = |name: &str| rows[0].iter().position(|c| c == name).unwrap();
    assert_eq!(rows[1][col("monetary")], "12,75");
    assert_eq!(rows[1][col("aov")], "6,375");
    assert_eq!(
        rows[1][col("first_date")],
        "2024-01-01",
        "dates keep their dashes"
    );
    assert_eq!(rows[2][col("monetary")], "3");
    assert_eq!(rows[1][col("frequency")], "2");
    // a decimal comma with the comma delimiter would be ambiguous: refused
    let e = CsvFormat::parse(&a, "toCsvWith.", None, Some(","), Some(",")).unwrap_err();
    assert!(e.to_string().contains("toCsvWith.decimal"), "{e}");
}

#[test]
fn a_subset_is_written_in_the_order_given_and_past_the_end_left_out() {
    let a = run(&sample(), "{}");
    let base = parse(&a.to_csv(), b',');
    let n = a.rows.len() as u32;
    let pick = [5u32, 0, 42, n - 1, n, n + 7];
    let out = parse(&with(&a, CsvFormat::of(&a), Some(&pick)), b',');
    assert_eq!(out[0], base[0], "same header");
    let want: Vec<_> = [5usize, 0, 42, n as usize - 1]
        .iter()
        .map(|&i| base[i + 1].clone())
        .collect();
    assert_eq!(&out[1..], &want[..]);
    // no customers: the header only
    assert_eq!(
        parse(&with(&a, CsvFormat::of(&a), Some(&[])), b','),
        vec![base[0].clone()]
    );
}

#[test]
fn formula_guards_hold_in_every_format() {
    let csv = "customer_id,order_date,amount\n=HYPERLINK(\"x\"),2024-01-01,10\n-2,2024-01-02,5\n";
    let a = run(csv.as_bytes(), "{}");
    for d in [",", ";", "\t"] {
        let f = CsvFormat::parse(&a, "", Some("zh"), Some(d), None).unwrap();
        let rows = parse(&with(&a, f, None), d.as_bytes()[0]);
        assert_eq!(rows[1][0], "'-2");
        assert_eq!(rows[2][0], "'=HYPERLINK(\"x\")");
    }
}

#[test]
fn wrong_settings_name_the_setting_and_the_allowed_values() {
    let a = run(&sample(), "{}");
    let e = CsvFormat::parse(&a, "toCsvWith.", Some("fr"), None, None).unwrap_err();
    assert_eq!(
        e.to_string(),
        r#"invalid option toCsvWith.labels: must be one of "en", "zh", got "fr""#
    );
    let e = CsvFormat::parse(&a, "--", None, Some("|"), None).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("invalid option --delimiter: must be one of"),
        "{e}"
    );
}

/// Runs the CLI's `analyze` on the sample with `args`, returning (exit code, stdout, stderr).
fn cli(args: &[&str]) -> (i32, Vec<u8>, String) {
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/www/sample.csv");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tierwise"))
        .arg("analyze")
        .arg(sample)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_cli_flags_write_the_same_csv_as_the_library() {
    let bytes = sample();
    let en = run(&bytes, "{}");
    let zh = run(&bytes, r#"{"labels":"zh"}"#);
    let (code, out, _) = cli(&["--labels", "zh"]);
    assert_eq!(code, 0);
    assert_eq!(out, zh.to_csv(), "--labels zh = an analysis with labels zh");
    let (code, out, _) = cli(&["--options", r#"{"labels":"zh"}"#, "--labels", "en"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        en.to_csv(),
        "--labels en wins over the options' labels for the CSV"
    );
    let (code, out, _) = cli(&["--delimiter", ";", "--decimal", ","]);
    assert_eq!(code, 0);
    let f = CsvFormat::parse(&en, "", None, Some(";"), Some(",")).unwrap();
    assert_eq!(out, with(&en, f, None));
    let (code, _, err) = cli(&["--delimiter", "|"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("invalid option --delimiter: must be one of"),
        "{err}"
    );
}

/// The CLI formats the rows on threads (`write_csv_threads`): the same bytes as one thread, for
/// every customer, for some in another order, and in another format. 40,000 customers make
/// several blocks of 16,384 rows, so the blocks really are formatted apart and put back in order.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn csv_written_on_threads_equals_one_thread() {
    use tierwise::report::write_csv_threads;
    let mut text = String::from("customer_id,order_date,amount\n");
    for i in 0..40_000u32 {
        let day = 1 + i % 28;
        let month = 1 + i % 12;
        text.push_str(&format!(
            "C{i:05},2024-{month:02}-{day:02},{}.{:02}\n",
            10 + i % 97,
            i % 100
        ));
    }
    let a = run(text.as_bytes(), "{}");
    assert_eq!(a.rows.len(), 40_000);
    let reversed: Vec<u32> = (0..40_000u32).rev().step_by(3).collect();
    let zh = CsvFormat::parse(&a, "--", Some("zh"), Some(";"), Some(",")).unwrap();
    for (format, rows) in [
        (CsvFormat::of(&a), None),
        (CsvFormat::of(&a), Some(&reversed[..])),
        (zh, None),
    ] {
        let one = with(&a, format, rows);
        for threads in [2, 3, 7] {
            let mut many = Vec::new();
            write_csv_threads(&a, format, rows, &mut many, threads).unwrap();
            assert!(one == many, "{threads} threads wrote other bytes");
        }
        // and the rows are all there: a header and one line per customer
        let lines = one.iter().filter(|&&b| b == b'\n').count();
        assert_eq!(lines, 1 + rows.map_or(40_000, |r| r.len()));
    }
}
