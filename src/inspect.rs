//! `inspect`: what tierwise makes of a file before analysing it — the file kind, encoding,
//! delimiter, header row (title rows skipped), and per column its name, sample values and the role
//! guessed with a confidence and the reason. It reads only the head of the file (its first MiB) and
//! takes the same decisions `analyze` takes (the mapping it reports is the mapping `analyze` uses
//! with the same options), so a page can show a mapping step and a script can check a file cheaply.

use serde::Serialize;

use crate::error::Result;
use crate::ingest::guess::ColumnGuess;
use crate::ingest::layout::Record;
use crate::ingest::quality::{ColumnsReport, TitleRow};
use crate::ingest::reader::Reader;
use crate::messages::Message;
use crate::options::Options;

/// What [`inspect`] found (serialised camelCase, as the CLI's `tierwise inspect --json` and the
/// wasm `inspect` give it).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Inspection {
    /// `csv` for a text table (whatever its delimiter); `xlsx`, `xls` or `ods` when a workbook
    /// reader converted a sheet first (set by that reader).
    pub kind: String,
    /// The workbook's sheets, in order (empty for text files).
    pub sheets: Vec<String>,
    /// The sheet read (workbooks only).
    pub sheet: Option<String>,
    /// The encoding used to decode the bytes (WHATWG name).
    pub encoding: String,
    /// `,` `;` `\t` `|` or `whitespace`.
    pub delimiter: String,
    /// Whether the file has a header row.
    pub header: bool,
    /// The header's row number as a spreadsheet shows it.
    pub header_row: Option<u64>,
    /// Title rows skipped above the header.
    pub title_rows: Vec<TitleRow>,
    /// Data rows the guesses looked at.
    pub rows_sampled: usize,
    /// One entry per column, in file order.
    pub columns: Vec<ColumnGuess>,
    /// Role → column (header name, or 0-based index without a header) as `analyze` maps it.
    pub mapping: ColumnsReport,
    /// The date column's format: its pattern (e.g. `D.M.YYYY`), when a date column was found.
    pub date_format: Option<String>,
    /// Month-first and day-first both fit every sampled date (`options.dateOrder` decides).
    pub dates_ambiguous: bool,
    /// Warnings so far (title rows skipped, weak guesses, no amount column…), in English.
    pub warnings: Vec<String>,
    /// The same warnings, coded.
    pub warning_codes: Vec<Message>,
    /// The first records of the file as read (at most [`PREVIEW_ROWS`], title rows and the header
    /// included), each cell trimmed and cut to [`PREVIEW_CELL_CHARS`] characters, for a mapping
    /// step's preview table.
    pub preview: Vec<PreviewRow>,
    /// Only from [`inspect_lenient`]: the error `analyze` would give because the customer or the date
    /// column is missing (coded); that role is then absent from `mapping`. Always `None` from
    /// [`inspect`], which fails instead.
    pub missing: Option<Message>,
}

/// Records in [`Inspection::preview`].
pub const PREVIEW_ROWS: usize = crate::ingest::reader::PREVIEW_ROWS;
/// Characters kept of each preview cell (longer cells end with `…`).
pub const PREVIEW_CELL_CHARS: usize = 100;

/// One record of [`Inspection::preview`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviewRow {
    /// The row number as a spreadsheet shows it.
    pub row: u64,
    /// `title` (a title row skipped above the header), `header` or `data`.
    pub kind: &'static str,
    /// The cells, trimmed and cut to [`PREVIEW_CELL_CHARS`] characters.
    pub cells: Vec<String>,
}

fn preview_cell(raw: &str) -> String {
    let v = raw.trim();
    match v.char_indices().nth(PREVIEW_CELL_CHARS) {
        Some((end, _)) => format!("{}…", &v[..end]),
        None => v.to_string(),
    }
}

fn preview_rows(
    records: &[Record],
    header_row: Option<u64>,
    title_rows: &[TitleRow],
) -> Vec<PreviewRow> {
    records
        .iter()
        .map(|r| {
            let row = u64::from(r.line);
            let kind = if Some(row) == header_row {
                "header"
            } else if title_rows.iter().any(|t| t.row == row) {
                "title"
            } else {
                "data"
            };
            PreviewRow {
                row,
                kind,
                cells: r.fields.iter().map(|f| preview_cell(f)).collect(),
            }
        })
        .collect()
}

/// Inspects the head of a file (see the module documentation). Fails like `analyze` does on a file
/// that is empty, not a table, or has no customer or date column; `options` are validated first.
///
/// ```
/// let csv = "报表,,\n客户编号,日期,金额\nK1,2024-01-05,9.50\nK1,2024-02-01,3.00\n";
/// let i = tierwise::inspect(csv.as_bytes(), &tierwise::Options::default()).unwrap();
/// assert_eq!(i.header_row, Some(2)); // the title row above it is skipped
/// assert_eq!(i.columns[0].name.as_deref(), Some("客户编号"));
/// ```
pub fn inspect(bytes: &[u8], options: &Options) -> Result<Inspection> {
    inspect_with(bytes, options, false)
}

/// [`inspect`] for a mapping step: a file in which no customer or no date column is found is not an
/// error; the inspection is returned with that role unmapped and the error `analyze` would give in
/// [`Inspection::missing`], so the page can still show the columns and let the user map them. Every
/// other failure (an empty file, not a table, a wrong option) fails as in [`inspect`].
///
/// ```
/// let csv = "a,b\nx,1.5\ny,2.5\n";
/// let i = tierwise::inspect_lenient(csv.as_bytes(), &tierwise::Options::default()).unwrap();
/// assert!(i.missing.is_some()); // no date column
/// assert_eq!(i.preview.len(), 3);
/// assert_eq!(i.preview[0].kind, "header");
/// ```
pub fn inspect_lenient(bytes: &[u8], options: &Options) -> Result<Inspection> {
    inspect_with(bytes, options, true)
}

fn inspect_with(bytes: &[u8], options: &Options, lenient: bool) -> Result<Inspection> {
    options.validate()?;
    let mut reader = Reader::new(options.clone());
    reader.lenient = lenient;
    reader.preview = Some(Vec::new());
    let (plan, report, warnings, records) = reader.head_only(bytes)?;
    let preview = preview_rows(&records, report.header_row, &report.title_rows);
    let ambiguous = match plan.alt_format {
        Some(alt) => {
            !plan.date_samples.is_empty()
                && plan
                    .date_samples
                    .iter()
                    .all(|v| plan.date_format.parse(v).is_some() && alt.parse(v).is_some())
        }
        None => false,
    };
    let has_dates = plan
        .date_samples
        .iter()
        .any(|v| plan.date_format.parse(v).is_some());
    Ok(Inspection {
        kind: "csv".into(),
        sheets: Vec::new(),
        sheet: None,
        encoding: report.encoding,
        delimiter: report.delimiter,
        header: report.header,
        header_row: report.header_row,
        title_rows: report.title_rows,
        rows_sampled: plan.rows_sampled,
        columns: plan.guesses,
        mapping: report.columns,
        date_format: has_dates.then(|| plan.date_format.label()),
        dates_ambiguous: ambiguous,
        warnings: warnings.iter().map(Message::en).collect(),
        warning_codes: warnings,
        preview,
        missing: plan.missing.as_ref().map(|e| e.message()),
    })
}
