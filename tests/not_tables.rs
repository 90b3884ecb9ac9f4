//! Files that are not tables are named, with what to do instead, rather than ending in "no date
//! column found" (issue 10). Each input is made here by hand from the format's published magic bytes.

use tierwise::{analyze, Options};

fn refusal(bytes: &[u8]) -> String {
    analyze(bytes, &Options::default()).unwrap_err().to_string()
}

const CSV: &str = "customer_id,order_date,amount\nA,2024-01-01,10\nB,2024-01-02,5\n";

fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

#[test]
fn archives_workbooks_images_documents_and_json_are_named() {
    let cases: [(&[u8], &str); 9] = [
        (
            b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml",
            "a ZIP archive (an .xlsx or .ods workbook is one)",
        ),
        (
            &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0],
            "an old Excel workbook (.xls)",
        ),
        (&[0x1F, 0x8B, 0x08, 0x00, 1, 2, 3], "a gzip-compressed file"),
        (b"\x89PNG\r\n\x1a\n....IHDR", "an image"),
        (b"%PDF-1.7\n%....", "a PDF document"),
        (
            b"  <!DOCTYPE html><html><table><tr><td>A</td></tr></table>",
            "an HTML or XML document",
        ),
        (
            b"\xEF\xBB\xBF<?xml version=\"1.0\"?><Workbook/>",
            "an HTML or XML document",
        ),
        (
            b"{\"customer\": \"A\", \"date\": \"2024-01-01\"}\n{\"customer\": \"B\"}\n",
            "JSON",
        ),
        (b"[{\"customer\": \"A\"}]", "JSON"),
    ];
    for (bytes, what) in cases {
        let e = refusal(bytes);
        assert!(
            e.starts_with(&format!(
                "this file is not a table of transactions: it is {what}"
            )),
            "{what}: {e}"
        );
    }
}

#[test]
fn utf32_and_utf16_without_a_bom_are_named_and_utf16_can_be_forced() {
    // UTF-32LE with its BOM (FF FE 00 00), which would otherwise be taken for UTF-16LE
    let mut utf32: Vec<u8> = vec![0xFF, 0xFE, 0, 0];
    utf32.extend(CSV.chars().flat_map(|c| (c as u32).to_le_bytes()));
    assert!(refusal(&utf32).ends_with("it is UTF-32 text, which is not read: save it as UTF-8"));
    // and without it
    assert!(refusal(&utf32[4..]).contains("UTF-32 text"));
    // UTF-16LE without a BOM: named, with the option that reads it
    let u16 = utf16le(CSV);
    assert!(refusal(&u16).contains(
        "UTF-16 text without a byte-order mark: set options.encoding to \"utf-16le\" or \"utf-16be\""
    ));
    let o = Options::from_json(r#"{"encoding": "utf-16le"}"#).unwrap();
    let a = analyze(&u16, &o).unwrap();
    assert_eq!(a.summary.customers, 2);
}

#[test]
fn tables_that_look_a_little_like_them_are_still_read() {
    // SQL Server's bracketed header names start with "[" but are no JSON
    let sql = "[CustomerID],[OrderDate],[Amount]\nA,2024-01-01,10\nB,2024-01-02,5\n";
    let o = Options::from_json(r#"{"columns": {"customer": 0, "date": 1, "amount": 2}}"#).unwrap();
    assert_eq!(analyze(sql.as_bytes(), &o).unwrap().summary.customers, 2);
    // a file whose first customer id starts with "PK" or "{" is a table
    let pk = "customer_id,order_date,amount\nPK-001,2024-01-01,10\n";
    assert_eq!(
        analyze(pk.as_bytes(), &Options::default())
            .unwrap()
            .summary
            .customers,
        1
    );
    // UTF-16 with its BOM is read as before
    let mut bom = vec![0xFF, 0xFE];
    bom.extend(utf16le(CSV));
    assert_eq!(
        analyze(&bom, &Options::default())
            .unwrap()
            .summary
            .customers,
        2
    );
}
