//! Chunk invariance of the streaming API (property tests).
//!
//! The result of a file must not depend on how its bytes arrive. For every fixture of
//! `tests/fixtures/ingest/` and `tests/fixtures/small/` (files over 200 KB skipped for speed, but one
//! `late_*` file is run with a few random splits around the 1 MiB head), the bytes are split at random
//! offsets (random cut sets, 1-byte chunks, and cuts aimed inside multi-byte characters, between CR and
//! LF, at quotes and at delimiters) and pushed through `tierwise::Analyzer` with the documented two-pass
//! protocol; the summary JSON and the per-customer CSV (or the error message) must equal those of
//! `tierwise::analyze` on the whole file.
//!
//! Files under 1 MiB are decided entirely from their head, so the same is also done with a small head
//! (`Analyzer::with_head_bytes`, a test seam): then decisions are taken part-way and the rows after the
//! head really arrive chunk by chunk (decoder state, UTF-8 tails, records and CRLF pairs cut by a
//! boundary). With a small head the reference is the same small head with the file pushed at once.
//!
//! A second property generates small transaction tables (ids in Latin and Chinese script, quotes,
//! embedded delimiters and line breaks, random line ends, BOM or not, UTF-8 / GB18030 / UTF-16) and
//! checks the same equalities; a panic anywhere fails the property.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/corpus.rs"]
mod corpus;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::Value;
use tierwise::HEAD_BYTES;
use tierwise::{Analyzer, Options};

/// What a run is compared on: the summary JSON and the per-customer CSV.
#[derive(Debug, PartialEq)]
struct Outcome {
    summary: Value,
    csv: String,
}

type Run = Result<Outcome, String>;

fn outcome(a: &tierwise::Analysis) -> Outcome {
    Outcome {
        summary: serde_json::to_value(&a.summary).expect("summary serialises"),
        csv: String::from_utf8_lossy(&a.to_csv()).into_owned(),
    }
}

fn whole(bytes: &[u8], opts: &Options) -> Run {
    tierwise::analyze(bytes, opts)
        .map(|a| outcome(&a))
        .map_err(|e| e.to_string())
}

/// How the bytes are cut into chunks.
#[derive(Debug, Clone)]
enum Cuts {
    /// Chunks of exactly n bytes (the last one shorter).
    Every(usize),
    /// Cut at these offsets (any order, duplicates allowed; 0 and len give empty chunks).
    At(Vec<usize>),
}

fn chunks<'a>(bytes: &'a [u8], cuts: &Cuts) -> Vec<&'a [u8]> {
    match cuts {
        Cuts::Every(n) => bytes.chunks((*n).max(1)).collect(),
        Cuts::At(at) => {
            let mut at: Vec<usize> = at.iter().map(|&c| c.min(bytes.len())).collect();
            at.sort_unstable();
            let mut out = Vec::new();
            let mut prev = 0;
            for c in at {
                out.push(&bytes[prev..c]); // empty chunks on purpose: push(&[]) must be harmless
                prev = c;
            }
            out.push(&bytes[prev..]);
            out
        }
    }
}

/// The documented two-pass protocol; the second pass may be chunked differently from the first.
fn streamed(bytes: &[u8], opts: &Options, head: Option<usize>, first: &Cuts, second: &Cuts) -> Run {
    let with_head = |a: Analyzer| match head {
        Some(h) => a.with_head_bytes(h),
        None => a,
    };
    streamed_with(bytes, opts, &with_head, first, second)
}

/// The same with any set-up of the analyzers (test seams).
fn streamed_with(
    bytes: &[u8],
    opts: &Options,
    setup: &dyn Fn(Analyzer) -> Analyzer,
    first: &Cuts,
    second: &Cuts,
) -> Run {
    let mut pass = 0;
    let a = tierwise::in_two_passes(opts, setup, |mut s: Analyzer| {
        pass += 1;
        for c in chunks(bytes, if pass == 1 { first } else { second }) {
            s.push(c)?;
        }
        Ok::<_, tierwise::TierwiseError>(s)
    })
    .map_err(|e| e.to_string())?;
    Ok(outcome(&a))
}

/// Short description of the first difference between two runs (for failure messages).
fn difference(a: &Run, b: &Run) -> String {
    match (a, b) {
        (Ok(x), Ok(y)) => {
            if x.csv != y.csv {
                let line = x
                    .csv
                    .lines()
                    .zip(y.csv.lines())
                    .position(|(p, q)| p != q)
                    .unwrap_or(x.csv.lines().count().min(y.csv.lines().count()));
                format!(
                    "CSV differs at line {}: {:?} vs {:?}",
                    line + 1,
                    x.csv.lines().nth(line),
                    y.csv.lines().nth(line)
                )
            } else {
                let (p, q) = (x.summary.to_string(), y.summary.to_string());
                let at = p
                    .bytes()
                    .zip(q.bytes())
                    .position(|(c, d)| c != d)
                    .unwrap_or(p.len().min(q.len()));
                let from = p[..at].char_indices().rev().nth(80).map_or(0, |(i, _)| i);
                format!(
                    "summary differs: …{}… vs …{}…",
                    p.get(from..(at + 80).min(p.len())).unwrap_or(""),
                    q.get(from..(at + 80).min(q.len())).unwrap_or("")
                )
            }
        }
        _ => format!(
            "{:?} vs {:?}",
            a.as_ref().map(|_| "ok"),
            b.as_ref().map(|_| "ok")
        ),
    }
}

/// Offsets worth cutting at: inside multi-byte characters (any byte ≥ 0x80 or right after one),
/// between CR and LF, at and after quotes, delimiters and line ends, inside a BOM.
fn interesting(bytes: &[u8]) -> Vec<usize> {
    let mut v = Vec::new();
    for i in 1..bytes.len() {
        let (p, c) = (bytes[i - 1], bytes[i]);
        if p >= 0x80
            || c >= 0x80
            || matches!(p, b'"' | b'\r' | b'\n' | b',' | b';' | b'\t' | b'|')
            || c == b'"'
        {
            v.push(i);
        }
    }
    v
}

/// Cut plans for a file of `len` bytes with the given interesting offsets.
fn cuts_strategy(len: usize, marks: Vec<usize>) -> BoxedStrategy<Cuts> {
    let len = len.max(1);
    let random = prop::collection::vec(0..=len, 0..24).prop_map(Cuts::At);
    let small = (1usize..8).prop_map(Cuts::Every);
    if marks.is_empty() {
        prop_oneof![4 => random, 1 => small, 1 => Just(Cuts::Every(1))].boxed()
    } else {
        let n = marks.len();
        let aimed = (
            prop::sample::subsequence(marks, 0..=n.min(24)),
            prop::collection::vec(0..=len, 0..6),
        )
            .prop_map(|(mut a, b)| {
                a.extend(b);
                Cuts::At(a)
            });
        prop_oneof![3 => random, 3 => aimed, 1 => small, 1 => Just(Cuts::Every(1))].boxed()
    }
}

/// A head size: the default (1 MiB) or a small one that ends part-way through the file.
fn head_strategy(len: usize) -> BoxedStrategy<Option<usize>> {
    if len < 2 {
        Just(None).boxed()
    } else {
        prop_oneof![1 => Just(None), 2 => (1..len).prop_map(Some)].boxed()
    }
}

/// One property case on one file: the chunked two-pass result equals the reference.
fn check_file(
    bytes: &[u8],
    opts: &Options,
    reference: &Run,
    head: Option<usize>,
    first: &Cuts,
    second: &Cuts,
) -> Result<(), TestCaseError> {
    let got = streamed(bytes, opts, head, first, second);
    let want_small_head;
    let want = match head {
        None => reference,
        Some(_) => {
            let all = Cuts::At(Vec::new());
            want_small_head = streamed(bytes, opts, head, &all, &all);
            &want_small_head
        }
    };
    if &got != want {
        return Err(TestCaseError::fail(format!(
            "head {head:?}: chunked differs from {}: {}",
            if head.is_some() {
                "one push"
            } else {
                "tierwise::analyze"
            },
            difference(want, &got)
        )));
    }
    Ok(())
}

use corpus::Fixture;

fn fixtures() -> Vec<Fixture> {
    corpus::fixtures(&["ingest", "small"])
}

const MAX_FIXTURE_BYTES: usize = 200 * 1024;

#[test]
fn fixtures_are_chunk_invariant() {
    let all = fixtures();
    let small: Vec<&Fixture> = all
        .iter()
        .filter(|f| f.bytes.len() <= MAX_FIXTURE_BYTES)
        .collect();
    assert!(
        small.len() >= 70,
        "expected the ingest corpus and the small fixtures, found {} files",
        small.len()
    );
    let mut failures = Vec::new();
    for f in small {
        let reference = whole(&f.bytes, &f.opts);
        let strategy = (
            head_strategy(f.bytes.len()),
            cuts_strategy(f.bytes.len(), interesting(&f.bytes)),
            cuts_strategy(f.bytes.len(), interesting(&f.bytes)),
        );
        let mut runner = TestRunner::new(Config {
            cases: 24,
            failure_persistence: None,
            ..Config::default()
        });
        let r = runner.run(&strategy, |(head, first, second)| {
            check_file(&f.bytes, &f.opts, &reference, head, &first, &second)
        });
        if let Err(e) = r {
            failures.push(format!("{}: {e}", f.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// One large file whose head misleads (`late_*`): cuts around the end of the 1 MiB head and a few
/// random ones. The file and the cuts are few because every run reads 1 MB.
#[test]
fn late_file_is_chunk_invariant() {
    let all = fixtures();
    let f = all
        .iter()
        .find(|f| f.name.ends_with("late_windows1252.csv"))
        .expect("late_windows1252.csv");
    assert!(f.bytes.len() > HEAD_BYTES);
    let reference = whole(&f.bytes, &f.opts);
    assert!(reference.is_ok(), "{:?}", reference.as_ref().err());
    let len = f.bytes.len();
    let near_head = (HEAD_BYTES - 4..HEAD_BYTES + 4).collect::<Vec<_>>();
    let cuts = (
        prop::sample::subsequence(near_head, 1..=3),
        prop::collection::vec(0..=len, 0..8),
    )
        .prop_map(|(mut a, b)| {
            a.extend(b);
            Cuts::At(a)
        });
    let mut runner = TestRunner::new(Config {
        cases: 3,
        failure_persistence: None,
        ..Config::default()
    });
    let r = runner.run(&(cuts.clone(), cuts), |(first, second)| {
        check_file(&f.bytes, &f.opts, &reference, None, &first, &second)
    });
    if let Err(e) = r {
        panic!("{}: {e}", f.name);
    }
}

// ---------------------------------------------------------------------------------------------
// generated tables
// ---------------------------------------------------------------------------------------------

/// A generated transactions table before it is written out.
#[derive(Debug, Clone)]
struct Table {
    header: Option<[&'static str; 4]>,
    /// Column order: a permutation of customer, date, amount, note.
    order: [usize; 4],
    rows: Vec<[String; 4]>,
    delim: u8,
    /// Line end per line: "\n", "\r\n" or "\r".
    ends: Vec<&'static str>,
    final_newline: bool,
    /// Quote every field (else only when needed); `raw` writes fields without any quoting.
    quote_all: bool,
    raw: bool,
    /// Lines with nothing but whitespace inserted before these rows.
    blank_before: Vec<usize>,
    encoding: Enc,
}

#[derive(Debug, Clone, Copy)]
enum Enc {
    Utf8,
    Utf8Bom,
    Gb18030,
    Utf16LeBom,
}

const HEADERS: &[[&str; 4]] = &[
    ["customer_id", "order_date", "amount", "note"],
    ["客户ID", "订单日期", "金额", "备注"],
    ["CustomerID", "InvoiceDate", "revenue", "comment"],
    ["会员ID", "下单时间", "实付金额", "remark"],
];

fn id_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[A-Za-z0-9]{1,6}",
        3 => "[张王李赵客户甲乙丙]{1,3}[0-9]{0,2}",
        2 => "[a-c\"',;\t| \r\n张]{0,5}",
        1 => Just(String::new()),
    ]
}

/// A date (y, m, d, h, mi) and which of the table's writings it takes.
type DateSpec = (i32, u32, u32, u32, u32, prop::sample::Index);

fn date_strategy() -> impl Strategy<Value = DateSpec> {
    (
        2023i32..=2024,
        1u32..=12,
        1u32..=28,
        0u32..24,
        0u32..60,
        any::<prop::sample::Index>(),
    )
}

/// Writes a date in writing number `kind`; each table uses a few writings (so month/day columns,
/// decided on the whole file, occur often).
fn write_date((y, m, d, h, mi, _): &DateSpec, kind: u8) -> String {
    match kind {
        0 | 1 => format!("{y}-{m:02}-{d:02}"),
        2 => format!("{y}-{m:02}-{d:02} {h:02}:{mi:02}:00"),
        3 => format!("{m}/{d}/{y} {h}:{mi:02}"),
        4 => format!("{d:02}.{m:02}.{y}"),
        5 => format!("{y}年{m}月{d}日"),
        6 => format!("{y}{m:02}{d:02}"),
        // day-first with the separator of kind 3
        7 => format!("{d}/{m}/{y}"),
        8 => "not a date".to_string(),
        _ => String::new(),
    }
}

fn amount_strategy() -> impl Strategy<Value = String> {
    (0u32..100_000, 0u8..10).prop_map(|(c, kind)| {
        let (i, f) = (c / 100, c % 100);
        match kind {
            0 | 1 => format!("{i}.{f:02}"),
            2 => format!("{},{:03}.{f:02}", i / 1000 + 1, i % 1000),
            3 => format!("{i},{f:02}"),
            4 => format!("({i}.{f:02})"),
            5 => format!("-{i}"),
            6 => format!("¥{i}"),
            7 => format!("{i}元"),
            8 => "abc".to_string(),
            _ => String::new(),
        }
    })
}

fn note_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just(String::new()),
        2 => "[a-z 备注\"]{0,8}",
        1 => "[a-z,;\t|\"\r\n中文]{0,10}",
    ]
}

fn table_strategy() -> impl Strategy<Value = Table> {
    let ids = prop::collection::vec(id_strategy(), 1..6);
    let rows = prop::collection::vec(
        (
            any::<prop::sample::Index>(),
            date_strategy(),
            amount_strategy(),
            note_strategy(),
        ),
        0..25,
    );
    (
        ids,
        rows,
        prop::option::of(prop::sample::select(HEADERS)),
        Just([0usize, 1, 2, 3]).prop_shuffle(),
        prop::sample::select(&b",;\t|"[..]),
        prop::collection::vec(prop::sample::select(&["\n", "\r\n", "\r"][..]), 1..4),
        (any::<bool>(), any::<bool>(), prop::bool::weighted(0.1)),
        prop::collection::vec(0usize..26, 0..3),
        prop_oneof![
            3 => Just(Enc::Utf8),
            2 => Just(Enc::Utf8Bom),
            1 => Just(Enc::Gb18030),
            1 => Just(Enc::Utf16LeBom)
        ],
        prop::collection::vec(0u8..10, 1..4),
    )
        .prop_map(
            |(
                ids,
                rows,
                header,
                order,
                delim,
                ends,
                (final_newline, quote_all, raw),
                blank_before,
                encoding,
                kinds,
            )| {
                let order = [order[0], order[1], order[2], order[3]];
                Table {
                    header,
                    order,
                    rows: rows
                        .into_iter()
                        .map(|(i, d, a, n)| {
                            let date = write_date(&d, kinds[d.5.index(kinds.len())]);
                            [ids[i.index(ids.len())].clone(), date, a, n]
                        })
                        .collect(),
                    delim,
                    ends,
                    final_newline,
                    quote_all,
                    raw,
                    blank_before,
                    encoding,
                }
            },
        )
}

fn write_field(out: &mut String, v: &str, t: &Table) {
    let d = t.delim as char;
    let needs = v.contains([d, '"', '\r', '\n']) || v.starts_with(' ') || v.ends_with(' ');
    if !t.raw && (t.quote_all || needs) {
        out.push('"');
        out.push_str(&v.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(v);
    }
}

fn write_table(t: &Table) -> Vec<u8> {
    let mut s = String::new();
    let mut line = 0usize;
    let write_line = |s: &mut String, fields: [&str; 4], last: bool, line: &mut usize| {
        for (k, &c) in t.order.iter().enumerate() {
            if k > 0 {
                s.push(t.delim as char);
            }
            write_field(s, fields[c], t);
        }
        if !last || t.final_newline {
            s.push_str(t.ends[*line % t.ends.len()]);
        }
        *line += 1;
    };
    let n = t.rows.len();
    if let Some(h) = t.header {
        write_line(&mut s, h, n == 0, &mut line);
    }
    for (i, r) in t.rows.iter().enumerate() {
        for _ in t.blank_before.iter().filter(|&&b| b == i) {
            s.push_str("  \t");
            s.push_str(t.ends[0]);
        }
        write_line(&mut s, [&r[0], &r[1], &r[2], &r[3]], i + 1 == n, &mut line);
    }
    match t.encoding {
        Enc::Utf8 => s.into_bytes(),
        Enc::Utf8Bom => {
            let mut b = vec![0xEF, 0xBB, 0xBF];
            b.extend_from_slice(s.as_bytes());
            b
        }
        Enc::Gb18030 => encoding_rs::GB18030.encode(&s).0.into_owned(),
        Enc::Utf16LeBom => {
            let mut b = vec![0xFF, 0xFE];
            for u in s.encode_utf16() {
                b.extend_from_slice(&u.to_le_bytes());
            }
            b
        }
    }
}

fn options_strategy() -> impl Strategy<Value = Options> {
    prop::sample::select(
        &[
            "{}",
            r#"{"dateOrder":"dmy"}"#,
            r#"{"encoding":"gb18030"}"#,
            r#"{"returns":"keep","cancelPrefix":null}"#,
            r#"{"columns":{"customer":0,"date":1,"amount":2}}"#,
        ][..],
    )
    .prop_map(|j| Options::from_json(j).expect("valid options"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    /// Generated tables: whole file = chunked (default head), and chunked = one push (small head).
    #[test]
    fn generated_tables_are_chunk_invariant(
        (bytes, head, first, second) in table_strategy().prop_flat_map(|t| {
            let bytes = write_table(&t);
            let len = bytes.len();
            let marks = interesting(&bytes);
            (
                Just(bytes),
                head_strategy(len),
                cuts_strategy(len, marks.clone()),
                cuts_strategy(len, marks),
            )
        }),
        opts in options_strategy(),
    ) {
        let reference = whole(&bytes, &opts);
        check_file(&bytes, &opts, &reference, None, &first, &second)?;
        if head.is_some() {
            check_file(&bytes, &opts, &reference, head, &first, &second)?;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    /// Generated tables with small bounds on a row and a quoted field (`Analyzer::with_row_limits`,
    /// a test seam), so that rows too long and quotes left open past the bound occur (and quotes
    /// open at the end, from the raw tables): chunked equals one push with the same bounds.
    #[test]
    fn generated_tables_with_small_row_bounds_are_chunk_invariant(
        (bytes, head, first, second) in table_strategy().prop_flat_map(|t| {
            let bytes = write_table(&t);
            let len = bytes.len();
            let marks = interesting(&bytes);
            (
                Just(bytes),
                head_strategy(len),
                cuts_strategy(len, marks.clone()),
                cuts_strategy(len, marks),
            )
        }),
        (row, quoted) in (2usize..120, 1usize..40),
        opts in options_strategy(),
    ) {
        let setup = |a: Analyzer| {
            let a = a.with_row_limits(row, quoted);
            match head {
                Some(h) => a.with_head_bytes(h),
                None => a,
            }
        };
        let all = Cuts::At(Vec::new());
        let want = streamed_with(&bytes, &opts, &setup, &all, &all);
        let got = streamed_with(&bytes, &opts, &setup, &first, &second);
        prop_assert!(got == want, "bounds ({row}, {quoted}), head {head:?}: {}", difference(&want, &got));
    }
}
