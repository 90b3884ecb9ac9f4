//! The CSV writer of a sheet: cells arrive in row order with their spreadsheet position and
//! become RFC 4180 records that keep the spreadsheet's row numbers.
//!
//! Invariants:
//! - Row `r` (0-based) of the sheet is line `r + 1` of the CSV: an empty row, above or between the
//!   data, is an empty line (which the CSV reader skips but counts), and rows after the last used
//!   one are left out. So "row 12" in a rejection example is row 12 in Excel.
//! - Column `c` (0-based, A = 0) is field `c`: every non-empty row is padded with empty fields to
//!   the width of the widest row (as Excel's own "Save as CSV" does), so no row has more fields
//!   than the header. Empty rows are not padded (an all-empty record would be a rejected row).
//! - Fields holding `,` `;` `|` a tab, a quote or a line break are quoted, so the delimiter sniffer
//!   sees only the commas between fields.
//! - The bounds of [`Limits`] are checked as cells arrive, before memory is spent on them.

use crate::error::{Error, Limit};
use crate::Limits;

/// Cells came in an order other than row by row, left to right.
pub(crate) struct OutOfOrder;

/// What stopped the emitter.
pub(crate) enum Stop {
    /// A bound was reached, or the sheet is empty.
    Error(Error),
    /// Cells out of order: the caller sorts them and starts again.
    OutOfOrder(OutOfOrder),
}

impl From<Error> for Stop {
    fn from(e: Error) -> Self {
        Stop::Error(e)
    }
}

/// The CSV being written.
pub(crate) struct Emitter<'l> {
    out: Vec<u8>,
    limits: &'l Limits,
    /// The row being written and the fields written in it so far.
    row: Option<(u32, u32)>,
    /// Per non-empty row: the byte offset of its end (before its line break) and its width.
    ends: Vec<(usize, u32)>,
    width: u32,
}

impl<'l> Emitter<'l> {
    pub(crate) fn new(limits: &'l Limits) -> Self {
        Emitter {
            out: Vec::new(),
            limits,
            row: None,
            ends: Vec::new(),
            width: 0,
        }
    }

    /// Writes the non-empty field `text` at (row, col), both 0-based. The bounds are checked before
    /// anything is written: a first cell a billion rows down writes no line breaks.
    pub(crate) fn cell(&mut self, row: u32, col: u32, text: &str) -> Result<(), Stop> {
        // the line breaks and commas before the field, and the sheet's width with it
        let (breaks, commas, width) = match self.row {
            Some((r, n)) if r == row => {
                if col < n {
                    return Err(Stop::OutOfOrder(OutOfOrder));
                }
                (0, col - n + 1, self.width.max(col + 1))
            }
            Some((r, _)) if row < r => return Err(Stop::OutOfOrder(OutOfOrder)),
            Some((r, n)) => (row - r, col, self.width.max(n).max(col + 1)),
            None => (row, col, self.width.max(col + 1)),
        };
        let cells = (u64::from(row) + 1) * u64::from(width);
        if cells > self.limits.max_cells {
            return Err(Error::TooLarge(Limit::Cells {
                max: self.limits.max_cells,
            })
            .into());
        }
        let csv = self.out.len() as u64 + u64::from(breaks) + u64::from(commas);
        if csv + text.len() as u64 > self.limits.max_csv_bytes {
            return Err(Error::TooLarge(Limit::CsvBytes {
                max: self.limits.max_csv_bytes,
            })
            .into());
        }
        match self.row {
            Some((r, n)) if r != row => {
                self.end_row(r, n);
                self.out
                    .extend(std::iter::repeat_n(b'\n', (breaks - 1) as usize));
            }
            Some(_) => {}
            None => self.out.extend(std::iter::repeat_n(b'\n', breaks as usize)),
        }
        self.out.extend(std::iter::repeat_n(b',', commas as usize));
        push_field(&mut self.out, text);
        self.row = Some((row, col + 1));
        if self.out.len() as u64 > self.limits.max_csv_bytes {
            return Err(Error::TooLarge(Limit::CsvBytes {
                max: self.limits.max_csv_bytes,
            })
            .into());
        }
        Ok(())
    }

    fn end_row(&mut self, _row: u32, fields: u32) {
        self.ends.push((self.out.len(), fields));
        self.width = self.width.max(fields);
        self.out.push(b'\n');
    }

    /// Ends the last row and pads every non-empty row to the widest one. `None` when no cell was
    /// written (an empty sheet).
    pub(crate) fn finish(mut self) -> Result<Option<Vec<u8>>, Error> {
        let Some((r, n)) = self.row else {
            return Ok(None);
        };
        self.end_row(r, n);
        let width = self.width;
        let pad: u64 = self.ends.iter().map(|&(_, w)| u64::from(width - w)).sum();
        if self.out.len() as u64 + pad > self.limits.max_csv_bytes {
            return Err(Error::TooLarge(Limit::CsvBytes {
                max: self.limits.max_csv_bytes,
            }));
        }
        // in place, from the back: each byte moves once
        let mut shift = pad as usize;
        let mut end = self.out.len();
        self.out.resize(end + shift, 0);
        for &(row_end, w) in self.ends.iter().rev() {
            if shift == 0 {
                break;
            }
            self.out.copy_within(row_end..end, row_end + shift);
            let p = (width - w) as usize;
            shift -= p;
            self.out[row_end + shift..row_end + shift + p].fill(b',');
            end = row_end;
        }
        Ok(Some(self.out))
    }
}

/// Appends `text` as one CSV field, quoted when it holds a delimiter candidate, a quote or a line
/// break.
fn push_field(out: &mut Vec<u8>, text: &str) {
    let needs = text
        .bytes()
        .any(|b| matches!(b, b',' | b';' | b'|' | b'\t' | b'"' | b'\r' | b'\n'));
    if !needs {
        out.extend_from_slice(text.as_bytes());
        return;
    }
    out.push(b'"');
    for b in text.bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(cells: &[(u32, u32, &str)]) -> String {
        let limits = Limits::default();
        let mut e = Emitter::new(&limits);
        for &(r, c, t) in cells {
            assert!(e.cell(r, c, t).is_ok());
        }
        String::from_utf8(e.finish().unwrap().unwrap()).unwrap()
    }

    #[test]
    fn rows_keep_their_numbers_and_are_padded_to_the_widest() {
        // A1 B1 / (empty row 2) / A3 … D3 / B4
        let got = csv(&[
            (0, 0, "id"),
            (0, 1, "date"),
            (2, 0, "A"),
            (2, 3, "x"),
            (3, 1, "2024-01-05"),
        ]);
        assert_eq!(got, "id,date,,\n\nA,,,x\n,2024-01-05,,\n");
    }

    #[test]
    fn leading_empty_rows_and_columns_stay_in_place() {
        // the first cell is C3
        assert_eq!(csv(&[(2, 2, "id"), (3, 2, "A")]), "\n\n,,id\n,,A\n");
    }

    #[test]
    fn fields_with_delimiters_quotes_or_breaks_are_quoted() {
        let got = csv(&[
            (0, 0, "a,b"),
            (0, 1, "say \"hi\""),
            (0, 2, "x;y"),
            (0, 3, "two\nlines"),
            (0, 4, "plain"),
        ]);
        assert_eq!(
            got,
            "\"a,b\",\"say \"\"hi\"\"\",\"x;y\",\"two\nlines\",plain\n"
        );
    }

    #[test]
    fn out_of_order_cells_are_noticed() {
        let limits = Limits::default();
        let mut e = Emitter::new(&limits);
        assert!(e.cell(1, 1, "a").is_ok());
        assert!(matches!(e.cell(1, 0, "b"), Err(Stop::OutOfOrder(_))));
        assert!(matches!(e.cell(0, 5, "b"), Err(Stop::OutOfOrder(_))));
    }

    #[test]
    fn bounds_stop_the_sheet_early() {
        let limits = Limits {
            max_cells: 10,
            ..Limits::default()
        };
        let mut e = Emitter::new(&limits);
        assert!(e.cell(0, 4, "x").is_ok()); // 1 row × 5 columns
        assert!(e.cell(1, 0, "y").is_ok()); // 2 × 5
        assert!(matches!(
            e.cell(2, 0, "z"), // 3 × 5
            Err(Stop::Error(Error::TooLarge(Limit::Cells { max: 10 })))
        ));
        let limits = Limits {
            max_csv_bytes: 8,
            ..Limits::default()
        };
        let mut e = Emitter::new(&limits);
        assert!(e.cell(0, 0, "12345678").is_ok());
        assert!(matches!(
            e.cell(0, 1, "9"),
            Err(Stop::Error(Error::TooLarge(Limit::CsvBytes { max: 8 })))
        ));
    }

    #[test]
    fn a_far_first_cell_is_refused_before_its_line_breaks_are_written() {
        // a first cell at row 4,000,000,001 would be four billion line breaks
        let limits = Limits::default();
        let mut e = Emitter::new(&limits);
        assert!(matches!(
            e.cell(4_000_000_000, 0, "x"),
            Err(Stop::Error(Error::TooLarge(Limit::Cells { .. })))
        ));
        assert!(e.out.is_empty());
        let limits = Limits {
            max_csv_bytes: 1000,
            ..Limits::default()
        };
        let mut e = Emitter::new(&limits);
        assert!(e.cell(0, 0, "a").is_ok());
        assert!(matches!(
            e.cell(5000, 0, "b"),
            Err(Stop::Error(Error::TooLarge(Limit::CsvBytes { max: 1000 })))
        ));
        assert_eq!(e.out, b"a");
    }
}
