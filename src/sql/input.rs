//! The script's first part (`docs/sql.md#how-the-rules-are-written`): the `transactions` table read as the core reads
//! a file's valid rows (customer id, day, order key, amount in millionths, return or not, signal),
//! the analysis date, and each customer's facts (`docs/facts.md`): first and last date, recency,
//! tenure, frequency in the chosen unit, monetary under the returns policy, purchase days, the
//! median gap and the gap before the last purchase, and the window counts and spends.

use super::{double, CutSource, Dialect, Script, TABLE};
use crate::options::{FrequencyUnit, Returns};
use crate::report::Analysis;

/// The columns of `transactions` the script reads, by role (the file's own column names).
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    /// Customer id column.
    pub customer: String,
    /// Date column (a date, a timestamp, or `YYYY-MM-DD` text).
    pub date: String,
    /// Order id column.
    pub order: Option<String>,
    /// Amount column (when the amount is read from it).
    pub amount: Option<String>,
    /// Quantity column.
    pub quantity: Option<String>,
    /// Unit price column (when the amount is quantity × unit price).
    pub unit_price: Option<String>,
    /// Signal columns.
    pub signals: Vec<String>,
    /// Dimension columns (`columns.dimensions`).
    pub dimensions: Vec<String>,
}

/// A column of the summary's `input.columns`: its header name, or `column N` for a file without a
/// header (N 0-based, as the core labels it).
pub fn column_name(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => n.as_u64().map(|i| format!("column {i}")),
        _ => None,
    }
}

impl Mapping {
    /// The columns the analysis read.
    pub fn of(a: &Analysis) -> Mapping {
        let c = &a.summary.input.columns;
        let name = |v: &Option<serde_json::Value>| v.as_ref().and_then(column_name);
        let amount = name(&c.amount);
        let quantity = name(&c.quantity);
        let unit_price = if amount.is_none() {
            name(&c.unit_price)
        } else {
            None
        };
        Mapping {
            customer: name(&c.customer).unwrap_or_default(),
            date: name(&c.date).unwrap_or_default(),
            order: name(&c.order),
            // (quantity × unit price when there is no amount column but both of those)
            amount: amount.filter(|_| a.has_amount),
            quantity,
            unit_price: unit_price.filter(|_| a.has_amount),
            signals: c.signals.iter().filter_map(column_name).collect(),
            dimensions: c.dimensions.iter().filter_map(column_name).collect(),
        }
    }

    /// An amount source: an amount column, or quantity × unit price.
    pub fn has_amount(&self) -> bool {
        self.amount.is_some() || (self.quantity.is_some() && self.unit_price.is_some())
    }

    /// The columns for the script's header comment.
    pub fn describe(&self) -> String {
        let mut parts = vec![
            format!("customer \"{}\"", self.customer),
            format!("date \"{}\"", self.date),
        ];
        let mut add = |role: &str, c: &Option<String>| {
            if let Some(c) = c {
                parts.push(format!("{role} \"{c}\""));
            }
        };
        add("order id", &self.order);
        add("amount", &self.amount);
        add("quantity", &self.quantity);
        add("unit price", &self.unit_price);
        for s in &self.signals {
            parts.push(format!("signal \"{s}\""));
        }
        for s in &self.dimensions {
            parts.push(format!("dimension \"{s}\""));
        }
        parts.join(", ")
    }
}

/// A regular expression matching `prefix` literally, then one or more ASCII digits (a cancellation).
fn cancellation_pattern(prefix: &str) -> String {
    let mut p = String::from("^");
    for ch in prefix.chars() {
        if ch.is_ascii_alphanumeric() || !ch.is_ascii() {
            p.push(ch);
        } else {
            p.push('\\');
            p.push(ch);
        }
    }
    p.push_str("[0-9]+$");
    p
}

/// `round_half_even(num / den)` for an integer `num` of any sign and a positive integer `den`.
pub(crate) fn div_half_even(d: Dialect, num: &str, den: &str) -> String {
    let a = format!("ABS({num})");
    let q = d.idiv(&a, den);
    let r = d.imod(&a, den);
    let rounded = format!(
        "({q} + CASE WHEN 2 * {r} > {den} OR (2 * {r} = {den} AND {m} = 1) THEN 1 ELSE 0 END)",
        m = d.imod(&q, "2")
    );
    format!("CASE WHEN {num} < 0 THEN -{rounded} ELSE {rounded} END")
}

/// Adds the CTEs `tw_in` (typed rows), `tw_date` (the analysis date), `tw_rows` (rows up to the
/// date under the returns policy), `tw_gaps`/`tw_gap` (median gap, gap before the last purchase)
/// and `tw_facts` (one row per analysed customer).
pub(crate) fn rows_and_facts(s: &mut Script, a: &Analysis, m: &Mapping, cuts: CutSource) {
    let d = s.d;
    let o = &a.options;
    let q = |c: &str| d.ident(c);
    let text = |e: &str| format!("TRIM({})", d.cast(e, d.text_type()));
    let big = d.big_int();
    let money = d.money_type();
    // a value of the table in millionths (exact for up to 6 decimals)
    let micro = |c: &str| {
        d.cast(
            &format!("{} * 1000000", d.cast(&d.cast(&q(c), money), money)),
            big,
        )
    };
    let amount = if let Some(c) = &m.amount {
        micro(c)
    } else if let (Some(qc), Some(pc)) = (&m.quantity, &m.unit_price) {
        div_half_even(d, &format!("({} * {})", micro(qc), micro(pc)), "1000000")
    } else {
        d.cast("0", big)
    };
    let order = match &m.order {
        Some(c) => format!("COALESCE({}, '')", text(&q(c))),
        None => "''".to_string(),
    };
    let mut is_return = Vec::new();
    if let (Some(_), Some(prefix)) = (&m.order, o.cancel_prefix.as_deref()) {
        if !prefix.is_empty() {
            is_return.push(d.matches(&order, &cancellation_pattern(prefix)));
        }
    }
    if m.has_amount() {
        match &m.quantity {
            Some(qc) => is_return.push(format!("{} < 0", micro(qc))),
            None => is_return.push(format!("{amount} < 0")),
        }
    }
    let is_return = if is_return.is_empty() {
        "FALSE".to_string()
    } else {
        format!("({})", is_return.join(" OR "))
    };
    let truthy = |c: &str| {
        let t = text(&q(c));
        format!(
            "(LOWER({t}) IN ('1', 'true', 'yes', 'y', 't', 'x') OR {t} IN ({}, {}, {}))",
            d.text("是"),
            d.text("有"),
            d.text("✓")
        )
    };
    let signal = if m.signals.is_empty() {
        "FALSE".to_string()
    } else {
        format!(
            "({})",
            m.signals
                .iter()
                .map(|c| format!("COALESCE({}, FALSE)", truthy(c)))
                .collect::<Vec<_>>()
                .join(" OR ")
        )
    };
    // options.filter: the kept values of each column
    let mut wheres = vec![
        format!("{} IS NOT NULL", q(&m.customer)),
        format!("{} <> ''", text(&q(&m.customer))),
        format!("{} IS NOT NULL", q(&m.date)),
    ];
    if m.has_amount() {
        for c in [&m.amount, &m.quantity, &m.unit_price]
            .into_iter()
            .flatten()
        {
            wheres.push(format!("{} IS NOT NULL", q(c)));
        }
    }
    // (the filter's columns as the core resolved its keys, with their kept values in option order)
    for ((name, _), keep) in a.filter_columns.iter().zip(o.filter.values()) {
        let values: Vec<String> = keep.iter().map(|v| d.text(v.trim())).collect();
        wheres.push(format!(
            "COALESCE({}, '') IN ({})",
            text(&q(name)),
            values.join(", ")
        ));
    }
    let dims: String = m
        .dimensions
        .iter()
        .enumerate()
        .map(|(k, c)| format!("  {} AS dim_{k},\n", text(&q(c))))
        .collect();
    s.cte(
        "tw_in",
        format!(
            "SELECT\n  {} AS customer_id,\n  {} AS day,\n  {order} AS order_id,\n  {amount} AS amount,\n  {is_return} AS is_return,\n{dims}  {signal} AS signal\nFROM {}\nWHERE {}",
            text(&q(&m.customer)),
            d.cast(&q(&m.date), "DATE"),
            q(TABLE),
            wheres.join("\n  AND ")
        ),
    );
    // the analysis date: given, fitted, or the latest day of the valid rows
    let date = match (&o.analysis_date, cuts) {
        (Some(day), _) => format!("SELECT {} AS d", d.date(day)),
        (None, CutSource::Fitted) => format!("SELECT {} AS d", d.date(&a.summary.analysis_date)),
        (None, CutSource::Sql) => "SELECT MAX(day) AS d FROM tw_in".to_string(),
    };
    s.cte("tw_date", date);
    let keep_all = o.returns == Returns::Keep;
    let ignore = o.returns == Returns::Ignore;
    // (ignored returns stay for the signal flag, with no value and not orders)
    let is_order = if keep_all {
        "TRUE".to_string()
    } else {
        "NOT r.is_return".to_string()
    };
    let value = if keep_all {
        "r.amount".to_string()
    } else if ignore {
        "CASE WHEN r.is_return THEN 0 ELSE r.amount END".to_string()
    } else {
        "CASE WHEN r.is_return THEN -ABS(r.amount) ELSE r.amount END".to_string()
    };
    // the unit counted distinct: a day, or an order id (a row without one is an order of its own,
    // counted apart, so no key per row is needed: a numbered window over the whole table would not
    // scale in a warehouse)
    let unit = match o.frequency {
        FrequencyUnit::Days => d.date_text("r.day"),
        _ => "CASE WHEN r.order_id = '' THEN NULL ELSE r.order_id END".to_string(),
    };
    s.cte(
        "tw_rows",
        format!(
            "SELECT\n  r.customer_id,\n  r.day,\n  {} AS age,\n  {is_order} AS is_order,\n  {} AS counted,\n  {value} AS value,\n  {unit} AS unit,\n  r.is_return,\n{}  r.signal\nFROM tw_in r CROSS JOIN tw_date t\nWHERE r.day <= t.d",
            d.days_between("t.d", "r.day"),
            if ignore { "NOT r.is_return" } else { "TRUE" },
            (0..m.dimensions.len())
                .map(|k| format!("  r.dim_{k},\n"))
                .collect::<String>(),
        ),
    );
    // purchase days and the gaps between them
    s.cte(
        "tw_days",
        "SELECT DISTINCT customer_id, day FROM tw_rows WHERE is_order".to_string(),
    );
    s.cte(
        "tw_gaps",
        format!(
            "SELECT\n  customer_id,\n  {} AS gap,\n  ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY day DESC) AS from_last\nFROM tw_days",
            d.days_between(
                "day",
                "LAG(day) OVER (PARTITION BY customer_id ORDER BY day)"
            )
        ),
    );
    let half = |e: &str| d.idiv(e, "2");
    s.cte(
        "tw_gap_ranks",
        "SELECT\n  customer_id,\n  gap,\n  from_last,\n  ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY gap) AS k,\n  COUNT(*) OVER (PARTITION BY customer_id) AS n\nFROM tw_gaps\nWHERE gap IS NOT NULL".to_string(),
    );
    s.cte(
        "tw_gap",
        format!(
            "SELECT\n  customer_id,\n  SUM(CASE WHEN {odd} AND k = {mid_odd} THEN 2 * gap WHEN NOT {odd} AND (k = {mid} OR k = {mid} + 1) THEN gap ELSE 0 END) AS median_gap2,\n  MAX(CASE WHEN from_last = 1 THEN gap END) AS gap_before_last\nFROM tw_gap_ranks\nGROUP BY customer_id",
            odd = format!("{} = 1", d.imod("n", "2")),
            mid_odd = half("n + 1"),
            mid = half("n"),
        ),
    );
    let w = i128::from(o.churn.window_days);
    let aw = i128::from(o.activity.window_days);
    let gw = i128::from(o.grades.window_days);
    let units = |cond: &str| {
        match o.frequency {
        FrequencyUnit::Rows => format!("SUM(CASE WHEN is_order{cond} THEN 1 ELSE 0 END)"),
        FrequencyUnit::Days => format!("COUNT(DISTINCT CASE WHEN is_order{cond} THEN unit END)"),
        // orders: distinct order ids, plus each row without one (every row without an order column)
        _ => format!(
            "(COUNT(DISTINCT CASE WHEN is_order{cond} THEN unit END) + SUM(CASE WHEN is_order{cond} AND unit IS NULL THEN 1 ELSE 0 END))"
        ),
    }
    };
    let spend = |cond: &str| format!("SUM(CASE WHEN counted{cond} THEN value ELSE 0 END)");
    s.cte(
        "tw_sums",
        format!(
            "SELECT\n  customer_id,\n  MIN(CASE WHEN is_order THEN day END) AS first_day,\n  MAX(CASE WHEN is_order THEN day END) AS last_day,\n  {} AS monetary,\n  {} AS recent_spend,\n  {} AS previous_spend,\n  {} AS window_spend,\n  {} AS frequency,\n  {} AS recent_orders,\n  {} AS previous_orders,\n  {} AS activity_events,\n  COUNT(DISTINCT CASE WHEN is_order THEN day END) AS purchase_days,\n  MAX(CASE WHEN signal AND age < {w} THEN 1 ELSE 0 END) AS signal\nFROM tw_rows\nGROUP BY customer_id\nHAVING SUM(CASE WHEN is_order THEN 1 ELSE 0 END) > 0",
            spend(""),
            spend(&format!(" AND age < {w}")),
            spend(&format!(" AND age >= {w} AND age < {}", 2 * w)),
            spend(&format!(" AND age < {gw}")),
            units(""),
            units(&format!(" AND age < {w}")),
            units(&format!(" AND age >= {w} AND age < {}", 2 * w)),
            units(&format!(" AND age < {aw}")),
        ),
    );
    let keep = 1.0 - o.churn.decline_ratio;
    let dbl = |e: &str| d.cast(e, d.double());
    s.cte(
        "tw_facts",
        format!(
            "SELECT\n  f.*,\n  {} AS recency,\n  {} AS tenure,\n  g.median_gap2,\n  g.gap_before_last,\n  CASE WHEN f.previous_orders > 0 AND {} <= {} * {} THEN 1 ELSE 0 END AS declining_orders,\n  CASE WHEN f.previous_spend > 0 AND {} <= {} * {} THEN 1 ELSE 0 END AS declining_spend\nFROM tw_sums f\nCROSS JOIN tw_date t\nLEFT JOIN tw_gap g ON g.customer_id = f.customer_id",
            d.days_between("t.d", "f.last_day"),
            d.days_between("t.d", "f.first_day"),
            dbl("f.recent_orders"),
            double(d, keep),
            dbl("f.previous_orders"),
            dbl("f.recent_spend"),
            double(d, keep),
            dbl("f.previous_spend"),
        ),
    );
}
