//! An `.ods` file's `content.xml`, read the way calamine 0.32 reads it (`ods.rs`: the same XML
//! reader and settings, the same elements and attributes) but keeping counts instead of cells.
//!
//! What calamine keeps, per sheet (`table:table` with a `table:name`):
//! - the cells of each row as written: every cell up to the last one holding a value or formula,
//!   a run of empty cells included whenever another cell follows it, each cell repeated
//!   `table:number-columns-repeated` times (a row's own repetition is not applied yet);
//! - then the grid of values and the grid of formulas, each rows × columns up to its last used
//!   cell, with rows repeated `table:number-rows-repeated` times;
//! - the text of every copy of every string (a repeated cell's text is copied into each repetition;
//!   the chosen sheet's grid is copied once more when it is read).
//!
//! Two inputs would make calamine read forever, and are refused here: `content.xml` ending inside a
//! table, and ending inside a cell's annotation.

use super::Tally;
use crate::error::Error;
use crate::Format;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;
use quick_xml::Reader;
use std::borrow::Cow;
use std::io::{BufReader, Cursor, Read};

/// A grid's last row and column (0-based), counted from A1.
#[derive(Default, Clone, Copy)]
struct Extent(Option<(u64, u64)>);

impl Extent {
    fn add(&mut self, row: u64, col: u64) {
        self.0 = Some(match self.0 {
            Some((r, c)) => (r.max(row), c.max(col)),
            None => (row, col),
        });
    }

    fn cells(self) -> u64 {
        self.0.map_or(0, |(r, c)| {
            r.saturating_add(1).saturating_mul(c.saturating_add(1))
        })
    }
}

/// One sheet's counts.
#[derive(Default)]
struct Sheet {
    /// The first row of the next `table:table-row`, repetitions applied.
    row: u64,
    /// The cells of the rows as written.
    raw: u64,
    values: Extent,
    formulas: Extent,
    text: u64,
}

impl Sheet {
    fn cells(&self) -> u64 {
        self.raw
            .saturating_add(self.values.cells())
            .saturating_add(self.formulas.cells())
    }
}

/// What calamine's `get_datatype` makes of a cell.
struct Cell {
    /// A value that is not `Data::Empty`.
    value: bool,
    /// The bytes of its text, if it is text (or a date or duration kept as text).
    text: u64,
    /// The bytes of its formula.
    formula: u64,
    /// Whether the cell's content has been read (text cells), so its end tag is behind us.
    closed: bool,
}

struct Scan<'t, 'l, R: Read> {
    /// The reader type calamine's own (one copy of the XML code in the wasm module).
    xml: Reader<BufReader<R>>,
    tally: &'t mut Tally<'l>,
}

/// Reads `content.xml` of the `.ods` `bytes`, adding to `tally` what calamine would keep (its size
/// was checked as it unpacks, by the container check).
pub(crate) fn scan(bytes: &[u8], tally: &mut Tally) -> Result<(), Error> {
    let unreadable = |detail: String| Error::Unreadable {
        format: Some(Format::Ods),
        detail,
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(Cow::Borrowed(bytes)))
        .map_err(|e| unreadable(e.to_string()))?;
    let file = zip
        .by_name("content.xml")
        .map_err(|e| unreadable(format!("content.xml: {e}")))?;
    let mut xml = Reader::from_reader(BufReader::new(file));
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut s = Scan { xml, tally };
    s.content()
}

impl<R: Read> Scan<'_, '_, R> {
    /// The error for a failure at this point.
    fn fail(&self, detail: impl ToString) -> Error {
        Error::Unreadable {
            format: Some(Format::Ods),
            detail: format!("content.xml: {}", detail.to_string()),
        }
    }

    fn content(&mut self) -> Result<(), Error> {
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match self.xml.read_event_into(&mut buf) {
                Ok(Event::Start(e)) if e.name() == QName(b"table:table") => {
                    // calamine reads the style name first (failing on a bad attribute), and only
                    // reads a table that has a name
                    if let Err(err) = e.try_get_attribute(b"table:style-name") {
                        return Err(self.fail(err));
                    }
                    let named = e
                        .attributes()
                        .filter_map(Result::ok)
                        .any(|a| a.key == QName(b"table:name"));
                    if named {
                        self.tally.sheet()?;
                        self.table()?;
                    }
                }
                Ok(Event::Eof) => return Ok(()),
                Err(err) => return Err(self.fail(err)),
                Ok(_) => {}
            }
        }
    }

    fn table(&mut self) -> Result<(), Error> {
        let mut sheet = Sheet::default();
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match self.xml.read_event_into(&mut buf) {
                Ok(Event::Start(e)) if e.name() == QName(b"table:table-row") => {
                    let repeats = match e.try_get_attribute(b"table:number-rows-repeated") {
                        Ok(Some(a)) => match a.decode_and_unescape_value(self.xml.decoder()) {
                            Ok(v) => self.count(&v, "table:number-rows-repeated")?,
                            Err(err) => return Err(self.fail(err)),
                        },
                        Ok(None) => 1,
                        Err(err) => return Err(self.fail(err)),
                    };
                    self.row(repeats, &mut sheet)?;
                    self.tally.check(sheet.cells(), sheet.text)?;
                }
                Ok(Event::End(e)) if e.name() == QName(b"table:table") => break,
                // calamine's loop would wait for the table's end forever
                Ok(Event::Eof) => return Err(self.fail("the file ends inside a table")),
                Err(err) => return Err(self.fail(err)),
                Ok(_) => {}
            }
        }
        self.tally.cells(sheet.cells())?;
        self.tally.text(sheet.text)
    }

    /// A repetition count, as calamine parses it (a larger one than this platform's `usize` fails
    /// there; here it counts, and goes past the bounds).
    fn count(&self, v: &str, what: &str) -> Result<u64, Error> {
        v.parse::<u64>()
            .map_err(|_| self.fail(format!("{what} is not a count: {v:.40}")))
    }

    fn row(&mut self, repeats: u64, sheet: &mut Sheet) -> Result<(), Error> {
        let mut buf = Vec::new();
        let mut cell_buf = Vec::new();
        // calamine writes out a run of empty cells only when another cell follows it
        let mut empty_run = 0u64;
        let mut col = 0u64;
        let mut used = false;
        loop {
            buf.clear();
            match self.xml.read_event_into(&mut buf) {
                Ok(Event::Start(e))
                    if e.name() == QName(b"table:table-cell")
                        || e.name() == QName(b"table:covered-table-cell") =>
                {
                    let mut cols = 1u64;
                    for a in e.attributes() {
                        let a = a.map_err(|err| self.fail(err))?;
                        if a.key == QName(b"table:number-columns-repeated") {
                            let v = match self.xml.decoder().decode(&a.value) {
                                Ok(v) => v,
                                Err(err) => return Err(self.fail(err)),
                            };
                            cols = self.count(&v, "table:number-columns-repeated")?;
                            break;
                        }
                    }
                    let cell = self.cell(&e, &mut cell_buf)?;
                    sheet.raw = sheet.raw.saturating_add(empty_run);
                    col = col.saturating_add(empty_run);
                    empty_run = 0;
                    if !cell.value && cell.formula == 0 {
                        empty_run = cols;
                    } else {
                        if cols > 0 {
                            let last_col = col.saturating_add(cols - 1);
                            let last_row = sheet.row.saturating_add(repeats.saturating_sub(1));
                            if cell.value {
                                sheet.values.add(last_row, last_col);
                            }
                            if cell.formula > 0 {
                                sheet.formulas.add(last_row, last_col);
                            }
                            used = true;
                        }
                        sheet.raw = sheet.raw.saturating_add(cols);
                        col = col.saturating_add(cols);
                        // each repetition holds a copy: in the row as read, in the grid (once per
                        // repeated row), and the value once more in the copy of the chosen sheet
                        let copies = |grids: u64| {
                            cols.saturating_mul(repeats.saturating_mul(grids).saturating_add(1))
                        };
                        let text = cell
                            .text
                            .saturating_mul(copies(2))
                            .saturating_add(cell.formula.saturating_mul(copies(1)));
                        sheet.text = sheet.text.saturating_add(text);
                    }
                    if !cell.closed {
                        if let Err(err) = self.xml.read_to_end_into(e.name(), &mut cell_buf) {
                            return Err(self.fail(err));
                        }
                    }
                }
                Ok(Event::End(e)) if e.name() == QName(b"table:table-row") => break,
                Err(err) => return Err(self.fail(err)),
                Ok(_) => return Err(self.fail("a table row holds something other than cells")),
            }
        }
        if used && repeats == 0 {
            return Err(self.fail("a row with values is repeated 0 times"));
        }
        sheet.row = sheet.row.saturating_add(repeats);
        Ok(())
    }

    /// calamine's `get_datatype`.
    fn cell(&mut self, e: &BytesStart<'_>, buf: &mut Vec<u8>) -> Result<Cell, Error> {
        let mut is_string = false;
        let mut cell = Cell {
            value: false,
            text: 0,
            formula: 0,
            closed: false,
        };
        for a in e.attributes() {
            let a = a.map_err(|err| self.fail(err))?;
            let decoded = |s: &Self| {
                a.decode_and_unescape_value(s.xml.decoder())
                    .map(|v| v.len() as u64)
                    .map_err(|err| s.fail(err))
            };
            match a.key {
                QName(b"office:value" | b"office:boolean-value") if !cell.value => {
                    cell.value = true;
                }
                QName(b"office:string-value" | b"office:date-value" | b"office:time-value")
                    if !cell.value =>
                {
                    cell.text = decoded(self)?;
                    cell.value = true;
                }
                QName(b"office:value-type") if !cell.value => is_string = &*a.value == b"string",
                QName(b"table:formula") => cell.formula = decoded(self)?,
                _ => {}
            }
        }
        if cell.value || !is_string {
            return Ok(cell);
        }
        // the text is the cell's content: paragraphs joined by line breaks, <text:s/> spaces,
        // annotations left out
        cell.value = true;
        cell.closed = true;
        let mut first_paragraph = true;
        loop {
            buf.clear();
            match self.xml.read_event_into(buf) {
                Ok(Event::Text(t)) => match t.xml10_content() {
                    Ok(s) => cell.text = cell.text.saturating_add(s.len() as u64),
                    Err(err) => return Err(self.fail(err)),
                },
                // an entity or character reference: at most 4 bytes of UTF-8, or its name
                Ok(Event::GeneralRef(r)) => {
                    cell.text = cell.text.saturating_add((r.len() as u64).max(4));
                }
                Ok(Event::End(end))
                    if end.name() == QName(b"table:table-cell")
                        || end.name() == QName(b"table:covered-table-cell") =>
                {
                    return Ok(cell);
                }
                Ok(Event::Start(s)) if s.name() == QName(b"office:annotation") => loop {
                    buf.clear();
                    match self.xml.read_event_into(buf) {
                        Ok(Event::End(end)) if end.name() == QName(b"office:annotation") => break,
                        Err(err) => return Err(self.fail(err)),
                        // calamine's loop would wait for the annotation's end forever
                        Ok(Event::Eof) => {
                            return Err(self.fail("the file ends inside an annotation"))
                        }
                        Ok(_) => {}
                    }
                },
                Ok(Event::Start(s)) if s.name() == QName(b"text:p") => {
                    if first_paragraph {
                        first_paragraph = false;
                    } else {
                        cell.text = cell.text.saturating_add(1);
                    }
                }
                Ok(Event::Start(s)) if s.name() == QName(b"text:s") => {
                    let spaces = match s.try_get_attribute("text:c") {
                        Ok(Some(c)) => match c.decode_and_unescape_value(self.xml.decoder()) {
                            Ok(v) => self.count(&v, "text:c")?,
                            Err(err) => return Err(self.fail(err)),
                        },
                        Ok(None) => 1,
                        Err(err) => return Err(self.fail(err)),
                    };
                    cell.text = cell.text.saturating_add(spaces);
                }
                Err(err) => return Err(self.fail(err)),
                Ok(Event::Eof) => return Err(self.fail("the file ends inside a cell")),
                Ok(_) => {}
            }
        }
    }
}
