//! Ingest: bytes → typed transactions plus the data-quality report (SPEC §1).
//!
//! Steps: decode (BOM, UTF-8, or a guess among legacy encodings with `chardetng`, decoded by
//! `encoding_rs`), sniff the delimiter (`,` `;` tab `|` or whitespace-aligned), tokenise RFC 4180
//! records with the `csv` crate, decide whether the first record is a header, map columns to roles
//! (header names in English and Chinese, else values; `options.columns` overrides), choose the date
//! format and decimal separator per column, then validate every row. Bad rows are rejected with one
//! reason each and never stop the run.


pub(crate) mod blocks;
pub mod dates;
pub(crate) mod intern;
pub mod money;
pub mod reader;
pub(crate) mod tokenize;

use crate::ingest::dates::{choose_format, DateFormat};
use crate::error::{Result, TierwiseError};
use crate::ingest::money::{decide_decimal_comma, parse_money};
use crate::options::{ColumnRef, DateOrder, Options};
use serde::Serialize;
use std::collections::BTreeMap;

/// Rejection reasons, in the order they are checked.
pub const REASONS: [&str; 5] = [
    "malformed_row",
    "repeated_header",
    "missing_customer",
    "bad_date",
    "bad_amount",
];

/// Examples kept per rejection reason.
pub const MAX_EXAMPLES: usize = 20;

/// One rejected-row example.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RejectExample {
    /// Row number as a spreadsheet shows it (the header is row 1).
    pub row: u32,
    /// Column name (or `column N` without a header); `None` for whole-row problems.
    pub column: Option<String>,
    /// The raw value.
    pub value: String,
    /// The reason code.
    pub reason: String,
    /// A readable message, e.g. `row 12: could not parse amount "1,2,3"`.
    pub message: String,
}

/// Count and first examples for one reason.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RejectStat {
    /// Rows rejected for this reason.
    pub count: u64,
    /// Up to [`MAX_EXAMPLES`] examples, in file order.
    pub examples: Vec<RejectExample>,
}

/// Rows that are valid but left out of the analysis.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Excluded {
    /// Rows dated after the analysis date.
    pub after_analysis_date: u64,
    /// Returns dropped by `returns: "ignore"`.
    pub ignored_returns: u64,
    /// Returns of customers with no order up to the analysis date (`returns: "net"`).
    pub returns_without_purchase: u64,
}

/// Where each role was found: header name, or 0-based index without a header.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ColumnsReport {
    /// Customer id column.
    pub customer: Option<serde_json::Value>,
    /// Date column.
    pub date: Option<serde_json::Value>,
    /// Amount column.
    pub amount: Option<serde_json::Value>,
    /// Quantity column.
    pub quantity: Option<serde_json::Value>,
    /// Unit price column.
    pub unit_price: Option<serde_json::Value>,
    /// Order id column.
    pub order: Option<serde_json::Value>,
    /// Category column.
    pub category: Option<serde_json::Value>,
    /// Signal columns.
    pub signals: Vec<serde_json::Value>,
}

/// How the date column was read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateFormatReport {
    /// The date column (name or index).
    pub column: serde_json::Value,
    /// The format pattern, e.g. `YYYY-MM-DD` or `M/D/YYYY`.
    pub format: String,
    /// Month-first and day-first both fit every value.
    pub ambiguous: bool,
    /// Up to 5 distinct sample values.
    pub samples: Vec<String>,
    /// `mdy`, `dmy` or `ymd`; `null` for numeric formats.
    pub order: Option<String>,
}

/// The data-quality part of the summary (`input`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InputReport {
    /// Records after the header (blank lines not counted).
    pub rows: u64,
    /// Rows contributing to some analysed customer (filled in by the facts step).
    pub used: u64,
    /// Encoding used to decode the bytes.
    pub encoding: String,
    /// `,` `;` `\t` `|` or `whitespace`.
    pub delimiter: String,
    /// Whether the first record is a header.
    pub header: bool,
    /// Role → column.
    pub columns: ColumnsReport,
    /// How dates were read.
    pub date_format: Option<DateFormatReport>,
    /// Reason → count and examples (only reasons that occurred).
    pub rejected: BTreeMap<String, RejectStat>,
    /// Valid rows left out.
    pub excluded: Excluded,
}

impl InputReport {
    /// Total rejected rows over all reasons.
    pub fn rejected_total(&self) -> u64 {
        self.rejected.values().map(|r| r.count).sum()
    }

    pub fn reject(
        &mut self,
        reason: &str,
        row: u32,
        column: Option<String>,
        value: &str,
        message: String,
    ) {
        let stat = self.rejected.entry(reason.to_string()).or_default();
        stat.count += 1;
        if stat.examples.len() < MAX_EXAMPLES {
            stat.examples.push(RejectExample {
                row,
                column,
                value: value.to_string(),
                reason: reason.to_string(),
                message: format!("row {row}: {message}"),
            });
        }
    }
}

/// What ingest hands to the report besides the per-customer facts.
#[derive(Debug, Clone, Default)]
pub struct Ingested {
    /// Data-quality report.
    pub report: InputReport,
    /// An amount (or quantity × unit price) is mapped.
    pub has_amount: bool,
    /// An order id column is mapped.
    pub has_order: bool,
    /// Non-fatal problems worth telling the user.
    pub warnings: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// decoding

/// Picks the encoding from the head of the file (the first MiB, or all of a smaller file): a forced
/// WHATWG label, else a BOM, else UTF-8 when the head is valid UTF-8 (a character cut at the end of
/// the head is fine), else `chardetng`'s guess among the legacy encodings browsers know. Returns the
/// encoding and the length of the BOM to skip.
pub fn pick_encoding(
    head: &[u8],
    label: &str,
    last: bool,
) -> Result<(&'static encoding_rs::Encoding, usize)> {
    use encoding_rs::{Encoding, UTF_8};
    if label != "auto" {
        let enc = Encoding::for_label(label.as_bytes())
            .ok_or_else(|| TierwiseError::Decode(format!("unknown encoding label \"{label}\"")))?;
        return Ok(match Encoding::for_bom(head) {
            Some((bom_enc, n)) if bom_enc == enc => (enc, n),
            _ => (enc, 0),
        });
    }
    if let Some((enc, n)) = Encoding::for_bom(head) {
        return Ok((enc, n));
    }
    match std::str::from_utf8(head) {
        Ok(_) => return Ok((UTF_8, 0)),
        Err(e) if e.error_len().is_none() && !last => return Ok((UTF_8, 0)),
        Err(_) => {}
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(head, last);
    Ok((det.guess(None, chardetng::Utf8Detection::Deny), 0))
}

// ---------------------------------------------------------------------------------------------
// layout

pub use crate::ingest::tokenize::Delimiter;

/// Counts, per record of the first lines, how often each candidate appears outside quotes, and picks
/// the candidate with the most consistent non-zero count. Without any, whitespace-aligned when the
/// lines split into the same number (≥ 2) of tokens, else `,` (one column).
pub fn sniff_delimiter(text: &str) -> Delimiter {
    const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
    let mut per_record: Vec<[usize; 4]> = Vec::new();
    let mut cur = [0usize; 4];
    let mut in_quotes = false;
    let mut nonblank = false;
    let bytes = text.as_bytes();
    let limit = bytes.len().min(64 * 1024);
    let mut i = 0;
    while i < limit && per_record.len() < 50 {
        let b = bytes[i];
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if !in_quotes && (b == b'\n' || b == b'\r') {
            if nonblank {
                per_record.push(cur);
            }
            cur = [0; 4];
            nonblank = false;
        } else if !in_quotes {
            if let Some(k) = CANDIDATES.iter().position(|&c| c == b) {
                cur[k] += 1;
            }
            if !b.is_ascii_whitespace() {
                nonblank = true;
            }
        }
        i += 1;
    }
    if nonblank && per_record.len() < 50 {
        per_record.push(cur);
    }
    // drop a possibly truncated last record when we stopped early
    if limit < bytes.len() && per_record.len() > 1 {
        per_record.pop();
    }
    let mut best: Option<(usize, usize, usize)> = None; // (consistent records, count, k)
    for k in 0..4 {
        let counts: Vec<usize> = per_record.iter().map(|r| r[k]).collect();
        if counts.iter().all(|&c| c == 0) {
            continue;
        }
        let first = counts[0];
        let consistent = counts.iter().filter(|&&c| c == first && c > 0).count();
        let key = (consistent, first, 4 - k);
        if best.is_none_or(|b| (key.0, key.1) > (b.0, b.1)) {
            best = Some((key.0, key.1, k));
        }
    }
    if let Some((_, _, k)) = best {
        return Delimiter::Byte(CANDIDATES[k]);
    }
    let widths: Vec<usize> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(50)
        .map(|l| l.split_whitespace().count())
        .collect();
    if !widths.is_empty()
        && widths[0] >= 2
        && widths.iter().filter(|&&w| w == widths[0]).count() * 10 >= widths.len() * 9
    {
        return Delimiter::Whitespace;
    }
    Delimiter::Byte(b',')
}

/// One sample record (owned fields) with its spreadsheet row.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// 1-based line number where the record starts.
    pub line: u32,
    /// Raw fields (not trimmed).
    pub fields: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// columns

/// The roles a column can take, in detection priority order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Date / datetime.
    Date,
    /// Customer id.
    Customer,
    /// Order id.
    Order,
    /// Net amount.
    Amount,
    /// Quantity.
    Quantity,
    /// Unit price.
    UnitPrice,
    /// Category / product.
    Category,
}

const ROLES: [Role; 7] = [
    Role::Date,
    Role::Customer,
    Role::Order,
    Role::Amount,
    Role::Quantity,
    Role::UnitPrice,
    Role::Category,
];

impl Role {
    fn key(self) -> &'static str {
        match self {
            Role::Date => "date",
            Role::Customer => "customer",
            Role::Order => "order",
            Role::Amount => "amount",
            Role::Quantity => "quantity",
            Role::UnitPrice => "unitPrice",
            Role::Category => "category",
        }
    }
    fn exact(self) -> &'static [&'static str] {
        match self {
            Role::Customer => &[
                "customerid",
                "customer",
                "custid",
                "customerno",
                "customernumber",
                "customercode",
                "clientid",
                "client",
                "userid",
                "user",
                "memberid",
                "member",
                "buyerid",
                "accountid",
                "客户id",
                "客户编号",
                "会员id",
                "客户",
                "会员",
                "用户id",
                "客户号",
                "会员编号",
                "客户代码",
                "会员号",
                "买家id",
                "用户",
            ],
            Role::Date => &[
                "invoicedate",
                "orderdate",
                "date",
                "datetime",
                "transactiondate",
                "purchasedate",
                "time",
                "timestamp",
                "createdat",
                "orderdatetime",
                "ordertime",
                "paymentdate",
                "订单日期",
                "下单时间",
                "交易日期",
                "日期",
                "时间",
                "下单日期",
                "交易时间",
                "购买日期",
                "付款时间",
                "支付时间",
                "创建时间",
                "订单时间",
            ],
            Role::Amount => &[
                "amount",
                "revenue",
                "sales",
                "total",
                "totalamount",
                "netamount",
                "value",
                "ordervalue",
                "spend",
                "netsales",
                "金额",
                "实付金额",
                "订单金额",
                "销售额",
                "交易金额",
                "支付金额",
                "消费金额",
                "总金额",
                "实收金额",
                "实付",
            ],
            Role::Quantity => &["quantity", "qty", "units", "数量", "购买数量", "件数"],
            Role::UnitPrice => &["unitprice", "price", "单价", "价格", "商品单价"],
            Role::Order => &[
                "invoiceno",
                "invoice",
                "invoiceid",
                "orderid",
                "order",
                "orderno",
                "ordernumber",
                "transactionid",
                "订单号",
                "订单编号",
                "订单id",
                "单号",
                "交易号",
                "交易单号",
            ],
            Role::Category => &[
                "category",
                "productcategory",
                "product",
                "stockcode",
                "sku",
                "品类",
                "类别",
                "商品类别",
                "产品",
                "商品",
                "类目",
            ],
        }
    }
    fn partial(self) -> &'static [&'static str] {
        match self {
            Role::Customer => &[
                "customer", "cust", "client", "member", "客户", "会员", "用户",
            ],
            Role::Date => &["date", "time", "日期", "时间"],
            Role::Amount => &["amount", "revenue", "sales", "total", "金额", "销售额"],
            Role::Quantity => &["quantity", "qty", "数量"],
            Role::UnitPrice => &["unitprice", "price", "单价"],
            Role::Order => &["invoice", "order", "订单", "单号"],
            Role::Category => &["category", "product", "品类", "类别", "商品"],
        }
    }
}

/// Normalises a header name for matching: lower case, without spaces, `_`, `-` and `.`.
pub fn normalize_name(s: &str) -> String {
    s.trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.' | '\u{3000}'))
        .flat_map(char::to_lowercase)
        .collect()
}

fn looks_like_date(v: &str) -> bool {
    let v = v.trim();
    !v.is_empty()
        && DateFormat::ALL
            .iter()
            .any(|f| !f.is_numeric() && f.parse(v).is_some())
}

fn looks_like_number(v: &str) -> bool {
    parse_money(v, false).is_some() || parse_money(v, true).is_some()
}

fn name_matches_any_role(v: &str) -> bool {
    let n = normalize_name(v);
    !n.is_empty()
        && ROLES
            .iter()
            .any(|r| r.exact().contains(&n.as_str()) || r.partial().iter().any(|p| n.contains(p)))
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

/// Column index per role after detection and overrides.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mapping {
    /// Customer id column.
    pub customer: Option<usize>,
    /// Date column.
    pub date: Option<usize>,
    /// Amount column.
    pub amount: Option<usize>,
    /// Quantity column.
    pub quantity: Option<usize>,
    /// Unit price column.
    pub unit_price: Option<usize>,
    /// Order id column.
    pub order: Option<usize>,
    /// Category column.
    pub category: Option<usize>,
    /// Signal columns.
    pub signals: Vec<usize>,
}

impl Mapping {
    fn get(&self, r: Role) -> Option<usize> {
        match r {
            Role::Date => self.date,
            Role::Customer => self.customer,
            Role::Order => self.order,
            Role::Amount => self.amount,
            Role::Quantity => self.quantity,
            Role::UnitPrice => self.unit_price,
            Role::Category => self.category,
        }
    }
    fn set(&mut self, r: Role, v: Option<usize>) {
        match r {
            Role::Date => self.date = v,
            Role::Customer => self.customer = v,
            Role::Order => self.order = v,
            Role::Amount => self.amount = v,
            Role::Quantity => self.quantity = v,
            Role::UnitPrice => self.unit_price = v,
            Role::Category => self.category = v,
        }
    }
    fn taken(&self) -> Vec<usize> {
        ROLES
            .iter()
            .filter_map(|r| self.get(*r))
            .chain(self.signals.iter().copied())
            .collect()
    }
}

fn resolve_ref(
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
                    message: format!(
                        "column index {i} is out of range: the file has {width} columns (0 to {})",
                        width.saturating_sub(1)
                    ),
                })
            }
        }
        ColumnRef::Name(name) => {
            let Some(h) = header else {
                return Err(TierwiseError::BadColumnOption {
                    role: role.into(),
                    message: format!("column \"{name}\" not found: the file has no header row; use a 0-based index"),
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
                    message: format!(
                        "column \"{name}\" not found; the header has: {}",
                        h.join(", ")
                    ),
                })
        }
    }
}

fn role_override(opts: &Options, r: Role) -> Option<&ColumnRef> {
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

/// Maps roles from header names: exact matches first (over all roles), then partial ones; a column
/// takes at most one role.
fn detect_from_header(header: &[String], m: &mut Mapping, fixed: &[Role]) {
    let norm: Vec<String> = header.iter().map(|h| normalize_name(h)).collect();
    for pass in 0..2 {
        for role in ROLES {
            if m.get(role).is_some() || fixed.contains(&role) {
                continue;
            }
            let taken = m.taken();
            let found = norm.iter().enumerate().find(|(i, n)| {
                !taken.contains(i)
                    && !n.is_empty()
                    && if pass == 0 {
                        role.exact().contains(&n.as_str())
                    } else {
                        role.partial().iter().any(|p| n.contains(p))
                    }
            });
            if let Some((i, _)) = found {
                m.set(role, Some(i));
            }
        }
    }
}

/// Maps customer, date and amount from the values of a headerless file: the date column is the one
/// whose values parse best as dates (non-numeric formats first); the customer the leftmost other
/// column that is mostly filled and not a decimal number; the amount the rightmost numeric column
/// with decimals.
fn detect_from_values(
    records: &[Record],
    width: usize,
    m: &mut Mapping,
    order: crate::options::DateOrder,
) {
    let sample: Vec<&Record> = records.iter().take(500).collect();
    let n = sample.len().max(1);
    let col = |i: usize| {
        sample
            .iter()
            .map(move |r| r.fields.get(i).map(String::as_str).unwrap_or(""))
    };
    let taken = m.taken();
    if m.date.is_none() {
        let mut best: Option<(bool, usize, usize)> = None; // (non-numeric, fits, index)
        for i in (0..width).filter(|i| !taken.contains(i)) {
            if let Some(c) = choose_format(col(i), order) {
                if c.fits * 10 >= n * 8 {
                    let key = (!c.format.is_numeric(), c.fits, i);
                    if best.is_none_or(|b| (key.0, key.1) > (b.0, b.1)) {
                        best = Some(key);
                    }
                }
            }
        }
        m.date = best.map(|b| b.2);
    }
    let taken = m.taken();
    // a number column: at least half its filled values are numbers; "with decimals": at least
    // 30 % of those have a decimal separator
    let has_decimals = |i: usize| {
        let vals: Vec<&str> = col(i).map(str::trim).filter(|v| !v.is_empty()).collect();
        let numeric: Vec<&&str> = vals
            .iter()
            .filter(|v| parse_money(v, false).is_some())
            .collect();
        let decimals = numeric
            .iter()
            .filter(|v| v.contains('.') || v.contains(','))
            .count();
        !vals.is_empty() && numeric.len() * 2 >= vals.len() && decimals * 10 >= numeric.len() * 3
    };
    if m.customer.is_none() {
        m.customer = (0..width).filter(|i| !taken.contains(i)).find(|&i| {
            col(i).filter(|v| !v.trim().is_empty()).count() * 10 >= n * 9 && !has_decimals(i)
        });
    }
    let taken = m.taken();
    if m.amount.is_none() && m.quantity.is_none() {
        m.amount = (0..width)
            .rev()
            .filter(|i| !taken.contains(i))
            .find(|&i| has_decimals(i));
    }
}

// ---------------------------------------------------------------------------------------------
// rows

fn column_label(header: Option<&[String]>, i: usize) -> String {
    match header {
        Some(h) => h
            .get(i)
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|| format!("column {i}")),
        None => format!("column {i}"),
    }
}

fn column_value(header: Option<&[String]>, i: usize) -> serde_json::Value {
    match header {
        Some(h) => {
            serde_json::Value::String(h.get(i).map(|s| s.trim().to_string()).unwrap_or_default())
        }
        None => serde_json::Value::from(i),
    }
}

/// True when an order id is a cancellation: the prefix followed by one or more digits only.
pub fn is_cancellation(order_id: &str, prefix: Option<&str>) -> bool {
    match prefix {
        Some(p) if !p.is_empty() => order_id
            .strip_prefix(p)
            .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())),
        _ => false,
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
}

impl Plan {
    /// The column's name for messages: the header name, or `column N`.
    pub fn label(&self, i: usize) -> String {
        column_label(self.header.as_deref(), i)
    }
}

/// Decides header, column roles, date format and decimal separators from the first records of the
/// file, and fills the report's `header` and `columns`. Fails when no customer or date column exists.
pub fn make_plan(
    sample: &[Record],
    opts: &Options,
    report: &mut InputReport,
    warnings: &mut Vec<String>,
) -> Result<Plan> {
    let Some(first) = sample.first() else {
        return Err(TierwiseError::EmptyFile);
    };
    let header_present = is_header(first, sample.get(1));
    report.header = header_present;
    let header: Option<Vec<String>> = if header_present {
        Some(first.fields.iter().map(|f| f.trim().to_string()).collect())
    } else {
        None
    };
    let data: &[Record] = if header_present { &sample[1..] } else { sample };
    let width = match &header {
        Some(h) => h.len(),
        None => modal_width(data),
    };
    let hdr = header.as_deref();

    // roles: overrides first, then detection
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
    match hdr {
        Some(h) => detect_from_header(h, &mut m, &fixed),
        None => detect_from_values(data, width, &mut m, opts.date_order),
    }
    let found = match hdr {
        Some(h) => format!(
            "columns {}",
            h.iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => format!("no header row and {width} columns whose values were not recognised"),
    };
    let customer = m.customer.ok_or_else(|| TierwiseError::MissingColumn {
        role: "customer id",
        expected: "a header such as CustomerID, customer_id, 客户ID, 客户编号 or 会员ID (or set options.columns.customer)".into(),
        found: found.clone(),
    })?;
    let date = m.date.ok_or_else(|| TierwiseError::MissingColumn {
        role: "date",
        expected: "a header such as InvoiceDate, order_date, 订单日期, 下单时间 or 交易日期, or a column of dates (or set options.columns.date)".into(),
        found: found.clone(),
    })?;
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
    }
    if m.quantity.is_some() != m.unit_price.is_some() && m.amount.is_none() {
        warnings.push(
            "a quantity or unit price column was found without the other and without an amount: the analysis runs on R and F only"
                .into(),
        );
    } else if amount_mode == AmountMode::None {
        warnings
            .push("no amount column found: the analysis runs on recency and frequency only".into());
    }
    let is_repeat = |r: &Record| {
        hdr.is_some_and(|h| {
            r.fields.len() == h.len() && r.fields.iter().zip(h).all(|(a, b)| a.trim() == b)
        })
    };
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
        header,
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

/// The most common field count among the first 100 records.
fn modal_width(records: &[Record]) -> usize {
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for r in records.iter().take(100) {
        *counts.entry(r.fields.len()).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(w, c)| (c, w))
        .map(|(w, _)| w)
        .unwrap_or(0)
}

/// The message when no row is valid: the counts per reason with the first example.
pub fn nothing_usable_message(r: &InputReport) -> String {
    if r.rows == 0 {
        return "the file has a header row but no data rows".into();
    }
    let mut parts = Vec::new();
    for reason in REASONS {
        if let Some(s) = r.rejected.get(reason) {
            let first = s
                .examples
                .first()
                .map(|e| format!(" (first: {})", e.message))
                .unwrap_or_default();
            parts.push(format!("{} {reason}{first}", s.count));
        }
    }
    format!("none of the {} rows is valid: {}", r.rows, parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_delimiters() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), Delimiter::Byte(b','));
        assert_eq!(sniff_delimiter("a;b;c\n1,5;2;3\n"), Delimiter::Byte(b';'));
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), Delimiter::Byte(b'\t'));
        assert_eq!(sniff_delimiter("a|b\n1|2\n"), Delimiter::Byte(b'|'));
        assert_eq!(
            sniff_delimiter(
                " 00004 0001 19970101  2   29.33\r\n 00021 0002 19970101  3   63.34\r\n"
            ),
            Delimiter::Whitespace
        );
        assert_eq!(sniff_delimiter("a,b\n\"x\ny\",2\n"), Delimiter::Byte(b','));
    }

    #[test]
    fn header_detection() {
        let r = |f: &[&str]| Record {
            line: 1,
            fields: f.iter().map(|s| s.to_string()).collect(),
        };
        assert!(is_header(
            &r(&["CustomerID", "InvoiceDate"]),
            Some(&r(&["1", "2024-01-01"]))
        ));
        assert!(is_header(
            &r(&["客户ID", "下单时间"]),
            Some(&r(&["1", "2024-01-01"]))
        ));
        assert!(is_header(
            &r(&["who", "when"]),
            Some(&r(&["1", "2024-01-01"]))
        ));
        assert!(!is_header(
            &r(&["00004", "0001", "19970101"]),
            Some(&r(&["00004", "0001", "19970118"]))
        ));
        assert!(!is_header(&r(&["CUST-1", "2024-01-05", "12.00"]), None));
    }

    #[test]
    fn header_names_map_to_roles() {
        let h: Vec<String> = ["order_id", "customer_id", "order_date", "amount"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut m = Mapping::default();
        detect_from_header(&h, &mut m, &[]);
        assert_eq!(
            (m.order, m.customer, m.date, m.amount),
            (Some(0), Some(1), Some(2), Some(3))
        );
        let h: Vec<String> = [
            "InvoiceNo",
            "StockCode",
            "Description",
            "Quantity",
            "InvoiceDate",
            "UnitPrice",
            "CustomerID",
            "Country",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut m = Mapping::default();
        detect_from_header(&h, &mut m, &[]);
        assert_eq!(
            (
                m.order,
                m.quantity,
                m.date,
                m.unit_price,
                m.customer,
                m.amount
            ),
            (Some(0), Some(3), Some(4), Some(5), Some(6), None)
        );
    }

    #[test]
    fn cancellations() {
        assert!(is_cancellation("C536379", Some("C")));
        assert!(!is_cancellation("CN2024001", Some("C")));
        assert!(!is_cancellation("C", Some("C")));
        assert!(!is_cancellation("C536379", None));
    }

    fn summary(text: &[u8]) -> serde_json::Value {
        let a = crate::analyze(text, &Options::default()).unwrap();
        serde_json::to_value(&a.summary).unwrap()
    }

    #[test]
    fn headerless_cdnow_layout() {
        let text = b" 00004 0001 19970101  2   29.33\r\n 00004 0001 19970118  2   29.73\r\n 00021 0002 19970101  3   63.34\r\n";
        let s = summary(text);
        let input = &s["input"];
        assert_eq!(input["header"], false);
        assert_eq!(input["delimiter"], "whitespace");
        assert_eq!(input["columns"]["customer"], 0);
        assert_eq!(input["columns"]["date"], 2);
        assert_eq!(input["columns"]["amount"], 4);
        assert_eq!(input["used"], 3);
        assert_eq!(s["customers"], 2);
    }

    #[test]
    fn rejects_with_reasons() {
        let text = "customer_id,order_date,amount\n,2024-01-01,5\nA,notadate,5\nA,2024-01-02,1,2,3\nA,2024-01-02,\"1,2,3\"\ncustomer_id,order_date,amount\nA,2024-01-03,7\n";
        let s = summary(text.as_bytes());
        let r = &s["input"]["rejected"];
        assert_eq!(s["input"]["rows"], 6);
        assert_eq!(r["missing_customer"]["count"], 1);
        assert_eq!(r["bad_date"]["count"], 1);
        assert_eq!(r["malformed_row"]["count"], 1);
        assert_eq!(r["bad_amount"]["count"], 1);
        assert_eq!(r["repeated_header"]["count"], 1);
        assert_eq!(r["bad_amount"]["examples"][0]["row"], 5);
        assert_eq!(
            r["bad_amount"]["examples"][0]["message"],
            "row 5: could not parse amount \"1,2,3\""
        );
        assert_eq!(s["input"]["used"], 1);
    }

    #[test]
    fn fatal_errors_name_what_is_missing() {
        let err = |b: &[u8]| crate::analyze(b, &Options::default()).unwrap_err();
        assert_eq!(err(b""), TierwiseError::EmptyFile);
        assert_eq!(err(b"  \n\n"), TierwiseError::EmptyFile);
        let e = err(b"hello\n").to_string();
        assert!(e.starts_with("no date column found"), "{e}");
        let e = err(b"customer_id,amount\nA,5\n").to_string();
        assert!(e.starts_with("no date column found"), "{e}");
        let e = err(b"customer_id,order_date\nA,x\n").to_string();
        assert!(e.contains("none of the 1 rows is valid"), "{e}");
    }

    #[test]
    fn picks_encodings() {
        assert_eq!(
            pick_encoding(b"\xef\xbb\xbfa,b", "auto", true).unwrap(),
            (encoding_rs::UTF_8, 3)
        );
        assert_eq!(
            pick_encoding(b"\xff\xfea\x00", "auto", true).unwrap(),
            (encoding_rs::UTF_16LE, 2)
        );
        // a UTF-8 character cut at the end of the head is still UTF-8
        assert_eq!(
            pick_encoding("客户".as_bytes().split_at(4).0, "auto", false)
                .unwrap()
                .0,
            encoding_rs::UTF_8
        );
        let (gbk, _, _) = encoding_rs::GBK.encode("客户ID,下单时间,实付金额\n张三,2024-01-05,88\n李四,2024-01-06,99\n王五,2024-01-07,120\n");
        let enc = pick_encoding(&gbk, "auto", true).unwrap().0;
        assert!(
            enc == encoding_rs::GBK || enc == encoding_rs::GB18030,
            "{}",
            enc.name()
        );
        assert_eq!(
            pick_encoding(b"caf\xe9", "windows-1252", true).unwrap().0,
            encoding_rs::WINDOWS_1252
        );
        assert!(pick_encoding(b"x", "klingon", true).is_err());
    }
}
