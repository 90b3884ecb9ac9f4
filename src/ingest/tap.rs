//! The rows as read (`docs/input.md#the-rows-as-read-tierwise-rows`): an analysis started with
//! [`crate::Analyzer::tap_rows`] keeps every valid row — a row that became an analysis event — in
//! file order, with its values as the analysis read them (the cleaned customer id, the parsed
//! numbers, the day under the whole file's date reading). `tierwise rows` writes them as a CSV
//! ([`crate::report::write_rows_csv`]), the typed transactions table another engine can start from.
//!
//! Memory grows with the valid rows: 64 bytes per row, plus its customer id, order id, category and
//! dimension text (4 bytes more per dimension column) and a byte per signal column.

use crate::ingest::columns::{AmountMode, Plan};
use crate::ingest::quality::ColumnsReport;

/// One tapped row; its texts are in [`RowLog::text`], back to back in row order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tapped {
    /// Row number as a spreadsheet shows it.
    row: u64,
    /// Day under the provisional date reading, then (settled) under the winning one; `i32::MIN`
    /// when that reading cannot read the row (a `bad_date` rejection: not written).
    day: i32,
    /// Day under the other month/day reading (`i32::MIN` when there is none or it cannot read it).
    alt: i32,
    /// Bytes of the customer id, the order id and the category in [`RowLog::text`].
    lens: [u32; 3],
    /// The quantity (0 when no quantity is read).
    quantity: i128,
    /// The amount, or the unit price when the amount is quantity × unit price (0 without either).
    money: i128,
}

/// The rows tapped while reading, not yet settled on the date reading.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RowLog {
    rows: Vec<Tapped>,
    /// Customer id, order id and category of every row, back to back.
    text: Vec<u8>,
    /// Each row's signal columns, true or false, back to back.
    signals: Vec<bool>,
    /// Each row's text columns ([`text_columns`]: dimensions, filter columns), trimmed, back to
    /// back; their lengths in `dim_lens`.
    dim_text: Vec<u8>,
    dim_lens: Vec<u32>,
}

/// What [`RowLog::push`] takes of a valid row.
pub(crate) struct TapRow<'a> {
    /// Row number as a spreadsheet shows it.
    pub(crate) row: u64,
    /// The cleaned customer id.
    pub(crate) customer: &'a [u8],
    /// The trimmed order id (empty without an order column).
    pub(crate) order: &'a [u8],
    /// The trimmed category (empty without a category column).
    pub(crate) category: &'a [u8],
    /// Day under the provisional reading and under the other month/day reading (`i32::MIN`: none).
    pub(crate) days: (i32, i32),
    /// The parsed quantity, when read.
    pub(crate) quantity: Option<i128>,
    /// The parsed amount, or the unit price when the amount is quantity × unit price.
    pub(crate) money: Option<i128>,
}

impl RowLog {
    /// Keeps one valid row; `signals` are its signal columns read as true or false, `dims` its
    /// text columns' values ([`text_columns`], trimmed).
    pub(crate) fn push<'d>(
        &mut self,
        r: TapRow<'_>,
        signals: impl Iterator<Item = bool>,
        dims: impl Iterator<Item = &'d [u8]>,
    ) {
        // (a field is at most a row, 1 MiB: its length fits in 32 bits)
        let len = |b: &[u8]| u32::try_from(b.len()).unwrap_or(u32::MAX);
        for d in dims {
            let n = len(d);
            self.dim_text.extend_from_slice(&d[..n as usize]);
            self.dim_lens.push(n);
        }
        let lens = [len(r.customer), len(r.order), len(r.category)];
        for (t, &n) in [r.customer, r.order, r.category].iter().zip(&lens) {
            self.text.extend_from_slice(&t[..n as usize]);
        }
        self.signals.extend(signals);
        self.rows.push(Tapped {
            row: r.row,
            day: r.days.0,
            alt: r.days.1,
            lens,
            quantity: r.quantity.unwrap_or(0),
            money: r.money.unwrap_or(0),
        });
    }
}

/// The columns written as text after the roles: the dimension columns, then the columns
/// `options.filter` reads that hold no role (a script run on the table applies the filter again).
pub(crate) fn text_columns(plan: &Plan) -> Vec<usize> {
    let m = &plan.mapping;
    let amount = plan.amount_mode;
    let mut taken: Vec<usize> = vec![plan.customer, plan.date];
    taken.extend(m.order);
    taken.extend(m.amount.filter(|_| amount == AmountMode::Amount));
    taken.extend(m.quantity.filter(|_| amount != AmountMode::None));
    taken.extend(m.unit_price.filter(|_| amount == AmountMode::QtyPrice));
    taken.extend(m.category);
    taken.extend(m.signals.iter().copied());
    // (a column already written for its role is not written twice: one name, one column)
    let mut cols: Vec<usize> = Vec::new();
    for &c in &m.dimensions {
        if !cols.contains(&c) && !taken.contains(&c) {
            cols.push(c);
        }
    }
    for &(c, _) in &plan.filter {
        if !taken.contains(&c) && !cols.contains(&c) {
            cols.push(c);
        }
    }
    cols
}

/// A column of [`RowsRead`]: the role whose values it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowField {
    /// The customer id, cleaned as the analysis knows the customer.
    Customer,
    /// The day, `YYYY-MM-DD`.
    Date,
    /// The order id, trimmed (empty when the row has none).
    Order,
    /// The amount column's value.
    Amount,
    /// The quantity.
    Quantity,
    /// The unit price (the amount is quantity × unit price).
    UnitPrice,
    /// The category, trimmed.
    Category,
    /// The signal column with this position in `summary.input.columns.signals`.
    Signal(usize),
    /// The text column with this position among the dimension columns and then the columns
    /// `options.filter` reads (those that hold no role), trimmed.
    Text(usize),
}

/// The valid rows of an analysis started with [`crate::Analyzer::tap_rows`]: every row that became
/// an analysis event (not rejected, not left out by `options.filter`; rows after the analysis date
/// and returns of every policy included), in file order, settled on the whole file's date reading.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowsRead {
    /// The columns that hold values, in output order: customer, date, order, amount, quantity,
    /// unit price, category, signals, dimensions (those the analysis read).
    pub fields: Vec<RowField>,
    /// Their names as `summary.input.columns` gives them: the header name, or `column N` (N the
    /// 0-based index) in a file without a header.
    pub names: Vec<String>,
    log: RowLog,
    /// Rows whose settled day is a day (those [`RowsRead::iter`] gives).
    len: usize,
    /// Signal columns per row.
    signals: usize,
    /// Text columns per row ([`text_columns`]).
    dims: usize,
}

/// One row of [`RowsRead`], borrowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowRead<'a> {
    /// Row number as a spreadsheet shows it.
    pub row: u64,
    /// The cleaned customer id (UTF-8).
    pub customer: &'a [u8],
    /// The day number (days from CE, as [`crate::CustomerRow`] counts days).
    pub day: i32,
    /// The trimmed order id (empty when the row has none or no order column is read).
    pub order: &'a [u8],
    /// The amount in millionths, when an amount column is read.
    pub amount: Option<i128>,
    /// The quantity in millionths, when a quantity is read.
    pub quantity: Option<i128>,
    /// The unit price in millionths, when the amount is quantity × unit price.
    pub unit_price: Option<i128>,
    /// The trimmed category (empty without a category column).
    pub category: &'a [u8],
    /// The signal columns, true or false, in `summary.input.columns.signals` order.
    pub signals: &'a [bool],
    /// The text columns' values ([`RowField::Text`]), trimmed.
    pub dims: Vec<&'a [u8]>,
}

impl RowsRead {
    /// Settles the tapped rows on the date reading that won (`use_alt`: the other month/day
    /// reading) and names their columns after `columns` (the summary's `input.columns`).
    pub(crate) fn settle(
        mut log: RowLog,
        use_alt: bool,
        plan: &Plan,
        columns: &ColumnsReport,
    ) -> RowsRead {
        if use_alt {
            for t in &mut log.rows {
                t.day = t.alt;
            }
        }
        let len = log.rows.iter().filter(|t| t.day != i32::MIN).count();
        let m = &plan.mapping;
        let mut fields = vec![RowField::Customer, RowField::Date];
        let mut names = vec![name(&columns.customer), name(&columns.date)];
        let mut add = |on: bool, f: RowField, n: &Option<serde_json::Value>| {
            if on {
                fields.push(f);
                names.push(name(n));
            }
        };
        let amount = plan.amount_mode;
        add(m.order.is_some(), RowField::Order, &columns.order);
        add(
            amount == AmountMode::Amount,
            RowField::Amount,
            &columns.amount,
        );
        add(
            m.quantity.is_some() && amount != AmountMode::None,
            RowField::Quantity,
            &columns.quantity,
        );
        add(
            amount == AmountMode::QtyPrice,
            RowField::UnitPrice,
            &columns.unit_price,
        );
        add(m.category.is_some(), RowField::Category, &columns.category);
        for (k, s) in columns.signals.iter().enumerate() {
            fields.push(RowField::Signal(k));
            names.push(name(&Some(s.clone())));
        }
        let texts = text_columns(plan);
        for (k, &c) in texts.iter().enumerate() {
            fields.push(RowField::Text(k));
            names.push(plan.label(c));
        }
        RowsRead {
            dims: texts.len(),
            signals: columns.signals.len(),
            fields,
            names,
            log,
            len,
        }
    }

    /// Number of rows ([`RowsRead::iter`] gives them).
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there is no row.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The rows in file order.
    pub fn iter(&self) -> impl Iterator<Item = RowRead<'_>> + '_ {
        let has = |f: RowField| self.fields.contains(&f);
        let (amount, quantity, price) = (
            has(RowField::Amount),
            has(RowField::Quantity),
            has(RowField::UnitPrice),
        );
        let mut at = 0usize;
        let mut dim_at = 0usize;
        self.log.rows.iter().enumerate().filter_map(move |(i, t)| {
            let mut dims = Vec::with_capacity(self.dims);
            for k in 0..self.dims {
                let n = self
                    .log
                    .dim_lens
                    .get(i * self.dims + k)
                    .copied()
                    .unwrap_or(0);
                let from = dim_at.min(self.log.dim_text.len());
                dim_at = from.saturating_add(n as usize).min(self.log.dim_text.len());
                dims.push(&self.log.dim_text[from..dim_at]);
            }
            let mut part = |n: u32| {
                let from = at.min(self.log.text.len());
                at = from.saturating_add(n as usize).min(self.log.text.len());
                &self.log.text[from..at]
            };
            let (customer, order, category) = (part(t.lens[0]), part(t.lens[1]), part(t.lens[2]));
            if t.day == i32::MIN {
                return None; // the winning date reading cannot read it: rejected as bad_date
            }
            let s = self.signals;
            let signals = self.log.signals.get(i * s..(i + 1) * s).unwrap_or_default();
            Some(RowRead {
                row: t.row,
                customer,
                day: t.day,
                order,
                amount: amount.then_some(t.money),
                quantity: quantity.then_some(t.quantity),
                unit_price: price.then_some(t.money),
                category,
                signals,
                dims,
            })
        })
    }
}

/// A column's name as the summary gives it: the header name, or `column N` for index N.
fn name(v: &Option<serde_json::Value>) -> String {
    match v {
        Some(serde_json::Value::String(s)) => s.clone(),
        // a file without a header: its columns as the core labels them (`column 0`, …), the names
        // the SQL export reads (`docs/sql.md#contract`)
        Some(serde_json::Value::Number(n)) => format!("column {n}"),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}
