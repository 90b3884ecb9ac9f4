//! Grouping: the valid rows' events grouped by customer (a counting sort of positions), handed to
//! the facts step customer by customer.

use crate::error::Result;
use crate::facts::{self, Row};
use crate::ingest::money::Money;
use crate::ingest::rows::{Acc, COUNT_MASK, COUNT_SHIFT, RETURN_BIT, SIGNAL_BIT};
use crate::options::Options;

/// Groups events by customer (counting sort) and computes each customer's facts, on up to
/// `threads` threads (native only; the result does not depend on it).
pub(crate) fn aggregate(
    acc: &mut Acc,
    opts: &Options,
    phases: &mut crate::clock::Phases,
    threads: usize,
) -> Result<facts::Facts> {
    let analysis_day = match opts.analysis_day()? {
        Some(day) => day,
        None => acc.events.iter().map(|e| e.day).max().unwrap_or(0),
    };
    let n = acc.ids.len();
    let mut starts = vec![0u32; n + 1];
    for e in acc.events.iter() {
        starts[e.customer as usize + 1] += 1;
    }
    for i in 0..n {
        starts[i + 1] += starts[i];
    }
    // group the events by customer through an index (a counting sort of 4-byte positions rather
    // than of the 24-byte events: no second copy of the events); the per-customer pass reads the
    // index in order and gathers the events, whose addresses are known ahead, so loads overlap
    let events = std::mem::take(&mut acc.events);
    let mut fill = starts.clone();
    let mut order = vec![0u32; events.len()];
    for (i, e) in events.iter().enumerate() {
        let slot = &mut fill[e.customer as usize];
        order[*slot as usize] = i as u32;
        *slot += 1;
    }
    drop(fill);
    phases.mark("group by customer");
    let ids = acc.ids.take_ids();
    acc.ids.free_index(); // lookups are over: free the table before the facts
    let rows_of = |c: usize, buf: &mut Vec<Row>| {
        for &i in &order[starts[c] as usize..starts[c + 1] as usize] {
            let e = events.get(i as usize);
            buf.push(Row {
                day: e.day,
                order: e.order & !(RETURN_BIT | COUNT_MASK | SIGNAL_BIT),
                signal: e.order & SIGNAL_BIT != 0,
                amount: e.amount as Money,
                is_return: e.order & RETURN_BIT != 0,
                rows: ((e.order & COUNT_MASK) >> COUNT_SHIFT) as u32 + 1,
            });
        }
    };
    let r = facts::compute_grouped_on(ids, &rows_of, analysis_day, opts, threads);
    phases.mark("facts");
    let dimensions = match (acc.dims.take(), &r) {
        (Some(log), Ok(_)) => {
            crate::facts::dims::modes(log, &events, &order, &starts, analysis_day)
        }
        _ => Vec::new(),
    };
    // the events are no longer needed: free them before sorting (peak memory)
    drop(order);
    drop(events);
    let mut facts = r?;
    facts.dimensions = dimensions;
    facts.excluded.filtered_out = acc.filtered_out;
    facts.sort_by_id();
    phases.mark("sort by id");
    Ok(facts)
}
