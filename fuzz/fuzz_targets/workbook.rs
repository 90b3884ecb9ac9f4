//! Fuzz target for workbooks (see scripts/fuzz.sh): the input is one byte choosing a sheet, then
//! the bytes of a workbook (`.xlsx`, `.xlsb`, `.xls`, `.ods`, or anything else).
//!
//! The workbook is opened and its sheet list read, then the first visible sheet and the chosen one
//! (a 0-based index) are converted to CSV and each CSV goes through `tierwise::analyze`.
//!
//! Asserts: no panic anywhere (calamine's included: the pre-scan of `workbook/src/prescan/` must
//! keep calamine from every input that would make it panic, hang or take more memory than the
//! bounds allow); every error message is one short line; the CSV is within the CSV bound. The
//! bounds are the documented ones scaled down 16 to 32 times (`LIMITS`), so that the fuzzer reaches
//! them with small inputs and every run stays fast and small; the code is the same at any scale.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tierwise_workbook::{Limits, SheetRef};

/// The documented bounds (`Limits::default()`), scaled down.
fn limits() -> Limits {
    Limits {
        max_file_bytes: 256 << 20,
        max_part_bytes: 16 << 20,
        max_cells: 1 << 20,
        max_csv_bytes: 16 << 20,
        max_sheets: 1000,
        max_unpacked_bytes: 128 << 20,
        max_parts: 10_000,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let limits = limits();
    let sheets = match tierwise_workbook::open(bytes, &limits) {
        Ok(wb) => wb.sheets().len(),
        Err(e) => {
            let text = e.to_string();
            assert!(text.len() < 2000 && !text.contains('\n'), "message: {text:?}");
            return;
        }
    };
    assert!(sheets > 0 && sheets as u64 <= limits.max_sheets);
    for sheet in [None, Some(SheetRef::Index(usize::from(pick)))] {
        match tierwise_workbook::convert(bytes, sheet.as_ref(), &limits) {
            Ok(c) => {
                assert!(c.csv.len() as u64 <= limits.max_csv_bytes, "CSV of {} bytes", c.csv.len());
                assert!(c.index < c.sheets.len());
                let _ = tierwise::analyze(&c.csv, &tierwise::Options::default());
            }
            Err(e) => {
                let text = e.to_string();
                assert!(text.len() < 2000 && !text.contains('\n'), "message: {text:?}");
            }
        }
    }
});
