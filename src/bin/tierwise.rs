//! The tierwise command line: the same core as the browser, for scripting and large files.
//!
//! ```text
//! tierwise analyze FILE [--config options.json] [--out customers.csv] [--summary summary.json]
//!                  [--holdout holdout.csv]
//! tierwise inspect FILE [--config options.json] [--json]
//! tierwise lint-rules RULES.json [--bins K] [--no-amount]
//! tierwise compare FILE --from DATE --to DATE [--config options.json] [--out comparison.json]
//! tierwise rows FILE [--config options.json | --options JSON] [--out rows.csv]
//! tierwise sql FILE --dialect duckdb|postgres|bigquery|spark [--cuts fitted|sql] [--config options.json]
//! tierwise catalog
//! ```
//! FILE may be `-` for standard input. Without `--out` the CSV goes to standard output. Exit code 0 on
//! success, 2 with a one-line message on standard error for a fatal input or usage error.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

#[cfg(not(target_arch = "wasm32"))]
use tierwise::workbook as wb;

/// The CLI is a native program; `wasm-pack test` compiles it for wasm too, where the workbook reader
/// is not part of the core: there it reads no workbooks.
#[cfg(target_arch = "wasm32")]
mod wb {
    use tierwise::ingest::WorkbookReport;
    pub struct Sheet {
        pub csv: Vec<u8>,
        pub report: WorkbookReport,
    }
    pub fn looks_like_workbook(_: &[u8]) -> bool {
        false
    }
    pub fn check_file_size(_: u64) -> tierwise::Result<()> {
        Ok(())
    }
    pub fn read_sheet(_: &[u8], _: &tierwise::Options) -> tierwise::Result<Sheet> {
        Err(tierwise::TierwiseError::EmptyFile)
    }
    pub fn csv_options(o: &tierwise::Options) -> tierwise::Options {
        o.clone()
    }
    pub fn mark(_: &mut tierwise::Analysis, _: &WorkbookReport, _: &tierwise::Options) {}
}

const USAGE: &str = "usage: tierwise analyze FILE [--config options.json] [--options JSON] [--out customers.csv] [--summary summary.json] [--holdout holdout.csv] [--labels en|zh] [--delimiter D] [--decimal ,] [--threads N]
       tierwise inspect FILE [--config options.json] [--options JSON] [--json]
       tierwise lint-rules RULES.json [--bins K] [--no-amount]
       tierwise compare FILE --from DATE --to DATE [--config options.json] [--out comparison.json]
       tierwise rows FILE [--config options.json | --options JSON] [--out rows.csv]
       tierwise sql FILE --dialect duckdb|postgres|bigquery|spark [--cuts fitted|sql] [--config options.json] [--options JSON] [--out script.sql]
       tierwise catalog
       tierwise --version

  FILE            transactions CSV/TSV (any encoding; '-' reads standard input), or an Excel or
                  OpenDocument workbook (.xlsx, .xlsm, .xlsb, .xls, .ods; told by its content): the
                  sheet options.sheet names (a name or 0-based index; default the first) is read
  --config FILE   options JSON (`docs/outputs.md`); unknown keys are errors
  --options JSON  options given inline (instead of --config)
  --out FILE      per-customer CSV, UTF-8 with BOM (default: standard output)
  --labels en|zh  the CSV's labels in this language (default: options.labels)
  --delimiter D   the CSV's delimiter: , (default), ; or tab
  --decimal ,     numbers with a decimal comma (with --delimiter ; or tab), for Excel in a
                  decimal-comma locale (German, French, …)
  --summary FILE  summary JSON (pretty-printed)
  --holdout FILE  the holdout check per customer (needs model.holdout in the options): each
                  customer of the calibration period with its calibration purchases, the purchases
                  after the cut and the calibration fit's prediction for them (CSV as --out)
  --threads N     read a large file (8 MiB or more, UTF-8) in N byte ranges at once, one thread
                  each, merged into exactly the result of one reader (default: every core; 1 reads
                  it in one piece)

  inspect         reads the head of FILE (its first MiB) and prints what analyze would make of it:
                  encoding, delimiter, header row (title rows skipped), and per column the role
                  guessed with its confidence and reason, and sample values; in Chinese with
                  --options '{\"labels\":\"zh\"}'
  --json          inspect: print the result as JSON instead

  lint-rules      checks custom segment rules (a JSON list of {name, r, f, m}, or an options object
                  with segments.rules) against every score combination; prints the gaps and overlaps
                  as JSON; exit code 0 when every combination is covered exactly once, 1 otherwise
  --bins K        scores per dimension (default: rfm.bins of the options, else 5)
  --no-amount     check R and F only

  compare         analyses FILE as of --from and as of --to (YYYY-MM-DD) and writes the grade and
                  segment transition matrices, who moved up or down, and the downgrade warnings (JSON)

  rows            writes the valid rows of FILE as the analysis read them, one CSV record per row
                  in file order (UTF-8 without BOM, for a database): the cleaned customer id, the
                  day as YYYY-MM-DD in the settled month/day reading, the order id, the numbers
                  with a decimal point, the category, each signal as true or false (--out FILE,
                  default standard output); rejected and filtered-out rows are left out

  sql             prints one SQL script (DuckDB, PostgreSQL, BigQuery or Spark) that computes the
                  per-customer outputs of customers.csv except the model columns from a table or
                  view named transactions with FILE's column names (docs/sql.md); FILE gives the
                  column mapping, the analysis date and the fitted cut points
  --dialect D     duckdb, postgres, bigquery or spark
  --cuts C        fitted (default): the cut points and cn8 splits fitted on FILE are written into
                  the script; sql: window functions fit them on the table's own customers

  catalog         prints the message templates, label names (English and Chinese) and the column
                  table as JSON (what a page needs to show the core's messages in either language)";

struct Args {
    command: String,
    from: Option<String>,
    to: Option<String>,
    bins: Option<u8>,
    no_amount: bool,
    json: bool,
    file: String,
    config: Option<PathBuf>,
    inline: Option<String>,
    out: Option<PathBuf>,
    summary: Option<PathBuf>,
    /// `--holdout`: the per-customer holdout CSV.
    holdout: Option<PathBuf>,
    /// `--labels`, `--delimiter`, `--decimal` of `analyze` (the CSV's format).
    csv_format: [Option<String>; 3],
    /// `--threads`: readers of a large file at once (default: every core).
    threads: usize,
    /// `sql`: `--dialect` and `--cuts`.
    sql: [Option<String>; 2],
}

fn parse_args() -> Result<Option<Args>, String> {
    use lexopt::prelude::*;
    let mut p = lexopt::Parser::from_env();
    let mut command = None;
    let mut file = None;
    let (mut config, mut inline, mut out, mut summary) = (None, None, None, None);
    let mut holdout = None;
    let mut sql: [Option<String>; 2] = [None, None];
    let (mut bins, mut no_amount, mut json) = (None, false, false);
    let (mut from, mut to) = (None, None);
    let mut csv_format: [Option<String>; 3] = [None, None, None];
    let mut threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Short('h') | Long("help") => {
                println!("{USAGE}");
                return Ok(None);
            }
            Short('V') | Long("version") => {
                println!("tierwise {}", env!("CARGO_PKG_VERSION"));
                return Ok(None);
            }
            Long("config") | Short('c') => {
                config = Some(PathBuf::from(p.value().map_err(|e| e.to_string())?))
            }
            Long("options") => {
                inline = Some(
                    p.value()
                        .map_err(|e| e.to_string())?
                        .string()
                        .map_err(|_| "--options is not valid UTF-8".to_string())?,
                )
            }
            Long("out") | Short('o') => {
                out = Some(PathBuf::from(p.value().map_err(|e| e.to_string())?))
            }
            Long("bins") => {
                let v = p.value().map_err(|e| e.to_string())?;
                let v = v
                    .string()
                    .map_err(|_| "--bins is not a number".to_string())?;
                bins =
                    Some(v.parse::<u8>().map_err(|_| {
                        format!("--bins: expected a number from 3 to 10, got \"{v}\"")
                    })?);
            }
            Long("labels") | Long("delimiter") | Long("decimal") => {
                let k = match arg {
                    Long("labels") => 0,
                    Long("delimiter") => 1,
                    _ => 2,
                };
                csv_format[k] = Some(
                    p.value()
                        .map_err(|e| e.to_string())?
                        .string()
                        .map_err(|_| "the CSV setting is not valid UTF-8".to_string())?,
                );
            }
            Long("threads") => {
                let v = p.value().map_err(|e| e.to_string())?;
                let v = v
                    .string()
                    .map_err(|_| "--threads is not a number".to_string())?;
                threads = match v.parse::<usize>() {
                    Ok(n @ 1..=256) => n,
                    _ => {
                        return Err(format!(
                            "--threads: expected a number from 1 to 256, got \"{v}\""
                        ))
                    }
                };
            }
            Long("no-amount") => no_amount = true,
            Long("json") => json = true,
            Long("dialect") | Long("cuts") => {
                let k = usize::from(arg == Long("cuts"));
                sql[k] = Some(
                    p.value()
                        .map_err(|e| e.to_string())?
                        .string()
                        .map_err(|_| "the SQL setting is not valid UTF-8".to_string())?,
                );
            }
            Long("from") | Long("to") => {
                let which = if arg == Long("from") {
                    &mut from
                } else {
                    &mut to
                };
                *which = Some(
                    p.value()
                        .map_err(|e| e.to_string())?
                        .string()
                        .map_err(|_| "the date is not valid UTF-8".to_string())?,
                );
            }
            Long("holdout") => holdout = Some(PathBuf::from(p.value().map_err(|e| e.to_string())?)),
            Long("summary") | Short('s') => {
                summary = Some(PathBuf::from(p.value().map_err(|e| e.to_string())?))
            }
            Value(v) if command.is_none() => {
                command = Some(v.string().map_err(|_| "bad command".to_string())?)
            }
            Value(v) if file.is_none() => {
                file = Some(
                    v.string()
                        .map_err(|_| "the file name is not valid UTF-8".to_string())?,
                )
            }
            other => return Err(other.unexpected().to_string()),
        }
    }
    let command = match command.as_deref() {
        Some(
            c @ ("analyze" | "inspect" | "lint-rules" | "compare" | "rows" | "sql" | "catalog"),
        ) => c.to_string(),
        Some(c) => return Err(format!("unknown command \"{c}\"")),
        None => return Err("missing command".into()),
    };
    let extra = [file.is_some(), config.is_some(), inline.is_some()]
        .into_iter()
        .chain([out.is_some(), summary.is_some()])
        .any(|x| x);
    if command == "catalog" && extra {
        return Err("catalog takes no FILE and no options".into());
    }
    let file = match (file, command.as_str()) {
        (Some(f), _) => f,
        (None, "catalog") => String::new(),
        (None, _) => return Err("missing FILE".into()),
    };
    if holdout.is_some() && command != "analyze" {
        return Err("--holdout is an option of analyze".into());
    }
    let not_of_rows = summary.is_some() || csv_format.iter().any(Option::is_some) || json;
    if command == "rows" && (not_of_rows || from.is_some() || to.is_some() || bins.is_some()) {
        return Err("rows takes FILE, --config or --options, and --out".into());
    }
    if sql.iter().any(Option::is_some) && command != "sql" {
        return Err("--dialect and --cuts are options of sql".into());
    }
    if command == "sql" && sql[0].is_none() {
        return Err("sql needs --dialect duckdb, postgres, bigquery or spark".into());
    }
    if config.is_some() && inline.is_some() {
        return Err("give either --config or --options, not both".into());
    }
    Ok(Some(Args {
        command,
        from,
        to,
        bins,
        no_amount,
        json,
        file,
        config,
        inline,
        out,
        summary,
        holdout,
        csv_format,
        threads,
        sql,
    }))
}

/// A one-line message for standard error: from the core's error or from reading the file.
struct CliError(String);

impl From<tierwise::TierwiseError> for CliError {
    fn from(e: tierwise::TierwiseError) -> Self {
        CliError(e.to_string())
    }
}

/// Pushes a file into an analyzer in 1 MiB chunks.
fn stream_file(path: &str, analyzer: tierwise::Analyzer) -> Result<tierwise::Analyzer, CliError> {
    stream_range(path, analyzer, 0, u64::MAX)
}

/// Pushes bytes `from..to` of a file (to its end at most) into an analyzer in 1 MiB chunks.
fn stream_range(
    path: &str,
    mut analyzer: tierwise::Analyzer,
    from: u64,
    to: u64,
) -> Result<tierwise::Analyzer, CliError> {
    use std::io::{Seek, SeekFrom};
    let cannot = |e: std::io::Error| CliError(format!("cannot read {path}: {e}"));
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    if from > 0 {
        file.seek(SeekFrom::Start(from)).map_err(cannot)?;
    }
    let mut file = file.take(to.saturating_sub(from));
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(cannot(e)),
        };
        analyzer.push(&buf[..n])?;
    }
    Ok(analyzer)
}

/// Reads a file in `threads` byte ranges at once (`tierwise::read_ranges`): `None` when it is too
/// small to be worth it, or when the ranges could not be merged exactly (then it is read whole).
fn analyze_file_in_ranges(
    path: &str,
    opts: &tierwise::Options,
    categories: bool,
    threads: usize,
) -> Result<Option<tierwise::Analysis>, CliError> {
    use std::io::{Seek, SeekFrom};
    let cannot = |e: std::io::Error| CliError(format!("cannot read {path}: {e}"));
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    let len = file.metadata().map_err(cannot)?.len() as usize;
    if threads < 2 || len < 2 * tierwise::MIN_RANGE_BYTES {
        return Ok(None);
    }
    let mut head = Vec::with_capacity(tierwise::HEAD_BYTES);
    file.by_ref()
        .take(tierwise::HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(cannot)?;
    if !tierwise::ranges_can_merge(&head, opts) {
        return Ok(None); // (a legacy encoding: one reader from the start)
    }
    // the line feed that ends the record at each cut (lines are short; a long one ends the search)
    let mut line_feed = |from: usize| -> Option<usize> {
        file.seek(SeekFrom::Start(from as u64)).ok()?;
        let mut buf = vec![0u8; 64 << 10];
        let n = file.read(&mut buf).ok()?;
        buf[..n].iter().position(|&b| b == b'\n').map(|i| from + i)
    };
    let starts = tierwise::range_starts_with(
        len,
        threads,
        tierwise::MIN_RANGE_BYTES,
        tierwise::HEAD_BYTES,
        &mut line_feed,
    );
    if starts.len() <= 2 {
        return Ok(None);
    }
    let setup = |a: tierwise::Analyzer| {
        let a = a.with_threads(threads);
        if categories {
            a.track_categories()
        } else {
            a
        }
    };
    let read = |a: tierwise::Analyzer, from: usize, to: usize| {
        stream_range(path, a, from as u64, to as u64)
    };
    let a = tierwise::in_two_passes_in_ranges(opts, &starts, &head, &setup, &read)?;
    if std::env::var_os("TIERWISE_TIMINGS").is_some() {
        match &a {
            Some((_, true)) => {
                eprintln!("ranges: read in {} byte ranges at once", starts.len() - 1)
            }
            Some((_, false)) => eprintln!("ranges: not merged; the first reader read on alone"),
            None => eprintln!("ranges: not merged exactly; read in one piece"),
        }
    }
    Ok(a.map(|(a, _)| a))
}

/// The process's peak resident set size in MiB (`VmHWM` of /proc/self/status; Linux only).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// What `FILE` holds: a text table streamed from disk, standard input read whole, or a workbook's
/// sheet converted to CSV (told by the bytes, not the file name).
enum Input {
    Path(String),
    Bytes(Vec<u8>),
    Sheet(wb::Sheet),
}

/// Reads `FILE` far enough to know what it is; a workbook's sheet (`options.sheet`) is converted.
fn load_input(file: &str, opts: &tierwise::Options) -> Result<Input, String> {
    let bytes = if file == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        if !wb::looks_like_workbook(&bytes) {
            return Ok(Input::Bytes(bytes));
        }
        bytes
    } else {
        let cannot = |e: std::io::Error| format!("cannot read {file}: {e}");
        let mut f = std::fs::File::open(file).map_err(cannot)?;
        let mut head = Vec::with_capacity(8);
        f.by_ref().take(8).read_to_end(&mut head).map_err(cannot)?;
        if !wb::looks_like_workbook(&head) {
            return Ok(Input::Path(file.to_string()));
        }
        let size = f.metadata().map_err(cannot)?.len();
        wb::check_file_size(size).map_err(|e| e.to_string())?;
        std::fs::read(file).map_err(cannot)?
    };
    let sheet = wb::read_sheet(&bytes, opts).map_err(|e| e.to_string())?;
    let r = &sheet.report;
    let others: Vec<String> = r.sheets.iter().map(|s| format!("\"{s}\"")).collect();
    eprintln!(
        "tierwise: read sheet \"{}\" of the {} workbook (sheets: {})",
        r.sheet,
        r.format,
        others.join(", ")
    );
    Ok(Input::Sheet(sheet))
}

/// Analyses the input: a file streamed in 1 MiB chunks (read twice when its first MiB misled the
/// decisions), bytes read whole, or a converted sheet.
fn analyze_input(
    input: &Input,
    opts: &tierwise::Options,
    threads: usize,
) -> Result<tierwise::Analysis, String> {
    analyze_input_with(input, opts, false, threads)
}

/// [`analyze_input`], recording each customer's first day per category when `categories` is set
/// (see `Analyzer::track_categories`).
fn analyze_input_with(
    input: &Input,
    opts: &tierwise::Options,
    categories: bool,
    threads: usize,
) -> Result<tierwise::Analysis, String> {
    let whole = |bytes: &[u8], o: &tierwise::Options| {
        if categories {
            tierwise::compare::analyze_tracking_categories(bytes, o)
        } else {
            tierwise::analyze(bytes, o)
        }
        .map_err(|e| e.to_string())
    };
    match input {
        Input::Bytes(bytes) => whole(bytes, opts),
        Input::Sheet(sheet) => {
            let mut a = whole(&sheet.csv, &wb::csv_options(opts))?;
            wb::mark(&mut a, &sheet.report, opts);
            Ok(a)
        }
        Input::Path(file) => {
            if let Some(a) =
                analyze_file_in_ranges(file, opts, categories, threads).map_err(|e| e.0)?
            {
                return Ok(a);
            }
            let start = |a: tierwise::Analyzer| {
                let a = a.with_threads(threads);
                if categories {
                    a.track_categories()
                } else {
                    a
                }
            };
            // read twice when the file's first MiB misled the decisions
            tierwise::in_two_passes(opts, start, |a| stream_file(file, a)).map_err(|e| e.0)
        }
    }
}

/// `tierwise rows`: the valid rows of FILE as the analysis read them, as CSV
/// (`docs/input.md#the-rows-as-read-tierwise-rows`). Read in one piece (no byte ranges): a file is
/// streamed (twice when its first MiB misled the decisions), standard input and a workbook's sheet
/// are held whole.
fn rows(a: &Args, opts: &tierwise::Options) -> Result<(), String> {
    let whole = |bytes: &[u8], o: &tierwise::Options| {
        tierwise::analyze_tapping_rows(bytes, o).map_err(|e| e.to_string())
    };
    let analysis = match load_input(&a.file, opts)? {
        Input::Bytes(bytes) => whole(&bytes, opts)?,
        Input::Sheet(sheet) => whole(&sheet.csv, &wb::csv_options(opts))?,
        Input::Path(file) => {
            let start = tierwise::Analyzer::tap_rows;
            tierwise::in_two_passes(opts, start, |x| stream_file(&file, x)).map_err(|e| e.0)?
        }
    };
    let written = match &a.out {
        Some(path) => {
            let file = std::fs::File::create(path)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            let out = std::io::BufWriter::with_capacity(1 << 20, file);
            tierwise::report::write_rows_csv(&analysis, out)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?
        }
        None => {
            let out = std::io::BufWriter::new(std::io::stdout().lock());
            tierwise::report::write_rows_csv(&analysis, out)
                .map_err(|e| format!("cannot write the rows: {e}"))?
        }
    };
    let Some(read) = analysis.rows_read.as_ref().filter(|_| written) else {
        return Err("the rows as read were not kept".into());
    };
    let s = &analysis.summary;
    eprintln!(
        "tierwise: {} rows written of {} rows read ({} rejected, {} filtered out)",
        read.len(),
        s.input.rows,
        s.input.rejected_total(),
        s.input.excluded.filtered_out
    );
    Ok(())
}

/// `tierwise compare`: the file as of `--from` and as of `--to`, compared (JSON).
fn compare(a: &Args, opts: tierwise::Options) -> Result<(), String> {
    let (Some(from), Some(to)) = (&a.from, &a.to) else {
        return Err("compare needs --from DATE and --to DATE".into());
    };
    if a.file == "-" {
        return Err("compare reads the file twice: give a file name, not -".into());
    }
    let with_date = |d: &str| -> Result<tierwise::Options, String> {
        let mut o = opts.clone();
        o.analysis_date = Some(d.to_string());
        o.validate().map_err(|e| e.to_string())?;
        Ok(o)
    };
    let (from_opts, to_opts) = (with_date(from)?, with_date(to)?);
    tierwise::compare::check_order(&from_opts, &to_opts).map_err(|e| e.to_string())?;
    let input = load_input(&a.file, &opts)?;
    let early = analyze_input(&input, &from_opts, a.threads)?;
    let late = analyze_input_with(&input, &to_opts, true, a.threads)?;
    let mut c = tierwise::compare::compare(&early, &late);
    // upgrade candidates: new categories in the last quarter (from the later analysis), and
    // cumulative spend one, two and three quarters before the later date (an analysis fails only
    // when nobody had bought yet: no spend)
    c.upgrade_candidates = tierwise::compare::upgrade_candidates(&late, [None, None, None]);
    if late.has_amount {
        if let Some(dates) = tierwise::compare::quarter_dates(&late.summary.analysis_date) {
            let mut quarters = Vec::new();
            for d in &dates {
                quarters.push(analyze_input(&input, &with_date(d)?, a.threads).ok());
            }
            c.upgrade_candidates = tierwise::compare::upgrade_candidates(
                &late,
                [
                    quarters[0].as_ref(),
                    quarters[1].as_ref(),
                    quarters[2].as_ref(),
                ],
            );
        }
    }
    let json = serde_json::to_string_pretty(&c).map_err(|e| e.to_string())? + "\n";
    match &a.out {
        Some(path) => std::fs::write(path, json)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        None => print!("{json}"),
    }
    eprintln!(
        "tierwise: {} → {}: {} moved up, {} moved down, {} downgrade warnings, {} upgrade candidates",
        c.from,
        c.to,
        c.moved_up.len(),
        c.moved_down.len(),
        c.downgrade_warnings.len(),
        c.upgrade_candidates.len()
    );
    Ok(())
}

fn run(a: Args) -> Result<(), String> {
    let opts_text = match (&a.config, &a.inline) {
        (Some(path), _) => std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read config {}: {e}", path.display()))?,
        (None, Some(t)) => t.clone(),
        (None, None) => String::new(),
    };
    let opts = tierwise::Options::from_json(&opts_text).map_err(|e| e.to_string())?;
    if a.command == "compare" {
        return compare(&a, opts);
    }
    if a.command == "rows" {
        return rows(&a, &opts);
    }
    if a.command == "inspect" {
        return inspect(&a, &opts);
    }
    if a.command == "sql" {
        return sql(&a, opts);
    }
    // files are streamed in 1 MiB chunks (see analyze_path); standard input is read whole, since a
    // second pass may need it again
    if a.holdout.is_some() && opts.model.holdout.is_none() {
        return Err("--holdout needs model.holdout in the options (a number of time units, or the cut date)".into());
    }
    if a.holdout.is_some() && !opts.model.enabled {
        return Err("--holdout needs the models (model.enabled is false)".into());
    }
    let timings = std::env::var_os("TIERWISE_TIMINGS").is_some();
    let t0 = std::time::Instant::now();
    let input = load_input(&a.file, &opts)?;
    let analysis = analyze_input(&input, &opts, a.threads)?;
    let t_finish = t0.elapsed();
    let t_read = t_finish
        - std::time::Duration::from_secs_f64(
            analysis.timings.iter().map(|(_, v)| v).sum::<f64>() / 1000.0,
        );
    let [labels, delimiter, decimal] = &a.csv_format;
    let format = tierwise::report::CsvFormat::parse(
        &analysis,
        "--",
        labels.as_deref(),
        delimiter.as_deref(),
        decimal.as_deref(),
    )
    .map_err(|e| e.to_string())?;
    match &a.out {
        Some(path) => {
            let file = std::fs::File::create(path)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            tierwise::report::write_csv_threads(
                &analysis,
                format,
                None,
                std::io::BufWriter::with_capacity(1 << 20, file),
                a.threads,
            )
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        None => tierwise::report::write_csv_threads(
            &analysis,
            format,
            None,
            std::io::BufWriter::new(std::io::stdout().lock()),
            a.threads,
        )
        .map_err(|e| format!("cannot write the CSV: {e}"))?,
    }
    if let Some(path) = &a.summary {
        let json = serde_json::to_string_pretty(&analysis.summary)
            .map_err(|e| format!("cannot encode the summary: {e}"))?;
        std::fs::write(path, json + "\n")
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    if let Some(path) = &a.holdout {
        write_holdout(&analysis, format, path)?;
    }
    if timings {
        eprintln!(
            "timings: read+push {:.3}s, finish {:.3}s ({}), outputs {:.3}s{}",
            t_read.as_secs_f64(),
            (t_finish - t_read).as_secs_f64(),
            analysis
                .timings
                .iter()
                .map(|(k, v)| format!("{k} {:.3}s", v / 1000.0))
                .collect::<Vec<_>>()
                .join(", "),
            (t0.elapsed() - t_finish).as_secs_f64(),
            peak_rss_mib().map_or(String::new(), |m| format!(", peak RSS {m:.1} MiB"))
        );
    }
    let s = &analysis.summary;
    eprintln!(
        "tierwise: {} customers from {} rows ({} used, {} rejected), analysis date {}",
        s.customers,
        s.input.rows,
        s.input.used,
        s.input.rejected_total(),
        s.analysis_date
    );
    Ok(())
}

/// Writes the per-customer holdout CSV (`--holdout`), or fails with the reason the check was not
/// computed (the other outputs are written by then).
fn write_holdout(
    analysis: &tierwise::Analysis,
    format: tierwise::report::CsvFormat,
    path: &std::path::Path,
) -> Result<(), String> {
    let Some(bytes) = tierwise::report::holdout_csv(analysis, format) else {
        let h = &analysis.summary.model["holdout"];
        let why = h["notComputed"]
            .as_str()
            .or(analysis.summary.model["notFitted"].as_str())
            .unwrap_or("the models were not fitted");
        return Err(format!(
            "--holdout: the holdout check was not computed, so {} was not written: {why}",
            path.display()
        ));
    };
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    eprintln!(
        "tierwise: holdout check per customer: {} customers written to {}",
        analysis.holdout_customers(),
        path.display()
    );
    Ok(())
}

/// `tierwise sql`: the grading of FILE's analysis as one SQL script (`docs/sql.md`), on standard
/// output or in `--out`.
fn sql(a: &Args, mut opts: tierwise::Options) -> Result<(), String> {
    let name = a.sql[0].as_deref().unwrap_or("");
    let dialect = tierwise::sql::Dialect::parse(name).ok_or_else(|| {
        format!("--dialect: expected duckdb, postgres, bigquery or spark, got \"{name}\"")
    })?;
    let cuts = match a.sql[1].as_deref() {
        None => tierwise::sql::CutSource::Fitted,
        Some(c) => tierwise::sql::CutSource::parse(c)
            .ok_or_else(|| format!("--cuts: expected fitted or sql, got \"{c}\""))?,
    };
    // (the script leaves the models out: the analysis need not fit them)
    opts.model.enabled = false;
    let input = load_input(&a.file, &opts)?;
    let analysis = analyze_input(&input, &opts, a.threads)?;
    let script = tierwise::sql::script(&analysis, dialect, cuts).map_err(|e| e.to_string())?;
    match &a.out {
        Some(path) => std::fs::write(path, &script)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        None => print!("{script}"),
    }
    eprintln!(
        "tierwise: {} SQL ({} cut points) for the {} customers of {}, analysis date {}",
        dialect.key(),
        cuts.key(),
        analysis.summary.customers,
        a.file,
        analysis.summary.analysis_date
    );
    Ok(())
}

/// `tierwise lint-rules`: true when the rules cover every combination exactly once.
fn lint_rules(a: &Args) -> Result<bool, String> {
    let text =
        std::fs::read_to_string(&a.file).map_err(|e| format!("cannot read {}: {e}", a.file))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", a.file))?;
    let (rules, bins) = if value.is_array() {
        let rules: Vec<tierwise::options::SegmentRule> = serde_json::from_value(value)
            .map_err(|e| format!("{}: not a list of rules {{name, r, f, m}}: {e}", a.file))?;
        (rules, 5)
    } else {
        let o = tierwise::Options::from_json(&text).map_err(|e| e.to_string())?;
        (o.segments.rules, o.rfm.bins)
    };
    let bins = a.bins.unwrap_or(bins);
    let lint = tierwise::analytics::segment::lint_checked(rules, bins, !a.no_amount)
        .map_err(|e| e.to_string())?;
    let json = serde_json::to_string_pretty(&lint).map_err(|e| e.to_string())?;
    println!("{json}");
    eprintln!(
        "tierwise: {} score combinations, {} not covered, {} covered by two or more rules",
        lint.combinations,
        lint.uncovered.len(),
        lint.overlaps.len()
    );
    Ok(lint.is_clean())
}

/// `tierwise catalog`: the core's message templates, label vocabularies and column table as JSON,
/// for a page that renders coded messages and labels in English or Chinese (the build writes it
/// into the wasm package as `catalog.js`).
#[cfg(not(target_arch = "wasm32"))]
fn catalog() -> String {
    let c = serde_json::json!({
        "version": env!("CARGO_PKG_VERSION"),
        "messages": tierwise::messages::catalog(),
        "labels": tierwise::labels::catalog(),
        "columns": tierwise::report::Column::table(),
    });
    c.to_string()
}

/// The wasm build of the core leaves the Chinese templates out: the catalog needs a native build.
#[cfg(target_arch = "wasm32")]
fn catalog() -> String {
    eprintln!("tierwise: the catalog needs a native build of the CLI");
    std::process::exit(2)
}

/// Reads the head of the file (one byte more than the head, to know whether that is all of it).
fn read_head(file: &str) -> Result<Vec<u8>, String> {
    let limit = tierwise::HEAD_BYTES as u64 + 1;
    let mut buf = Vec::new();
    let res = if file == "-" {
        std::io::stdin().take(limit).read_to_end(&mut buf)
    } else {
        std::fs::File::open(file)
            .map_err(|e| format!("cannot read {file}: {e}"))?
            .take(limit)
            .read_to_end(&mut buf)
    };
    res.map_err(|e| format!("cannot read {file}: {e}"))?;
    Ok(buf)
}

fn inspect(a: &Args, opts: &tierwise::Options) -> Result<(), String> {
    // a workbook's sheet is converted whole first; a text file is read only as far as its head
    let i = match load_input(&a.file, opts)? {
        Input::Sheet(sheet) => {
            let mut i = tierwise::inspect(&sheet.csv, &wb::csv_options(opts))
                .map_err(|e| CliError::from(e).0)?;
            i.kind = sheet.report.format.clone();
            i.sheet = Some(sheet.report.sheet.clone());
            i.sheets = sheet.report.sheets.clone();
            i
        }
        Input::Bytes(bytes) => tierwise::inspect(&bytes, opts).map_err(|e| CliError::from(e).0)?,
        Input::Path(path) => {
            let head = read_head(&path)?;
            tierwise::inspect(&head, opts).map_err(|e| CliError::from(e).0)?
        }
    };
    if a.json {
        let text = serde_json::to_string_pretty(&i).map_err(|e| e.to_string())?;
        println!("{text}");
        return Ok(());
    }
    let zh = opts.labels == tierwise::options::Labels::Zh;
    print!("{}", inspection_text(&i, zh));
    Ok(())
}

/// A message in English or Chinese (the Chinese templates are native-only).
fn render(m: &tierwise::messages::Message, zh: bool) -> String {
    #[cfg(not(target_arch = "wasm32"))]
    if zh {
        return m.zh();
    }
    let _ = zh;
    m.en()
}

/// The inspection as text for a terminal.
fn inspection_text(i: &tierwise::Inspection, zh: bool) -> String {
    use std::fmt::Write as _;
    let say = |m: &tierwise::messages::Message| render(m, zh);
    let mut o = String::new();
    let header = match i.header_row {
        Some(r) if zh => format!("表头在第 {r} 行"),
        Some(r) => format!("header on row {r}"),
        None if zh => "没有表头".to_string(),
        None => "no header row".to_string(),
    };
    let kind = match &i.sheet {
        Some(sheet) if zh => format!("{} 工作表“{sheet}”", i.kind),
        Some(sheet) => format!("{} sheet \"{sheet}\"", i.kind),
        None => i.kind.clone(),
    };
    let _ = writeln!(
        o,
        "{}: {kind}, {} {}, {} \"{}\", {header}",
        if zh { "文件" } else { "file" },
        if zh { "编码" } else { "encoding" },
        i.encoding,
        if zh { "分隔符" } else { "delimiter" },
        i.delimiter
    );
    for t in &i.title_rows {
        let _ = writeln!(
            o,
            "  {} {}: {}",
            if zh { "标题行" } else { "title row" },
            t.row,
            match (t.text.is_empty(), zh) {
                (false, _) => t.text.as_str(),
                (true, false) => "(blank)",
                (true, true) => "（空）",
            }
        );
    }
    for c in &i.columns {
        let name = match &c.name {
            Some(n) => format!("\"{n}\""),
            None => format!("column {}", c.index),
        };
        let role = match (&c.role, &c.confidence) {
            (Some(r), Some(conf)) => {
                use tierwise::ingest::guess::Confidence;
                let conf = match (conf, zh) {
                    (Confidence::High, false) => "high",
                    (Confidence::Medium, false) => "medium",
                    (Confidence::Low, false) => "low",
                    (Confidence::High, true) => "高",
                    (Confidence::Medium, true) => "中",
                    (Confidence::Low, true) => "低",
                };
                format!(
                    "{} ({conf}{})",
                    say(&r.name()),
                    if c.mapped {
                        ""
                    } else if zh {
                        "，仅建议"
                    } else {
                        ", suggestion"
                    }
                )
            }
            _ => "-".to_string(),
        };
        let _ = writeln!(o, "{:>3}  {name}  →  {role}", c.index);
        if let Some(r) = &c.reason {
            let _ = writeln!(o, "       {}", say(r));
        }
        let _ = writeln!(o, "       {}", c.samples.join(" | "));
    }
    if let Some(f) = &i.date_format {
        let _ = writeln!(
            o,
            "{}: {f}{}",
            if zh { "日期格式" } else { "date format" },
            if !i.dates_ambiguous {
                ""
            } else if zh {
                "（月日顺序不确定）"
            } else {
                " (month/day order ambiguous)"
            }
        );
    }
    for w in &i.warning_codes {
        let _ = writeln!(o, "{}: {}", if zh { "警告" } else { "warning" }, say(w));
    }
    o
}

fn main() -> ExitCode {
    match parse_args() {
        Ok(None) => ExitCode::SUCCESS,
        Ok(Some(a)) if a.command == "catalog" => {
            println!("{}", catalog());
            ExitCode::SUCCESS
        }
        Ok(Some(a)) if a.command == "lint-rules" => match lint_rules(&a) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::from(1),
            Err(msg) => {
                eprintln!("tierwise: {msg}");
                ExitCode::from(2)
            }
        },
        Ok(Some(a)) => match run(a) {
            Ok(()) => ExitCode::SUCCESS,
            Err(msg) => {
                eprintln!("tierwise: {msg}");
                ExitCode::from(2)
            }
        },
        Err(msg) => {
            eprintln!("tierwise: {msg}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
