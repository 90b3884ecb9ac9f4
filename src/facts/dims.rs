//! Per-customer dimension values (`docs/input.md#dimensions`): each customer gets, per mapped
//! dimension column, the value on most of their order rows up to the analysis date. Returns do not
//! count, nor do empty values; a tie goes to the value of the latest order (by date), then to the
//! value first in code-point order. Time of day and file order are not used, so the result does not
//! depend on how the file is sorted. A customer with no value is empty.
//!
//! Working memory: one entry per order event of the customer being looked at (reused from one
//! customer to the next), so nothing grows with customers × values.

use crate::ingest::blocks::BlockVec;
use crate::ingest::dims::{DimLog, EMPTY};
use crate::ingest::intern::IdTable;
use crate::ingest::rows::{Event, COUNT_MASK, COUNT_SHIFT, RETURN_BIT};

/// One dimension column's values per customer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DimensionColumn {
    /// The column's name: its header name, or `column N` without a header.
    pub name: String,
    /// The column's 0-based position.
    pub index: usize,
    /// The distinct values (the numbers of `of_id` index this).
    pub values: IdTable,
    /// Per customer id number (as [`crate::CustomerRow::id`]): the customer's value, or
    /// [`EMPTY`].
    pub of_id: Vec<u32>,
    /// Some rows' values were past the bounds of `crate::ingest::dims` and counted as empty.
    pub capped: bool,
}

impl DimensionColumn {
    /// The value of the customer with id number `id` (empty when they have none).
    pub fn value_of(&self, id: u32) -> &[u8] {
        match self.of_id.get(id as usize) {
            Some(&v) if v != EMPTY => self.values.bytes(v),
            _ => &[],
        }
    }
}

/// Each customer's value per column of `log`, from the events grouped by customer (`order`, with
/// customer `c`'s events at `order[starts[c] .. starts[c + 1]]`).
pub(crate) fn modes(
    mut log: DimLog,
    events: &BlockVec<Event>,
    order: &[u32],
    starts: &[u32],
    analysis_day: i32,
) -> Vec<DimensionColumn> {
    let customers = starts.len().saturating_sub(1);
    let mut out = Vec::with_capacity(log.cols.len());
    // one customer's order events: `(value << 32 | i)` sorted (an `i64` sort, as the facts use),
    // with `(rows, day)` of entry i beside it
    let mut keys: Vec<i64> = Vec::new();
    let mut facts: Vec<(u64, i32)> = Vec::new();
    for (k, col) in log.cols.iter().enumerate() {
        let values = log.names[k].take_ids();
        let mut of_id = vec![EMPTY; customers];
        for (c, slot) in of_id.iter_mut().enumerate() {
            keys.clear();
            facts.clear();
            for &i in &order[starts[c] as usize..starts[c + 1] as usize] {
                let e = events.get(i as usize);
                let v = col.get(i as usize);
                if v == EMPTY || e.order & RETURN_BIT != 0 || e.day > analysis_day {
                    continue;
                }
                let rows = ((e.order & COUNT_MASK) >> COUNT_SHIFT) + 1;
                keys.push(i64::from(v) << 32 | facts.len() as i64);
                facts.push((rows, e.day));
            }
            *slot = mode(&mut keys, &facts, &values);
        }
        out.push(DimensionColumn {
            values,
            of_id,
            capped: log.capped[k],
            ..DimensionColumn::default()
        });
    }
    out
}

/// The winning value among order events given as `keys` (`value << 32 | i`) with `facts[i]` =
/// `(rows, day)`: most rows, then the latest day, then the value first in code-point (UTF-8 byte)
/// order; [`EMPTY`] without events. (Values are below [`crate::ingest::dims::MAX_DIMENSION_VALUES`],
/// one customer's events below 2³², so the keys are positive.)
fn mode(keys: &mut [i64], facts: &[(u64, i32)], values: &IdTable) -> u32 {
    keys.sort_unstable();
    let value = |k: i64| (k >> 32) as u32;
    let fact = |k: i64| {
        facts
            .get((k & 0xFFFF_FFFF) as usize)
            .copied()
            .unwrap_or((0, 0))
    };
    let mut best: Option<(u32, u64, i32)> = None;
    let mut i = 0;
    while i < keys.len() {
        let v = value(keys[i]);
        let (mut rows, mut day) = (0u64, i32::MIN);
        while i < keys.len() && value(keys[i]) == v {
            let (r, d) = fact(keys[i]);
            rows += r;
            day = day.max(d);
            i += 1;
        }
        let better = match best {
            None => true,
            Some((bv, brows, bday)) => (rows, day)
                .cmp(&(brows, bday))
                .then_with(|| values.bytes(bv).cmp(values.bytes(v)))
                .is_gt(),
        };
        if better {
            best = Some((v, rows, day));
        }
    }
    best.map_or(EMPTY, |b| b.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(names: &[&str]) -> IdTable {
        let mut ids = crate::ingest::intern::Ids::default();
        for n in names {
            ids.intern(n.as_bytes());
        }
        ids.take_ids()
    }

    #[test]
    fn most_rows_then_latest_day_then_code_point_order() {
        let t = table(&["DE", "AT", "CH"]);
        // (value, rows, day) → keys and facts
        let run = |entries: &[(u32, u64, i32)]| {
            let mut keys: Vec<i64> = (0..entries.len())
                .map(|i| i64::from(entries[i].0) << 32 | i as i64)
                .collect();
            let facts: Vec<(u64, i32)> = entries.iter().map(|e| (e.1, e.2)).collect();
            mode(&mut keys, &facts, &t)
        };
        // DE 2 rows, AT 1 row
        assert_eq!(run(&[(0, 1, 5), (1, 1, 9), (0, 1, 3)]), 0);
        // one row each: AT is later
        assert_eq!(run(&[(0, 1, 5), (1, 1, 9)]), 1);
        // one row each on the same day: AT before DE in code-point order
        assert_eq!(run(&[(0, 1, 9), (1, 1, 9)]), 1);
        // merged order lines count as their rows
        assert_eq!(run(&[(2, 3, 1), (0, 1, 9), (0, 1, 9)]), 2);
        assert_eq!(run(&[]), EMPTY);
    }
}
