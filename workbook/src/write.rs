//! Writing the page's Excel export (`docs/outputs.md#the-excel-workbook`): the per-customer CSV of
//! the analysis as a sheet of typed cells, plus any number of small tables (summary, segments,
//! grades, options, review) given cell by cell, into one `.xlsx` file made by `rust_xlsxwriter`.
//!
//! Invariants:
//! - Text is written with `write_string` only, never as a formula: a customer id `=1+1` stays the
//!   text `=1+1`. The CSV's guard apostrophe (the core prefixes free text that Excel would read as a
//!   formula with `'`, `src/report/csv.rs`) is taken off again in the columns of kind
//!   [`Kind::GuardedText`], since a string cell cannot run anything.
//! - Numbers are written as numbers only where the caller says a column holds numbers; a value
//!   there that is not a finite decimal number (an empty cell, `NaN`) is left empty or kept as
//!   text. Dates (`YYYY-MM-DD`) become Excel dates shown as `yyyy-mm-dd`; one that is not a valid
//!   date is kept as text.
//! - A sheet holds at most 1,048,576 rows: the customers go on in `Customers (2)`, … with the
//!   header repeated. Sheet names are made valid (at most 31 characters, none of `[]:*?/\`, not
//!   quoted, unique).
//! - Text longer than Excel's 32,767 characters per cell is cut there.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

/// Excel's rows per sheet.
const MAX_ROWS: u32 = 1_048_576;
/// Excel's characters per cell.
const MAX_CELL_CHARS: usize = 32_767;
/// Excel's columns per sheet.
const MAX_COLS: usize = 16_384;

/// How the cells of one CSV column are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text from the core's own vocabularies (labels, codes).
    Text,
    /// Text from the file or the options (customer ids, custom names, actions), guarded against
    /// formulas in the CSV by a leading apostrophe, which is removed here.
    GuardedText,
    /// A number (empty, `NaN` or anything that does not parse: an empty cell or text).
    Number,
    /// A `YYYY-MM-DD` date.
    Date,
}

impl Kind {
    /// The kind of a one-letter code: `t` text, `g` guarded text, `n` number, `d` date.
    pub fn from_code(c: char) -> Option<Kind> {
        match c {
            't' => Some(Kind::Text),
            'g' => Some(Kind::GuardedText),
            'n' => Some(Kind::Number),
            'd' => Some(Kind::Date),
            _ => None,
        }
    }
}

/// One cell of a small table.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text, written as a string cell.
    Text(String),
    /// A number (a non-finite one is left empty).
    Number(f64),
    /// Nothing.
    Empty,
}

/// A small table: its sheet name and its rows, the first of them the header (bold, frozen).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The sheet's name (made valid as the module documentation says).
    pub name: String,
    /// Rows of cells; the first row is the header.
    pub rows: Vec<Vec<Value>>,
}

/// The per-customer sheet: the core's CSV and how to write each of its columns.
#[derive(Debug, Clone)]
pub struct Customers<'a> {
    /// The sheet's name.
    pub name: String,
    /// The CSV (UTF-8, optionally with a BOM), header first, as `Analysis.toCsv()` writes it.
    pub csv: &'a [u8],
    /// The field delimiter (`,` or `;`).
    pub delimiter: u8,
    /// One kind per column; columns beyond the list are text.
    pub kinds: Vec<Kind>,
}

/// Why a workbook could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteError(pub String);

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "could not write the Excel workbook: {}", self.0)
    }
}

impl std::error::Error for WriteError {}

impl From<XlsxError> for WriteError {
    fn from(e: XlsxError) -> Self {
        WriteError(e.to_string())
    }
}

/// Splits a CSV text into records of fields (RFC 4180 quoting, `\n` or `\r\n` line ends); a
/// leading BOM is skipped. Invalid UTF-8 is replaced, never refused.
pub fn parse_csv(bytes: &[u8], delimiter: u8) -> Vec<Vec<String>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut records = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field: Vec<u8> = Vec::new();
    let mut quoted = false;
    let mut i = 0;
    let end_field = |field: &mut Vec<u8>, record: &mut Vec<String>| {
        record.push(String::from_utf8_lossy(field).into_owned());
        field.clear();
    };
    while i < bytes.len() {
        let b = bytes[i];
        if quoted {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    field.push(b'"');
                    i += 1;
                } else {
                    quoted = false;
                }
            } else {
                field.push(b);
            }
        } else if b == b'"' && field.is_empty() {
            quoted = true;
        } else if b == delimiter {
            end_field(&mut field, &mut record);
        } else if b == b'\n' || b == b'\r' {
            if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
            end_field(&mut field, &mut record);
            records.push(std::mem::take(&mut record));
        } else {
            field.push(b);
        }
        i += 1;
    }
    if !field.is_empty() || !record.is_empty() {
        end_field(&mut field, &mut record);
        records.push(record);
    }
    records
}

/// True when Excel would read the text as a formula (the core's rule, `src/report/csv.rs`).
fn starts_a_formula(text: &str) -> bool {
    matches!(
        text.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// A decimal number as the core writes it (`-12.5`, `3`, `0.000001`), else `None` (so `1e5` or
/// `inf` in a number column stay text).
fn plain_number(s: &str) -> Option<f64> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let ok = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !(digits.contains('.') && frac.is_empty());
    if !ok {
        return None;
    }
    s.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Text cut to Excel's limit per cell.
fn cell_text(s: &str) -> &str {
    match s.char_indices().nth(MAX_CELL_CHARS) {
        Some((at, _)) => &s[..at],
        None => s,
    }
}

/// A valid, unique sheet name for `wanted`.
fn sheet_name(wanted: &str, taken: &mut Vec<String>) -> String {
    let cleaned: String = wanted
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let cleaned = cleaned.trim_matches('\'').trim();
    let base: String = if cleaned.is_empty() {
        "Sheet".into()
    } else {
        cleaned.chars().take(31).collect()
    };
    let mut name = base.clone();
    let mut n = 2;
    while taken
        .iter()
        .any(|t| t.to_lowercase() == name.to_lowercase())
    {
        let suffix = format!(" ({n})");
        let keep = 31usize.saturating_sub(suffix.chars().count());
        name = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
        n += 1;
    }
    taken.push(name.clone());
    name
}

/// Bold header row `cells` on row 0, frozen, with an autofilter over `rows` data rows below it.
fn header(
    ws: &mut Worksheet,
    cells: &[String],
    rows: u32,
    bold: &Format,
) -> Result<(), WriteError> {
    for (c, text) in cells.iter().enumerate().take(MAX_COLS) {
        ws.write_string_with_format(0, c as u16, cell_text(text), bold)?;
        let width = text.chars().count().clamp(8, 40) as f64 + 2.0;
        ws.set_column_width(c as u16, width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    if !cells.is_empty() {
        let last = (cells.len().min(MAX_COLS) - 1) as u16;
        ws.autofilter(0, 0, rows, last)?;
    }
    Ok(())
}

/// Writes one customer field.
fn customer_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    kind: Kind,
    text: &str,
    date: &Format,
) -> Result<(), WriteError> {
    if text.is_empty() {
        return Ok(());
    }
    match kind {
        Kind::Number => {
            if let Some(x) = plain_number(text) {
                ws.write_number(row, col, x)?;
                return Ok(());
            }
            if text == "NaN" {
                return Ok(());
            }
        }
        Kind::Date => {
            if let Ok(d) = ExcelDateTime::parse_from_str(text) {
                if text.len() == 10 {
                    ws.write_datetime_with_format(row, col, &d, date)?;
                    return Ok(());
                }
            }
        }
        Kind::GuardedText => {
            let unguarded = text
                .strip_prefix('\'')
                .filter(|rest| starts_a_formula(rest))
                .unwrap_or(text);
            ws.write_string(row, col, cell_text(unguarded))?;
            return Ok(());
        }
        Kind::Text => {}
    }
    ws.write_string(row, col, cell_text(text))?;
    Ok(())
}

/// Writes the workbook: the customers' sheet(s) first, then the tables in order. Returns the
/// `.xlsx` bytes.
pub fn write_xlsx(customers: &Customers<'_>, tables: &[Table]) -> Result<Vec<u8>, WriteError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let mut taken = Vec::new();

    let records = parse_csv(customers.csv, customers.delimiter);
    let (head, body) = match records.split_first() {
        Some((h, b)) => (h.clone(), b),
        None => (Vec::new(), &[][..]),
    };
    let per_sheet = (MAX_ROWS - 1) as usize;
    let mut chunks: Vec<&[Vec<String>]> = body.chunks(per_sheet).collect();
    if chunks.is_empty() {
        chunks.push(&[]);
    }
    for (k, chunk) in chunks.iter().enumerate() {
        let wanted = if k == 0 {
            customers.name.clone()
        } else {
            format!("{} ({})", customers.name, k + 1)
        };
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&wanted, &mut taken))?;
        header(ws, &head, chunk.len() as u32, &bold)?;
        for (r, record) in chunk.iter().enumerate() {
            for (c, text) in record.iter().enumerate().take(MAX_COLS) {
                let kind = customers.kinds.get(c).copied().unwrap_or(Kind::Text);
                customer_cell(ws, r as u32 + 1, c as u16, kind, text, &date)?;
            }
        }
    }

    for table in tables {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&table.name, &mut taken))?;
        let Some((head, body)) = table.rows.split_first() else {
            continue;
        };
        let head: Vec<String> = head
            .iter()
            .map(|v| match v {
                Value::Text(t) => t.clone(),
                Value::Number(x) => x.to_string(),
                Value::Empty => String::new(),
            })
            .collect();
        let body = &body[..body.len().min(per_sheet)];
        header(ws, &head, body.len() as u32, &bold)?;
        for (r, row) in body.iter().enumerate() {
            for (c, v) in row.iter().enumerate().take(MAX_COLS) {
                let (r, c) = (r as u32 + 1, c as u16);
                match v {
                    Value::Text(t) if !t.is_empty() => {
                        ws.write_string(r, c, cell_text(t))?;
                    }
                    Value::Number(x) if x.is_finite() => {
                        ws.write_number(r, c, *x)?;
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(wb.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_quotes_and_line_ends() {
        let got = parse_csv(b"\xEF\xBB\xBFa,b\r\n\"x,\"\"y\"\"\",\n1,\"l1\nl2\"", b',');
        assert_eq!(
            got,
            vec![
                vec!["a".to_string(), "b".into()],
                vec!["x,\"y\"".into(), "".into()],
                vec!["1".into(), "l1\nl2".into()],
            ]
        );
    }

    #[test]
    fn numbers_as_the_core_writes_them() {
        for (s, want) in [
            ("12", Some(12.0)),
            ("-0.5", Some(-0.5)),
            ("00123", Some(123.0)),
            ("1e5", None),
            ("1.", None),
            (".5", None),
            ("NaN", None),
            ("", None),
            ("-", None),
        ] {
            assert_eq!(plain_number(s), want, "{s}");
        }
    }

    #[test]
    fn sheet_names_are_made_valid_and_unique() {
        let mut taken = Vec::new();
        assert_eq!(sheet_name("a/b", &mut taken), "a_b");
        assert_eq!(sheet_name("A_B", &mut taken), "A_B (2)");
        assert_eq!(sheet_name("", &mut taken), "Sheet");
        let long = "x".repeat(40);
        assert_eq!(sheet_name(&long, &mut taken).chars().count(), 31);
        assert_eq!(
            sheet_name(&long, &mut taken),
            format!("{} (2)", "x".repeat(27))
        );
    }
}
