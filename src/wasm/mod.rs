//! The WebAssembly boundary (wasm32 only): bytes in, an [`Analysis`] handle out, numeric columns as
//! typed arrays, text columns as string arrays, the summary as a plain object, errors as JS `Error`s
//! carrying the core's message.

use crate::report::{self, CustomerRow};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = include_str!("types.d.ts");

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

fn options_from_js(options: &JsValue) -> Result<crate::Options, JsError> {
    if options.is_undefined() || options.is_null() {
        return Ok(crate::Options::default());
    }
    let text: String = js_sys::JSON::stringify(options)
        .map_err(|_| JsError::new("options must be a plain JSON object"))?
        .into();
    crate::Options::from_json(&text).map_err(|e| JsError::new(&e.to_string()))
}

/// Analyses a whole file given as bytes. `options` is the SPEC §11 object (camelCase) or
/// `undefined`. Throws an `Error` with a lower-case message when nothing usable is left or an option
/// is wrong; bad rows are reported in `summary().input.rejected` instead.
#[wasm_bindgen]
pub fn analyze(
    bytes: &[u8],
    #[wasm_bindgen(unchecked_param_type = "AnalyzeOptions | undefined")] options: JsValue,
) -> Result<Analysis, JsError> {
    let opts = options_from_js(&options)?;
    let inner = crate::analyze(bytes, &opts).map_err(|e| JsError::new(&e.to_string()))?;
    Ok(Analysis { inner })
}

/// Checks custom segment rules (`segments.rules`, SPEC §4: a list of `{name, r, f, m}` with inclusive
/// score ranges) against every score combination of `bins` scores per dimension (default 5; with
/// `withAmount` false, R and F only). Returns `{combinations, uncovered: [{r, f, m}], overlaps:
/// [{r, f, m, rules}]}`; throws on invalid rules.
#[wasm_bindgen(js_name = lintRules, unchecked_return_type = "RuleLint")]
pub fn lint_rules(
    #[wasm_bindgen(
        unchecked_param_type = "{ name: string; r?: [number, number]; f?: [number, number]; m?: [number, number] }[]"
    )]
    rules: JsValue,
    bins: Option<u8>,
    #[wasm_bindgen(js_name = "withAmount")] with_amount: Option<bool>,
) -> Result<JsValue, JsError> {
    let rules: Vec<crate::options::SegmentRule> = serde_wasm_bindgen::from_value(rules)
        .map_err(|e| JsError::new(&format!("invalid rules: {e}")))?;
    let lint = crate::analytics::segment::lint_checked(
        rules,
        bins.unwrap_or(5),
        with_amount.unwrap_or(true),
    )
    .map_err(|e| JsError::new(&e.to_string()))?;
    use serde::Serialize;
    lint.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// Analyses `bytes` as of two dates (`optionsA` and `optionsB`, usually differing only in
/// `analysisDate`) and compares them: grade and segment transition matrices, who moved up or down,
/// downgrade warnings (SPEC §6). Throws like `analyze`.
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
) -> Result<JsValue, JsError> {
    use serde::Serialize;
    let a = options_from_js(&options_a)?;
    let b = options_from_js(&options_b)?;
    let c =
        crate::compare::compare_bytes(bytes, &a, &b).map_err(|e| JsError::new(&e.to_string()))?;
    c.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
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
    ) -> Result<Analyzer, JsError> {
        let opts = options_from_js(&options)?;
        let inner = crate::Analyzer::new(opts).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Analyzer { inner: Some(inner) })
    }

    /// Starts a second pass over the same file with the whole-file decisions of a first pass whose
    /// `needsRerun` is true (the file's first MiB misled the encoding, date format or decimal
    /// separator). Stream the file again into it; its result is exact.
    #[wasm_bindgen(js_name = secondPass)]
    pub fn second_pass(
        #[wasm_bindgen(unchecked_param_type = "AnalyzeOptions | undefined")] options: JsValue,
        previous: &Analysis,
    ) -> Result<Analyzer, JsError> {
        let opts = options_from_js(&options)?;
        let decisions = previous.inner.rerun.unwrap_or_default();
        let inner = crate::Analyzer::with_decisions(opts, decisions)
            .map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Analyzer { inner: Some(inner) })
    }

    /// Feeds the next chunk (any size, split anywhere).
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), JsError> {
        let a = self
            .inner
            .as_mut()
            .ok_or_else(|| JsError::new("this analyzer has already finished"))?;
        a.push(chunk).map_err(|e| JsError::new(&e.to_string()))
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
    pub fn finish(&mut self) -> Result<Analysis, JsError> {
        let a = self
            .inner
            .take()
            .ok_or_else(|| JsError::new("this analyzer has already finished"))?;
        let inner = a.finish().map_err(|e| JsError::new(&e.to_string()))?;
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
    /// One output column (index into `COLUMNS`) as text for every row.
    fn col(&self, col: usize) -> Vec<String> {
        (0..self.len()).map(|i| self.inner.field(i, col)).collect()
    }
    /// A numeric column by row index (NaN where not computed).
    fn float(&self, f: impl Fn(usize) -> Option<f64>) -> Vec<f64> {
        (0..self.len()).map(|i| f(i).unwrap_or(f64::NAN)).collect()
    }
    /// A score column (0 = not computed).
    fn score(&self, f: impl Fn(&CustomerRow) -> u8) -> Vec<u8> {
        self.inner.rows.iter().map(f).collect()
    }
}

fn money(x: Option<crate::ingest::money::Money>) -> Option<f64> {
    x.map(crate::ingest::money::to_f64)
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

    /// Number of analysed customers.
    #[wasm_bindgen(getter, js_name = customerCount)]
    pub fn customer_count(&self) -> usize {
        self.len()
    }

    /// The summary as a plain object (SPEC §11 keys).
    #[wasm_bindgen(unchecked_return_type = "Summary")]
    pub fn summary(&self) -> Result<JsValue, JsError> {
        use serde::Serialize;
        let ser = serde_wasm_bindgen::Serializer::json_compatible();
        self.inner
            .summary
            .serialize(&ser)
            .map_err(|e| JsError::new(&format!("could not encode the summary: {e}")))
    }

    /// Rows `offset … offset + limit − 1` of every column as one plain object (numeric columns as
    /// typed arrays), so a page can show a table page without copying whole columns.
    pub fn slice(&self, offset: usize, limit: usize) -> Result<JsValue, JsError> {
        let a = &self.inner;
        let n = a.rows.len();
        let lo = offset.min(n);
        let hi = offset.saturating_add(limit).min(n);
        let obj = js_sys::Object::new();
        let err = |_| JsError::new("could not build the slice");
        let set = |k: &str, v: JsValue| {
            js_sys::Reflect::set(&obj, &k.into(), &v)
                .map(|_| ())
                .map_err(err)
        };
        let texts = |col: usize| -> JsValue {
            (lo..hi)
                .map(|i| JsValue::from(a.field(i, col)))
                .collect::<js_sys::Array>()
                .into()
        };
        let floats = |f: &dyn Fn(usize) -> Option<f64>| -> JsValue {
            js_sys::Float64Array::from(
                &(lo..hi)
                    .map(|i| f(i).unwrap_or(f64::NAN))
                    .collect::<Vec<_>>()[..],
            )
            .into()
        };
        let scores = |f: &dyn Fn(&CustomerRow) -> u8| -> JsValue {
            js_sys::Uint8Array::from(&a.rows[lo..hi].iter().map(f).collect::<Vec<_>>()[..]).into()
        };
        for (name, col) in [("customerId", 0), ("firstDate", 1), ("lastDate", 2)] {
            set(name, texts(col))?;
        }
        set(
            "recencyDays",
            js_sys::Int32Array::from(
                &a.rows[lo..hi].iter().map(|r| r.recency).collect::<Vec<_>>()[..],
            )
            .into(),
        )?;
        set(
            "frequency",
            floats(&|i| a.rows.get(i).map(|r| r.frequency as f64)),
        )?;
        set("monetary", floats(&|i| money(a.monetary(i))))?;
        set("aov", floats(&|i| money(a.aov(i))))?;
        set("rScore", scores(&|r| r.r_score))?;
        set("fScore", scores(&|r| r.f_score))?;
        set("mScore", scores(&|r| r.m_score))?;
        for (name, col) in [
            ("rfmCode", 10),
            ("segmentCn8", 11),
            ("segmentRfm11", 12),
            ("segmentCustom", 13),
            ("gradeAbc", 14),
            ("gradeLadder", 15),
            ("gradeAbsolute", 16),
            ("activity", 17),
            ("lifecycle", 18),
            ("churnFlags", 19),
            ("risk", 20),
            ("action", 24),
        ] {
            set(name, texts(col))?;
        }
        let reasons: js_sys::Array = (lo..hi)
            .map(|i| JsValue::from(a.churn_reasons(i)))
            .collect();
        set("churnReasons", reasons.into())?;
        set("pAlive", floats(&|i| a.p_alive_of(i)))?;
        set("expectedPurchases", floats(&|i| a.expected_purchases_of(i)))?;
        set("predictedClv", floats(&|i| a.predicted_clv_of(i)))?;
        Ok(obj.into())
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

    /// Customer ids.
    #[wasm_bindgen(getter, js_name = customerId)]
    pub fn customer_id(&self) -> Vec<String> {
        self.col(0)
    }
    /// First order dates, `YYYY-MM-DD`.
    #[wasm_bindgen(getter, js_name = firstDate)]
    pub fn first_date(&self) -> Vec<String> {
        self.col(1)
    }
    /// Last order dates, `YYYY-MM-DD`.
    #[wasm_bindgen(getter, js_name = lastDate)]
    pub fn last_date(&self) -> Vec<String> {
        self.col(2)
    }
    /// Recency in days.
    #[wasm_bindgen(getter, js_name = recencyDays)]
    pub fn recency_days(&self) -> Vec<i32> {
        self.inner.rows.iter().map(|r| r.recency).collect()
    }
    /// Frequency in the chosen unit.
    #[wasm_bindgen(getter)]
    pub fn frequency(&self) -> Vec<f64> {
        self.inner.rows.iter().map(|r| r.frequency as f64).collect()
    }
    /// Net spend (NaN without an amount column).
    #[wasm_bindgen(getter)]
    pub fn monetary(&self) -> Vec<f64> {
        self.float(|i| money(self.inner.monetary(i)))
    }
    /// Average order value (NaN without an amount column).
    #[wasm_bindgen(getter)]
    pub fn aov(&self) -> Vec<f64> {
        self.float(|i| money(self.inner.aov(i)))
    }
    /// Recency scores (0 = not computed).
    #[wasm_bindgen(getter, js_name = rScore)]
    pub fn r_score(&self) -> Vec<u8> {
        self.score(|r| r.r_score)
    }
    /// Frequency scores (0 = not computed).
    #[wasm_bindgen(getter, js_name = fScore)]
    pub fn f_score(&self) -> Vec<u8> {
        self.score(|r| r.f_score)
    }
    /// Monetary scores (0 = not computed).
    #[wasm_bindgen(getter, js_name = mScore)]
    pub fn m_score(&self) -> Vec<u8> {
        self.score(|r| r.m_score)
    }
    /// RFM codes such as `"545"`.
    #[wasm_bindgen(getter, js_name = rfmCode)]
    pub fn rfm_code(&self) -> Vec<String> {
        self.col(10)
    }
    /// `cn8` segment labels.
    #[wasm_bindgen(getter, js_name = segmentCn8)]
    pub fn segment_cn8(&self) -> Vec<String> {
        self.col(11)
    }
    /// `rfm11` segment labels.
    #[wasm_bindgen(getter, js_name = segmentRfm11)]
    pub fn segment_rfm11(&self) -> Vec<String> {
        self.col(12)
    }
    /// Custom rule segments.
    #[wasm_bindgen(getter, js_name = segmentCustom)]
    pub fn segment_custom(&self) -> Vec<String> {
        self.col(13)
    }
    /// ABC grades.
    #[wasm_bindgen(getter, js_name = gradeAbc)]
    pub fn grade_abc(&self) -> Vec<String> {
        self.col(14)
    }
    /// Ladder grades.
    #[wasm_bindgen(getter, js_name = gradeLadder)]
    pub fn grade_ladder(&self) -> Vec<String> {
        self.col(15)
    }
    /// Absolute grades.
    #[wasm_bindgen(getter, js_name = gradeAbsolute)]
    pub fn grade_absolute(&self) -> Vec<String> {
        self.col(16)
    }
    /// Activity classes.
    #[wasm_bindgen(getter)]
    pub fn activity(&self) -> Vec<String> {
        self.col(17)
    }
    /// Lifecycle stages.
    #[wasm_bindgen(getter)]
    pub fn lifecycle(&self) -> Vec<String> {
        self.col(18)
    }
    /// Churn flags, `|`-separated.
    #[wasm_bindgen(getter, js_name = churnFlags)]
    pub fn churn_flags(&self) -> Vec<String> {
        self.col(19)
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
        self.col(20)
    }
    /// P(alive) (NaN = not computed).
    #[wasm_bindgen(getter, js_name = pAlive)]
    pub fn p_alive(&self) -> Vec<f64> {
        self.float(|i| self.inner.p_alive_of(i))
    }
    /// Expected purchases over the horizon (NaN = not computed).
    #[wasm_bindgen(getter, js_name = expectedPurchases)]
    pub fn expected_purchases(&self) -> Vec<f64> {
        self.float(|i| self.inner.expected_purchases_of(i))
    }
    /// Predicted CLV (NaN = not computed).
    #[wasm_bindgen(getter, js_name = predictedClv)]
    pub fn predicted_clv(&self) -> Vec<f64> {
        self.float(|i| self.inner.predicted_clv_of(i))
    }
    /// Recommended actions.
    #[wasm_bindgen(getter)]
    pub fn action(&self) -> Vec<String> {
        self.col(24)
    }
}
