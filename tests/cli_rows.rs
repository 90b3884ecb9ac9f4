//! `tierwise rows`: the valid rows as the analysis read them, one CSV record each
//! (`docs/input.md#the-rows-as-read-tierwise-rows`). Expected values are worked out by hand from the
//! fixtures; the corpus check compares the row count with the summary's counts, and the net spend
//! recomputed from the written rows alone with the customers CSV.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ingest")
        .join(name)
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("tierwise-rows-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

fn tierwise(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tierwise"))
        .args(args)
        .output()
        .unwrap()
}

/// Runs `tierwise rows FILE [--options JSON] --out …` and returns the file's bytes (the run must
/// succeed).
fn rows_bytes(file: &Path, options: Option<&str>) -> Vec<u8> {
    let d = tmpdir("out");
    let out = d.join(format!(
        "{}.csv",
        file.file_name().unwrap().to_string_lossy()
    ));
    let mut args: Vec<&std::ffi::OsStr> = vec![os("rows"), file.as_os_str()];
    if let Some(o) = options {
        args.extend([os("--options"), os(o)]);
    }
    args.extend([os("--out"), out.as_os_str()]);
    let r = tierwise(&args);
    assert!(
        r.status.success(),
        "{}: {}",
        file.display(),
        String::from_utf8_lossy(&r.stderr)
    );
    std::fs::read(&out).unwrap()
}

/// The rows CSV read back with the `csv` crate: (header, records).
fn parse(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let records = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, records)
}

fn rows(file: &Path, options: Option<&str>) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = rows_bytes(file, options);
    assert!(!bytes.starts_with(b"\xEF\xBB\xBF"), "no byte-order mark");
    assert!(!bytes.contains(&b'\r'), "\\n line ends");
    assert!(std::str::from_utf8(&bytes).is_ok(), "UTF-8");
    parse(&bytes)
}

/// Runs `tierwise analyze` and returns (customers CSV without its BOM, summary), or `None` when it
/// fails (a fatal input).
fn analyze(file: &Path, options: Option<&str>) -> Option<(String, serde_json::Value)> {
    let d = tmpdir("analyze");
    let stem = file.file_name().unwrap().to_string_lossy().to_string();
    let (csv, summary) = (
        d.join(format!("{stem}.csv")),
        d.join(format!("{stem}.json")),
    );
    let mut args: Vec<&std::ffi::OsStr> = vec![os("analyze"), file.as_os_str()];
    if let Some(o) = options {
        args.extend([os("--options"), os(o)]);
    }
    args.extend([
        os("--out"),
        csv.as_os_str(),
        os("--summary"),
        summary.as_os_str(),
    ]);
    let r = tierwise(&args);
    if !r.status.success() {
        return None;
    }
    let text = std::fs::read_to_string(&csv).unwrap();
    let summary = serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    Some((text.trim_start_matches('\u{feff}').to_string(), summary))
}

/// Rows of the analysis that are valid rows (docs/facts.md#returns-policies,
/// docs/input.md#rows-after-the-analysis-date): used, or excluded for the analysis date or the
/// returns policy. `filteredOut` rows are not valid rows.
fn valid_rows(s: &serde_json::Value) -> u64 {
    let i = &s["input"];
    let n = |v: &serde_json::Value| v.as_u64().unwrap();
    n(&i["used"])
        + n(&i["excluded"]["afterAnalysisDate"])
        + n(&i["excluded"]["ignoredReturns"])
        + n(&i["excluded"]["returnsWithoutPurchase"])
}

fn strs(r: &[&str]) -> Vec<String> {
    r.iter().map(|s| s.to_string()).collect()
}

#[test]
fn quantity_times_unit_price_with_cancellations() {
    let file = fixture("qty_price_uci.csv");
    let (header, recs) = rows(&file, None);
    // customer, date, order, (no amount column), quantity, unit price, category (StockCode)
    assert_eq!(
        header,
        strs(&[
            "CustomerID",
            "InvoiceDate",
            "InvoiceNo",
            "Quantity",
            "UnitPrice",
            "StockCode"
        ])
    );
    // 10 rows: row 9 has no CustomerID (missing_customer), row 11 the quantity "abc" (bad_amount);
    // the other 8 are valid, the cancellation C536379 and the negative quantity of 536382 included
    assert_eq!(recs.len(), 8);
    let (_, s) = analyze(&file, None).unwrap();
    assert_eq!(valid_rows(&s), 8);
    assert_eq!(
        recs[0],
        strs(&["17850", "2010-12-01", "536365", "6", "2.55", "85123A"])
    );
    // 27.50 written without its trailing zero; the cancellation's order id as in the file
    assert_eq!(
        recs[3],
        strs(&["14527", "2010-12-01", "C536379", "-1", "27.5", "D"])
    );
    assert_eq!(
        recs[6],
        strs(&["12583", "2010-12-02", "536382", "-2", "4.25", "22139"])
    );
    // 12/14/2010 12:00, month first
    assert_eq!(
        recs[7],
        strs(&["13047", "2010-12-14", "536390", "3", "2.1", "21754"])
    );
    // in file order: rows 2–8 and 10
    let customers: Vec<&str> = recs.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        customers,
        ["17850", "17850", "17850", "14527", "14527", "12583", "12583", "13047"]
    );

    // rows after the analysis date and ignored returns are valid rows: still written
    let opts = r#"{"analysisDate": "2010-12-01", "returns": "ignore"}"#;
    let (_, later) = rows(&file, Some(opts));
    assert_eq!(later.len(), 8);
    let (_, s) = analyze(&file, Some(opts)).unwrap();
    assert_eq!(s["input"]["excluded"]["afterAnalysisDate"], 3);
    assert_eq!(s["input"]["excluded"]["ignoredReturns"], 1);
    assert_eq!(s["input"]["used"], 4);
    assert_eq!(valid_rows(&s), 8);

    // rows left out by options.filter are not
    let opts = r#"{"filter": {"Country": ["France"]}}"#;
    let (_, france) = rows(&file, Some(opts));
    assert_eq!(
        france,
        vec![
            // (the filter's column is written too, after the roles: a script re-applies the filter)
            strs(&[
                "12583",
                "2010-12-02",
                "536381",
                "2",
                "4.25",
                "22139",
                "France"
            ]),
            strs(&[
                "12583",
                "2010-12-02",
                "536382",
                "-2",
                "4.25",
                "22139",
                "France"
            ]),
        ]
    );
}

#[test]
fn dates_in_the_reading_decided_at_the_end() {
    // 80,000 dates both readings fit, then 13/1/2024 in the last row: day first for every row
    let (header, recs) = rows(&fixture("late_dayfirst.csv"), None);
    assert_eq!(header, strs(&["customer_id", "order_date", "amount"]));
    assert_eq!(recs.len(), 80_001);
    assert_eq!(recs[0], strs(&["K00", "2024-02-01", "1"])); // 1/2/2024
    assert_eq!(recs[1], strs(&["K01", "2024-04-03", "1"])); // 3/4/2024
    assert_eq!(recs[2], strs(&["K02", "2024-06-05", "1"])); // 5/6/2024
    assert_eq!(recs[3], strs(&["K03", "2024-01-02", "1"])); // 2/1/2024
    assert_eq!(recs[80_000], strs(&["Z", "2024-01-13", "1"]));

    // dateOrder dmy on an ambiguous column
    let (_, recs) = rows(
        &fixture("dates_ambiguous_dmy.csv"),
        Some(r#"{"dateOrder": "dmy"}"#),
    );
    let days: Vec<&str> = recs.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(
        days,
        ["2024-02-01", "2024-04-03", "2024-06-05", "2024-01-02"]
    );

    // the head reads month first (1/13/2024 fits only that reading), the whole file day first (two
    // values against one): the row only month-first reads is rejected as bad_date, not written
    let d = tmpdir("switch");
    let mut text = String::from("customer_id,order_date,amount\nB,1/13/2024,7\n");
    for _ in 0..2100 {
        text.push_str("A,1/2/2024,1\n");
    }
    text.push_str("C,13/1/2024,2\nC,14/1/2024,3\n");
    let file = d.join("switch.csv");
    std::fs::write(&file, text).unwrap();
    let (_, recs) = rows(&file, None);
    assert_eq!(recs.len(), 2102);
    assert_eq!(recs[0], strs(&["A", "2024-02-01", "1"]));
    assert_eq!(recs[2101], strs(&["C", "2024-01-14", "3"]));
    assert!(recs.iter().all(|r| r[0] != "B"));
    let (_, s) = analyze(&file, None).unwrap();
    assert_eq!(s["input"]["dateFormat"]["order"], "dmy");
    assert_eq!(s["input"]["rejected"]["bad_date"]["count"], 1);
    assert_eq!(valid_rows(&s), 2102);
}

#[test]
fn chinese_text_round_trips_as_utf8() {
    // GBK written by Excel: the customer's name as the id, the remark (with full-width commas) as
    // the category
    let opts = r#"{"columns": {"customer": "客户名称", "category": "备注"}}"#;
    let (header, recs) = rows(&fixture("gbk_excel_chinese.csv"), Some(opts));
    assert_eq!(
        header,
        strs(&["客户名称", "交易日期", "订单号", "订单金额", "备注"])
    );
    assert_eq!(recs.len(), 8);
    // "1,280.00" → 1280; ￥560.50 → 560.5; 320元 → 320
    assert_eq!(
        recs[0],
        strs(&[
            "张三",
            "2024-03-01",
            "DD001",
            "1280",
            "感谢您的购买，欢迎再次光临本店，我们将竭诚为您服务"
        ])
    );
    assert_eq!(
        recs[1][..4],
        strs(&["李四", "2024-03-02", "DD002", "560.5"])
    );
    assert_eq!(recs[2][..4], strs(&["张三", "2024-03-05", "DD003", "320"]));
    assert_eq!(recs[7][4], "积分兑换商品，另付差价，本月活动最后一天");

    // Big5: traditional Chinese ids
    let (_, recs) = rows(&fixture("big5_traditional.csv"), None);
    let ids: Vec<&str> = recs.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        ids,
        ["陳大文", "林小美", "陳大文", "黃志明", "林小美", "黃志明"]
    );
}

#[test]
fn decimal_comma_amounts_are_written_with_a_point() {
    let (header, recs) = rows(&fixture("decimal_comma_semicolon.csv"), None);
    assert_eq!(header, strs(&["customer_id", "order_date", "amount"]));
    let amounts: Vec<&str> = recs.iter().map(|r| r[2].as_str()).collect();
    // 12,50 / 1.234,50 / 1 234,50 / 0,99 / 7 / € 2,5
    assert_eq!(amounts, ["12.5", "1234.5", "1234.5", "0.99", "7", "2.5"]);
}

#[test]
fn signals_quoting_and_cleaned_ids() {
    let d = tmpdir("signals");
    let file = d.join("signals.csv");
    // an id with a zero-width space (one customer with "A"), an id Excel would take for a formula
    // (written as it is: this file is for machines), a category with a comma and quotes; the
    // signal column mapped by name
    let text = "customer_id,order_date,amount,category,complaint\n\
                A,2024-01-01,10,plain,yes\n\
                A\u{200B},2024-01-02,-2.5,\"a, \"\"b\"\"\",0\n\
                =SUM(1),2024-01-03,0.0000015,x,是\n\
                B,2024-01-04,1.000000,,\n\
                C,2024-01-05,\"1,234.5\",y,X\n\
                D,2024-01-06,3,z,no\n";
    std::fs::write(&file, text).unwrap();
    let opts = r#"{"columns": {"signals": ["complaint"], "category": "category"}}"#;
    let bytes = rows_bytes(&file, Some(opts));
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(
        text.contains("\n=SUM(1),"),
        "no apostrophe before a formula: {text}"
    );
    assert!(
        text.contains(",\"a, \"\"b\"\"\","),
        "RFC 4180 quoting: {text}"
    );
    let (header, recs) = parse(&bytes);
    assert_eq!(
        header,
        strs(&[
            "customer_id",
            "order_date",
            "amount",
            "category",
            "complaint"
        ])
    );
    assert_eq!(
        recs,
        vec![
            strs(&["A", "2024-01-01", "10", "plain", "true"]),
            strs(&["A", "2024-01-02", "-2.5", "a, \"b\"", "false"]),
            // 0.0000015 rounds half-to-even to 0.000002
            strs(&["=SUM(1)", "2024-01-03", "0.000002", "x", "true"]),
            strs(&["B", "2024-01-04", "1", "", "false"]),
            strs(&["C", "2024-01-05", "1234.5", "y", "true"]),
            strs(&["D", "2024-01-06", "3", "z", "false"]),
        ]
    );
}

#[test]
fn usage_errors_exit_2() {
    let r = tierwise(&[os("rows")]);
    assert_eq!(r.status.code(), Some(2));
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(err.contains("missing FILE"), "{err}");
    assert!(err.contains("tierwise rows FILE"), "{err}");

    let f = fixture("utf8_basic.csv");
    let r = tierwise(&[os("rows"), f.as_os_str(), os("--summary"), os("s.json")]);
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("rows takes FILE"));

    // a fatal input: exit 2 with the core's message, nothing written
    let d = tmpdir("fatal");
    let out = d.join("never.csv");
    let empty = fixture("fatal_empty.csv");
    let r = tierwise(&[os("rows"), empty.as_os_str(), os("--out"), out.as_os_str()]);
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("the file is empty"));
    assert!(!out.exists());
}

/// A plain decimal (`-12.5`, `7`) in millionths, read here without the product's code.
fn millionths(s: &str) -> i128 {
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    assert!(frac.len() <= 6 && !frac.ends_with('0'), "{s}");
    let v =
        int.parse::<i128>().unwrap() * 1_000_000 + format!("{frac:0<6}").parse::<i128>().unwrap();
    if neg {
        -v
    } else {
        v
    }
}

/// `a × b / 10⁶`, rounded half to even (quantity × unit price in millionths).
fn product(a: i128, b: i128) -> i128 {
    let (n, d) = (a * b, 1_000_000);
    let (q, r) = (n.div_euclid(d), n.rem_euclid(d));
    if 2 * r > d || (2 * r == d && q % 2 != 0) {
        q + 1
    } else {
        q
    }
}

/// Net spend per customer recomputed from the written rows alone, as docs/facts.md defines it under
/// `returns: "net"`: rows up to the analysis date; a return (a cancellation order id, else a negative
/// quantity, else without a quantity a negative amount) lowers it by its absolute value; customers
/// with no order row are not analysed. `None` when the rows carry no amount.
fn net_spend(
    header: &[String],
    recs: &[Vec<String>],
    s: &serde_json::Value,
    cancel: Option<&str>,
) -> Option<BTreeMap<String, i128>> {
    let cols = &s["input"]["columns"];
    let at = |role: &str| {
        let name = match &cols[role] {
            serde_json::Value::String(n) => n.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            _ => return None,
        };
        header.iter().position(|h| *h == name)
    };
    let (amount, qty, price, order) = (at("amount"), at("quantity"), at("unitPrice"), at("order"));
    if amount.is_none() && price.is_none() {
        return None;
    }
    let date = s["analysisDate"].as_str().unwrap();
    let mut spend: BTreeMap<String, (i128, bool)> = BTreeMap::new();
    for r in recs {
        if r[1].as_str() > date {
            continue;
        }
        let q = qty.map(|c| millionths(&r[c]));
        let v = match (amount, price) {
            (Some(a), _) => millionths(&r[a]),
            (None, Some(p)) => product(q.unwrap(), millionths(&r[p])),
            _ => unreachable!(),
        };
        let cancelled = match (order, cancel) {
            (Some(o), Some(p)) => r[o]
                .strip_prefix(p)
                .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())),
            _ => false,
        };
        let is_return = cancelled || q.map_or(v < 0, |q| q < 0);
        let e = spend.entry(r[0].clone()).or_insert((0, false));
        e.0 += if is_return { -v.abs() } else { v };
        e.1 |= !is_return;
    }
    Some(
        spend
            .into_iter()
            .filter(|(_, (_, order))| *order)
            .map(|(c, (v, _))| (c, v))
            .collect(),
    )
}

#[test]
fn every_fixture_writes_its_valid_rows() {
    let dir = fixture("");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| !n.ends_with(".json") && !n.ends_with(".py") && !n.starts_with("fatal_"))
        .collect();
    names.sort();
    let (mut checked, mut spends) = (0, 0);
    for name in &names {
        let file = dir.join(name);
        let expect: serde_json::Value = std::fs::read_to_string(
            dir.join(format!("{}.expect.json", name.rsplit_once('.').unwrap().0)),
        )
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
        // the fixture as is, and with the options its expectations were written for
        let mut runs = vec![None];
        if let Some(o) = expect.get("options") {
            runs.push(Some(o.to_string()));
        }
        for opts in runs {
            let Some((customers, s)) = analyze(&file, opts.as_deref()) else {
                continue; // a fatal input for analyze: rows fails the same way
            };
            let (header, recs) = rows(&file, opts.as_deref());
            assert_eq!(
                recs.len() as u64,
                valid_rows(&s),
                "{name} {opts:?}: {}",
                s["input"]
            );
            checked += 1;
            // the rows alone give back each customer's net spend (returns: net only)
            let o: serde_json::Value = opts.as_deref().map_or(serde_json::Value::Null, |t| {
                serde_json::from_str(t).unwrap()
            });
            if o.get("returns").is_some_and(|r| r != "net") {
                continue;
            }
            let cancel = match o.get("cancelPrefix") {
                Some(serde_json::Value::String(p)) if !p.is_empty() => Some(p.as_str()),
                Some(_) => None,
                None => Some("C"),
            };
            let Some(spend) = net_spend(&header, &recs, &s, cancel) else {
                continue;
            };
            let (_, by_id) = parse(customers.as_bytes());
            let monetary: BTreeMap<String, i128> = by_id
                .iter()
                .map(|r| (r[0].trim_start_matches('\'').to_string(), millionths(&r[5])))
                .collect();
            assert_eq!(spend, monetary, "{name} {opts:?}");
            spends += 1;
        }
    }
    assert!(checked >= 70, "{checked} runs checked");
    assert!(spends >= 60, "{spends} spends checked");
}
