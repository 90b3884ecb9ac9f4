//! What calamine would hold, counted before it opens the file (`docs/input.md#workbook-limits-and-memory`).
//!
//! calamine reads every sheet of an `.ods` or `.xls` into memory when it opens the file, so the
//! bounds on cells and text must act before it does: [`ods`] reads `content.xml` as calamine does,
//! without keeping the cells, and [`xls`] checks and rewrites the workbook stream (taken out of its
//! compound file by [`cfb`]) that calamine then reads. Both add up, in a [`Tally`], what calamine
//! would keep: the cells (each sheet's grids, rows × columns from A1 to the last cell, and the cells
//! as read before the grids are made), the text (every copy of every string), and the sheets.
//! `.xlsx` and `.xlsb` sheets are streamed one cell at a time and need no such count (their bounds
//! act as the cells arrive, in the emitter).

pub(crate) mod cfb;
pub(crate) mod ods;
pub(crate) mod xls;

use crate::error::{Error, Limit};
use crate::Limits;

/// The running count of what calamine would hold, checked against [`Limits`] as it grows.
pub(crate) struct Tally<'l> {
    limits: &'l Limits,
    cells: u64,
    text: u64,
    sheets: u64,
}

impl<'l> Tally<'l> {
    pub(crate) fn new(limits: &'l Limits) -> Self {
        Tally {
            limits,
            cells: 0,
            text: 0,
            sheets: 0,
        }
    }

    /// One more sheet ([`Limits::max_sheets`]).
    pub(crate) fn sheet(&mut self) -> Result<(), Error> {
        self.sheets += 1;
        if self.sheets > self.limits.max_sheets {
            return Err(Error::TooLarge(Limit::Sheets {
                max: self.limits.max_sheets,
            }));
        }
        Ok(())
    }

    /// `n` more cells.
    pub(crate) fn cells(&mut self, n: u64) -> Result<(), Error> {
        self.cells = self.cells.saturating_add(n);
        self.check(0, 0)
    }

    /// `n` more bytes of text.
    pub(crate) fn text(&mut self, n: u64) -> Result<(), Error> {
        self.text = self.text.saturating_add(n);
        self.check(0, 0)
    }

    /// Whether the counts so far and those of a sheet being read stay within [`Limits::max_cells`]
    /// and [`Limits::max_csv_bytes`].
    pub(crate) fn check(&self, cells: u64, text: u64) -> Result<(), Error> {
        if self.cells.saturating_add(cells) > self.limits.max_cells {
            return Err(Error::TooLarge(Limit::WorkbookCells {
                max: self.limits.max_cells,
            }));
        }
        if self.text.saturating_add(text) > self.limits.max_csv_bytes {
            return Err(Error::TooLarge(Limit::WorkbookText {
                max: self.limits.max_csv_bytes,
            }));
        }
        Ok(())
    }
}
