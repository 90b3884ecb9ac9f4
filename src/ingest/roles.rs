//! Roles and their names: the roles a column can take, the header names each is known by (English,
//! Chinese, some German, French and Spanish), how names are compared, and the mapping of roles to
//! columns.

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
    pub(crate) fn key(self) -> &'static str {
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
    pub(crate) fn exact(self) -> &'static [&'static str] {
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
                "kunde",
                "kundennummer",
                "kundenid",
                "kundennr",
                "cliente",
                "idcliente",
                "email",
                "buyeremail",
                "customeremail",
                "会员卡号",
                "手机号",
                "客户名称",
                "客户姓名",
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
                "datum",
                "rechnungsdatum",
                "bestelldatum",
                "fecha",
                "purchasedat",
                "orderedat",
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
                "betrag",
                "umsatz",
                "montant",
                "importe",
                "dollarvalue",
                "成交金额",
                "应付金额",
            ],
            Role::Quantity => &[
                "quantity",
                "qty",
                "units",
                "数量",
                "购买数量",
                "件数",
                "menge",
                "anzahl",
                "cantidad",
            ],
            Role::UnitPrice => &[
                "unitprice",
                "price",
                "单价",
                "价格",
                "商品单价",
                "preis",
                "einzelpreis",
                "precio",
                "prix",
            ],
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
                "rechnungsnummer",
                "rechnungsnr",
                "bestellnummer",
                "belegnummer",
                "pedido",
                "factura",
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
                "kategorie",
                "warengruppe",
                "artikel",
                "categoria",
            ],
        }
    }
    pub(crate) fn partial(self) -> &'static [&'static str] {
        match self {
            Role::Customer => &[
                "customer", "cust", "client", "member", "buyer", "kunde", "cliente", "客户",
                "会员", "用户", "买家",
            ],
            Role::Date => &["date", "time", "datum", "fecha", "日期", "时间"],
            Role::Amount => &[
                "amount",
                "revenue",
                "sales",
                "total",
                "value",
                "dollar",
                "spend",
                "paid",
                "betrag",
                "umsatz",
                "金额",
                "销售额",
                "消费",
            ],
            Role::Quantity => &["quantity", "qty", "menge", "数量"],
            Role::UnitPrice => &["unitprice", "price", "preis", "单价"],
            Role::Order => &["invoice", "order", "rechnung", "bestell", "订单", "单号"],
            Role::Category => &["category", "product", "kategorie", "品类", "类别", "商品"],
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

pub(crate) fn name_matches_any_role(v: &str) -> bool {
    let n = normalize_name(v);
    !n.is_empty()
        && ROLES
            .iter()
            .any(|r| r.exact().contains(&n.as_str()) || r.partial().iter().any(|p| n.contains(p)))
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
    /// Dimension columns, in option order, without repeats.
    pub dimensions: Vec<usize>,
}

impl Mapping {
    pub(crate) fn get(&self, r: Role) -> Option<usize> {
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
    pub(crate) fn set(&mut self, r: Role, v: Option<usize>) {
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
