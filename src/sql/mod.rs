//! The grading as SQL (`docs/sql.md`): from an analysis (its column mapping, options and fitted
//! cut points), one SQL script that computes every per-customer output that does not need the
//! purchase models, from a table or view named `transactions` holding the file's columns under their
//! own names, in DuckDB, PostgreSQL, BigQuery or Spark SQL. The rules are written once, in terms of
//! [`Dialect`]'s pieces of syntax:
//!
//! - [`input`]: the transactions as rows (customer, day, order key, amount in millionths, return,
//!   signal), the analysis date, and the per-customer facts;
//! - [`scores`]: the R, F and M scores in every scoring mode, from cut points fitted in SQL or
//!   written into the script;
//! - [`labels`]: segments, grades, activity, churn flags, the rule risk band, lifecycle stages,
//!   actions, and the final `SELECT` with the columns of `customers.csv`.
//!
//! Everything is computed in integers where the core is exact (days, counts, money in millionths),
//! and in IEEE doubles exactly where the core uses them (the `rfm-r` mode, the `declining`,
//! `overdue` and activity comparisons), so the script reproduces the core's labels and numbers.

pub mod dialect;
pub mod input;
pub mod labels;
pub mod scores;

pub use dialect::Dialect;

use crate::report::Analysis;

/// Where the script's score cut points (and the `cn8` splits) come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CutSource {
    /// Written into the script as fitted on the analysed data: the warehouse grades its customers
    /// against the sample's cut points (and the analysis date of the sample, unless the options
    /// give one).
    Fitted,
    /// Fitted in SQL with window functions on the warehouse's own customers, as the core fits them
    /// (and the analysis date is the latest date in the table unless the options give one).
    Sql,
}

impl CutSource {
    /// `fitted` or `sql`.
    pub const fn key(self) -> &'static str {
        match self {
            CutSource::Fitted => "fitted",
            CutSource::Sql => "sql",
        }
    }

    /// The source named `name` (`fitted` or `sql`).
    pub fn parse(name: &str) -> Option<CutSource> {
        match name.trim().to_ascii_lowercase().as_str() {
            "fitted" => Some(CutSource::Fitted),
            "sql" | "window" => Some(CutSource::Sql),
            _ => None,
        }
    }
}

/// The name of the table (or view) the script reads.
pub const TABLE: &str = "transactions";

/// One common table expression of the script: its name and its `SELECT`.
pub(crate) struct Cte {
    pub(crate) name: String,
    pub(crate) body: String,
}

/// Builds the script piece by piece: the CTEs in order, then the final `SELECT`.
pub(crate) struct Script {
    pub(crate) d: Dialect,
    pub(crate) ctes: Vec<Cte>,
}

impl Script {
    pub(crate) fn cte(&mut self, name: &str, body: String) {
        self.ctes.push(Cte {
            name: name.to_string(),
            body,
        });
    }
}

/// The SQL script for `a` in `dialect` with cut points from `cuts` (see the module doc and
/// `docs/sql.md`). Comments at the top say what it computes and from what; its one statement ends
/// with `;` and a line feed and returns one row per customer, sorted by customer id, with the
/// columns of `customers.csv` (the model columns empty). Fails when `options.filter` reads a
/// column holding a date, a number or a signal (`sql_filter_typed_column`): a warehouse keeps those
/// typed, so the file's text cannot be compared with them.
pub fn script(a: &Analysis, dialect: Dialect, cuts: CutSource) -> crate::Result<String> {
    for (name, role) in &a.filter_columns {
        if let Some(role @ ("date" | "amount" | "quantity" | "unitPrice" | "signal")) = role {
            return Err(crate::TierwiseError::Options {
                key: "filter".into(),
                problem: crate::messages::Message::SqlFilterTypedColumn {
                    column: name.clone(),
                    role: role.to_string(),
                },
            });
        }
    }
    let mut s = Script {
        d: dialect,
        ctes: Vec::new(),
    };
    let m = input::Mapping::of(a);
    input::rows_and_facts(&mut s, a, &m, cuts);
    scores::scores(&mut s, a, cuts);
    let select = labels::labels_and_select(&mut s, a, cuts);
    let mut out = String::new();
    out.push_str(&header(a, dialect, cuts, &m));
    out.push_str("WITH\n");
    for (i, c) in s.ctes.iter().enumerate() {
        out.push_str(&c.name);
        out.push_str(" AS (\n");
        for line in c.body.lines() {
            out.push_str("  ");
            out.push_str(line);
            out.push('\n');
        }
        out.push(')');
        if i + 1 < s.ctes.len() {
            out.push(',');
        }
        out.push('\n');
    }
    out.push_str(&select);
    out.push_str(";\n");
    Ok(out)
}

fn header(a: &Analysis, d: Dialect, cuts: CutSource, m: &input::Mapping) -> String {
    let mut h = String::new();
    h.push_str(&format!(
        "-- tierwise {}: customer grading as {} SQL (docs/sql.md)\n",
        env!("CARGO_PKG_VERSION"),
        match d {
            Dialect::DuckDb => "DuckDB",
            Dialect::Postgres => "PostgreSQL",
            Dialect::BigQuery => "BigQuery",
            Dialect::Spark => "Spark",
        }
    ));
    h.push_str(&format!(
        "-- Reads the table or view `{TABLE}` with the columns: {}.\n",
        m.describe()
    ));
    h.push_str(&format!(
        "-- Cut points: {}. Returns one row per customer with the columns of customers.csv;\n-- p_alive, expected_purchases and predicted_clv are empty (the purchase models are not part of it).\n",
        match cuts {
            CutSource::Fitted => format!(
                "as fitted on the analysed data ({} customers, analysis date {})",
                a.summary.customers, a.summary.analysis_date
            ),
            CutSource::Sql => "fitted in SQL on the table's own customers".to_string(),
        }
    ));
    h
}

/// A double literal that reads back as exactly `x` (shortest round-trip digits), as a cast so
/// every dialect types it as a double.
pub(crate) fn double(d: Dialect, x: f64) -> String {
    let text = if x.is_finite() {
        format!("{x:?}")
    } else {
        "0.0".to_string()
    };
    d.cast(&d.text(&text), d.double())
}

/// An integer literal.
pub(crate) fn int(x: i128) -> String {
    if x < 0 {
        format!("({x})")
    } else {
        x.to_string()
    }
}
