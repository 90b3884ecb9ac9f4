//! `tierwise sql` on the command line (`docs/sql.md`): usage errors and the options the export
//! cannot write name the problem with exit code 2; a filter on a text column is applied by the
//! script. (That the scripts compute the core's labels is `tests/sql/verify.py`'s and
//! `tests/sql_postgres.test.mjs`'s job.)
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;
use std::process::{Command, Output};

const SHOP: &str = "tests/sql/shop.csv";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tierwise"))
        .current_dir(root())
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn usage_errors_name_the_setting() {
    let o = run(&["sql", SHOP]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--dialect"), "{}", stderr(&o));
    let o = run(&["sql", SHOP, "--dialect", "oracle"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("\"oracle\""), "{}", stderr(&o));
    let o = run(&["sql", SHOP, "--dialect", "duckdb", "--cuts", "median"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("\"median\""), "{}", stderr(&o));
    let o = run(&["analyze", SHOP, "--dialect", "duckdb"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("options of sql"), "{}", stderr(&o));
}

#[test]
fn a_filter_on_a_typed_column_is_refused_and_one_on_text_is_written() {
    // the amount and the date are typed in a warehouse: their text in the file cannot be compared
    for (column, value) in [("amount", "120"), ("order_date", "2024-01-05")] {
        let options = format!(r#"{{"filter": {{"{column}": ["{value}"]}}}}"#);
        let o = run(&["sql", SHOP, "--dialect", "duckdb", "--options", &options]);
        assert_eq!(o.status.code(), Some(2), "{column}");
        let e = stderr(&o);
        assert!(
            e.contains("cannot filter on \"") && e.contains(column),
            "{e}"
        );
        assert!(o.stdout.is_empty());
    }
    // a text column: its kept values in the script's WHERE, as the core trims them
    let o = run(&[
        "sql",
        SHOP,
        "--dialect",
        "postgres",
        "--options",
        r#"{"filter": {"Country": [" DE ", "AT"]}}"#,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let script = String::from_utf8(o.stdout).unwrap();
    // (the key matched the header `country` ignoring case: the script names the column as it is)
    assert!(
        script.contains(r#"COALESCE(TRIM(CAST("country" AS TEXT)), '') IN ('DE', 'AT')"#),
        "{script}"
    );
}

/// Grades need an amount (docs/grades.md): a usage log with absolute grades whose last minimum is
/// 0 has no grade, in the CSV as in the summary.
#[test]
fn absolute_grades_need_an_amount() {
    let o = run(&[
        "analyze",
        "tests/sql/usage.csv",
        "--options",
        r#"{"grades": {"absolute": [["Heavy", 100], ["Any", 0]]}, "model": {"enabled": false}}"#,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = String::from_utf8(o.stdout).unwrap();
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = header.iter().position(|h| *h == "grade_absolute").unwrap();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|r| r[at].is_empty()), "{csv}");
}
