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
pub use crate::ingest::part::Refused;
use crate::ingest::part::{absorb, absorb_bytes, absorb_from, Part};
use crate::ingest::reader::Reader;
pub use crate::ingest::reader::{Progress, HEAD_BYTES};
use crate::ingest::resolve::resolve_dates;
use crate::ingest::rows::{CategoryFirsts, CategoryLog};
use crate::ingest::tap::{RowLog, RowsRead};
use crate::ingest::{nothing_usable_message, AmountMode, Ingested};
use crate::messages::Message;
use crate::options::Options;
use crate::report::Analysis;

/// A streaming analysis: `new`, any number of `push`es, one `finish` or `finish_pass`.
pub struct Analyzer {
    reader: Reader,
    /// Threads the final step may use (native only; see [`Analyzer::with_threads`]).
    threads: usize,
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
            threads: 1,
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

    /// Lets the final step compute the customers' facts on up to `n` threads (clamped to 1–256;
    /// default 1). The result is the same for any `n`; on wasm there are no threads and it is
    /// ignored. The CLI passes its `--threads` (`docs/speed.md#final-step`).
    pub fn with_threads(mut self, n: usize) -> Analyzer {
        self.threads = n.clamp(1, 256);
        self
    }

    /// Also records the day each customer first bought each category (the mapped or detected
    /// `category` column; order rows only) into [`Analysis::categories`]. Costs a hash-map update per
    /// row, so only [`crate::compare`] asks for it.
    pub fn track_categories(mut self) -> Analyzer {
        self.reader.acc.categories = Some(CategoryLog::default());
        self
    }

    /// Also keeps every valid row as read — the cleaned customer id, the day under the whole file's
    /// date reading, the order id, the parsed numbers, the category and the signals — into
    /// [`Analysis::rows_read`], in file order (`docs/input.md#the-rows-as-read-tierwise-rows`).
    /// Memory grows with the valid rows (64 bytes each plus their ids' and category's text), so
    /// only `tierwise rows` asks for it. An analyzer that taps its rows absorbs no byte range
    /// ([`Analyzer::absorb`] refuses it): read the file with one analyzer.
    pub fn tap_rows(mut self) -> Analyzer {
        self.reader.acc.rows_read = Some(RowLog::default());
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
        let rows_read = acc
            .rows_read
            .take()
            .map(|log| RowsRead::settle(log, use_alt, &plan, &acc.report.columns));
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
        let mut facts = crate::facts::group::aggregate(&mut acc, &opts, &mut phases, self.threads)?;
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
        out.rows_read = rows_read;
        out.filter_columns = filter_columns(&plan);
        Ok(Finish::Done(Box::new(out)))
    }
}

/// The columns `options.filter` reads, with the role each holds ([`Analysis::filter_columns`]).
fn filter_columns(plan: &crate::ingest::columns::Plan) -> Vec<(String, Option<&'static str>)> {
    let m = &plan.mapping;
    let amount = plan.amount_mode;
    plan.filter
        .iter()
        .map(|&(c, _)| {
            let role = if c == plan.customer {
                Some("customer")
            } else if c == plan.date {
                Some("date")
            } else if m.order == Some(c) {
                Some("order")
            } else if m.amount == Some(c) && amount == AmountMode::Amount {
                Some("amount")
            } else if m.quantity == Some(c) && amount != AmountMode::None {
                Some("quantity")
            } else if m.unit_price == Some(c) && amount == AmountMode::QtyPrice {
                Some("unitPrice")
            } else if m.category == Some(c) {
                Some("category")
            } else if m.signals.contains(&c) {
                Some("signal")
            } else {
                None
            };
            (plan.label(c), role)
        })
        .collect()
}

/// One byte range of a file, read by its own analyzer ([`Analyzer::for_range`], then
/// [`Analyzer::end_range`]) for the first range's analyzer to absorb ([`Analyzer::absorb`]). See
/// `docs/speed.md#ranges`; [`analyze_parallel`] is the whole protocol on threads.
pub struct RangePart(Part);

impl std::fmt::Debug for RangePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RangePart")
            .field("bytes", &self.0.bytes())
            .finish_non_exhaustive()
    }
}

impl RangePart {
    /// The part as bytes, to hand to another web worker (a compact binary form, about 24 bytes per
    /// order plus the customer ids' text; the part's own copy is freed as they are written).
    pub fn into_bytes(self) -> Vec<u8> {
        self.0.into_bytes()
    }

    /// A part from [`RangePart::into_bytes`]; `None` for any other bytes.
    pub fn from_bytes(bytes: &[u8]) -> Option<RangePart> {
        Part::from_bytes(bytes).map(RangePart)
    }

    /// Bytes of the range.
    pub fn bytes(&self) -> u64 {
        self.0.bytes()
    }
}

impl Analyzer {
    /// An analyzer for a later byte range of a file: it takes its decisions from `head` (the file's
    /// first [`HEAD_BYTES`], as the first range's analyzer reads them; `decisions` from a first
    /// pass, or empty) and reads the rows of the bytes pushed into it, which must start just after
    /// a line feed. End it with [`Analyzer::end_range`].
    pub fn for_range(opts: Options, decisions: Decisions, head: &[u8]) -> Result<Analyzer> {
        let mut a = Analyzer::with_decisions(opts, decisions)?;
        let reader = std::mem::replace(&mut a.reader, Reader::new(Options::default()));
        a.reader = reader.continuation(head)?;
        Ok(a)
    }

    /// Ends a range started with [`Analyzer::for_range`].
    pub fn end_range(self) -> RangePart {
        RangePart(Part::end(self.reader))
    }

    /// Absorbs the next byte range of the file (ranges in file order; this analyzer read the first
    /// one, from byte 0, and its range ends just after a line feed). The result is exactly that of
    /// one analyzer reading the whole file, or `Err` when that cannot be guaranteed (a quoted field
    /// spanning a cut, text that is not plain UTF-8, another head). A refused part leaves this
    /// analyzer unchanged (see [`Analyzer::spoiled`]): when it has absorbed nothing yet, it can read
    /// the rest of the file itself; otherwise drop it and read the file with one analyzer.
    pub fn absorb(&mut self, part: RangePart) -> std::result::Result<(), Refused> {
        absorb(&mut self.reader, part.0)
    }

    /// True when a refused [`Analyzer::absorb_from`] had already merged some of the part (damaged
    /// bytes found part-way): then drop this analyzer. A refused part otherwise leaves the analyzer
    /// as it was, and it can go on reading the source itself.
    pub fn spoiled(&self) -> bool {
        self.reader.spoiled
    }

    /// [`Analyzer::absorb`] for a part given as its bytes ([`RangePart::into_bytes`]), read
    /// straight into this analyzer (no decoded copy of the part is made).
    pub fn absorb_bytes(&mut self, bytes: &[u8]) -> std::result::Result<(), Refused> {
        absorb_bytes(&mut self.reader, bytes)
    }

    /// [`Analyzer::absorb_bytes`] for a part of `len` bytes held elsewhere (the JavaScript array a
    /// web worker posted): `read(offset, buf)` copies its bytes at `offset` into `buf`. Only the part
    /// without its orders is copied whole; the orders are read a MiB at a time, so the merge never
    /// holds the part twice.
    pub fn absorb_from(
        &mut self,
        len: usize,
        read: &mut dyn FnMut(usize, &mut [u8]),
    ) -> std::result::Result<(), Refused> {
        absorb_from(&mut self.reader, len, read)
    }
}

/// Where the byte ranges of up to `readers` readers of `bytes` start: `[0, s₁, …, len]`, each
/// `sₖ` just after the first line feed at or after `k·len/readers`, no range shorter than
/// `min_range` bytes and the second starting at or after `head` bytes (the first reader must have
/// read its head). Fewer ranges when the file is small or its lines are long.
pub fn range_starts(bytes: &[u8], readers: usize, min_range: usize, head: usize) -> Vec<usize> {
    range_starts_with(bytes.len(), readers, min_range, head, |from| {
        bytes[from..]
            .iter()
            .position(|&b| b == b'\n')
            .map(|i| from + i)
    })
}

/// [`range_starts`] for a source of `len` bytes that is not in memory: `line_feed(from)` finds the
/// first line feed at or after `from`.
pub fn range_starts_with(
    len: usize,
    readers: usize,
    min_range: usize,
    head: usize,
    mut line_feed: impl FnMut(usize) -> Option<usize>,
) -> Vec<usize> {
    let mut starts = vec![0];
    for k in 1..readers.max(1) {
        let nominal = (len as u128 * k as u128 / readers as u128) as usize;
        let from = nominal.max(head).max(starts[starts.len() - 1] + min_range);
        if from >= len {
            break;
        }
        let Some(lf) = line_feed(from) else {
            break;
        };
        let s = lf + 1;
        if s + min_range > len {
            break;
        }
        starts.push(s);
    }
    starts.push(len);
    starts
}

/// One pass over a source in the byte ranges `starts` (from [`range_starts`]): the first range read
/// by an analyzer from [`Analyzer::with_decisions`], the others by [`Analyzer::for_range`] on
/// `head` (the source's first `head.len()` bytes, which is also the first analyzer's head size),
/// on threads (`threads`) or in turn, each through its bytes (`via_bytes`, as between web
/// workers) or not; the first absorbs the others. `read(analyzer, from, to)` pushes bytes
/// `from..to` of the source. `setup` configures every analyzer (test seams,
/// [`Analyzer::track_categories`]). `Ok(None)` when a range failed or the merge was refused: read
/// the source with one analyzer then (it also gives the right error). When the first part is
/// refused, the first analyzer reads the rest of the source itself (`(analyzer, false)`): what it
/// holds is then one reader's, as a refused part leaves it unchanged; `(analyzer, true)`: merged.
#[doc(hidden)]
#[allow(clippy::too_many_arguments)]
pub fn read_ranges<E: From<TierwiseError> + Send>(
    opts: &Options,
    decisions: Decisions,
    starts: &[usize],
    head: &[u8],
    setup: &(dyn Fn(Analyzer) -> Analyzer + Sync),
    read: &(dyn Fn(Analyzer, usize, usize) -> std::result::Result<Analyzer, E> + Sync),
    threads: bool,
    via_bytes: bool,
) -> std::result::Result<Option<(Analyzer, bool)>, E> {
    if starts.len() < 2 {
        return Ok(None);
    }
    // a part as it reaches the first analyzer: itself, or its bytes (as between web workers)
    enum Piece {
        Part(Box<RangePart>),
        Bytes(Vec<u8>),
    }
    let part = |k: usize| -> Option<Piece> {
        let a = Analyzer::for_range(opts.clone(), decisions, head).ok()?;
        let part = read(setup(a), starts[k], starts[k + 1]).ok()?.end_range();
        Some(if via_bytes {
            Piece::Bytes(part.into_bytes())
        } else {
            Piece::Part(Box::new(part))
        })
    };
    let first = || -> std::result::Result<Analyzer, E> {
        let a =
            setup(Analyzer::with_decisions(opts.clone(), decisions)?).with_head_bytes(head.len());
        read(a, starts[0], starts[1])
    };
    let n = starts.len() - 1;
    let (first, parts): (_, Vec<Option<Piece>>) = if threads && n > 1 {
        std::thread::scope(|s| {
            let handles: Vec<_> = (1..n).map(|k| s.spawn(move || part(k))).collect();
            let first = first();
            let parts = handles
                .into_iter()
                .map(|h| h.join().ok().flatten())
                .collect();
            (first, parts)
        })
    } else {
        (first(), (1..n).map(part).collect())
    };
    let mut first = first?;
    // a range that failed: the first analyzer reads on alone (nothing absorbed yet)
    if parts.iter().any(Option::is_none) {
        let len = starts[starts.len() - 1];
        return Ok(Some((read(first, starts[1], len)?, false)));
    }
    for (k, part) in parts.into_iter().enumerate() {
        let merged = match part {
            Some(Piece::Part(p)) => first.absorb(*p),
            // (in pieces, as the page's worker does: absorb_from)
            Some(Piece::Bytes(b)) => first.absorb_from(b.len(), &mut |at, buf| {
                buf.copy_from_slice(&b[at..at + buf.len()])
            }),
            None => Err(Refused::Unreadable),
        };
        if merged.is_err() {
            if k == 0 && !first.spoiled() {
                // nothing absorbed: the first analyzer has read exactly the first range, as one
                // reader does, and reads the rest itself
                let len = starts[starts.len() - 1];
                return Ok(Some((read(first, starts[1], len)?, false)));
            }
            return Ok(None);
        }
    }
    Ok(Some((first, true)))
}

/// [`read_ranges`] over bytes in memory, with the first `head_bytes` as the head.
#[doc(hidden)]
#[allow(clippy::too_many_arguments)]
pub fn read_in_ranges(
    bytes: &[u8],
    opts: &Options,
    decisions: Decisions,
    starts: &[usize],
    head_bytes: usize,
    setup: &(dyn Fn(Analyzer) -> Analyzer + Sync),
    threads: bool,
    via_bytes: bool,
) -> Result<Option<(Analyzer, bool)>> {
    let head = &bytes[..head_bytes.min(bytes.len())];
    let read = |mut a: Analyzer, from: usize, to: usize| -> Result<Analyzer> {
        a.push(&bytes[from..to])?;
        Ok(a)
    };
    read_ranges(
        opts, decisions, starts, head, setup, &read, threads, via_bytes,
    )
}

/// The two-pass protocol ([`in_two_passes`]) with each pass read in byte ranges on threads
/// ([`read_ranges`]); `None` when a pass could not be merged (read the source with one analyzer).
/// With the analysis, whether every range was merged (`false`: the first reader read on alone).
#[doc(hidden)]
pub fn in_two_passes_in_ranges<E: From<TierwiseError> + Send>(
    opts: &Options,
    starts: &[usize],
    head: &[u8],
    setup: &(dyn Fn(Analyzer) -> Analyzer + Sync),
    read: &(dyn Fn(Analyzer, usize, usize) -> std::result::Result<Analyzer, E> + Sync),
) -> std::result::Result<Option<(Analysis, bool)>, E> {
    let pass = |d: Decisions| read_ranges(opts, d, starts, head, setup, read, true, false);
    let Some((first, merged)) = pass(Decisions::default())? else {
        return Ok(None);
    };
    Ok(match first.finish_pass()? {
        Finish::Done(a) => Some((*a, merged)),
        Finish::Rerun(d) => match pass(d)? {
            Some((second, again)) => Some((second.finish()?, merged && again)),
            None => None,
        },
    })
}

/// [`analyze`] with the file read in up to `threads` byte ranges at once, one thread each, merged
/// into exactly the result of one reader (see [`Analyzer::absorb`]); falls back to one reader when
/// the merge is refused. A second pass, when the whole file disagrees with its head, is read in
/// ranges too. Ranges are at least [`MIN_RANGE_BYTES`].
#[cfg(not(target_arch = "wasm32"))]
pub fn analyze_parallel(bytes: &[u8], opts: &Options, threads: usize) -> Result<Analysis> {
    let starts = range_starts(bytes, threads, MIN_RANGE_BYTES, HEAD_BYTES);
    if starts.len() > 2 && ranges_can_merge(&bytes[..HEAD_BYTES], opts) {
        let read = |mut a: Analyzer, from: usize, to: usize| -> Result<Analyzer> {
            a.push(&bytes[from..to])?;
            Ok(a)
        };
        let head = &bytes[..HEAD_BYTES];
        if let Some((a, _)) = in_two_passes_in_ranges(opts, &starts, head, &|a| a, &read)? {
            return Ok(a);
        }
    }
    analyze(bytes, opts)
}

/// True when a file whose first bytes are `head` can be read in ranges at all: its encoding is
/// UTF-8 (`options.encoding` `auto` or UTF-8, no UTF-16 byte-order mark, the head valid UTF-8 but
/// for a character cut at its end). Only plain UTF-8 ranges merge; a file in a legacy encoding
/// nearly always shows it in its head, and is better read by one reader from the start.
pub fn ranges_can_merge(head: &[u8], opts: &Options) -> bool {
    let named = opts.encoding.to_ascii_lowercase();
    if !matches!(named.as_str(), "auto" | "utf-8" | "utf8") {
        return false;
    }
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

/// The shortest byte range worth a reader of its own (4 MiB): below it, starting a thread or a web
/// worker costs more than it saves.
pub const MIN_RANGE_BYTES: usize = 4 << 20;

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

/// [`analyze`] with [`Analyzer::tap_rows`]: the analysis and, in [`Analysis::rows_read`], every
/// valid row as read (what `tierwise rows` writes with [`crate::report::write_rows_csv`]).
pub fn analyze_tapping_rows(bytes: &[u8], opts: &Options) -> Result<Analysis> {
    in_two_passes(opts, Analyzer::tap_rows, |mut a| a.push(bytes).map(|_| a))
}

/// The per-customer facts of a whole input (for unit tests of the facts step).
#[cfg(test)]
pub(crate) fn facts_of(bytes: &[u8], opts: &Options) -> Result<crate::facts::Facts> {
    facts_on(bytes, opts, 1)
}

/// [`facts_of`] with the facts computed on up to `threads` threads.
#[cfg(test)]
pub(crate) fn facts_on(
    bytes: &[u8],
    opts: &Options,
    threads: usize,
) -> Result<crate::facts::Facts> {
    let mut reader = Reader::new(opts.clone());
    reader.push(bytes)?;
    let mut read = reader.end()?;
    let mut warnings = Vec::new();
    resolve_dates(&read.plan, &mut read.acc, &mut warnings);
    crate::facts::group::aggregate(
        &mut read.acc,
        opts,
        &mut crate::clock::Phases::start(),
        threads,
    )
}
