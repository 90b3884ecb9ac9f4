//! Columns: whether the first record is a header, which column takes which role (header names in
//! English and Chinese, else the values; `options.columns` overrides), and the reading plan (date
//! format, decimal separators) decided once from the head.

use crate::error::{RequiredRole, Result, TierwiseError};
use crate::ingest::dates::{choose_format, DateFormat};
use crate::ingest::layout::{modal_width, Record};
use crate::ingest::money::{decide_decimal_comma, parse_money};
use crate::ingest::quality::InputReport;
use crate::messages::Message;
use crate::options::{ColumnRef, DateOrder, Options};

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

pub(crate) const ROLES: [Role; 7] = [
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

pub(crate) fn name_matches_any_role(v: &str) -> bool {
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
                        name: name.clone(),
                        header: h.join(", "),
                    },
                })
        }
    }
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

/// Maps roles from header names: exact matches first (over all roles), then partial ones; a column
/// takes at most one role.
pub(crate) fn detect_from_header(header: &[String], m: &mut Mapping, fixed: &[Role]) {
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
pub(crate) fn detect_from_values(
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

pub(crate) fn column_label(header: Option<&[String]>, i: usize) -> String {
    match header {
        Some(h) => h
            .get(i)
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|| format!("column {i}")),
        None => format!("column {i}"),
    }
}

pub(crate) fn column_value(header: Option<&[String]>, i: usize) -> serde_json::Value {
    match header {
        Some(h) => {
            serde_json::Value::String(h.get(i).map(|s| s.trim().to_string()).unwrap_or_default())
        }
        None => serde_json::Value::from(i),
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
    warnings: &mut Vec<Message>,
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
        Some(h) => Message::FoundColumns {
            columns: h
                .iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", "),
        },
        None => Message::FoundNoHeader { width },
    };
    let missing = |role| TierwiseError::MissingColumn {
        role,
        found: found.clone(),
    };
    let customer = m.customer.ok_or_else(|| missing(RequiredRole::Customer))?;
    let date = m.date.ok_or_else(|| missing(RequiredRole::Date))?;
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
        warnings.push(Message::HalfAmount);
    } else if amount_mode == AmountMode::None {
        warnings.push(Message::NoAmountColumn);
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
