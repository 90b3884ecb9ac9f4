//! Rows: validates every record against the plan (customer, date, amount, order id, returns),
//! rejecting bad rows with one reason each, and keeps each valid row as a compact event.

use crate::ingest::columns::{AmountMode, Plan};
use crate::ingest::dates::{DateFormat, Stamp};
use crate::ingest::intern::Ids;
use crate::ingest::money::{decimal_vote, mul_money, parse_money, DecimalVote};
use crate::ingest::quality::{shown, size_label, InputReport, MAX_EXAMPLES};
use crate::ingest::tap::TapRow;
use crate::ingest::tokenize::{Problem, Record, MAX_QUOTED_BYTES, MAX_ROW_BYTES};
use crate::labels::Reason;
use crate::messages::Message;
use std::hash::{BuildHasher, Hasher};

/// A valid row reduced to what the analysis needs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Event {
    pub(crate) customer: u32,
    /// Day number; `i32::MIN` while the provisional date reading does not fit (see `alt_days`).
    pub(crate) day: i32,
    /// Order key (hash of the order id, or a unique number); the top bit marks a return.
    pub(crate) order: u64,
    /// Signed amount in millionths.
    pub(crate) amount: i64,
}

pub(crate) const RETURN_BIT: u64 = 1 << 63;

/// Marks an order key that is a unique number (a row without an order id) rather than a hash.
pub(crate) const UNIQUE_BIT: u64 = 1 << 62;

/// Bits 54–61 of the order key: how many rows (minus one) were merged into the event.
pub(crate) const COUNT_SHIFT: u32 = 54;

pub(crate) const COUNT_MASK: u64 = 0xFF << COUNT_SHIFT;

/// Bit 53 of the order key: a mapped signal column is true on the row.
pub(crate) const SIGNAL_BIT: u64 = 1 << 53;

/// The order id's hash (or the unique number) proper.
pub(crate) const KEY_MASK: u64 = SIGNAL_BIT - 1;

/// A row whose month/day reading is pending and that also has a bad amount: its reason is decided
/// at the end (bad_date if the winning reading does not fit it, else bad_amount).
pub(crate) struct Deferred {
    pub(crate) row: u64,
    pub(crate) primary_fits: bool,
    pub(crate) date_value: String,
    pub(crate) amount_column: String,
    pub(crate) amount_value: String,
    pub(crate) amount_message: Message,
}

/// Everything accumulated from the rows.
pub(crate) struct Acc {
    pub(crate) rows: u64,
    pub(crate) skipped: usize,
    /// The file starts with Excel's `sep=` hint line, not yet skipped.
    pub(crate) hint_line: bool,
    /// A customer id was refused by the bound on ids ([`crate::ingest::intern::MAX_ID_BYTES`]):
    /// the run fails at the end rather than give a result without those customers.
    pub(crate) ids_full: bool,
    pub(crate) events: crate::ingest::blocks::BlockVec<Event>,
    pub(crate) alt_days: Vec<i32>,
    pub(crate) ids: Ids,
    pub(crate) next_unique: u64,
    pub(crate) report: InputReport,
    /// Values only the provisional / only the alternative reading fits.
    pub(crate) primary_only: u64,
    pub(crate) alt_only: u64,
    /// First rows each reading cannot read (row, value), for bad_date examples.
    pub(crate) primary_misses: Vec<(u64, String)>,
    pub(crate) alt_misses: Vec<(u64, String)>,
    /// Deferred rows, the first [`MAX_EXAMPLES`] of each kind (`primary_fits` false, true): only
    /// they can become examples; the others are counted in `deferred_more`, so memory does not grow
    /// with the bad rows of a file.
    pub(crate) deferred: Vec<Deferred>,
    pub(crate) deferred_more: [u64; 2],
    pub(crate) order_hasher: rustc_hash::FxBuildHasher,
    /// Whether consecutive lines of one order may share an event (not when frequency counts rows).
    pub(crate) merge_orders: bool,
    /// Rows the provisional date format parses, and rows both month/day readings parse.
    pub(crate) primary_fits: u64,
    /// Per format of [`DateFormat::ALL`]: rows it parses among those neither reading parses.
    pub(crate) other_fits: [u64; DateFormat::ALL.len()],
    /// Decimal separator votes (point, comma) of the amount, quantity and unit price columns.
    pub(crate) votes: [[u64; 2]; 3],
    /// First purchase day per (customer, category), when asked for ([`Analyzer::track_categories`]).
    pub(crate) categories: Option<CategoryLog>,
    /// The tokenizer's bounds on a row and a quoted field, for the rejection messages.
    pub(crate) row_limits: (usize, usize),
    /// Rows left out by `options.filter`.
    pub(crate) filtered_out: u64,
    /// The dimension values of the events, when `columns.dimensions` maps any.
    pub(crate) dims: Option<crate::ingest::dims::DimLog>,
    /// Every valid row as read, when asked for ([`crate::Analyzer::tap_rows`]).
    pub(crate) rows_read: Option<crate::ingest::tap::RowLog>,
}

/// The first day each customer bought each category, gathered while reading (for the "new category
/// last quarter" upgrade trigger of [`crate::compare`]). Keyed by `customer << 32 | category`; the
/// value holds the earliest day under the provisional date reading and under the other month/day
/// reading (`i32::MAX` where that reading cannot read any of the rows), settled at the end.
#[derive(Default)]
pub(crate) struct CategoryLog {
    pub(crate) names: Ids,
    pub(crate) first: rustc_hash::FxHashMap<u64, (i32, i32)>,
}

/// Each customer's categories with the day they were first bought (order rows only, any date), from
/// an analysis started with [`Analyzer::track_categories`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CategoryFirsts {
    /// Category names (`entries` index them).
    pub names: crate::ingest::intern::IdTable,
    /// `(customer id number as in [`crate::CustomerRow::id`], category number, first day)`, sorted.
    pub entries: Vec<(u32, u32, i32)>,
}

impl CategoryFirsts {
    /// The first days under the date reading that won (`use_alt`: the other month/day reading),
    /// sorted; categories only the losing reading could date are dropped.
    pub(crate) fn settle(mut log: CategoryLog, use_alt: bool) -> CategoryFirsts {
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
    }
}

/// Parses a plain decimal (`-123.45`, up to 6 decimals) into millionths; `None` for anything else,
/// which then takes the general parser.
#[inline]
pub(crate) fn fast_decimal(b: &[u8]) -> Option<(i64, DecimalVote)> {
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

/// The number columns a row's amount comes from, for their rejection messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumberField {
    Amount,
    Quantity,
    UnitPrice,
}

impl NumberField {
    /// The rejection message for `raw`, the field that did not parse.
    fn problem(self, raw: &[u8]) -> Message {
        if raw.is_empty() {
            self.empty()
        } else {
            self.unparsable(shown(raw))
        }
    }

    fn empty(self) -> Message {
        match self {
            NumberField::Amount => Message::EmptyAmount,
            NumberField::Quantity => Message::EmptyQuantity,
            NumberField::UnitPrice => Message::EmptyUnitPrice,
        }
    }

    fn unparsable(self, value: String) -> Message {
        match self {
            NumberField::Amount => Message::UnparsableAmount { value },
            NumberField::Quantity => Message::UnparsableQuantity { value },
            NumberField::UnitPrice => Message::UnparsableUnitPrice { value },
        }
    }
}

/// Parses an amount-like field; `Err(message)` when it is empty or not a number. (The hot path
/// returns a bare `Err(())`; the message is built only for a rejected row.)
/// Also counts the value's decimal-separator vote (point, comma) for the whole-file decision.
pub(crate) fn parse_amount(
    raw: &[u8],
    comma: bool,
    votes: &mut [u64; 2],
) -> std::result::Result<i128, ()> {
    let v = if !comma { fast_decimal(raw) } else { None };
    let (value, vote) = match v {
        Some((v, vote)) => (Some(v as i128), vote),
        None => {
            if raw.is_empty() {
                return Err(());
            }
            let s = String::from_utf8_lossy(raw);
            (parse_money(&s, comma), decimal_vote(&s))
        }
    };
    match vote {
        DecimalVote::Point => votes[0] += 1,
        DecimalVote::Comma => votes[1] += 1,
        DecimalVote::Either => {}
    }
    value.ok_or(())
}

/// Parses a date with a fast path for the ISO and compact forms.
#[inline]
pub(crate) fn parse_date(fmt: DateFormat, raw: &[u8]) -> Option<Stamp> {
    if fmt == DateFormat::Iso && raw.len() >= 10 && raw[4] == b'-' && raw[7] == b'-' {
        if let Some(s) = crate::ingest::dates::fast_iso(raw) {
            return Some(s);
        }
    }
    fmt.parse(std::str::from_utf8(raw).ok()?)
}

impl Acc {
    pub(crate) fn new() -> Acc {
        Acc {
            rows: 0,
            skipped: 0,
            hint_line: false,
            ids_full: false,
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
            deferred_more: [0; 2],
            order_hasher: rustc_hash::FxBuildHasher,
            merge_orders: false,
            primary_fits: 0,
            other_fits: [0; DateFormat::ALL.len()],
            votes: [[0; 2]; 3],
            categories: None,
            row_limits: (MAX_ROW_BYTES, MAX_QUOTED_BYTES),
            filtered_out: 0,
            dims: None,
            rows_read: None,
        }
    }

    /// Validates one record and turns it into an event or a rejection.
    pub(crate) fn process(&mut self, plan: &Plan, cancel: Option<&[u8]>, rec: &Record<'_>) {
        if self.hint_line {
            // Excel's `sep=,` line before the header
            self.hint_line = false;
            return;
        }
        if self.skipped < plan.skip_records {
            // title rows and the header
            self.skipped += 1;
            return;
        }
        self.rows += 1;
        let row = rec.row;
        let rep = &mut self.report;
        if let Some(problem) = rec.problem {
            // a quote never closed, or a row too long (docs/input.md#limits)
            let value = shown(rec.excerpt);
            let (column, msg) = match problem {
                Problem::UnclosedQuote { field } => (
                    Some(plan.label(field)),
                    Message::UnclosedQuote {
                        value: value.clone(),
                        limit: size_label(self.row_limits.1),
                    },
                ),
                Problem::TooLong { bytes } => (
                    None,
                    Message::RowTooLong {
                        bytes,
                        limit: size_label(self.row_limits.0),
                    },
                ),
            };
            rep.reject(Reason::MalformedRow, row as u32, column, &value, msg);
            return;
        }
        if rec.len() > plan.width {
            let fields = rec.to_strings().join(" | ");
            let msg = Message::FieldCount {
                fields: rec.len(),
                width: plan.width,
            };
            rep.reject(Reason::MalformedRow, row as u32, None, &fields, msg);
            return;
        }
        if let Some(h) = &plan.header {
            if rec.len() == h.len() && (0..h.len()).all(|i| rec.trimmed(i) == h[i].as_bytes()) {
                rep.reject(
                    Reason::RepeatedHeader,
                    row as u32,
                    None,
                    &h.join(" | "),
                    Message::HeaderRepeated,
                );
                return;
            }
        }
        // options.filter: rows outside it are counted, and listed nowhere else
        if !plan.filter.is_empty()
            && !plan
                .filter
                .iter()
                .all(|(c, keep)| keep.contains(rec.trimmed(*c)))
        {
            self.filtered_out += 1;
            return;
        }
        let raw_cust = rec.trimmed(plan.customer);
        let cleaned = clean_id(raw_cust);
        let cust: &[u8] = &cleaned;
        if cust.is_empty() {
            // (the value as written: empty, or only invisible characters)
            rep.reject(
                Reason::MissingCustomer,
                row as u32,
                Some(plan.label(plan.customer)),
                &String::from_utf8_lossy(raw_cust),
                Message::EmptyCustomer,
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
            let v = shown(raw_date);
            let msg = if v.is_empty() {
                Message::EmptyDate
            } else {
                Message::UnparsableDate {
                    value: shown(raw_date),
                    format: plan.date_format.label(),
                }
            };
            rep.reject(
                Reason::BadDate,
                row as u32,
                Some(plan.label(plan.date)),
                &v,
                msg,
            );
            return;
        }
        // quantity (for returns and quantity × unit price), then the amount
        let mut qty = None;
        let mut amount: i128 = 0;
        let mut price = None; // (kept for the rows as read)
        let mut bad: Option<(usize, Message)> = None;
        if plan.amount_mode != AmountMode::None {
            if let Some(qc) = plan.mapping.quantity {
                match parse_amount(rec.trimmed(qc), plan.qty_comma, &mut self.votes[1]) {
                    Ok(q) => qty = Some(q),
                    Err(()) => bad = Some((qc, NumberField::Quantity.problem(rec.trimmed(qc)))),
                }
            }
            if bad.is_none() {
                match plan.amount_mode {
                    AmountMode::Amount => {
                        let ac = plan.mapping.amount.unwrap_or(0);
                        match parse_amount(rec.trimmed(ac), plan.amount_comma, &mut self.votes[0]) {
                            Ok(a) => amount = a,
                            Err(()) => {
                                bad = Some((ac, NumberField::Amount.problem(rec.trimmed(ac))))
                            }
                        }
                    }
                    AmountMode::QtyPrice => {
                        let pc = plan.mapping.unit_price.unwrap_or(0);
                        match parse_amount(rec.trimmed(pc), plan.price_comma, &mut self.votes[2]) {
                            Ok(p) => {
                                price = Some(p);
                                match mul_money(qty.unwrap_or(0), p) {
                                    Some(a) => amount = a,
                                    None => bad = Some((pc, Message::AmountOutOfRange)),
                                }
                            }
                            Err(()) => {
                                bad = Some((pc, NumberField::UnitPrice.problem(rec.trimmed(pc))))
                            }
                        }
                    }
                    AmountMode::None => {}
                }
            }
            if bad.is_none() && i64::try_from(amount).is_err() {
                let c = plan.mapping.amount.or(plan.mapping.unit_price).unwrap_or(0);
                bad = Some((c, Message::AmountOutOfRange));
            }
        }
        if let Some((col, msg)) = bad {
            let value = shown(rec.trimmed(col));
            if plan.switchable && plan.alt_format.is_some() && (primary.is_none() || alt.is_none())
            {
                let kind = primary.is_some();
                if self
                    .deferred
                    .iter()
                    .filter(|d| d.primary_fits == kind)
                    .count()
                    >= MAX_EXAMPLES
                {
                    self.deferred_more[usize::from(kind)] += 1;
                    return;
                }
                self.deferred.push(Deferred {
                    row,
                    primary_fits: primary.is_some(),
                    date_value: shown(raw_date),
                    amount_column: plan.label(col),
                    amount_value: value,
                    amount_message: msg,
                });
            } else {
                self.report.reject(
                    Reason::BadAmount,
                    row as u32,
                    Some(plan.label(col)),
                    &value,
                    msg,
                );
            }
            return;
        }
        let order_raw = plan.mapping.order.map(|oc| rec.trimmed(oc)).unwrap_or(&[]);
        let is_return = is_cancellation(order_raw, cancel) || qty.map_or(amount < 0, |q| q < 0);
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
            let value = || (row, shown(raw_date));
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
        let Some(customer) = self.ids.intern(cust) else {
            // past the bound on customer ids: the run fails at the end (see `ids_full`)
            self.ids_full = true;
            return;
        };
        let day = primary.map_or(i32::MIN, |s| s.day);
        if let Some(log) = self.rows_read.as_mut() {
            let text = |c: Option<usize>| c.map_or(&[][..], |c| rec.trimmed(c));
            let money = match plan.amount_mode {
                AmountMode::Amount => Some(amount),
                AmountMode::QtyPrice => price,
                AmountMode::None => None,
            };
            let row = TapRow {
                row,
                customer: cust,
                order: order_raw,
                category: text(plan.mapping.category),
                days: (day, alt.map_or(i32::MIN, |s| s.day)),
                quantity: qty,
                money,
            };
            let signals = plan.mapping.signals.iter();
            let texts = crate::ingest::tap::text_columns(plan);
            let dims = texts.iter().map(|&c| rec.trimmed(c));
            log.push(row, signals.map(|&c| is_truthy(rec.trimmed(c))), dims);
        }
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
                // (past the bound on names, further categories are not tracked)
                if let Some(cat) = (!name.is_empty()).then(|| log.names.intern(name)).flatten() {
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
        if let Some(d) = self.dims.as_mut() {
            d.read(|k| rec.trimmed(plan.mapping.dimensions[k]));
        }
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
                    && self.dims.as_ref().is_none_or(|d| d.same_as_last())
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
        if let Some(d) = self.dims.as_mut() {
            d.push();
        }
        if plan.switchable && plan.alt_format.is_some() {
            self.alt_days.push(alt.map_or(i32::MIN, |s| s.day));
        }
    }
}

/// A customer id as the customer is known: NUL bytes and invisible characters (zero-width spaces
/// and joiners, word joiners, byte-order marks) removed, Unicode spaces trimmed from both ends. Ids
/// differing only in those are one customer, and an id of nothing else is empty (a missing id).
/// Borrows the field unless something had to go (the common case: plain ASCII).
pub(crate) fn clean_id(id: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    use std::borrow::Cow;
    if id.iter().all(|&b| b != 0 && b < 0x80) {
        return Cow::Borrowed(id);
    }
    let invisible = |c: char| matches!(c, '\0' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}');
    let Ok(text) = std::str::from_utf8(id) else {
        // not UTF-8 (a decoding gone wrong): drop the NULs only
        return if id.contains(&0) {
            Cow::Owned(id.iter().copied().filter(|&b| b != 0).collect())
        } else {
            Cow::Borrowed(id)
        };
    };
    let trimmed = text.trim_matches(|c: char| c.is_whitespace() || invisible(c));
    if !trimmed.contains(invisible) {
        return Cow::Borrowed(trimmed.as_bytes());
    }
    Cow::Owned(
        trimmed
            .chars()
            .filter(|&c| !invisible(c))
            .collect::<String>()
            .trim()
            .as_bytes()
            .to_vec(),
    )
}

/// A signal column's value read as true: `1`, `true`, `yes`, `y`, `t`, `x` (any case), `是`, `有`,
/// `✓`; anything else (empty, `0`, `false`, `no`, `否` …) is false.
pub(crate) fn is_truthy(v: &[u8]) -> bool {
    ["1", "true", "yes", "y", "t", "x"]
        .iter()
        .any(|t| v.eq_ignore_ascii_case(t.as_bytes()))
        || ["是", "有", "✓"].iter().any(|t| t.as_bytes() == v)
}

pub(crate) fn is_cancellation(order: &[u8], prefix: Option<&[u8]>) -> bool {
    match prefix {
        // (first byte compared first: `strip_prefix` is a `memcmp` call, a byte loop in wasm)
        Some(p) if !p.is_empty() && order.first() == p.first() => order
            .strip_prefix(p)
            .is_some_and(|r| !r.is_empty() && r.iter().all(u8::is_ascii_digit)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_lose_nuls_and_invisible_characters() {
        use super::clean_id;
        let c = |s: &[u8]| clean_id(s).into_owned();
        assert_eq!(c(b"CUST-001"), b"CUST-001");
        assert_eq!(c(b"A\0"), b"A");
        assert_eq!(c(b"\0A\0B\0"), b"AB");
        assert_eq!(c("\u{200B}A\u{200D}B\u{FEFF}".as_bytes()), b"AB");
        assert_eq!(
            c("\u{3000}会员\u{00A0}001\u{2003}".as_bytes()),
            "会员\u{00A0}001".as_bytes()
        );
        assert_eq!(c("\u{200B}\u{2060}\u{3000}".as_bytes()), b"");
        assert_eq!(c(b"\xff\0x"), b"\xffx");
        // a plain id is borrowed, not copied
        assert!(matches!(clean_id(b"A1"), std::borrow::Cow::Borrowed(_)));
        assert!(matches!(
            clean_id("会员001".as_bytes()),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
