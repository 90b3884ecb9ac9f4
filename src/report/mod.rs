//! Report: assembles the per-customer rows and the summary from the facts, the analytics and the
//! models, and writes the CSV (see `docs/outputs.md`).
//!
//! - [`columns`]: the one column table and each column's text and typed values;
//! - [`summary`]: the summary structures and tables;
//! - [`csv`]: the per-customer CSV;
//! - [`mod@holdout_csv`]: the holdout check per customer (`model.holdout`);
//! - [`rows_csv`]: the valid rows as read (`tierwise rows`).

pub mod columns;
pub mod csv;
pub mod dimensions;
pub mod holdout_csv;
pub mod rows_csv;
pub mod summary;

use crate::analytics::churn;
use crate::calendar::format_day;
use crate::clock::Phases;
use crate::facts::{CustomerFacts, Facts, IdTable};
use crate::ingest::money::{round_half_even_div, Money};
use crate::ingest::Ingested;
use crate::options::{Labels, Options};
pub use columns::{Column, ColumnType};
pub use csv::{write_csv, write_csv_threads, write_csv_to, write_csv_with, CsvFormat};
pub use holdout_csv::{holdout_csv, write_holdout_csv, HOLDOUT_COLUMNS};
pub use rows_csv::write_rows_csv;
pub use summary::{
    ChurnSummary, CutPointsSummary, GradesSummary, GroupSummary, SegmentsSummary, Summary,
};

/// One customer's output row: the compact [`CustomerFacts`] record, whose label slots the report
/// step fills in; text is rendered only on output (see [`Analysis::write_field`]).
pub type CustomerRow = CustomerFacts;

/// A finished analysis: rows sorted by customer id, the summary, and what renders the rows' text.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// Per-customer rows, sorted by customer id.
    pub rows: Vec<CustomerRow>,
    /// Customer ids (`CustomerRow::id` indexes this).
    pub ids: IdTable,
    /// The analysis date as a day number.
    pub analysis_day: i32,
    /// The file has an amount (monetary columns are filled).
    pub has_amount: bool,
    /// Model outputs per row, empty until a model is fitted.
    pub p_alive: Vec<f64>,
    /// Expected purchases per row over the model horizon, empty until a model is fitted.
    pub expected_purchases: Vec<f64>,
    /// Predicted CLV per row, empty until a model is fitted.
    pub predicted_clv: Vec<f64>,
    /// With a holdout check (`model.holdout`): purchase days in the holdout per row (NaN for
    /// customers whose first purchase is after the cut); empty without a check.
    pub holdout_actual: Vec<f64>,
    /// With a holdout check: the calibration fit's expected purchases in the holdout per row.
    pub holdout_predicted: Vec<f64>,
    /// With a holdout check: the counts after the cut, kept for [`Analysis::fit_models`].
    pub holdout_counts: Option<crate::facts::HoldoutActual>,
    /// Summary.
    pub summary: Summary,
    /// The effective options (label language, grade names, action texts, churn thresholds).
    pub options: Options,
    /// Milliseconds spent in each phase of `finish` (grouping, facts, scores, …), for benchmarks.
    pub timings: Vec<(&'static str, f64)>,
    /// The whole file disagreed with the decisions taken from its head: a second pass with these
    /// decisions gives the exact result (see [`crate::Decisions`]).
    pub rerun: Option<crate::Decisions>,
    /// First purchase day of each customer's categories, when the analysis was started with
    /// [`crate::Analyzer::track_categories`] and a category column is mapped or detected.
    pub categories: Option<crate::ingest::rows::CategoryFirsts>,
    /// The mapped dimension columns' values per customer (`columns.dimensions`), in option order.
    pub dimensions: Vec<crate::facts::dims::DimensionColumn>,
    /// Every valid row as read, in file order, when the analysis was started with
    /// [`crate::Analyzer::tap_rows`] ([`write_rows_csv`] writes them).
    pub rows_read: Option<crate::ingest::tap::RowsRead>,
    /// The columns `options.filter` reads, resolved: each one's label (its header name, or
    /// `column N`) and the role it holds, if any (`customer`, `date`, `order`, `amount`, `quantity`,
    /// `unitPrice`, `category`, `signal`); what the SQL export filters on.
    pub filter_columns: Vec<(String, Option<&'static str>)>,
    /// `Some(index)` while the models are pending ([`crate::Analyzer::finish_deferred`]): where in
    /// `summary.warnings` the models' warnings go once [`Analysis::fit_models`] has run, so the
    /// warnings come out in the same order as a one-step analysis.
    pub(crate) models_pending_at: Option<usize>,
}

impl Analysis {
    /// The per-customer CSV (UTF-8 with BOM), see [`write_csv`].
    pub fn to_csv(&self) -> Vec<u8> {
        write_csv(self)
    }

    /// The names of the per-customer dimension columns, `dim:<column name>` (CSV header and
    /// JavaScript key), in option order. Two columns of the same name are told apart by
    /// ` (column N)` after the second one's name.
    pub fn dimension_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = Vec::with_capacity(self.dimensions.len());
        for d in &self.dimensions {
            let mut k = format!("dim:{}", d.name);
            if keys.contains(&k) {
                k = format!("dim:{} (column {})", d.name, d.index);
            }
            keys.push(k);
        }
        keys
    }

    /// The value of dimension `d` (in option order) for row `i`: empty when the customer has none.
    pub fn dimension_value(&self, d: usize, i: usize) -> std::borrow::Cow<'_, str> {
        match (self.dimensions.get(d), self.rows.get(i)) {
            (Some(col), Some(r)) => String::from_utf8_lossy(col.value_of(r.id)),
            _ => std::borrow::Cow::Borrowed(""),
        }
    }

    /// Customer id of row `i`.
    pub fn customer_id(&self, i: usize) -> std::borrow::Cow<'_, str> {
        self.rows
            .get(i)
            .map(|r| self.ids.text(r.id))
            .unwrap_or_default()
    }

    /// Net spend of row `i` in millionths (`None` without an amount column).
    pub fn monetary(&self, i: usize) -> Option<Money> {
        self.rows
            .get(i)
            .filter(|_| self.has_amount)
            .map(|r| r.monetary)
    }

    /// Average order value of row `i` = monetary / frequency, in millionths rounded half-even.
    pub fn aov(&self, i: usize) -> Option<Money> {
        let r = self.rows.get(i)?;
        self.monetary(i)
            .map(|m| round_half_even_div(m, r.frequency.max(1) as i128))
    }

    /// A model output of row `i` (`None` until the model is fitted).
    fn model(col: &[f64], i: usize) -> Option<f64> {
        col.get(i).copied().filter(|v| !v.is_nan())
    }

    /// P(alive) of row `i`.
    pub fn p_alive_of(&self, i: usize) -> Option<f64> {
        Self::model(&self.p_alive, i)
    }

    /// Expected purchases of row `i`.
    pub fn expected_purchases_of(&self, i: usize) -> Option<f64> {
        Self::model(&self.expected_purchases, i)
    }

    /// Predicted CLV of row `i`.
    pub fn predicted_clv_of(&self, i: usize) -> Option<f64> {
        Self::model(&self.predicted_clv, i)
    }

    /// The models are not fitted yet ([`crate::Analyzer::finish_deferred`]): the model columns
    /// are empty, the risk level is withheld (an empty `risk` cell, an empty `summary.churn.risk`)
    /// and `summary.model` is `{"pending": true}` until [`Analysis::fit_models`].
    pub fn models_pending(&self) -> bool {
        self.models_pending_at.is_some()
    }

    /// Fits the models on an analysis whose models are pending and fills in everything that
    /// depends on them: the model columns, each customer's risk level, `summary.churn.risk` and
    /// its method, `summary.model` and the models' warnings. Afterwards the analysis (its CSV, its
    /// summary) equals the one-step analysis of the same input and options. Does nothing when no
    /// models are pending.
    pub fn fit_models(&mut self) {
        let Some(at) = self.models_pending_at.take() else {
            return;
        };
        let mut phases = Phases::start();
        let holdout = self.holdout_counts.as_ref().map(|h| (h, self.analysis_day));
        let model = crate::model::run(&self.rows, self.has_amount, &self.options.model, holdout);
        // the analytics stage wrote the rule band; with a fitted model the level is the higher band
        let mut counts = [0u64; crate::labels::Risk::ALL.len()];
        let mut sources = [0u64; churn::RiskSource::ALL.len()];
        for (i, r) in self.rows.iter_mut().enumerate() {
            let p = model
                .fitted
                .then(|| model.p_alive.get(i).copied())
                .flatten();
            let (level, source) = churn::risk(r.risk, p);
            r.risk = level;
            counts[level.index()] += 1;
            sources[source.index()] += 1;
        }
        let s = &mut self.summary;
        s.churn.set_risk(&counts, &sources, model.fitted);
        let at = at.min(s.warning_codes.len());
        s.warnings
            .splice(at..at, model.warnings.iter().map(|w| w.en()));
        s.warning_codes.splice(at..at, model.warnings);
        s.model = model.summary;
        self.p_alive = model.p_alive;
        self.expected_purchases = model.expected_purchases;
        self.predicted_clv = model.predicted_clv;
        self.holdout_actual = model.holdout_actual;
        self.holdout_predicted = model.holdout_predicted;
        phases.mark("model");
        self.timings.extend(phases.list);
    }

    /// The churn reasons of row `i` in the label language, `; `-separated, in flag order.
    pub fn churn_reasons(&self, i: usize) -> String {
        let Some(r) = self.rows.get(i) else {
            return String::new();
        };
        let zh = self.options.labels == Labels::Zh;
        r.flags
            .iter()
            .map(|f| churn::reason(f, r, &self.options.churn, zh))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Builds the rows and summary from ingest and facts: the models first (their working memory is
/// freed before the scoring vectors exist), then the analytics, then the summary tables. With
/// `defer_models` (and the models enabled) the models are left pending for
/// [`Analysis::fit_models`].
pub(crate) fn build(
    ing: Ingested,
    mut facts: Facts,
    opts: &Options,
    phases: &mut Phases,
    defer_models: bool,
) -> Analysis {
    let n = facts.customers.len();
    let has_m = ing.has_amount;
    let mut warnings = ing.warnings;
    if opts.analysis_date.is_none() {
        warnings.extend(facts.far_latest_date());
    }
    warnings.extend(facts.far_earliest_date());
    // (almost) one row per customer over many rows: likely not the customer column
    let (customers, used) = (n as u64, facts.used);
    if used >= 50 && customers * 100 >= used * 95 {
        let column = match &ing.report.columns.customer {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(v) => format!("column {v}"),
            None => String::new(),
        };
        warnings.push(crate::messages::Message::CustomerRarelyRepeats {
            column,
            customers,
            rows: used,
        });
    }
    let defer = defer_models && opts.model.enabled;
    let models_pending_at = defer.then_some(warnings.len());
    let model = if defer {
        crate::model::Outcome {
            summary: serde_json::json!({ "pending": true }),
            ..crate::model::Outcome::default()
        }
    } else {
        let holdout = facts.holdout.as_ref().map(|h| (h, facts.analysis_day));
        crate::model::run(&facts.customers, has_m, &opts.model, holdout)
    };
    warnings.extend(model.warnings.iter().cloned());
    if !defer {
        phases.mark("model"); // (deferred: Analysis::fit_models marks it)
    }
    let p_alive = model.fitted.then_some(&model.p_alive[..]);
    let a = crate::analytics::run(
        &mut facts.customers,
        has_m,
        opts,
        p_alive,
        &mut warnings,
        phases,
    );
    let tables = summary::Tables::new(&facts.customers, &a.values.monetary, opts);
    let segments = tables.segments(&a);
    let grades = tables.grades(&a);
    let lifecycle = tables.lifecycle();
    let kpis = crate::analytics::kpis::Kpis::of(&facts, tables.total_revenue(), has_m, a.repeaters);
    let dimensions = dimensions::summarize(
        &facts.dimensions,
        &facts.customers,
        has_m,
        &dimensions::Computed {
            rfm11: segments.rfm11.is_some(),
            cn8: segments.cn8.is_some(),
            abc: grades.abc.is_some(),
            ladder: grades.ladder.is_some(),
        },
        opts,
    );
    phases.mark("summaries");
    let mut input = ing.report;
    input.used = facts.used;
    input.excluded = facts.excluded.clone();
    let summary = Summary {
        version: env!("CARGO_PKG_VERSION").to_string(),
        options: opts.to_json_value(),
        input,
        customers: n as u64,
        analysis_date: format_day(facts.analysis_day),
        churn: if defer {
            ChurnSummary::pending(&a)
        } else {
            ChurnSummary::of(&a, model.fitted)
        },
        cut_points: CutPointsSummary {
            r: a.scores.r_cut,
            f: a.scores.f_cut,
            m: a.scores.m_cut,
        },
        segments,
        grades,
        pareto: a.grades.pareto,
        kpis,
        lifecycle,
        model: model.summary,
        dimensions,
        warnings: warnings.iter().map(|w| w.en()).collect(),
        warning_codes: warnings,
    };
    Analysis {
        rows: facts.customers,
        ids: facts.ids,
        analysis_day: facts.analysis_day,
        has_amount: has_m,
        p_alive: model.p_alive,
        expected_purchases: model.expected_purchases,
        predicted_clv: model.predicted_clv,
        holdout_actual: model.holdout_actual,
        holdout_predicted: model.holdout_predicted,
        holdout_counts: facts.holdout,
        summary,
        options: opts.clone(),
        timings: Vec::new(),
        rerun: None,
        categories: None,
        dimensions: facts.dimensions,
        rows_read: None,
        filter_columns: Vec::new(),
        models_pending_at,
    }
}
