//! Reading one file as several byte ranges at once (`docs/speed.md#ranges`): each range is read by
//! its own reader, on its own thread or in its own web worker, and the first reader absorbs the
//! others in file order. The result is the one a single reader gives, exactly:
//!
//! - **Decisions**: every reader takes them from the same head (the file's first MiB); a part
//!   carries a hash of its head and is refused when it differs.
//! - **Boundaries**: a range after the first starts just after a line feed. That is a record
//!   boundary when the range before ended with nothing pending in its tokenizer, which, read from a
//!   true boundary, it only does at one; by induction from the file's start every boundary is
//!   confirmed, or the merge is refused (a quoted field holding the line feed) and the caller reads
//!   the file with one reader.
//! - **Text**: only plain UTF-8 ranges merge. A range with a byte that is not UTF-8, or a file in
//!   another encoding, is refused: its decoding and the encoding guess need the whole file in order.
//! - **Rows**: each range numbers its rows from 1; the merge adds the rows of the ranges before
//!   (line ends less those inside quotes, as the tokenizer counts them) to every row it keeps.
//! - **Ids**: customers, categories and dimension values are numbered in the order they first
//!   appear; interning a part's ids into the first reader's tables in the part's own order gives
//!   every id the number a single reader gives it, and the same refusals at the bounds.
//! - **First examples**: each part keeps its first 20 of each kind, so the first 20 of the file are
//!   among them; counts add up.
//!
//! A part crosses between web workers as bytes ([`Part::to_bytes`], [`Part::from_bytes`]); a bad
//! or foreign buffer is refused, never trusted.

use crate::ingest::blocks::BlockVec;
use crate::ingest::intern::IdTable;
use crate::ingest::quality::{RejectExample, RejectStat, MAX_EXAMPLES};
use crate::ingest::reader::Reader;
use crate::ingest::rows::{Deferred, Event, KEY_MASK, UNIQUE_BIT};
use crate::messages::Message;
use std::collections::BTreeMap;

/// `(customer << 32 | category, (first day, first day under the other month/day reading))`.
type CategoryEntry = (u64, (i32, i32));

/// A dimension column of a part: its values, each event's value number, whether one was refused.
type DimColumn = (IdTable, BlockVec<u32>, bool);

/// What the reader of one byte range leaves for the merge.
pub(crate) struct Part {
    /// Hash of the head its decisions were taken from.
    head_hash: u64,
    /// The text was plain UTF-8 ([`Reader::plain_utf8`]).
    plain: bool,
    /// The range ended at a record boundary (nothing pending before the end of input).
    clean: bool,
    /// Spreadsheet rows the range took.
    rows_taken: u64,
    /// Bytes of the range.
    bytes: u64,
    rows: u64,
    ids_full: bool,
    filtered_out: u64,
    next_unique: u64,
    primary_only: u64,
    alt_only: u64,
    primary_fits: u64,
    other_fits: Vec<u64>,
    votes: [[u64; 2]; 3],
    deferred_more: [u64; 2],
    events: BlockVec<Event>,
    alt_days: Vec<i32>,
    ids: IdTable,
    rejected: BTreeMap<String, RejectStat>,
    primary_misses: Vec<(u64, String)>,
    alt_misses: Vec<(u64, String)>,
    deferred: Vec<Deferred>,
    /// Category names and `(customer << 32 | category) → (first day, first day under the other
    /// month/day reading)`.
    categories: Option<(IdTable, Vec<CategoryEntry>)>,
    /// Per dimension column: its values, each event's value number, whether a value was refused.
    dims: Option<Vec<DimColumn>>,
}

impl Part {
    /// Ends a range's reader: notes whether it stopped at a record boundary, reads what a last
    /// record without a line end holds, and takes what it accumulated.
    pub(crate) fn end(mut reader: Reader) -> Part {
        reader.settle();
        let (clean, _) = reader.boundary();
        let plain = reader.plain_utf8();
        reader.flush();
        let (_, rows_taken) = reader.boundary();
        let bytes = reader.progress().bytes;
        let head_hash = reader.head_hash;
        let acc = &mut reader.acc;
        Part {
            head_hash,
            plain,
            clean,
            rows_taken,
            bytes,
            rows: acc.rows,
            ids_full: acc.ids_full,
            filtered_out: acc.filtered_out,
            next_unique: acc.next_unique,
            primary_only: acc.primary_only,
            alt_only: acc.alt_only,
            primary_fits: acc.primary_fits,
            other_fits: acc.other_fits.to_vec(),
            votes: acc.votes,
            deferred_more: acc.deferred_more,
            events: std::mem::take(&mut acc.events),
            alt_days: std::mem::take(&mut acc.alt_days),
            ids: acc.ids.take_ids(),
            rejected: std::mem::take(&mut acc.report.rejected),
            primary_misses: std::mem::take(&mut acc.primary_misses),
            alt_misses: std::mem::take(&mut acc.alt_misses),
            deferred: std::mem::take(&mut acc.deferred),
            categories: acc.categories.take().map(|mut log| {
                let first: Vec<(u64, (i32, i32))> = log.first.drain().collect();
                (log.names.take_ids(), first)
            }),
            dims: acc.dims.take().map(|mut d| {
                let cols = std::mem::take(&mut d.cols);
                d.names
                    .iter_mut()
                    .zip(cols)
                    .zip(&d.capped)
                    .map(|((names, col), &capped)| (names.take_ids(), col, capped))
                    .collect()
            }),
        }
    }

    /// Bytes of the range.
    pub(crate) fn bytes(&self) -> u64 {
        self.bytes
    }
}

/// Why a part was refused (the caller then reads the file with one reader).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The first reader has not read its head yet (its range is shorter than the head).
    Undecided,
    /// The part's decisions come from another head.
    OtherHead,
    /// A range is not plain UTF-8.
    NotPlainUtf8,
    /// The range before did not end at a record boundary (a quoted field spans the cut).
    Boundary,
    /// The part's columns differ from the first reader's (dimension or category logs), or the first
    /// reader taps its rows ([`crate::Analyzer::tap_rows`]; a part does not carry them).
    Mismatch,
    /// The part's bytes could not be read (not from [`crate::RangePart::into_bytes`], or a message this format
    /// does not carry).
    Unreadable,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Refused::Undecided => "the first range is shorter than the head",
            Refused::OtherHead => "the part was decided from another head",
            Refused::NotPlainUtf8 => "a range is not plain UTF-8",
            Refused::Boundary => "a range does not end at a record boundary",
            Refused::Mismatch => "the part's columns differ from the first range's",
            Refused::Unreadable => "the part's bytes could not be read",
        })
    }
}

/// Shifts an example's row (and the row in its message) by `offset`.
fn shift_example(mut ex: RejectExample, offset: u64) -> RejectExample {
    let row = (u64::from(ex.row) + offset) as u32;
    ex.row = row;
    if let Message::AtRow { problem, .. } = ex.message_code {
        let coded = Message::AtRow { row, problem };
        ex.message = coded.en();
        ex.message_code = coded;
    }
    ex
}

/// Absorbs `part`, the next byte range of the file, into `reader` (the first range's reader, or
/// one that absorbed the ranges before). On `Err` the reader is left half merged: drop it.
pub(crate) fn absorb(reader: &mut Reader, mut part: Part) -> Result<(), Refused> {
    let events = std::mem::take(&mut part.events);
    let n = events.len();
    absorb_with(reader, part, n, events.into_values())
}

/// Absorbs a part from its bytes ([`Part::to_bytes`]) without decoding its events first: they go
/// from the bytes straight into the merged table, so the merge holds no second copy of them.
pub(crate) fn absorb_bytes(reader: &mut Reader, bytes: &[u8]) -> Result<(), Refused> {
    let Some((part, raw)) = Part::from_bytes_view(bytes) else {
        return Err(Refused::Unreadable);
    };
    let n = raw.len() / EVENT_BYTES;
    absorb_with(reader, part, n, raw.chunks_exact(EVENT_BYTES).map(event_of))
}

/// Absorbs a part of `len` bytes that `read(offset, buf)` copies out piece by piece (a part in
/// another memory: the JavaScript array a web worker posted). Only the part without its events is
/// copied whole; the events are read a MiB at a time, so the merge never holds the part twice.
pub(crate) fn absorb_from(
    reader: &mut Reader,
    len: usize,
    read: &mut dyn FnMut(usize, &mut [u8]),
) -> Result<(), Refused> {
    let mut header = [0u8; HEADER_BYTES];
    if len < HEADER_BYTES {
        return Err(Refused::Unreadable);
    }
    read(0, &mut header);
    let meta_len = meta_length(&header).ok_or(Refused::Unreadable)?;
    let events_at = HEADER_BYTES
        .checked_add(meta_len)
        .and_then(|n| n.checked_add(8))
        .filter(|&n| n <= len)
        .ok_or(Refused::Unreadable)?;
    let mut meta = vec![0u8; meta_len + 8];
    read(HEADER_BYTES, &mut meta);
    let part = Part::from_meta(&meta[..meta_len]).ok_or(Refused::Unreadable)?;
    let mut count = [0u8; 8];
    count.copy_from_slice(&meta[meta_len..]);
    drop(meta);
    let n = usize::try_from(u64::from_le_bytes(count)).map_err(|_| Refused::Unreadable)?;
    if n.checked_mul(EVENT_BYTES) != Some(len - events_at) {
        return Err(Refused::Unreadable);
    }
    // the events in pieces of a MiB; a day no reader gives stops the merge (checked as they come)
    let per_piece = (1 << 20) / EVENT_BYTES;
    let mut piece = vec![0u8; per_piece * EVENT_BYTES];
    let (mut at, mut left, mut filled, mut used) = (events_at, n, 0usize, 0usize);
    let bad = std::cell::Cell::new(false);
    let events = std::iter::from_fn(|| {
        if used == filled {
            if left == 0 {
                return None;
            }
            let k = left.min(per_piece);
            read(at, &mut piece[..k * EVENT_BYTES]);
            at += k * EVENT_BYTES;
            left -= k;
            filled = k;
            used = 0;
        }
        let e = event_of(&piece[used * EVENT_BYTES..(used + 1) * EVENT_BYTES]);
        used += 1;
        if !plausible_day(e.day) {
            bad.set(true);
            return None;
        }
        Some(e)
    });
    absorb_with(reader, part, n, events)?;
    if bad.get() {
        reader.spoiled = true;
        return Err(Refused::Unreadable);
    }
    Ok(())
}

/// The length of the part between its header and its events, from the header.
fn meta_length(header: &[u8]) -> Option<usize> {
    if header.len() < HEADER_BYTES || &header[..MAGIC.len()] != MAGIC {
        return None;
    }
    let mut w = [0u8; 8];
    w.copy_from_slice(&header[MAGIC.len()..HEADER_BYTES]);
    usize::try_from(u64::from_le_bytes(w)).ok()
}

/// The header of an encoded part: its magic bytes, then the length of what comes before its events.
const HEADER_BYTES: usize = MAGIC.len() + 8;

/// Bytes of one encoded event.
const EVENT_BYTES: usize = 24;

/// The largest count or row number a part's bytes may hold (2⁴⁸).
const MAX_COUNT: u64 = 1 << 48;

/// Day numbers a reader can give (days from CE of years 1–9999, with room), besides `i32::MIN` (a
/// date the provisional reading could not read). A part with any other is refused: the facts step
/// relies on dates a parser gives.
fn plausible_day(d: i32) -> bool {
    d == i32::MIN || (-1..=3_700_000).contains(&d)
}

/// An event from its 24 encoded bytes (customer, day, order, amount; little-endian).
fn event_of(b: &[u8]) -> Event {
    let word = |at: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[at..at + 8]);
        w
    };
    let head = word(0);
    Event {
        customer: u32::from_le_bytes([head[0], head[1], head[2], head[3]]),
        day: i32::from_le_bytes([head[4], head[5], head[6], head[7]]),
        order: u64::from_le_bytes(word(8)),
        amount: i64::from_le_bytes(word(16)),
    }
}

/// [`absorb`] with the part's `n` events given apart.
fn absorb_with(
    reader: &mut Reader,
    part: Part,
    n: usize,
    events: impl Iterator<Item = Event>,
) -> Result<(), Refused> {
    if !reader.decided() {
        return Err(Refused::Undecided);
    }
    if part.head_hash != reader.head_hash {
        return Err(Refused::OtherHead);
    }
    if !part.plain || !reader.plain_utf8() {
        return Err(Refused::NotPlainUtf8);
    }
    if reader.absorbed.is_none() {
        reader.settle();
    }
    let (own_clean, own_rows) = reader.boundary();
    let (before, clean) = reader.absorbed.unwrap_or((0, own_clean));
    if !clean {
        return Err(Refused::Boundary);
    }
    let dims_match = match (reader.acc.dims.as_ref(), part.dims.as_ref()) {
        (None, None) => true,
        (Some(log), Some(cols)) => log.names.len() == cols.len(),
        _ => false,
    };
    let alt_match = part.alt_days.is_empty() || part.alt_days.len() == n;
    let dims_len = part
        .dims
        .as_ref()
        .is_none_or(|cols| cols.iter().all(|(_, col, _)| col.len() == n));
    // a part whose own table of a dimension's values was full stored an empty value where the merged
    // table may know it: one reader would keep it, so such a part is not merged
    let dims_capped = part
        .dims
        .as_ref()
        .is_some_and(|cols| cols.iter().any(|(_, _, capped)| *capped));
    if !dims_match
        || !alt_match
        || !dims_len
        || dims_capped
        || reader.acc.categories.is_some() != part.categories.is_some()
        || reader.acc.rows_read.is_some()
    {
        return Err(Refused::Mismatch);
    }
    let offset = own_rows + before;
    reader.absorbed = Some((before + part.rows_taken, part.clean));
    reader.add_bytes(part.bytes);
    let acc = &mut reader.acc;
    acc.rows += part.rows;
    acc.ids_full |= part.ids_full;
    acc.filtered_out += part.filtered_out;
    acc.primary_only += part.primary_only;
    acc.alt_only += part.alt_only;
    acc.primary_fits += part.primary_fits;
    for (a, b) in acc.other_fits.iter_mut().zip(&part.other_fits) {
        *a += b;
    }
    for (a, b) in acc.votes.iter_mut().zip(&part.votes) {
        a[0] += b[0];
        a[1] += b[1];
    }
    for (code, stat) in part.rejected {
        let into = acc.report.rejected.entry(code).or_default();
        into.count += stat.count;
        let room = MAX_EXAMPLES.saturating_sub(into.examples.len());
        into.examples.extend(
            stat.examples
                .into_iter()
                .take(room)
                .map(|ex| shift_example(ex, offset)),
        );
    }
    for (into, from) in [
        (&mut acc.primary_misses, part.primary_misses),
        (&mut acc.alt_misses, part.alt_misses),
    ] {
        let room = MAX_EXAMPLES.saturating_sub(into.len());
        into.extend(from.into_iter().take(room).map(|(r, v)| (r + offset, v)));
    }
    for (k, more) in part.deferred_more.iter().enumerate() {
        acc.deferred_more[k] += more;
    }
    for mut d in part.deferred {
        let kind = d.primary_fits;
        if acc
            .deferred
            .iter()
            .filter(|e| e.primary_fits == kind)
            .count()
            >= MAX_EXAMPLES
        {
            acc.deferred_more[usize::from(kind)] += 1;
        } else {
            d.row += offset;
            acc.deferred.push(d);
        }
    }
    // customers: the part's numbers → the merged table's, in the part's order of first appearance
    const GONE: u32 = u32::MAX;
    let customers: Vec<u32> = (0..part.ids.len() as u32)
        .map(|i| match acc.ids.intern(part.ids.bytes(i)) {
            Some(n) => n,
            None => {
                acc.ids_full = true;
                GONE
            }
        })
        .collect();
    if let (Some(log), Some((names, first))) = (acc.categories.as_mut(), part.categories) {
        let cats: Vec<Option<u32>> = (0..names.len() as u32)
            .map(|i| log.names.intern(names.bytes(i)))
            .collect();
        for (key, (d0, d1)) in first {
            let (c, k) = ((key >> 32) as usize, key as u32 as usize);
            let (Some(&c), Some(&Some(k))) = (customers.get(c), cats.get(k)) else {
                continue;
            };
            if c == GONE {
                continue;
            }
            let e = log
                .first
                .entry(u64::from(c) << 32 | u64::from(k))
                .or_insert((i32::MAX, i32::MAX));
            *e = (e.0.min(d0), e.1.min(d1));
        }
    }
    let dim_maps: Vec<Vec<u32>> = match (acc.dims.as_mut(), part.dims.as_ref()) {
        (Some(log), Some(cols)) => cols
            .iter()
            .enumerate()
            .map(|(k, (names, _, capped))| {
                if *capped {
                    log.capped[k] = true;
                }
                (0..names.len() as u32)
                    .map(|i| match log.names[k].intern(names.bytes(i)) {
                        Some(n) => n,
                        None => {
                            log.capped[k] = true;
                            crate::ingest::dims::EMPTY
                        }
                    })
                    .collect()
            })
            .collect(),
        _ => Vec::new(),
    };
    let base = acc.next_unique;
    acc.next_unique += part.next_unique;
    let pending_alt = !part.alt_days.is_empty();
    for (i, e) in events.enumerate() {
        let Some(&customer) = customers.get(e.customer as usize) else {
            continue;
        };
        if customer == GONE {
            continue;
        }
        let mut order = e.order;
        if order & UNIQUE_BIT != 0 {
            order = (order & !KEY_MASK) | ((order & KEY_MASK).wrapping_add(base) & KEY_MASK);
        }
        acc.events.push(Event {
            customer,
            order,
            ..e
        });
        if pending_alt {
            acc.alt_days
                .push(part.alt_days.get(i).copied().unwrap_or(i32::MIN));
        }
        if let (Some(log), Some(cols)) = (acc.dims.as_mut(), part.dims.as_ref()) {
            for (k, (_, col, _)) in cols.iter().enumerate() {
                let v = col.get(i);
                let v = dim_maps[k]
                    .get(v as usize)
                    .copied()
                    .unwrap_or(crate::ingest::dims::EMPTY);
                log.cols[k].push(v);
            }
        }
    }
    Ok(())
}

// ───────────────────────── bytes ─────────────────────────

/// The first bytes of an encoded part (and its format's version).
const MAGIC: &[u8; 8] = b"twpart02";

struct Out {
    b: Vec<u8>,
    /// A message of another kind than a reader's rejections was met.
    unencodable: bool,
}

impl Out {
    fn u8(&mut self, v: u8) {
        self.b.push(v);
    }
    fn u32(&mut self, v: u32) {
        self.b.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.b.extend_from_slice(&v.to_le_bytes());
    }
    fn i32(&mut self, v: i32) {
        self.b.extend_from_slice(&v.to_le_bytes());
    }
    fn i64(&mut self, v: i64) {
        self.b.extend_from_slice(&v.to_le_bytes());
    }
    fn bool(&mut self, v: bool) {
        self.u8(u8::from(v));
    }
    fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }
    fn bytes(&mut self, b: &[u8]) {
        self.len(b.len());
        self.b.extend_from_slice(b);
    }
    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    fn ids(&mut self, t: &IdTable) {
        self.bytes(&t.arena);
        self.len(t.ends.len());
        for &e in &t.ends {
            self.u32(e);
        }
    }
    /// A rejection's message (the few kinds a reader gives; see [`In::message`]); any other
    /// kind marks the part as not encodable, and the merge refuses it.
    fn message(&mut self, m: &Message) {
        use Message as M;
        match m {
            M::AtRow { row, problem } => {
                self.u8(1);
                self.u32(*row);
                self.message(problem);
            }
            M::FieldCount { fields, width } => {
                self.u8(2);
                self.u64(*fields as u64);
                self.u64(*width as u64);
            }
            M::UnclosedQuote { value, limit } => {
                self.u8(3);
                self.str(value);
                self.str(limit);
            }
            M::RowTooLong { bytes, limit } => {
                self.u8(4);
                self.u64(*bytes);
                self.str(limit);
            }
            M::UnparsableDate { value, format } => {
                self.u8(5);
                self.str(value);
                self.str(format);
            }
            M::UnparsableAmount { value } => {
                self.u8(6);
                self.str(value);
            }
            M::UnparsableQuantity { value } => {
                self.u8(7);
                self.str(value);
            }
            M::UnparsableUnitPrice { value } => {
                self.u8(8);
                self.str(value);
            }
            M::HeaderRepeated => self.u8(9),
            M::EmptyCustomer => self.u8(10),
            M::EmptyDate => self.u8(11),
            M::EmptyAmount => self.u8(12),
            M::EmptyQuantity => self.u8(13),
            M::EmptyUnitPrice => self.u8(14),
            M::AmountOutOfRange => self.u8(15),
            _ => {
                self.u8(0);
                self.unencodable = true;
            }
        }
    }
    fn row_values(&mut self, v: &[(u64, String)]) {
        self.len(v.len());
        for (r, s) in v {
            self.u64(*r);
            self.str(s);
        }
    }
}

/// Reads an encoded part; every read is checked, and a count never reserves more than the bytes
/// left could hold.
struct In<'a> {
    b: &'a [u8],
}

impl<'a> In<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.b.len() {
            return None;
        }
        let (a, rest) = self.b.split_at(n);
        self.b = rest;
        Some(a)
    }
    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.array()?))
    }
    /// A count or row number: at most 2⁴⁸, so that sums over parts and row offsets cannot overflow
    /// (a reader's counts are of rows of a file; more is a damaged buffer).
    fn count(&mut self) -> Option<u64> {
        self.u64().filter(|&v| v <= MAX_COUNT)
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.array()?))
    }
    fn i32(&mut self) -> Option<i32> {
        Some(i32::from_le_bytes(self.array()?))
    }
    fn bool(&mut self) -> Option<bool> {
        match self.u8()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
    /// A count of items of at least `min_bytes` each.
    fn len(&mut self, min_bytes: usize) -> Option<usize> {
        let n = usize::try_from(self.u64()?).ok()?;
        (n.checked_mul(min_bytes.max(1))? <= self.b.len()).then_some(n)
    }
    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.len(1)?;
        self.take(n)
    }
    fn string(&mut self) -> Option<String> {
        String::from_utf8(self.bytes()?.to_vec()).ok()
    }
    fn ids(&mut self) -> Option<IdTable> {
        let arena = self.bytes()?.to_vec();
        let n = self.len(4)?;
        let mut ends = Vec::with_capacity(n);
        let mut last = 0u32;
        for _ in 0..n {
            let e = self.u32()?;
            if e < last || e as usize > arena.len() {
                return None;
            }
            last = e;
            ends.push(e);
        }
        Some(IdTable { arena, ends })
    }
    /// A message written by [`Out::message`]: an `AtRow` holds one problem, nothing deeper.
    fn message(&mut self, depth: u32) -> Option<Message> {
        use Message as M;
        Some(match self.u8()? {
            1 if depth == 0 => M::AtRow {
                row: self.u32()?,
                problem: Box::new(self.message(depth + 1)?),
            },
            2 => M::FieldCount {
                fields: usize::try_from(self.u64()?).ok()?,
                width: usize::try_from(self.u64()?).ok()?,
            },
            3 => M::UnclosedQuote {
                value: self.string()?,
                limit: self.string()?,
            },
            4 => M::RowTooLong {
                bytes: self.u64()?,
                limit: self.string()?,
            },
            5 => M::UnparsableDate {
                value: self.string()?,
                format: self.string()?,
            },
            6 => M::UnparsableAmount {
                value: self.string()?,
            },
            7 => M::UnparsableQuantity {
                value: self.string()?,
            },
            8 => M::UnparsableUnitPrice {
                value: self.string()?,
            },
            9 => M::HeaderRepeated,
            10 => M::EmptyCustomer,
            11 => M::EmptyDate,
            12 => M::EmptyAmount,
            13 => M::EmptyQuantity,
            14 => M::EmptyUnitPrice,
            15 => M::AmountOutOfRange,
            _ => return None,
        })
    }
    fn row_values(&mut self) -> Option<Vec<(u64, String)>> {
        let n = self.len(16)?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push((self.count()?, self.string()?));
        }
        Some(v)
    }
    fn opt_string(&mut self) -> Option<Option<String>> {
        Some(if self.bool()? {
            Some(self.string()?)
        } else {
            None
        })
    }
}

impl Part {
    /// The part as bytes, to send to the worker that merges. Its events are dropped block by block
    /// as they are written, and the buffer is reserved once, so the bytes and the events are not
    /// held twice.
    pub(crate) fn into_bytes(mut self) -> Vec<u8> {
        let dims_bytes: usize = self.dims.as_ref().map_or(0, |cols| {
            cols.iter()
                .map(|(names, col, _)| names.arena.len() + 4 * names.ends.len() + 4 * col.len())
                .sum()
        });
        let size = 64 * 1024
            + EVENT_BYTES * self.events.len()
            + self.ids.arena.len()
            + 4 * self.ids.ends.len()
            + 4 * self.alt_days.len()
            + dims_bytes
            + self.categories.as_ref().map_or(0, |(names, first)| {
                names.arena.len() + 4 * names.ends.len() + 16 * first.len()
            });
        let mut o = Out {
            b: Vec::with_capacity(size),
            unencodable: false,
        };
        o.b.extend_from_slice(MAGIC);
        o.u64(0); // the length of what follows before the events, filled in below
        o.u64(self.head_hash);
        o.bool(self.plain);
        o.bool(self.clean);
        for v in [
            self.rows_taken,
            self.bytes,
            self.rows,
            self.filtered_out,
            self.next_unique,
            self.primary_only,
            self.alt_only,
            self.primary_fits,
        ] {
            o.u64(v);
        }
        o.bool(self.ids_full);
        o.len(self.other_fits.len());
        for &v in &self.other_fits {
            o.u64(v);
        }
        for v in self.votes.iter().flatten().chain(&self.deferred_more) {
            o.u64(*v);
        }
        o.len(self.alt_days.len());
        for &d in &self.alt_days {
            o.i32(d);
        }
        o.ids(&self.ids);
        o.len(self.rejected.len());
        for (code, stat) in &self.rejected {
            o.str(code);
            o.u64(stat.count);
            o.len(stat.examples.len());
            for ex in &stat.examples {
                o.u32(ex.row);
                o.bool(ex.column.is_some());
                if let Some(c) = &ex.column {
                    o.str(c);
                }
                o.str(&ex.value);
                o.str(&ex.reason);
                o.str(&ex.message);
                o.message(&ex.message_code);
            }
        }
        o.row_values(&self.primary_misses);
        o.row_values(&self.alt_misses);
        o.len(self.deferred.len());
        for d in &self.deferred {
            o.u64(d.row);
            o.bool(d.primary_fits);
            o.str(&d.date_value);
            o.str(&d.amount_column);
            o.str(&d.amount_value);
            o.message(&d.amount_message);
        }
        o.bool(self.categories.is_some());
        if let Some((names, first)) = &self.categories {
            o.ids(names);
            o.len(first.len());
            for &(k, (d0, d1)) in first {
                o.u64(k);
                o.i32(d0);
                o.i32(d1);
            }
        }
        o.bool(self.dims.is_some());
        if let Some(cols) = &self.dims {
            o.len(cols.len());
            for (names, col, capped) in cols {
                o.ids(names);
                o.bool(*capped);
                o.len(col.len());
                for v in col.iter() {
                    o.u32(*v);
                }
            }
        }
        if o.unencodable {
            // (a message this format does not carry: the merge refuses the part)
            return b"twpart--".to_vec();
        }
        // the events last, so that a merge can read them in pieces (absorb_from)
        let meta = (o.b.len() - HEADER_BYTES) as u64;
        o.b[MAGIC.len()..HEADER_BYTES].copy_from_slice(&meta.to_le_bytes());
        o.len(self.events.len());
        for block in std::mem::take(&mut self.events).into_blocks() {
            for e in block {
                o.u32(e.customer);
                o.i32(e.day);
                o.u64(e.order);
                o.i64(e.amount);
            }
        }
        o.b
    }

    /// A part from [`Part::into_bytes`]; `None` for anything else.
    pub(crate) fn from_bytes(b: &[u8]) -> Option<Part> {
        let (mut part, raw) = Part::from_bytes_view(b)?;
        let mut events = BlockVec::new();
        for e in raw.chunks_exact(EVENT_BYTES) {
            events.push(event_of(e));
        }
        part.events = events;
        Some(part)
    }

    /// [`Part::from_bytes`] without its events: they are left encoded, in the slice returned.
    fn from_bytes_view(b: &[u8]) -> Option<(Part, &[u8])> {
        let meta_len = meta_length(b.get(..HEADER_BYTES)?)?;
        let meta = b.get(HEADER_BYTES..HEADER_BYTES.checked_add(meta_len)?)?;
        let part = Part::from_meta(meta)?;
        let mut i = In {
            b: &b[HEADER_BYTES + meta_len..],
        };
        let n_events = i.len(EVENT_BYTES)?;
        let raw = i.take(n_events * EVENT_BYTES)?;
        if !i.b.is_empty()
            || !raw
                .chunks_exact(EVENT_BYTES)
                .all(|e| plausible_day(event_of(e).day))
        {
            return None;
        }
        Some((part, raw))
    }

    /// The part without its events, from the bytes between the header and the events.
    fn from_meta(b: &[u8]) -> Option<Part> {
        let mut i = In { b };
        let head_hash = i.u64()?;
        let plain = i.bool()?;
        let clean = i.bool()?;
        let mut n = [0u64; 8];
        for v in n.iter_mut() {
            *v = i.count()?;
        }
        let ids_full = i.bool()?;
        let k = i.len(8)?;
        if k != crate::ingest::dates::DateFormat::ALL.len() {
            return None;
        }
        let mut other_fits = Vec::with_capacity(k);
        for _ in 0..k {
            other_fits.push(i.count()?);
        }
        let mut votes = [[0u64; 2]; 3];
        for v in votes.iter_mut().flatten() {
            *v = i.count()?;
        }
        let deferred_more = [i.count()?, i.count()?];
        let k = i.len(4)?;
        let mut alt_days = Vec::with_capacity(k);
        for _ in 0..k {
            alt_days.push(i.i32().filter(|&d| plausible_day(d))?);
        }
        let ids = i.ids()?;
        let mut rejected = BTreeMap::new();
        for _ in 0..i.len(1)? {
            let code = i.string()?;
            let count = i.count()?;
            let k = i.len(1)?;
            let mut examples = Vec::with_capacity(k.min(MAX_EXAMPLES));
            for _ in 0..k {
                examples.push(RejectExample {
                    row: i.u32()?,
                    column: i.opt_string()?,
                    value: i.string()?,
                    reason: i.string()?,
                    message: i.string()?,
                    message_code: i.message(0)?,
                });
            }
            rejected.insert(code, RejectStat { count, examples });
        }
        let primary_misses = i.row_values()?;
        let alt_misses = i.row_values()?;
        let k = i.len(1)?;
        let mut deferred = Vec::with_capacity(k.min(2 * MAX_EXAMPLES));
        for _ in 0..k {
            deferred.push(Deferred {
                row: i.count()?,
                primary_fits: i.bool()?,
                date_value: i.string()?,
                amount_column: i.string()?,
                amount_value: i.string()?,
                amount_message: i.message(0)?,
            });
        }
        let categories = if i.bool()? {
            let names = i.ids()?;
            let k = i.len(16)?;
            let mut first = Vec::with_capacity(k);
            for _ in 0..k {
                let key = i.u64()?;
                let days = (i.i32()?, i.i32()?);
                // (i32::MAX: no day under that reading)
                let ok = |d: i32| d == i32::MAX || (plausible_day(d) && d != i32::MIN);
                if !ok(days.0) || !ok(days.1) {
                    return None;
                }
                first.push((key, days));
            }
            Some((names, first))
        } else {
            None
        };
        let dims = if i.bool()? {
            // (an encoded column takes at least 25 bytes)
            let k = i.len(25)?;
            let mut cols = Vec::with_capacity(k.min(64));
            for _ in 0..k {
                let names = i.ids()?;
                let capped = i.bool()?;
                let mut col = BlockVec::new();
                for _ in 0..i.len(4)? {
                    col.push(i.u32()?);
                }
                cols.push((names, col, capped));
            }
            Some(cols)
        } else {
            None
        };
        if !i.b.is_empty() {
            return None;
        }
        let [rows_taken, bytes, rows, filtered_out, next_unique, primary_only, alt_only, primary_fits] =
            n;
        Some(Part {
            head_hash,
            plain,
            clean,
            rows_taken,
            bytes,
            rows,
            ids_full,
            filtered_out,
            next_unique,
            primary_only,
            alt_only,
            primary_fits,
            other_fits,
            votes,
            deferred_more,
            events: BlockVec::new(),
            alt_days,
            ids,
            rejected,
            primary_misses,
            alt_misses,
            deferred,
            categories,
            dims,
        })
    }
}
