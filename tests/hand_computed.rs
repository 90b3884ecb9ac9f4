//! Hand-computed reference tests for tierwise (black-box, through the CLI).
//!
//! Every expected value below was derived by hand from `docs/`; the working is written
//! out in the comments next to each test.  The implementation in `src/` was NOT consulted.  If a test
//! fails, re-derive the value from the rules (docs/) before touching the expectation.
//!
//! CLI contract used (`docs/outputs.md`):
//!   tierwise analyze FILE [--config options.json] --out customers.csv --summary summary.json
//! exit code 0 on success, 2 with a one-line message on stderr for a fatal input error.
//!
//! ===========================================================================================
//! Fixture `tests/fixtures/small/basic.csv`  (header `order_id,customer_id,order_date,amount`)
//! ===========================================================================================
//! 39 data rows, 12 customers U1 … U12.  Spreadsheet rows (header = row 1):
//!
//!   row  order   cust  date        amount      row  order   cust  date        amount
//!    2   10001   U5    2023-03-01  150.00      22   10020   U8    2024-05-10  120.00
//!    3   10002   U5    2023-04-01  150.00      23   10021   U12   2024-06-01   20.40
//!    4   10003   U10   2023-04-20  100.00      24   10022   U3    2024-06-20  450.00
//!    5   10004   U1    2023-05-10  500.10      25   10023   U6    2024-10-04   80.50
//!    6   10005   U9    2023-06-15   30.00      26   10024   U6    2024-10-09  119.50
//!    7   10006   U3    2023-08-01  400.00      27   10025   U6    2024-10-19  100.00
//!    8   10007   U12   2023-10-01   45.30      28   10026   U1    2024-10-20  800.00
//!    9   10008   U1    2023-11-20  600.20      29   10027   U6    2024-10-26  100.00
//!   10   10009   U7    2023-12-01   60.00      30   10028   U12   2024-10-26   34.30
//!   11   10010   U7    2024-01-01   60.00      31   10029   U11   2024-11-01   10.10
//!   12   10011   U9    2024-01-10   40.00      32   10030   U2    2024-11-05  333.20
//!   13   10012   U3    2024-01-15  500.00      33   10031   U11   2024-11-16   20.20
//!   14   10013   U7    2024-01-20   60.00      34   10032   U5    2024-11-20  200.00
//!   15   10014   U2    2024-02-10 1000.10      35   10033   U3    2024-11-28  550.00
//!   16   10015   U7    2024-02-10   60.00      36   10034   U11   2024-12-01   19.70
//!   17   10016   U1    2024-02-14  399.70      37   C10035  U3    2024-12-05 -120.00  <- return
//!   18   10017   U7    2024-03-10   60.00      38   10036   U2    2024-12-20  666.70
//!   19   10018   U1    2024-05-01  450.25      39   10037   U1    2024-12-31  500.00
//!   20   10018   U1    2024-05-01  249.75      40   10038   U4    2024-12-31  100.00
//!   21   10019   U8    2024-05-10   80.00
//!
//! Design notes: order 10018 has two lines (counts once in `orders`); U8 has two orders on the same day
//! (one purchase day); C10035 is a cancellation (C + digits) with a negative amount; the U12 amounts
//! 45.30 + 20.40 + 34.30 sum to 99.99999999999999 in naive f64 but to exactly 100 in decimals, and
//! 100 is exactly a cut point (see M) — the rules demand exact money.
//!
//! Analysis date (default) = latest date among valid rows = 2024-12-31 (rows 39, 40).
//! Windows (`docs/README.md`, churn.windowDays = 90): recent = ages 0…89 = 2024-10-03 … 2024-12-31,
//! previous = ages 90…179 = 2024-07-05 … 2024-10-02.  NO order of any customer falls in the previous
//! window, so the `declining` flag can never fire (previous window must be > 0).  No top-grade
//! customer (A, VIP, Gold = U1, U2, U3) has recency ≥ 180, so `high_value_lapsed` never fires.
//! Hence the only flags are `inactive` and `overdue`, which the first version computes.
//!
//! ---- Per-customer facts (returns policy `net`, frequency `orders`) -------------------------------
//! Day counts (2024 is a leap year; day-of-year of 2024-12-31 = 366):
//!   U1  orders 2023-05-10, 2023-11-20, 2024-02-14, 2024-05-01 (10018, 2 lines), 2024-10-20, 2024-12-31
//!       freq = 6 distinct order ids; monetary = 500.10+600.20+399.70+450.25+249.75+800+500 = 3500
//!       recency 0; tenure 2023-05-10→2024-12-31 = 601
//!       gaps 194, 86, 77, 172, 72 → sorted 72,77,86,172,194 → median 86
//!   U2  2024-02-10, 2024-11-05, 2024-12-20; freq 3; 1000.10+333.20+666.70 = 2000
//!       recency 366−355 = 11; tenure = 325 (Feb10→Mar10 29, →Dec10 +275 = 304, +21 = 325)
//!       gaps 269, 45 → median 157; gap before last = 45
//!   U3  2023-08-01, 2024-01-15, 2024-06-20, 2024-11-28 (+ return C10035 on 2024-12-05)
//!       freq 4 (the return is not an order); monetary 400+500+450+550 − |−120| = 1780
//!       last date = 2024-11-28 (returns do not move dates) → recency 366−333 = 33; tenure 518
//!       gaps 167, 157, 161 → median 161; gap before last = 161 (≤ 180, not reactivated)
//!   U4  2024-12-31 only; freq 1; 100; recency 0; tenure 0
//!   U5  2023-03-01, 2023-04-01, 2024-11-20; freq 3; 150+150+200 = 500
//!       recency 366−325 = 41; gaps 31, 599 (366 + 214 + 19) → median (31+599)/2 = 315
//!       gap before last = 599 > 180 and recency 41 < 90 → reactivated
//!   U6  2024-10-04, 2024-10-09, 2024-10-19, 2024-10-26; freq 4; 80.50+119.50+100+100 = 400
//!       recency 366−300 = 66; tenure 88; gaps 5,10,7 → median 7 → 66 > 2×7 = 14 → overdue
//!   U7  2023-12-01, 2024-01-01, 2024-01-20, 2024-02-10, 2024-03-10; freq 5; 5×60 = 300
//!       recency 366−70 = 296; gaps 31,19,21,29 → sorted 19,21,29,31 → median (21+29)/2 = 25
//!       → 296 > 50 overdue; 296 ≥ 90 inactive
//!   U8  two orders (10019, 10020) both 2024-05-10; freq 2; 80+120 = 200; recency 366−131 = 235
//!       one purchase day
//!   U9  2023-06-15, 2024-01-10; freq 2; 30+40 = 70; recency 366−10 = 356
//!   U10 2023-04-20 only; freq 1; 100; recency 366 (to 2024-04-20) + 255 = 621
//!   U11 2024-11-01, 2024-11-16, 2024-12-01; freq 3; 10.10+20.20+19.70 = 50
//!       recency 30; tenure 60; gaps 15, 15 → median 15 → 30 > 2×15 is FALSE (strict) → not overdue
//!   U12 2023-10-01, 2024-06-01, 2024-10-26; freq 3; 45.30+20.40+34.30 = 100 (exactly)
//!       recency 66; tenure 457; gaps 244, 147 → median 195.5; gap before last 147
//!
//! ---- Sorted values (n = 12, k = 5) ------------------------------------------------------------
//!   index     0  1  2   3   4   5   6   7   8    9    10   11
//!   R        0  0  11  30  33  41  66  66  235  296  356  621
//!   F        1  1  2   2   3   3   3   3   4    4    5    6
//!   M        50 70 100 100 100 200 300 400 500  1780 2000 3500
//! Type-7 cut points at p = i/5: h = (n−1)·i/5 = 11i/5 (0-based), c = x[⌊h⌋] + (h−⌊h⌋)(x[⌊h⌋+1]−x[⌊h⌋])
//!   i=1 h=2.2   R: 11 + 0.2×(30−11) = 14.8    F: 2 + 0.2×0 = 2     M: 100 + 0.2×0 = 100
//!   i=2 h=4.4   R: 33 + 0.4×(41−33) = 36.2    F: 3 + 0.4×0 = 3     M: 100 + 0.4×100 = 140
//!   i=3 h=6.6   R: 66 + 0.6×0       = 66      F: 3 + 0.6×0 = 3     M: 300 + 0.6×100 = 360
//!   i=4 h=8.8   R: 235 + 0.8×61     = 283.8   F: 4 + 0.8×0 = 4     M: 500 + 0.8×1280 = 1524
//! Scores: F, M = 1 + #{c < v};  R = 5 − #{c < recency}.
//!   R: 0,0,11 → 5; 30,33 → 4; 41 → 3; 66 (= c3, not <) → 3; 235 → 2; 296,356,621 → 1
//!   F: 1,2 → 1 (2 = c1); 3 → 2 (3 = c2 = c3); 4 → 4 (4 = c4); 5,6 → 5
//!   M: 50,70,100 → 1 (100 = c1); 200,300 → 3; 400,500 → 4; 1780,2000,3500 → 5
//!   counts R [3,1,3,2,3]  F [4,4,0,2,2]  M [5,0,2,2,3]
//!
//! ---- Final per-customer table (hand-computed) -------------------------------------------------
//!   id   R F M code  FM=(F+M)/2↑  rfm11 cell                 cn8 (mean)            abc ladder  flags             stage
//!   U1   5 5 5 555   5            R5/FM5 Champions           ↑↑↑ Important Value    A   VIP     -                 mature
//!   U10  1 1 1 111   1            R1/FM1 Lost                ↓↓↓ General Win-back   C   Bronze  inactive          one_time
//!   U11  4 2 1 421   1.5→2        R4/FM2 Potential Loyalist  ↑↓↓ General Develop.   C   Regular -                 active
//!   U12  3 2 1 321   1.5→2        R3/FM2 Need Attention      ↑↓↓ General Develop.   C   Regular -                 mature
//!   U2   5 2 5 525   3.5→4        R5/FM4 Champions           ↑↓↑ Important Develop. A   Gold    -                 active
//!   U3   4 4 5 445   4.5→5        R4/FM5 Champions           ↑↑↑ Important Value    A   Silver  -                 mature
//!   U4   5 1 1 511   1            R5/FM1 New Customers       ↑↓↓ General Develop.   C   Regular -                 new
//!   U5   3 2 4 324   3            R3/FM3 Potential Loyalist  ↑↓↓ General Develop.   B   Silver  -                 reactivated
//!   U6   3 4 4 344   4            R3/FM4 Loyal Customers     ↑↑↓ General Value      B   Silver  overdue           at_risk
//!   U7   1 5 3 153   4            R1/FM4 Can't Lose Them     ↓↑↓ General Retention  B   Bronze  inactive|overdue  lapsed
//!   U8   2 1 3 213   2            R2/FM2 Need Attention      ↓↓↓ General Win-back   B   Bronze  inactive          one_time
//!   U9   1 1 1 111   1            R1/FM1 Lost                ↓↓↓ General Win-back   C   Regular inactive          lapsed

use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

// ---------------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------------

const HEADER: &str = "customer_id,first_date,last_date,recency_days,frequency,monetary,aov,r_score,f_score,m_score,rfm_code,segment_cn8,segment_rfm11,segment_custom,grade_abc,grade_ladder,grade_absolute,activity,lifecycle,churn_flags,risk,p_alive,expected_purchases,predicted_clv,action";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/small")
        .join(name)
}

struct TempDir(PathBuf);
impl TempDir {
    fn new(test: &str) -> TempDir {
        // unique per call: tests run in parallel threads of one process and may share a name
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let p =
            std::env::temp_dir().join(format!("tierwise-hc-{}-{}-{}", test, std::process::id(), n));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("create temp dir");
        TempDir(p)
    }
}
impl Drop for TempDir {
    fn drop(&mut self) {
        if std::env::var_os("TIERWISE_KEEP_TMP").is_none() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

struct Run {
    code: Option<i32>,
    stderr: String,
    raw_csv: String,
    header: Vec<String>,
    /// customer rows in file order, each as column → value
    rows: Vec<HashMap<String, String>>,
    summary: Value,
}

impl Run {
    fn ids(&self) -> Vec<String> {
        self.rows.iter().map(|r| r["customer_id"].clone()).collect()
    }
    fn row(&self, id: &str) -> &HashMap<String, String> {
        self.rows
            .iter()
            .find(|r| r["customer_id"] == id)
            .unwrap_or_else(|| panic!("customer {id} missing from output; ids = {:?}", self.ids()))
    }
    fn field(&self, id: &str, col: &str) -> String {
        self.row(id)
            .get(col)
            .unwrap_or_else(|| panic!("column {col} missing from output header {:?}", self.header))
            .clone()
    }
    fn s(&self, path: &[&str]) -> &Value {
        let mut v = &self.summary;
        for k in path {
            v = v
                .get(*k)
                .unwrap_or_else(|| panic!("summary has no key {:?} (path {:?})", k, path));
        }
        v
    }
    fn rejected(&self, reason: &str) -> u64 {
        match self.summary["input"]["rejected"].get(reason) {
            None | Some(Value::Null) => 0,
            Some(v) => v["count"]
                .as_u64()
                .unwrap_or_else(|| panic!("rejected.{reason}.count not an integer: {v}")),
        }
    }
    fn examples(&self, reason: &str) -> Vec<Value> {
        self.summary["input"]["rejected"][reason]["examples"]
            .as_array()
            .unwrap_or_else(|| {
                panic!(
                    "no examples array for rejection reason {reason}: {}",
                    self.summary["input"]["rejected"]
                )
            })
            .clone()
    }
}

fn run_cli(test: &str, file: &Path, config: Option<&str>) -> Run {
    let dir = TempDir::new(test);
    let out = dir.0.join("customers.csv");
    let summary = dir.0.join("summary.json");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tierwise"));
    cmd.arg("analyze").arg(file);
    if let Some(cfg) = config {
        let cfg_path = dir.0.join("options.json");
        std::fs::write(&cfg_path, cfg).unwrap();
        cmd.arg("--config").arg(&cfg_path);
    }
    cmd.arg("--out").arg(&out).arg("--summary").arg(&summary);
    let output = cmd.output().expect("failed to start tierwise binary");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let code = output.status.code();
    let raw_csv = if code == Some(0) {
        std::fs::read_to_string(&out)
            .unwrap_or_else(|e| panic!("cannot read {out:?}: {e}; stderr: {stderr}"))
    } else {
        String::new()
    };
    let summary = if code == Some(0) {
        let txt = std::fs::read_to_string(&summary)
            .unwrap_or_else(|e| panic!("cannot read summary: {e}"));
        serde_json::from_str(&txt).unwrap_or_else(|e| panic!("summary is not JSON: {e}"))
    } else {
        Value::Null
    };
    let (header, rows) = if raw_csv.is_empty() {
        (vec![], vec![])
    } else {
        let body = raw_csv.strip_prefix('\u{feff}').unwrap_or(&raw_csv);
        let mut recs = parse_csv(body).into_iter();
        let header = recs.next().expect("output CSV has no header");
        let rows = recs
            .filter(|r| !(r.len() == 1 && r[0].is_empty()))
            .map(|r| {
                assert_eq!(
                    r.len(),
                    header.len(),
                    "output row has {} fields, header {}: {:?}",
                    r.len(),
                    header.len(),
                    r
                );
                header.iter().cloned().zip(r).collect::<HashMap<_, _>>()
            })
            .collect();
        (header, rows)
    };
    Run {
        code,
        stderr,
        raw_csv,
        header,
        rows,
        summary,
    }
}

fn run_ok(test: &str, file: &str, config: Option<&str>) -> Run {
    let r = run_cli(test, &fixture(file), config);
    assert_eq!(
        r.code,
        Some(0),
        "tierwise failed on {file} with config {config:?}; stderr:\n{}",
        r.stderr
    );
    r
}

/// Minimal RFC 4180 reader: quotes, doubled quotes, commas and newlines inside quotes, CRLF or LF.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut rec: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut started = false;
    let mut it = text.chars().peekable();
    while let Some(c) = it.next() {
        if in_quotes {
            if c == '"' {
                if it.peek() == Some(&'"') {
                    field.push('"');
                    it.next();
                } else {
                    in_quotes = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' => {
                in_quotes = true;
                started = true;
            }
            ',' => {
                rec.push(std::mem::take(&mut field));
                started = true;
            }
            '\r' => {}
            '\n' => {
                rec.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut rec));
                started = false;
            }
            _ => {
                field.push(c);
                started = true;
            }
        }
    }
    if started {
        rec.push(field);
        records.push(rec);
    }
    records
}

fn num(v: &Value) -> f64 {
    match v {
        Value::Number(n) => n.as_f64().unwrap(),
        Value::String(s) => s
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("not a number: {s:?}")),
        other => panic!("expected a number, got {other}"),
    }
}

/// Money: compare numerically so that "150", "150.0" and "150.000000" all pass.
fn assert_money(actual: &str, expected: &str, ctx: &str) {
    let a: f64 = actual
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("{ctx}: not a number: {actual:?}"));
    let e: f64 = expected.parse().unwrap();
    assert!(
        (a - e).abs() <= 1e-9 * e.abs().max(1.0),
        "{ctx}: expected {expected}, got {actual}"
    );
}

/// Values written with at most 6 decimals (e.g. 3500/6 = 583.333333): within 1e-6.
fn assert_approx6(actual: &str, expected: f64, ctx: &str) {
    let a: f64 = actual
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("{ctx}: not a number: {actual:?}"));
    assert!(
        (a - expected).abs() <= 1.000001e-6,
        "{ctx}: expected {expected}, got {actual}"
    );
}

fn assert_cuts(run: &Run, dim: &str, expected: &[f64]) {
    let cuts = run
        .s(&["cutPoints", dim, "cuts"])
        .as_array()
        .unwrap_or_else(|| panic!("cutPoints.{dim}.cuts not an array"));
    let got: Vec<f64> = cuts.iter().map(num).collect();
    assert_eq!(
        got.len(),
        expected.len(),
        "cutPoints.{dim}.cuts = {got:?}, expected {expected:?}"
    );
    for (g, e) in got.iter().zip(expected) {
        assert!(
            (g - e).abs() <= 1e-9 * e.abs().max(1.0),
            "cutPoints.{dim}.cuts = {got:?}, expected {expected:?}"
        );
    }
}

fn assert_counts(run: &Run, dim: &str, expected: &[u64]) {
    let counts: Vec<u64> = run
        .s(&["cutPoints", dim, "counts"])
        .as_array()
        .unwrap_or_else(|| panic!("cutPoints.{dim}.counts not an array"))
        .iter()
        .map(|v| {
            v.as_u64()
                .unwrap_or_else(|| panic!("count not an integer: {v}"))
        })
        .collect();
    assert_eq!(counts, expected, "cutPoints.{dim}.counts (per score 1..k)");
}

fn assert_col(run: &Run, col: &str, expected: &[(&str, &str)]) {
    for (id, e) in expected {
        assert_eq!(run.field(id, col), *e, "customer {id}, column {col}");
    }
}

fn assert_one_line_error(r: &Run, what: &str) {
    assert_eq!(
        r.code,
        Some(2),
        "{what}: expected exit code 2, got {:?}; stderr: {}",
        r.code,
        r.stderr
    );
    let msg = r.stderr.trim();
    assert!(!msg.is_empty(), "{what}: stderr is empty");
    assert_eq!(
        msg.lines().count(),
        1,
        "{what}: message must be one line, got:\n{msg}"
    );
}

// ---------------------------------------------------------------------------------------------
// basic.csv — expected table
// ---------------------------------------------------------------------------------------------

/// Byte (code point) order of the ids: "U1" < "U10" < "U11" < "U12" < "U2" < … < "U9".
const BASIC_ORDER: [&str; 12] = [
    "U1", "U10", "U11", "U12", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9",
];

struct Exp {
    id: &'static str,
    first: &'static str,
    last: &'static str,
    recency: &'static str,
    frequency: &'static str,
    monetary: &'static str,
    aov: f64,
    scores: (&'static str, &'static str, &'static str),
    code: &'static str,
    cn8: &'static str,
    rfm11: &'static str,
    abc: &'static str,
    ladder: &'static str,
    flags: &'static str,
    stage: &'static str,
    risk: &'static str,
}

#[rustfmt::skip]
const BASIC: [Exp; 12] = [
    Exp { id: "U1",  first: "2023-05-10", last: "2024-12-31", recency: "0",   frequency: "6", monetary: "3500", aov: 3500.0 / 6.0, scores: ("5","5","5"), code: "555", cn8: "Important Value",       rfm11: "Champions",          abc: "A", ladder: "VIP",     flags: "",                 stage: "mature",      risk: "low" },
    Exp { id: "U10", first: "2023-04-20", last: "2023-04-20", recency: "621", frequency: "1", monetary: "100",  aov: 100.0,        scores: ("1","1","1"), code: "111", cn8: "General Win-back",      rfm11: "Lost",               abc: "C", ladder: "Bronze",  flags: "inactive",         stage: "one_time",    risk: "medium" },
    Exp { id: "U11", first: "2024-11-01", last: "2024-12-01", recency: "30",  frequency: "3", monetary: "50",   aov: 50.0 / 3.0,   scores: ("4","2","1"), code: "421", cn8: "General Development",   rfm11: "Potential Loyalist", abc: "C", ladder: "Regular", flags: "",                 stage: "active",      risk: "low" },
    Exp { id: "U12", first: "2023-10-01", last: "2024-10-26", recency: "66",  frequency: "3", monetary: "100",  aov: 100.0 / 3.0,  scores: ("3","2","1"), code: "321", cn8: "General Development",   rfm11: "Need Attention",     abc: "C", ladder: "Regular", flags: "",                 stage: "mature",      risk: "low" },
    Exp { id: "U2",  first: "2024-02-10", last: "2024-12-20", recency: "11",  frequency: "3", monetary: "2000", aov: 2000.0 / 3.0, scores: ("5","2","5"), code: "525", cn8: "Important Development", rfm11: "Champions",          abc: "A", ladder: "Gold",    flags: "",                 stage: "active",      risk: "low" },
    Exp { id: "U3",  first: "2023-08-01", last: "2024-11-28", recency: "33",  frequency: "4", monetary: "1780", aov: 445.0,        scores: ("4","4","5"), code: "445", cn8: "Important Value",       rfm11: "Champions",          abc: "A", ladder: "Silver",  flags: "",                 stage: "mature",      risk: "low" },
    Exp { id: "U4",  first: "2024-12-31", last: "2024-12-31", recency: "0",   frequency: "1", monetary: "100",  aov: 100.0,        scores: ("5","1","1"), code: "511", cn8: "General Development",   rfm11: "New Customers",      abc: "C", ladder: "Regular", flags: "",                 stage: "new",         risk: "low" },
    Exp { id: "U5",  first: "2023-03-01", last: "2024-11-20", recency: "41",  frequency: "3", monetary: "500",  aov: 500.0 / 3.0,  scores: ("3","2","4"), code: "324", cn8: "General Development",   rfm11: "Potential Loyalist", abc: "B", ladder: "Silver",  flags: "",                 stage: "reactivated", risk: "low" },
    Exp { id: "U6",  first: "2024-10-04", last: "2024-10-26", recency: "66",  frequency: "4", monetary: "400",  aov: 100.0,        scores: ("3","4","4"), code: "344", cn8: "General Value",         rfm11: "Loyal Customers",    abc: "B", ladder: "Silver",  flags: "overdue",          stage: "at_risk",     risk: "medium" },
    Exp { id: "U7",  first: "2023-12-01", last: "2024-03-10", recency: "296", frequency: "5", monetary: "300",  aov: 60.0,         scores: ("1","5","3"), code: "153", cn8: "General Retention",     rfm11: "Can't Lose Them",    abc: "B", ladder: "Bronze",  flags: "inactive|overdue", stage: "lapsed",      risk: "high" },
    Exp { id: "U8",  first: "2024-05-10", last: "2024-05-10", recency: "235", frequency: "2", monetary: "200",  aov: 100.0,        scores: ("2","1","3"), code: "213", cn8: "General Win-back",      rfm11: "Need Attention",     abc: "B", ladder: "Bronze",  flags: "inactive",         stage: "one_time",    risk: "medium" },
    Exp { id: "U9",  first: "2023-06-15", last: "2024-01-10", recency: "356", frequency: "2", monetary: "70",   aov: 35.0,         scores: ("1","1","1"), code: "111", cn8: "General Win-back",      rfm11: "Lost",               abc: "C", ladder: "Regular", flags: "inactive",         stage: "lapsed",      risk: "medium" },
];

fn basic() -> Run {
    run_ok("basic", "basic.csv", None)
}

// ---------------------------------------------------------------------------------------------
// basic.csv — one test per concern
// ---------------------------------------------------------------------------------------------

/// Ingest of a clean file: 39 records after the header, all valid and all contributing to an analysed
/// customer (the return row C10035 contributes to U3, who has orders).  Analysis date = latest day.
/// Output CSV: UTF-8 BOM, the exact §11 header, rows sorted by customer id in code-point order.
#[test]
fn basic_ingest_counts_header_bom_and_row_order() {
    let r = basic();
    assert!(
        r.raw_csv.starts_with('\u{feff}'),
        "output CSV must start with a UTF-8 BOM"
    );
    assert_eq!(r.header.join(","), HEADER, "output CSV header");
    assert_eq!(num(r.s(&["input", "rows"])), 39.0, "input.rows");
    assert_eq!(num(r.s(&["input", "used"])), 39.0, "input.used");
    for reason in [
        "malformed_row",
        "repeated_header",
        "missing_customer",
        "bad_date",
        "bad_amount",
    ] {
        assert_eq!(r.rejected(reason), 0, "rejected.{reason}.count");
    }
    assert_eq!(num(r.s(&["input", "excluded", "afterAnalysisDate"])), 0.0);
    assert_eq!(num(r.s(&["input", "excluded", "ignoredReturns"])), 0.0);
    assert_eq!(
        num(r.s(&["input", "excluded", "returnsWithoutPurchase"])),
        0.0
    );
    assert_eq!(
        r.s(&["analysisDate"]).as_str(),
        Some("2024-12-31"),
        "analysisDate = latest date"
    );
    assert_eq!(num(r.s(&["customers"])), 12.0, "customers");
    // "U10" < "U2" byte-wise: natural sorting (U1, U2, …, U10) would be wrong.
    assert_eq!(
        r.ids(),
        BASIC_ORDER.to_vec(),
        "rows sorted by customer id (code point order)"
    );
}

/// first/last date, recency, frequency (distinct order ids), monetary (net), aov — table in the header
/// comment.  Key points: U1's order 10018 has two lines → counted once (6 orders, 7 rows); U8's two
/// orders on one day → frequency 2; U3's return C10035 (2024-12-05, −120) lowers monetary to 1780 but is
/// neither an order nor a purchase date (last date stays 2024-11-28, recency 33, frequency 4);
/// U12 = 45.30 + 20.40 + 34.30 = 100 exactly.
#[test]
fn basic_customer_facts_recency_frequency_monetary_aov() {
    let r = basic();
    for e in &BASIC {
        let row = r.row(e.id);
        assert_eq!(row["first_date"], e.first, "{} first_date", e.id);
        assert_eq!(row["last_date"], e.last, "{} last_date", e.id);
        assert_eq!(row["recency_days"], e.recency, "{} recency_days", e.id);
        assert_eq!(row["frequency"], e.frequency, "{} frequency", e.id);
        assert_money(&row["monetary"], e.monetary, &format!("{} monetary", e.id));
        assert_approx6(&row["aov"], e.aov, &format!("{} aov", e.id));
    }
}

/// Type-7 cut points at i/5 and per-score counts (working in the header comment):
///   R cuts [14.8, 36.2, 66, 283.8]  counts [3,1,3,2,3]
///   F cuts [2, 3, 3, 4]             counts [4,4,0,2,2]   (score 3 is empty: ties share a score)
///   M cuts [100, 140, 360, 1524]    counts [5,0,2,2,3]   (score 2 is empty)
/// R counts: score1 = U7,U9,U10; score2 = U8; score3 = U5,U6,U12; score4 = U11,U3; score5 = U1,U4,U2.
#[test]
fn basic_quantile_cut_points_and_per_score_counts() {
    let r = basic();
    assert_cuts(&r, "r", &[14.8, 36.2, 66.0, 283.8]);
    assert_cuts(&r, "f", &[2.0, 3.0, 3.0, 4.0]);
    assert_cuts(&r, "m", &[100.0, 140.0, 360.0, 1524.0]);
    assert_counts(&r, "r", &[3, 1, 3, 2, 3]);
    assert_counts(&r, "f", &[4, 4, 0, 2, 2]);
    assert_counts(&r, "m", &[5, 0, 2, 2, 3]);
}

/// R/F/M scores and codes.  Value-on-cut-point cases (all must go to the LOWER bin, i.e. for R the
/// higher score): recency 66 = c3 → R = 5 − #{14.8, 36.2} = 3 (U6, U12); frequency 2 = c1 → F 1 (U8, U9);
/// frequency 3 = c2 = c3 → F 2; frequency 4 = c4 → F 4 (U3, U6); monetary 100 = c1 → M 1 (U4, U10, U12 —
/// the three tied customers must share the score; a float sum for U12 gives 99.99999999999999 and would
/// move the cut point to just below 100, wrongly lifting U4/U10 to M 2).
#[test]
fn basic_rfm_scores_and_codes() {
    let r = basic();
    for e in &BASIC {
        let row = r.row(e.id);
        assert_eq!(
            (
                row["r_score"].as_str(),
                row["f_score"].as_str(),
                row["m_score"].as_str()
            ),
            e.scores,
            "{} (r,f,m) scores",
            e.id
        );
        assert_eq!(row["rfm_code"], e.code, "{} rfm_code", e.id);
    }
}

/// cn8 with the mean split.
///   mean recency   = (0+0+11+30+33+41+66+66+235+296+356+621)/12 = 1755/12 = 146.25 → R↑ ⇔ recency < 146.25:
///                    U1,U2,U3,U4,U5,U6,U11,U12 ↑; U7,U8,U9,U10 ↓
///   mean frequency = (6+3+4+1+3+4+5+2+2+1+3+3)/12 = 37/12 = 3.0833 → F↑ ⇔ > 3.0833: U1,U3,U6,U7
///   mean monetary  = 9100/12 = 758.33 → M↑: U1,U2,U3
///   U1 ↑↑↑ Important Value; U2 ↑↓↑ Important Development; U3 ↑↑↑ Important Value;
///   U4,U5,U11,U12 ↑↓↓ General Development; U6 ↑↑↓ General Value; U7 ↓↑↓ General Retention;
///   U8,U9,U10 ↓↓↓ General Win-back.
#[test]
fn basic_cn8_segments_mean_split() {
    let r = basic();
    for e in &BASIC {
        assert_eq!(r.field(e.id, "segment_cn8"), e.cn8, "{} segment_cn8", e.id);
    }
}

/// rfm11 grid, FM = round half up ((F+M)/2):
///   U1 (5+5)/2=5 → R5/FM5 Champions        U2 (2+5)/2=3.5→4 → R5/FM4 Champions (floor would give Loyal)
///   U3 (4+5)/2=4.5→5 → R4/FM5 Champions (half-even or floor would give 4 → Loyal Customers)
///   U4 1 → R5/FM1 New Customers            U5 (2+4)/2=3 → R3/FM3 Potential Loyalist
///   U6 4 → R3/FM4 Loyal Customers          U7 (5+3)/2=4 → R1/FM4 Can't Lose Them
///   U8 (1+3)/2=2 → R2/FM2 Need Attention   U9, U10 1 → R1/FM1 Lost
///   U11 (2+1)/2=1.5→2 → R4/FM2 Potential Loyalist (floor → Promising)
///   U12 1.5→2 → R3/FM2 Need Attention (floor → Promising)
#[test]
fn basic_rfm11_grid_cells_with_round_half_up() {
    let r = basic();
    for e in &BASIC {
        assert_eq!(
            r.field(e.id, "segment_rfm11"),
            e.rfm11,
            "{} segment_rfm11",
            e.id
        );
    }
    // segment_custom: no rules given → empty
    for id in BASIC_ORDER {
        assert_eq!(
            r.field(id, "segment_custom"),
            "",
            "{id} segment_custom without rules"
        );
    }
}

/// abc (a = 0.80, b = 0.95).  Interpretation: "total positive revenue" = Σ max(monetary, 0) over
/// customers = 9100 (every monetary here is positive; U3 counts net 1780).
/// Rank by monetary desc, ties by id (code point): U1 3500, U2 2000, U3 1780, U5 500, U6 400, U7 300,
/// U8 200, U10 100, U12 100, U4 100, U9 70, U11 50.   c = revenue of the customers ranked ABOVE:
///   U1 0 → A; U2 3500/9100 = .3846 → A; U3 5500/9100 = .6044 → A;
///   U5 7280/9100 = 0.8 EXACTLY → not < 0.8 → B;  U6 7780/9100 = .8549 → B; U7 8180/9100 = .8989 → B;
///   U8 8480/9100 = .9319 → B; U10 8680/9100 = .9538 → C; U12, U4, U9, U11 → C.
#[test]
fn basic_abc_grades_with_exact_80_percent_boundary() {
    let r = basic();
    for e in &BASIC {
        assert_eq!(r.field(e.id, "grade_abc"), e.abc, "{} grade_abc", e.id);
    }
}

/// ladder, n = 12: VIP rank ≤ ceil(0.05·12 = 0.6) = 1; Gold ≤ ceil(1.8) = 2; Silver ≤ ceil(4.2) = 5;
/// Bronze ≤ ceil(7.2) = 8; Regular ≤ 12.  Ranks as in the abc test: 1 U1 VIP, 2 U2 Gold, 3 U3, 4 U5,
/// 5 U6 Silver, 6 U7, 7 U8, 8 U10 Bronze, 9 U12, 10 U4, 11 U9, 12 U11 Regular.
/// The three customers tied at 100 (U4, U10, U12) straddle the Bronze/Regular boundary; ties by id in
/// code-point order put "U10" first → U10 Bronze, U12 and U4 Regular.
#[test]
fn basic_ladder_grades_ties_broken_by_code_point_id() {
    let r = basic();
    for e in &BASIC {
        assert_eq!(
            r.field(e.id, "grade_ladder"),
            e.ladder,
            "{} grade_ladder",
            e.id
        );
    }
    // no absolute grades configured (grades.absolute = null) → empty
    for id in BASIC_ORDER {
        assert_eq!(r.field(id, "grade_absolute"), "", "{id} grade_absolute");
    }
}

/// pareto.customerShareFor80: the top 3 customers (U1, U2, U3) hold 3500+2000+1780 = 7280 = exactly
/// 0.8 × 9100, and the top 2 hold 5500 < 7280.  Whether the figure is the step value (smallest k/n whose
/// cumulative revenue share ≥ 0.8) or the linearly interpolated point of the curve, it is 3/12 = 0.25,
/// because the curve passes through (0.25, 0.80) at a vertex.  So this is unambiguous.
#[test]
fn basic_pareto_customer_share_for_80_percent() {
    let r = basic();
    let v = num(r.s(&["pareto", "customerShareFor80"]));
    assert!(
        (v - 0.25).abs() < 1e-9,
        "pareto.customerShareFor80 = {v}, expected 0.25"
    );
}

/// Churn flags (inactive: recency ≥ 90; overdue: ≥ 3 purchase days and recency > 2 × median gap):
///   U6  66 < 90; 4 days, median gap 7, 66 > 14 → overdue (overdue but not inactive)
///   U7  296 ≥ 90 inactive; 5 days, median 25, 296 > 50 → inactive|overdue
///   U8  235 inactive (1 purchase day: overdue impossible); U9 356 inactive (2 days); U10 621 inactive
///   U11 3 days, median 15, recency 30 = 2×15 → NOT overdue (strict >); 30 < 90 → no flag
///   U1 (0, median 86), U2 (11, 157), U3 (33, 161), U5 (41, 315), U12 (66, 195.5) → no flag
///   U4 recency 0, 1 day → no flag
/// declining / high_value_lapsed cannot fire (see header comment), signal columns are not mapped.
#[test]
fn basic_churn_flags_inactive_and_overdue() {
    let r = basic();
    for e in &BASIC {
        assert_eq!(
            r.field(e.id, "churn_flags"),
            e.flags,
            "{} churn_flags",
            e.id
        );
    }
}

/// Risk without a model (`docs/churn.md`: rule-based when no converged model; the model is switched off here so
/// that the rule applies by definition): high for ≥ 2 flags (U7), medium for one (U6, U8, U9, U10),
/// low otherwise.
#[test]
fn basic_risk_rule_based_with_model_disabled() {
    let r = run_ok(
        "basic_risk",
        "basic.csv",
        Some(r#"{"model": {"enabled": false}}"#),
    );
    for e in &BASIC {
        assert_eq!(r.field(e.id, "risk"), e.risk, "{} risk", e.id);
    }
}

/// Lifecycle stage, first that applies: new (tenure < 30) → one_time (1 purchase day) → lapsed
/// (recency ≥ 180) → reactivated (recency < 90 and gap before last > 180) → at_risk (any flag) →
/// mature (tenure ≥ 365) → active.
///   U4  tenure 0 → new (although also one purchase day: new comes first)
///   U8  1 purchase day (two orders same day), tenure 235 → one_time (before lapsed)
///   U10 1 purchase day, recency 621 → one_time
///   U7  5 days, recency 296 → lapsed;  U9 2 days, 356 → lapsed
///   U5  recency 41, gap before last 599 → reactivated (before at_risk/mature)
///   U6  tenure 88, overdue → at_risk
///   U1 (601), U3 (518, gap before last 161), U12 (457, gap 147) → mature
///   U2 (tenure 325), U11 (tenure 60) → active
#[test]
fn basic_lifecycle_stages_in_spec_order() {
    let r = basic();
    for e in &BASIC {
        assert_eq!(r.field(e.id, "lifecycle"), e.stage, "{} lifecycle", e.id);
    }
}

// ---------------------------------------------------------------------------------------------
// Options on basic.csv
// ---------------------------------------------------------------------------------------------

/// frequency "days": distinct purchase days.  Only U8 changes (2 orders on one day → 1); U1's split
/// order is one day anyway.  F sorted: 1(U4),1(U8),1(U10),2(U9),3,3,3,3,4,4,5,6
///   c1 = x[2] + 0.2(x[3]−x[2]) = 1 + 0.2 = 1.2; c2 = c3 = 3; c4 = 4 → cuts [1.2, 3, 3, 4]
///   F: 1 → 1; 2 → 2 (U9 rises from 1 to 2); 3 → 2; 4 → 4; 5, 6 → 5 → counts [3,5,0,2,2]
///   U8 aov = 200/1 = 200; U9 code 121, FM = (2+1)/2 = 1.5 → 2 → R1/FM2 Hibernating.
#[test]
fn option_frequency_days_counts_distinct_purchase_days() {
    let r = run_ok("freq_days", "basic.csv", Some(r#"{"frequency": "days"}"#));
    #[rustfmt::skip]
    let freq = [("U1","6"),("U10","1"),("U11","3"),("U12","3"),("U2","3"),("U3","4"),("U4","1"),("U5","3"),("U6","4"),("U7","5"),("U8","1"),("U9","2")];
    assert_col(&r, "frequency", &freq);
    assert_approx6(&r.field("U8", "aov"), 200.0, "U8 aov");
    assert_cuts(&r, "f", &[1.2, 3.0, 3.0, 4.0]);
    assert_counts(&r, "f", &[3, 5, 0, 2, 2]);
    #[rustfmt::skip]
    let f_scores = [("U1","5"),("U10","1"),("U11","2"),("U12","2"),("U2","2"),("U3","4"),("U4","1"),("U5","2"),("U6","4"),("U7","5"),("U8","1"),("U9","2")];
    assert_col(&r, "f_score", &f_scores);
    assert_eq!(r.field("U9", "rfm_code"), "121");
    assert_eq!(r.field("U9", "segment_rfm11"), "Hibernating");
}

/// frequency "rows": non-return rows.  U1 has 7 rows (order 10018 has two lines) → 7, aov 3500/7 = 500;
/// U3 has 4 order rows (the return row is not an order under `net`) → 4; the others equal `orders`.
#[test]
fn option_frequency_rows_counts_order_lines() {
    let r = run_ok("freq_rows", "basic.csv", Some(r#"{"frequency": "rows"}"#));
    #[rustfmt::skip]
    let freq = [("U1","7"),("U10","1"),("U11","3"),("U12","3"),("U2","3"),("U3","4"),("U4","1"),("U5","3"),("U6","4"),("U7","5"),("U8","2"),("U9","2")];
    assert_col(&r, "frequency", &freq);
    assert_approx6(&r.field("U1", "aov"), 500.0, "U1 aov");
}

/// returns "ignore": the return row C10035 is dropped and counted in excluded.ignoredReturns = 1;
/// input.used = 38; U3 monetary = 400+500+450+550 = 1900, frequency 4, last 2024-11-28.
/// Everyone else unchanged.
#[test]
fn option_returns_ignore_drops_return_rows() {
    let r = run_ok("ret_ignore", "basic.csv", Some(r#"{"returns": "ignore"}"#));
    assert_eq!(num(r.s(&["input", "rows"])), 39.0, "input.rows");
    assert_eq!(
        num(r.s(&["input", "excluded", "ignoredReturns"])),
        1.0,
        "excluded.ignoredReturns"
    );
    assert_eq!(num(r.s(&["input", "used"])), 38.0, "input.used");
    assert_money(&r.field("U3", "monetary"), "1900", "U3 monetary");
    assert_eq!(r.field("U3", "frequency"), "4");
    assert_eq!(r.field("U3", "last_date"), "2024-11-28");
    for e in &BASIC {
        if e.id != "U3" {
            assert_money(
                &r.field(e.id, "monetary"),
                e.monetary,
                &format!("{} monetary", e.id),
            );
            assert_eq!(
                r.field(e.id, "frequency"),
                e.frequency,
                "{} frequency",
                e.id
            );
        }
    }
}

/// returns "keep": the row counts like any other row with its signed amount: U3 monetary
/// 1900 − 120 = 1780, the order id C10035 is a 5th distinct order → frequency 5, and its date is now
/// the last date: 2024-12-05 → recency 366 − 340 = 26.  Nothing excluded, used = 39.
#[test]
fn option_returns_keep_counts_return_as_signed_row() {
    let r = run_ok("ret_keep", "basic.csv", Some(r#"{"returns": "keep"}"#));
    assert_eq!(num(r.s(&["input", "excluded", "ignoredReturns"])), 0.0);
    assert_eq!(num(r.s(&["input", "used"])), 39.0, "input.used");
    assert_money(&r.field("U3", "monetary"), "1780", "U3 monetary");
    assert_eq!(r.field("U3", "frequency"), "5", "U3 frequency");
    assert_eq!(r.field("U3", "last_date"), "2024-12-05", "U3 last_date");
    assert_eq!(r.field("U3", "recency_days"), "26", "U3 recency");
    assert_money(&r.field("U1", "monetary"), "3500", "U1 monetary");
}

/// rfm.bins = 3: p = i/3, h = 11·i/3 = 3.667, 7.333.
///   R: 30 + (2/3)(33−30) = 32;   66 + (1/3)(235−66) = 66 + 56.333… = 122.333…
///   F: 2 + (2/3)(3−2) = 2.667;   3 + (1/3)(4−3) = 3.333
///   M: 100 + (2/3)·0 = 100;       400 + (1/3)(500−400) = 433.333…
/// Scores (R = 3 − #{c < r}):
///   R: 0,0,11,30 → 3 (U1,U4,U2,U11); 33,41,66,66 → 2 (U3,U5,U6,U12); 235+ → 1   counts [4,4,4]
///   F: 1,2 → 1; 3 → 2; 4,5,6 → 3                                                  counts [4,4,4]
///   M: ≤ 100 → 1 (100 = c1); 200,300,400 → 2; 500+ → 3                            counts [5,3,4]
/// Codes: U1 333, U10 111, U11 321, U12 221, U2 323, U3 233, U4 311, U5 223, U6 232, U7 132, U8 112, U9 111.
/// rfm11 is defined for k = 5 only → column empty.
#[test]
fn option_rfm_bins_3_cut_points_scores_and_empty_rfm11() {
    let r = run_ok("bins3", "basic.csv", Some(r#"{"rfm": {"bins": 3}}"#));
    assert_cuts(&r, "r", &[32.0, 66.0 + 169.0 / 3.0]);
    assert_cuts(&r, "f", &[2.0 + 2.0 / 3.0, 3.0 + 1.0 / 3.0]);
    assert_cuts(&r, "m", &[100.0, 400.0 + 100.0 / 3.0]);
    assert_counts(&r, "r", &[4, 4, 4]);
    assert_counts(&r, "f", &[4, 4, 4]);
    assert_counts(&r, "m", &[5, 3, 4]);
    #[rustfmt::skip]
    let codes = [("U1","333"),("U10","111"),("U11","321"),("U12","221"),("U2","323"),("U3","233"),("U4","311"),("U5","223"),("U6","232"),("U7","132"),("U8","112"),("U9","111")];
    assert_col(&r, "rfm_code", &codes);
    for id in BASIC_ORDER {
        assert_eq!(
            r.field(id, "segment_rfm11"),
            "",
            "{id} segment_rfm11 must be empty for k = 3"
        );
    }
}

/// analysisDate = 2024-06-30 (earlier than the last row).  Rows dated after it: spreadsheet rows 25–40
/// = 16 rows (U6 ×4, U1 ×2, U12 ×1, U11 ×3, U2 ×2, U5 ×1, U3 ×2 incl. the return, U4 ×1) →
/// excluded.afterAnalysisDate = 16, used = 23, customers = 9 (U4, U6, U11 have nothing left).
/// Facts as of 2024-06-30:
///   U1  orders 2023-05-10 … 2024-05-01 (4 orders: 10004, 10008, 10016, 10018) → recency 60, 500.10+600.20+399.70+700 = 2200
///   U10 2023-04-20 → recency 366 + 71 = 437; 100
///   U12 2023-10-01, 2024-06-01 → recency 29, freq 2, 45.30+20.40 = 65.70
///   U2  2024-02-10 → recency 141, freq 1, 1000.10
///   U3  …2024-06-20 → recency 10, freq 3, 400+500+450 = 1350 (the return is after the date)
///   U5  2023-03-01, 2023-04-01 → recency 366 + 90 = 456, 300
///   U7  … 2024-03-10 → recency 112, freq 5, 300
///   U8  2024-05-10 → 51, freq 2, 200;   U9  2024-01-10 → 172, freq 2, 70
/// Stages that depend only on the snapshot: U12 gap 2023-10-01→2024-06-01 = 244 > 180 and recency
/// 29 < 90 → reactivated (its previous window 2024-01-03…2024-04-01 is empty, so no declining);
/// U3 tenure 334 < 365, no flag (previous window: 1 order / 500, recent: 1 / 450 → not declining) → active.
#[test]
fn option_analysis_date_earlier_excludes_later_rows() {
    let r = run_ok(
        "adate",
        "basic.csv",
        Some(r#"{"analysisDate": "2024-06-30"}"#),
    );
    assert_eq!(r.s(&["analysisDate"]).as_str(), Some("2024-06-30"));
    assert_eq!(
        num(r.s(&["input", "excluded", "afterAnalysisDate"])),
        16.0,
        "excluded.afterAnalysisDate"
    );
    assert_eq!(num(r.s(&["input", "rows"])), 39.0, "input.rows");
    assert_eq!(num(r.s(&["input", "used"])), 23.0, "input.used");
    assert_eq!(num(r.s(&["customers"])), 9.0, "customers");
    assert_eq!(
        r.ids(),
        vec!["U1", "U10", "U12", "U2", "U3", "U5", "U7", "U8", "U9"]
    );
    #[rustfmt::skip]
    let exp = [
        ("U1",  "2023-05-10", "2024-05-01", "60",  "4", "2200"),
        ("U10", "2023-04-20", "2023-04-20", "437", "1", "100"),
        ("U12", "2023-10-01", "2024-06-01", "29",  "2", "65.70"),
        ("U2",  "2024-02-10", "2024-02-10", "141", "1", "1000.10"),
        ("U3",  "2023-08-01", "2024-06-20", "10",  "3", "1350"),
        ("U5",  "2023-03-01", "2023-04-01", "456", "2", "300"),
        ("U7",  "2023-12-01", "2024-03-10", "112", "5", "300"),
        ("U8",  "2024-05-10", "2024-05-10", "51",  "2", "200"),
        ("U9",  "2023-06-15", "2024-01-10", "172", "2", "70"),
    ];
    for (id, first, last, rec, freq, mon) in exp {
        assert_eq!(r.field(id, "first_date"), first, "{id} first_date");
        assert_eq!(r.field(id, "last_date"), last, "{id} last_date");
        assert_eq!(r.field(id, "recency_days"), rec, "{id} recency_days");
        assert_eq!(r.field(id, "frequency"), freq, "{id} frequency");
        assert_money(&r.field(id, "monetary"), mon, &format!("{id} monetary"));
    }
    assert_eq!(r.field("U12", "lifecycle"), "reactivated");
    assert_eq!(r.field("U3", "lifecycle"), "active");
}

/// labels "zh": the same segments as the English tests, with the Chinese names from `docs/segments.md`.
#[test]
fn option_labels_zh_segment_names() {
    let r = run_ok("zh", "basic.csv", Some(r#"{"labels": "zh"}"#));
    #[rustfmt::skip]
    let cn8 = [("U1","重要价值客户"),("U10","一般挽留客户"),("U11","一般发展客户"),("U12","一般发展客户"),("U2","重要发展客户"),("U3","重要价值客户"),("U4","一般发展客户"),("U5","一般发展客户"),("U6","一般价值客户"),("U7","一般保持客户"),("U8","一般挽留客户"),("U9","一般挽留客户")];
    #[rustfmt::skip]
    let rfm11 = [("U1","冠军客户"),("U10","已流失客户"),("U11","潜力忠诚客户"),("U12","需要关注客户"),("U2","冠军客户"),("U3","冠军客户"),("U4","新客户"),("U5","潜力忠诚客户"),("U6","忠诚客户"),("U7","不能失去的客户"),("U8","需要关注客户"),("U9","已流失客户")];
    assert_col(&r, "segment_cn8", &cn8);
    assert_col(&r, "segment_rfm11", &rfm11);
}

/// segments.cn8Split "median" (mean of the two middle values, n = 12 → (x[5]+x[6])/2):
///   R median (41+66)/2 = 53.5 → R↑ (recency < 53.5): U1,U4,U2,U11,U3,U5; U6,U12 (66) ↓
///   F median (3+3)/2 = 3 → F↑ ⇔ F > 3: U1,U3,U6,U7 — the customers with exactly 3 are LOW (equality)
///   M median (200+300)/2 = 250 → M↑: U1,U2,U3,U5,U6,U7
///   U1 ↑↑↑ Important Value; U2 ↑↓↑ Important Development; U3 ↑↑↑ Important Value;
///   U4 ↑↓↓ General Development; U5 ↑↓↑ Important Development; U6 ↓↑↑ Important Retention;
///   U7 ↓↑↑ Important Retention; U8 ↓↓↓ (200) General Win-back; U9, U10 General Win-back;
///   U11 ↑↓↓ General Development; U12 ↓↓↓ General Win-back.
#[test]
fn option_cn8_split_median() {
    let r = run_ok(
        "median",
        "basic.csv",
        Some(r#"{"segments": {"cn8Split": "median"}}"#),
    );
    #[rustfmt::skip]
    let cn8 = [("U1","Important Value"),("U10","General Win-back"),("U11","General Development"),("U12","General Win-back"),("U2","Important Development"),("U3","Important Value"),("U4","General Development"),("U5","Important Development"),("U6","Important Retention"),("U7","Important Retention"),("U8","General Win-back"),("U9","General Win-back")];
    assert_col(&r, "segment_cn8", &cn8);
}

/// An unknown key is an error that names the key (`docs/outputs.md`) — top level and nested.
#[test]
fn option_unknown_key_exits_2_naming_the_key() {
    let r = run_cli(
        "unknown_top",
        &fixture("basic.csv"),
        Some(r#"{"frequncy": "days"}"#),
    );
    assert_one_line_error(&r, "unknown top-level key");
    assert!(
        r.stderr.contains("frequncy"),
        "stderr must name the unknown key `frequncy`: {}",
        r.stderr
    );

    let r = run_cli(
        "unknown_nested",
        &fixture("basic.csv"),
        Some(r#"{"rfm": {"binz": 3}}"#),
    );
    assert_one_line_error(&r, "unknown nested key");
    assert!(
        r.stderr.contains("binz"),
        "stderr must name the unknown key `binz`: {}",
        r.stderr
    );
}

/// A value of the wrong type is an error that names the key (`docs/outputs.md`).
#[test]
fn option_wrong_type_exits_2_naming_the_key() {
    let r = run_cli(
        "wrong_type",
        &fixture("basic.csv"),
        Some(r#"{"rfm": {"bins": "five"}}"#),
    );
    assert_one_line_error(&r, "wrong value type");
    assert!(
        r.stderr.contains("bins"),
        "stderr must name the key `bins`: {}",
        r.stderr
    );
}

// ---------------------------------------------------------------------------------------------
// Quantity × unit price (UCI Online Retail style)
// ---------------------------------------------------------------------------------------------

/// qty_price.csv: `InvoiceNo,CustomerID,InvoiceDate,Quantity,UnitPrice`; dates `12/1/2010 8:26` — every
/// value fits both month-first and day-first (day ≤ 12) → ambiguous → default month-first (December).
///   17850: 536365 = 6×2.55 + 8×3.39 = 15.30 + 27.12 (two lines, one order); 536366 = 6×1.85 = 11.10;
///          536372 (12/9) = 3×1.10 = 3.30 → monetary 56.82, frequency 3, 2010-12-01 … 2010-12-09,
///          recency 0 (analysis date 2010-12-09; times only order rows within a day), aov 18.94
///   13047: 536367 = 32×1.69 = 54.08; C536379 (cancellation, quantity −1 × 27.50) → net 54.08 − 27.50
///          = 26.58, frequency 1 (the cancellation is not an order), last 2010-12-01, recency 8
///   12583: 536370 = 24×3.75 = 90.00 (12/1); 536371 = 12×0.85 = 10.20 (12/3); CN536380 = 1×5.00 (12/3):
///          `CN…` is NOT a cancellation (C must be followed by digits only) → a normal order.
///          monetary 105.20, frequency 3, 2010-12-01 … 2010-12-03, recency 6, aov 35.066667
///   input.rows = 9, used = 9.
#[test]
fn quantity_times_unit_price_with_uci_cancellations() {
    let r = run_ok("qty", "qty_price.csv", None);
    assert_eq!(num(r.s(&["input", "rows"])), 9.0, "input.rows");
    assert_eq!(num(r.s(&["input", "used"])), 9.0, "input.used");
    assert_eq!(r.s(&["analysisDate"]).as_str(), Some("2010-12-09"));
    assert_eq!(r.ids(), vec!["12583", "13047", "17850"]);
    #[rustfmt::skip]
    let exp = [
        ("12583", "2010-12-01", "2010-12-03", "6", "3", "105.20", 105.20 / 3.0),
        ("13047", "2010-12-01", "2010-12-01", "8", "1", "26.58",  26.58),
        ("17850", "2010-12-01", "2010-12-09", "0", "3", "56.82",  18.94),
    ];
    for (id, first, last, rec, freq, mon, aov) in exp {
        assert_eq!(r.field(id, "first_date"), first, "{id} first_date");
        assert_eq!(r.field(id, "last_date"), last, "{id} last_date");
        assert_eq!(r.field(id, "recency_days"), rec, "{id} recency_days");
        assert_eq!(r.field(id, "frequency"), freq, "{id} frequency");
        assert_money(&r.field(id, "monetary"), mon, &format!("{id} monetary"));
        assert_approx6(&r.field(id, "aov"), aov, &format!("{id} aov"));
    }
}

// ---------------------------------------------------------------------------------------------
// messy.csv — ingest
// ---------------------------------------------------------------------------------------------
//
// UTF-8 BOM, CRLF, header `客户ID,下单时间,实付金额,备注` (customer / date / amount / unmapped note).
// Spreadsheet rows:
//    1  客户ID,下单时间,实付金额,备注                header
//    2  A001,2024-03-01,"1,234.50",首单           valid 1234.50 (quoted thousands separator)
//    3  A001,2024-03-15 10:30,¥88,                 valid 88 (ISO datetime, ¥)
//    4  B002,2024-03-02,$112.00,"张三, 李四"        valid 112.00 (quoted comma in the note)
//    5  B002,2024-03-20 18:05:09,(12.00),退货       valid return −12 (parenthesised negative)
//    6  ,2024-03-03,50,无客户                      missing_customer
//    7  C003,2024/3/5,20,                          bad_date (column format is ISO: most values)
//    8  C003,2024-03-06,abc,                       bad_amount
//    9  C003,2024-03-07," ￥1,000.00 ",             valid 1000.00 (trimmed, fullwidth ￥)
//   10  客户ID,下单时间,实付金额,备注                repeated_header
//   11  D004,2024-03-08,30,x,extra                 malformed_row (5 fields > 4)
//   12  D004,2024-03-09,45.5元,                    valid 45.5
//   13  ,,,                                        all fields empty: a row, missing_customer
//   14  E005,,10,                                  bad_date (empty)
//   15  E005,2024-03-10,,                          bad_amount (empty)
//   16     ,2024年3月21日,abc,                      missing_customer (checked before bad_date/bad_amount)
//   17  F006,2024-03-10,(5.00),                    valid, but F006 has only a return → returnsWithoutPurchase
//   18  "   "                                      whitespace-only line: skipped, not counted
//   19  D004,2024-03-31,RMB 20,                    valid 20
//   20  H008,2024-03-30,7                          valid 7 (fewer fields → missing note is empty)
//   21  A001,2024-03-15 10:30,¥88,                 valid 88 (exact duplicate of row 3: kept)
//   22  I009,2024-03-12,N/A,                       bad_amount
// input.rows = 20 (rows 2–17 and 19–22); rejected: malformed_row 1, repeated_header 1,
// missing_customer 3 (6, 13, 16), bad_date 2 (7, 14), bad_amount 3 (8, 15, 22) → 10 rejected;
// valid 10; returnsWithoutPurchase 1 (row 17) → used = 9.
// Analysis date = latest valid day = 2024-03-31.  Customers (frequency = non-return rows, no order id):
//   A001 1234.50 + 88 + 88 = 1410.50, freq 3, 2024-03-01 … 2024-03-15, recency 16
//   B002 112.00 − 12.00 = 100, freq 1 (the return is not an order), last 2024-03-02, recency 29
//   C003 1000, freq 1, 2024-03-07, recency 24
//   D004 45.5 + 20 = 65.5, freq 2, 2024-03-09 … 2024-03-31, recency 0
//   H008 7, freq 1, 2024-03-30, recency 1

fn example_with_row(examples: &[Value], row: u64) -> &Value {
    examples
        .iter()
        .find(|e| e["row"].as_u64() == Some(row))
        .unwrap_or_else(|| panic!("no example with row {row}: {examples:?}"))
}

/// `column` of an example: the header name (or, if the implementation reports positions, the 0-based
/// index).  Both identify the same column; anything else fails.
fn assert_example_column(ex: &Value, name: &str, index: u64) {
    let ok = ex["column"].as_str() == Some(name) || ex["column"].as_u64() == Some(index);
    assert!(
        ok,
        "example column should be {name:?} (index {index}): {ex}"
    );
}

#[test]
fn messy_ingest_row_and_rejection_counts() {
    let r = run_ok("messy_counts", "messy.csv", None);
    assert_eq!(
        num(r.s(&["input", "rows"])),
        20.0,
        "input.rows (blank line not counted)"
    );
    assert_eq!(r.rejected("malformed_row"), 1, "malformed_row");
    assert_eq!(r.rejected("repeated_header"), 1, "repeated_header");
    assert_eq!(r.rejected("missing_customer"), 3, "missing_customer");
    assert_eq!(r.rejected("bad_date"), 2, "bad_date");
    assert_eq!(r.rejected("bad_amount"), 3, "bad_amount");
    assert_eq!(
        num(r.s(&["input", "excluded", "returnsWithoutPurchase"])),
        1.0,
        "returnsWithoutPurchase"
    );
    assert_eq!(num(r.s(&["input", "excluded", "afterAnalysisDate"])), 0.0);
    assert_eq!(num(r.s(&["input", "used"])), 9.0, "input.used");
    assert_eq!(r.s(&["analysisDate"]).as_str(), Some("2024-03-31"));
    assert_eq!(num(r.s(&["customers"])), 5.0, "customers");
}

#[test]
fn messy_rejection_examples_row_column_value() {
    let r = run_ok("messy_examples", "messy.csv", None);
    let ex = r.examples("bad_amount");
    let e8 = example_with_row(&ex, 8);
    assert_example_column(e8, "实付金额", 2);
    assert_eq!(e8["value"].as_str(), Some("abc"), "{e8}");
    assert_eq!(e8["reason"].as_str(), Some("bad_amount"), "{e8}");
    assert_eq!(
        example_with_row(&ex, 15)["value"].as_str(),
        Some(""),
        "empty amount example"
    );

    let ex = r.examples("bad_date");
    let e7 = example_with_row(&ex, 7);
    assert_example_column(e7, "下单时间", 1);
    assert_eq!(e7["value"].as_str(), Some("2024/3/5"), "{e7}");
    assert_eq!(e7["reason"].as_str(), Some("bad_date"), "{e7}");
    example_with_row(&ex, 14);

    let ex = r.examples("missing_customer");
    let mut rows: Vec<u64> = ex.iter().filter_map(|e| e["row"].as_u64()).collect();
    rows.sort();
    assert_eq!(
        rows,
        vec![6, 13, 16],
        "missing_customer example rows (row 16 also has a bad date and amount)"
    );
    assert_eq!(
        example_with_row(&r.examples("repeated_header"), 10)["reason"].as_str(),
        Some("repeated_header")
    );
    assert_eq!(
        example_with_row(&r.examples("malformed_row"), 11)["reason"].as_str(),
        Some("malformed_row")
    );
}

/// Row numbers are the line numbers a spreadsheet shows: the whitespace-only line 18 is not counted in
/// input.rows but still occupies spreadsheet row 18, so the `N/A` amount is on row 22 (not 21).
#[test]
fn messy_example_row_number_after_blank_line_is_spreadsheet_row() {
    let r = run_ok("messy_blank", "messy.csv", None);
    let ex = r.examples("bad_amount");
    let e = ex
        .iter()
        .find(|e| e["value"].as_str() == Some("N/A"))
        .unwrap_or_else(|| panic!("no bad_amount example with value N/A: {ex:?}"));
    assert_eq!(e["row"].as_u64(), Some(22), "{e}");
}

#[test]
fn messy_customers_monetary_and_dates() {
    let r = run_ok("messy_customers", "messy.csv", None);
    assert_eq!(
        r.ids(),
        vec!["A001", "B002", "C003", "D004", "H008"],
        "E005, F006 and I009 are not analysed"
    );
    #[rustfmt::skip]
    let exp = [
        ("A001", "2024-03-01", "2024-03-15", "16", "3", "1410.50"),
        ("B002", "2024-03-02", "2024-03-02", "29", "1", "100"),
        ("C003", "2024-03-07", "2024-03-07", "24", "1", "1000"),
        ("D004", "2024-03-09", "2024-03-31", "0",  "2", "65.5"),
        ("H008", "2024-03-30", "2024-03-30", "1",  "1", "7"),
    ];
    for (id, first, last, rec, freq, mon) in exp {
        assert_eq!(r.field(id, "first_date"), first, "{id} first_date");
        assert_eq!(r.field(id, "last_date"), last, "{id} last_date");
        assert_eq!(r.field(id, "recency_days"), rec, "{id} recency_days");
        assert_eq!(r.field(id, "frequency"), freq, "{id} frequency");
        assert_money(&r.field(id, "monetary"), mon, &format!("{id} monetary"));
    }
}

// ---------------------------------------------------------------------------------------------
// Date formats (tiny fixtures, header `customer_id,order_date,amount`)
// ---------------------------------------------------------------------------------------------

/// Each fixture has X1 on the first date and X2 on the second; analysis date = second date.
///   2024-01-05 → 2024-02-29: 26 + 29 = 55 days (2024 is a leap year, 2024-02-29 must parse).
///   US ambiguous `1/5/2024 8:26`, `2/3/2024 17:00`: both orders fit every value → month-first default →
///   2024-01-05 and 2024-02-03 → 26 + 3 = 29 days.
#[test]
fn date_formats_are_parsed_per_column() {
    let cases = [
        ("dates_iso_datetime.csv", "2024-01-05", "2024-02-29", "55"),
        ("dates_slash.csv", "2024-01-05", "2024-02-29", "55"),
        ("dates_chinese.csv", "2024-01-05", "2024-02-29", "55"),
        ("dates_compact.csv", "2024-01-05", "2024-02-29", "55"),
        ("dates_us_ambiguous.csv", "2024-01-05", "2024-02-03", "29"),
    ];
    for (file, d1, d2, rec) in cases {
        let r = run_ok(&file.replace(".csv", ""), file, None);
        assert_eq!(r.field("X1", "last_date"), d1, "{file}: X1 date");
        assert_eq!(r.field("X2", "last_date"), d2, "{file}: X2 date");
        assert_eq!(
            r.s(&["analysisDate"]).as_str(),
            Some(d2),
            "{file}: analysisDate"
        );
        assert_eq!(r.field("X1", "recency_days"), rec, "{file}: X1 recency");
        assert_eq!(r.field("X2", "recency_days"), "0", "{file}: X2 recency");
        assert_eq!(r.rejected("bad_date"), 0, "{file}: no bad_date");
    }
}

// ---------------------------------------------------------------------------------------------
// Fatal errors
// ---------------------------------------------------------------------------------------------

#[test]
fn fatal_empty_file_exits_2_with_one_line_message() {
    let r = run_cli("fatal_empty", &fixture("empty.csv"), None);
    assert_one_line_error(&r, "empty file");
}

/// `customer_id,amount,note` — no date column (the amount column is taken by the amount role and the
/// note holds words) → exit 2 with a message naming the missing role.
#[test]
fn fatal_no_date_column_exits_2_naming_the_date_role() {
    let r = run_cli("fatal_nodate", &fixture("no_date_column.csv"), None);
    assert_one_line_error(&r, "no date column");
    assert!(
        r.stderr.to_lowercase().contains("date"),
        "message must name the missing date role: {}",
        r.stderr
    );
}
