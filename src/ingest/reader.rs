//! The streaming engine behind [`crate::analyze`]: feed a file in chunks with [`Analyzer::push`], then
//! [`Analyzer::finish`]. Memory grows with customers and orders, never with the file: each valid row
//! becomes a 24-byte event (customer, day, order key, amount) and the text is dropped.
//!
//! Decisions that need a look at the data are taken once, from the head of the file (its first MiB,
//! or all of a smaller file), so they never depend on how the input was chunked: the encoding, the
//! delimiter, the header, the column roles, the date format and each number column's decimal
//! separator. The one exception is a month-first/day-first date column under `dateOrder: "auto"`:
//! both readings are kept for every row until the end, and the reading that fits the most values of
//! the whole file wins (SPEC §1).

use crate::ingest::dates::{DateFormat, Stamp};
use crate::error::{Result, TierwiseError};
use crate::facts::{self, Row};
use crate::ingest::{
    make_plan, nothing_usable_message, pick_encoding, sniff_delimiter, AmountMode,
    DateFormatReport, Ingested, InputReport, Plan, Record as SampleRecord, MAX_EXAMPLES,
};
use crate::ingest::intern::Ids;
use crate::ingest::money::{decimal_vote, mul_money, parse_money, DecimalVote, Money};
use crate::options::Options;
use crate::report::Analysis;
use crate::ingest::tokenize::{Delimiter, Record, Tokenizer};
use std::hash::{BuildHasher, Hasher};

/// Bytes of the file's head from which encoding and layout are decided.
pub const HEAD_BYTES: usize = 1 << 20;
/// Records of the head used to decide header, columns, date format and decimal separators.
pub const SAMPLE_RECORDS: usize = 2000;

/// The decisions that need a look at the data. A first pass takes them from the head of the file
/// and also gathers evidence from every row; when the whole file disagrees with the head (a date
/// format that parses more values further down, decimal commas that only appear late, bytes that are
/// not UTF-8 after an ASCII head) [`Analysis::rerun`] holds the whole-file decisions and a second
/// pass with [`Analyzer::with_decisions`] gives the result SPEC §1 defines. [`crate::analyze`], the
/// CLI and the demo's worker do that second pass themselves; it is rare and never changes a file
/// whose head is representative.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Decisions {
    /// The encoding.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// The date format.
    pub date_format: Option<DateFormat>,
    /// Decimal comma for the amount, quantity and unit price columns.
    pub comma: [Option<bool>; 3],
}

impl Decisions {
    /// True when nothing is decided.
    pub fn is_empty(&self) -> bool {
        *self == Decisions::default()
    }
}

/// How far an [`Analyzer`] has read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Progress {
    /// Bytes pushed so far.
    pub bytes: u64,
    /// Records read so far (after the header; blank lines not counted). Stays 0 while the first MiB
    /// is buffered for the layout decisions: records are read from the head once it is complete (or
    /// at `finish` for a smaller file).
    pub rows: u64,
}

/// A valid row reduced to what the analysis needs.
#[derive(Debug, Clone, Copy)]
struct Event {
    customer: u32,
    /// Day number; `i32::MIN` while the provisional date reading does not fit (see `alt_days`).
    day: i32,
    /// Order key (hash of the order id, or a unique number); the top bit marks a return.
    order: u64,
    /// Signed amount in millionths.
    amount: i64,
}

const RETURN_BIT: u64 = 1 << 63;
/// Marks an order key that is a unique number (a row without an order id) rather than a hash.
const UNIQUE_BIT: u64 = 1 << 62;
/// Bits 54–61 of the order key: how many rows (minus one) were merged into the event.
const COUNT_SHIFT: u32 = 54;
const COUNT_MASK: u64 = 0xFF << COUNT_SHIFT;
/// Bit 53 of the order key: a mapped signal column is true on the row.
const SIGNAL_BIT: u64 = 1 << 53;
/// The order id's hash (or the unique number) proper.
const KEY_MASK: u64 = SIGNAL_BIT - 1;

/// A row whose month/day reading is pending and that also has a bad amount: its reason is decided
/// at the end (bad_date if the winning reading does not fit it, else bad_amount).
struct Deferred {
    row: u64,
    primary_fits: bool,
    date_value: String,
    amount_column: String,
    amount_value: String,
    amount_message: String,
}

/// Everything accumulated from the rows.
struct Acc {
    rows: u64,
    seen_first: bool,
    events: crate::ingest::blocks::BlockVec<Event>,
    alt_days: Vec<i32>,
    ids: Ids,
    next_unique: u64,
    report: InputReport,
    /// Values only the provisional / only the alternative reading fits.
    primary_only: u64,
    alt_only: u64,
    /// First rows each reading cannot read (row, value), for bad_date examples.
    primary_misses: Vec<(u64, String)>,
    alt_misses: Vec<(u64, String)>,
    deferred: Vec<Deferred>,
    order_hasher: rustc_hash::FxBuildHasher,
    /// Whether consecutive lines of one order may share an event (not when frequency counts rows).
    merge_orders: bool,
    /// Rows the provisional date format parses, and rows both month/day readings parse.
    primary_fits: u64,
    /// Per format of [`DateFormat::ALL`]: rows it parses among those neither reading parses.
    other_fits: [u64; DateFormat::ALL.len()],
    /// Decimal separator votes (point, comma) of the amount, quantity and unit price columns.
    votes: [[u64; 2]; 3],
    /// First purchase day per (customer, category), when asked for ([`Analyzer::track_categories`]).
    categories: Option<CategoryLog>,
}

/// The first day each customer bought each category, gathered while reading (for the "new category
/// last quarter" upgrade trigger of [`crate::compare`]). Keyed by `customer << 32 | category`; the
/// value holds the earliest day under the provisional date reading and under the other month/day
/// reading (`i32::MAX` where that reading cannot read any of the rows), settled at the end.
#[derive(Default)]
struct CategoryLog {
    names: Ids,
    first: rustc_hash::FxHashMap<u64, (i32, i32)>,
}

/// Each customer's categories with the day they were first bought (order rows only, any date), from
/// an analysis started with [`Analyzer::track_categories`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CategoryFirsts {
    /// Category names (`entries` index them).
    pub names: crate::facts::IdTable,
    /// `(customer id number as in [`crate::CustomerRow::id`], category number, first day)`, sorted.
    pub entries: Vec<(u32, u32, i32)>,
}

/// A streaming analysis: `new`, any number of `push`es, one `finish`.
pub struct Analyzer {
    opts: Options,
    progress: Progress,
    head: Vec<u8>,
    decoder: Option<encoding_rs::Decoder>,
    utf8: bool,
    decoded: Vec<u8>,
    tok: Option<Tokenizer>,
    plan: Option<Plan>,
    acc: Acc,
    warnings: Vec<String>,
    decode_errors: bool,
    /// Decisions given by a previous pass.
    forced: Decisions,
    /// UTF-8 was chosen because the head is valid UTF-8: the rest is checked.
    check_utf8: bool,
    /// Bytes of an incomplete UTF-8 sequence at the end of the last chunk.
    utf8_tail: Vec<u8>,
    /// Fed from the first byte that is not UTF-8 (and with the head), when that happens.
    detector: Option<chardetng::EncodingDetector>,
    head_copy: Vec<u8>,
    /// Size of the head ([`HEAD_BYTES`] except in tests, see [`Analyzer::with_head_bytes`]).
    head_bytes: usize,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("progress", &self.progress)
            .finish_non_exhaustive()
    }
}

/// Parses a plain decimal (`-123.45`, up to 6 decimals) into millionths; `None` for anything else,
/// which then takes the general parser.
#[inline]
fn fast_decimal(b: &[u8]) -> Option<(i64, DecimalVote)> {
    let (neg, b) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        _ => (false, b),
    };
    if b.is_empty() || b.len() > 18 {
        return None;
    }
    let mut int: i64 = 0;
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        int = int * 10 + (b[i] - b'0') as i64;
        i += 1;
    }
    let int_digits = i;
    let mut frac: i64 = 0;
    let mut scale = 1_000_000i64;
    let mut vote = DecimalVote::Either;
    if i < b.len() {
        // digits '.' digits: three decimals after 1–3 digits could be a thousands group
        let frac_digits = b.len() - i - 1;
        vote = if frac_digits == 3 && (1..=3).contains(&int_digits) {
            DecimalVote::Either
        } else {
            DecimalVote::Point
        };
        if b[i] != b'.' || i + 1 == b.len() {
            return None;
        }
        i += 1;
        while i < b.len() {
            let c = b[i];
            if !c.is_ascii_digit() || scale == 1 {
                return None;
            }
            scale /= 10;
            frac += (c - b'0') as i64 * scale;
            i += 1;
        }
    } else if b.is_empty() {
        return None;
    }
    // (a range check rather than checked_mul: wasm32 lowers an overflow-checked 64-bit multiply to
    // a 128-bit software multiply)
    if int > i64::MAX / 1_000_000 {
        return None;
    }
    let v = (int * 1_000_000).checked_add(frac)?;
    Some((if neg { -v } else { v }, vote))
}

/// Parses an amount-like field; `Err(message)` when it is empty or not a number.
/// Also counts the value's decimal-separator vote (point, comma) for the whole-file decision.
fn parse_amount(
    raw: &[u8],
    comma: bool,
    what: &str,
    votes: &mut [u64; 2],
) -> std::result::Result<i128, String> {
    let v = if !comma { fast_decimal(raw) } else { None };
    let (value, vote) = match v {
        Some((v, vote)) => (Some(v as i128), vote),
        None => {
            let s = String::from_utf8_lossy(raw);
            if raw.is_empty() {
                return Err(format!("empty {what}"));
            }
            (parse_money(&s, comma), decimal_vote(&s))
        }
    };
    match vote {
        DecimalVote::Point => votes[0] += 1,
        DecimalVote::Comma => votes[1] += 1,
        DecimalVote::Either => {}
    }
    value.ok_or_else(|| {
        format!(
            "could not parse {what} \"{}\"",
            String::from_utf8_lossy(raw)
        )
    })
}

/// Parses a date with a fast path for the ISO and compact forms.
#[inline]
fn parse_date(fmt: DateFormat, raw: &[u8]) -> Option<Stamp> {
    if fmt == DateFormat::Iso && raw.len() >= 10 && raw[4] == b'-' && raw[7] == b'-' {
        if let Some(s) = crate::ingest::dates::fast_iso(raw) {
            return Some(s);
        }
    }
    fmt.parse(std::str::from_utf8(raw).ok()?)
}

impl Acc {
    fn new() -> Acc {
        Acc {
            rows: 0,
            seen_first: false,
            events: crate::ingest::blocks::BlockVec::new(),
            alt_days: Vec::new(),
            ids: Ids::default(),
            next_unique: 0,
            report: InputReport::default(),
            primary_only: 0,
            alt_only: 0,
            primary_misses: Vec::new(),
            alt_misses: Vec::new(),
            deferred: Vec::new(),
            order_hasher: rustc_hash::FxBuildHasher,
            merge_orders: false,
            primary_fits: 0,
            other_fits: [0; DateFormat::ALL.len()],
            votes: [[0; 2]; 3],
            categories: None,
        }
    }

    /// Validates one record and turns it into an event or a rejection.
    fn process(&mut self, plan: &Plan, cancel: Option<&[u8]>, rec: &Record<'_>) {
        if !self.seen_first {
            self.seen_first = true;
            if plan.header.is_some() {
                return;
            }
        }
        self.rows += 1;
        let row = rec.row;
        let rep = &mut self.report;
        if rec.len() > plan.width {
            let shown = rec.to_strings().join(" | ");
            let msg = format!("{} fields where the header has {}", rec.len(), plan.width);
            rep.reject("malformed_row", row as u32, None, &shown, msg);
            return;
        }
        if let Some(h) = &plan.header {
            if rec.len() == h.len() && (0..h.len()).all(|i| rec.trimmed(i) == h[i].as_bytes()) {
                rep.reject(
                    "repeated_header",
                    row as u32,
                    None,
                    &h.join(" | "),
                    "the header row repeated".into(),
                );
                return;
            }
        }
        let cust = rec.trimmed(plan.customer);
        if cust.is_empty() {
            rep.reject(
                "missing_customer",
                row as u32,
                Some(plan.label(plan.customer)),
                "",
                "empty customer id".into(),
            );
            return;
        }
        let raw_date = rec.trimmed(plan.date);
        let primary = parse_date(plan.date_format, raw_date);
        // the other month/day reading: always tried (ambiguity report), valid only while switchable
        let alt_any = plan.alt_format.and_then(|f| parse_date(f, raw_date));
        let alt = alt_any.filter(|_| plan.switchable);
        if plan.alt_format.is_some() {
            match (primary.is_some(), alt_any.is_some()) {
                (true, false) => self.primary_only += 1,
                (false, true) => self.alt_only += 1,
                _ => {}
            }
        }
        self.primary_fits += u64::from(primary.is_some());
        if primary.is_none() && alt_any.is_none() && !raw_date.is_empty() {
            // evidence for the whole-file choice: which other formats read this value
            if let Ok(v) = std::str::from_utf8(raw_date) {
                for (k, f) in DateFormat::ALL.iter().enumerate() {
                    if Some(*f) != Some(plan.date_format)
                        && Some(*f) != plan.alt_format
                        && f.parse(v).is_some()
                    {
                        self.other_fits[k] += 1;
                    }
                }
            }
        }
        if primary.is_none() && alt.is_none() {
            let v = String::from_utf8_lossy(raw_date);
            let msg = if v.is_empty() {
                "empty date".to_string()
            } else {
                format!(
                    "could not parse date \"{v}\" as {}",
                    plan.date_format.label()
                )
            };
            rep.reject("bad_date", row as u32, Some(plan.label(plan.date)), &v, msg);
            return;
        }
        // quantity (for returns and quantity × unit price), then the amount
        let mut qty = None;
        let mut amount: i128 = 0;
        let mut bad: Option<(usize, String)> = None;
        if plan.amount_mode != AmountMode::None {
            if let Some(qc) = plan.mapping.quantity {
                match parse_amount(
                    rec.trimmed(qc),
                    plan.qty_comma,
                    "quantity",
                    &mut self.votes[1],
                ) {
                    Ok(q) => qty = Some(q),
                    Err(m) => bad = Some((qc, m)),
                }
            }
            if bad.is_none() {
                match plan.amount_mode {
                    AmountMode::Amount => {
                        let ac = plan.mapping.amount.unwrap_or(0);
                        match parse_amount(
                            rec.trimmed(ac),
                            plan.amount_comma,
                            "amount",
                            &mut self.votes[0],
                        ) {
                            Ok(a) => amount = a,
                            Err(m) => bad = Some((ac, m)),
                        }
                    }
                    AmountMode::QtyPrice => {
                        let pc = plan.mapping.unit_price.unwrap_or(0);
                        match parse_amount(
                            rec.trimmed(pc),
                            plan.price_comma,
                            "unit price",
                            &mut self.votes[2],
                        ) {
                            Ok(p) => match mul_money(qty.unwrap_or(0), p) {
                                Some(a) => amount = a,
                                None => bad = Some((pc, "amount out of range".into())),
                            },
                            Err(m) => bad = Some((pc, m)),
                        }
                    }
                    AmountMode::None => {}
                }
            }
            if bad.is_none() && i64::try_from(amount).is_err() {
                let c = plan.mapping.amount.or(plan.mapping.unit_price).unwrap_or(0);
                bad = Some((c, "amount out of range".into()));
            }
        }
        if let Some((col, msg)) = bad {
            let value = String::from_utf8_lossy(rec.trimmed(col)).into_owned();
            if plan.switchable && plan.alt_format.is_some() && (primary.is_none() || alt.is_none())
            {
                self.deferred.push(Deferred {
                    row,
                    primary_fits: primary.is_some(),
                    date_value: String::from_utf8_lossy(raw_date).into_owned(),
                    amount_column: plan.label(col),
                    amount_value: value,
                    amount_message: msg,
                });
            } else {
                self.report
                    .reject("bad_amount", row as u32, Some(plan.label(col)), &value, msg);
            }
            return;
        }
        let order_raw = plan.mapping.order.map(|oc| rec.trimmed(oc)).unwrap_or(&[]);
        let is_return =
            is_cancellation_bytes(order_raw, cancel) || qty.map_or(amount < 0, |q| q < 0);
        let key = if order_raw.is_empty() {
            self.next_unique += 1;
            UNIQUE_BIT | (self.next_unique & KEY_MASK)
        } else {
            let mut h = self.order_hasher.build_hasher();
            h.write(order_raw);
            h.finish() & KEY_MASK
        };
        // (recorded only for rows that become events: a row with a bad amount is deferred above, and
        // its reason settled once, at the end)
        if plan.switchable && plan.alt_format.is_some() {
            let value = || (row, String::from_utf8_lossy(raw_date).into_owned());
            match (primary.is_some(), alt.is_some()) {
                (true, false) if self.alt_misses.len() < MAX_EXAMPLES => {
                    self.alt_misses.push(value())
                }
                (false, true) if self.primary_misses.len() < MAX_EXAMPLES => {
                    self.primary_misses.push(value())
                }
                _ => {}
            }
        }
        let customer = self.ids.intern(cust);
        let day = primary.map_or(i32::MIN, |s| s.day);
        let signal = plan
            .mapping
            .signals
            .iter()
            .any(|&c| is_truthy(rec.trimmed(c)));
        let order =
            if is_return { key | RETURN_BIT } else { key } | if signal { SIGNAL_BIT } else { 0 };
        if !is_return {
            if let (Some(log), Some(cc)) = (self.categories.as_mut(), plan.mapping.category) {
                let name = rec.trimmed(cc);
                if !name.is_empty() {
                    let cat = log.names.intern(name);
                    let valid = |d: Option<Stamp>| d.map_or(i32::MAX, |s| s.day);
                    let (d0, d1) = (valid(primary), valid(alt));
                    let e = log
                        .first
                        .entry((customer as u64) << 32 | cat as u64)
                        .or_insert((i32::MAX, i32::MAX));
                    *e = (e.0.min(d0), e.1.min(d1));
                }
            }
        }
        let amount = amount as i64;
        // consecutive lines of one order (same customer, order id, day, return or not, sign) become
        // one event carrying their row count: memory grows with orders rather than order lines, and
        // every fact is unchanged (sums by day and order; rows are still counted)
        let pending_alt = plan.switchable && plan.alt_format.is_some(); // alt_days runs parallel
        if self.merge_orders && !pending_alt && key & UNIQUE_BIT == 0 {
            if let Some(last) = self.events.last_mut() {
                if last.customer == customer
                    && last.day == day
                    && last.order & !COUNT_MASK == order
                    && last.order & COUNT_MASK != COUNT_MASK
                    && (last.amount < 0) == (amount < 0)
                {
                    if let Some(sum) = last.amount.checked_add(amount) {
                        last.amount = sum;
                        last.order += 1 << COUNT_SHIFT;
                        return;
                    }
                }
            }
        }
        self.events.push(Event {
            customer,
            day,
            order,
            amount,
        });
        if plan.switchable && plan.alt_format.is_some() {
            self.alt_days.push(alt.map_or(i32::MIN, |s| s.day));
        }
    }
}

/// A signal column's value read as true: `1`, `true`, `yes`, `y`, `t`, `x` (any case), `是`, `有`,
/// `✓`; anything else (empty, `0`, `false`, `no`, `否` …) is false.
fn is_truthy(v: &[u8]) -> bool {
    ["1", "true", "yes", "y", "t", "x"]
        .iter()
        .any(|t| v.eq_ignore_ascii_case(t.as_bytes()))
        || ["是", "有", "✓"].iter().any(|t| t.as_bytes() == v)
}

fn is_cancellation_bytes(order: &[u8], prefix: Option<&[u8]>) -> bool {
    match prefix {
        // (first byte compared first: `strip_prefix` is a `memcmp` call, a byte loop in wasm)
        Some(p) if !p.is_empty() && order.first() == p.first() => order
            .strip_prefix(p)
            .is_some_and(|r| !r.is_empty() && r.iter().all(u8::is_ascii_digit)),
        _ => false,
    }
}

impl Analyzer {
    /// Validates the options and starts an empty analysis.
    pub fn new(opts: Options) -> Result<Analyzer> {
        opts.validate()?;
        let mut acc = Acc::new();
        acc.merge_orders = opts.frequency != crate::options::FrequencyUnit::Rows;
        Ok(Analyzer {
            opts,
            progress: Progress::default(),
            head: Vec::new(),
            decoder: None,
            utf8: true,
            decoded: Vec::new(),
            tok: None,
            plan: None,
            acc,
            warnings: Vec::new(),
            decode_errors: false,
            forced: Decisions::default(),
            check_utf8: false,
            utf8_tail: Vec::new(),
            detector: None,
            head_copy: Vec::new(),
            head_bytes: HEAD_BYTES,
        })
    }

    /// Starts a second pass with the whole-file decisions of a first one ([`Analysis::rerun`]).
    pub fn with_decisions(opts: Options, decisions: Decisions) -> Result<Analyzer> {
        let mut a = Analyzer::new(opts)?;
        a.forced = decisions;
        Ok(a)
    }

    /// Test seam: decide from the first `n` bytes (at least 1) instead of [`HEAD_BYTES`], so the
    /// property tests and the fuzz target can drive the streaming path (head decisions, then rows
    /// arriving in chunks) with small inputs. Results may differ from [`crate::analyze`] (another
    /// head), but must not depend on how the input is chunked.
    #[doc(hidden)]
    pub fn with_head_bytes(mut self, n: usize) -> Analyzer {
        self.head_bytes = n.max(1);
        self
    }

    /// Also records the day each customer first bought each category (the mapped or detected
    /// `category` column; order rows only) into [`Analysis::categories`]. Costs a hash-map update per
    /// row, so only [`crate::compare`] asks for it.
    pub fn track_categories(mut self) -> Analyzer {
        self.acc.categories = Some(CategoryLog::default());
        self
    }

    /// Bytes and rows read so far.
    pub fn progress(&self) -> Progress {
        Progress {
            bytes: self.progress.bytes,
            rows: self.acc.rows,
        }
    }

    /// Feeds the next chunk of the file (any size, split anywhere). Fails only on a fatal problem
    /// found while deciding the layout (no customer or date column, wrong column option).
    pub fn push(&mut self, chunk: &[u8]) -> Result<()> {
        self.progress.bytes += chunk.len() as u64;
        if self.plan.is_none() {
            // the head is exactly the first HEAD_BYTES bytes, whatever the chunking
            let take = (self.head_bytes - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
            if self.head.len() < self.head_bytes {
                return Ok(());
            }
            self.start(false)?;
            self.feed(&chunk[take..], false);
            return Ok(());
        }
        self.feed(chunk, false);
        Ok(())
    }

    /// Decides encoding and layout from the head, then processes the head.
    fn start(&mut self, last: bool) -> Result<()> {
        let head = std::mem::take(&mut self.head);
        if head.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(TierwiseError::EmptyFile);
        }
        let (enc, bom) = match self.forced.encoding {
            Some(e) => match encoding_rs::Encoding::for_bom(&head) {
                Some((b, n)) if b == e => (e, n),
                _ => (e, 0),
            },
            None => pick_encoding(&head, &self.opts.encoding, last)?,
        };
        if enc == encoding_rs::UTF_8
            && bom == 0
            && self.opts.encoding == "auto"
            && self.forced.encoding.is_none()
        {
            // chosen because the head is valid UTF-8: the rest must be too (SPEC: a file that is not
            // valid UTF-8 is guessed)
            self.check_utf8 = true;
            self.head_copy = head.clone();
            if let Err(e) = std::str::from_utf8(&head) {
                self.utf8_tail = head[e.valid_up_to()..].to_vec();
            }
        }
        self.acc.report.encoding = enc.name().to_string();
        self.utf8 = enc == encoding_rs::UTF_8;
        if !self.utf8 {
            self.decoder = Some(enc.new_decoder_without_bom_handling());
        }
        let body = &head[bom..];
        // the head as UTF-8 text, for sniffing and the sample
        let text: Vec<u8> = if self.utf8 {
            body.to_vec()
        } else {
            let mut d = enc.new_decoder_without_bom_handling();
            let mut out = String::with_capacity(body.len() * 3 / 2 + 16);
            let _ = d.decode_to_string(body, &mut out, last);
            let mut buf = vec![0u8; 0];
            buf.extend_from_slice(out.as_bytes());
            buf
        };
        let visible = String::from_utf8_lossy(&text[..text.len().min(64 * 1024)]).into_owned();
        if visible.trim().is_empty() && last {
            return Err(TierwiseError::EmptyFile);
        }
        // Excel's "sep=;" hint line
        let mut skip = 0usize;
        let mut forced = None;
        if let Some(first) = visible.lines().next() {
            let f = first.trim();
            if f.len() == 5 && f.to_ascii_lowercase().starts_with("sep=") {
                forced = Some(Delimiter::Byte(f.as_bytes()[4]));
                skip = first.len();
            }
        }
        let delim = forced.unwrap_or_else(|| sniff_delimiter(&visible));
        self.acc.report.delimiter = delim.name();
        // the sample: the first complete records of the head
        let mut sample: Vec<SampleRecord> = Vec::new();
        {
            let mut t = Tokenizer::new(delim);
            let mut cb = |r: &Record<'_>| {
                if sample.len() < SAMPLE_RECORDS {
                    sample.push(SampleRecord {
                        line: r.row as u32,
                        fields: r.to_strings(),
                    });
                }
            };
            t.feed(&text[skip..], last, &mut cb);
        }
        if sample.is_empty() {
            return Err(TierwiseError::EmptyFile);
        }
        let mut plan = make_plan(
            &sample,
            &self.opts,
            &mut self.acc.report,
            &mut self.warnings,
        )?;
        if let Some(f) = self.forced.date_format {
            plan.date_format = f;
            plan.alt_format = match f {
                DateFormat::Mdy(s) => Some(DateFormat::Dmy(s)),
                DateFormat::Dmy(s) => Some(DateFormat::Mdy(s)),
                _ => None,
            };
        }
        for (slot, c) in self.forced.comma.iter().enumerate() {
            if let Some(c) = c {
                *[
                    &mut plan.amount_comma,
                    &mut plan.qty_comma,
                    &mut plan.price_comma,
                ][slot] = *c;
            }
        }
        self.plan = Some(plan);
        let mut tok = Tokenizer::new(delim);
        if skip > 0 {
            // the hint line is row 1 of the spreadsheet
            tok.feed(&text[..skip], false, &mut |_| {});
        }
        self.tok = Some(tok);
        if self.utf8 {
            self.feed_text(&text[skip..], last);
        } else {
            // the head was decoded above only for sniffing; decode it again through the streaming
            // decoder so its state carries on into the next chunk
            self.feed(body, last);
        }
        Ok(())
    }

    /// Decodes (when needed) and tokenises a chunk.
    fn feed(&mut self, chunk: &[u8], last: bool) {
        if self.utf8 {
            if self.check_utf8 {
                self.check_utf8_chunk(chunk, last);
            }
            self.feed_text(chunk, last);
            return;
        }
        let Some(dec) = self.decoder.as_mut() else {
            return;
        };
        let mut decoded = std::mem::take(&mut self.decoded);
        decoded.clear();
        let need = dec
            .max_utf8_buffer_length(chunk.len())
            .unwrap_or(chunk.len() * 3 + 16);
        decoded.resize(need, 0);
        let (_, _, written, had_errors) = dec.decode_to_utf8(chunk, &mut decoded, last);
        decoded.truncate(written);
        self.decode_errors |= had_errors;
        self.feed_text(&decoded, last);
        self.decoded = decoded;
    }

    /// Checks that the input stays UTF-8 after a UTF-8 head; from the first byte that is not, feeds
    /// an encoding detector (with the head) so a second pass can decode the file as what it is.
    fn check_utf8_chunk(&mut self, chunk: &[u8], last: bool) {
        if let Some(det) = self.detector.as_mut() {
            det.feed(chunk, last);
            return;
        }
        let mut joined;
        let data: &[u8] = if self.utf8_tail.is_empty() {
            chunk
        } else {
            joined = std::mem::take(&mut self.utf8_tail);
            joined.extend_from_slice(chunk);
            &joined
        };
        // most files are ASCII: skip to the first non-ASCII byte eight bytes at a time (wasm32's
        // `usize` is four bytes, so the standard library's ASCII fast path is slower there)
        let start = first_non_ascii(data);
        match std::str::from_utf8(&data[start..]) {
            Ok(_) => {}
            Err(e) if e.error_len().is_none() && !last => {
                self.utf8_tail = data[start + e.valid_up_to()..].to_vec()
            }
            Err(e) => {
                let e_at = start + e.valid_up_to();
                let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
                det.feed(&self.head_copy, false);
                det.feed(&data[e_at..], last);
                self.detector = Some(det);
                self.head_copy = Vec::new();
            }
        }
    }

    fn feed_text(&mut self, text: &[u8], last: bool) {
        let (Some(tok), Some(plan)) = (self.tok.as_mut(), self.plan.as_ref()) else {
            return;
        };
        let acc = &mut self.acc;
        let cancel = self.opts.cancel_prefix.as_deref().map(str::as_bytes);
        tok.feed(text, last, &mut |r| acc.process(plan, cancel, r));
    }

    #[cfg(test)]
    fn start_if_needed(&mut self) -> Result<()> {
        if self.plan.is_none() {
            self.start(true)?;
        }
        Ok(())
    }

    /// Ends the input and runs the analysis with the decisions taken from the head. When the whole
    /// file disagrees with them, the analysis says so in a warning and in [`Analysis::rerun`]; a
    /// caller that can read the input again should rather use [`Analyzer::finish_pass`].
    pub fn finish(self) -> Result<Analysis> {
        match self.complete(false)? {
            Finish::Done(a) => Ok(*a),
            Finish::Rerun(_) => Err(TierwiseError::EmptyFile), // not returned without allow_rerun
        }
    }

    /// Ends the input; returns [`Finish::Rerun`] (without analysing) when the whole file disagrees
    /// with the decisions taken from its head, so the caller reads it again with
    /// [`Analyzer::with_decisions`].
    pub fn finish_pass(self) -> Result<Finish> {
        self.complete(true)
    }

    fn complete(mut self, allow_rerun: bool) -> Result<Finish> {
        if self.plan.is_none() {
            self.start(true)?;
        } else {
            self.feed(&[], true);
        }
        let Some(plan) = self.plan.take() else {
            return Err(TierwiseError::EmptyFile);
        };
        let opts = self.opts;
        let mut acc = self.acc;
        let mut warnings = self.warnings;
        if self.decode_errors {
            warnings.push(format!(
                "some bytes are not valid {} and were replaced with U+FFFD; set options.encoding if the file uses another encoding",
                acc.report.encoding
            ));
        }
        let provisional = (plan.date_format, plan.alt_format);
        let rerun = whole_file_decisions(&plan, &acc, &self.forced, self.detector.as_ref());
        if let Some(d) = rerun {
            if allow_rerun {
                return Ok(Finish::Rerun(d));
            }
            warnings.push(rerun_warning(&d, provisional.0));
        }
        let use_alt = resolve_dates(&plan, &mut acc, &opts, &mut warnings);
        let tracked = acc
            .categories
            .take()
            .filter(|_| plan.mapping.category.is_some());
        let categories = tracked.map(|mut log| {
            let mut entries: Vec<(u32, u32, i32)> = log
                .first
                .drain()
                .map(|(k, (d0, d1))| ((k >> 32) as u32, k as u32, if use_alt { d1 } else { d0 }))
                .filter(|e| e.2 != i32::MAX)
                .collect();
            entries.sort_unstable();
            CategoryFirsts {
                names: log.names.take_ids(),
                entries,
            }
        });
        acc.report.rows = acc.rows;
        if acc.events.is_empty() {
            return Err(TierwiseError::NothingUsable(nothing_usable_message(
                &acc.report,
            )));
        }
        let mut phases = crate::clock::Phases::start();
        let facts = aggregate(&mut acc, &opts, &mut phases)?;
        let has_amount = plan.amount_mode != AmountMode::None;
        let report = acc.report;
        let ing = Ingested {
            report,
            has_amount,
            has_order: plan.mapping.order.is_some(),
            warnings,
        };
        let mut out = crate::report::build(ing, facts, &opts, &mut phases);
        out.timings = phases.list;
        out.rerun = rerun;
        out.categories = categories;
        Ok(Finish::Done(Box::new(out)))
    }
}

/// Index of the first byte ≥ 0x80 (or the length), eight bytes at a time.
fn first_non_ascii(b: &[u8]) -> usize {
    let mut i = 0;
    for w in b.chunks_exact(8) {
        let word = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        if word & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        i += 8;
    }
    i + b[i..]
        .iter()
        .position(|&c| c >= 0x80)
        .unwrap_or(b.len() - i)
}

/// The end of a pass: an analysis, or the whole-file decisions for a second pass.
#[derive(Debug)]
pub enum Finish {
    /// The analysis.
    Done(Box<Analysis>),
    /// The whole file disagrees with its head: read it again with these decisions.
    Rerun(Decisions),
}

/// Compares the head's decisions with the evidence of the whole file; `Some` with the decisions a
/// second pass must use when they differ.
fn whole_file_decisions(
    plan: &Plan,
    acc: &Acc,
    forced: &Decisions,
    detector: Option<&chardetng::EncodingDetector>,
) -> Option<Decisions> {
    let mut d = *forced;
    let mut differs = false;
    if forced.encoding.is_none() {
        if let Some(det) = detector {
            d.encoding = Some(det.guess(None, chardetng::Utf8Detection::Deny));
            differs = true;
        }
    }
    if forced.date_format.is_none() {
        // totals per format: the provisional reading, the other month/day reading, and the formats
        // that read values neither of them reads (the other formats never read the same value)
        let idx = |f: DateFormat| DateFormat::ALL.iter().position(|g| *g == f);
        let mut totals = acc.other_fits;
        if let Some(i) = idx(plan.date_format) {
            totals[i] = acc.primary_fits;
        }
        if let Some(i) = plan.alt_format.and_then(idx) {
            totals[i] = acc.primary_fits - acc.primary_only + acc.alt_only;
        }
        let best = (0..totals.len()).fold(0, |b, i| if totals[i] > totals[b] { i } else { b });
        let winner = DateFormat::ALL[best];
        if totals[best] > 0 && winner != plan.date_format && Some(winner) != plan.alt_format {
            d.date_format = Some(winner);
            differs = true;
        }
    }
    let cols = [
        plan.mapping.amount,
        plan.mapping.quantity,
        plan.mapping.unit_price,
    ];
    let used = [plan.amount_comma, plan.qty_comma, plan.price_comma];
    for slot in 0..3 {
        if forced.comma[slot].is_none() && cols[slot].is_some() {
            let whole = acc.votes[slot][1] > acc.votes[slot][0];
            if whole != used[slot] {
                d.comma[slot] = Some(whole);
                differs = true;
            }
        }
    }
    differs.then_some(d)
}

/// The warning when a second pass is needed but the caller cannot read the input again.
fn rerun_warning(d: &Decisions, provisional: DateFormat) -> String {
    let mut what = Vec::new();
    if let Some(e) = d.encoding {
        what.push(format!(
            "the file is not UTF-8 after its first MiB (it looks like {})",
            e.name()
        ));
    }
    if let Some(f) = d.date_format {
        what.push(format!(
            "most dates are {} although the first rows are {}",
            f.label(),
            provisional.label()
        ));
    }
    if d.comma.iter().any(|c| c.is_some()) {
        what.push("the decimal separator of a number column differs further down the file".into());
    }
    format!(
        "{}: this result follows the first MiB of the file; analyse it again from the start (tierwise does this itself when it can read the file twice)",
        what.join("; ")
    )
}

/// Settles a month-first/day-first column on the whole file, turns rows the losing reading cannot
/// read into `bad_date` rejections, and writes the summary's `dateFormat`. True when the other
/// month/day reading won.
fn resolve_dates(plan: &Plan, acc: &mut Acc, opts: &Options, warnings: &mut Vec<String>) -> bool {
    let mut format = plan.date_format;
    let mut ambiguous = false;
    let mut switched = false;
    if let Some(alt) = plan.alt_format {
        ambiguous = acc.primary_only == 0 && acc.alt_only == 0;
        let use_alt = plan.switchable && acc.alt_only > acc.primary_only;
        if use_alt {
            format = alt;
            switched = true;
            for (e, a) in acc.events.iter_mut().zip(acc.alt_days.iter()) {
                e.day = *a;
            }
        }
        // rows the winning reading cannot read
        let misses = if use_alt {
            &acc.alt_misses
        } else {
            &acc.primary_misses
        };
        // (with a forced order those rows were rejected as they were read). Counted from the events:
        // `primary_only` / `alt_only` also count rows with a bad amount, which are deferred and
        // rejected once below, not here.
        let before = acc.events.len();
        acc.events.retain(|e| e.day != i32::MIN);
        let count = (before - acc.events.len()) as u64;
        if count > 0 {
            for (row, v) in misses {
                acc.report.reject(
                    "bad_date",
                    *row as u32,
                    Some(plan.label(plan.date)),
                    v,
                    format!("could not parse date \"{v}\" as {}", format.label()),
                );
            }
            if let Some(stat) = acc.report.rejected.get_mut("bad_date") {
                stat.count += count - misses.len() as u64;
            }
        }
        for d in std::mem::take(&mut acc.deferred) {
            let fits = d.primary_fits != use_alt;
            if fits {
                acc.report.reject(
                    "bad_amount",
                    d.row as u32,
                    Some(d.amount_column),
                    &d.amount_value,
                    d.amount_message,
                );
            } else {
                let msg = format!(
                    "could not parse date \"{}\" as {}",
                    d.date_value,
                    format.label()
                );
                acc.report.reject(
                    "bad_date",
                    d.row as u32,
                    Some(plan.label(plan.date)),
                    &d.date_value,
                    msg,
                );
            }
        }
        for stat in acc.report.rejected.values_mut() {
            stat.examples.sort_by_key(|e| e.row);
        }
        acc.alt_days = Vec::new();
    }
    let _ = opts;
    let order = match format {
        DateFormat::Mdy(_) => Some("mdy"),
        DateFormat::Dmy(_) => Some("dmy"),
        f if f.is_numeric() => None,
        _ => Some("ymd"),
    };
    let samples: Vec<String> = plan
        .date_samples
        .iter()
        .filter(|v| format.parse(v).is_some())
        .take(5)
        .cloned()
        .collect();
    if ambiguous {
        warnings.push(format!(
            "dates in column \"{}\" fit both month-first and day-first (e.g. {}): read as {}; set options.dateOrder to change",
            plan.label(plan.date),
            samples.first().cloned().unwrap_or_default(),
            if order == Some("dmy") { "day-first" } else { "month-first" }
        ));
    }
    acc.report.date_format = Some(DateFormatReport {
        column: acc
            .report
            .columns
            .date
            .clone()
            .unwrap_or(serde_json::Value::Null),
        format: format.label(),
        ambiguous,
        samples,
        order: order.map(str::to_string),
    });
    switched
}

/// Groups events by customer (counting sort) and computes each customer's facts.
fn aggregate(
    acc: &mut Acc,
    opts: &Options,
    phases: &mut crate::clock::Phases,
) -> Result<facts::Facts> {
    let analysis_day = match &opts.analysis_date {
        Some(d) => crate::ingest::dates::parse_iso_day(d).ok_or_else(|| TierwiseError::Options {
            key: "analysisDate".into(),
            message: format!("expected YYYY-MM-DD, got \"{d}\""),
        })?,
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
    let mut rows_of = |c: usize, buf: &mut Vec<Row>| {
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
    let r = facts::compute_grouped(ids, &mut rows_of, analysis_day, opts);
    // the events are no longer needed: free them before sorting (peak memory)
    drop(order);
    drop(events);
    let mut facts = r?;
    facts.sort_by_id();
    phases.mark("facts");
    Ok(facts)
}

/// The per-customer facts of a whole input (for unit tests of the facts step).
#[cfg(test)]
pub(crate) fn facts_of(bytes: &[u8], opts: &Options) -> Result<facts::Facts> {
    let mut a = Analyzer::new(opts.clone())?;
    a.push(bytes)?;
    a.start_if_needed()?;
    a.feed(&[], true);
    let plan = a.plan.take().ok_or(TierwiseError::EmptyFile)?;
    let mut warnings = Vec::new();
    resolve_dates(&plan, &mut a.acc, opts, &mut warnings);
    aggregate(&mut a.acc, opts, &mut crate::clock::Phases::start())
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_the_first_non_ascii_byte() {
        assert_eq!(super::first_non_ascii(b""), 0);
        assert_eq!(super::first_non_ascii(b"abcdefghij"), 10);
        assert_eq!(super::first_non_ascii("abcdefgh\u{e9}".as_bytes()), 8);
        assert_eq!(super::first_non_ascii("ab\u{e9}cdefghij".as_bytes()), 2);
    }
}
