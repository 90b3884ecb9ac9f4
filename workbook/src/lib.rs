//! tierwise-workbook: one sheet of an Excel or OpenDocument workbook (`.xlsx`, `.xlsm`, `.xlsb`,
//! `.xls`, `.ods`) as CSV bytes that tierwise's CSV reader reads exactly (`docs/input.md#workbooks`).
//!
//! The tierwise CLI uses it natively; the browser loads it as a WebAssembly module of its own
//! (`www/pkg-workbook/`, the `wasm` module of this crate), only when the chosen file is a
//! workbook, so the analysis module every page load pays for does not carry the workbook readers
//! (calamine, zip, quick-xml).
//!
//! ```
//! // a workbook made here; any .xlsx, .xls or .ods file's bytes do
//! # let bytes = {
//! #     let mut wb = rust_xlsxwriter::Workbook::new();
//! #     let ws = wb.add_worksheet().set_name("Orders").unwrap();
//! #     ws.write(0, 0, "customer_id").unwrap();
//! #     ws.write(0, 1, "amount").unwrap();
//! #     ws.write(1, 0, "A").unwrap();
//! #     ws.write(1, 1, 0.1 + 0.2).unwrap();
//! #     wb.save_to_buffer().unwrap()
//! # };
//! let sheet = tierwise_workbook::convert(&bytes, None, &tierwise_workbook::Limits::default())?;
//! assert_eq!(sheet.sheet, "Orders");
//! assert_eq!(sheet.csv, b"customer_id,amount\nA,0.3\n");
//! # Ok::<(), tierwise_workbook::Error>(())
//! ```
//!
//! How cells arrive: see [`cells`]; how rows and columns keep their spreadsheet numbers: see the
//! emitter's invariants in `src/emit.rs`; what is counted before calamine opens a file (it reads an
//! `.ods` or `.xls` whole), so that a hostile workbook is refused before it costs the memory: see
//! `src/prescan/` and [`Limits`]. Every error is a coded message ([`Error::coded`]) whose Chinese
//! text is in tierwise's catalog.

#![warn(missing_docs)]

pub mod cells;
mod container;
mod emit;
pub mod error;
mod prescan;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
pub mod write;

pub use container::{looks_like_workbook, OLE2_MAGIC};
pub use error::{Error, Limit};
pub use write::{write_xlsx, Customers, Kind, Table, Value, WriteError};

use calamine::{DataRef, Reader, SheetType, SheetVisible};
use emit::{Emitter, Stop};
use std::borrow::Cow;
use std::io::Cursor;

/// A workbook format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Office Open XML (`.xlsx`, `.xlsm`).
    Xlsx,
    /// Excel binary workbook (`.xlsb`).
    Xlsb,
    /// Excel 97–2003 (`.xls`, BIFF8 in an OLE2 compound file).
    Xls,
    /// OpenDocument spreadsheet (`.ods`).
    Ods,
}

impl Format {
    /// The name in the summary: `xlsx`, `xlsb`, `xls` or `ods`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xlsb => "xlsb",
            Format::Xls => "xls",
            Format::Ods => "ods",
        }
    }

    /// The usual file extension, as named in messages: `.xlsx`, …
    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => ".xlsx",
            Format::Xlsb => ".xlsb",
            Format::Xls => ".xls",
            Format::Ods => ".ods",
        }
    }
}

/// Which sheet to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetRef {
    /// 0-based position among the worksheets (chart sheets and macro sheets are not counted).
    Index(usize),
    /// Name: exact, else ignoring case and surrounding spaces.
    Name(String),
}

/// Bounds on what one conversion may take (`docs/input.md#workbooks`). Past one, the conversion
/// stops with [`Error::TooLarge`] before spending the memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// The workbook file's size.
    pub max_file_bytes: u64,
    /// The unpacked size (declared, and as it unpacks) of each ZIP part read whole (shared
    /// strings, styles, an `.ods` file's `content.xml`); worksheets of `.xlsx`/`.xlsb` files are
    /// streamed instead.
    pub max_part_bytes: u64,
    /// The sheet's cells: rows × columns up to its last used cell. For an `.xls` or `.ods` file,
    /// which is read whole, also all sheets' cells together as the reader keeps them.
    pub max_cells: u64,
    /// The CSV text. For an `.xls` or `.ods` file also all sheets' text together as the reader
    /// keeps it.
    pub max_csv_bytes: u64,
    /// The sheets of the workbook (chart and macro sheets included).
    pub max_sheets: u64,
    /// All ZIP parts that are read, together, as they unpack (worksheets included).
    pub max_unpacked_bytes: u64,
    /// The entries of a ZIP container.
    pub max_parts: u64,
}

impl Default for Limits {
    /// 256 MiB of file, 256 MiB per part read whole, 2²⁵ = 33,554,432 cells, 512 MiB of CSV,
    /// 10,000 sheets, 4 GiB unpacked, 100,000 ZIP entries.
    fn default() -> Self {
        Limits {
            max_file_bytes: 256 << 20,
            max_part_bytes: 256 << 20,
            max_cells: 1 << 25,
            max_csv_bytes: 512 << 20,
            max_sheets: 10_000,
            max_unpacked_bytes: 4 << 30,
            max_parts: 100_000,
        }
    }
}

/// A sheet converted to CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    /// UTF-8 CSV without a byte-order mark: line `n` is the sheet's row `n`.
    pub csv: Vec<u8>,
    /// The workbook's format.
    pub format: Format,
    /// The name of the sheet read.
    pub sheet: String,
    /// Its 0-based position among the worksheets.
    pub index: usize,
    /// Every worksheet, in workbook order.
    pub sheets: Vec<String>,
}

/// An open workbook.
pub struct Workbook<'a> {
    format: Format,
    sheets: Vec<String>,
    /// The worksheet read when none is asked for: the first visible one.
    default_sheet: usize,
    /// calamine's reader, over the file's bytes (an `.xls`: over the compound file written by the
    /// pre-scan, see `src/prescan/`).
    inner: calamine::Sheets<Cursor<Cow<'a, [u8]>>>,
    limits: Limits,
}

/// The reader's error as [`Error::Encrypted`] or [`Error::Unreadable`].
fn reader_error(format: Format, e: calamine::Error) -> Error {
    use calamine::Error as E;
    let password = matches!(
        &e,
        E::Xls(calamine::XlsError::Password)
            | E::Xlsx(calamine::XlsxError::Password)
            | E::Xlsb(calamine::XlsbError::Password)
            | E::Ods(calamine::OdsError::Password)
    );
    if password {
        Error::Encrypted {
            format: Some(format),
        }
    } else {
        Error::Unreadable {
            format: Some(format),
            detail: e.to_string(),
        }
    }
}

/// Opens a workbook from its bytes (its kind told from its content), within `limits`: what the
/// reader would hold is counted first (an `.xls` or `.ods` is read whole when it is opened), so a
/// workbook past a bound is refused before the memory is spent.
pub fn open<'a>(bytes: &'a [u8], limits: &Limits) -> Result<Workbook<'a>, Error> {
    let format = container::detect(bytes, limits)?;
    let mut tally = prescan::Tally::new(limits);
    let data: Cow<'a, [u8]> = match format {
        Format::Xls => {
            let stream = prescan::cfb::workbook_stream(bytes)?;
            let checked = prescan::xls::sanitize(&stream, &mut tally)?;
            drop(stream);
            Cow::Owned(prescan::cfb::wrap(&checked))
        }
        Format::Ods => {
            prescan::ods::scan(bytes, &mut tally)?;
            Cow::Borrowed(bytes)
        }
        Format::Xlsx | Format::Xlsb => Cow::Borrowed(bytes),
    };
    let rs = Cursor::new(data);
    let inner = match format {
        Format::Xls => calamine::open_workbook_from_rs(rs)
            .map(calamine::Sheets::Xls)
            .map_err(calamine::Error::Xls),
        Format::Xlsx => calamine::open_workbook_from_rs(rs)
            .map(calamine::Sheets::Xlsx)
            .map_err(calamine::Error::Xlsx),
        Format::Xlsb => calamine::open_workbook_from_rs(rs)
            .map(calamine::Sheets::Xlsb)
            .map_err(calamine::Error::Xlsb),
        Format::Ods => calamine::open_workbook_from_rs(rs)
            .map(calamine::Sheets::Ods)
            .map_err(calamine::Error::Ods),
    }
    .map_err(|e| reader_error(format, e))?;
    if inner.sheets_metadata().len() as u64 > limits.max_sheets {
        return Err(Error::TooLarge(Limit::Sheets {
            max: limits.max_sheets,
        }));
    }
    let worksheets: Vec<&calamine::Sheet> = inner
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .collect();
    if worksheets.is_empty() {
        return Err(Error::NoWorksheets);
    }
    let default_sheet = worksheets
        .iter()
        .position(|s| s.visible == SheetVisible::Visible)
        .unwrap_or(0);
    let sheets = worksheets.iter().map(|s| s.name.clone()).collect();
    Ok(Workbook {
        format,
        sheets,
        default_sheet,
        inner,
        limits: limits.clone(),
    })
}

/// Converts one sheet (`None`: the first visible worksheet) of the workbook `bytes` to CSV.
pub fn convert(
    bytes: &[u8],
    sheet: Option<&SheetRef>,
    limits: &Limits,
) -> Result<Converted, Error> {
    open(bytes, limits)?.convert(sheet)
}

impl Workbook<'_> {
    /// The workbook's format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The worksheets, in workbook order (chart and macro sheets left out; hidden ones included).
    pub fn sheets(&self) -> &[String] {
        &self.sheets
    }

    /// The position of the sheet `sheet` names (`None`: the first visible worksheet).
    pub fn find(&self, sheet: Option<&SheetRef>) -> Result<usize, Error> {
        match sheet {
            None => Ok(self.default_sheet),
            Some(SheetRef::Index(i)) if *i < self.sheets.len() => Ok(*i),
            Some(SheetRef::Index(i)) => Err(Error::SheetIndexOutOfRange {
                index: *i,
                sheets: self.sheets.clone(),
            }),
            Some(SheetRef::Name(name)) => {
                let loose = |s: &str| s.trim().to_lowercase();
                self.sheets
                    .iter()
                    .position(|s| s == name)
                    .or_else(|| {
                        let want = loose(name);
                        self.sheets.iter().position(|s| loose(s) == want)
                    })
                    .ok_or_else(|| Error::NoSuchSheet {
                        sheet: name.clone(),
                        sheets: self.sheets.clone(),
                    })
            }
        }
    }

    /// Converts one sheet (`None`: the first visible worksheet) to CSV.
    pub fn convert(mut self, sheet: Option<&SheetRef>) -> Result<Converted, Error> {
        let index = self.find(sheet)?;
        let name = self.sheets[index].clone();
        let csv = match self.write_sheet(&name)? {
            Some(csv) => csv,
            None => {
                return Err(Error::EmptySheet {
                    sheet: name,
                    sheets: self.sheets,
                })
            }
        };
        Ok(Converted {
            csv,
            format: self.format,
            sheet: name,
            index,
            sheets: self.sheets,
        })
    }

    /// The sheet's CSV; `None` when it has no cell with a value.
    fn write_sheet(&mut self, name: &str) -> Result<Option<Vec<u8>>, Error> {
        let format = self.format;
        let limits = &self.limits;
        let fail = |e: calamine::Error| reader_error(format, e);
        match &mut self.inner {
            // streamed cell by cell: memory is the CSV, not a grid of cells
            calamine::Sheets::Xlsx(x) => {
                let first = {
                    let mut reader = x
                        .worksheet_cells_reader(name)
                        .map_err(|e| fail(calamine::Error::Xlsx(e)))?;
                    stream(limits, || {
                        reader
                            .next_cell()
                            .map(|c| c.map(|c| (c.get_position(), c.get_value().clone())))
                            .map_err(|e| fail(calamine::Error::Xlsx(e)))
                    })?
                };
                match first {
                    Some(csv) => Ok(csv),
                    None => {
                        let mut reader = x
                            .worksheet_cells_reader(name)
                            .map_err(|e| fail(calamine::Error::Xlsx(e)))?;
                        sorted(limits, || {
                            reader
                                .next_cell()
                                .map(|c| c.map(|c| (c.get_position(), c.get_value().clone())))
                                .map_err(|e| fail(calamine::Error::Xlsx(e)))
                        })
                    }
                }
            }
            calamine::Sheets::Xlsb(x) => {
                let first = {
                    let mut reader = x
                        .worksheet_cells_reader(name)
                        .map_err(|e| fail(calamine::Error::Xlsb(e)))?;
                    stream(limits, || {
                        reader
                            .next_cell()
                            .map(|c| c.map(|c| (c.get_position(), c.get_value().clone())))
                            .map_err(|e| fail(calamine::Error::Xlsb(e)))
                    })?
                };
                match first {
                    Some(csv) => Ok(csv),
                    None => {
                        let mut reader = x
                            .worksheet_cells_reader(name)
                            .map_err(|e| fail(calamine::Error::Xlsb(e)))?;
                        sorted(limits, || {
                            reader
                                .next_cell()
                                .map(|c| c.map(|c| (c.get_position(), c.get_value().clone())))
                                .map_err(|e| fail(calamine::Error::Xlsb(e)))
                        })
                    }
                }
            }
            // .xls and .ods: calamine reads every sheet when it opens the file; walk the grid
            other => {
                let range = other.worksheet_range(name).map_err(fail)?;
                let Some((r0, c0)) = range.start() else {
                    return Ok(None);
                };
                let mut cells = range.cells().map(|(r, c, v)| {
                    let pos = (r0 + r as u32, c0 + c as u32);
                    Ok(Some((pos, cells::borrowed(v))))
                });
                let csv = stream(limits, || cells.next().unwrap_or(Ok(None)))?;
                // a grid is in order
                Ok(csv.flatten())
            }
        }
    }
}

/// A cell as its position and value.
type PosCell<'a> = ((u32, u32), DataRef<'a>);

/// Writes cells in the order they come. `Ok(None)`: out of order (use [`sorted`]); `Ok(Some(None))`:
/// no cell with a value.
fn stream<'a>(
    limits: &Limits,
    mut next: impl FnMut() -> Result<Option<PosCell<'a>>, Error>,
) -> Result<Option<Option<Vec<u8>>>, Error> {
    let mut e = Emitter::new(limits);
    let mut text = String::new();
    while let Some(((row, col), v)) = next()? {
        text.clear();
        if !cells::field_text(&v, &mut text) {
            continue;
        }
        match e.cell(row, col, &text) {
            Ok(()) => {}
            Err(Stop::Error(err)) => return Err(err),
            Err(Stop::OutOfOrder(_)) => return Ok(None),
        }
    }
    Ok(Some(e.finish()?))
}

/// Writes cells that came out of order: gathered (within the cell and text bounds), sorted, then
/// written.
fn sorted<'a>(
    limits: &Limits,
    mut next: impl FnMut() -> Result<Option<PosCell<'a>>, Error>,
) -> Result<Option<Vec<u8>>, Error> {
    let mut all: Vec<((u32, u32), String)> = Vec::new();
    let mut bytes = 0u64;
    while let Some((pos, v)) = next()? {
        let mut text = String::new();
        if cells::field_text(&v, &mut text) {
            if all.len() as u64 >= limits.max_cells {
                return Err(Error::TooLarge(Limit::Cells {
                    max: limits.max_cells,
                }));
            }
            // each field is at least its text and a comma in the CSV
            bytes += text.len() as u64 + 1;
            if bytes > limits.max_csv_bytes {
                return Err(Error::TooLarge(Limit::CsvBytes {
                    max: limits.max_csv_bytes,
                }));
            }
            all.push((pos, text));
        }
    }
    // a later duplicate of a position wins, as it would in the grid
    all.sort_by_key(|&(pos, _)| pos);
    all.dedup_by(|later, earlier| {
        if later.0 == earlier.0 {
            std::mem::swap(&mut later.1, &mut earlier.1);
            true
        } else {
            false
        }
    });
    let mut e = Emitter::new(limits);
    for ((row, col), text) in &all {
        match e.cell(*row, *col, text) {
            Ok(()) => {}
            Err(Stop::Error(err)) => return Err(err),
            // sorted and without duplicates: cannot happen
            Err(Stop::OutOfOrder(_)) => {
                return Err(Error::Unreadable {
                    format: None,
                    detail: "cells out of order".into(),
                })
            }
        }
    }
    e.finish()
}
