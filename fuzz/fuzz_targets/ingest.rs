//! Fuzz target for the whole ingest path (see scripts/fuzz.sh).
//!
//! Input: three control bytes, then the file.
//! - byte 0 picks one of eight option sets (forced encodings, dateOrder, columns by index, returns);
//! - byte 1 seeds the chunk sizes of the streamed runs (0: one push);
//! - byte 2 is a small head size for a second streamed comparison (0: none).
//!
//! Asserts: no panic anywhere (errors are fine); `tierwise::analyze` on the whole file equals the
//! streamed two-pass result with fuzzer-chosen chunks (summary JSON, per-customer CSV, or the error
//! message); with a small head (`Analyzer::with_head_bytes`), chunked equals one push.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tierwise::{Analyzer, Finish, Options};

const OPTIONS: [&str; 8] = [
    "{}",
    r#"{"encoding":"gb18030"}"#,
    r#"{"encoding":"windows-1252"}"#,
    r#"{"encoding":"utf-16le"}"#,
    r#"{"dateOrder":"dmy"}"#,
    r#"{"dateOrder":"ymd"}"#,
    r#"{"columns":{"customer":0,"date":1,"amount":2}}"#,
    r#"{"returns":"keep","cancelPrefix":null,"dateOrder":"mdy"}"#,
];

type Run = Result<(serde_json::Value, Vec<u8>), String>;

fn outcome(a: &tierwise::Analysis) -> (serde_json::Value, Vec<u8>) {
    let summary = serde_json::to_value(&a.summary).expect("summary serialises");
    (summary, a.to_csv())
}

/// Chunk sizes from a small xorshift generator: 1..=64 bytes, now and then a long one.
fn split(bytes: &[u8], seed: u8) -> Vec<&[u8]> {
    if seed == 0 {
        return vec![bytes];
    }
    let mut x = 0x9E37_79B9u32 ^ u32::from(seed) ^ ((bytes.len() as u32) << 8);
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let n = if x % 8 == 0 {
            (x >> 8) as usize % 4096
        } else {
            1 + (x >> 8) as usize % 64
        };
        let n = n.min(rest.len());
        out.push(&rest[..n]); // n may be 0: an empty push must be harmless
        rest = &rest[n..];
    }
    out
}

fn streamed(bytes: &[u8], opts: &Options, head: Option<usize>, seed: u8) -> Run {
    let with_head = |a: Analyzer| match head {
        Some(h) => a.with_head_bytes(h),
        None => a,
    };
    let mut s = with_head(Analyzer::new(opts.clone()).map_err(|e| e.to_string())?);
    for c in split(bytes, seed) {
        s.push(c).map_err(|e| e.to_string())?;
    }
    let a = match s.finish_pass().map_err(|e| e.to_string())? {
        Finish::Done(a) => *a,
        Finish::Rerun(d) => {
            let mut s2 =
                with_head(Analyzer::with_decisions(opts.clone(), d).map_err(|e| e.to_string())?);
            // the second read may be chunked differently
            for c in split(bytes, seed.wrapping_mul(31).wrapping_add(7)) {
                s2.push(c).map_err(|e| e.to_string())?;
            }
            s2.finish().map_err(|e| e.to_string())?
        }
    };
    Ok(outcome(&a))
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let (ctl, file) = data.split_at(3);
    let opts = Options::from_json(OPTIONS[ctl[0] as usize % OPTIONS.len()]).expect("valid options");
    let whole: Run = tierwise::analyze(file, &opts)
        .map(|a| outcome(&a))
        .map_err(|e| e.to_string());
    let chunked = streamed(file, &opts, None, ctl[1]);
    assert!(whole == chunked, "whole {whole:?}\nchunked {chunked:?}");
    if ctl[2] != 0 {
        let head = Some(usize::from(ctl[2]));
        let once = streamed(file, &opts, head, 0);
        let chunked = streamed(file, &opts, head, ctl[1].max(1));
        assert!(
            once == chunked,
            "head {head:?}: one push {once:?}\nchunked {chunked:?}"
        );
    }
});
