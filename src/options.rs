//! The options object of `docs/outputs.md`: one camelCase JSON object shared by the JS API, the CLI and the
//! tests. Every key is optional; defaults are filled in here. An unknown key or a value of the wrong
//! type is an error naming the key (dotted path).

use crate::error::{Result, TierwiseError};
use crate::messages::Message;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A column reference: a header name or a 0-based index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ColumnRef {
    /// 0-based column position.
    Index(usize),
    /// Header name (matched exactly, then ignoring case, spaces, `_` and `-`).
    Name(String),
}

/// Column mapping overrides; `None` means auto-detect (or absent).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct Columns {
    /// Customer id column.
    pub customer: Option<ColumnRef>,
    /// Date or datetime column.
    pub date: Option<ColumnRef>,
    /// Net amount column (wins over quantity × unit price).
    pub amount: Option<ColumnRef>,
    /// Quantity column.
    pub quantity: Option<ColumnRef>,
    /// Unit price column.
    pub unit_price: Option<ColumnRef>,
    /// Order / invoice id column.
    pub order: Option<ColumnRef>,
    /// Category / product column.
    pub category: Option<ColumnRef>,
    /// Boolean signal columns feeding the `signal` churn flag.
    pub signals: Vec<ColumnRef>,
    /// Dimension columns (country, channel, store, salesperson …): each customer gets the value on
    /// most of their order rows (`docs/input.md#dimensions`); at most [`MAX_DIMENSIONS`].
    pub dimensions: Vec<ColumnRef>,
}

/// Most dimension columns (`columns.dimensions`).
pub const MAX_DIMENSIONS: usize = 8;

/// Most columns `filter` may name.
pub const MAX_FILTER_COLUMNS: usize = 8;

/// Most values `filter` may list for one column.
pub const MAX_FILTER_VALUES: usize = 1000;

/// Where the header row is: found automatically (title rows above it skipped), absent, or at a
/// given spreadsheet row (1-based, as a spreadsheet or the rejection examples number rows; the rows
/// above it are title rows and are skipped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HeaderRow {
    /// Decide from the head of the file: title rows (a report title, an export date) are skipped.
    #[default]
    Auto,
    /// The file has no header row: columns are referred to by 0-based position.
    None,
    /// The header is this 1-based row (at most [`MAX_HEADER_ROW`]).
    Row(u32),
}

/// The highest `headerRow` accepted: the header must be among the records of the head sample.
pub const MAX_HEADER_ROW: u32 = 100;

impl Serialize for HeaderRow {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            HeaderRow::Auto => s.serialize_str("auto"),
            HeaderRow::None => s.serialize_str("none"),
            HeaderRow::Row(n) => s.serialize_u32(*n),
        }
    }
}

impl<'de> Deserialize<'de> for HeaderRow {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Row(u64),
            Word(String),
        }
        match Raw::deserialize(d)? {
            Raw::Word(w) if w == "auto" => Ok(HeaderRow::Auto),
            Raw::Word(w) if w == "none" => Ok(HeaderRow::None),
            Raw::Word(w) => Err(serde::de::Error::custom(format!(
                "expected \"auto\", \"none\" or a row number, got \"{}\"",
                w.chars().take(40).collect::<String>()
            ))),
            // range-checked before the cast
            Raw::Row(n) if (1..=u64::from(MAX_HEADER_ROW)).contains(&n) => {
                Ok(HeaderRow::Row(n as u32))
            }
            Raw::Row(n) => Err(serde::de::Error::custom(format!(
                "expected a row number from 1 to {MAX_HEADER_ROW}, got {n}"
            ))),
        }
    }
}

/// A workbook sheet: its name, or its 0-based position.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SheetRef {
    /// 0-based sheet position.
    Index(usize),
    /// Sheet name (exact, then ignoring case and surrounding spaces).
    Name(String),
}

/// How month-first / day-first ambiguity is resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// Decide from the data; ambiguous columns are read month-first.
    #[default]
    Auto,
    /// Month first (`1/5/2024` = January 5).
    Mdy,
    /// Day first (`1/5/2024` = May 1).
    Dmy,
    /// Year first.
    Ymd,
}

/// The decimal separator of the amount, quantity and unit price columns (`docs/input.md#decimal-comma`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Decimal {
    /// Decided per column from its values (the default).
    #[default]
    #[serde(rename = "auto")]
    Auto,
    /// A decimal point: `1,234.50` is 1234.5 and `12,5` is not a number.
    #[serde(rename = ".")]
    Point,
    /// A decimal comma: `1.234,50` is 1234.5 and `12,5` is 12.5.
    #[serde(rename = ",")]
    Comma,
}

impl Decimal {
    /// Whether the number columns are read with a decimal comma; `None` for `auto`.
    pub fn comma(self) -> Option<bool> {
        match self {
            Decimal::Auto => None,
            Decimal::Point => Some(false),
            Decimal::Comma => Some(true),
        }
    }
}

/// Returns policy (`docs/input.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Returns {
    /// Returns only lower monetary by their absolute value.
    #[default]
    Net,
    /// Returns are dropped.
    Ignore,
    /// Returns count like any other row, signed amount added.
    Keep,
}

/// Frequency unit (`docs/facts.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum FrequencyUnit {
    /// Distinct order ids when mapped, else rows.
    #[default]
    Orders,
    /// Distinct purchase days.
    Days,
    /// Rows.
    Rows,
}

/// Label language of CSV values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Labels {
    /// English names.
    #[default]
    En,
    /// Chinese names.
    Zh,
}

/// RFM scoring mode (`docs/scores.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ScoreMode {
    /// Type-7 quantile cut points; ties share a score.
    #[default]
    #[serde(rename = "quantile")]
    Quantile,
    /// Bit-for-bit the R package `rfm`.
    #[serde(rename = "rfm-r")]
    RfmR,
    /// Equal-count bins by rank (pandas qcut on ranks).
    #[serde(rename = "rank")]
    Rank,
    /// Caller-given cut points.
    #[serde(rename = "thresholds")]
    Thresholds,
}

/// Caller-given cut points per dimension.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    /// Recency cut points (days).
    pub r: Vec<f64>,
    /// Frequency cut points.
    pub f: Vec<f64>,
    /// Monetary cut points.
    pub m: Vec<f64>,
}

/// RFM options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct RfmOptions {
    /// Number of scores k per dimension, 3 to 10.
    pub bins: u8,
    /// Scoring mode.
    pub mode: ScoreMode,
    /// Cut points for `thresholds` mode.
    pub thresholds: Thresholds,
}
impl Default for RfmOptions {
    fn default() -> Self {
        RfmOptions {
            bins: 5,
            mode: ScoreMode::Quantile,
            thresholds: Thresholds::default(),
        }
    }
}

/// Segment presets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    /// The classic Chinese eight classes.
    Cn8,
    /// The 11-segment grid.
    Rfm11,
}

/// Split used by `cn8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Cn8Split {
    /// Customer-base mean of the raw value.
    #[default]
    Mean,
    /// Median (mean of the two middle values for an even count).
    Median,
}

/// A custom segment rule: inclusive score ranges, missing = any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentRule {
    /// Segment name.
    pub name: String,
    /// Recency score range.
    #[serde(default)]
    pub r: Option<[u8; 2]>,
    /// Frequency score range.
    #[serde(default)]
    pub f: Option<[u8; 2]>,
    /// Monetary score range.
    #[serde(default)]
    pub m: Option<[u8; 2]>,
}

/// Segment options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct SegmentOptions {
    /// Presets to compute.
    pub presets: Vec<Preset>,
    /// Custom rules, first match wins.
    pub rules: Vec<SegmentRule>,
    /// Split for `cn8`.
    pub cn8_split: Cn8Split,
}
impl Default for SegmentOptions {
    fn default() -> Self {
        SegmentOptions {
            presets: vec![Preset::Cn8, Preset::Rfm11],
            rules: vec![],
            cn8_split: Cn8Split::Mean,
        }
    }
}

/// Grade options (`docs/grades.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct GradeOptions {
    /// ABC cumulative revenue shares `[a, b]`.
    pub abc: [f64; 2],
    /// Ladder grades: name and cumulative customer share from the top.
    pub ladder: Vec<(String, f64)>,
    /// Absolute grades: name and minimum spend over `windowDays`, highest first.
    pub absolute: Option<Vec<(String, f64)>>,
    /// Window for absolute grades, days.
    pub window_days: u32,
}
impl Default for GradeOptions {
    fn default() -> Self {
        GradeOptions {
            abc: [0.8, 0.95],
            ladder: vec![
                ("VIP".into(), 0.05),
                ("Gold".into(), 0.15),
                ("Silver".into(), 0.35),
                ("Bronze".into(), 0.6),
                ("Regular".into(), 1.0),
            ],
            absolute: None,
            window_days: 365,
        }
    }
}

/// Activity class options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct ActivityOptions {
    /// Window length in days.
    pub window_days: u32,
    /// Events per week for `high`.
    pub high: f64,
    /// Events per week for `low`.
    pub low: f64,
}
impl Default for ActivityOptions {
    fn default() -> Self {
        ActivityOptions {
            window_days: 28,
            high: 3.0,
            low: 1.0,
        }
    }
}

/// Churn options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct ChurnOptions {
    /// `inactive` when recency ≥ this.
    pub inactive_days: u32,
    /// `overdue` when recency > factor × median gap.
    pub overdue_factor: f64,
    /// `high_value_lapsed` when a top-grade customer's recency ≥ this.
    pub high_value_lapsed_days: u32,
    /// Recent / previous window length in days.
    pub window_days: u32,
    /// `declining` ratio.
    pub decline_ratio: f64,
}
impl Default for ChurnOptions {
    fn default() -> Self {
        ChurnOptions {
            inactive_days: 90,
            overdue_factor: 2.0,
            high_value_lapsed_days: 180,
            window_days: 90,
            decline_ratio: 0.5,
        }
    }
}

/// Lifecycle options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct LifecycleOptions {
    /// `new` when the first order is within this many days.
    pub new_days: u32,
    /// `lapsed` when recency ≥ this.
    pub lapsed_days: u32,
    /// `mature` when tenure ≥ this.
    pub mature_days: u32,
}
impl Default for LifecycleOptions {
    fn default() -> Self {
        LifecycleOptions {
            new_days: 30,
            lapsed_days: 180,
            mature_days: 365,
        }
    }
}

/// KPI options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct KpiOptions {
    /// "Active at t" window in days.
    pub active_days: u32,
}
impl Default for KpiOptions {
    fn default() -> Self {
        KpiOptions { active_days: 365 }
    }
}

/// Model time unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum TimeUnit {
    /// Days.
    Day,
    /// Weeks (days / 7).
    #[default]
    Week,
}

/// The purchase model family (`docs/models.md#families`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ModelKind {
    /// BG/NBD (Fader, Hardie & Lee 2005).
    #[default]
    Bgnbd,
    /// MBG/NBD (Batislam, Denizel & Filiztekin 2007): one-time buyers may have dropped out.
    Mbgnbd,
    /// Pareto/NBD (Schmittlein, Morrison & Colombo 1987).
    Paretonbd,
    /// All three fitted; the one with the lowest BIC (the highest likelihood: all have four
    /// parameters) is used, and the summary says why.
    Auto,
}

/// `model.holdout`: where the calibration period of the model check ends (`docs/models.md#holdout`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Holdout {
    /// The last this many time units before the analysis date are the holdout period.
    Periods(u32),
    /// The calibration period ends on this date (`YYYY-MM-DD`, inclusive).
    Date(String),
}

/// Most holdout periods (time units) the check tracks: bounds its tables whatever the dates.
pub const MAX_HOLDOUT_PERIODS: u32 = 1000;

/// Predictive model options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct ModelOptions {
    /// Fit the models.
    pub enabled: bool,
    /// The purchase model family (default BG/NBD).
    pub kind: ModelKind,
    /// The holdout check: fit on the data up to a cut date and compare the predictions for the
    /// rest with what happened (`None`: no check).
    pub holdout: Option<Holdout>,
    /// Time unit.
    pub time_unit: TimeUnit,
    /// Horizon for `expected_purchases`, in time units (default 52: a year in weeks).
    pub horizon: f64,
    /// Monthly discount rate for the 12-month CLV (0.01 = 1 % a month).
    pub discount_rate: f64,
}
impl Default for ModelOptions {
    fn default() -> Self {
        ModelOptions {
            enabled: true,
            kind: ModelKind::Bgnbd,
            holdout: None,
            time_unit: TimeUnit::Week,
            horizon: 52.0,
            discount_rate: 0.01,
        }
    }
}

/// A recommended action override: one text, or English and Chinese texts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ActionText {
    /// The same text for both languages.
    Text(String),
    /// Per language.
    Both {
        /// English text.
        #[serde(default)]
        en: Option<String>,
        /// Chinese text.
        #[serde(default)]
        zh: Option<String>,
    },
}

fn default_cancel_prefix() -> Option<String> {
    Some("C".into())
}
fn default_encoding() -> String {
    "auto".into()
}

/// The whole options object (`docs/outputs.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct Options {
    /// Column mapping overrides.
    pub columns: Columns,
    /// Cancellation prefix of order ids; `null` disables.
    #[serde(default = "default_cancel_prefix")]
    pub cancel_prefix: Option<String>,
    /// `auto` or a WHATWG encoding label.
    #[serde(default = "default_encoding")]
    pub encoding: String,
    /// Month/day order for ambiguous dates.
    pub date_order: DateOrder,
    /// Decimal separator of the number columns: `"auto"`, `"."` or `","`.
    pub decimal: Decimal,
    /// Where the header row is (`"auto"`, `"none"` or a 1-based row number).
    pub header_row: HeaderRow,
    /// The sheet of a workbook (.xlsx, .xls, .ods) to read: name or 0-based index; default the first.
    /// Ignored for text files.
    pub sheet: Option<SheetRef>,
    /// Analysis date `YYYY-MM-DD`; default the latest day in the data.
    pub analysis_date: Option<String>,
    /// Returns policy.
    pub returns: Returns,
    /// Frequency unit.
    pub frequency: FrequencyUnit,
    /// Label language.
    pub labels: Labels,
    /// RFM options.
    pub rfm: RfmOptions,
    /// Segment options.
    pub segments: SegmentOptions,
    /// Grade options.
    pub grades: GradeOptions,
    /// Activity options.
    pub activity: ActivityOptions,
    /// Churn options.
    pub churn: ChurnOptions,
    /// Lifecycle options.
    pub lifecycle: LifecycleOptions,
    /// KPI options.
    pub kpis: KpiOptions,
    /// Model options.
    pub model: ModelOptions,
    /// Recommended action overrides, keyed by segment, grade or stage name.
    pub actions: BTreeMap<String, ActionText>,
    /// Row filter: column (header name, or a 0-based index written as digits) → the values kept.
    /// Only rows whose trimmed value in every named column is one of its values are analysed
    /// (`docs/input.md#filter`).
    pub filter: BTreeMap<String, Vec<String>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            columns: Columns::default(),
            cancel_prefix: default_cancel_prefix(),
            encoding: default_encoding(),
            date_order: DateOrder::Auto,
            decimal: Decimal::Auto,
            header_row: HeaderRow::Auto,
            sheet: None,
            analysis_date: None,
            returns: Returns::Net,
            frequency: FrequencyUnit::Orders,
            labels: Labels::En,
            rfm: RfmOptions::default(),
            segments: SegmentOptions::default(),
            grades: GradeOptions::default(),
            activity: ActivityOptions::default(),
            churn: ChurnOptions::default(),
            lifecycle: LifecycleOptions::default(),
            kpis: KpiOptions::default(),
            model: ModelOptions::default(),
            actions: BTreeMap::new(),
            filter: BTreeMap::new(),
        }
    }
}

/// The largest day count an option may hold (about 274 years): day differences stay far inside
/// 32-bit arithmetic, whatever the dates in the file.
pub const MAX_DAYS: u32 = 100_000;

/// A list of numbers for a message: at most ten, then how many there are.
fn short_list(values: &[f64]) -> String {
    if values.len() <= 10 {
        format!("{values:?}")
    } else {
        format!("{:?} … ({} values)", &values[..10], values.len())
    }
}

fn opt_err(key: &str, problem: Message) -> TierwiseError {
    TierwiseError::Options {
        key: key.to_string(),
        problem,
    }
}

impl Options {
    /// Parses and validates an options object from JSON text. An empty text means all defaults.
    pub fn from_json(text: &str) -> Result<Options> {
        if text.trim().is_empty() || text.trim() == "null" || text.trim() == "undefined" {
            return Ok(Options::default());
        }
        let de = &mut serde_json::Deserializer::from_str(text);
        let opts: Options = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner().to_string();
            // serde_json appends " at line L column C"; keep it, it helps in a config file
            let key = if path == "." || path.is_empty() {
                unknown_key_of(&inner)
            } else {
                path
            };
            opt_err(&key, Message::OptionSyntax { detail: inner })
        })?;
        opts.validate()?;
        Ok(opts)
    }

    /// The `analysisDate` option as a day number (days from CE, see `docs/README.md`); `None` when unset (the
    /// latest date in the file is then the analysis date). The one place the option is parsed.
    pub fn analysis_day(&self) -> Result<Option<i32>> {
        match &self.analysis_date {
            None => Ok(None),
            Some(d) => crate::calendar::parse_iso_day(d).map(Some).ok_or_else(|| {
                opt_err("analysisDate", Message::ExpectedIsoDate { got: d.clone() })
            }),
        }
    }

    /// The last day of the holdout check's calibration period for analysis day `analysis_day`
    /// (`model.holdout`), or `None` without a check. May lie outside the data: the check then says
    /// why it cannot run.
    pub fn holdout_cut(&self, analysis_day: i32) -> Option<i32> {
        if !self.model.enabled {
            return None;
        }
        match self.model.holdout.as_ref()? {
            Holdout::Periods(n) => {
                let unit = match self.model.time_unit {
                    TimeUnit::Day => 1,
                    TimeUnit::Week => 7,
                };
                let cut = analysis_day as i64 - i64::from(*n) * unit;
                i32::try_from(cut).ok()
            }
            Holdout::Date(d) => crate::calendar::parse_iso_day(d),
        }
    }

    /// Checks ranges and consistency that the types cannot express.
    pub fn validate(&self) -> Result<()> {
        if !(3..=10).contains(&self.rfm.bins) {
            return Err(opt_err(
                "rfm.bins",
                Message::BinsOutOfRange {
                    got: self.rfm.bins.to_string(),
                },
            ));
        }
        if self.rfm.mode == ScoreMode::Thresholds {
            let t = &self.rfm.thresholds;
            for (dim, cuts) in [("r", &t.r), ("f", &t.f), ("m", &t.m)] {
                let increasing = cuts.windows(2).all(|w| w[0] < w[1]);
                if cuts.is_empty()
                    || cuts.len() > 9
                    || !increasing
                    || cuts.iter().any(|c| !c.is_finite())
                {
                    return Err(opt_err(
                        &format!("rfm.thresholds.{dim}"),
                        Message::BadThresholds {
                            got: short_list(cuts),
                        },
                    ));
                }
            }
        }
        let [a, b] = self.grades.abc;
        if !(a > 0.0 && a < b && b <= 1.0) {
            return Err(opt_err(
                "grades.abc",
                Message::BadAbcShares {
                    a: a.to_string(),
                    b: b.to_string(),
                },
            ));
        }
        let mut prev = 0.0;
        for (name, s) in &self.grades.ladder {
            if !(*s > prev && *s <= 1.0) {
                return Err(opt_err(
                    "grades.ladder",
                    Message::BadLadderShare {
                        name: name.clone(),
                        share: s.to_string(),
                    },
                ));
            }
            prev = *s;
        }
        if let Some(abs) = &self.grades.absolute {
            for w in abs.windows(2) {
                if w[1].1 >= w[0].1 {
                    return Err(opt_err("grades.absolute", Message::AbsoluteNotDescending));
                }
            }
        }
        self.analysis_day()?;
        if self.encoding != "auto"
            && encoding_rs::Encoding::for_label(self.encoding.as_bytes()).is_none()
        {
            return Err(opt_err(
                "encoding",
                Message::UnknownEncoding {
                    label: self.encoding.clone(),
                },
            ));
        }
        if !(self.model.horizon.is_finite() && self.model.horizon >= 0.0) {
            return Err(opt_err(
                "model.horizon",
                Message::BadHorizon {
                    got: self.model.horizon.to_string(),
                },
            ));
        }
        match &self.model.holdout {
            Some(Holdout::Periods(n)) if !(1..=MAX_HOLDOUT_PERIODS).contains(n) => {
                return Err(opt_err(
                    "model.holdout",
                    Message::BadHoldout {
                        got: n.to_string(),
                        max: MAX_HOLDOUT_PERIODS,
                    },
                ));
            }
            Some(Holdout::Date(d)) if crate::calendar::parse_iso_day(d).is_none() => {
                return Err(opt_err(
                    "model.holdout",
                    Message::BadHoldout {
                        got: format!("{d:?}"),
                        max: MAX_HOLDOUT_PERIODS,
                    },
                ));
            }
            _ => {}
        }
        if !(self.model.discount_rate.is_finite() && self.model.discount_rate > -1.0) {
            return Err(opt_err(
                "model.discountRate",
                Message::BadDiscountRate {
                    got: self.model.discount_rate.to_string(),
                },
            ));
        }
        if !(self.churn.decline_ratio > 0.0 && self.churn.decline_ratio <= 1.0) {
            return Err(opt_err("churn.declineRatio", Message::BadDeclineRatio));
        }
        if self.churn.overdue_factor.is_nan() || self.churn.overdue_factor <= 0.0 {
            return Err(opt_err("churn.overdueFactor", Message::NotPositive));
        }
        for (key, days) in [
            ("churn.windowDays", self.churn.window_days),
            ("activity.windowDays", self.activity.window_days),
        ] {
            if days == 0 {
                return Err(opt_err(key, Message::EmptyWindow));
            }
        }
        // day counts become signed day differences: bounded well inside i32 before any cast
        for (key, days) in [
            ("churn.windowDays", self.churn.window_days),
            ("churn.inactiveDays", self.churn.inactive_days),
            (
                "churn.highValueLapsedDays",
                self.churn.high_value_lapsed_days,
            ),
            ("activity.windowDays", self.activity.window_days),
            ("grades.windowDays", self.grades.window_days),
            ("lifecycle.newDays", self.lifecycle.new_days),
            ("lifecycle.lapsedDays", self.lifecycle.lapsed_days),
            ("lifecycle.matureDays", self.lifecycle.mature_days),
            ("kpis.activeDays", self.kpis.active_days),
        ] {
            if days > MAX_DAYS {
                return Err(opt_err(
                    key,
                    Message::DaysOutOfRange {
                        max: MAX_DAYS,
                        got: days,
                    },
                ));
            }
        }
        if self.columns.dimensions.len() > MAX_DIMENSIONS {
            return Err(opt_err(
                "columns.dimensions",
                Message::TooManyDimensions {
                    got: self.columns.dimensions.len(),
                    max: MAX_DIMENSIONS,
                },
            ));
        }
        if self.filter.len() > MAX_FILTER_COLUMNS {
            return Err(opt_err(
                "filter",
                Message::FilterTooManyColumns {
                    got: self.filter.len(),
                    max: MAX_FILTER_COLUMNS,
                },
            ));
        }
        for (column, values) in &self.filter {
            let column: String = column.chars().take(100).collect();
            if values.is_empty() {
                return Err(opt_err("filter", Message::FilterNoValues { column }));
            }
            if values.len() > MAX_FILTER_VALUES {
                return Err(opt_err(
                    "filter",
                    Message::FilterTooManyValues {
                        column,
                        got: values.len(),
                        max: MAX_FILTER_VALUES,
                    },
                ));
            }
        }
        if self.segments.rules.len() > 200 {
            return Err(opt_err(
                "segments.rules",
                Message::TooManyRules {
                    got: self.segments.rules.len(),
                },
            ));
        }
        for rule in &self.segments.rules {
            if rule.name.trim().is_empty() {
                return Err(opt_err("segments.rules.name", Message::RuleWithoutName));
            }
            for (dim, range) in [("r", rule.r), ("f", rule.f), ("m", rule.m)] {
                if let Some([lo, hi]) = range {
                    if lo == 0 {
                        return Err(opt_err(
                            &format!("segments.rules.{dim}"),
                            Message::RuleScoreZero {
                                rule: rule.name.clone(),
                                lo,
                                hi,
                            },
                        ));
                    }
                    if lo > hi {
                        return Err(opt_err(
                            &format!("segments.rules.{dim}"),
                            Message::RuleRangeEmpty {
                                rule: rule.name.clone(),
                                lo,
                                hi,
                            },
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// Serialises the effective options (defaults filled in) for the summary.
    pub fn to_json_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

/// serde reports an unknown field at the parent path; pull the field name out of its message.
fn unknown_key_of(msg: &str) -> String {
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        if let Some(end) = rest.find('`') {
            return rest[..end].to_string();
        }
    }
    "options".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_means_defaults() {
        let o = Options::from_json("{}").unwrap();
        assert_eq!(o, Options::default());
        assert_eq!(o.rfm.bins, 5);
        assert_eq!(o.cancel_prefix.as_deref(), Some("C"));
    }

    #[test]
    fn null_cancel_prefix_disables() {
        let o = Options::from_json(r#"{"cancelPrefix": null}"#).unwrap();
        assert_eq!(o.cancel_prefix, None);
    }

    #[test]
    fn unknown_key_is_named() {
        let e = Options::from_json(r#"{"rfm": {"binz": 4}}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("binz"), "{e}");
        let e = Options::from_json(r#"{"colour": 1}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("colour"), "{e}");
    }

    #[test]
    fn wrong_type_is_named() {
        let e = Options::from_json(r#"{"rfm": {"bins": "five"}}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("rfm.bins"), "{e}");
        let e = Options::from_json(
            r#"{"rfm": {"mode": "thresholds", "thresholds": {"r": [30, 90], "f": [1, 3]}}}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("rfm.thresholds.m"), "{e}");
        let e = Options::from_json(
            r#"{"rfm": {"mode": "thresholds", "thresholds": {"r": [90, 30], "f": [1], "m": [5]}}}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("rfm.thresholds.r") && e.contains("increasing"),
            "{e}"
        );
        assert!(Options::from_json(
            r#"{"rfm": {"mode": "thresholds", "thresholds": {"r": [30, 90], "f": [1], "m": [5]}}}"#
        )
        .is_ok());
        let e = Options::from_json(r#"{"rfm": {"bins": 11}}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("rfm.bins"), "{e}");
        let e = Options::from_json(r#"{"returns": "sometimes"}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("returns"), "{e}");
    }

    #[test]
    fn columns_by_name_or_index() {
        let o =
            Options::from_json(r#"{"columns": {"customer": 1, "date": "InvoiceDate"}}"#).unwrap();
        assert_eq!(o.columns.customer, Some(ColumnRef::Index(1)));
        assert_eq!(o.columns.date, Some(ColumnRef::Name("InvoiceDate".into())));
    }

    #[test]
    fn decimal_separator() {
        for (text, want) in [
            (r#"{}"#, Decimal::Auto),
            (r#"{"decimal": "auto"}"#, Decimal::Auto),
            (r#"{"decimal": "."}"#, Decimal::Point),
            (r#"{"decimal": ","}"#, Decimal::Comma),
        ] {
            assert_eq!(Options::from_json(text).unwrap().decimal, want, "{text}");
        }
        for bad in [
            r#"{"decimal": ";"}"#,
            r#"{"decimal": 1}"#,
            r#"{"decimal": "comma"}"#,
        ] {
            let e = Options::from_json(bad).unwrap_err().to_string();
            assert!(e.contains("decimal"), "{bad}: {e}");
        }
        let json =
            serde_json::to_string(&Options::from_json(r#"{"decimal": ","}"#).unwrap()).unwrap();
        assert!(json.contains(r#""decimal":",""#), "{json}");
    }
}
