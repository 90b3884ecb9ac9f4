//! The CDNOW sample (tests/fixtures/cdnow, from the MIT-licensed `lifetimes` package; see the README
//! there) through the native CLI. Expected values are computed here independently from the raw file
//! with a few lines of plain parsing, not with the product's code.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cdnow/CDNOW_sample.txt")
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("tierwise-cdnow-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs `tierwise analyze` and returns (csv text without BOM, summary JSON).
fn run(name: &str, options: Option<&str>) -> (String, serde_json::Value) {
    let d = tmpdir(name);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tierwise"));
    cmd.arg("analyze")
        .arg(fixture())
        .arg("--out")
        .arg(d.join("c.csv"))
        .arg("--summary")
        .arg(d.join("s.json"));
    if let Some(o) = options {
        std::fs::write(d.join("o.json"), o).unwrap();
        cmd.arg("--config").arg(d.join("o.json"));
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = std::fs::read_to_string(d.join("c.csv")).unwrap();
    let summary =
        serde_json::from_str(&std::fs::read_to_string(d.join("s.json")).unwrap()).unwrap();
    (csv.trim_start_matches('\u{feff}').to_string(), summary)
}

/// Independent reading of the raw file: master id, yyyymmdd, amount in cents.
fn raw_rows() -> Vec<(String, u32, i64)> {
    std::fs::read_to_string(fixture())
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let (units, cents) = f[4].split_once('.').unwrap_or((f[4], "0"));
            let sign = if units.starts_with('-') { -1 } else { 1 };
            let cents = format!("{cents:0<2}");
            let amount =
                units.parse::<i64>().unwrap() * 100 + sign * cents[..2].parse::<i64>().unwrap();
            (f[0].to_string(), f[2].parse().unwrap(), amount)
        })
        .collect()
}

fn cents_str(c: i64) -> f64 {
    c as f64 / 100.0
}

#[test]
fn cdnow_reads_every_row_and_customer() {
    let (_, s) = run("counts", None);
    assert_eq!(s["customers"], 2357);
    assert_eq!(s["input"]["rows"], 6919);
    assert_eq!(s["input"]["used"], 6919);
    assert_eq!(s["input"]["header"], false);
    assert_eq!(s["input"]["delimiter"], "whitespace");
    assert_eq!(s["input"]["dateFormat"]["format"], "YYYYMMDD");
    assert_eq!(s["analysisDate"], "1998-06-30");
    assert_eq!(s["input"]["rejected"], serde_json::json!({}));
}

#[test]
fn cdnow_per_customer_facts_match_an_independent_reading() {
    let raw = raw_rows();
    assert_eq!(raw.len(), 6919);
    // per master id: (rows, last yyyymmdd, sum of cents)
    let mut exp: BTreeMap<String, (u64, u32, i64)> = BTreeMap::new();
    for (id, date, cents) in &raw {
        let e = exp.entry(id.clone()).or_insert((0, 0, 0));
        e.0 += 1;
        e.1 = e.1.max(*date);
        e.2 += cents;
    }
    assert_eq!(exp.len(), 2357);
    let (csv, s) = run("facts", None);
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).unwrap();
    let (id_c, last_c, freq_c, mon_c) = (
        col("customer_id"),
        col("last_date"),
        col("frequency"),
        col("monetary"),
    );
    let mut seen = 0;
    let mut total_cents = 0i64;
    for line in lines {
        // no field in this output holds a comma except the action text, which is last
        let f: Vec<&str> = line.splitn(header.len(), ',').collect();
        let (rows, last, cents) = exp[f[id_c]];
        assert_eq!(
            f[freq_c].parse::<u64>().unwrap(),
            rows,
            "frequency of {}",
            f[id_c]
        );
        let last_s = format!(
            "{}-{}-{}",
            &last.to_string()[..4],
            &last.to_string()[4..6],
            &last.to_string()[6..]
        );
        assert_eq!(f[last_c], last_s, "last date of {}", f[id_c]);
        assert!(
            (f[mon_c].parse::<f64>().unwrap() - cents_str(cents)).abs() < 1e-9,
            "monetary of {}",
            f[id_c]
        );
        total_cents += cents;
        seen += 1;
    }
    assert_eq!(seen, 2357);
    assert!((s["kpis"]["revenue"].as_f64().unwrap() - cents_str(total_cents)).abs() < 1e-6);
}

#[test]
fn cdnow_calibration_period_snapshot() {
    let raw = raw_rows();
    let after = raw.iter().filter(|r| r.1 > 19970930).count() as u64;
    let (_, s) = run("calibration", Some(r#"{"analysisDate": "1997-09-30"}"#));
    // every CDNOW customer made a first purchase in Q1 1997, so all are analysed
    assert_eq!(s["customers"], 2357);
    assert_eq!(s["input"]["excluded"]["afterAnalysisDate"], after);
    assert_eq!(s["input"]["used"], 6919 - after);
}

#[test]
fn cli_fatal_error_exit_code_and_one_line_message() {
    let d = tmpdir("fatal");
    std::fs::write(d.join("empty.csv"), "").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tierwise"))
        .arg("analyze")
        .arg(d.join("empty.csv"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("tierwise: the file is empty"), "{err}");
    let out = Command::new(env!("CARGO_BIN_EXE_tierwise"))
        .arg("analyze")
        .arg(d.join("missing.csv"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(env!("CARGO_BIN_EXE_tierwise"))
        .args(["analyze", "-", "--options", r#"{"rfm": {"bins": 12}}"#])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("rfm.bins"));
}

#[test]
fn cli_reads_standard_input_and_writes_csv_to_standard_output() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_tierwise"))
        .args(["analyze", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"customer_id,order_date,amount\nA,2024-01-01,10\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("\u{feff}customer_id,first_date,"));
    assert!(
        text.contains("\nA,2024-01-01,2024-01-01,0,1,10,10,"),
        "{text}"
    );
}
