//! The workbook stream of an `.xls` (BIFF5/BIFF8 records), checked and rewritten before calamine
//! reads it (calamine 0.32's `xls.rs`, whose record handling this mirrors).
//!
//! calamine reads every sheet of an `.xls` when it opens it, into a grid per sheet spanning its
//! cells, and it trusts the records: a cut-short record indexes out of bounds, a `DIMENSIONS` record
//! reserves rows × columns cells up front, a sheet may start anywhere. So the stream calamine reads
//! is a new one written here, holding only the records it needs for values and sheet names:
//!
//! - workbook globals: `BOF`, `CODEPAGE`, `DATE1904`, `FORMAT`, `XF`, `BOUNDSHEET` (its position
//!   rewritten), `SST` with its `CONTINUE` records, `EOF`; a `FILEPASS` is a password
//!   ([`Error::Encrypted`]);
//! - per worksheet: the cell records (`NUMBER`, `RK`, `MULRK`, `LABEL`, `LABELSST`, `BOOLERR`,
//!   `FORMULA` with its formula replaced by an empty one, `STRING`) and `EOF`; chart and macro sheets
//!   become empty.
//!
//! Every record kept is checked for what calamine's parser assumes (lengths, column ranges, string
//! lengths across `CONTINUE` records), so calamine never indexes out of bounds; a record it would
//! reject is refused here as [`Error::Unreadable`]. While reading, the [`Tally`] adds up what
//! calamine will hold: per sheet its cell records and the grids of values and of formulas (rows ×
//! columns from A1 to the last cell), and the text of the shared strings and of the cells.

use super::Tally;
use crate::error::Error;
use crate::Format;

/// A sheet's records may be read at most this much beyond the stream's own size, all sheets together
/// (sheets whose records overlap would have calamine read the same records again and again).
const OVERLAP_SLACK: usize = 1 << 16;
/// At most this many `CONTINUE` records after an `SST` (calamine takes each from the front of a
/// list, so their number costs time squared; a 256 MiB table of full records has about 32,600).
const MAX_SST_CONTINUES: usize = 1 << 15;
/// Each string calamine holds costs its header as well as its text.
const STRING_HEADER: u64 = 24;

fn bad(what: impl Into<String>) -> Error {
    Error::Unreadable {
        format: Some(Format::Xls),
        detail: what.into(),
    }
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    match b.get(at..at + 2) {
        Some(s) => u16::from_le_bytes([s[0], s[1]]),
        None => 0,
    }
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    match b.get(at..at + 4) {
        Some(s) => u32::from_le_bytes([s[0], s[1], s[2], s[3]]),
        None => 0,
    }
}

/// A record as calamine's `RecordIter` gives it: the `CONTINUE` records right after it gathered.
struct Record<'a> {
    typ: u16,
    data: &'a [u8],
    cont: Vec<&'a [u8]>,
    /// The record's bytes in the stream, header and `CONTINUE` records included.
    raw: &'a [u8],
}

impl Record<'_> {
    /// Fails when the record's data is shorter than the `n` bytes a `what` record needs (calamine
    /// would index past it).
    fn need(&self, n: usize, what: &str) -> Result<(), Error> {
        if self.data.len() < n {
            Err(bad(format!("a {what} record is cut short")))
        } else {
            Ok(())
        }
    }
}

/// The record at `at`, as calamine reads it (`None` at the end of the stream).
fn record(stream: &[u8], at: usize) -> Option<Result<Record<'_>, Error>> {
    let rest = stream.get(at..).unwrap_or(&[]);
    if rest.len() < 4 {
        return if rest.is_empty() {
            None
        } else {
            Some(Err(bad("a record is cut short at the end of the stream")))
        };
    }
    let typ = u16_at(rest, 0);
    let len = usize::from(u16_at(rest, 2));
    if rest.len() < len + 4 {
        return Some(Err(bad("a record is cut short at the end of the stream")));
    }
    let data = &rest[4..4 + len];
    let mut pos = 4 + len;
    let mut cont = Vec::new();
    // calamine gathers CONTINUE records while more than 4 bytes are left
    while rest.len() - pos > 4 && u16_at(rest, pos) == 0x003C {
        let l = usize::from(u16_at(rest, pos + 2));
        if rest.len() - pos < l + 4 {
            return Some(Err(bad("a record is cut short at the end of the stream")));
        }
        cont.push(&rest[pos + 4..pos + 4 + l]);
        pos += 4 + l;
    }
    Some(Ok(Record {
        typ,
        data,
        cont,
        raw: &rest[..pos],
    }))
}

/// How text is stored: BIFF8 strings have a flag byte (UTF-16 or one byte per character); the
/// codepage decides how calamine decodes them.
#[derive(Clone, Copy)]
struct Text {
    biff8: bool,
    codepage: u16,
}

impl Text {
    /// What calamine's `decode_to` does with `len` characters at the start of `data`: the characters
    /// and bytes it takes, and at most how many bytes of UTF-8 it makes of them.
    fn decode(self, data: &[u8], len: usize, high_byte: Option<bool>) -> (usize, usize, u64) {
        match high_byte {
            Some(true) => {
                let l = (data.len() / 2).min(len);
                let est = if self.codepage == 1200 {
                    data[..2 * l]
                        .chunks_exact(2)
                        .map(|c| match u16::from_le_bytes([c[0], c[1]]) {
                            0..0x80 => 1,
                            0x80..0x800 => 2,
                            _ => 3,
                        })
                        .sum()
                } else {
                    6 * l as u64
                };
                (l, 2 * l, est)
            }
            _ => {
                let l = data.len().min(len);
                let est = if self.codepage == 1200 {
                    data[..l]
                        .iter()
                        .map(|&b| if b < 0x80 { 1 } else { 2 })
                        .sum()
                } else {
                    6 * l as u64
                };
                (l, l, est)
            }
        }
    }

    /// calamine's `parse_string` (an `XLUnicodeString`): the bytes of memory its result takes, or
    /// why calamine refuses it.
    fn string(self, r: &[u8]) -> Result<u64, Error> {
        let expected = if self.biff8 { 3 } else { 2 };
        if r.len() < expected {
            if r.len() == 2 && u16_at(r, 0) == 0 {
                return Ok(0);
            }
            return Err(bad("a string is cut short"));
        }
        let high_byte = self.biff8.then(|| r[2] & 1 != 0);
        let cch = usize::from(u16_at(r, 0));
        let (_, _, est) = self.decode(&r[expected..], cch, high_byte);
        Ok(est.max(cch as u64))
    }
}

/// calamine's view of a record being read across its `CONTINUE` records.
struct Cursor<'a> {
    data: &'a [u8],
    cont: std::collections::VecDeque<&'a [u8]>,
}

impl Cursor<'_> {
    fn next_part(&mut self) -> bool {
        match self.cont.pop_front() {
            Some(d) => {
                self.data = d;
                true
            }
            None => false,
        }
    }

    fn skip(&mut self, mut len: u64) -> Result<(), Error> {
        while len > 0 {
            if self.data.is_empty() && !self.next_part() {
                return Err(bad("the shared string table is cut short"));
            }
            let l = (self.data.len() as u64).min(len);
            self.data = &self.data[l as usize..];
            len -= l;
        }
        Ok(())
    }
}

/// calamine's `parse_sst`: the memory each shared string takes (its text, as calamine decodes it).
fn shared_strings(r: &Record<'_>, text: Text, tally: &mut Tally) -> Result<Vec<u32>, Error> {
    if r.data.len() < 8 {
        return Err(bad("the shared string table is cut short"));
    }
    if r.cont.len() > MAX_SST_CONTINUES {
        return Err(bad(format!(
            "the shared string table is split into more than {MAX_SST_CONTINUES} parts"
        )));
    }
    let mut c = Cursor {
        data: &r.data[8..],
        cont: r.cont.iter().copied().collect(),
    };
    let mut sizes = Vec::new();
    while !c.data.is_empty() || c.next_part() {
        // read_rich_extended_string
        if c.data.is_empty() {
            sizes.push(0);
            tally.text(STRING_HEADER)?;
            continue;
        }
        if c.data.len() < 3 {
            return Err(bad("a shared string is cut short"));
        }
        let cch = usize::from(u16_at(c.data, 0));
        let flags = c.data[2];
        c.data = &c.data[3..];
        let mut high_byte = flags & 1 != 0;
        let mut runs = 0u64;
        let mut ext = 0u64;
        if flags & 0x8 != 0 {
            if c.data.len() < 2 {
                return Err(bad("a shared string is cut short"));
            }
            runs = u64::from(u16_at(c.data, 0));
            c.data = &c.data[2..];
        }
        if flags & 0x4 != 0 {
            if c.data.len() < 4 {
                return Err(bad("a shared string is cut short"));
            }
            // a negative size is a huge one to calamine: it runs off the end
            ext = u64::try_from(u32_at(c.data, 0) as i32).unwrap_or(u64::MAX);
            c.data = &c.data[4..];
        }
        // read_dbcs
        let mut len = cch;
        let mut size = 0u64;
        while len > 0 {
            let (l, at, est) = text.decode(c.data, len, Some(high_byte));
            size += est;
            c.data = &c.data[at..];
            len -= l;
            if len > 0 {
                if !c.next_part() {
                    return Err(bad("the shared string table is cut short"));
                }
                let Some(&flag) = c.data.first() else {
                    return Err(bad("an empty CONTINUE record inside a shared string"));
                };
                high_byte = flag & 1 != 0;
                c.data = &c.data[1..];
            }
        }
        c.skip(runs * 4)?;
        c.skip(ext)?;
        tally.text(STRING_HEADER + size.max(cch as u64))?;
        sizes.push(u32::try_from(size).unwrap_or(u32::MAX));
    }
    Ok(sizes)
}

/// A grid growing to hold cells: its last row and column (0-based), if any.
#[derive(Default, Clone, Copy)]
struct Extent(Option<(u32, u32)>);

impl Extent {
    fn add(&mut self, row: u32, col: u32) {
        self.0 = Some(match self.0 {
            Some((r, c)) => (r.max(row), c.max(col)),
            None => (row, col),
        });
    }

    /// rows × columns from A1 (calamine's grid, from the first cell, is never larger).
    fn cells(self) -> u64 {
        self.0
            .map_or(0, |(r, c)| (u64::from(r) + 1) * (u64::from(c) + 1))
    }
}

/// A BIFF8 error code calamine knows.
fn error_code(e: u8) -> bool {
    matches!(e, 0x00 | 0x07 | 0x0F | 0x17 | 0x1D | 0x24 | 0x2A | 0x2B)
}

fn push_record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    out.extend_from_slice(&typ.to_le_bytes());
    out.extend_from_slice(&(data.len() as u16).to_le_bytes());
    out.extend_from_slice(data);
}

const EOF: u16 = 0x000A;

/// One worksheet's records from `pos` on, checked, counted and rewritten into `out` (ending in `EOF`).
/// Returns the bytes of the stream read.
fn sheet(
    stream: &[u8],
    pos: usize,
    text: Text,
    sst: &[u32],
    tally: &mut Tally,
    out: &mut Vec<u8>,
) -> Result<usize, Error> {
    let mut at = pos;
    let mut steps = 0u32;
    let mut records = 0u64;
    let mut values = Extent::default();
    let mut formulas = Extent::default();
    let mut formula_at = (0u32, 0u32);
    let mut cell_text = 0u64;
    while let Some(r) = record(stream, at) {
        let r = r?;
        at += r.raw.len();
        let rc = |d: &[u8]| (u32::from(u16_at(d, 0)), u32::from(u16_at(d, 2)));
        match r.typ {
            // NUMBER, RK
            0x0203 | 0x027E => {
                r.need(if r.typ == 0x0203 { 14 } else { 10 }, "number")?;
                let (row, col) = rc(r.data);
                values.add(row, col);
                records += 1;
                out.extend_from_slice(&r.raw[..4 + r.data.len()]);
            }
            // LABEL
            0x0204 => {
                r.need(6, "label")?;
                cell_text += text.string(&r.data[6..])?;
                let (row, col) = rc(r.data);
                values.add(row, col);
                records += 1;
                out.extend_from_slice(&r.raw[..4 + r.data.len()]);
            }
            // BOOLERR
            0x0205 => {
                r.need(8, "boolean or error")?;
                match r.data[7] {
                    0 => {}
                    1 if error_code(r.data[6]) => {}
                    _ => return Err(bad("a boolean or error cell holds neither")),
                }
                let (row, col) = rc(r.data);
                values.add(row, col);
                records += 1;
                out.extend_from_slice(&r.raw[..4 + r.data.len()]);
            }
            // STRING: the text result of the FORMULA before it
            0x0207 => {
                cell_text += text.string(r.data)?;
                values.add(formula_at.0, formula_at.1);
                records += 1;
                out.extend_from_slice(&r.raw[..4 + r.data.len()]);
            }
            // LABELSST
            0x00FD => {
                r.need(10, "shared string cell")?;
                if let Some(&size) = sst.get(u32_at(r.data, 6) as usize) {
                    cell_text += u64::from(size);
                    let (row, col) = rc(r.data);
                    values.add(row, col);
                    records += 1;
                }
                out.extend_from_slice(&r.raw[..4 + r.data.len()]);
            }
            // MULRK: numbers in columns first ..= last of one row
            0x00BD => {
                r.need(6, "numbers")?;
                let first = u16_at(r.data, 2);
                let last = u16_at(r.data, r.data.len() - 2);
                if last < first || last - first == u16::MAX {
                    return Err(bad("a numbers record has its columns the wrong way round"));
                }
                let n = usize::from(last - first) + 1;
                if r.data.len() != 6 + 6 * n {
                    return Err(bad("a numbers record has the wrong length"));
                }
                let row = u32::from(u16_at(r.data, 0));
                values.add(row, u32::from(last));
                records += n as u64;
                out.extend_from_slice(&r.raw[..4 + r.data.len()]);
            }
            // FORMULA: its saved value stays, the formula itself becomes an empty one (cce = 1,
            // PtgMissArg), which calamine reads as ""
            0x0006 => {
                r.need(20, "formula")?;
                let (row, col) = rc(r.data);
                formula_at = (row, col);
                let v = &r.data[6..14];
                let value = if v[6..8] == [0xFF, 0xFF] {
                    match v[0] {
                        0 => false,
                        1 | 3 => true,
                        2 if error_code(v[2]) => true,
                        _ => return Err(bad("a formula's saved value is of no known type")),
                    }
                } else {
                    true
                };
                if value {
                    values.add(row, col);
                    records += 1;
                }
                formulas.add(row, col);
                records += 1;
                let mut data = r.data[..20].to_vec();
                data.extend_from_slice(&[0x01, 0x00, 0x16]);
                push_record(out, 0x0006, &data);
            }
            EOF => break,
            // DIMENSIONS (only a reservation to calamine), merged cells, everything else
            _ => {}
        }
        // stop early when the sheet alone is past a bound
        steps = steps.wrapping_add(1);
        if steps % 4096 == 0 {
            tally.check(records + values.cells() + formulas.cells(), 2 * cell_text)?;
        }
    }
    push_record(out, EOF, &[]);
    tally.cells(records + values.cells() + formulas.cells())?;
    // the strings are moved into the grid, and the chosen sheet's grid is copied once more
    tally.text(2 * cell_text)?;
    Ok(at - pos)
}

/// Checks and counts the workbook stream and writes the one calamine reads (see the module's
/// comment).
pub(crate) fn sanitize(stream: &[u8], tally: &mut Tally) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(stream.len().min(1 << 20));
    let mut text = Text {
        biff8: true,
        codepage: 1200,
    };
    let mut sst: Vec<u32> = Vec::new();
    // (where the position field is in `out`, the position, whether it is a worksheet)
    let mut sheets: Vec<(usize, usize, bool)> = Vec::new();
    let mut at = 0;
    while let Some(r) = record(stream, at) {
        let r = r?;
        at += r.raw.len();
        let record = &r.raw[..4 + r.data.len()];
        match r.typ {
            // FILEPASS
            0x002F => {
                r.need(2, "password")?;
                if u16_at(r.data, 0) != 0 {
                    return Err(Error::Encrypted {
                        format: Some(Format::Xls),
                    });
                }
            }
            // CODEPAGE
            0x0042 => {
                r.need(2, "codepage")?;
                text.codepage = u16_at(r.data, 0);
                out.extend_from_slice(record);
            }
            // DATE1904
            0x0022 => {
                r.need(2, "date system")?;
                out.extend_from_slice(record);
            }
            // FORMAT, XF: calamine checks their lengths itself
            0x041E | 0x00E0 => out.extend_from_slice(record),
            // BOUNDSHEET
            0x0085 => {
                r.need(8, "sheet")?;
                if r.data[4] & 0x3F > 2 || !matches!(r.data[5], 0 | 1 | 2 | 6) {
                    return Err(bad("a sheet is of no known kind"));
                }
                tally.sheet()?;
                sheets.push((out.len() + 4, u32_at(r.data, 0) as usize, r.data[5] == 0));
                out.extend_from_slice(record);
            }
            // BOF: the BIFF version decides how strings are stored
            0x0809 => {
                r.need(2, "beginning of file")?;
                let kind = if r.data.len() >= 4 {
                    u16_at(r.data, 2)
                } else {
                    0
                };
                text.biff8 = match u16_at(r.data, 0) {
                    0x0200 | 0x0002 | 0x0007 | 0x0300 | 0x0400 | 0x0500 => false,
                    0 => kind != 0x1000,
                    _ => true,
                };
                out.extend_from_slice(record);
            }
            // SST with its CONTINUE records
            0x00FC => {
                sst = shared_strings(&r, text, tally)?;
                out.extend_from_slice(r.raw);
            }
            EOF => break,
            _ => {}
        }
    }
    push_record(&mut out, EOF, &[]);

    let mut body = Vec::new();
    let mut read = 0usize;
    for &(field, pos, worksheet) in &sheets {
        let start = out.len() + body.len();
        out[field..field + 4].copy_from_slice(&(start as u32).to_le_bytes());
        if !worksheet {
            // a chart, macro or VBA sheet: calamine would read it, tierwise never shows it
            push_record(&mut body, EOF, &[]);
            continue;
        }
        if pos > stream.len() {
            return Err(bad("a sheet starts past the end of the workbook stream"));
        }
        read += sheet(stream, pos, text, &sst, tally, &mut body)?;
        if read > stream.len() + OVERLAP_SLACK {
            return Err(bad("the sheets' records overlap"));
        }
    }
    if out.len() + body.len() > u32::MAX as usize {
        return Err(bad("the workbook stream is too long"));
    }
    out.extend_from_slice(&body);
    Ok(out)
}
