//! Hostile workbooks, made by hand byte by byte (no code of the crate under test is used), shared by
//! the workbook crate's tests (`tests/convert.rs`, `tests/wasm.rs`), the CLI tests
//! (`tests/workbook_cli.rs` of the main crate) and `examples/hostile.rs` (which writes them to files
//! for the memory measurements of `docs/input.md#workbook-limits-and-memory` and the fuzz seeds).
//!
//! Each one is small on disk and asks a reader that trusts it for far more memory or time than the
//! documented bounds allow; [`ALL`] lists them with the code they must be refused with.
#![allow(dead_code)]

use std::io::Write;

// ---- .ods --------------------------------------------------------------------------------------

/// An `.ods` whose `content.xml` holds `tables` (`<table:table …>` elements) in its spreadsheet.
pub fn ods(tables: &str) -> Vec<u8> {
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content \
         xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
         <office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>\
         </office:document-content>"
    );
    ods_raw(content.as_bytes())
}

/// An `.ods` whose `content.xml` is `content`, as it is (it may end anywhere).
pub fn ods_raw(content: &[u8]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("mimetype", stored).unwrap();
    z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    z.start_file("META-INF/manifest.xml", deflated).unwrap();
    z.write_all(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest \
          xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">\
          <manifest:file-entry manifest:full-path=\"/\" \
          manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
          <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
          </manifest:manifest>",
    )
    .unwrap();
    z.start_file("content.xml", deflated).unwrap();
    z.write_all(content).unwrap();
    z.finish().unwrap().into_inner()
}

/// One table of rows (`<table:table-row …>` elements).
pub fn table(name: &str, rows: &str) -> String {
    format!("<table:table table:name=\"{name}\">{rows}</table:table>")
}

/// A small, well-formed sheet: a header and one order.
pub fn ods_orders() -> Vec<u8> {
    ods(&table(
        "Orders",
        "<table:table-row>\
         <table:table-cell office:value-type=\"string\"><text:p>customer_id</text:p></table:table-cell>\
         <table:table-cell office:value-type=\"string\"><text:p>order_date</text:p></table:table-cell>\
         <table:table-cell office:value-type=\"string\"><text:p>amount</text:p></table:table-cell>\
         </table:table-row><table:table-row>\
         <table:table-cell office:value-type=\"string\"><text:p>A</text:p></table:table-cell>\
         <table:table-cell office:value-type=\"date\" office:date-value=\"2024-01-05\"/>\
         <table:table-cell office:value-type=\"float\" office:value=\"12.5\"/>\
         </table:table-row>",
    ))
}

/// One value repeated across all 16,384 columns, the row repeated 1,048,576 times: 2³⁴ cells from
/// 500 bytes.
pub fn ods_repeated_grid() -> Vec<u8> {
    ods(&table(
        "Grid",
        "<table:table-row table:number-rows-repeated=\"1048576\">\
         <table:table-cell table:number-columns-repeated=\"16384\" office:value-type=\"float\" \
         office:value=\"1\"/></table:table-row>",
    ))
}

/// A row of 100,000,000 cells holding a value (no repeated rows).
pub fn ods_wide_row() -> Vec<u8> {
    ods(&table(
        "Wide",
        "<table:table-row><table:table-cell table:number-columns-repeated=\"100000000\" \
         office:value-type=\"float\" office:value=\"1\"/></table:table-row>",
    ))
}

/// 200,000,000 empty cells followed by one more empty cell: a row with no value at all, which a
/// reader writing out runs of empty cells still keeps.
pub fn ods_empty_run() -> Vec<u8> {
    ods(&table(
        "Empty",
        "<table:table-row><table:table-cell table:number-columns-repeated=\"200000000\"/>\
         <table:table-cell/></table:table-row>",
    ))
}

/// 64 sheets of 1,024 × 1,024 values each: every sheet alone is small, together they are 2²⁶ cells.
pub fn ods_many_sheets() -> Vec<u8> {
    let sheet = |i: usize| {
        table(
            &format!("S{i}"),
            "<table:table-row table:number-rows-repeated=\"1024\">\
             <table:table-cell table:number-columns-repeated=\"1024\" office:value-type=\"float\" \
             office:value=\"1\"/></table:table-row>",
        )
    };
    ods(&(0..64).map(sheet).collect::<String>())
}

/// A text cell of 2,000,000,000 spaces (`<text:s text:c="…"/>`).
pub fn ods_spaces() -> Vec<u8> {
    ods(&table(
        "Spaces",
        "<table:table-row><table:table-cell office:value-type=\"string\">\
         <text:p><text:s text:c=\"2000000000\"/></text:p></table:table-cell></table:table-row>",
    ))
}

/// A 100,000-character text repeated in 2,000 columns of 100 rows: 20 GB of text.
pub fn ods_repeated_text() -> Vec<u8> {
    let text = "x".repeat(100_000);
    ods(&table(
        "Text",
        &format!(
            "<table:table-row table:number-rows-repeated=\"100\">\
             <table:table-cell table:number-columns-repeated=\"2000\" office:value-type=\"string\" \
             office:string-value=\"{text}\"/></table:table-row>"
        ),
    ))
}

/// `content.xml` ending inside a table (a reader that waits for the table's end waits forever).
pub fn ods_open_table() -> Vec<u8> {
    ods_raw(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content><office:body>\
          <office:spreadsheet><table:table table:name=\"Cut\"><table:table-row>\
          <table:table-cell office:value-type=\"float\" office:value=\"1\"/></table:table-row>",
    )
}

/// `content.xml` ending inside a text cell's annotation.
pub fn ods_open_annotation() -> Vec<u8> {
    ods_raw(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content><office:body>\
          <office:spreadsheet><table:table table:name=\"Cut\"><table:table-row>\
          <table:table-cell office:value-type=\"string\"><office:annotation><text:p>note",
    )
}

// ---- .xls (BIFF8 in an OLE2 compound file) ------------------------------------------------------

/// A BIFF record.
pub fn record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut r = typ.to_le_bytes().to_vec();
    r.extend_from_slice(&(data.len() as u16).to_le_bytes());
    r.extend_from_slice(data);
    r
}

/// `NUMBER` at (row, col), 0-based.
pub fn number(row: u16, col: u16, v: f64) -> Vec<u8> {
    let mut d = row.to_le_bytes().to_vec();
    d.extend_from_slice(&col.to_le_bytes());
    d.extend_from_slice(&0u16.to_le_bytes());
    d.extend_from_slice(&v.to_le_bytes());
    record(0x0203, &d)
}

/// `LABELSST` at (row, col) naming shared string `i`.
pub fn label_sst(row: u16, col: u16, i: u32) -> Vec<u8> {
    let mut d = row.to_le_bytes().to_vec();
    d.extend_from_slice(&col.to_le_bytes());
    d.extend_from_slice(&0u16.to_le_bytes());
    d.extend_from_slice(&i.to_le_bytes());
    record(0x00FD, &d)
}

/// `SST` holding `strings` (one byte per character, each in one piece: under 8,000 bytes together).
pub fn sst(strings: &[&str]) -> Vec<u8> {
    let mut d = (strings.len() as u32).to_le_bytes().to_vec();
    d.extend_from_slice(&(strings.len() as u32).to_le_bytes());
    for s in strings {
        d.extend_from_slice(&(s.len() as u16).to_le_bytes());
        d.push(0);
        d.extend_from_slice(s.as_bytes());
    }
    record(0x00FC, &d)
}

fn bof(kind: u16) -> Vec<u8> {
    let mut d = vec![0x00, 0x06];
    d.extend_from_slice(&kind.to_le_bytes());
    d.extend_from_slice(&[0; 12]);
    record(0x0809, &d)
}

fn boundsheet(pos: u32, name: &str) -> Vec<u8> {
    let mut d = pos.to_le_bytes().to_vec();
    d.extend_from_slice(&[0, 0, name.len() as u8, 0]);
    d.extend_from_slice(name.as_bytes());
    record(0x0085, &d)
}

/// The workbook stream of sheets `(name, records)`, after the globals `extra` (an `SST`, say); each
/// sheet's records get their `BOF` and `EOF`. `pos` rewrites the sheets' positions when given.
pub fn xls_stream(extra: &[u8], sheets: &[(&str, Vec<u8>)], pos: Option<u32>) -> Vec<u8> {
    let head: Vec<u8> = [
        bof(0x0005),
        record(0x0042, &1200u16.to_le_bytes()),
        extra.to_vec(),
    ]
    .concat();
    let bounds_len: usize = sheets.iter().map(|(n, _)| 12 + n.len()).sum();
    let mut at = head.len() + bounds_len + 4;
    let mut globals = head;
    let mut body = Vec::new();
    for (name, records) in sheets {
        globals.extend(boundsheet(pos.unwrap_or(at as u32), name));
        let sheet = [bof(0x0010), records.clone(), record(0x000A, &[])].concat();
        at += sheet.len();
        body.extend(sheet);
    }
    globals.extend(record(0x000A, &[]));
    globals.extend(body);
    globals
}

/// An OLE2 compound file (version 3, 512-byte sectors, no DIFAT sectors: up to about 7 MB) holding
/// `stream` as "Workbook", padded to 4,096 bytes so that it lives in regular sectors.
pub fn cfb(stream: &[u8]) -> Vec<u8> {
    const END: u32 = 0xFFFF_FFFE;
    const FREE: u32 = 0xFFFF_FFFF;
    let mut data = stream.to_vec();
    data.resize(data.len().max(4096).div_ceil(512) * 512, 0);
    let n = data.len() / 512;
    let mut fats = 1;
    while (n + 1 + fats).div_ceil(128) > fats {
        fats += 1;
    }
    assert!(fats <= 109, "stream too long for this writer");
    let dir = n;
    let mut fat: Vec<u32> = (1..=n as u32).collect();
    fat[n - 1] = END;
    fat.push(END); // directory
    fat.extend(std::iter::repeat_n(0xFFFF_FFFD, fats));
    fat.resize(fats * 128, FREE);
    let mut h = vec![0u8; 512];
    h[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    let mut put = |at: usize, v: &[u8]| h[at..at + v.len()].copy_from_slice(v);
    put(24, &0x3Eu16.to_le_bytes());
    put(26, &3u16.to_le_bytes());
    put(28, &0xFFFEu16.to_le_bytes());
    put(30, &9u16.to_le_bytes());
    put(32, &6u16.to_le_bytes());
    put(44, &(fats as u32).to_le_bytes());
    put(48, &(dir as u32).to_le_bytes());
    put(56, &4096u32.to_le_bytes());
    put(60, &END.to_le_bytes());
    put(68, &END.to_le_bytes());
    for i in 0..109 {
        let id = if i < fats { (n + 1 + i) as u32 } else { FREE };
        put(76 + 4 * i, &id.to_le_bytes());
    }
    let entry = |name: &str, typ: u8, child: u32, start: u32, size: u32| {
        let mut e = vec![0u8; 128];
        let units: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        e[..units.len()].copy_from_slice(&units);
        if typ != 0 {
            e[64..66].copy_from_slice(&(units.len() as u16 + 2).to_le_bytes());
        }
        e[66] = typ;
        e[67] = 1;
        e[68..72].copy_from_slice(&FREE.to_le_bytes());
        e[72..76].copy_from_slice(&FREE.to_le_bytes());
        e[76..80].copy_from_slice(&child.to_le_bytes());
        e[116..120].copy_from_slice(&start.to_le_bytes());
        e[120..124].copy_from_slice(&size.to_le_bytes());
        e
    };
    let mut out = h;
    out.extend(data.iter());
    out.extend(entry("Root Entry", 5, 1, END, 0));
    out.extend(entry("Workbook", 2, FREE, 0, data.len() as u32));
    out.extend(entry("", 0, FREE, 0, 0));
    out.extend(entry("", 0, FREE, 0, 0));
    for v in fat {
        out.extend(v.to_le_bytes());
    }
    out
}

/// An `.xls` of `sheets` after the globals `extra`.
pub fn xls(extra: &[u8], sheets: &[(&str, Vec<u8>)]) -> Vec<u8> {
    cfb(&xls_stream(extra, sheets, None))
}

/// A small, well-formed sheet: a header and one order (texts in the shared string table).
pub fn xls_orders() -> Vec<u8> {
    let strings = sst(&["customer_id", "order_date", "amount", "A", "2024-01-05"]);
    let cells = [
        label_sst(0, 0, 0),
        label_sst(0, 1, 1),
        label_sst(0, 2, 2),
        label_sst(1, 0, 3),
        label_sst(1, 1, 4),
        number(1, 2, 12.5),
    ]
    .concat();
    xls(&strings, &[("Orders", cells)])
}

/// Three sheets with a cell at A1 and one at IV65536 (the last cell of a BIFF8 sheet): 16.8 million
/// cells each.
pub fn xls_far_cells() -> Vec<u8> {
    let corners = [number(0, 0, 1.0), number(65535, 255, 2.0)].concat();
    xls(
        &[],
        &[
            ("A", corners.clone()),
            ("B", corners.clone()),
            ("C", corners),
        ],
    )
}

/// A cell at A1 and one at row 65,536, column 65,536 (records carry 16-bit columns): 2³² cells.
pub fn xls_farther_cells() -> Vec<u8> {
    xls(
        &[],
        &[("A", [number(0, 0, 1.0), number(65535, 65535, 2.0)].concat())],
    )
}

/// A `DIMENSIONS` record claiming rows 0 to 4,294,967,294 and 256 columns, then one cell.
pub fn xls_dimensions() -> Vec<u8> {
    let mut d = 0u32.to_le_bytes().to_vec();
    d.extend_from_slice(&u32::MAX.to_le_bytes());
    d.extend_from_slice(&0u16.to_le_bytes());
    d.extend_from_slice(&256u16.to_le_bytes());
    d.extend_from_slice(&0u16.to_le_bytes());
    xls(
        &[],
        &[("A", [record(0x0200, &d), number(0, 0, 1.0)].concat())],
    )
}

/// One 7,000-character shared string in 400,000 cells: 2.8 GB of text from a 5.6 MB file.
pub fn xls_shared_text() -> Vec<u8> {
    let long = "x".repeat(7000);
    let cells: Vec<u8> = (0..400_000u32)
        .flat_map(|i| label_sst((i / 200) as u16, (i % 200) as u16, 0))
        .collect();
    xls(&sst(&[&long]), &[("A", cells)])
}

/// A sheet whose position is past the end of the stream.
pub fn xls_sheet_past_the_end() -> Vec<u8> {
    cfb(&xls_stream(
        &[],
        &[("A", number(0, 0, 1.0))],
        Some(0xFFFF_FF00),
    ))
}

/// A `BOUNDSHEET` record cut to 3 bytes.
pub fn xls_short_record() -> Vec<u8> {
    cfb(&[bof(0x0005), record(0x0085, &[1, 2, 3]), record(0x000A, &[])].concat())
}

/// The compound file's chain for the workbook stream loops back on itself.
pub fn xls_chain_loop() -> Vec<u8> {
    let mut f = xls_orders();
    // the allocation table: the sector after the data and the directory; entry 3 points back to 0
    let fat_sector = u32::from_le_bytes([f[76], f[77], f[78], f[79]]) as usize;
    let at = (fat_sector + 1) * 512 + 3 * 4;
    f[at..at + 4].copy_from_slice(&0u32.to_le_bytes());
    f
}

/// 2,000 sheets all starting where the first one, of 60,000 cells, starts.
pub fn xls_overlapping_sheets() -> Vec<u8> {
    let cells: Vec<u8> = (0..60_000u32)
        .flat_map(|i| number((i / 100) as u16, (i % 100) as u16, 1.0))
        .collect();
    let names: Vec<String> = (0..2000).map(|i| format!("S{i}")).collect();
    let sheets: Vec<(&str, Vec<u8>)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), if i == 0 { cells.clone() } else { Vec::new() }))
        .collect();
    let mut s = xls_stream(&[], &sheets, None);
    // the BOUNDSHEET records follow BOF (20 bytes) and CODEPAGE (6 bytes)
    let mut at = 26;
    let first = [s[at + 4], s[at + 5], s[at + 6], s[at + 7]];
    for _ in 0..sheets.len() {
        let len = u16::from_le_bytes([s[at + 2], s[at + 3]]) as usize;
        s[at + 4..at + 8].copy_from_slice(&first);
        at += 4 + len;
    }
    cfb(&s)
}

// ---- .xlsx --------------------------------------------------------------------------------------

/// An `.xlsx` of one sheet whose `<sheetData>` is `rows`, with `shared` as its shared strings part
/// (`None`: none) and `dimension` as its `<dimension ref>`.
pub fn xlsx(rows: &str, dimension: &str, shared: Option<&[u8]>) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut part = |name: &str, body: &[u8]| {
        z.start_file(name, o).unwrap();
        z.write_all(body).unwrap();
    };
    part(
        "[Content_Types].xml",
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types \
          xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
          <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
          <Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>",
    );
    part(
        "xl/workbook.xml",
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook \
          xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
          xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
          <sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
    );
    part(
        "xl/_rels/workbook.xml.rels",
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships \
          xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
          <Relationship Id=\"rId1\" \
          Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" \
          Target=\"worksheets/sheet1.xml\"/></Relationships>",
    );
    part(
        "xl/worksheets/sheet1.xml",
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet \
             xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
             <dimension ref=\"{dimension}\"/><sheetData>{rows}</sheetData></worksheet>"
        )
        .as_bytes(),
    );
    if let Some(shared) = shared {
        // stored as it is (xlsx_lying_part puts a DEFLATE stream of its own there)
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        z.start_file("xl/sharedStrings.xml", stored).unwrap();
        z.write_all(shared).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// A cell at A1 and one at XFD1048576, and a `<dimension ref="A1:XFD1048576">`: 2³⁴ cells.
pub fn xlsx_far_cells() -> Vec<u8> {
    xlsx(
        "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>\
         <row r=\"1048576\"><c r=\"XFD1048576\"><v>2</v></c></row>",
        "A1:XFD1048576",
        None,
    )
}

/// The only cell at row 999,999,999 (a reader writing the rows above it as empty lines writes 1 GB
/// of them; nine digits, as calamine's debug build overflows on ten).
pub fn xlsx_far_first_cell() -> Vec<u8> {
    xlsx(
        "<row r=\"999999999\"><c r=\"A999999999\"><v>1</v></c></row>",
        "A999999999",
        None,
    )
}

/// Bits of a DEFLATE stream, least significant first.
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, v: u64, n: u32) {
        self.acc |= v << self.n;
        self.n += n;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// A Huffman code, most significant bit first.
    fn code(&mut self, code: u32, n: u32) {
        let rev = (0..n).fold(0u64, |r, i| r | u64::from((code >> i) & 1) << (n - 1 - i));
        self.put(rev, n);
    }

    /// A literal byte below 144 in the fixed code.
    fn literal(&mut self, b: u8) {
        self.code(0x30 + u32::from(b), 8);
    }
}

/// A DEFLATE stream (one block, fixed codes) of `head`, then `unit` `1 + 258 × groups` times, then
/// `tail`; `unit` must be 17 bytes (each group is 17 copies of 258 bytes from 17 back).
fn deflate_repeat(head: &[u8], unit: &[u8], groups: usize, tail: &[u8]) -> Vec<u8> {
    assert_eq!(unit.len(), 17);
    let mut b = Bits {
        out: Vec::new(),
        acc: 0,
        n: 0,
    };
    b.put(1, 1); // last block
    b.put(1, 2); // fixed Huffman codes
    head.iter().chain(unit).for_each(|&c| b.literal(c));
    for _ in 0..groups * 17 {
        b.code(0b1100_0101, 8); // length 258 (code 285)
        b.code(8, 5); // distance 17..24 (code 8), 3 extra bits: 0
        b.put(0, 3);
    }
    tail.iter().for_each(|&c| b.literal(c));
    b.code(0, 7); // end of block
    b.put(0, 7);
    b.out
}

/// A shared strings part declaring 90 bytes unpacked but unpacking to 600 MB of `<si><t>x</t></si>`
/// (35 million strings), from 4.6 MB.
pub fn xlsx_lying_part() -> Vec<u8> {
    let head = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst \
        xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">";
    let packed = deflate_repeat(head, b"<si><t>x</t></si>", 136_000, b"</sst>");
    let mut f = xlsx(
        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>",
        "A1",
        Some(&packed),
    );
    // the part was stored as it is: say it is deflated, and small
    set_entry(&mut f, "xl/sharedStrings.xml", 8, 90);
    f
}

/// Writes `method` and the unpacked `size` of entry `name` into the local header and the central
/// directory of the ZIP `f`.
fn set_entry(f: &mut [u8], name: &str, method: u16, size: u32) {
    let find = |f: &[u8], sig: &[u8], name_at: usize| -> Vec<usize> {
        (0..f.len().saturating_sub(name_at + name.len()))
            .filter(|&i| f[i..].starts_with(sig) && f[i + name_at..].starts_with(name.as_bytes()))
            .collect()
    };
    for at in find(f, b"PK\x03\x04", 30) {
        f[at + 8..at + 10].copy_from_slice(&method.to_le_bytes());
        f[at + 22..at + 26].copy_from_slice(&size.to_le_bytes());
    }
    for at in find(f, b"PK\x01\x02", 46) {
        f[at + 10..at + 12].copy_from_slice(&method.to_le_bytes());
        f[at + 24..at + 28].copy_from_slice(&size.to_le_bytes());
    }
}

/// Cells out of order (column B before column A in each row), each the same 30,000-character shared
/// string: 100,000 of them are 3 GB of text to sort.
pub fn xlsx_unsorted_text() -> Vec<u8> {
    let shared = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst \
         xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>{}</t></si></sst>",
        "y".repeat(30_000)
    );
    let rows: String = (1..=50_000)
        .map(|r| {
            format!(
                "<row r=\"{r}\"><c r=\"B{r}\" t=\"s\"><v>0</v></c><c r=\"A{r}\" t=\"s\"><v>0</v></c></row>"
            )
        })
        .collect();
    xlsx(&rows, "A1:B50000", Some(shared.as_bytes()))
}

/// At the cell bound, not past it: one sheet of 8,191 rows × 4,096 values (one row of 4,096 cells,
/// repeated), 33,554,432 cells as read: the most an `.ods` may make calamine hold.
pub fn ods_at_the_bound() -> Vec<u8> {
    ods(&table(
        "Grid",
        "<table:table-row table:number-rows-repeated=\"8191\">\
         <table:table-cell table:number-columns-repeated=\"4096\" office:value-type=\"float\" \
         office:value=\"1\"/></table:table-row>",
    ))
}

/// At the cell bound, not past it: two sheets with cells at A1 and IU65536, 2 × 16,711,682 cells as
/// read (33,423,364).
pub fn xls_at_the_bound() -> Vec<u8> {
    let corners = [number(0, 0, 1.0), number(65535, 254, 2.0)].concat();
    xls(&[], &[("A", corners.clone()), ("B", corners)])
}

/// A ZIP of 120,000 empty entries under `xl/`: a reader keeps a few hundred bytes per entry of its
/// directory (2.4 million entries in 223 MB took 1.6 GB).
pub fn zip_many_entries() -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..120_000 {
        z.start_file(format!("xl/{i:x}"), stored).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// Every hostile workbook: (file name, the bytes, the code of the refusal's detail: the `what` of
/// `workbook_too_large`, else the error's own code).
pub fn all() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    vec![
        (
            "repeated-grid.ods",
            ods_repeated_grid(),
            "limit_workbook_cells",
        ),
        ("wide-row.ods", ods_wide_row(), "limit_workbook_cells"),
        ("empty-run.ods", ods_empty_run(), "limit_workbook_cells"),
        ("many-sheets.ods", ods_many_sheets(), "limit_workbook_cells"),
        ("spaces.ods", ods_spaces(), "limit_workbook_text"),
        (
            "repeated-text.ods",
            ods_repeated_text(),
            "limit_workbook_text",
        ),
        ("open-table.ods", ods_open_table(), "workbook_unreadable"),
        (
            "open-annotation.ods",
            ods_open_annotation(),
            "workbook_unreadable",
        ),
        ("far-cells.xls", xls_far_cells(), "limit_workbook_cells"),
        (
            "farther-cells.xls",
            xls_farther_cells(),
            "limit_workbook_cells",
        ),
        ("shared-text.xls", xls_shared_text(), "limit_workbook_text"),
        (
            "sheet-past-the-end.xls",
            xls_sheet_past_the_end(),
            "workbook_unreadable",
        ),
        (
            "short-record.xls",
            xls_short_record(),
            "workbook_unreadable",
        ),
        ("chain-loop.xls", xls_chain_loop(), "workbook_unreadable"),
        (
            "overlapping-sheets.xls",
            xls_overlapping_sheets(),
            "workbook_unreadable",
        ),
        ("far-cells.xlsx", xlsx_far_cells(), "limit_cells"),
        ("far-first-cell.xlsx", xlsx_far_first_cell(), "limit_cells"),
        ("lying-part.xlsx", xlsx_lying_part(), "limit_part_bytes"),
        (
            "unsorted-text.xlsx",
            xlsx_unsorted_text(),
            "limit_csv_bytes",
        ),
        ("many-entries.xlsx", zip_many_entries(), "limit_parts"),
    ]
}
