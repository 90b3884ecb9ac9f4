//! Columns: whether the first record is a header, which column takes which role (header names in
//! English and Chinese, else the values; `options.columns` overrides), and the reading plan (date
//! format, decimal separators) decided once from the head.

use crate::error::{RequiredRole, Result, TierwiseError};
use crate::ingest::dates::{choose_format, DateFormat};
use crate::ingest::guess::{guess, ColumnGuess};
use crate::ingest::layout::{modal_width, Record};
use crate::ingest::money::{decide_decimal_comma, parse_money};
use crate::ingest::quality::InputReport;
use crate::ingest::quality::TitleRow;
use crate::ingest::roles::{
    column_label, column_value, name_matches_any_role, normalize_name, Mapping, Role, ROLES,
};
use crate::messages::Message;
use crate::options::{ColumnRef, DateOrder, HeaderRow, Options};

/// Data records of the head sample the column guesses look at.
pub const SAMPLE_FOR_GUESSES: usize = 1000;

pub(crate) fn looks_like_date(v: &str) -> bool {
    let v = v.trim();
    !v.is_empty()
        && DateFormat::ALL
            .iter()
            .any(|f| !f.is_numeric() && f.parse(v).is_some())
}

pub(crate) fn looks_like_number(v: &str) -> bool {
    parse_money(v, false).is_some() || parse_money(v, true).is_some()
}

/// Decides whether the first record is a header: it holds no date, and either a field names a known
/// role, or none of its fields is a number while the next record has a number or a date.
pub fn is_header(first: &Record, second: Option<&Record>) -> bool {
    if first.fields.iter().any(|f| looks_like_date(f)) {
        return false;
    }
    if first
        .fields
        .iter()
        .any(|f| name_matches_any_role(f) && !f.chars().any(|c| c.is_ascii_digit()))
    {
        return true;
    }
    let all_text = first
        .fields
        .iter()
        .all(|f| !f.trim().is_empty() && !looks_like_number(f));
    all_text
        && second.is_some_and(|s| {
            s.fields
                .iter()
                .any(|f| looks_like_number(f) || looks_like_date(f))
        })
}

fn filled(r: &Record) -> usize {
    r.fields.iter().filter(|f| !f.trim().is_empty()).count()
}

/// Header names for a message: the first [`MAX_NAMES_SHOWN`] quoted (each cut to 60 characters),
/// then how many more there are, so a file with thousands of columns gives a short message.
pub(crate) fn shown_names(h: &[String]) -> String {
    names_list(h, true)
}

fn names_list(h: &[String], quoted: bool) -> String {
    let mut s = h
        .iter()
        .take(MAX_NAMES_SHOWN)
        .map(|c| {
            let c: String = c.chars().take(60).collect();
            if quoted {
                format!("\"{c}\"")
            } else {
                c
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    if h.len() > MAX_NAMES_SHOWN {
        s += &format!(" … ({} columns in all)", h.len());
    }
    s
}

/// Header names a message shows at most.
pub const MAX_NAMES_SHOWN: usize = 20;

/// Most title rows a file may have above its header.
pub const MAX_TITLE_ROWS: usize = 20;

/// Finds the header: `(records to skip before it, whether there is one)`. With `headerRow: auto`,
/// leading records that fill at most half the table's width (a report title, an export date, blank
/// separators) are title rows when the record after them is a header; otherwise the first record is
/// the header when [`is_header`] says so.
pub(crate) fn find_header(sample: &[Record], opts: &Options) -> Result<(usize, bool)> {
    match opts.header_row {
        HeaderRow::None => Ok((0, false)),
        HeaderRow::Row(n) => sample
            .iter()
            .position(|r| u64::from(r.line) == u64::from(n))
            .map(|k| (k, true))
            .ok_or_else(|| TierwiseError::Options {
                key: "headerRow".into(),
                problem: Message::HeaderRowNotFound {
                    row: u64::from(n),
                    last: sample.last().map_or(0, |r| u64::from(r.line)),
                },
            }),
        HeaderRow::Auto => {
            let width = modal_width(sample);
            if width >= 2 {
                let sparse = |r: &Record| filled(r) * 2 <= width && filled(r) < width;
                let k = sample
                    .iter()
                    .take(MAX_TITLE_ROWS + 1)
                    .take_while(|r| sparse(r))
                    .count();
                if k > 0 && k <= MAX_TITLE_ROWS {
                    if let Some(h) = sample.get(k) {
                        if filled(h) * 2 > width && is_header(h, sample.get(k + 1)) {
                            return Ok((k, true));
                        }
                    }
                }
            }
            let first = sample.first().ok_or(TierwiseError::EmptyFile)?;
            Ok((0, is_header(first, sample.get(1))))
        }
    }
}

pub(crate) fn resolve_ref(
    role: &str,
    r: &ColumnRef,
    header: Option<&[String]>,
    width: usize,
) -> Result<usize> {
    match r {
        ColumnRef::Index(i) => {
            if *i < width {
                Ok(*i)
            } else {
                Err(TierwiseError::BadColumnOption {
                    role: role.into(),
                    problem: Message::ColumnIndexOutOfRange {
                        index: *i,
                        width,
                        last: width.saturating_sub(1),
                    },
                })
            }
        }
        ColumnRef::Name(name) => {
            let Some(h) = header else {
                return Err(TierwiseError::BadColumnOption {
                    role: role.into(),
                    problem: Message::ColumnNameWithoutHeader { name: name.clone() },
                });
            };
            if let Some(i) = h.iter().position(|c| c.trim() == name.trim()) {
                return Ok(i);
            }
            let n = normalize_name(name);
            h.iter()
                .position(|c| normalize_name(c) == n)
                .ok_or_else(|| TierwiseError::BadColumnOption {
                    role: role.into(),
                    problem: Message::ColumnNotFound {
                        name: name.chars().take(100).collect(),
                        header: names_list(h, false),
                    },
                })
        }
    }
}

/// A key of `options.filter`: a header name (exact, then ignoring case, spaces, `_` and `-`), else
/// digits read as a 0-based index.
pub(crate) fn resolve_filter_key(
    key: &str,
    header: Option<&[String]>,
    width: usize,
) -> Result<usize> {
    let as_name = ColumnRef::Name(key.to_string());
    let by_name = header.and_then(|h| resolve_ref("filter", &as_name, Some(h), width).ok());
    if let Some(i) = by_name {
        return Ok(i);
    }
    let digits = !key.trim().is_empty() && key.trim().bytes().all(|b| b.is_ascii_digit());
    let r = match key.trim().parse::<usize>() {
        Ok(i) if digits => ColumnRef::Index(i),
        _ => as_name,
    };
    resolve_ref("filter", &r, header, width).map_err(|e| match e {
        TierwiseError::BadColumnOption { problem, .. } => TierwiseError::Options {
            key: "filter".into(),
            problem,
        },
        other => other,
    })
}

pub(crate) fn role_override(opts: &Options, r: Role) -> Option<&ColumnRef> {
    let c = &opts.columns;
    match r {
        Role::Date => c.date.as_ref(),
        Role::Customer => c.customer.as_ref(),
        Role::Order => c.order.as_ref(),
        Role::Amount => c.amount.as_ref(),
        Role::Quantity => c.quantity.as_ref(),
        Role::UnitPrice => c.unit_price.as_ref(),
        Role::Category => c.category.as_ref(),
    }
}

/// What to read from each record, decided once from the sample at the start of the file.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The header fields (trimmed), when the first record is a header.
    pub header: Option<Vec<String>>,
    /// Expected field count (header width, or the most common width of the sample).
    pub width: usize,
    /// Column per role.
    pub mapping: Mapping,
    /// `options.filter` resolved: per column, the (trimmed) values whose rows are kept.
    pub filter: Vec<(usize, rustc_hash::FxHashSet<Box<[u8]>>)>,
    /// Records before the first data record: title rows and the header.
    pub skip_records: usize,
    /// Data records of the head the guesses looked at.
    pub rows_sampled: usize,
    /// Every column's guessed role (what [`crate::inspect`] reports).
    pub guesses: Vec<ColumnGuess>,
    /// Customer id column.
    pub customer: usize,
    /// Date column.
    pub date: usize,
    /// Where the amount comes from.
    pub amount_mode: AmountMode,
    /// The date format chosen from the sample (provisional for month/day-first, see `alt_format`).
    pub date_format: DateFormat,
    /// For a month-first/day-first column: the other reading. Every value is tried both ways so the
    /// summary can say whether the column is ambiguous; with `dateOrder: auto` (see `switchable`)
    /// both readings are kept until the end and the one that fits the most values wins.
    pub alt_format: Option<DateFormat>,
    /// The reading may still change at the end (`dateOrder: auto`).
    pub switchable: bool,
    /// The sample's date values (for the summary's samples).
    pub date_samples: Vec<String>,
    /// Decimal comma per amount, quantity and unit price column.
    pub amount_comma: bool,
    /// Decimal comma for quantity.
    pub qty_comma: bool,
    /// Decimal comma for unit price.
    pub price_comma: bool,
    /// A required role no column took, when the plan was made leniently for [`crate::inspect`]
    /// (the error `analyze` would give; `customer` / `date` then hold a placeholder 0).
    pub missing: Option<TierwiseError>,
}

impl Plan {
    /// The column's name for messages: the header name, or `column N`.
    pub fn label(&self, i: usize) -> String {
        column_label(self.header.as_deref(), i)
    }
}

/// Decides header, column roles, date format and decimal separators from the first records of the
/// file, and fills the report's `header` and `columns`. Fails when no customer or date column exists.
///
/// `lenient` (the mapping step of [`crate::inspect_lenient`]): a missing customer or date column
/// does not fail; the error is kept in [`Plan::missing`] and the role left unmapped.
pub fn make_plan(
    sample: &[Record],
    opts: &Options,
    report: &mut InputReport,
    warnings: &mut Vec<Message>,
    lenient: bool,
) -> Result<Plan> {
    if sample.is_empty() {
        return Err(TierwiseError::EmptyFile);
    }
    let (skip, header_present) = find_header(sample, opts)?;
    report.header = header_present;
    let header: Option<Vec<String>> = if header_present {
        let h = &sample[skip];
        report.header_row = Some(u64::from(h.line));
        Some(h.fields.iter().map(|f| f.trim().to_string()).collect())
    } else {
        None
    };
    report.title_rows = sample[..skip]
        .iter()
        .map(|r| TitleRow {
            row: u64::from(r.line),
            text: r
                .fields
                .iter()
                .map(|f| f.trim())
                .filter(|f| !f.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
                .chars()
                .take(200)
                .collect(),
        })
        .collect();
    if let (true, Some(row)) = (skip > 0, report.header_row) {
        warnings.push(Message::TitleRowsSkipped {
            count: skip,
            header_row: row,
        });
    }
    let skip_records = skip + usize::from(header_present);
    let data: &[Record] = &sample[skip_records.min(sample.len())..];
    let width = match &header {
        Some(h) => h.len(),
        None => modal_width(data),
    };
    let hdr = header.as_deref();

    // roles: overrides first, then the guesses from names and values
    let mut m = Mapping::default();
    let mut fixed = Vec::new();
    for role in ROLES {
        if let Some(r) = role_override(opts, role) {
            m.set(role, Some(resolve_ref(role.key(), r, hdr, width)?));
            fixed.push(role);
        }
    }
    for r in &opts.columns.signals {
        m.signals.push(resolve_ref("signals", r, hdr, width)?);
    }
    for r in &opts.columns.dimensions {
        let i = resolve_ref("dimensions", r, hdr, width)?;
        if !m.dimensions.contains(&i) {
            m.dimensions.push(i);
        }
    }
    let mut filter = Vec::with_capacity(opts.filter.len());
    for (key, values) in &opts.filter {
        let col = resolve_filter_key(key, hdr, width)?;
        let set: rustc_hash::FxHashSet<Box<[u8]>> =
            values.iter().map(|v| v.trim().as_bytes().into()).collect();
        filter.push((col, set));
    }
    let is_repeat = |r: &Record| {
        hdr.is_some_and(|h| {
            r.fields.len() == h.len() && r.fields.iter().zip(h).all(|(a, b)| a.trim() == b)
        })
    };
    let rows: Vec<Record> = data
        .iter()
        .filter(|r| r.fields.len() <= width && !is_repeat(r))
        .take(SAMPLE_FOR_GUESSES)
        .cloned()
        .collect();
    let guesses = guess(hdr, &rows, width, m, &fixed, opts.date_order);
    let m = guesses.mapping;
    warnings.extend(guesses.warnings);
    let found = match hdr {
        Some(h) => Message::FoundColumns {
            columns: shown_names(h),
        },
        None => Message::FoundNoHeader { width },
    };
    let missing = |role| TierwiseError::MissingColumn {
        role,
        found: found.clone(),
    };
    let mut absent = None;
    let mut required = |col: Option<usize>, role| match col {
        Some(c) => Ok(c),
        None if lenient => {
            absent.get_or_insert_with(|| missing(role));
            Ok(0)
        }
        None => Err(missing(role)),
    };
    let customer = required(m.customer, RequiredRole::Customer)?;
    let date = required(m.date, RequiredRole::Date)?;
    let amount_mode = if m.amount.is_some() {
        AmountMode::Amount
    } else if m.quantity.is_some() && m.unit_price.is_some() {
        AmountMode::QtyPrice
    } else {
        AmountMode::None
    };
    {
        let c = &mut report.columns;
        let v = |i: Option<usize>| i.map(|i| column_value(hdr, i));
        c.customer = v(m.customer);
        c.date = v(m.date);
        c.amount = v(m.amount);
        c.quantity = v(m.quantity);
        c.unit_price = v(m.unit_price);
        c.order = v(m.order);
        c.category = v(m.category);
        c.signals = m.signals.iter().map(|&i| column_value(hdr, i)).collect();
        c.dimensions = m.dimensions.iter().map(|&i| column_value(hdr, i)).collect();
    }
    if m.quantity.is_some() != m.unit_price.is_some() && m.amount.is_none() {
        warnings.push(Message::HalfAmount);
    } else if amount_mode == AmountMode::None {
        warnings.push(Message::NoAmountColumn);
    }
    let candidates = || {
        data.iter()
            .filter(|r| r.fields.len() <= width && !is_repeat(r))
    };
    let col =
        |c: usize| candidates().map(move |r| r.fields.get(c).map(|s| s.as_str()).unwrap_or(""));
    let choice = choose_format(col(date), opts.date_order);
    let (date_format, alt_format) = match &choice {
        Some(c) => match c.format {
            DateFormat::Mdy(s) => (DateFormat::Mdy(s), Some(DateFormat::Dmy(s))),
            DateFormat::Dmy(s) => (DateFormat::Dmy(s), Some(DateFormat::Mdy(s))),
            f => (f, None),
        },
        // nothing in the sample parses: ISO, so that every row is rejected as bad_date with its value
        None => (DateFormat::Iso, None),
    };
    let mut date_samples: Vec<String> = Vec::new();
    for v in col(date) {
        let v = v.trim();
        if !v.is_empty() && !date_samples.iter().any(|s| s == v) {
            date_samples.push(v.to_string());
            if date_samples.len() == 50 {
                break;
            }
        }
    }
    let comma = |c: Option<usize>| c.is_some_and(|c| decide_decimal_comma(col(c)));
    Ok(Plan {
        width,
        customer,
        date,
        amount_mode,
        date_format,
        alt_format,
        switchable: opts.date_order == DateOrder::Auto,
        date_samples,
        amount_comma: comma(m.amount),
        qty_comma: comma(m.quantity),
        price_comma: comma(m.unit_price),
        mapping: m,
        filter,
        header,
        skip_records,
        rows_sampled: rows.len(),
        guesses: guesses.columns,
        missing: absent,
    })
}

/// Where a row's amount comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountMode {
    /// No amount: R and F only.
    None,
    /// The amount column.
    Amount,
    /// Quantity × unit price.
    QtyPrice,
}
