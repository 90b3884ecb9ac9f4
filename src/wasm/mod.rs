//! The WebAssembly boundary (wasm32 only): bytes in, an [`Analysis`] handle out, numeric columns as
//! typed arrays, text columns as string arrays, the summary as a plain object, errors as JS `Error`s
//! carrying the core's message.

use crate::error::TierwiseError;
use crate::messages::Message;
use crate::report::{self, Column};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = include_str!("types.d.ts");

/// Serialises a value for JavaScript as plain JSON-compatible objects.
fn to_js<T: Serialize + ?Sized>(value: &T, what: &str) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| {
            coded_error(&Message::EncodeFailed {
                what: what.to_string(),
                detail: e.to_string(),
            })
        })
}

/// A JavaScript `Error` whose `message` is the English text and whose `code` and `params` carry
/// the coded message, so a page can show it in its language.
fn coded_error(m: &Message) -> JsValue {
    let err = js_sys::Error::new(&m.en());
    let _ = js_sys::Reflect::set(&err, &"code".into(), &m.code().into());
    if let Ok(params) = m.serialize(&serde_wasm_bindgen::Serializer::json_compatible()) {
        let params = js_sys::Reflect::get(&params, &"params".into()).unwrap_or(JsValue::NULL);
        let _ = js_sys::Reflect::set(&err, &"params".into(), &params);
    }
    err.into()
}

/// The core's error as a coded JavaScript `Error`.
fn js_error(e: TierwiseError) -> JsValue {
    coded_error(&e.message())
}

/// Installs the panic hook so a bug shows its message in the console instead of "unreachable".
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The crate version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

fn options_from_js(options: &JsValue) -> Result<crate::Options, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(crate::Options::default());
    }
    let text: String = js_sys::JSON::stringify(options)
        .map_err(|_| coded_error(&Message::OptionsNotObject))?
        .into();
    crate::Options::from_json(&text).map_err(js_error)
}

/// Analyses a whole file given as bytes. `options` is the `docs/outputs.md` object (camelCase) or
/// `undefined`. Throws an `Error` with a lower-case message when nothing usable is left or an option
/// is wrong; bad rows are reported in `summary().input.rejected` instead.
#[wasm_bindgen]
pub fn analyze(
    bytes: &[u8],
    #[wasm_bindgen(unchecked_param_type = "AnalyzeOptions | undefined")] options: JsValue,
) -> Result<Analysis, JsValue> {
    let opts = options_from_js(&options)?;
    let inner = crate::analyze(bytes, &opts).map_err(js_error)?;
    Ok(Analysis { inner })
}

/// The dialect and cut source named in `exportSql` (errors name `exportSql.dialect` /
/// `exportSql.cuts` and the allowed values).
fn sql_settings(
    dialect: &str,
    cuts: Option<String>,
) -> Result<(crate::sql::Dialect, crate::sql::CutSource), JsValue> {
    let bad = |key: &str, allowed: &str, got: &str| {
        js_error(TierwiseError::Options {
            key: format!("exportSql.{key}"),
            problem: Message::NotOneOf {
                allowed: allowed.into(),
                got: got.into(),
            },
        })
    };
    let d = crate::sql::Dialect::parse(dialect)
        .ok_or_else(|| bad("dialect", "duckdb, postgres, bigquery, spark", dialect))?;
    let c = match cuts.as_deref() {
        None => crate::sql::CutSource::Fitted,
        Some(c) => crate::sql::CutSource::parse(c).ok_or_else(|| bad("cuts", "fitted, sql", c))?,
    };
    Ok((d, c))
}

/// The grading of a whole file as one SQL script (`docs/sql.md`): analyses `bytes` with `options`
/// (the purchase models left out) and writes the script for `dialect` (`duckdb`, `postgres`,
/// `bigquery`, `spark`) with the cut points `cuts` (`fitted`, the default, or `sql`). Throws like
/// `analyze`, or on an unknown dialect or cut source.
#[wasm_bindgen(js_name = exportSql)]
pub fn export_sql(
    bytes: &[u8],
    #[wasm_bindgen(unchecked_param_type = "AnalyzeOptions | undefined")] options: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SqlDialect")] dialect: &str,
    #[wasm_bindgen(unchecked_param_type = "SqlCuts | undefined")] cuts: Option<String>,
) -> Result<String, JsValue> {
    let (d, c) = sql_settings(dialect, cuts)?;
    let mut opts = options_from_js(&options)?;
    opts.model.enabled = false;
    let a = crate::analyze(bytes, &opts).map_err(js_error)?;
    crate::sql::script(&a, d, c).map_err(js_error)
}

/// Reads the head of a file (its first MiB; passing more is fine, passing less than the whole of a
/// small file changes nothing) and reports what `analyze` would make of it: encoding, delimiter,
/// header row (title rows skipped), and per column the role guessed with its confidence and reason
/// (`docs/input.md#column-roles`). Throws like `analyze` on an empty file, a file that is not a
/// table, a missing customer or date column or a wrong option. With `lenient` true (a mapping
/// step), a missing customer or date column does not throw: the role is left unmapped and the
/// error is in `missing` (coded).
#[wasm_bindgen(unchecked_return_type = "Inspection")]
pub fn inspect(
    bytes: &[u8],
    #[wasm_bindgen(unchecked_param_type = "AnalyzeOptions | undefined")] options: JsValue,
    lenient: Option<bool>,
) -> Result<JsValue, JsValue> {
    let opts = options_from_js(&options)?;
    let i = if lenient.unwrap_or(false) {
        crate::inspect_lenient(bytes, &opts)
    } else {
        crate::inspect(bytes, &opts)
    }
    .map_err(js_error)?;
    to_js(&i, "inspection")
}

/// Checks custom segment rules (`segments.rules`, `docs/segments.md`: a list of `{name, r, f, m}` with inclusive
/// score ranges) against every score combination of `bins` scores per dimension (default 5; with
/// `withAmount` false, R and F only). Returns `{combinations, uncovered: [{r, f, m}], overlaps:
/// [{r, f, m, rules}]}`; throws on invalid rules.
#[wasm_bindgen(js_name = lintRules, unchecked_return_type = "RuleLint")]
pub fn lint_rules(
    #[wasm_bindgen(
        unchecked_param_type = "{ name: string; r?: [number, number]; f?: [number, number]; m?: [number, number] }[]"
    )]
    rules: JsValue,
    bins: Option<f64>,
    #[wasm_bindgen(js_name = "withAmount")] with_amount: Option<bool>,
) -> Result<JsValue, JsValue> {
    // a JS number, checked before any cast (wasm-bindgen would wrap 261 into a u8 as 5)
    let bins = match bins {
        None => 5,
        Some(b) if b.fract() == 0.0 && (3.0..=10.0).contains(&b) => b as u8,
        Some(b) => {
            return Err(js_error(TierwiseError::Options {
                key: "bins".into(),
                problem: Message::BinsOutOfRange { got: b.to_string() },
            }))
        }
    };
    let rules: Vec<crate::options::SegmentRule> =
        serde_wasm_bindgen::from_value(rules).map_err(|e| {
            coded_error(&Message::InvalidRules {
                detail: e.to_string(),
            })
        })?;
    let lint = crate::analytics::segment::lint_checked(rules, bins, with_amount.unwrap_or(true))
        .map_err(js_error)?;
    to_js(&lint, "lint report")
}

/// Analyses `bytes` as of two dates (`optionsA` and `optionsB`, usually differing only in
/// `analysisDate`) and compares them: grade and segment transition matrices, who moved up or down,
/// downgrade warnings (`docs/churn.md`). Throws like `analyze`.
#[wasm_bindgen(unchecked_return_type = "Comparison")]
pub fn compare(
    bytes: &[u8],
    #[wasm_bindgen(
        js_name = "optionsA",
        unchecked_param_type = "AnalyzeOptions | undefined"
    )]
    options_a: JsValue,
    #[wasm_bindgen(
        js_name = "optionsB",
        unchecked_param_type = "AnalyzeOptions | undefined"
    )]
    options_b: JsValue,
) -> Result<JsValue, JsValue> {
    let a = options_from_js(&options_a)?;
    let b = options_from_js(&options_b)?;
    let c = crate::compare::compare_bytes(bytes, &a, &b).map_err(js_error)?;
    to_js(&c, "comparison")
}

/// Compares two finished analyses of the same data (`earlier` as of the earlier date, `later` as of
/// the later one) and fills the upgrade candidates from the analyses `q1`, `q2`, `q3` one, two and
/// three quarters before the later date (`quarterDates` of the later date). `known` (0 to 3) says how
/// many of them exist: a date on which nobody had bought yet has no analysis, and since the quarter
/// dates go back in time, only the first `known` are read (pass any handle, e.g. `later`, for the
/// others). Handles are only borrowed, so one may be given twice (an earlier date that is also a
/// quarter date). New categories need `later` read by an analyzer with `trackCategories()`. The
/// streaming counterpart of `compare`, for a page that reads a file once per date; throws the coded
/// `compare_order` error when `earlier` is after `later`.
#[wasm_bindgen(js_name = compareAnalyses, unchecked_return_type = "Comparison")]
pub fn compare_analyses(
    earlier: &Analysis,
    later: &Analysis,
    q1: &Analysis,
    q2: &Analysis,
    q3: &Analysis,
    known: f64,
) -> Result<JsValue, JsValue> {
    let (a, b) = (&earlier.inner, &later.inner);
    if a.analysis_day > b.analysis_day {
        return Err(js_error(TierwiseError::Options {
            key: "analysisDate".into(),
            problem: Message::CompareOrder {
                from: a.summary.analysis_date.clone(),
                to: b.summary.analysis_date.clone(),
            },
        }));
    }
    // a JS number, checked before any use: anything but 0 … 3 reads as 0 … 3 clamped
    let known = if known.is_finite() {
        known.clamp(0.0, 3.0) as usize
    } else {
        0
    };
    let mut quarters = [Some(&q1.inner), Some(&q2.inner), Some(&q3.inner)];
    for q in quarters.iter_mut().skip(known) {
        *q = None;
    }
    let mut c = crate::compare::compare(a, b);
    c.upgrade_candidates = crate::compare::upgrade_candidates(b, quarters);
    to_js(&c, "comparison")
}

/// The dates one, two and three quarters (3, 6, 9 calendar months) before `date` (`YYYY-MM-DD`), as
/// upgrade candidates need them (`docs/compare.md`); `undefined` for an invalid date.
#[wasm_bindgen(js_name = quarterDates)]
pub fn quarter_dates(date: &str) -> Option<Vec<String>> {
    crate::compare::quarter_dates(date).map(Vec::from)
}

/// A streaming analysis: `new Analyzer(options)`, `push(chunk)` any number of times, then
/// `finish()` → `Analysis`. Use it to read a `File` with `file.stream()` without holding it whole.
#[wasm_bindgen]
pub struct Analyzer {
    inner: Option<crate::Analyzer>,
}

#[wasm_bindgen]
impl Analyzer {
    /// Starts an analysis; throws on invalid options.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "AnalyzeOptions | undefined")] options: JsValue,
    ) -> Result<Analyzer, JsValue> {
        let opts = options_from_js(&options)?;
        let inner = crate::Analyzer::new(opts).map_err(js_error)?;
        Ok(Analyzer { inner: Some(inner) })
    }

    /// Starts a second pass over the same file with the whole-file decisions of a first pass whose
    /// `needsRerun` is true (the file's first MiB misled the encoding, date format or decimal
    /// separator). Stream the file again into it; its result is exact.
    #[wasm_bindgen(js_name = secondPass)]
    pub fn second_pass(
        #[wasm_bindgen(unchecked_param_type = "AnalyzeOptions | undefined")] options: JsValue,
        previous: &Analysis,
    ) -> Result<Analyzer, JsValue> {
        let opts = options_from_js(&options)?;
        let decisions = previous.inner.rerun.unwrap_or_default();
        let inner = crate::Analyzer::with_decisions(opts, decisions).map_err(js_error)?;
        Ok(Analyzer { inner: Some(inner) })
    }

    /// Starts the reader of a later byte range of a file, for a helper worker
    /// (`docs/speed.md#ranges`): `head` is the file's first MiB (all of it: `Analyzer` decides from
    /// exactly that), the bytes pushed start just after a line feed. First passes only. End it
    /// with `endRange()` and hand the bytes to the first range's analyzer (`absorb`).
    #[wasm_bindgen(js_name = forRange)]
    pub fn for_range(
        #[wasm_bindgen(unchecked_param_type = "AnalyzeOptions | undefined")] options: JsValue,
        head: &[u8],
    ) -> Result<Analyzer, JsValue> {
        let opts = options_from_js(&options)?;
        let inner = crate::Analyzer::for_range(opts, crate::Decisions::default(), head)
            .map_err(js_error)?;
        Ok(Analyzer { inner: Some(inner) })
    }

    /// Ends a range reader (`forRange`): what it read, as bytes to post to the worker that merges
    /// (about 24 bytes per order plus the ids' text). The analyzer cannot be used afterwards.
    #[wasm_bindgen(js_name = endRange)]
    pub fn end_range(&mut self) -> Result<Vec<u8>, JsValue> {
        let a = self
            .inner
            .take()
            .ok_or_else(|| coded_error(&Message::AnalyzerFinished))?;
        Ok(a.end_range().into_bytes())
    }

    /// Absorbs the next byte range of the file (from `endRange()` of a helper, in file order) into
    /// this analyzer, which read the file's first range. Returns `undefined` when merged: the result
    /// is then exactly that of one analyzer reading the whole file. Otherwise returns why not (a
    /// quoted line break across a cut, text that is not plain UTF-8, …) and leaves this analyzer
    /// as it was (unless `spoiled`): when it has absorbed nothing yet, push the rest of the file
    /// into it; otherwise free it and read the file with one analyzer.
    pub fn absorb(&mut self, part: &js_sys::Uint8Array) -> Result<Option<String>, JsValue> {
        let a = self
            .inner
            .as_mut()
            .ok_or_else(|| coded_error(&Message::AnalyzerFinished))?;
        // read from the JavaScript array a piece at a time (the part is not copied in whole)
        let len = part.length() as usize;
        let mut read = |at: usize, buf: &mut [u8]| {
            part.subarray(at as u32, (at + buf.len()) as u32)
                .copy_to(buf)
        };
        Ok(a.absorb_from(len, &mut read).err().map(|r| r.to_string()))
    }

    /// True when a refused `absorb` had already merged some of the part (damaged bytes found
    /// part-way): then free this analyzer. A refused part otherwise leaves it as it was.
    #[wasm_bindgen(getter)]
    pub fn spoiled(&self) -> bool {
        self.inner.as_ref().is_some_and(|a| a.spoiled())
    }

    /// Records, per customer, the day each category was first bought, for the "new category"
    /// upgrade trigger of `compareAnalyses` (call it before the first `push`; without a category
    /// column it changes nothing).
    #[wasm_bindgen(js_name = trackCategories)]
    pub fn track_categories(&mut self) {
        self.inner = self.inner.take().map(crate::Analyzer::track_categories);
    }

    /// Feeds the next chunk (any size, split anywhere).
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), JsValue> {
        let a = self
            .inner
            .as_mut()
            .ok_or_else(|| coded_error(&Message::AnalyzerFinished))?;
        a.push(chunk).map_err(js_error)
    }

    /// Bytes pushed so far.
    #[wasm_bindgen(getter, js_name = bytesRead)]
    pub fn bytes_read(&self) -> f64 {
        self.inner
            .as_ref()
            .map_or(0.0, |a| a.progress().bytes as f64)
    }

    /// Records read so far; 0 until the first MiB (or, for a smaller file, the whole file) has been
    /// read, since the layout is decided from it first.
    #[wasm_bindgen(getter, js_name = rowsRead)]
    pub fn rows_read(&self) -> f64 {
        self.inner
            .as_ref()
            .map_or(0.0, |a| a.progress().rows as f64)
    }

    /// Ends the input and returns the analysis; throws like `analyze`. The analyzer cannot be used
    /// afterwards.
    pub fn finish(&mut self) -> Result<Analysis, JsValue> {
        let a = self
            .inner
            .take()
            .ok_or_else(|| coded_error(&Message::AnalyzerFinished))?;
        let inner = a.finish().map_err(js_error)?;
        Ok(Analysis { inner })
    }

    /// Like `finish`, but leaves the models (BG/NBD, Gamma-Gamma, CLV) pending, so the scores,
    /// segments, grades and flags can be shown while `Analysis.fitModels()` still has to run: until
    /// then `modelsPending` is true, `summary().model` is `{pending: true}`, the model columns are
    /// NaN and `risk` is empty (docs/models.md#later). With `model.enabled: false` nothing is
    /// pending. Throws like `finish`.
    #[wasm_bindgen(js_name = finishDeferred)]
    pub fn finish_deferred(&mut self) -> Result<Analysis, JsValue> {
        let a = self
            .inner
            .take()
            .ok_or_else(|| coded_error(&Message::AnalyzerFinished))?;
        let inner = a.finish_deferred().map_err(js_error)?;
        Ok(Analysis { inner })
    }
}

/// A finished analysis. Columns are sorted by customer id and all have `customerCount` entries.
/// Call `free()` when done to release the wasm memory.
#[wasm_bindgen]
pub struct Analysis {
    inner: report::Analysis,
}

impl Analysis {
    fn len(&self) -> usize {
        self.inner.rows.len()
    }
    /// One column's values for every row, typed by the column table.
    fn column(&self, col: Column) -> report::columns::Values {
        self.inner.values(col, 0..self.len())
    }
    // (each getter asks for a column of the type its signature has; a mismatch is a bug in the
    // column table, caught by tests/catalog.test.mjs, and gives an empty array rather than a panic)
    fn text(&self, col: Column) -> Vec<String> {
        match self.column(col) {
            report::columns::Values::Text(v) => v,
            _ => Vec::new(),
        }
    }
    fn int32s(&self, col: Column) -> Vec<i32> {
        match self.column(col) {
            report::columns::Values::Int32(v) => v,
            _ => Vec::new(),
        }
    }
    fn floats(&self, col: Column) -> Vec<f64> {
        match self.column(col) {
            report::columns::Values::Float64(v) => v,
            _ => Vec::new(),
        }
    }
    fn scores(&self, col: Column) -> Vec<u8> {
        match self.column(col) {
            report::columns::Values::Uint8(v) => v,
            _ => Vec::new(),
        }
    }
}

/// A column's values as a JavaScript array or typed array.
fn values_to_js(v: report::columns::Values) -> JsValue {
    use report::columns::Values;
    match v {
        Values::Text(t) => t
            .into_iter()
            .map(JsValue::from)
            .collect::<js_sys::Array>()
            .into(),
        Values::Int32(x) => js_sys::Int32Array::from(&x[..]).into(),
        Values::Float64(x) => js_sys::Float64Array::from(&x[..]).into(),
        Values::Uint8(x) => js_sys::Uint8Array::from(&x[..]).into(),
    }
}

/// The per-customer output columns: `[{csv, js, type, description}]` in CSV order (`type` is
/// `text`, `int32`, `float64` or `uint8`: `string[]`, `Int32Array`, `Float64Array`, `Uint8Array`).
#[wasm_bindgen(unchecked_return_type = "ColumnInfo[]")]
pub fn columns() -> Result<JsValue, JsValue> {
    to_js(&Column::table(), "column table")
}

#[wasm_bindgen]
impl Analysis {
    /// True when the whole file disagreed with the decisions taken from its first MiB: this result
    /// follows the head; stream the file again into `Analyzer.secondPass(options, this)` for the
    /// exact result. (`analyze(bytes)` does the second pass itself.)
    #[wasm_bindgen(getter, js_name = needsRerun)]
    pub fn needs_rerun(&self) -> bool {
        self.inner.rerun.is_some()
    }

    /// True for an analysis from `Analyzer.finishDeferred` whose models are not fitted yet.
    #[wasm_bindgen(getter, js_name = modelsPending)]
    pub fn models_pending(&self) -> bool {
        self.inner.models_pending()
    }

    /// Fits the pending models and fills in the model columns, the risk levels and the summary's
    /// `model`, `churn.risk` and warnings; afterwards the analysis equals the one `finish` gives.
    /// Does nothing when no models are pending.
    #[wasm_bindgen(js_name = fitModels)]
    pub fn fit_models(&mut self) {
        self.inner.fit_models();
    }

    /// Number of analysed customers.
    #[wasm_bindgen(getter, js_name = customerCount)]
    pub fn customer_count(&self) -> usize {
        self.len()
    }

    /// The summary as a plain object (see `docs/outputs.md#summary-json`).
    #[wasm_bindgen(unchecked_return_type = "Summary")]
    pub fn summary(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.summary, "summary")
    }

    /// Rows `offset … offset + limit − 1` of every column as one plain object keyed by getter name
    /// (numeric columns as typed arrays, plus `churnReasons`), so a page can show a table page
    /// without copying whole columns.
    pub fn slice(&self, offset: usize, limit: usize) -> Result<JsValue, JsValue> {
        let a = &self.inner;
        let n = a.rows.len();
        let lo = offset.min(n);
        let hi = offset.saturating_add(limit).min(n);
        let obj = js_sys::Object::new();
        let set = |k: &str, v: JsValue| {
            js_sys::Reflect::set(&obj, &k.into(), &v)
                .map(|_| ())
                .map_err(|_| {
                    coded_error(&Message::EncodeFailed {
                        what: "slice".into(),
                        detail: k.into(),
                    })
                })
        };
        for &col in Column::ALL {
            set(col.js(), values_to_js(a.values(col, lo..hi)))?;
        }
        let reasons: js_sys::Array = (lo..hi)
            .map(|i| JsValue::from(a.churn_reasons(i)))
            .collect();
        set("churnReasons", reasons.into())?;
        for (d, key) in a.dimension_keys().iter().enumerate() {
            let values: js_sys::Array = (lo..hi)
                .map(|i| JsValue::from(a.dimension_value(d, i).into_owned()))
                .collect();
            set(key, values.into())?;
        }
        Ok(obj.into())
    }

    /// The per-customer dimension columns' keys, `dim:<column name>` (as in the CSV header and in
    /// `slice`), in the order of `columns.dimensions`; empty without dimensions.
    #[wasm_bindgen(js_name = dimensionKeys)]
    pub fn dimension_keys(&self) -> Vec<String> {
        self.inner.dimension_keys()
    }

    /// Every customer's value of dimension `index` (0-based, in the order of
    /// `columns.dimensions`): the value on most of their order rows, empty when they have none.
    /// Throws when there is no such dimension.
    #[wasm_bindgen(js_name = dimensionValues)]
    pub fn dimension_values(&self, index: f64) -> Result<Vec<String>, JsValue> {
        let count = self.inner.dimensions.len();
        // a JS number, checked before any cast
        if !(index.fract() == 0.0 && index >= 0.0 && index < count as f64) {
            return Err(coded_error(&Message::NoSuchDimension {
                index: index.to_string(),
                count,
            }));
        }
        let d = index as usize;
        Ok((0..self.len())
            .map(|i| self.inner.dimension_value(d, i).into_owned())
            .collect())
    }

    /// Milliseconds spent in each phase of the final step (`{"group by customer": …, facts: …, …}`),
    /// for benchmarks.
    pub fn timings(&self) -> JsValue {
        let obj = js_sys::Object::new();
        for (k, v) in &self.inner.timings {
            let _ = js_sys::Reflect::set(&obj, &(*k).into(), &(*v).into());
        }
        obj.into()
    }

    /// The per-customer CSV, UTF-8 with BOM.
    #[wasm_bindgen(js_name = toCsv)]
    pub fn to_csv(&self) -> Vec<u8> {
        self.inner.to_csv()
    }

    /// The per-customer CSV in another format and for some customers: `options.labels` (`"en"` or
    /// `"zh"`, default the analysis' own), `options.delimiter` (`","`, `";"` or `"\t"`, default
    /// `","`), `options.decimal` (`"."`, or `","` for Excel in a decimal-comma locale, not with the
    /// `","` delimiter) and `options.rows` (a `Uint32Array` of customer indexes, written in that
    /// order; default every customer). With no options it is `toCsv()`. Throws on a wrong setting
    /// or an index past the last customer.
    #[wasm_bindgen(js_name = toCsvWith)]
    pub fn to_csv_with(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CsvExportOptions | undefined")] options: JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        let get = |k: &str| option_value(&options, k);
        let text = |k: &str| option_text(&options, k);
        let (labels, delimiter, decimal) = (text("labels"), text("delimiter"), text("decimal"));
        let format = report::csv::CsvFormat::parse(
            &self.inner,
            "toCsvWith.",
            labels.as_deref(),
            delimiter.as_deref(),
            decimal.as_deref(),
        )
        .map_err(js_error)?;
        let rows = get("rows");
        let rows = if rows.is_undefined() || rows.is_null() {
            None
        } else {
            let Some(r) = rows.dyn_ref::<js_sys::Uint32Array>() else {
                return Err(js_error(TierwiseError::Options {
                    key: "toCsvWith.rows".into(),
                    problem: Message::ExpectedCustomerIndexes,
                }));
            };
            let r = r.to_vec();
            if let Some(&bad) = r.iter().find(|&&i| i as usize >= self.len()) {
                return Err(js_error(TierwiseError::Options {
                    key: "toCsvWith.rows".into(),
                    problem: Message::CustomerIndexOutOfRange {
                        index: u64::from(bad),
                        customers: self.len(),
                    },
                }));
            }
            Some(r)
        };
        let mut out = Vec::with_capacity(64 + rows.as_ref().map_or(self.len(), Vec::len) * 200);
        // writing to a Vec cannot fail
        let _ = report::write_csv_with(&self.inner, format, rows.as_deref(), &mut out);
        Ok(out)
    }

    /// This analysis' grading as one SQL script (`docs/sql.md`) for `dialect` (`duckdb`,
    /// `postgres`, `bigquery`, `spark`), with the cut points `cuts` (`fitted`, the default: the ones
    /// this analysis fitted; or `sql`: fitted by the script on the table's customers). Throws on an
    /// unknown dialect or cut source.
    #[wasm_bindgen(js_name = exportSql)]
    pub fn export_sql(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SqlDialect")] dialect: &str,
        #[wasm_bindgen(unchecked_param_type = "SqlCuts | undefined")] cuts: Option<String>,
    ) -> Result<String, JsValue> {
        let (d, c) = sql_settings(dialect, cuts)?;
        crate::sql::script(&self.inner, d, c).map_err(js_error)
    }

    /// The holdout check per customer as CSV (`docs/models.md#holdout-per-customer`; UTF-8 with BOM,
    /// the calibration cohort in customer-id order), or `undefined` when the analysis has no
    /// computed check (no `model.holdout`, models pending or off, or `summary.model.holdout` with
    /// `notComputed`). `options.delimiter` and `options.decimal` as in `toCsvWith`; throws on a
    /// wrong setting.
    #[wasm_bindgen(js_name = holdoutCsv)]
    pub fn holdout_csv(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CsvExportOptions | undefined")] options: JsValue,
    ) -> Result<Option<Vec<u8>>, JsValue> {
        let text = |k: &str| option_text(&options, k);
        let format = report::csv::CsvFormat::parse(
            &self.inner,
            "holdoutCsv.",
            None,
            text("delimiter").as_deref(),
            text("decimal").as_deref(),
        )
        .map_err(js_error)?;
        Ok(report::holdout_csv(&self.inner, format))
    }

    /// With a computed holdout check: each customer's purchase days after the cut (NaN for customers
    /// whose first purchase is after it); empty otherwise. Row order as the other columns.
    #[wasm_bindgen(getter, js_name = holdoutActual)]
    pub fn holdout_actual(&self) -> Vec<f64> {
        if self.inner.has_holdout() {
            self.inner.holdout_actual.clone()
        } else {
            Vec::new()
        }
    }

    /// With a computed holdout check: each customer's expected purchases after the cut from the
    /// calibration fit (NaN outside the calibration cohort); empty otherwise.
    #[wasm_bindgen(getter, js_name = holdoutPredicted)]
    pub fn holdout_predicted(&self) -> Vec<f64> {
        if self.inner.has_holdout() {
            self.inner.holdout_predicted.clone()
        } else {
            Vec::new()
        }
    }

    /// A text column (`segmentRfm11`, `lifecycle`, `gradeLadder`, …, by its getter name) with its
    /// labels in `labels` (`"en"` or `"zh"`) whatever the analysis' `labels` option, so a page can
    /// match the codes of the English labels on an analysis made with Chinese ones. Throws on an
    /// unknown or non-text column or another language.
    #[wasm_bindgen(js_name = labelColumn)]
    pub fn label_column(
        &self,
        column: &str,
        #[wasm_bindgen(unchecked_param_type = "\"en\" | \"zh\"")] labels: &str,
    ) -> Result<Vec<String>, JsValue> {
        let col = Column::from_js(column)
            .filter(|c| c.kind() == report::ColumnType::Text)
            .ok_or_else(|| {
                coded_error(&Message::NoTextColumn {
                    name: column.to_string(),
                })
            })?;
        let format =
            report::csv::CsvFormat::parse(&self.inner, "labelColumn.", Some(labels), None, None)
                .map_err(js_error)?;
        Ok((0..self.len())
            .map(|i| self.inner.field_in(i, col, format.labels))
            .collect())
    }

    /// Customer ids.
    #[wasm_bindgen(getter, js_name = customerId)]
    pub fn customer_id(&self) -> Vec<String> {
        self.text(Column::CustomerId)
    }
    /// First order dates, `YYYY-MM-DD`.
    #[wasm_bindgen(getter, js_name = firstDate)]
    pub fn first_date(&self) -> Vec<String> {
        self.text(Column::FirstDate)
    }
    /// Last order dates, `YYYY-MM-DD`.
    #[wasm_bindgen(getter, js_name = lastDate)]
    pub fn last_date(&self) -> Vec<String> {
        self.text(Column::LastDate)
    }
    /// Recency in days.
    #[wasm_bindgen(getter, js_name = recencyDays)]
    pub fn recency_days(&self) -> Vec<i32> {
        self.int32s(Column::RecencyDays)
    }
    /// Frequency in the chosen unit.
    #[wasm_bindgen(getter)]
    pub fn frequency(&self) -> Vec<f64> {
        self.floats(Column::Frequency)
    }
    /// Net spend (NaN without an amount column).
    #[wasm_bindgen(getter)]
    pub fn monetary(&self) -> Vec<f64> {
        self.floats(Column::Monetary)
    }
    /// Average order value (NaN without an amount column).
    #[wasm_bindgen(getter)]
    pub fn aov(&self) -> Vec<f64> {
        self.floats(Column::Aov)
    }
    /// Recency scores (0 = not computed).
    #[wasm_bindgen(getter, js_name = rScore)]
    pub fn r_score(&self) -> Vec<u8> {
        self.scores(Column::RScore)
    }
    /// Frequency scores (0 = not computed).
    #[wasm_bindgen(getter, js_name = fScore)]
    pub fn f_score(&self) -> Vec<u8> {
        self.scores(Column::FScore)
    }
    /// Monetary scores (0 = not computed).
    #[wasm_bindgen(getter, js_name = mScore)]
    pub fn m_score(&self) -> Vec<u8> {
        self.scores(Column::MScore)
    }
    /// RFM codes such as `"545"`.
    #[wasm_bindgen(getter, js_name = rfmCode)]
    pub fn rfm_code(&self) -> Vec<String> {
        self.text(Column::RfmCode)
    }
    /// `cn8` segment labels.
    #[wasm_bindgen(getter, js_name = segmentCn8)]
    pub fn segment_cn8(&self) -> Vec<String> {
        self.text(Column::SegmentCn8)
    }
    /// `rfm11` segment labels.
    #[wasm_bindgen(getter, js_name = segmentRfm11)]
    pub fn segment_rfm11(&self) -> Vec<String> {
        self.text(Column::SegmentRfm11)
    }
    /// Custom rule segments.
    #[wasm_bindgen(getter, js_name = segmentCustom)]
    pub fn segment_custom(&self) -> Vec<String> {
        self.text(Column::SegmentCustom)
    }
    /// ABC grades.
    #[wasm_bindgen(getter, js_name = gradeAbc)]
    pub fn grade_abc(&self) -> Vec<String> {
        self.text(Column::GradeAbc)
    }
    /// Ladder grades.
    #[wasm_bindgen(getter, js_name = gradeLadder)]
    pub fn grade_ladder(&self) -> Vec<String> {
        self.text(Column::GradeLadder)
    }
    /// Absolute grades.
    #[wasm_bindgen(getter, js_name = gradeAbsolute)]
    pub fn grade_absolute(&self) -> Vec<String> {
        self.text(Column::GradeAbsolute)
    }
    /// Activity classes.
    #[wasm_bindgen(getter)]
    pub fn activity(&self) -> Vec<String> {
        self.text(Column::Activity)
    }
    /// Lifecycle stages.
    #[wasm_bindgen(getter)]
    pub fn lifecycle(&self) -> Vec<String> {
        self.text(Column::Lifecycle)
    }
    /// Churn flags, `|`-separated.
    #[wasm_bindgen(getter, js_name = churnFlags)]
    pub fn churn_flags(&self) -> Vec<String> {
        self.text(Column::ChurnFlags)
    }
    /// Churn reasons in the label language, `; `-separated, same order as the flags.
    #[wasm_bindgen(getter, js_name = churnReasons)]
    pub fn churn_reasons(&self) -> Vec<String> {
        (0..self.len())
            .map(|i| self.inner.churn_reasons(i))
            .collect()
    }
    /// Risk levels.
    #[wasm_bindgen(getter)]
    pub fn risk(&self) -> Vec<String> {
        self.text(Column::Risk)
    }
    /// P(alive) (NaN = not computed).
    #[wasm_bindgen(getter, js_name = pAlive)]
    pub fn p_alive(&self) -> Vec<f64> {
        self.floats(Column::PAlive)
    }
    /// Expected purchases over the horizon (NaN = not computed).
    #[wasm_bindgen(getter, js_name = expectedPurchases)]
    pub fn expected_purchases(&self) -> Vec<f64> {
        self.floats(Column::ExpectedPurchases)
    }
    /// Predicted CLV (NaN = not computed).
    #[wasm_bindgen(getter, js_name = predictedClv)]
    pub fn predicted_clv(&self) -> Vec<f64> {
        self.floats(Column::PredictedClv)
    }
    /// Recommended actions.
    #[wasm_bindgen(getter)]
    pub fn action(&self) -> Vec<String> {
        self.text(Column::Action)
    }
}

/// `options[k]` when `options` is an object (`undefined` otherwise).
fn option_value(options: &JsValue, k: &str) -> JsValue {
    if options.is_object() {
        js_sys::Reflect::get(options, &k.into()).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// `options[k]` as text (`None` when absent); a setting that is not text is shown as JSON, so the
/// error names what was given.
fn option_text(options: &JsValue, k: &str) -> Option<String> {
    let v = option_value(options, k);
    if v.is_undefined() || v.is_null() {
        None
    } else {
        Some(v.as_string().unwrap_or_else(|| {
            js_sys::JSON::stringify(&v).map_or_else(|_| "?".into(), String::from)
        }))
    }
}
