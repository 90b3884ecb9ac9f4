//! Inputs found by the workbook fuzz target (`fuzz/fuzz_targets/workbook.rs`, see
//! `scripts/fuzz.sh`), kept in `tests/fuzz/` as the target reads them: a byte choosing a sheet,
//! then the workbook. Each goes through what the target does (open, the sheet list, the first and
//! the chosen sheet converted) and must give a sheet or a coded one-line error, never a panic.
#![cfg(not(target_arch = "wasm32"))]

use tierwise_workbook::{convert, open, Limits, SheetRef};

/// The fuzz target's steps, with the documented bounds; the CSVs made.
fn run(data: &[u8]) -> Vec<Result<Vec<u8>, String>> {
    let (&pick, bytes) = data.split_first().unwrap();
    let limits = Limits::default();
    if let Err(e) = open(bytes, &limits) {
        return vec![Err(e.to_string())];
    }
    [None, Some(SheetRef::Index(usize::from(pick)))]
        .iter()
        .map(|sheet| {
            convert(bytes, sheet.as_ref(), &limits)
                .map(|c| c.csv)
                .map_err(|e| e.to_string())
        })
        .collect()
}

fn one_line(results: &[Result<Vec<u8>, String>]) {
    for r in results {
        if let Err(e) = r {
            assert!(!e.contains('\n') && e.len() < 2000, "{e}");
        }
    }
}

/// Each file of `tests/fuzz/`, with what it found:
///
/// - `xlsx-cell-reference-of-many-letters.bin`: an `.xlsx` (`orders.xlsx`, mutated) whose cell
///   reference has more letters than a column number holds;
/// - `xlsx-dimension-end-before-start.bin`: an `.xlsx` whose `<dimension ref>` ends before it
///   starts.
///
///   Both overflowed calamine's arithmetic, a panic in a build with overflow checks; calamine is
///   now built without them in every profile, as in the shipped release builds (root
///   `Cargo.toml`), where the values wrap and the bounds act afterwards.
/// - `xlsx-part-name-of-many-lines.bin`: an `.xlsx` whose ZIP entry, named with line breaks and
///   a few hundred other bytes, declares 3,480 MiB: the `limit_part_bytes` message quoted the name
///   whole, over several lines. Names from the file are now cut to 200 characters on one line.
#[test]
fn every_fuzz_finding_converts_or_fails_with_one_line() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz");
    let mut n = 0;
    for f in std::fs::read_dir(dir).unwrap() {
        let path = f.unwrap().path();
        let results = run(&std::fs::read(&path).unwrap());
        one_line(&results);
        n += 1;
    }
    assert!(n >= 3);
}
