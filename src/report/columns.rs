//! The one column table: every per-customer output column, named once with its CSV name, its
//! JavaScript getter name and its type (the wasm `Analysis` also has `churnReasons`, the flags'
//! reasons in the label language, which the CSV does not carry) (see `docs/outputs.md#customerscsv`). The CSV writer,
//! the wasm getters and slices, the page's column list and the published TypeScript types all
//! follow it (the types are checked against it by a test).

use super::Analysis;
use crate::calendar::write_day;
use crate::facts::NONE;
use crate::ingest::money::{to_f64, write_money};
use crate::options::Labels;
use serde::Serialize;

/// How a column's values reach JavaScript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnType {
    /// `string[]`: ids, dates, labels (empty string where not computed).
    Text,
    /// `Int32Array`: whole days.
    Int32,
    /// `Float64Array`: counts, money and model outputs (NaN where not computed).
    Float64,
    /// `Uint8Array`: scores (0 = not computed).
    Uint8,
}

impl ColumnType {
    /// The TypeScript type of a getter of this type.
    pub const fn typescript(self) -> &'static str {
        match self {
            ColumnType::Text => "string[]",
            ColumnType::Int32 => "Int32Array",
            ColumnType::Float64 => "Float64Array",
            ColumnType::Uint8 => "Uint8Array",
        }
    }
}

/// Defines [`Column`] with each column's CSV name, getter name, type and description.
macro_rules! columns {
    ($( $variant:ident = ($csv:literal, $js:literal, $ty:ident, $doc:literal); )+) => {
        /// A per-customer output column, in contract order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Column {
            $( #[doc = $doc] $variant ),+
        }

        impl Column {
            /// Every column, in CSV order.
            pub const ALL: &'static [Column] = &[$(Column::$variant),+];

            /// The CSV header name.
            pub const fn csv(self) -> &'static str {
                match self { $(Column::$variant => $csv),+ }
            }

            /// The JavaScript getter (and slice key) name.
            pub const fn js(self) -> &'static str {
                match self { $(Column::$variant => $js),+ }
            }

            /// How the values reach JavaScript.
            pub const fn kind(self) -> ColumnType {
                match self { $(Column::$variant => ColumnType::$ty),+ }
            }

            /// What the column holds.
            pub const fn description(self) -> &'static str {
                match self { $(Column::$variant => $doc),+ }
            }
        }
    };
}

columns! {
    CustomerId = ("customer_id", "customerId", Text, "The customer id as in the file.");
    FirstDate = ("first_date", "firstDate", Text, "Date of the first order, YYYY-MM-DD.");
    LastDate = ("last_date", "lastDate", Text, "Date of the last order up to the analysis date, YYYY-MM-DD.");
    RecencyDays = ("recency_days", "recencyDays", Int32, "Days from the last order to the analysis date (0 = bought that day).");
    Frequency = ("frequency", "frequency", Float64, "Orders (or purchase days, or rows) in the chosen frequency unit.");
    Monetary = ("monetary", "monetary", Float64, "Net spend under the returns policy (empty without an amount column).");
    Aov = ("aov", "aov", Float64, "Average order value = monetary / frequency, rounded half-even.");
    RScore = ("r_score", "rScore", Uint8, "Recency score (higher = more recent).");
    FScore = ("f_score", "fScore", Uint8, "Frequency score.");
    MScore = ("m_score", "mScore", Uint8, "Monetary score (empty without an amount column).");
    RfmCode = ("rfm_code", "rfmCode", Text, "The scores written one after the other, e.g. 545.");
    SegmentCn8 = ("segment_cn8", "segmentCn8", Text, "Class of the Chinese eight classes (客户价值八类).");
    SegmentRfm11 = ("segment_rfm11", "segmentRfm11", Text, "Segment of the 11-segment RFM grid.");
    SegmentCustom = ("segment_custom", "segmentCustom", Text, "First matching custom rule, else Others (only with segments.rules).");
    GradeAbc = ("grade_abc", "gradeAbc", Text, "A, B or C by cumulative share of revenue.");
    GradeLadder = ("grade_ladder", "gradeLadder", Text, "Ladder grade by share of customers from the top (VIP, Gold, …).");
    GradeAbsolute = ("grade_absolute", "gradeAbsolute", Text, "Absolute grade by spend in the grade window (only with grades.absolute).");
    Activity = ("activity", "activity", Text, "Activity class: high, low or idle.");
    Lifecycle = ("lifecycle", "lifecycle", Text, "Lifecycle stage.");
    ChurnFlags = ("churn_flags", "churnFlags", Text, "Churn flags, |-separated.");
    Risk = ("risk", "risk", Text, "Churn risk: high, medium or low.");
    PAlive = ("p_alive", "pAlive", Float64, "BG/NBD probability that the customer is still active.");
    ExpectedPurchases = ("expected_purchases", "expectedPurchases", Float64, "BG/NBD expected purchases over the model horizon.");
    PredictedClv = ("predicted_clv", "predictedClv", Float64, "Predicted value of the next 12 months (BG/NBD × Gamma-Gamma, discounted).");
    Action = ("action", "action", Text, "Recommended action in the label language.");
}

/// One column's values for a range of customers, typed as they reach JavaScript.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// Text values.
    Text(Vec<String>),
    /// Whole days.
    Int32(Vec<i32>),
    /// Numbers (NaN where not computed).
    Float64(Vec<f64>),
    /// Scores.
    Uint8(Vec<u8>),
}

/// A column's entry in [`Column::table`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnInfo {
    /// CSV header name.
    pub csv: &'static str,
    /// JavaScript getter name.
    pub js: &'static str,
    /// How the values reach JavaScript.
    #[serde(rename = "type")]
    pub kind: ColumnType,
    /// What the column holds.
    pub description: &'static str,
}

impl Column {
    /// The column whose JavaScript name is `js`.
    pub fn from_js(js: &str) -> Option<Column> {
        Column::ALL.iter().copied().find(|c| c.js() == js)
    }

    /// The table as data (for the page and the type check).
    pub fn table() -> Vec<ColumnInfo> {
        Column::ALL
            .iter()
            .map(|&c| ColumnInfo {
                csv: c.csv(),
                js: c.js(),
                kind: c.kind(),
                description: c.description(),
            })
            .collect()
    }
}

/// Formats an optional float for the CSV (empty when absent).
impl Analysis {
    /// Appends the text of `col` of row `i` to `out`: exactly what the CSV holds, unquoted; empty
    /// where not computed.
    pub fn write_field(&self, i: usize, col: Column, out: &mut Vec<u8>) {
        self.write_field_in(i, col, self.options.labels, out)
    }

    /// As [`Analysis::write_field`], with the labels (segments, grades, stages, activity, actions)
    /// in `labels` whatever the analysis' own `labels` option says.
    pub fn write_field_in(&self, i: usize, col: Column, labels: Labels, out: &mut Vec<u8>) {
        use crate::analytics::actions;
        use crate::labels::{ladder_name_zh, OTHERS};
        // (the CSV writer calls this for every cell: text is appended, never built in a String)
        let Some(r) = self.rows.get(i) else { return };
        let o = &self.options;
        let zh = labels == Labels::Zh;
        let pick = |en: &'static str, z: &'static str| -> &'static str {
            if zh {
                z
            } else {
                en
            }
        };
        let some = |v: u8| (v != NONE).then_some(v as usize);
        let mut int = itoa::Buffer::new();
        let score = |v: u8, out: &mut Vec<u8>| {
            if v != 0 {
                out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
            }
        };
        // (Rust's shortest round-trip digits; `ryu` picks other digits in rare ties, so it is not used)
        let float = |x: Option<f64>, out: &mut Vec<u8>| {
            if let Some(v) = x {
                use std::io::Write;
                let _ = write!(out, "{v}");
            }
        };
        let text: &str = match col {
            Column::CustomerId => {
                out.extend_from_slice(self.ids.bytes(r.id));
                return;
            }
            Column::FirstDate => return write_day(out, r.first_day),
            Column::LastDate => return write_day(out, r.last_day),
            Column::RecencyDays => {
                out.extend_from_slice(itoa::Buffer::new().format(r.recency).as_bytes());
                return;
            }
            Column::Frequency => {
                out.extend_from_slice(int.format(r.frequency).as_bytes());
                return;
            }
            Column::Monetary => {
                if let Some(m) = self.monetary(i) {
                    write_money(out, m);
                }
                return;
            }
            Column::Aov => {
                if let Some(m) = self.aov(i) {
                    write_money(out, m);
                }
                return;
            }
            Column::RScore => return score(r.r_score, out),
            Column::FScore => return score(r.f_score, out),
            Column::MScore => return score(r.m_score, out),
            Column::RfmCode => {
                for v in [r.r_score, r.f_score, r.m_score] {
                    score(v, out);
                }
                return;
            }
            Column::SegmentCn8 => r.cn8.map(|c| c.name(zh)).unwrap_or(""),
            Column::SegmentRfm11 => r.rfm11.map(|s| s.name(zh)).unwrap_or(""),
            Column::SegmentCustom => match some(r.custom) {
                Some(c) => match o.segments.rules.get(c) {
                    Some(rule) => &rule.name,
                    None => pick(OTHERS.0, OTHERS.1),
                },
                None => "",
            },
            Column::GradeAbc => r.abc.map(|g| g.code()).unwrap_or(""),
            Column::GradeLadder => some(r.ladder)
                .and_then(|g| o.grades.ladder.get(g))
                .map(|(name, _)| {
                    if zh {
                        ladder_name_zh(name)
                    } else {
                        name.as_str()
                    }
                })
                .unwrap_or(""),
            // (grades need an amount: without one the column is empty, docs/grades.md)
            Column::GradeAbsolute if !self.has_amount => "",
            Column::GradeAbsolute => some(r.absolute)
                .and_then(|g| o.grades.absolute.as_ref().and_then(|a| a.get(g)))
                .map(|(name, _)| name.as_str())
                .unwrap_or(""),
            // English output holds the codes of activity and stage
            Column::Activity => pick(r.activity.code(), r.activity.zh()),
            Column::Lifecycle => pick(r.lifecycle.code(), r.lifecycle.zh()),
            Column::ChurnFlags => {
                for (k, f) in r.flags.iter().enumerate() {
                    if k > 0 {
                        out.push(b'|');
                    }
                    out.extend_from_slice(f.code().as_bytes());
                }
                return;
            }
            // (the code in both languages)
            // (withheld while the models are pending: the model band may still change it)
            Column::Risk if self.models_pending() => "",
            Column::Risk => r.risk.code(),
            Column::PAlive => return float(self.p_alive_of(i), out),
            Column::ExpectedPurchases => return float(self.expected_purchases_of(i), out),
            Column::PredictedClv => return float(self.predicted_clv_of(i), out),
            Column::Action => actions::action_text(r.action.key(), labels, o),
        };
        out.extend_from_slice(text.as_bytes());
    }

    /// The text of `col` of row `i` (see [`Analysis::write_field`]).
    pub fn field(&self, i: usize, col: Column) -> String {
        self.field_in(i, col, self.options.labels)
    }

    /// The text of `col` of row `i` with labels in `labels` (see [`Analysis::write_field_in`]).
    pub fn field_in(&self, i: usize, col: Column, labels: Labels) -> String {
        let mut b = Vec::new();
        self.write_field_in(i, col, labels, &mut b);
        String::from_utf8_lossy(&b).into_owned()
    }

    /// The values of `col` for rows `range`, typed as [`Column::kind`] says.
    pub fn values(&self, col: Column, range: std::ops::Range<usize>) -> Values {
        let hi = range.end.min(self.rows.len());
        let range = range.start.min(hi)..hi;
        let rows = &self.rows[range.clone()];
        let money = |x: Option<crate::ingest::money::Money>| x.map_or(f64::NAN, to_f64);
        let floats = |f: &dyn Fn(usize) -> f64| Values::Float64(range.clone().map(f).collect());
        match col {
            Column::RecencyDays => Values::Int32(rows.iter().map(|r| r.recency).collect()),
            Column::Frequency => floats(&|i| self.rows[i].frequency as f64),
            Column::Monetary => floats(&|i| money(self.monetary(i))),
            Column::Aov => floats(&|i| money(self.aov(i))),
            Column::PAlive => floats(&|i| self.p_alive_of(i).unwrap_or(f64::NAN)),
            Column::ExpectedPurchases => {
                floats(&|i| self.expected_purchases_of(i).unwrap_or(f64::NAN))
            }
            Column::PredictedClv => floats(&|i| self.predicted_clv_of(i).unwrap_or(f64::NAN)),
            Column::RScore => Values::Uint8(rows.iter().map(|r| r.r_score).collect()),
            Column::FScore => Values::Uint8(rows.iter().map(|r| r.f_score).collect()),
            Column::MScore => Values::Uint8(rows.iter().map(|r| r.m_score).collect()),
            _ => Values::Text(range.map(|i| self.field(i, col)).collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn names_are_unique_and_types_match_the_values() {
        let a = crate::analyze(
            b"customer_id,order_date,amount\nA,2024-01-01,10\nA,2024-01-05,20\nB,2024-01-05,5\n",
            &crate::Options::default(),
        )
        .unwrap();
        let mut csv = std::collections::HashSet::new();
        let mut js = std::collections::HashSet::new();
        for &c in Column::ALL {
            assert!(csv.insert(c.csv()) && js.insert(c.js()), "{c:?}");
            let v = a.values(c, 0..2);
            let kind = match v {
                Values::Text(ref t) => (ColumnType::Text, t.len()),
                Values::Int32(ref t) => (ColumnType::Int32, t.len()),
                Values::Float64(ref t) => (ColumnType::Float64, t.len()),
                Values::Uint8(ref t) => (ColumnType::Uint8, t.len()),
            };
            assert_eq!(kind, (c.kind(), 2), "{c:?}");
        }
        let scores: String = [Column::RScore, Column::FScore, Column::MScore]
            .iter()
            .map(|&c| a.field(0, c))
            .collect();
        assert_eq!(a.field(0, Column::RfmCode), scores);
        // out-of-range rows give empty values, never a panic
        assert_eq!(a.values(Column::CustomerId, 5..9), Values::Text(vec![]));
    }
}
