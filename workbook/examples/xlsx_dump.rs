//! Prints every sheet of an `.xlsx` file as JSON, read by calamine (an independent reader of what
//! `write_xlsx` wrote): `{"sheets": [{"name", "formulas", "rows": [[cell, …], …]}]}` with each cell
//! `null`, `{"s": text}`, `{"n": number}`, `{"b": bool}`, `{"d": serial}` (a date cell: its serial day number, days since 1899-12-30) or
//! `{"e": error}`; `formulas` counts the sheet's formula cells. Used by the page test of the Excel
//! export (tests/e2e/review.test.mjs).
//!
//! `cargo run --release -p tierwise-workbook --example xlsx_dump -- FILE.xlsx`

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use std::io::Cursor;

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn cell(d: &Data) -> String {
    match d {
        Data::Empty => "null".into(),
        Data::String(s) => format!("{{\"s\":{}}}", json_string(s)),
        Data::Float(f) => format!("{{\"n\":{f}}}"),
        Data::Int(i) => format!("{{\"n\":{i}}}"),
        Data::Bool(b) => format!("{{\"b\":{b}}}"),
        // the Excel serial day number (days since 1899-12-30)
        Data::DateTime(x) => format!("{{\"d\":{}}}", x.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => format!("{{\"d\":{}}}", json_string(s)),
        Data::Error(e) => format!("{{\"e\":{}}}", json_string(&format!("{e:?}"))),
    }
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: xlsx_dump FILE.xlsx");
        std::process::exit(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("xlsx_dump: {path}: {e}");
            std::process::exit(1);
        }
    };
    let mut wb: Xlsx<_> = match open_workbook_from_rs(Cursor::new(bytes)) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("xlsx_dump: {path}: {e}");
            std::process::exit(1);
        }
    };
    let names = wb.sheet_names().to_vec();
    let mut sheets = Vec::new();
    for name in names {
        let formulas = wb
            .worksheet_formula(&name)
            .map(|r| r.used_cells().filter(|(_, _, f)| !f.is_empty()).count())
            .unwrap_or(0);
        let rows = match wb.worksheet_range(&name) {
            Ok(r) => {
                // the range starts at the first used cell: pad so row/column numbers are the sheet's
                let (r0, c0) = r.start().unwrap_or((0, 0));
                let pad: Vec<String> = (0..c0).map(|_| "null".to_string()).collect();
                let mut out: Vec<String> = (0..r0).map(|_| "[]".to_string()).collect();
                out.extend(r.rows().map(|row| {
                    let cells: Vec<String> =
                        pad.iter().cloned().chain(row.iter().map(cell)).collect();
                    format!("[{}]", cells.join(","))
                }));
                out
            }
            Err(e) => {
                eprintln!("xlsx_dump: sheet {name}: {e}");
                std::process::exit(1);
            }
        };
        sheets.push(format!(
            "{{\"name\":{},\"formulas\":{formulas},\"rows\":[{}]}}",
            json_string(&name),
            rows.join(",")
        ));
    }
    println!("{{\"sheets\":[{}]}}", sheets.join(","));
}
