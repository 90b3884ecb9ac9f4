//! Inputs found by the fuzz target (`fuzz/fuzz_targets/ingest.rs`, see `scripts/fuzz.sh`), minimised,
//! with expectations worked out by hand from `docs/input.md`.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use tierwise::{Analyzer, Options};

fn summary_of(bytes: &[u8], opts: &Options) -> Result<Value, String> {
    let a = tierwise::analyze(bytes, opts).map_err(|e| e.to_string())?;
    Ok(serde_json::to_value(&a.summary).expect("summary serialises"))
}

/// Streamed in `n`-byte chunks through the two-pass protocol, with a head of `head` bytes.
fn streamed_summary(bytes: &[u8], opts: &Options, head: usize, n: usize) -> Result<Value, String> {
    let with_head = |a: Analyzer| a.with_head_bytes(head);
    let a = tierwise::in_two_passes(opts, with_head, |mut s: Analyzer| {
        for c in bytes.chunks(n) {
            s.push(c)?;
        }
        Ok::<_, tierwise::TierwiseError>(s)
    })
    .map_err(|e| e.to_string())?;
    Ok(serde_json::to_value(&a.summary).expect("summary serialises"))
}

fn rejected(s: &Value) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = s["input"]["rejected"]
        .as_object()
        .map(|o| {
            o.iter()
                .map(|(k, x)| (k.clone(), x["count"].as_u64().unwrap_or(0)))
                .filter(|(_, c)| *c > 0)
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn example_rows(s: &Value, reason: &str) -> Vec<u64> {
    s["input"]["rejected"][reason]["examples"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["row"].as_u64()).collect())
        .unwrap_or_default()
}

/// A month/day column (dateOrder auto) where a row that only the losing reading can read also has
/// a bad amount. `docs/input.md`: each rejected row gets exactly one reason, `bad_date` before
/// `bad_amount`. Found by the fuzzer as a failed debug assertion (and a row rejected twice).
#[test]
fn month_day_row_with_bad_amount_is_rejected_once() {
    // mdy reads A, B, D; dmy reads B, C, D: a tie (1 value each only one reading reads), so
    // month-first wins. C ("29/2/2024", no amount) cannot be read month-first: bad_date, once.
    let mdy_wins = b"customer_id,order_date,amount\nA,1/31/2024,10\nB,2/1/2024,5\nC,29/2/2024,\nD,3/3/2024,7\n";
    // dmy reads B, C, D and mdy reads A, D: B and C only day-first, A only month-first: day-first
    // wins. A ("1/31/2024", no amount) cannot be read day-first: bad_date, once.
    let dmy_wins = b"customer_id,order_date,amount\nA,1/31/2024,\nB,13/1/2024,5\nC,14/1/2024,6\nD,2/3/2024,7\n";
    for (name, bytes, bad_row, last_d) in [
        ("mdy_wins", &mdy_wins[..], 4u64, "2024-03-03"),
        ("dmy_wins", &dmy_wins[..], 2u64, "2024-03-02"),
    ] {
        let opts = Options::default();
        let s = summary_of(bytes, &opts).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(s["input"]["rows"], 4, "{name}");
        assert_eq!(s["input"]["used"], 3, "{name}");
        assert_eq!(s["customers"], 3, "{name}");
        assert_eq!(
            rejected(&s),
            vec![("bad_date".to_string(), 1)],
            "{name}: {}",
            s["input"]["rejected"]
        );
        assert_eq!(example_rows(&s, "bad_date"), vec![bad_row], "{name}");
        assert_eq!(s["analysisDate"], last_d, "{name}");
        // the same through the streaming path with a small head (rows arrive after the decisions)
        for head in [32, 45, 60, 1 << 20] {
            for n in [1, 3, 64] {
                let t = streamed_summary(bytes, &opts, head, n)
                    .unwrap_or_else(|e| panic!("{name} head {head} chunks {n}: {e}"));
                assert_eq!(rejected(&t), rejected(&s), "{name} head {head} chunks {n}");
                assert_eq!(t["input"]["used"], 3, "{name} head {head} chunks {n}");
            }
        }
    }
}

/// The minimised fuzz input itself: no header, columns by index, both rows fail (one bad_date, one
/// bad_amount); the run must end with the "nothing usable" error, not a panic.
#[test]
fn fuzz_case_deferred_rows_only() {
    let opts =
        Options::from_json(r#"{"columns":{"customer":0,"date":1,"amount":2}}"#).expect("options");
    let r = summary_of(b"B,1/31/24,\nC,29/2/20", &opts);
    let e = r.expect_err("no row is usable");
    assert!(e.contains("no usable rows"), "{e}");
}
