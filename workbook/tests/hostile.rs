//! Hostile workbooks (`tests/common/hostile.rs`, made by hand): each is refused with its code,
//! quickly and before the reader spends the memory it asks for; well-formed hand-made workbooks of
//! the same kinds still read. The memory each would take without the pre-scan, and takes with it, is
//! measured in `docs/input.md#workbook-limits-and-memory`.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::hostile;
use std::time::{Duration, Instant};
use tierwise_workbook::{convert, Error, Limits};

/// The code of the refusal's detail: the `what` of `workbook_too_large`, else the error's own.
fn code(e: &Error) -> &'static str {
    match e {
        Error::TooLarge(l) => l.coded().code,
        e => e.coded().code,
    }
}

#[test]
fn every_hostile_workbook_is_refused_quickly_with_its_code() {
    for (name, bytes, want) in hostile::all() {
        let t = Instant::now();
        let e = convert(&bytes, None, &Limits::default()).unwrap_err();
        assert_eq!(code(&e), want, "{name}: {e}");
        // a debug build, on a shared machine: generous, yet far below what reading them would take
        assert!(
            t.elapsed() < Duration::from_secs(60),
            "{name}: {:?}",
            t.elapsed()
        );
        // one line, and short
        let text = e.to_string();
        assert!(!text.contains('\n') && text.len() < 400, "{name}: {text}");
    }
}

#[test]
fn hand_made_workbooks_of_the_same_kinds_still_read() {
    // worked out from the cells: header, then A, 2024-01-05 (text in the .xls), 12.5
    let want = "customer_id,order_date,amount\nA,2024-01-05,12.5\n";
    for bytes in [hostile::ods_orders(), hostile::xls_orders()] {
        let c = convert(&bytes, None, &Limits::default()).unwrap();
        assert_eq!(String::from_utf8(c.csv).unwrap(), want);
    }
}

#[test]
fn the_bounds_count_every_sheet_of_an_ods_or_xls() {
    // 64 sheets of 1,024 × 1,024: one sheet alone is 2²⁰ cells as values plus as many read from its
    // single row of 1,024 cells (the row is repeated in the grid only): 1,049,600
    let bytes = hostile::ods_many_sheets();
    let at = |max_cells| Limits {
        max_cells,
        ..Limits::default()
    };
    let per_sheet = 1024 * 1024 + 1024;
    assert!(convert(&bytes, None, &at(64 * per_sheet)).is_ok());
    let e = convert(&bytes, None, &at(64 * per_sheet - 1)).unwrap_err();
    assert_eq!(code(&e), "limit_workbook_cells");
    // three .xls sheets with cells at A1 and J100: each is 2 cell records and a grid of 100 × 10
    let corners = [hostile::number(0, 0, 1.0), hostile::number(99, 9, 2.0)].concat();
    let sheets = [
        ("A", corners.clone()),
        ("B", corners.clone()),
        ("C", corners),
    ];
    let bytes = hostile::xls(&[], &sheets);
    let per_sheet = 2 + 100 * 10;
    let c = convert(&bytes, None, &at(3 * per_sheet)).unwrap();
    assert_eq!(c.csv.len(), 1 + 98 + 9 + 1 + 1 + 10);
    let e = convert(&bytes, None, &at(3 * per_sheet - 1)).unwrap_err();
    assert_eq!(code(&e), "limit_workbook_cells");
}

#[test]
fn too_many_sheets_are_refused_by_count() {
    let tables: String = (0..30)
        .map(|i| {
            hostile::table(
                &format!("S{i}"),
                "<table:table-row><table:table-cell office:value-type=\"float\" office:value=\"1\"/></table:table-row>",
            )
        })
        .collect();
    let bytes = hostile::ods(&tables);
    let limits = Limits {
        max_sheets: 29,
        ..Limits::default()
    };
    assert_eq!(
        code(&convert(&bytes, None, &limits).unwrap_err()),
        "limit_sheets"
    );
    let limits = Limits {
        max_sheets: 30,
        ..Limits::default()
    };
    assert!(convert(&bytes, None, &limits).is_ok());
}

#[test]
fn a_zip_of_too_many_entries_is_refused_before_its_directory_is_read() {
    // the .ods has three entries (mimetype, manifest, content.xml)
    let bytes = hostile::ods_orders();
    let at = |max_parts| Limits {
        max_parts,
        ..Limits::default()
    };
    assert!(convert(&bytes, None, &at(3)).is_ok());
    assert_eq!(
        code(&convert(&bytes, None, &at(2)).unwrap_err()),
        "limit_parts"
    );
}
