//! Dimension columns while reading (`docs/input.md#dimensions`): each valid row's value in every
//! mapped dimension column, interned per column and kept beside the row's event, so that the facts
//! step can give each customer the value on most of their order rows.
//!
//! Bounds: at most [`MAX_DIMENSION_VALUES`] distinct values (and [`MAX_DIMENSION_BYTES`] of value
//! text) per column; a row whose value would pass them counts as empty and the summary warns. The
//! memory is 4 bytes per event and column, only when dimensions are mapped.

use crate::ingest::blocks::BlockVec;
use crate::ingest::intern::Ids;

/// Most distinct values one dimension column holds.
pub const MAX_DIMENSION_VALUES: usize = 100_000;

/// Most bytes of value text one dimension column holds (16 MiB).
pub const MAX_DIMENSION_BYTES: usize = 16 << 20;

/// The value number of an empty value (or of one past the bounds).
pub const EMPTY: u32 = u32::MAX;

/// The dimension values of the rows read so far.
pub(crate) struct DimLog {
    /// Per column: its distinct values.
    pub(crate) names: Vec<Ids>,
    /// Per column: the value number of each event (parallel to the events).
    pub(crate) cols: Vec<BlockVec<u32>>,
    /// Per column: a value was refused by the bounds.
    pub(crate) capped: Vec<bool>,
    /// The current row's value numbers (scratch).
    pub(crate) row: Vec<u32>,
}

impl DimLog {
    /// A log for `n` columns.
    pub(crate) fn new(n: usize) -> DimLog {
        DimLog {
            names: (0..n)
                .map(|_| {
                    let mut ids = Ids::default();
                    ids.limits = Some((MAX_DIMENSION_BYTES, MAX_DIMENSION_VALUES));
                    ids
                })
                .collect(),
            cols: (0..n).map(|_| BlockVec::new()).collect(),
            capped: vec![false; n],
            row: vec![EMPTY; n],
        }
    }

    /// Reads the current row's values (`field(k)`: the trimmed value of dimension `k`) into `row`.
    pub(crate) fn read<'a>(&mut self, field: impl Fn(usize) -> &'a [u8]) {
        for k in 0..self.names.len() {
            let v = field(k);
            self.row[k] = if v.is_empty() {
                EMPTY
            } else {
                match self.names[k].intern(v) {
                    Some(id) => id,
                    None => {
                        self.capped[k] = true;
                        EMPTY
                    }
                }
            };
        }
    }

    /// True when the last event's values equal the current row's (so the row may merge into it).
    pub(crate) fn same_as_last(&self) -> bool {
        self.cols
            .iter()
            .zip(&self.row)
            .all(|(c, &v)| !c.is_empty() && c.get(c.len() - 1) == v)
    }

    /// Appends the current row's values (a new event was pushed).
    pub(crate) fn push(&mut self) {
        for (c, &v) in self.cols.iter_mut().zip(&self.row) {
            c.push(v);
        }
    }

    /// Moves the values of event `from` to position `to` (`to ≤ from`), when events are compacted.
    pub(crate) fn shift(&mut self, from: usize, to: usize) {
        if from != to {
            for c in self.cols.iter_mut() {
                let v = c.get(from);
                c.set(to, v);
            }
        }
    }

    /// Keeps the first `len` events' values.
    pub(crate) fn truncate(&mut self, len: usize) {
        for c in self.cols.iter_mut() {
            c.truncate(len);
        }
    }
}
