//! Reading a file in byte ranges (`docs/speed.md#ranges`, property tests).
//!
//! A file read as N byte ranges, each by its own analyzer, and merged with `Analyzer::absorb` must
//! give exactly what one analyzer gives: the same summary JSON, the same per-customer CSV, the same
//! categories log, or the same error. Every fixture of `tests/fixtures/ingest/`, `small/` and
//! `columns/` is read with N = 1, 2, 3 and 7 and with random splits; the parts cross through their
//! bytes (`RangePart::to_bytes`), as between web workers. Files are small, so the decisions are
//! taken from a small head (`Analyzer::with_head_bytes`, a test seam) that ends before the first
//! cut; the reference uses the same head. When the merge is refused (a quoted line break across a
//! cut, text that is not plain UTF-8) the file is read with one analyzer, which is the reference by
//! definition: the tests also check that refusals happen only then, and that most cases merge.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/corpus.rs"]
mod corpus;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;
use tierwise::{Analyzer, Decisions, Finish, Options};

#[derive(Debug, PartialEq)]
struct Outcome {
    summary: Value,
    csv: String,
    /// The categories log (`Analyzer::track_categories`), as its debug text.
    categories: String,
}

type Run = Result<Outcome, String>;

fn outcome(a: &tierwise::Analysis) -> Outcome {
    Outcome {
        summary: serde_json::to_value(&a.summary).expect("summary serialises"),
        csv: String::from_utf8_lossy(&a.to_csv()).into_owned(),
        categories: format!("{:?}", a.categories),
    }
}

/// Every analyzer of a run is set up alike: the small head, and the categories log.
fn setup(head: usize) -> impl Fn(Analyzer) -> Analyzer + Sync {
    move |a: Analyzer| a.with_head_bytes(head).track_categories()
}

/// The reference: one analyzer, the documented two-pass protocol, the whole file in one push.
fn reference(bytes: &[u8], opts: &Options, head: usize) -> Run {
    let s = setup(head);
    tierwise::in_two_passes(opts, &s, |mut a: Analyzer| {
        a.push(bytes)?;
        Ok::<_, tierwise::TierwiseError>(a)
    })
    .map(|a| outcome(&a))
    .map_err(|e| e.to_string())
}

/// The same in the byte ranges `starts`; also says whether the ranges merged (else the file was
/// read again with one analyzer).
fn in_ranges(
    bytes: &[u8],
    opts: &Options,
    head: usize,
    starts: &[usize],
    threads: bool,
) -> (Run, bool) {
    let s = setup(head);
    let pass = |d: Decisions| {
        tierwise::read_in_ranges(bytes, opts, d, starts, head, &s, threads, !threads)
    };
    let fallback = || (reference(bytes, opts, head), false);
    let (first, mut merged) = match pass(Decisions::default()) {
        Ok(Some(a)) => a,
        Ok(None) => return fallback(),
        Err(e) => return (Err(e.to_string()), true),
    };
    let done = match first.finish_pass() {
        Ok(Finish::Done(a)) => Ok(*a),
        Ok(Finish::Rerun(d)) => match pass(d) {
            Ok(Some((second, all))) => {
                merged &= all;
                second.finish()
            }
            Ok(None) => return fallback(),
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    (done.map(|a| outcome(&a)).map_err(|e| e.to_string()), merged)
}

fn difference(a: &Run, b: &Run) -> String {
    match (a, b) {
        (Ok(x), Ok(y)) => {
            if x.csv != y.csv {
                let line = x.csv.lines().zip(y.csv.lines()).position(|(p, q)| p != q);
                let line = line.unwrap_or(x.csv.lines().count().min(y.csv.lines().count()));
                format!(
                    "CSV differs at line {}: {:?} vs {:?}",
                    line + 1,
                    x.csv.lines().nth(line),
                    y.csv.lines().nth(line)
                )
            } else if x.categories != y.categories {
                "categories differ".to_string()
            } else {
                let (p, q) = (x.summary.to_string(), y.summary.to_string());
                let at = p.bytes().zip(q.bytes()).position(|(c, d)| c != d);
                let at = at.unwrap_or(p.len().min(q.len()));
                let from = p[..at].char_indices().rev().nth(80).map_or(0, |(i, _)| i);
                format!(
                    "summary differs: …{}… vs …{}…",
                    p.get(from..(at + 80).min(p.len())).unwrap_or(""),
                    q.get(from..(at + 80).min(q.len())).unwrap_or("")
                )
            }
        }
        _ => format!("{:?} vs {:?}", a.as_ref().err(), b.as_ref().err()),
    }
}

use corpus::Fixture;

fn fixtures() -> Vec<Fixture> {
    corpus::fixtures(&["ingest", "small", "columns"])
}

/// Files over this size are read with fewer random splits (each run reads the whole file).
const LARGE: usize = 200 * 1024;

/// A head that ends before the middle of the file (so there is room for ranges after it).
fn small_head(len: usize) -> usize {
    (len / 8).clamp(1, 4096)
}

/// Text a plain-UTF-8 reader can split: no byte-order mark and valid UTF-8 (with ASCII only,
/// also a file whose encoding is guessed as a legacy one would be refused for its decoder).
fn splittable(bytes: &[u8]) -> bool {
    !bytes.starts_with(&[0xFF, 0xFE])
        && !bytes.starts_with(&[0xFE, 0xFF])
        && std::str::from_utf8(bytes).is_ok()
}

#[test]
fn fixtures_read_in_1_2_3_and_7_ranges_equal_one_reader() {
    let all = fixtures();
    assert!(
        all.len() >= 75,
        "expected the fixture corpus, found {} files",
        all.len()
    );
    let mut failures = Vec::new();
    let (mut merged, mut split) = (0, 0);
    for f in &all {
        let head = small_head(f.bytes.len());
        let want = reference(&f.bytes, &f.opts, head);
        for n in [1, 2, 3, 7] {
            let starts = tierwise::range_starts(&f.bytes, n, 1, head);
            let (got, ok) = in_ranges(&f.bytes, &f.opts, head, &starts, false);
            if got != want {
                failures.push(format!(
                    "{} with N = {n}: {}",
                    f.name,
                    difference(&want, &got)
                ));
            }
            if starts.len() > 2 {
                split += 1;
                merged += usize::from(ok);
                if !ok && splittable(&f.bytes) && !f.bytes.contains(&b'"') {
                    failures.push(format!("{} with N = {n}: refused without a reason", f.name));
                }
            }
        }
        // on threads too (the CLI's path), without the trip through bytes
        let starts = tierwise::range_starts(&f.bytes, 3, 1, head);
        let (got, _) = in_ranges(&f.bytes, &f.opts, head, &starts, true);
        if got != want {
            failures.push(format!(
                "{} on threads: {}",
                f.name,
                difference(&want, &got)
            ));
        }
    }
    eprintln!("{merged} of {split} split runs merged");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(split >= 150, "only {split} runs were split");
    assert!(
        merged * 10 >= split * 7,
        "only {merged} of {split} split runs merged"
    );
}

/// Random splits: any record boundaries (and cuts right after a line feed inside quotes, which
/// must be refused or merged exactly).
#[test]
fn random_splits_equal_one_reader() {
    let all = fixtures();
    let mut failures = Vec::new();
    for f in &all {
        let len = f.bytes.len();
        if len < 4 {
            continue;
        }
        let head = small_head(len);
        let want = reference(&f.bytes, &f.opts, head);
        let line_feeds: Vec<usize> = (head..len).filter(|&i| f.bytes[i - 1] == b'\n').collect();
        if line_feeds.is_empty() {
            continue;
        }
        let n = line_feeds.len();
        let cases = if len > LARGE { 2 } else { 12 };
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        });
        let r = runner.run(
            &prop::sample::subsequence(line_feeds, 1..=n.min(8)),
            |cuts| {
                let mut starts = vec![0];
                starts.extend(cuts);
                starts.push(len);
                let (got, _) = in_ranges(&f.bytes, &f.opts, head, &starts, false);
                prop_assert!(
                    got == want,
                    "cuts {:?}: {}",
                    starts,
                    difference(&want, &got)
                );
                Ok(())
            },
        );
        if let Err(e) = r {
            failures.push(format!("{}: {e}", f.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A part crosses between web workers as bytes: a cut or altered buffer is refused or read (and
/// then merged and analysed), never a panic, and a cut one is always refused.
#[test]
fn damaged_part_bytes_are_refused_not_trusted() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/small/messy.csv"
    ))
    .unwrap();
    let head = small_head(bytes.len());
    let starts = tierwise::range_starts(&bytes, 2, 1, head);
    assert!(starts.len() > 2);
    let mut a = setup(head)(
        Analyzer::for_range(Options::default(), Decisions::default(), &bytes[..head]).unwrap(),
    );
    a.push(&bytes[starts[1]..]).unwrap();
    let good = a.end_range().into_bytes();
    assert!(tierwise::RangePart::from_bytes(&good).is_some());
    for cut in 0..good.len() {
        assert!(
            tierwise::RangePart::from_bytes(&good[..cut]).is_none(),
            "cut at {cut} read"
        );
    }
    // every 8 bytes set to 0xFF in turn (a count of 2⁶⁴ − 1 anywhere): refused or merged, never an
    // overflow (debug builds check arithmetic)
    for at in 0..good.len().saturating_sub(8) {
        let mut bad = good.clone();
        bad[at..at + 8].fill(0xFF);
        let mut first = setup(head)(Analyzer::new(Options::default()).unwrap());
        first.push(&bytes[..starts[1]]).unwrap();
        if first.absorb_bytes(&bad).is_ok() {
            let _ = first.finish();
        }
    }
    let mut runner = TestRunner::new(Config {
        cases: 2000,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&(0..good.len(), any::<u8>()), |(at, byte)| {
            let mut bad = good.clone();
            bad[at] = byte;
            let _ = tierwise::RangePart::from_bytes(&bad);
            // and merged as it is (the worker's path): refused, or read and analysed, never a panic
            let mut first = setup(head)(Analyzer::new(Options::default()).unwrap());
            first.push(&bytes[..starts[1]]).unwrap();
            if first.absorb_bytes(&bad).is_ok() {
                let _ = first.finish();
            }
            // and read in pieces (the page's path)
            let mut first = setup(head)(Analyzer::new(Options::default()).unwrap());
            first.push(&bytes[..starts[1]]).unwrap();
            let mut read =
                |at: usize, buf: &mut [u8]| buf.copy_from_slice(&bad[at..at + buf.len()]);
            if first.absorb_from(bad.len(), &mut read).is_ok() {
                let _ = first.finish();
            }
            Ok(())
        })
        .unwrap();
}

/// A part with more orders than one piece of `absorb_from` (a MiB: 43,690 orders) is read in several
/// pieces; the result is still one reader's.
#[test]
fn a_large_part_read_in_pieces_equals_one_reader() {
    let mut text = String::from("order_id,customer_id,order_date,amount\n");
    for i in 0..150_000u32 {
        let amount = if i % 40_009 == 5 {
            "x".to_string()
        } else {
            format!("{}.{:02}", 1 + i % 300, i % 100)
        };
        text.push_str(&format!(
            "O{i},C{:05},2024-{:02}-{:02},{amount}\n",
            (i * 7919) % 20_011,
            1 + i % 12,
            1 + i % 28
        ));
    }
    let bytes = text.as_bytes();
    let head = 64 * 1024;
    let opts = Options::default();
    let want = reference(bytes, &opts, head);
    assert!(want.is_ok());
    for n in [2, 3] {
        let starts = tierwise::range_starts(bytes, n, 1, head);
        assert_eq!(starts.len(), n + 1);
        let (got, merged) = in_ranges(bytes, &opts, head, &starts, false);
        assert!(merged, "N = {n}: merged");
        assert!(got == want, "N = {n}: {}", difference(&want, &got));
    }
}

/// A part whose own table of a dimension's values filled up (100,000 values) stored empty values
/// that the merged table knows: such a part is refused, and the result stays one reader's (a value
/// seen before the cut is kept).
#[test]
fn a_part_whose_dimension_table_filled_up_is_not_merged() {
    let mut text = String::from("customer_id,order_date,amount,store\n");
    for i in 0..50 {
        text.push_str(&format!("A{i},2024-01-02,10,X\n"));
    }
    let cut = text.len();
    for i in 0..100_000u32 {
        text.push_str(&format!("C{},2024-01-03,5,S{i}\n", i % 100));
    }
    text.push_str("B,2024-01-04,7,X\n");
    let bytes = text.as_bytes();
    let opts = Options::from_json(r#"{"columns":{"dimensions":["store"]}}"#).unwrap();
    let head = 200;
    let want = reference(bytes, &opts, head);
    assert!(want.as_ref().is_ok_and(|w| w
        .csv
        .lines()
        .any(|l| l.starts_with("B,") && l.ends_with(",X"))));
    let (got, merged) = in_ranges(bytes, &opts, head, &[0, cut, bytes.len()], false);
    assert!(!merged, "refused");
    assert!(got == want, "{}", difference(&want, &got));
}
