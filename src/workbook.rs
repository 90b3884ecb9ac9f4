//! Workbooks (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`) for the native build: the chosen sheet
//! (`options.sheet`) is converted to CSV by the workbook crate (`tierwise-workbook`) and analysed
//! like any CSV; `summary.input.workbook` says which sheet was read (`docs/input.md#workbooks`).
//! Not in the wasm module: the browser converts with the workbook crate's own module
//! (`www/pkg-workbook/`) in the page's worker, so the analysis module stays small.

use crate::error::{Result, TierwiseError};
use crate::ingest::WorkbookReport;
use crate::messages::Message;
use crate::options::{Options, SheetRef};
use crate::report::Analysis;
use tierwise_workbook::error::{Coded, Param};

pub use tierwise_workbook::{looks_like_workbook, Limits};

fn param<'a>(c: &'a Coded, name: &str) -> Option<&'a Param> {
    c.params.iter().find(|(n, _)| *n == name).map(|(_, p)| p)
}

fn text(c: &Coded, name: &str) -> String {
    match param(c, name) {
        Some(Param::Text(t)) => t.clone(),
        Some(Param::Int(i)) => i.to_string(),
        Some(Param::Msg(m)) => m.en(),
        None => String::new(),
    }
}

fn int(c: &Coded, name: &str) -> u64 {
    match param(c, name) {
        Some(Param::Int(i)) => *i,
        _ => 0,
    }
}

/// A coded message of the workbook crate as the core's [`Message`] (same code, parameters and
/// English text; the Chinese template is the core's).
pub fn message_of(c: &Coded) -> Message {
    match c.code {
        "workbook_not_recognised" => Message::WorkbookNotRecognised,
        "workbook_encrypted" => Message::WorkbookEncrypted {
            format: text(c, "format"),
        },
        "workbook_no_sheets" => Message::WorkbookNoSheets,
        "no_such_sheet" => Message::NoSuchSheet {
            sheet: text(c, "sheet"),
            sheets: text(c, "sheets"),
        },
        "sheet_index_out_of_range" => Message::SheetIndexOutOfRange {
            index: int(c, "index"),
            count: int(c, "count"),
            last: int(c, "last"),
            sheets: text(c, "sheets"),
        },
        "empty_sheet" => Message::EmptySheet {
            sheet: text(c, "sheet"),
            sheets: text(c, "sheets"),
        },
        "workbook_too_large" => Message::WorkbookTooLarge {
            what: Box::new(match param(c, "what") {
                Some(Param::Msg(m)) => message_of(m),
                _ => Message::LimitCells { max: 0 },
            }),
        },
        "limit_file_bytes" => Message::LimitFileBytes {
            size: text(c, "size"),
            max: text(c, "max"),
        },
        "limit_part_bytes" => Message::LimitPartBytes {
            part: text(c, "part"),
            size: text(c, "size"),
            max: text(c, "max"),
        },
        "limit_cells" => Message::LimitCells { max: int(c, "max") },
        "limit_csv_bytes" => Message::LimitCsvBytes {
            max: text(c, "max"),
        },
        "limit_workbook_cells" => Message::LimitWorkbookCells { max: int(c, "max") },
        "limit_workbook_text" => Message::LimitWorkbookText {
            max: text(c, "max"),
        },
        "limit_sheets" => Message::LimitSheets { max: int(c, "max") },
        "limit_parts" => Message::LimitParts { max: int(c, "max") },
        "limit_unpacked_bytes" => Message::LimitUnpackedBytes {
            max: text(c, "max"),
        },
        // "workbook_unreadable", and any code this mapping does not know yet (a test checks
        // there is none): shown with the reader's English words
        _ => Message::WorkbookUnreadable {
            format: text(c, "format"),
            detail: if c.code == "workbook_unreadable" {
                text(c, "detail")
            } else {
                c.en()
            },
        },
    }
}

/// The workbook crate's error as the core's.
pub fn error_of(e: &tierwise_workbook::Error) -> TierwiseError {
    TierwiseError::Workbook(message_of(&e.coded()))
}

/// A sheet converted to CSV, with the report for `summary.input.workbook`.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// UTF-8 CSV; line n is the sheet's row n.
    pub csv: Vec<u8>,
    /// Which sheet was read.
    pub report: WorkbookReport,
}

/// Converts the sheet `options.sheet` names (default: the first visible worksheet) of the workbook
/// `bytes` to CSV, within the default [`Limits`].
pub fn read_sheet(bytes: &[u8], opts: &Options) -> Result<Sheet> {
    let sheet = opts.sheet.as_ref().map(|s| match s {
        SheetRef::Index(i) => tierwise_workbook::SheetRef::Index(*i),
        SheetRef::Name(n) => tierwise_workbook::SheetRef::Name(n.clone()),
    });
    let c = tierwise_workbook::convert(bytes, sheet.as_ref(), &Limits::default())
        .map_err(|e| error_of(&e))?;
    Ok(Sheet {
        csv: c.csv,
        report: WorkbookReport {
            format: c.format.name().to_string(),
            sheet: c.sheet,
            sheets: c.sheets,
        },
    })
}

/// The options for analysing a converted sheet: its text is UTF-8 whatever `options.encoding`
/// says (a workbook stores Unicode).
pub fn csv_options(opts: &Options) -> Options {
    Options {
        encoding: "utf-8".to_string(),
        ..opts.clone()
    }
}

/// Marks an analysis of a converted sheet: the summary's options as given (not
/// [`csv_options`]) and `input.workbook` filled in.
pub fn mark(analysis: &mut Analysis, report: &WorkbookReport, opts: &Options) {
    analysis.summary.options = opts.to_json_value();
    analysis.summary.input.workbook = Some(report.clone());
}

/// Analyses a converted sheet: the CSV with [`csv_options`], then [`mark`].
pub fn analyze_sheet(sheet: &Sheet, opts: &Options) -> Result<Analysis> {
    let mut a = crate::analyze(&sheet.csv, &csv_options(opts))?;
    mark(&mut a, &sheet.report, opts);
    Ok(a)
}

/// Analyses a workbook's sheet: [`read_sheet`], then [`analyze_sheet`].
pub fn analyze(bytes: &[u8], opts: &Options) -> Result<Analysis> {
    analyze_sheet(&read_sheet(bytes, opts)?, opts)
}

/// Fails with the coded `workbook_too_large` error when a workbook file of `size` bytes is over
/// [`Limits::max_file_bytes`] (so a caller need not read it first).
pub fn check_file_size(size: u64) -> Result<()> {
    let max = Limits::default().max_file_bytes;
    if size > max {
        let e =
            tierwise_workbook::Error::TooLarge(tierwise_workbook::Limit::FileBytes { size, max });
        return Err(error_of(&e));
    }
    Ok(())
}
