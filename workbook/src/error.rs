//! The one error type of the workbook reader, each variant a coded message: a stable code, named
//! parameters and an English rendering. The codes, with their English **and Chinese** templates, are
//! the ones of tierwise's message catalog (`src/messages.rs` of the main crate, which maps
//! [`Error`] onto its own `Message`); a test there checks that both crates agree on every code,
//! parameter and English text.

use std::fmt;

/// The container formats read (see [`crate::Format`]), as named in messages.
pub(crate) fn format_label(format: Option<crate::Format>) -> &'static str {
    match format {
        Some(f) => f.extension(),
        None => "ZIP",
    }
}

/// A bound of [`crate::Limits`] that the workbook goes past.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Limit {
    /// The file itself is larger than [`crate::Limits::max_file_bytes`].
    FileBytes {
        /// The file's size in bytes.
        size: u64,
        /// The bound in bytes.
        max: u64,
    },
    /// A part of the zip container that is read whole (shared strings, styles, an .ods
    /// `content.xml`) declares more than [`crate::Limits::max_part_bytes`] once unpacked.
    PartBytes {
        /// The part's name in the container, e.g. `xl/sharedStrings.xml`.
        part: String,
        /// Its declared unpacked size in bytes.
        size: u64,
        /// The bound in bytes.
        max: u64,
    },
    /// The sheet (rows × columns up to its last used cell) holds more cells than
    /// [`crate::Limits::max_cells`].
    Cells {
        /// The bound.
        max: u64,
    },
    /// The CSV text of the sheet goes past [`crate::Limits::max_csv_bytes`].
    CsvBytes {
        /// The bound in bytes.
        max: u64,
    },
    /// The sheets of an `.xls` or `.ods` file, which is read whole, hold more cells together than
    /// [`crate::Limits::max_cells`], counted as the reader keeps them (each sheet's grids up to its
    /// last used cell, and the cells as read; `docs/input.md#workbook-limits-and-memory`).
    WorkbookCells {
        /// The bound.
        max: u64,
    },
    /// The sheets of an `.xls` or `.ods` file, which is read whole, hold more text together than
    /// [`crate::Limits::max_csv_bytes`], every copy the reader keeps counted.
    WorkbookText {
        /// The bound in bytes.
        max: u64,
    },
    /// The workbook has more sheets than [`crate::Limits::max_sheets`].
    Sheets {
        /// The bound.
        max: u64,
    },
    /// The zip container has more entries than [`crate::Limits::max_parts`].
    Parts {
        /// The bound.
        max: u64,
    },
    /// The parts of the zip container that are read unpack to more than
    /// [`crate::Limits::max_unpacked_bytes`] together.
    UnpackedBytes {
        /// The bound in bytes.
        max: u64,
    },
}

/// Why a workbook could not be converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// Neither an Excel nor an OpenDocument spreadsheet (a plain ZIP archive, a Word document, …).
    NotAWorkbook,
    /// The workbook is encrypted with a password.
    Encrypted {
        /// The format (`None`: not known).
        format: Option<crate::Format>,
    },
    /// The container or a part of it is damaged or not understood.
    Unreadable {
        /// The format (`None`: a ZIP archive whose kind could not be told).
        format: Option<crate::Format>,
        /// The reader's own words (English).
        detail: String,
    },
    /// The workbook has no worksheet (only chart sheets or macros).
    NoWorksheets,
    /// `sheet` names no worksheet.
    NoSuchSheet {
        /// The name asked for.
        sheet: String,
        /// The worksheets, in workbook order.
        sheets: Vec<String>,
    },
    /// `sheet` is an index past the last worksheet.
    SheetIndexOutOfRange {
        /// The index asked for.
        index: usize,
        /// The worksheets, in workbook order.
        sheets: Vec<String>,
    },
    /// The chosen worksheet has no cell with a value.
    EmptySheet {
        /// The sheet read.
        sheet: String,
        /// The worksheets, in workbook order.
        sheets: Vec<String>,
    },
    /// A bound of [`crate::Limits`] was reached.
    TooLarge(Limit),
}

/// One parameter of a [`Coded`] message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    /// Text shown as is.
    Text(String),
    /// An integer.
    Int(u64),
    /// A nested message, rendered in the same language.
    Msg(Box<Coded>),
}

/// A message as a code and named parameters (the shape of tierwise's coded messages:
/// `{code, params}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coded {
    /// The stable code, e.g. `no_such_sheet`.
    pub code: &'static str,
    /// The parameters by name, in template order.
    pub params: Vec<(&'static str, Param)>,
}

/// The English template of every code this crate produces (the Chinese ones are in tierwise's
/// catalog).
pub const TEMPLATES: &[(&str, &str)] = &[
    ("workbook_not_recognised", "this file is not a workbook that tierwise reads (.xlsx, .xlsm, .xlsb, .xls, .ods): if it is an archive, unpack it and give the table inside"),
    ("workbook_encrypted", "the workbook ({format}) is protected with a password: open it, remove the password or save the sheet as CSV UTF-8, and try again"),
    ("workbook_unreadable", "could not read the workbook ({format}): {detail}"),
    ("workbook_no_sheets", "the workbook has no worksheet (only charts or macros)"),
    ("no_such_sheet", "the workbook has no sheet \"{sheet}\"; its sheets are {sheets} (set options.sheet to a name or a 0-based index)"),
    ("sheet_index_out_of_range", "sheet index {index} is out of range: the workbook has {count} sheets (0 to {last}): {sheets}"),
    ("empty_sheet", "sheet \"{sheet}\" is empty; the workbook's sheets are {sheets} (choose one with options.sheet)"),
    ("workbook_too_large", "the workbook is too large to read here: {what}; save the sheet as CSV UTF-8 (CSV files of any size are read in chunks) or split it"),
    ("limit_file_bytes", "the file is {size} MiB, over the limit of {max} MiB"),
    ("limit_part_bytes", "its part {part} unpacks to {size} MiB, over the limit of {max} MiB"),
    ("limit_cells", "the sheet holds more than {max} cells (rows × columns up to the last used cell)"),
    ("limit_csv_bytes", "the sheet's text goes past {max} MiB"),
    ("limit_workbook_cells", "its sheets together hold more than {max} cells as read (an .xls or .ods file is read whole: every sheet, up to its last used cell)"),
    ("limit_workbook_text", "its sheets together hold more than {max} MiB of text as read (an .xls or .ods file is read whole)"),
    ("limit_sheets", "it has more than {max} sheets"),
    ("limit_unpacked_bytes", "its parts unpack to more than {max} MiB together"),
    ("limit_parts", "it holds more than {max} parts"),
];

/// Sheet names shown in a message, at most; then how many more there are.
const SHOWN_SHEETS: usize = 20;
/// Characters of a name shown in a message, at most.
const SHOWN_CHARS: usize = 200;

/// `s` cut to [`SHOWN_CHARS`] characters, ending in `…` when cut, on one line (control characters
/// shown as spaces): names and the reader's words come from the file.
fn cut(s: &str) -> String {
    let shown = match s.char_indices().nth(SHOWN_CHARS) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    };
    shown
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Sheet names as one text: `"Sales", "Notes"`; past 20 of them, `…` and how many more (`(+7)`).
pub(crate) fn list_sheets(sheets: &[String]) -> String {
    let mut quoted: Vec<String> = sheets
        .iter()
        .take(SHOWN_SHEETS)
        .map(|s| format!("\"{}\"", cut(s)))
        .collect();
    if sheets.len() > SHOWN_SHEETS {
        quoted.push(format!("… (+{})", sheets.len() - SHOWN_SHEETS));
    }
    quoted.join(", ")
}

/// Bytes as whole MiB, rounded up (so a file just over the bound never reads as equal to it).
fn mib(bytes: u64) -> String {
    bytes.div_ceil(1 << 20).to_string()
}

fn text(s: impl Into<String>) -> Param {
    Param::Text(s.into())
}

impl Limit {
    /// The bound as a coded message (the `what` of `workbook_too_large`).
    pub fn coded(&self) -> Coded {
        let (code, params) = match self {
            Limit::FileBytes { size, max } => (
                "limit_file_bytes",
                vec![("size", text(mib(*size))), ("max", text(mib(*max)))],
            ),
            Limit::PartBytes { part, size, max } => (
                "limit_part_bytes",
                vec![
                    // the name is the file's: one line, cut
                    ("part", text(cut(part))),
                    ("size", text(mib(*size))),
                    ("max", text(mib(*max))),
                ],
            ),
            Limit::Cells { max } => ("limit_cells", vec![("max", Param::Int(*max))]),
            Limit::CsvBytes { max } => ("limit_csv_bytes", vec![("max", text(mib(*max)))]),
            Limit::WorkbookCells { max } => {
                ("limit_workbook_cells", vec![("max", Param::Int(*max))])
            }
            Limit::WorkbookText { max } => ("limit_workbook_text", vec![("max", text(mib(*max)))]),
            Limit::Sheets { max } => ("limit_sheets", vec![("max", Param::Int(*max))]),
            Limit::Parts { max } => ("limit_parts", vec![("max", Param::Int(*max))]),
            Limit::UnpackedBytes { max } => {
                ("limit_unpacked_bytes", vec![("max", text(mib(*max)))])
            }
        };
        Coded { code, params }
    }
}

impl Error {
    /// The error as a coded message.
    pub fn coded(&self) -> Coded {
        let (code, params) = match self {
            Error::NotAWorkbook => ("workbook_not_recognised", vec![]),
            Error::Encrypted { format } => (
                "workbook_encrypted",
                vec![("format", text(format_label(*format)))],
            ),
            Error::Unreadable { format, detail } => (
                "workbook_unreadable",
                vec![
                    ("format", text(format_label(*format))),
                    // the reader's words may quote the file: one line, cut
                    ("detail", text(cut(detail))),
                ],
            ),
            Error::NoWorksheets => ("workbook_no_sheets", vec![]),
            Error::NoSuchSheet { sheet, sheets } => (
                "no_such_sheet",
                vec![
                    ("sheet", text(cut(sheet))),
                    ("sheets", text(list_sheets(sheets))),
                ],
            ),
            Error::SheetIndexOutOfRange { index, sheets } => (
                "sheet_index_out_of_range",
                vec![
                    ("index", Param::Int(*index as u64)),
                    ("count", Param::Int(sheets.len() as u64)),
                    ("last", Param::Int(sheets.len().saturating_sub(1) as u64)),
                    ("sheets", text(list_sheets(sheets))),
                ],
            ),
            Error::EmptySheet { sheet, sheets } => (
                "empty_sheet",
                vec![
                    ("sheet", text(cut(sheet))),
                    ("sheets", text(list_sheets(sheets))),
                ],
            ),
            Error::TooLarge(limit) => (
                "workbook_too_large",
                vec![("what", Param::Msg(Box::new(limit.coded())))],
            ),
        };
        Coded { code, params }
    }
}

impl Coded {
    /// The English rendering: each `{name}` of the code's template replaced by its parameter.
    pub fn en(&self) -> String {
        let template = TEMPLATES
            .iter()
            .find(|(c, _)| *c == self.code)
            .map_or("", |(_, t)| *t);
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                rest = "";
                break;
            };
            let name = &after[..close];
            match self.params.iter().find(|(n, _)| *n == name) {
                Some((_, Param::Text(t))) => out.push_str(t),
                Some((_, Param::Int(i))) => out.push_str(&i.to_string()),
                Some((_, Param::Msg(m))) => out.push_str(&m.en()),
                None => {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.coded().en())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_template_and_renders_its_parameters() {
        let e = Error::SheetIndexOutOfRange {
            index: 4,
            sheets: vec!["Sales".into(), "Notes".into()],
        };
        assert_eq!(
            e.to_string(),
            "sheet index 4 is out of range: the workbook has 2 sheets (0 to 1): \"Sales\", \"Notes\""
        );
        let e = Error::TooLarge(Limit::FileBytes {
            size: 300 * 1024 * 1024 + 1,
            max: 256 * 1024 * 1024,
        });
        assert_eq!(
            e.to_string(),
            "the workbook is too large to read here: the file is 301 MiB, over the limit of 256 MiB; \
             save the sheet as CSV UTF-8 (CSV files of any size are read in chunks) or split it"
        );
        // names and details from the file are cut and kept on one line; past 20 sheets, a count
        let many: Vec<String> = (0..25).map(|i| format!("S{i}")).collect();
        let e = Error::NoSuchSheet {
            sheet: format!("two\nlines{}", "x".repeat(300)),
            sheets: many,
        };
        let text = e.to_string();
        assert!(!text.contains('\n'), "{text}");
        assert!(
            text.contains(&format!("two lines{}…\"", "x".repeat(191))),
            "{text}"
        );
        assert!(text.contains("\"S19\", … (+5)"), "{text}");
        let mut seen = std::collections::HashSet::new();
        for (code, t) in TEMPLATES {
            assert!(seen.insert(code), "{code} twice");
            assert!(!t.is_empty());
        }
    }
}
