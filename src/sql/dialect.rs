//! The SQL dialects the grading is written in (`docs/sql.md#dialects`): every piece of syntax that
//! differs between DuckDB, PostgreSQL, BigQuery and Spark SQL, and nothing else. The rules are
//! written once (the other modules of [`crate::sql`]) in terms of these pieces.

/// A target SQL dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// DuckDB (1.x).
    DuckDb,
    /// PostgreSQL (12 or later).
    Postgres,
    /// Google BigQuery (GoogleSQL).
    BigQuery,
    /// Apache Spark SQL (3.x; Databricks).
    Spark,
}

impl Dialect {
    /// Every dialect, in documentation order.
    pub const ALL: [Dialect; 4] = [
        Dialect::DuckDb,
        Dialect::Postgres,
        Dialect::BigQuery,
        Dialect::Spark,
    ];

    /// The name used on the command line and in `exportSql`: `duckdb`, `postgres`, `bigquery`,
    /// `spark`.
    pub const fn key(self) -> &'static str {
        match self {
            Dialect::DuckDb => "duckdb",
            Dialect::Postgres => "postgres",
            Dialect::BigQuery => "bigquery",
            Dialect::Spark => "spark",
        }
    }

    /// The dialect named `name` (any case; `postgresql` for `postgres` too).
    pub fn parse(name: &str) -> Option<Dialect> {
        let n = name.trim().to_ascii_lowercase();
        if n == "postgresql" {
            return Some(Dialect::Postgres);
        }
        Dialect::ALL.into_iter().find(|d| d.key() == n)
    }

    /// A quoted identifier (a column of the client's table may hold any character).
    pub fn ident(self, name: &str) -> String {
        match self {
            Dialect::DuckDb | Dialect::Postgres => format!("\"{}\"", name.replace('"', "\"\"")),
            Dialect::BigQuery => format!("`{}`", name.replace('\\', "\\\\").replace('`', "\\`")),
            Dialect::Spark => format!("`{}`", name.replace('`', "``")),
        }
    }

    /// A string literal.
    pub fn text(self, s: &str) -> String {
        match self {
            Dialect::DuckDb | Dialect::Postgres => format!("'{}'", s.replace('\'', "''")),
            // (BigQuery and Spark read backslash escapes inside quotes)
            Dialect::BigQuery | Dialect::Spark => format!(
                "'{}'",
                s.replace('\\', "\\\\")
                    .replace('\'', "\\'")
                    .replace('\n', "\\n")
                    .replace('\r', "\\r")
            ),
        }
    }

    /// The text type.
    pub const fn text_type(self) -> &'static str {
        match self {
            Dialect::DuckDb => "VARCHAR",
            Dialect::Postgres => "TEXT",
            Dialect::BigQuery | Dialect::Spark => "STRING",
        }
    }

    /// An integer type wide enough for sums of money in millionths (exact).
    pub const fn big_int(self) -> &'static str {
        match self {
            Dialect::DuckDb => "HUGEINT",
            Dialect::Postgres => "NUMERIC",
            Dialect::BigQuery => "BIGNUMERIC",
            Dialect::Spark => "DECIMAL(38, 0)",
        }
    }

    /// The 64-bit integer type.
    pub const fn int64(self) -> &'static str {
        match self {
            Dialect::BigQuery => "INT64",
            _ => "BIGINT",
        }
    }

    /// The decimal type the money columns are written in (6 decimals).
    pub const fn money_type(self) -> &'static str {
        match self {
            Dialect::DuckDb | Dialect::Spark => "DECIMAL(38, 6)",
            Dialect::Postgres => "NUMERIC(38, 6)",
            Dialect::BigQuery => "BIGNUMERIC",
        }
    }

    /// The double-precision type.
    pub const fn double(self) -> &'static str {
        match self {
            Dialect::DuckDb | Dialect::Spark => "DOUBLE",
            Dialect::Postgres => "DOUBLE PRECISION",
            Dialect::BigQuery => "FLOAT64",
        }
    }

    /// `CAST(e AS t)`.
    pub fn cast(self, e: &str, t: &str) -> String {
        format!("CAST({e} AS {t})")
    }

    /// Whole days from `earlier` to `later` (two dates).
    pub fn days_between(self, later: &str, earlier: &str) -> String {
        match self {
            Dialect::DuckDb | Dialect::Postgres => format!("({later} - {earlier})"),
            Dialect::BigQuery => format!("DATE_DIFF({later}, {earlier}, DAY)"),
            Dialect::Spark => format!("DATEDIFF({later}, {earlier})"),
        }
    }

    /// A date literal (`YYYY-MM-DD`).
    pub fn date(self, ymd: &str) -> String {
        format!("DATE '{ymd}'")
    }

    /// A date as `YYYY-MM-DD` text.
    pub fn date_text(self, e: &str) -> String {
        match self {
            Dialect::Postgres => format!("TO_CHAR({e}, 'YYYY-MM-DD')"),
            _ => self.cast(e, self.text_type()),
        }
    }

    /// Integer division of non-negative integers (rounded down).
    pub fn idiv(self, a: &str, b: &str) -> String {
        match self {
            Dialect::DuckDb => format!("(({a}) // ({b}))"),
            Dialect::Postgres => format!("DIV({a}, {b})"),
            Dialect::BigQuery => format!("DIV({a}, {b})"),
            // (Spark's DIV gives a 64-bit integer and wraps past it: money in millionths would)
            Dialect::Spark => format!("CAST((({a}) - MOD({a}, {b})) / ({b}) AS DECIMAL(38, 0))"),
        }
    }

    /// The remainder of a non-negative integer divided by a positive one.
    pub fn imod(self, a: &str, b: &str) -> String {
        format!("MOD({a}, {b})")
    }

    /// True when the text `e` matches the regular expression `pattern` anywhere (anchor it).
    pub fn matches(self, e: &str, pattern: &str) -> String {
        match self {
            Dialect::DuckDb => format!("regexp_matches({e}, {})", self.text(pattern)),
            Dialect::Postgres => format!("({e} ~ {})", self.text(pattern)),
            Dialect::BigQuery => format!("REGEXP_CONTAINS({e}, {})", self.text(pattern)),
            Dialect::Spark => format!("({e} RLIKE {})", self.text(pattern)),
        }
    }

    /// An expression to sort text by its bytes (UTF-8 code points), as the core sorts customer ids.
    pub fn byte_order(self, e: &str) -> String {
        match self {
            Dialect::Postgres => format!("{e} COLLATE \"C\""),
            _ => e.to_string(),
        }
    }

    /// The non-null texts of `parts` joined by `sep` (nulls skipped; empty text when all are null).
    pub fn join_present(self, sep: &str, parts: &[String]) -> String {
        match self {
            // (without a null text ARRAY_TO_STRING leaves the NULL elements out, in order)
            Dialect::BigQuery => format!(
                "ARRAY_TO_STRING([{}], {})",
                parts.join(", "),
                self.text(sep)
            ),
            _ => format!("CONCAT_WS({}, {})", self.text(sep), parts.join(", ")),
        }
    }
}
