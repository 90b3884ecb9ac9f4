//! Conversion of workbooks made here with rust_xlsxwriter. Every expected CSV is written out by hand
//! from the cells put in (docs/input.md#workbooks), not copied from the program's output.

#![cfg(not(target_arch = "wasm32"))]
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use tierwise_workbook::{convert, open, Error, Limit, Limits, SheetRef};

fn date(y: u16, m: u8, d: u8) -> ExcelDateTime {
    ExcelDateTime::from_ymd(y, m, d).unwrap()
}

/// Three sheets: "Report" (a title, then the table from row 3), "Customers " (from C2), "Empty".
fn three_sheets() -> Vec<u8> {
    let mut wb = Workbook::new();
    let day = Format::new().set_num_format("yyyy-mm-dd");
    let stamp = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let ws = wb.add_worksheet().set_name("Report").unwrap();
    ws.write(0, 0, "Sales report 2024").unwrap();
    for (c, h) in ["customer_id", "order_date", "paid_at", "amount", "note"]
        .iter()
        .enumerate()
    {
        ws.write(2, c as u16, *h).unwrap();
    }
    // row 4: an id typed as text, a date, a datetime, a formula whose saved result is 0.1 + 0.2
    ws.write_string(3, 0, "00123").unwrap();
    ws.write_datetime_with_format(3, 1, date(2024, 1, 5), &day)
        .unwrap();
    ws.write_datetime_with_format(3, 2, date(2024, 1, 5).and_hms(8, 26, 0).unwrap(), &stamp)
        .unwrap();
    ws.write_formula(
        3,
        3,
        Formula::new("=0.1+0.2").set_result("0.30000000000000004"),
    )
    .unwrap();
    ws.write(3, 4, "a, \"quoted\" note").unwrap();
    // row 5: a numeric id, a leap day, a time with seconds, a plain number, no note
    ws.write_number(4, 0, 456).unwrap();
    ws.write_datetime_with_format(4, 1, date(2024, 2, 29), &day)
        .unwrap();
    ws.write_datetime_with_format(
        4,
        2,
        date(2024, 2, 29).and_hms(23, 59, 59).unwrap(),
        &Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
    )
    .unwrap();
    ws.write_number(4, 3, 1234.5).unwrap();
    // row 6 empty; row 7: an error result and a boolean
    ws.write(6, 0, "C-7").unwrap();
    ws.write_datetime_with_format(6, 1, date(2024, 3, 1), &day)
        .unwrap();
    ws.write_formula(6, 3, Formula::new("=NA()").set_result("#N/A"))
        .unwrap();
    ws.write_boolean(6, 4, true).unwrap();

    let ws = wb.add_worksheet().set_name("Customers ").unwrap();
    ws.write(1, 2, "id").unwrap();
    ws.write(2, 2, "x").unwrap();
    wb.add_worksheet().set_name("Empty").unwrap();
    wb.save_to_buffer().unwrap()
}

fn csv_of(bytes: &[u8], sheet: Option<SheetRef>) -> String {
    let c = convert(bytes, sheet.as_ref(), &Limits::default()).unwrap();
    String::from_utf8(c.csv).unwrap()
}

#[test]
fn cells_arrive_as_the_csv_reader_reads_them() {
    let got = csv_of(&three_sheets(), None);
    // rows keep their numbers (row 2 and row 6 are empty lines), every non-empty row has the five
    // columns A–E; 0.1 + 0.2 shows as Excel shows it; the id stays "00123"; the note is quoted
    let want = "Sales report 2024,,,,\n\
                \n\
                customer_id,order_date,paid_at,amount,note\n\
                00123,2024-01-05,2024-01-05 08:26:00,0.3,\"a, \"\"quoted\"\" note\"\n\
                456,2024-02-29,2024-02-29 23:59:59,1234.5,\n\
                \n\
                C-7,2024-03-01,,#N/A,TRUE\n";
    assert_eq!(got, want);
}

#[test]
fn a_sheet_is_chosen_by_name_or_index() {
    let bytes = three_sheets();
    // the table starts at C2: one empty line for row 1, two empty fields for columns A and B
    let want = "\n,,id\n,,x\n";
    assert_eq!(csv_of(&bytes, Some(SheetRef::Index(1))), want);
    assert_eq!(
        csv_of(&bytes, Some(SheetRef::Name("Customers ".into()))),
        want
    );
    // ignoring case and surrounding spaces
    assert_eq!(
        csv_of(&bytes, Some(SheetRef::Name(" customers".into()))),
        want
    );
    let c = convert(&bytes, Some(&SheetRef::Index(1)), &Limits::default()).unwrap();
    assert_eq!((c.sheet.as_str(), c.index), ("Customers ", 1));
    assert_eq!(c.sheets, ["Report", "Customers ", "Empty"]);
    assert_eq!(c.format.name(), "xlsx");
}

#[test]
fn missing_and_empty_sheets_are_named_with_the_sheets_there_are() {
    let bytes = three_sheets();
    let sheets: Vec<String> = vec!["Report".into(), "Customers ".into(), "Empty".into()];
    let e = convert(
        &bytes,
        Some(&SheetRef::Name("Orders".into())),
        &Limits::default(),
    )
    .unwrap_err();
    assert_eq!(
        e,
        Error::NoSuchSheet {
            sheet: "Orders".into(),
            sheets: sheets.clone()
        }
    );
    assert_eq!(
        e.to_string(),
        "the workbook has no sheet \"Orders\"; its sheets are \"Report\", \"Customers \", \"Empty\" \
         (set options.sheet to a name or a 0-based index)"
    );
    let e = convert(&bytes, Some(&SheetRef::Index(3)), &Limits::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "sheet index 3 is out of range: the workbook has 3 sheets (0 to 2): \"Report\", \"Customers \", \"Empty\""
    );
    let e = convert(&bytes, Some(&SheetRef::Index(2)), &Limits::default()).unwrap_err();
    assert_eq!(
        e,
        Error::EmptySheet {
            sheet: "Empty".into(),
            sheets
        }
    );
}

#[test]
fn the_default_sheet_is_the_first_visible_one() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Lookup").unwrap();
    ws.write(0, 0, "hidden").unwrap();
    ws.set_hidden(true);
    let ws = wb.add_worksheet().set_name("Data").unwrap();
    ws.write(0, 0, "shown").unwrap();
    wb.worksheet_from_index(1).unwrap().set_active(true);
    let bytes = wb.save_to_buffer().unwrap();
    let wb = open(&bytes, &Limits::default()).unwrap();
    assert_eq!(wb.sheets(), ["Lookup", "Data"]);
    assert_eq!(csv_of(&bytes, None), "shown\n");
    assert_eq!(csv_of(&bytes, Some(SheetRef::Index(0))), "hidden\n");
}

#[test]
fn bounds_stop_the_conversion_with_a_coded_error() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for r in 0..10u32 {
        for c in 0..3u16 {
            ws.write(r, c, f64::from(r) * 10.0 + f64::from(c)).unwrap();
        }
    }
    let bytes = wb.save_to_buffer().unwrap();
    // 10 rows × 3 columns = 30 cells
    let at = |max_cells| Limits {
        max_cells,
        ..Limits::default()
    };
    assert!(convert(&bytes, None, &at(30)).is_ok());
    let e = convert(&bytes, None, &at(29)).unwrap_err();
    assert_eq!(e, Error::TooLarge(Limit::Cells { max: 29 }));
    assert_eq!(e.coded().code, "workbook_too_large");
    let small = Limits {
        max_file_bytes: 1000,
        ..Limits::default()
    };
    assert!(matches!(
        convert(&bytes, None, &small),
        Err(Error::TooLarge(Limit::FileBytes { max: 1000, .. }))
    ));
    let parts = Limits {
        max_part_bytes: 100,
        ..Limits::default()
    };
    assert!(matches!(
        convert(&bytes, None, &parts),
        Err(Error::TooLarge(Limit::PartBytes { max: 100, .. }))
    ));
}

#[test]
fn other_zip_files_and_damaged_workbooks_are_refused_by_name() {
    // a ZIP archive holding a CSV file
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(
        "orders.csv",
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored),
    )
    .unwrap();
    std::io::Write::write_all(&mut zip, b"customer_id,order_date\nA,2024-01-05\n").unwrap();
    let plain = zip.finish().unwrap().into_inner();
    assert_eq!(
        convert(&plain, None, &Limits::default()).unwrap_err(),
        Error::NotAWorkbook
    );
    // an OLE2 file without a workbook stream (a Word document, say)
    let mut ole = tierwise_workbook::OLE2_MAGIC.to_vec();
    ole.extend_from_slice(&[0; 504]);
    assert_eq!(
        convert(&ole, None, &Limits::default()).unwrap_err(),
        Error::NotAWorkbook
    );
    // a download cut short
    let bytes = three_sheets();
    let e = convert(&bytes[..bytes.len() / 2], None, &Limits::default()).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("could not read the workbook (ZIP): "),
        "{e}"
    );
}

#[test]
fn damaged_bytes_never_panic() {
    // truncations and single-byte changes of a real workbook: an error or a sheet, never a panic
    let bytes = three_sheets();
    let step = (bytes.len() / 150).max(1);
    for cut in (0..bytes.len()).step_by(step) {
        let _ = convert(&bytes[..cut], None, &Limits::default());
    }
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    for _ in 0..400 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut b = bytes.clone();
        let i = (seed % b.len() as u64) as usize;
        b[i] ^= (seed >> 32) as u8 | 1;
        let _ = convert(&b, None, &Limits::default());
    }
}
