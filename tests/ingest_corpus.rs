//! Robustness corpus for the ingest step (`docs/input.md`, `docs/facts.md`), black-box through the public Rust API.
//!
//! Every `tests/fixtures/ingest/NAME.expect.json` describes the data file beside it (`NAME.csv`, `.tsv`
//! or `.txt`) with values computed BY HAND from `docs/`, not from the implementation.
//! `tests/fixtures/ingest/make_binary.py` documents how the byte-exact files (legacy encodings, UTF-16,
//! BOMs, CR/CRLF line ends, whitespace-only lines) were made. If a case fails, re-derive it from the rules (docs/input.md)
//! before touching its expectation.
//!
//! Each file is analysed whole (`tierwise::analyze`) and through the streaming API (`tierwise::Analyzer`)
//! with the bytes pushed in chunks of 1, 2, 3, 7, 64 and 4096 bytes; the streamed CSV and summary must
//! equal the whole-file ones. All mismatches are collected and reported together at the end.
//!
//! Keys of an `.expect.json` (all optional but `why`; `fatal` replaces the counts):
//!   why, options, customers, rows, used, rejected {reason: count} (exactly the reasons that occur),
//!   excluded {afterAnalysisDate, ignoredReturns, returnsWithoutPurchase} (absent = all zero),
//!   encoding, delimiter, header, ambiguous (input.dateFormat.ambiguous),
//!   dateOrder (input.dateFormat.order: mdy, dmy or ymd), analysisDate,
//!   ids (the exact set of customer ids in the CSV), monetary {id: exact decimal string},
//!   frequency {id: n}, firstDate / lastDate {id: YYYY-MM-DD},
//!   examples [{reason, row, column?, value?}], fatal (substring of the error message).
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

const CHUNKS: [usize; 6] = [1, 2, 3, 7, 64, 4096];
const MIN_CASES: usize = 30;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ingest")
}

struct Problems(Vec<String>);

impl Problems {
    fn add(
        &mut self,
        file: &str,
        field: &str,
        expected: impl std::fmt::Display,
        got: impl std::fmt::Display,
    ) {
        self.0
            .push(format!("{file}: {field}: expected {expected}, got {got}"));
    }
}

fn panic_text(p: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "(non-string panic payload)".to_string()
    }
}

fn bytes_text<T: AsRef<[u8]>>(t: &T) -> String {
    String::from_utf8_lossy(t.as_ref()).into_owned()
}

/// One finished analysis, reduced to what the corpus checks: the summary JSON and the per-customer CSV.
struct Outcome {
    summary: Value,
    csv: String,
}

fn whole(bytes: &[u8], opts: &tierwise::Options) -> Result<Outcome, String> {
    let a = tierwise::analyze(bytes, opts).map_err(|e| e.to_string())?;
    let summary = serde_json::to_value(&a.summary).map_err(|e| format!("summary to JSON: {e}"))?;
    let csv = bytes_text(&a.to_csv());
    Ok(Outcome { summary, csv })
}

fn streamed(bytes: &[u8], opts: &tierwise::Options, n: usize) -> Result<Outcome, String> {
    // the documented two-pass protocol: a first pass, then (only when the whole file disagreed with
    // its head) a second pass over the same bytes with the whole-file decisions
    let b = tierwise::in_two_passes(
        opts,
        |a| a,
        |mut s| {
            for c in bytes.chunks(n) {
                s.push(c)?;
            }
            Ok::<_, tierwise::TierwiseError>(s)
        },
    )
    .map_err(|e| e.to_string())?;
    let summary = serde_json::to_value(&b.summary).map_err(|e| format!("summary to JSON: {e}"))?;
    let csv = bytes_text(&b.to_csv());
    Ok(Outcome { summary, csv })
}

/// Runs `f`, turning a panic into an `Err("PANIC: …")` so one bad case does not hide the others.
fn guarded<F: FnOnce() -> Result<Outcome, String>>(f: F) -> Result<Outcome, String> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(p) => Err(format!("PANIC: {}", panic_text(p))),
    }
}

/// Canonical form of an exact decimal string: no leading '+', no trailing fractional zeros, "-0" → "0".
fn canon_decimal(s: &str) -> Option<String> {
    let s = s.trim();
    let (neg, digits) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let frac = frac.trim_end_matches('0');
    let body = if frac.is_empty() {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    };
    if body == "0" {
        return Some(body);
    }
    Some(if neg { format!("-{body}") } else { body })
}

/// A per-customer CSV read back: header, rows keyed by customer_id, ids in file order.
type CustomerTable = (Vec<String>, BTreeMap<String, Vec<String>>, Vec<String>);

/// Per-customer CSV → (header, rows keyed by customer_id, ids in file order).
fn parse_csv(text: &str) -> Result<CustomerTable, String> {
    let text = text
        .strip_prefix('\u{feff}')
        .ok_or("CSV does not start with a UTF-8 BOM")?;
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = rd
        .headers()
        .map_err(|e| format!("CSV header: {e}"))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut rows = BTreeMap::new();
    let mut order = Vec::new();
    for rec in rd.records() {
        let rec = rec.map_err(|e| format!("CSV record: {e}"))?;
        let fields: Vec<String> = rec.iter().map(str::to_string).collect();
        let id = fields.first().cloned().unwrap_or_default();
        order.push(id.clone());
        if rows.insert(id.clone(), fields).is_some() {
            return Err(format!("customer id {id:?} appears twice in the CSV"));
        }
    }
    Ok((header, rows, order))
}

fn json_short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 300 {
        format!("{}…", s.chars().take(300).collect::<String>())
    } else {
        s
    }
}

/// Lists the JSON paths where two summaries differ (at most `limit`).
fn json_diff(a: &Value, b: &Value, path: &str, out: &mut Vec<String>, limit: usize) {
    if out.len() >= limit || a == b {
        return;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                json_diff(
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                    &format!("{path}.{k}"),
                    out,
                    limit,
                );
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                json_diff(p, q, &format!("{path}[{i}]"), out, limit);
            }
        }
        _ => out.push(format!(
            "{path}: whole {} vs streamed {}",
            json_short(a),
            json_short(b)
        )),
    }
}

fn first_csv_difference(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}: whole {x:?} vs streamed {y:?}", i + 1);
        }
    }
    format!("line counts {} vs {}", a.lines().count(), b.lines().count())
}

/// Customer ids present on one side only (whole vs streamed CSV), as a short prefix for a report.
fn id_difference(a: &str, b: &str) -> String {
    let ids = |t: &str| -> BTreeSet<String> {
        parse_csv(t)
            .map(|(_, rows, _)| rows.into_keys().collect())
            .unwrap_or_default()
    };
    let (x, y) = (ids(a), ids(b));
    let only_a: Vec<&String> = x.difference(&y).take(5).collect();
    let only_b: Vec<&String> = y.difference(&x).take(5).collect();
    if only_a.is_empty() && only_b.is_empty() {
        String::new()
    } else {
        format!("ids only in whole {only_a:?}, only in streamed {only_b:?}; ")
    }
}

fn input_field<'a>(summary: &'a Value, key: &str) -> &'a Value {
    let v = &summary["input"][key];
    if v.is_null() {
        &summary[key]
    } else {
        v
    }
}

fn check_counts(file: &str, exp: &Value, s: &Value, p: &mut Problems) {
    if let Some(n) = exp.get("customers") {
        if &s["customers"] != n {
            p.add(file, "customers", n, &s["customers"]);
        }
    }
    for key in ["rows", "used"] {
        if let Some(n) = exp.get(key) {
            let got = &s["input"][key];
            if got != n {
                p.add(file, &format!("input.{key}"), n, got);
            }
        }
    }
    // rejected: exactly the reasons that occur
    if let Some(rej) = exp.get("rejected").and_then(Value::as_object) {
        let got = s["input"]["rejected"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let mut got_counts: BTreeMap<String, u64> = BTreeMap::new();
        for (reason, v) in &got {
            let c = v["count"].as_u64().unwrap_or(0);
            if c > 0 {
                got_counts.insert(reason.clone(), c);
            }
        }
        let exp_counts: BTreeMap<String, u64> = rej
            .iter()
            .map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0)))
            .filter(|(_, c)| *c > 0)
            .collect();
        if got_counts != exp_counts {
            p.add(
                file,
                "input.rejected",
                format!("{exp_counts:?}"),
                format!("{got_counts:?}"),
            );
        }
    }
    // excluded: absent in the expectation = all zero
    let zero = serde_json::json!({});
    let exc = exp.get("excluded").unwrap_or(&zero);
    if exp.get("fatal").is_none() {
        for key in [
            "afterAnalysisDate",
            "ignoredReturns",
            "returnsWithoutPurchase",
        ] {
            let want = exc.get(key).and_then(Value::as_u64).unwrap_or(0);
            let got = &s["input"]["excluded"][key];
            if got.as_u64() != Some(want) {
                p.add(file, &format!("input.excluded.{key}"), want, got);
            }
        }
    }
}

fn check_format(file: &str, exp: &Value, s: &Value, p: &mut Problems) {
    if let Some(e) = exp.get("encoding").and_then(Value::as_str) {
        let got = input_field(s, "encoding");
        let gbk_family = ["GBK", "gb18030"];
        let ok = match got.as_str() {
            Some(g) if gbk_family.contains(&e) => gbk_family.contains(&g),
            Some(g) => g == e,
            None => false,
        };
        if !ok {
            p.add(file, "input.encoding", e, got);
        }
    }
    for key in ["delimiter", "header"] {
        if let Some(e) = exp.get(key) {
            let got = input_field(s, key);
            if got != e {
                p.add(file, &format!("input.{key}"), e, got);
            }
        }
    }
    if let Some(e) = exp.get("ambiguous") {
        let got = &s["input"]["dateFormat"]["ambiguous"];
        if got != e {
            p.add(file, "input.dateFormat.ambiguous", e, got);
        }
    }
    if let Some(e) = exp.get("dateOrder") {
        let got = &s["input"]["dateFormat"]["order"];
        if got != e {
            p.add(file, "input.dateFormat.order", e, got);
        }
    }
    if let Some(e) = exp.get("analysisDate") {
        if &s["analysisDate"] != e {
            p.add(file, "analysisDate", e, &s["analysisDate"]);
        }
    }
}

fn check_examples(file: &str, exp: &Value, s: &Value, p: &mut Problems) {
    let Some(list) = exp.get("examples").and_then(Value::as_array) else {
        return;
    };
    for want in list {
        let reason = want["reason"].as_str().unwrap_or("?");
        let got = s["input"]["rejected"][reason]["examples"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let Some(found) = got.iter().find(|g| g["row"] == want["row"]) else {
            p.add(
                file,
                &format!("example {reason} row {}", want["row"]),
                "an example with that row",
                format!("examples {}", json_short(&Value::Array(got.clone()))),
            );
            continue;
        };
        for key in ["column", "value", "reason"] {
            if let Some(w) = want.get(key) {
                if &found[key] != w {
                    p.add(
                        file,
                        &format!("example {reason} row {} .{key}", want["row"]),
                        w,
                        &found[key],
                    );
                }
            }
        }
    }
}

fn check_customers(file: &str, exp: &Value, csv_text: &str, p: &mut Problems) {
    let (header, rows, order) = match parse_csv(csv_text) {
        Ok(x) => x,
        Err(e) => {
            p.add(file, "customer CSV", "a readable CSV", e);
            return;
        }
    };
    const HEAD: [&str; 7] = [
        "customer_id",
        "first_date",
        "last_date",
        "recency_days",
        "frequency",
        "monetary",
        "aov",
    ];
    if header.len() < HEAD.len() || header[..HEAD.len()] != HEAD {
        p.add(file, "CSV header", HEAD.join(","), header.join(","));
    }
    let mut sorted = order.clone();
    sorted.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    if sorted != order {
        p.add(
            file,
            "CSV row order",
            "sorted by customer id (UTF-8 bytes)",
            format!("{order:?}"),
        );
    }
    if let Some(n) = exp.get("customers").and_then(Value::as_u64) {
        if rows.len() as u64 != n {
            p.add(file, "CSV customer rows", n, rows.len());
        }
    }
    if let Some(ids) = exp.get("ids").and_then(Value::as_array) {
        let want: BTreeSet<String> = ids
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        let got: BTreeSet<String> = rows.keys().cloned().collect();
        if want != got {
            p.add(
                file,
                "customer ids",
                format!("{want:?}"),
                format!("{got:?}"),
            );
        }
    }
    let col = |name: &str| header.iter().position(|h| h == name);
    let mut field = |key: &str, column: &str, cmp: &dyn Fn(&Value, &str) -> Result<(), String>| {
        let Some(map) = exp.get(key).and_then(Value::as_object) else {
            return;
        };
        let Some(ci) = col(column) else {
            p.add(file, &format!("CSV column {column}"), "present", "missing");
            return;
        };
        for (id, want) in map {
            match rows.get(id) {
                None => p.add(
                    file,
                    &format!("{key}[{id}]"),
                    want,
                    "no such customer in the CSV",
                ),
                Some(r) => {
                    let got = r.get(ci).map(String::as_str).unwrap_or("");
                    if let Err(why) = cmp(want, got) {
                        p.add(file, &format!("{key}[{id}]"), want, why);
                    }
                }
            }
        }
    };
    field("monetary", "monetary", &|want, got| {
        let w = want.as_str().and_then(canon_decimal);
        let g = canon_decimal(got);
        if w.is_some() && w == g {
            Ok(())
        } else {
            Err(format!("{got:?}"))
        }
    });
    field("frequency", "frequency", &|want, got| {
        if want.as_u64().map(|n| n.to_string()).as_deref() == Some(got.trim()) {
            Ok(())
        } else {
            Err(format!("{got:?}"))
        }
    });
    for (key, column) in [("lastDate", "last_date"), ("firstDate", "first_date")] {
        field(key, column, &|want, got| {
            if want.as_str() == Some(got) {
                Ok(())
            } else {
                Err(format!("{got:?}"))
            }
        });
    }
}

/// Self-check of the corpus: every row is used, rejected or excluded, exactly once.
fn check_expectation_arithmetic(file: &str, exp: &Value, p: &mut Problems) {
    let (Some(rows), Some(used)) = (exp["rows"].as_u64(), exp["used"].as_u64()) else {
        return;
    };
    let sum = |v: &Value| -> u64 {
        v.as_object()
            .map(|o| o.values().filter_map(Value::as_u64).sum())
            .unwrap_or(0)
    };
    let total = used + sum(&exp["rejected"]) + sum(&exp["excluded"]);
    if total != rows {
        p.add(
            file,
            "CORPUS ERROR rows = used + rejected + excluded",
            rows,
            total,
        );
    }
}

fn run_case(file: &str, data: &[u8], exp: &Value, p: &mut Problems) {
    let options_text = exp
        .get("options")
        .map(|o| o.to_string())
        .unwrap_or_else(|| "{}".to_string());
    let opts = match catch_unwind(|| tierwise::Options::from_json(&options_text)) {
        Ok(Ok(o)) => o,
        Ok(Err(e)) => {
            p.add(file, "options", format!("valid options {options_text}"), e);
            return;
        }
        Err(panic) => {
            p.add(
                file,
                "options",
                "no panic",
                format!("PANIC: {}", panic_text(panic)),
            );
            return;
        }
    };
    check_expectation_arithmetic(file, exp, p);

    let first = guarded(|| whole(data, &opts));
    if let Some(want) = exp.get("fatal").and_then(Value::as_str) {
        match &first {
            Ok(_) => p.add(
                file,
                "analyze",
                format!("fatal error containing {want:?}"),
                "success",
            ),
            Err(e) if e.starts_with("PANIC") => {
                p.add(file, "analyze", format!("fatal {want:?}"), e)
            }
            Err(e) if !e.to_lowercase().contains(&want.to_lowercase()) => p.add(
                file,
                "analyze error message",
                format!("containing {want:?}"),
                format!("{e:?}"),
            ),
            Err(_) => {}
        }
        for n in CHUNKS {
            match guarded(|| streamed(data, &opts, n)) {
                Ok(_) => p.add(
                    file,
                    &format!("stream/{n}"),
                    format!("fatal error containing {want:?}"),
                    "success",
                ),
                Err(e) if e.starts_with("PANIC") => {
                    p.add(file, &format!("stream/{n}"), format!("fatal {want:?}"), e)
                }
                Err(e) if !e.to_lowercase().contains(&want.to_lowercase()) => p.add(
                    file,
                    &format!("stream/{n} error message"),
                    format!("containing {want:?}"),
                    format!("{e:?}"),
                ),
                Err(_) => {}
            }
        }
        return;
    }

    let a = match first {
        Ok(a) => a,
        Err(e) => {
            p.add(file, "analyze", "success", e);
            // still try the streaming path, to report panics there too
            for n in CHUNKS {
                if let Err(e) = guarded(|| streamed(data, &opts, n)) {
                    if e.starts_with("PANIC") {
                        p.add(file, &format!("stream/{n}"), "no panic", e);
                    }
                }
            }
            return;
        }
    };
    check_counts(file, exp, &a.summary, p);
    check_format(file, exp, &a.summary, p);
    check_examples(file, exp, &a.summary, p);
    check_customers(file, exp, &a.csv, p);

    for n in CHUNKS {
        match guarded(|| streamed(data, &opts, n)) {
            Err(e) => p.add(file, &format!("stream/{n}"), "success", e),
            Ok(b) => {
                if b.csv != a.csv {
                    p.add(
                        file,
                        &format!("stream/{n} to_csv"),
                        "equal to whole-file CSV",
                        format!(
                            "{}{}",
                            id_difference(&a.csv, &b.csv),
                            first_csv_difference(&a.csv, &b.csv)
                        ),
                    );
                }
                if b.summary != a.summary {
                    let mut d = Vec::new();
                    // the input section first: it names the cause (encoding, counts, rejections)
                    json_diff(
                        &a.summary["input"],
                        &b.summary["input"],
                        "summary.input",
                        &mut d,
                        6,
                    );
                    let (mut x, mut y) = (a.summary.clone(), b.summary.clone());
                    if let (Some(x), Some(y)) = (x.as_object_mut(), y.as_object_mut()) {
                        x.remove("input");
                        y.remove("input");
                    }
                    json_diff(&x, &y, "summary", &mut d, 10);
                    p.add(
                        file,
                        &format!("stream/{n} summary"),
                        "equal to whole-file summary",
                        d.join("; "),
                    );
                }
            }
        }
    }
}

/// Merges reports that differ only in the chunk size (`stream/1`, `stream/2`, …) into one line
/// (`stream/1,2,3`), keeping the order of first appearance.
fn group_chunk_sizes(msgs: Vec<String>) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    let mut sizes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for m in msgs {
        let key_and_size = m.find("stream/").and_then(|at| {
            let start = at + "stream/".len();
            let len = m[start..]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .count();
            (len > 0).then(|| {
                (
                    format!(
                        "{}stream/{{}}{}",
                        &m[..start - "stream/".len()],
                        &m[start + len..]
                    ),
                    m[start..start + len].to_string(),
                )
            })
        });
        let (key, size) = key_and_size.unwrap_or((m, String::new()));
        if !sizes.contains_key(&key) {
            keys.push(key.clone());
        }
        sizes.entry(key).or_default().push(size);
    }
    keys.into_iter()
        .map(|k| {
            let s = sizes[&k].join(",");
            if s.is_empty() {
                k
            } else {
                k.replacen("stream/{}", &format!("stream/{s}"), 1)
            }
        })
        .collect()
}

fn data_file_for(dir: &Path, stem: &str) -> Option<PathBuf> {
    ["csv", "tsv", "txt"]
        .iter()
        .map(|ext| dir.join(format!("{stem}.{ext}")))
        .find(|p| p.is_file())
}

#[test]
fn ingest_corpus() {
    let dir = corpus_dir();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/ingest exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".expect.json"))
        .collect();
    names.sort();
    let mut p = Problems(Vec::new());
    if names.len() < MIN_CASES {
        p.add(
            "corpus",
            "number of cases",
            format!("at least {MIN_CASES}"),
            names.len(),
        );
    }
    // Silence the default panic hook's output for panics we catch and report ourselves.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for name in &names {
        let stem = name.trim_end_matches(".expect.json");
        let exp: Value = match std::fs::read_to_string(dir.join(name))
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
        {
            Ok(v) => v,
            Err(e) => {
                p.add(name, "expectation", "valid JSON", e);
                continue;
            }
        };
        let Some(path) = data_file_for(&dir, stem) else {
            p.add(
                name,
                "data file",
                format!("{stem}.csv/.tsv/.txt"),
                "missing",
            );
            continue;
        };
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let data = std::fs::read(&path).expect("read data file");
        run_case(&file, &data, &exp, &mut p);
    }
    std::panic::set_hook(hook);
    let p = Problems(group_chunk_sizes(p.0));
    if !p.0.is_empty() {
        panic!(
            "{} mismatch(es) in {} ingest cases:\n  {}",
            p.0.len(),
            names.len(),
            p.0.join("\n  ")
        );
    }
    eprintln!("ingest corpus: {} cases, all as expected", names.len());
}
