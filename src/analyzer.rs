//! The streaming driver behind [`crate::analyze`]: feed a file in chunks with [`Analyzer::push`],
//! then [`Analyzer::finish_pass`]. It runs the pipeline's stages in order: the ingest reader while
//! bytes arrive, then at the end the whole-file decisions, date resolution, grouping and facts, and
//! the report (analytics and models).
//!
//! The two-pass protocol (see `docs/input.md#two-passes`): a first pass takes its decisions from the
//! head of the file; when the whole file disagrees with them, [`Finish::Rerun`] carries the
//! whole-file decisions and a second pass with [`Analyzer::with_decisions`] gives the exact result.
//! [`in_two_passes`] is that protocol once, for any source that can be read twice: the library,
//! `compare` and the CLI all use it.

use crate::error::{Result, TierwiseError};
pub use crate::ingest::decisions::Decisions;
use crate::ingest::decisions::{rerun_warning, whole_file_decisions};
use crate::ingest::intern::{MAX_IDS, MAX_ID_BYTES};
use crate::ingest::reader::Reader;
pub use crate::ingest::reader::{Progress, HEAD_BYTES};
use crate::ingest::resolve::resolve_dates;
use crate::ingest::rows::{CategoryFirsts, CategoryLog};
use crate::ingest::{nothing_usable_message, AmountMode, Ingested};
use crate::messages::Message;
use crate::options::Options;
use crate::report::Analysis;

/// A streaming analysis: `new`, any number of `push`es, one `finish` or `finish_pass`.
pub struct Analyzer {
    reader: Reader,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("progress", &self.reader.progress())
            .finish_non_exhaustive()
    }
}

/// The end of a pass: an analysis, or the whole-file decisions for a second pass.
#[derive(Debug)]
pub enum Finish {
    /// The analysis.
    Done(Box<Analysis>),
    /// The whole file disagrees with its head: read it again with these decisions.
    Rerun(Decisions),
}

impl Analyzer {
    /// Validates the options and starts an empty analysis.
    pub fn new(opts: Options) -> Result<Analyzer> {
        opts.validate()?;
        Ok(Analyzer {
            reader: Reader::new(opts),
        })
    }

    /// Starts a second pass with the whole-file decisions of a first one ([`Finish::Rerun`]).
    pub fn with_decisions(opts: Options, decisions: Decisions) -> Result<Analyzer> {
        let comma = opts.decimal.comma();
        let mut a = Analyzer::new(opts)?;
        a.reader.forced = decisions;
        if comma.is_some() {
            a.reader.forced.comma = [comma; 3];
        }
        Ok(a)
    }

    /// Test seam: decide from the first `n` bytes (at least 1) instead of [`HEAD_BYTES`], so the
    /// property tests and the fuzz target can drive the streaming path (head decisions, then rows
    /// arriving in chunks) with small inputs. Results may differ from [`crate::analyze`] (another
    /// head), but must not depend on how the input is chunked.
    #[doc(hidden)]
    pub fn with_head_bytes(mut self, n: usize) -> Analyzer {
        self.reader.head_bytes = n.max(1);
        self
    }

    /// Test seam: lower the bounds on customer ids (bytes of id text, number of ids) so a test can
    /// reach them with a small input; the real bounds are those of `docs/input.md#limits`.
    #[doc(hidden)]
    pub fn with_id_limits(mut self, bytes: usize, ids: usize) -> Analyzer {
        self.reader.acc.ids.limits = Some((bytes, ids));
        self
    }

    /// Test seam: lower the bounds on a row's length and a quoted field's length (see
    /// `docs/input.md#limits`) so a test can reach them with a small input.
    #[doc(hidden)]
    pub fn with_row_limits(mut self, row: usize, quoted: usize) -> Analyzer {
        self.reader.row_limits = Some((row.max(2), quoted.max(1)));
        self
    }

    /// Also records the day each customer first bought each category (the mapped or detected
    /// `category` column; order rows only) into [`Analysis::categories`]. Costs a hash-map update per
    /// row, so only [`crate::compare`] asks for it.
    pub fn track_categories(mut self) -> Analyzer {
        self.reader.acc.categories = Some(CategoryLog::default());
        self
    }

    /// Bytes and rows read so far.
    pub fn progress(&self) -> Progress {
        self.reader.progress()
    }

    /// Feeds the next chunk of the file (any size, split anywhere). Fails only on a fatal problem
    /// found while deciding the layout (no customer or date column, wrong column option).
    pub fn push(&mut self, chunk: &[u8]) -> Result<()> {
        self.reader.push(chunk)
    }

    /// Ends the input and runs the analysis with the decisions taken from the head. When the whole
    /// file disagrees with them, the analysis says so in a warning and in [`Analysis::rerun`]; a
    /// caller that can read the input again should rather use [`Analyzer::finish_pass`].
    pub fn finish(self) -> Result<Analysis> {
        match self.complete(false, false)? {
            Finish::Done(a) => Ok(*a),
            Finish::Rerun(_) => Err(TierwiseError::EmptyFile), // not returned without allow_rerun
        }
    }

    /// Ends the input; returns [`Finish::Rerun`] (without analysing) when the whole file disagrees
    /// with the decisions taken from its head, so the caller reads it again with
    /// [`Analyzer::with_decisions`].
    pub fn finish_pass(self) -> Result<Finish> {
        self.complete(true, false)
    }

    /// [`Analyzer::finish`] without the models: RFM scores, segments, grades, flags, lifecycle
    /// stages and every summary table that does not depend on the models are final; the model
    /// columns, the risk level and `summary.churn.risk` are withheld and `summary.model` says
    /// `{"pending": true}` until [`Analysis::fit_models`] fits them (see `docs/models.md#later`).
    /// Lets a page show the results that are ready while the models (a third of the time on a
    /// large file) are still being fitted. With `model.enabled: false` nothing is pending.
    pub fn finish_deferred(self) -> Result<Analysis> {
        match self.complete(false, true)? {
            Finish::Done(a) => Ok(*a),
            Finish::Rerun(_) => Err(TierwiseError::EmptyFile), // not returned without allow_rerun
        }
    }

    /// [`Analyzer::finish_pass`] without the models, as [`Analyzer::finish_deferred`] leaves them:
    /// call [`Analysis::fit_models`] on the analysis of [`Finish::Done`].
    pub fn finish_pass_deferred(self) -> Result<Finish> {
        self.complete(true, true)
    }

    fn complete(self, allow_rerun: bool, defer_models: bool) -> Result<Finish> {
        let read = self.reader.end()?;
        let (opts, plan, mut acc, mut warnings) = (read.opts, read.plan, read.acc, read.warnings);
        if read.decode_errors {
            warnings.push(Message::DecodeErrors {
                encoding: acc.report.encoding.clone(),
            });
        }
        let provisional = (plan.date_format, plan.alt_format);
        let rerun = whole_file_decisions(&plan, &acc, &read.forced, read.guess, read.used);
        if let Some(d) = rerun {
            if allow_rerun {
                return Ok(Finish::Rerun(d));
            }
            warnings.push(rerun_warning(&d, provisional.0));
        }
        let use_alt = resolve_dates(&plan, &mut acc, &mut warnings);
        let tracked = acc
            .categories
            .take()
            .filter(|_| plan.mapping.category.is_some());
        let categories = tracked.map(|log| CategoryFirsts::settle(log, use_alt));
        acc.report.rows = acc.rows;
        if acc.ids_full {
            let (max_bytes, max_ids) = acc.ids.limits.unwrap_or((MAX_ID_BYTES, MAX_IDS));
            return Err(TierwiseError::Limit(Message::TooManyIds {
                max_ids,
                max_mib: max_bytes >> 20,
            }));
        }
        if acc.events.is_empty() {
            if acc.filtered_out > 0 {
                return Err(TierwiseError::NothingUsable(Message::FilteredOutAll {
                    rows: acc.filtered_out,
                }));
            }
            return Err(TierwiseError::NothingUsable(nothing_usable_message(
                &acc.report,
            )));
        }
        let mut phases = crate::clock::Phases::start();
        let mut facts = crate::facts::group::aggregate(&mut acc, &opts, &mut phases)?;
        for (d, &i) in facts.dimensions.iter_mut().zip(&plan.mapping.dimensions) {
            d.name = plan.label(i);
            d.index = i;
            if d.capped {
                warnings.push(Message::DimensionValuesCapped {
                    column: d.name.clone(),
                    max: crate::ingest::dims::MAX_DIMENSION_VALUES,
                });
            }
        }
        let has_amount = plan.amount_mode != AmountMode::None;
        let ing = Ingested {
            report: acc.report,
            has_amount,
            has_order: plan.mapping.order.is_some(),
            warnings,
        };
        let mut out = crate::report::build(ing, facts, &opts, &mut phases, defer_models);
        out.timings = phases.list;
        out.rerun = rerun;
        out.categories = categories;
        Ok(Finish::Done(Box::new(out)))
    }
}

/// The two-pass protocol for any source that can be read from the start twice: `start` makes (or
/// configures) an analyzer, `read_all` pushes the whole source into it. A second pass happens only
/// when the whole file disagreed with the decisions taken from its head.
///
/// ```
/// let csv = b"customer_id,order_date,amount\nA,2024-01-01,10\nB,2024-01-05,20\n";
/// let opts = tierwise::Options::default();
/// let a = tierwise::in_two_passes(&opts, |a| a, |mut a| a.push(csv).map(|_| a)).unwrap();
/// assert_eq!(a.summary.customers, 2);
/// ```
pub fn in_two_passes<E: From<TierwiseError>>(
    opts: &Options,
    start: impl Fn(Analyzer) -> Analyzer,
    mut read_all: impl FnMut(Analyzer) -> std::result::Result<Analyzer, E>,
) -> std::result::Result<Analysis, E> {
    let first = read_all(start(Analyzer::new(opts.clone())?))?;
    match first.finish_pass()? {
        Finish::Done(analysis) => Ok(*analysis),
        Finish::Rerun(decisions) => {
            // the whole file disagreed with its head: read it again with the whole-file decisions
            let second = read_all(start(Analyzer::with_decisions(opts.clone(), decisions)?))?;
            Ok(second.finish()?)
        }
    }
}

/// Runs the whole pipeline on a file held in memory: ingest, facts as of the analysis date,
/// scores, segments, grades, churn flags, lifecycle stages and the summary. Fails only when nothing
/// usable is left (see [`TierwiseError`]); bad rows are reported in `summary.input.rejected`.
pub fn analyze(bytes: &[u8], opts: &Options) -> Result<Analysis> {
    in_two_passes(opts, |a| a, |mut a| a.push(bytes).map(|_| a))
}

/// The per-customer facts of a whole input (for unit tests of the facts step).
#[cfg(test)]
pub(crate) fn facts_of(bytes: &[u8], opts: &Options) -> Result<crate::facts::Facts> {
    let mut reader = Reader::new(opts.clone());
    reader.push(bytes)?;
    let mut read = reader.end()?;
    let mut warnings = Vec::new();
    resolve_dates(&read.plan, &mut read.acc, &mut warnings);
    crate::facts::group::aggregate(&mut read.acc, opts, &mut crate::clock::Phases::start())
}
