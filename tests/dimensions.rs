//! Dimension columns and the row filter (`docs/input.md#dimensions`, `docs/input.md#filter`,
//! `docs/outputs.md#dimensions`): hand-made files whose expected values are worked out by hand in
//! the comments, plus the bounds, the error messages and the CLI.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::{json, Value};
use std::process::Command;
use tierwise::{analyze, Analysis, Options};

fn opts(json: &str) -> Options {
    Options::from_json(json).unwrap()
}

fn run(csv: &str, json: &str) -> Analysis {
    analyze(csv.as_bytes(), &opts(json)).unwrap()
}

fn err(csv: &str, json: &str) -> String {
    match Options::from_json(json) {
        Err(e) => e.to_string(),
        Ok(o) => analyze(csv.as_bytes(), &o).unwrap_err().to_string(),
    }
}

fn summary(a: &Analysis) -> Value {
    serde_json::to_value(&a.summary).unwrap()
}

/// customer id → value of dimension `d`.
fn values(a: &Analysis, d: usize) -> Vec<(String, String)> {
    (0..a.rows.len())
        .map(|i| {
            (
                a.customer_id(i).into_owned(),
                a.dimension_value(d, i).into_owned(),
            )
        })
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// The CSV without its BOM, as lines.
fn csv_lines(a: &Analysis) -> Vec<String> {
    let text = String::from_utf8(a.to_csv()).unwrap();
    text.trim_start_matches('\u{feff}')
        .lines()
        .map(str::to_string)
        .collect()
}

const SHOP: &str = "order_id,customer_id,order_date,amount,country,channel
1,A,2024-01-01,100,DE,web
2,A,2024-01-05,50,AT,store
3,A,2024-01-09,20,DE,web
C4,A,2024-01-10,-30,AT,web
C5,A,2024-01-10,-1,AT,web
6,B,2024-01-02,10,AT,web
7,B,2024-01-08,10,DE,store
8,C,2024-01-03,5,,web
9,D,2024-01-04,7,CH,
10,D,2024-01-04,8,AT,
11,E,2024-01-06,4,FR,web
11,E,2024-01-06,4,FR,web
12,E,2024-01-07,9,NL,web
";

#[test]
fn the_value_on_most_order_rows_ties_by_latest_date_then_code_point_order() {
    let a = run(SHOP, r#"{"columns":{"dimensions":["country","channel"]}}"#);
    assert_eq!(a.dimension_keys(), vec!["dim:country", "dim:channel"]);
    // A: DE on orders 1 and 3, AT on order 2 only (the returns C4, C5 do not count) → DE.
    // B: AT on 01-02, DE on 01-08, one row each → the latest, DE.
    // C: only an empty value → empty.
    // D: CH and AT on the same day, one row each → AT (first in code-point order).
    // E: FR on two lines of order 11 (merged into one event: still two rows), NL once, later → FR.
    assert_eq!(
        values(&a, 0),
        pairs(&[
            ("A", "DE"),
            ("B", "DE"),
            ("C", ""),
            ("D", "AT"),
            ("E", "FR")
        ])
    );
    // channel: A web ×2 (orders 1, 3), store ×1 → web; B web 01-02, store 01-08 → store;
    // C web; D has none → empty; E web.
    assert_eq!(
        values(&a, 1),
        pairs(&[
            ("A", "web"),
            ("B", "store"),
            ("C", "web"),
            ("D", ""),
            ("E", "web")
        ])
    );
}

#[test]
fn rows_after_the_analysis_date_do_not_count() {
    // as of 2024-01-05, A has order 1 (DE, 01-01) and order 2 (AT, 01-05): one each → AT, later
    let a = run(
        SHOP,
        r#"{"analysisDate":"2024-01-05","columns":{"dimensions":["country"]}}"#,
    );
    assert_eq!(values(&a, 0)[0], ("A".to_string(), "AT".to_string()));
    // B as of 01-05 has only its AT order
    assert_eq!(values(&a, 0)[1], ("B".to_string(), "AT".to_string()));
}

#[test]
fn a_column_by_index_and_repeats_counted_once() {
    let a = run(
        SHOP,
        r#"{"columns":{"dimensions":[4, "Country", "country"]}}"#,
    );
    assert_eq!(a.dimension_keys(), vec!["dim:country"]);
    let s = summary(&a);
    assert_eq!(s["input"]["columns"]["dimensions"], json!(["country"]));
}

#[test]
fn the_summary_breaks_segments_and_grades_down_by_value() {
    let a = run(SHOP, r#"{"columns":{"dimensions":["country"]}}"#);
    let s = summary(&a);
    let d = &s["dimensions"][0];
    assert_eq!(d["column"], "country");
    assert_eq!(d["index"], 4);
    // customers per value: DE {A, B} 2; AT {D}, FR {E}, "" {C}: 1 each, ties in code-point
    // order ("" < "AT" < "FR")
    let listed: Vec<(String, u64)> = d["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["value"].as_str().unwrap().to_string(),
                v["customers"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        vec![
            ("DE".to_string(), 2),
            ("".to_string(), 1),
            ("AT".to_string(), 1),
            ("FR".to_string(), 1)
        ]
    );
    // revenue: A 100 + 50 + 20 − 30 − 1 = 139, B 20 → DE 159; D 15; E 4 + 4 + 9 = 17; C 5
    assert_eq!(d["values"][0]["revenue"], 159.0);
    assert_eq!(d["values"][2]["revenue"], 15.0);
    assert_eq!(d["values"][3]["revenue"], 17.0);
    assert_eq!(
        d["omitted"],
        json!({"values": 0, "customers": 0, "revenue": 0.0})
    );
    // each value's segment and grade counts are those of its customers' own columns
    for v in d["values"].as_array().unwrap() {
        let value = v["value"].as_str().unwrap();
        for (group, name, col) in [
            ("segments", "rfm11", tierwise::report::Column::SegmentRfm11),
            ("segments", "cn8", tierwise::report::Column::SegmentCn8),
            ("grades", "abc", tierwise::report::Column::GradeAbc),
            ("grades", "ladder", tierwise::report::Column::GradeLadder),
        ] {
            let mut want = serde_json::Map::new();
            for i in 0..a.rows.len() {
                if a.dimension_value(0, i) == value {
                    let label = a.field(i, col);
                    let n = want.get(&label).and_then(Value::as_u64).unwrap_or(0);
                    want.insert(label, json!(n + 1));
                }
            }
            assert_eq!(v[group][name], Value::Object(want), "{value} {name}");
        }
    }
}

#[test]
fn at_most_50_values_the_rest_summed() {
    // 60 customers, each in a country of their own (K00 … K59), plus a second customer in K59:
    // K59 first (2 customers), then K00 … K48; K49 … K58 omitted (10 values, 10 customers)
    let mut csv = String::from("customer_id,order_date,amount,country\n");
    for k in 0..60 {
        csv += &format!("c{k:02},2024-01-01,{},K{k:02}\n", k + 1);
    }
    csv += "z,2024-01-02,1000,K59\n";
    let a = run(&csv, r#"{"columns":{"dimensions":["country"]}}"#);
    let d = &summary(&a)["dimensions"][0];
    let vals = d["values"].as_array().unwrap();
    assert_eq!(vals.len(), 50);
    assert_eq!(vals[0]["value"], "K59");
    assert_eq!(vals[0]["customers"], 2);
    assert_eq!(vals[1]["value"], "K00");
    assert_eq!(vals[49]["value"], "K48");
    // omitted: K49 … K58, spending 50 … 59 → 545
    assert_eq!(
        d["omitted"],
        json!({"values": 10, "customers": 10, "revenue": 545.0})
    );
}

#[test]
fn without_an_amount_revenue_is_null_and_grades_absent() {
    let csv = "customer_id,order_date,store\nA,2024-01-01,S1\nB,2024-01-02,S1\nA,2024-01-03,S2\n";
    let a = run(csv, r#"{"columns":{"dimensions":["store"]}}"#);
    let d = &summary(&a)["dimensions"][0];
    // A: S1 01-01, S2 01-03 → S2; B: S1
    assert_eq!(d["values"][0]["value"], "S1");
    assert_eq!(d["values"][0]["revenue"], Value::Null);
    assert_eq!(d["values"][0]["grades"], json!({}));
    assert_eq!(d["omitted"]["revenue"], Value::Null);
}

#[test]
fn the_csv_gains_one_column_per_dimension_after_action() {
    let plain = csv_lines(&run(SHOP, "{}"));
    let with = csv_lines(&run(
        SHOP,
        r#"{"columns":{"dimensions":["country","channel"]}}"#,
    ));
    assert!(plain[0].ends_with(",action"), "{}", plain[0]);
    assert_eq!(with[0], format!("{},dim:country,dim:channel", plain[0]));
    for (p, w) in plain.iter().zip(&with).skip(1) {
        assert!(w.starts_with(p.as_str()), "{w}");
    }
    assert!(with[1].ends_with(",DE,web"), "{}", with[1]);
    assert!(with[4].ends_with(",AT,"), "{}", with[4]);
}

#[test]
fn dimension_cells_never_start_a_formula() {
    let csv = "customer_id,order_date,amount,note\nA,2024-01-01,5,=1+2\nB,2024-01-01,5,@SUM(1)\n";
    let a = run(csv, r#"{"columns":{"dimensions":["note"]}}"#);
    let lines = csv_lines(&a);
    assert!(lines[1].ends_with(",'=1+2"), "{}", lines[1]);
    assert!(lines[2].ends_with(",'@SUM(1)"), "{}", lines[2]);
    // the value itself is unchanged elsewhere
    assert_eq!(a.dimension_value(0, 0), "=1+2");
}

#[test]
fn two_columns_of_the_same_name_get_distinct_keys() {
    let csv = "customer_id,order_date,region,region\nA,2024-01-01,N,X\n";
    let a = run(csv, r#"{"columns":{"dimensions":[2, 3]}}"#);
    assert_eq!(
        a.dimension_keys(),
        vec!["dim:region", "dim:region (column 3)"]
    );
}

#[test]
fn without_a_header_dimensions_are_named_by_position() {
    let csv = "A,2024-01-01,5,north\nB,2024-01-02,6,south\n";
    let a = run(
        csv,
        r#"{"headerRow":"none","columns":{"customer":0,"date":1,"amount":2,"dimensions":[3]}}"#,
    );
    assert_eq!(a.dimension_keys(), vec!["dim:column 3"]);
    assert_eq!(values(&a, 0), pairs(&[("A", "north"), ("B", "south")]));
    let s = summary(&a);
    assert_eq!(s["input"]["columns"]["dimensions"], json!([3]));
}

#[test]
fn the_filter_keeps_only_matching_rows_and_counts_the_others() {
    // country DE or AT (values trimmed): rows 1, 2, 3, C4, C5, 6, 7, 10 kept;
    // 8 (empty), 9 (CH), 11, 11 (FR), 12 (NL) filtered out → 5 rows
    let a = run(SHOP, r#"{"filter":{"country":["DE"," AT "]}}"#);
    let s = summary(&a);
    assert_eq!(s["input"]["rows"], 13);
    assert_eq!(s["input"]["excluded"]["filteredOut"], 5);
    assert_eq!(s["input"]["used"], 8);
    // customers A, B, D; C and E have no row left
    assert_eq!(s["customers"], 3);
    assert_eq!(
        (0..3)
            .map(|i| a.customer_id(i).into_owned())
            .collect::<Vec<_>>(),
        vec!["A", "B", "D"]
    );
    // D keeps only order 10: monetary 8
    assert_eq!(a.monetary(2), Some(8_000_000));
}

#[test]
fn the_filter_gives_the_analysis_of_the_kept_rows_alone() {
    // every figure is of the filtered data: the same as analysing a file of the kept rows only
    let filtered = run(SHOP, r#"{"filter":{"channel":["web"]}}"#);
    let kept: String = SHOP
        .lines()
        .enumerate()
        .filter(|(i, l)| *i == 0 || l.ends_with(",web"))
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    let alone = run(&kept, "{}");
    assert_eq!(filtered.to_csv(), alone.to_csv());
    let (a, b) = (summary(&filtered), summary(&alone));
    for key in [
        "customers",
        "cutPoints",
        "segments",
        "grades",
        "kpis",
        "pareto",
    ] {
        assert_eq!(a[key], b[key], "{key}");
    }
    // 13 rows, 9 of them web
    assert_eq!(a["input"]["excluded"]["filteredOut"], 4);
}

#[test]
fn filters_on_several_columns_combine_with_and() {
    // country DE and channel web: rows 1 and 3 (A) only
    let a = run(SHOP, r#"{"filter":{"country":["DE"],"channel":["web"]}}"#);
    let s = summary(&a);
    assert_eq!(s["customers"], 1);
    assert_eq!(s["input"]["used"], 2);
    assert_eq!(s["input"]["excluded"]["filteredOut"], 11);
    assert_eq!(a.monetary(0), Some(120_000_000));
}

#[test]
fn a_filter_key_of_digits_is_an_index_unless_a_header_has_that_name() {
    // column 5 is channel
    let a = run(SHOP, r#"{"filter":{"5":["store"]}}"#);
    assert_eq!(summary(&a)["input"]["used"], 2);
    // a header named "5" wins over position 5
    let csv = "customer_id,order_date,5,x\nA,2024-01-01,keep,drop\nB,2024-01-01,drop,keep\n";
    let a = run(csv, r#"{"filter":{"5":["keep"]}}"#);
    assert_eq!(a.customer_id(0), "A");
    assert_eq!(a.rows.len(), 1);
}

#[test]
fn the_filter_and_dimensions_together() {
    let a = run(
        SHOP,
        r#"{"filter":{"channel":["web"]},"columns":{"dimensions":["country"]}}"#,
    );
    // web rows only: A DE ×2 (1, 3) → DE; B AT (6) → AT; C empty; E FR ×2, NL → FR
    assert_eq!(
        values(&a, 0),
        pairs(&[("A", "DE"), ("B", "AT"), ("C", ""), ("E", "FR")])
    );
}

#[test]
fn a_filter_that_keeps_nothing_says_so() {
    let e = err(SHOP, r#"{"filter":{"country":["XX"]}}"#);
    assert_eq!(e, "no usable rows: options.filter kept none of the 13 rows");
}

#[test]
fn unknown_columns_are_named() {
    let e = err(SHOP, r#"{"columns":{"dimensions":["Land"]}}"#);
    assert!(
        e.starts_with("options.columns.dimensions: column \"Land\" not found; the header has: order_id, customer_id"),
        "{e}"
    );
    let e = err(SHOP, r#"{"filter":{"Land":["DE"]}}"#);
    assert!(
        e.starts_with("invalid option filter: column \"Land\" not found; the header has: order_id"),
        "{e}"
    );
    let e = err(SHOP, r#"{"filter":{"9":["DE"]}}"#);
    assert_eq!(
        e,
        "invalid option filter: column index 9 is out of range: the file has 6 columns (0 to 5)"
    );
    let e = err(SHOP, r#"{"columns":{"dimensions":[6]}}"#);
    assert!(e.contains("column index 6 is out of range"), "{e}");
}

#[test]
fn the_bounds_are_checked_with_clear_messages() {
    let nine: Vec<usize> = (0..9).collect();
    let e = err(SHOP, &json!({"columns": {"dimensions": nine}}).to_string());
    assert_eq!(
        e,
        "invalid option columns.dimensions: at most 8 dimension columns, got 9"
    );
    let cols: serde_json::Map<String, Value> =
        (0..9).map(|k| (format!("c{k}"), json!(["x"]))).collect();
    let e = err(SHOP, &json!({ "filter": cols }).to_string());
    assert_eq!(e, "invalid option filter: at most 8 columns, got 9");
    let many: Vec<String> = (0..1001).map(|k| k.to_string()).collect();
    let e = err(SHOP, &json!({"filter": {"country": many}}).to_string());
    assert_eq!(
        e,
        "invalid option filter: column \"country\": at most 1000 values, got 1001"
    );
    let e = err(SHOP, r#"{"filter":{"country":[]}}"#);
    assert_eq!(
        e,
        "invalid option filter: column \"country\": give at least one value to keep"
    );
    let e = err(SHOP, r#"{"filter":{"country":"DE"}}"#);
    assert!(e.contains("filter.country"), "{e}");
    // exactly at the bounds: fine
    let thousand: Vec<String> = (0..1000).map(|k| format!("v{k}")).collect();
    let mut f = json!({"filter": {"country": thousand}});
    f["filter"]["country"][0] = json!("DE");
    assert!(Options::from_json(&f.to_string()).is_ok());
    let eight: Vec<usize> = (0..8).collect();
    assert!(Options::from_json(&json!({"columns": {"dimensions": eight}}).to_string()).is_ok());
}

#[test]
fn distinct_values_past_the_bound_count_as_empty_with_a_warning() {
    let max = tierwise::ingest::dims::MAX_DIMENSION_VALUES;
    // customer A buys with max + 1 distinct codes (one row each, on increasing days); the last
    // one is past the bound, so A's latest value v{max} cannot win; B's only value is also past it
    let mut csv = String::with_capacity(40 * (max + 4));
    csv += "customer_id,order_date,code\n";
    for k in 0..max {
        csv += &format!("A,2024-01-01,v{k:06}\n");
    }
    csv += "A,2024-01-02,w\nB,2024-01-02,z\n";
    let a = run(&csv, r#"{"columns":{"dimensions":["code"]}}"#);
    // A: max values with one row each on 01-01 → the first in code-point order
    assert_eq!(a.dimension_value(0, 0), "v000000");
    assert_eq!(a.dimension_value(0, 1), "");
    let s = summary(&a);
    let codes: Vec<&str> = s["warningCodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["code"].as_str())
        .collect();
    assert!(codes.contains(&"dimension_values_capped"), "{codes:?}");
}

#[test]
fn rows_dropped_by_the_month_day_decision_leave_the_values_in_step() {
    // 01/02 … are ambiguous; 13/02 fits day-first only, 02/14 month-first only; more day-first
    // rows win, so B's 02/14/2024 row is rejected (bad_date) and the events after it move up
    let csv = "customer_id,order_date,amount,shop\n\
        A,01/02/2024,5,s1\n\
        B,02/14/2024,5,s9\n\
        C,13/02/2024,5,s3\n\
        D,14/02/2024,5,s4\n\
        B,03/02/2024,5,s2\n";
    let a = run(csv, r#"{"columns":{"dimensions":["shop"]}}"#);
    let s = summary(&a);
    assert_eq!(s["input"]["rejected"]["bad_date"]["count"], 1);
    assert_eq!(
        values(&a, 0),
        pairs(&[("A", "s1"), ("B", "s2"), ("C", "s3"), ("D", "s4")])
    );
}

#[test]
fn streamed_in_small_chunks_gives_the_same_values() {
    let o = opts(
        r#"{"columns":{"dimensions":["country","channel"]},"filter":{"channel":["web","store"]}}"#,
    );
    let whole = analyze(SHOP.as_bytes(), &o).unwrap();
    for chunk in [1, 7, 64] {
        let mut an = tierwise::Analyzer::new(o.clone())
            .unwrap()
            .with_head_bytes(120);
        for c in SHOP.as_bytes().chunks(chunk) {
            an.push(c).unwrap();
        }
        let a = an.finish().unwrap();
        assert_eq!(a.to_csv(), whole.to_csv(), "chunk {chunk}");
        assert_eq!(summary(&a)["dimensions"], summary(&whole)["dimensions"]);
    }
}

#[test]
fn inspect_reports_a_mapped_dimension_as_mapped() {
    let i = tierwise::inspect(
        SHOP.as_bytes(),
        &opts(r#"{"columns":{"dimensions":["channel"]}}"#),
    )
    .unwrap();
    let v = serde_json::to_value(&i).unwrap();
    let channel = &v["columns"][5];
    assert_eq!(channel["role"], "dimension");
    assert_eq!(channel["mapped"], true);
    assert_eq!(v["mapping"]["dimensions"], json!(["channel"]));
    // without the option it is a suggestion at most
    let i = tierwise::inspect(SHOP.as_bytes(), &Options::default()).unwrap();
    let v = serde_json::to_value(&i).unwrap();
    assert_eq!(v["columns"][5]["mapped"], false);
}

#[test]
fn the_cli_writes_the_dimension_columns_and_the_filter_counts() {
    let dir = std::env::temp_dir().join(format!("tierwise-dims-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("shop.csv");
    std::fs::write(&file, SHOP).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tierwise"))
        .arg("analyze")
        .arg(&file)
        .arg("--options")
        .arg(r#"{"columns":{"dimensions":["country"]},"filter":{"channel":["web"]}}"#)
        .arg("--out")
        .arg(dir.join("c.csv"))
        .arg("--summary")
        .arg(dir.join("s.json"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = std::fs::read_to_string(dir.join("c.csv")).unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].ends_with(",action,dim:country"), "{}", lines[0]);
    // web rows: A DE, DE (and returns), B AT, C empty, E FR, FR, NL
    let last: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.rsplit(',').next().unwrap())
        .collect();
    assert_eq!(last, vec!["DE", "AT", "", "FR"]);
    let s: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("s.json")).unwrap()).unwrap();
    assert_eq!(s["input"]["excluded"]["filteredOut"], 4);
    assert_eq!(s["dimensions"][0]["column"], "country");
    assert_eq!(s["options"]["filter"], json!({"channel": ["web"]}));
    // a wrong filter: exit code 1 with the message
    let out = Command::new(env!("CARGO_BIN_EXE_tierwise"))
        .arg("analyze")
        .arg(&file)
        .arg("--options")
        .arg(r#"{"filter":{"Land":["DE"]}}"#)
        .arg("--out")
        .arg(dir.join("c2.csv"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("invalid option filter: column \"Land\" not found"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
