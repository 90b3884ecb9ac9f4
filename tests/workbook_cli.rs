//! Workbooks through the native CLI (docs/input.md#workbooks): the committed fixtures of
//! tests/fixtures/workbooks (made by make_workbooks.py there: the same cells as .xlsx, .xls and
//! .ods), workbooks made here with rust_xlsxwriter, and the coded messages of the workbook crate
//! against the core's catalog. Expected values are worked out by hand from the cells.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/workbooks")
        .join(name)
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("tierwise-wb-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `tierwise analyze FILE [--options JSON]`: Ok((customers CSV without BOM, summary, stderr)) or
/// Err(stderr).
fn run(file: &Path, options: Option<&str>) -> Result<(String, serde_json::Value, String), String> {
    let name = file
        .file_name()
        .unwrap()
        .to_string_lossy()
        .replace('.', "-");
    let d = tmpdir(&format!("{name}-{}", options.map_or(0, str::len)));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tierwise"));
    cmd.arg("analyze")
        .arg(file)
        .arg("--out")
        .arg(d.join("c.csv"))
        .arg("--summary")
        .arg(d.join("s.json"));
    if let Some(o) = options {
        cmd.arg("--options").arg(o);
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if !out.status.success() {
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        return Err(stderr);
    }
    let csv = std::fs::read_to_string(d.join("c.csv")).unwrap();
    let summary =
        serde_json::from_str(&std::fs::read_to_string(d.join("s.json")).unwrap()).unwrap();
    Ok((
        csv.trim_start_matches('\u{feff}').to_string(),
        summary,
        stderr,
    ))
}

#[test]
fn the_same_orders_in_xlsx_xls_and_ods_give_the_same_analysis() {
    // Sheet "Orders" (make_workbooks.py): row 1 empty, header in row 2, rows 3, 4, 6, 7, 8, 9.
    // Row 8 (D) has the error #N/A as amount: rejected, shown with its row number as in Excel.
    // Valid: A 120 + 60.25 = 180.25 (2024-01-05, 2024-03-01), B 80.5 (2024-02-10),
    // C 0.1 + 0.2 shown as 0.3 (2024-03-02 08:30), "007" 10 (2024-01-20, text id kept as text).
    // Analysis date: the latest valid day, 2024-03-02; recency A 1, B 21, C 0, 007 42
    // (11 days to Jan 31, 29 in Feb 2024, 2 in March).
    for ext in ["xlsx", "xls", "ods"] {
        let (csv, s, stderr) = run(&fixture(&format!("orders.{ext}")), None).unwrap();
        assert_eq!(
            s["input"]["workbook"],
            serde_json::json!({"format": ext, "sheet": "Orders", "sheets": ["Orders", "Q2", "Notes"]}),
            "{ext}"
        );
        assert!(
            stderr.contains(&format!(
                "read sheet \"Orders\" of the {ext} workbook (sheets: \"Orders\", \"Q2\", \"Notes\")"
            )),
            "{ext}: {stderr}"
        );
        assert_eq!(s["input"]["rows"], 6, "{ext}");
        assert_eq!(s["input"]["used"], 5, "{ext}");
        assert_eq!(s["input"]["encoding"], "UTF-8", "{ext}");
        assert_eq!(s["options"]["encoding"], "auto", "{ext}");
        assert_eq!(s["customers"], 4, "{ext}");
        assert_eq!(s["analysisDate"], "2024-03-02", "{ext}");
        let bad = &s["input"]["rejected"]["bad_amount"];
        assert_eq!(bad["count"], 1, "{ext}");
        assert_eq!(bad["examples"][0]["row"], 8, "{ext}");
        assert_eq!(bad["examples"][0]["value"], "#N/A", "{ext}");
        let rows: Vec<Vec<&str>> = csv
            .lines()
            .skip(1)
            .map(|l| l.split(',').take(6).collect())
            .collect();
        assert_eq!(
            rows,
            [
                ["007", "2024-01-20", "2024-01-20", "42", "1", "10"],
                ["A", "2024-01-05", "2024-03-01", "1", "2", "180.25"],
                ["B", "2024-02-10", "2024-02-10", "21", "1", "80.5"],
                ["C", "2024-03-02", "2024-03-02", "0", "1", "0.3"],
            ],
            "{ext}"
        );
    }
}

#[test]
fn options_sheet_picks_another_sheet_and_a_wrong_one_lists_the_sheets() {
    for ext in ["xlsx", "xls", "ods"] {
        let f = fixture(&format!("orders.{ext}"));
        // "Q2": one order of E, 5 on 2024-04-01; by index, and by name ignoring case and spaces
        for sheet in ["1", "\" q2\""] {
            let (_, s, _) = run(&f, Some(&format!("{{\"sheet\": {sheet}}}"))).unwrap();
            assert_eq!(s["input"]["workbook"]["sheet"], "Q2", "{ext} {sheet}");
            assert_eq!(s["customers"], 1, "{ext}");
            assert_eq!(s["analysisDate"], "2024-04-01", "{ext}");
            assert_eq!(
                s["options"]["sheet"],
                serde_json::from_str::<serde_json::Value>(sheet).unwrap()
            );
        }
        let e = run(&f, Some(r#"{"sheet": "Q3"}"#)).unwrap_err();
        assert_eq!(
            e.trim(),
            "tierwise: the workbook has no sheet \"Q3\"; its sheets are \"Orders\", \"Q2\", \"Notes\" \
             (set options.sheet to a name or a 0-based index)",
            "{ext}"
        );
        let e = run(&f, Some(r#"{"sheet": 3}"#)).unwrap_err();
        assert!(
            e.contains("sheet index 3 is out of range: the workbook has 3 sheets (0 to 2)"),
            "{ext}: {e}"
        );
        // "Notes" holds one line of text ("made by make_workbooks.py", read as three
        // whitespace-aligned columns): no date column
        let e = run(&f, Some(r#"{"sheet": "Notes"}"#)).unwrap_err();
        assert!(e.contains("no date column found"), "{ext}: {e}");
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn workbooks_are_told_by_their_content_not_their_name() {
    let d = tmpdir("names");
    let bytes = std::fs::read(fixture("orders.xlsx")).unwrap();
    // an .xlsx saved as "orders.csv" is still a workbook, a CSV named .xlsx still a CSV
    let (_, s, _) = run(&write(&d, "orders.csv", &bytes), None).unwrap();
    assert_eq!(s["input"]["workbook"]["format"], "xlsx");
    let csv = "customer_id,order_date,amount\nA,2024-01-05,10\n";
    let (_, s, _) = run(&write(&d, "table.xlsx", csv.as_bytes()), None).unwrap();
    assert!(s["input"].get("workbook").is_none());
    // the same through standard input
    let out = Command::new(env!("CARGO_BIN_EXE_tierwise"))
        .args(["analyze", "-", "--out", "/dev/null", "--summary"])
        .arg(d.join("stdin.json"))
        .stdin(std::fs::File::open(fixture("orders.ods")).unwrap())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("stdin.json")).unwrap()).unwrap();
    assert_eq!(s["input"]["workbook"]["format"], "ods");
    assert_eq!(s["customers"], 4);
}

#[test]
fn a_zip_that_is_no_workbook_and_an_empty_sheet_are_refused_by_name() {
    let d = tmpdir("refused");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("orders.csv", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(&mut zip, b"customer_id,order_date\nA,2024-01-05\n").unwrap();
    let plain = zip.finish().unwrap().into_inner();
    let e = run(&write(&d, "orders.zip", &plain), None).unwrap_err();
    assert_eq!(
        e.trim(),
        "tierwise: this file is not a workbook that tierwise reads (.xlsx, .xlsm, .xlsb, .xls, .ods): \
         if it is an archive, unpack it and give the table inside"
    );
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().set_name("Leer").unwrap();
    let e = run(
        &write(&d, "empty.xlsx", &wb.save_to_buffer().unwrap()),
        None,
    )
    .unwrap_err();
    assert_eq!(
        e.trim(),
        "tierwise: sheet \"Leer\" is empty; the workbook's sheets are \"Leer\" (choose one with options.sheet)"
    );
}

#[test]
fn rejected_rows_keep_excel_row_numbers_below_leading_empty_rows_and_columns() {
    // The table starts at B4 (rows 1-3 and column A empty); row 7 has an amount typed as text "n/a";
    // row 6 is empty. Rows 5 and 8 are valid: customers X (12.5) and Y (7).
    let mut wb = rust_xlsxwriter::Workbook::new();
    let day = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    let ws = wb.add_worksheet();
    for (c, h) in ["customer_id", "order_date", "amount"].iter().enumerate() {
        ws.write(3, c as u16 + 1, *h).unwrap();
    }
    let date = |d| rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 5, d).unwrap();
    ws.write(4, 1, "X").unwrap();
    ws.write_datetime_with_format(4, 2, date(1), &day).unwrap();
    ws.write(4, 3, 12.5).unwrap();
    ws.write(6, 1, "Z").unwrap();
    ws.write_datetime_with_format(6, 2, date(2), &day).unwrap();
    ws.write(6, 3, "n/a").unwrap();
    ws.write(7, 1, "Y").unwrap();
    ws.write_datetime_with_format(7, 2, date(3), &day).unwrap();
    ws.write(7, 3, 7).unwrap();
    let d = tmpdir("offset");
    let (csv, s, _) = run(
        &write(&d, "offset.xlsx", &wb.save_to_buffer().unwrap()),
        None,
    )
    .unwrap();
    let ex = &s["input"]["rejected"]["bad_amount"]["examples"][0];
    assert_eq!(ex["row"], 7);
    assert_eq!(ex["value"], "n/a");
    assert_eq!(s["input"]["rows"], 3);
    assert_eq!(s["customers"], 2);
    assert!(csv.contains("\nX,2024-05-01,2024-05-01,2,1,12.5,"), "{csv}");
    assert!(csv.contains("\nY,2024-05-03,2024-05-03,0,1,7,"), "{csv}");
}

#[test]
fn the_analysis_module_refuses_a_workbook_and_names_the_workbook_module() {
    // tierwise::analyze reads text tables only, natively and in wasm
    let bytes = std::fs::read(fixture("orders.xlsx")).unwrap();
    let e = tierwise::analyze(&bytes, &tierwise::Options::default()).unwrap_err();
    assert_eq!(e.message().code(), "not_a_table");
    assert!(
        e.to_string()
            .contains("convert a workbook's sheet with the workbook module first"),
        "{e}"
    );
    let bytes = std::fs::read(fixture("orders.xls")).unwrap();
    let e = tierwise::analyze(&bytes, &tierwise::Options::default()).unwrap_err();
    assert!(
        e.to_string().contains("an old Excel workbook (.xls)"),
        "{e}"
    );
    // tierwise::workbook::analyze reads it
    let a = tierwise::workbook::analyze(&bytes, &tierwise::Options::default()).unwrap();
    assert_eq!(a.summary.customers, 4);
}

#[test]
fn the_workbook_crate_and_the_catalog_agree_on_every_code() {
    use tierwise_workbook::{Error, Limit};
    let sheets = vec!["Orders".to_string(), "Q2".to_string()];
    let cases = [
        Error::NotAWorkbook,
        Error::Encrypted {
            format: Some(tierwise_workbook::Format::Xlsx),
        },
        Error::Unreadable {
            format: None,
            detail: "invalid Zip archive".into(),
        },
        Error::NoWorksheets,
        Error::NoSuchSheet {
            sheet: "Q3".into(),
            sheets: sheets.clone(),
        },
        Error::SheetIndexOutOfRange {
            index: 7,
            sheets: sheets.clone(),
        },
        Error::EmptySheet {
            sheet: "Q2".into(),
            sheets,
        },
        Error::TooLarge(Limit::FileBytes {
            size: 3 << 28,
            max: 1 << 28,
        }),
        Error::TooLarge(Limit::PartBytes {
            part: "xl/sharedStrings.xml".into(),
            size: 1 << 30,
            max: 1 << 28,
        }),
        Error::TooLarge(Limit::Cells { max: 1 << 25 }),
        Error::TooLarge(Limit::CsvBytes { max: 1 << 29 }),
        Error::TooLarge(Limit::WorkbookCells { max: 1 << 25 }),
        Error::TooLarge(Limit::WorkbookText { max: 1 << 29 }),
        Error::TooLarge(Limit::Sheets { max: 10_000 }),
        Error::TooLarge(Limit::Parts { max: 100_000 }),
        Error::TooLarge(Limit::UnpackedBytes { max: 1 << 32 }),
    ];
    let catalog = tierwise::messages::catalog();
    let mut codes = std::collections::BTreeSet::new();
    for e in &cases {
        let coded = e.coded();
        let m = tierwise::workbook::message_of(&coded);
        // same code, same English text, same parameters
        assert_eq!(m.code(), coded.code);
        assert_eq!(m.en(), e.to_string(), "{}", coded.code);
        let names = |c: &tierwise_workbook::error::Coded| -> Vec<&str> {
            c.params.iter().map(|(n, _)| *n).collect()
        };
        let m_names: Vec<&str> = m.params().iter().map(|(n, _)| *n).collect();
        assert_eq!(m_names, names(&coded), "{}", coded.code);
        // and a Chinese template
        assert!(!catalog[coded.code].zh.is_empty());
        codes.insert(coded.code);
        if let Some((_, tierwise_workbook::error::Param::Msg(inner))) = coded.params.first() {
            codes.insert(inner.code);
        }
    }
    // every code of the crate was tried, and its English template is the catalog's
    for (code, en) in tierwise_workbook::error::TEMPLATES {
        assert!(codes.contains(code), "{code} not tried");
        assert_eq!(catalog[code].en, *en, "{code}");
    }
}

#[path = "../workbook/tests/common/hostile.rs"]
mod hostile;

#[test]
fn hostile_workbooks_are_refused_with_one_coded_line_and_exit_code_2() {
    // workbook/tests/common/hostile.rs: each asks a trusting reader for gigabytes or forever
    let d = tmpdir("hostile");
    for (name, bytes, code) in hostile::all() {
        let e = run(&write(&d, name, &bytes), None).unwrap_err();
        let line = e.trim();
        assert!(!line.contains('\n'), "{name}: {e}");
        // the English of the refusal's code, up to its first parameter
        let (_, template) = tierwise_workbook::error::TEMPLATES
            .iter()
            .find(|(c, _)| *c == code)
            .unwrap();
        let fixed = &template[..template.find('{').unwrap_or(template.len())];
        assert!(
            line.starts_with("tierwise: ") && line.contains(fixed),
            "{name}: {line}"
        );
    }
}
