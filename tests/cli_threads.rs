//! `tierwise analyze --threads N`: a file of 8 MiB or more is read in N byte ranges at once and
//! merged (`docs/speed.md#ranges`); the CSV and the summary must be byte for byte those of one
//! reader (`--threads 1`), also when a quoted line break makes the merge refuse (the file is then
//! read whole) and when the file is not UTF-8.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::Command;

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli_threads");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Runs `analyze` with `--threads n`; returns the CSV, the summary and what it said of the ranges.
fn run(file: &Path, n: usize) -> (Vec<u8>, String, String) {
    let out = scratch(&format!(
        "{}-{n}.csv",
        file.file_stem().unwrap().to_string_lossy()
    ));
    let summary = out.with_extension("json");
    let status = Command::new(env!("CARGO_BIN_EXE_tierwise"))
        .args([
            "analyze",
            file.to_str().unwrap(),
            "--threads",
            &n.to_string(),
        ])
        .arg("--out")
        .arg(&out)
        .arg("--summary")
        .arg(&summary)
        .env("TIERWISE_TIMINGS", "1")
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let stderr = String::from_utf8_lossy(&status.stderr);
    let ranges = stderr
        .lines()
        .find(|l| l.starts_with("ranges: "))
        .unwrap_or("");
    (
        std::fs::read(&out).unwrap(),
        std::fs::read_to_string(&summary).unwrap(),
        ranges.to_string(),
    )
}

/// About 9 MiB of transactions with rejected rows scattered through it (so row numbers in the
/// examples must follow on across ranges) and, with `quoted_breaks`, notes holding line breaks.
fn write_file(name: &str, quoted_breaks: bool) -> PathBuf {
    let mut text = String::from("order_id,customer_id,order_date,amount,note\n");
    let mut i = 0u64;
    while text.len() < 9 << 20 {
        let amount = if i % 50_021 == 7 {
            "n/a".to_string()
        } else {
            format!("{}.{:02}", 5 + i % 400, i % 100)
        };
        let note = if quoted_breaks && i % 3 == 0 {
            "\"two\nlines\""
        } else {
            "plain"
        };
        text.push_str(&format!(
            "O{i},C{:05},2024-{:02}-{:02},{amount},{note}\n",
            (i * 7919) % 30_011,
            1 + i % 12,
            1 + i % 28
        ));
        i += 1;
    }
    let path = scratch(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn threads_give_the_bytes_of_one_reader() {
    for (name, quoted) in [("plain.csv", false), ("quoted.csv", true)] {
        let file = write_file(name, quoted);
        let (csv1, summary1, ranges) = run(&file, 1);
        assert_eq!(ranges, "", "--threads 1 reads in one piece");
        assert!(
            summary1.contains("could not parse amount"),
            "{name}: rejected rows expected"
        );
        for n in [2, 3, 7] {
            let (csv, summary, ranges) = run(&file, n);
            // 9 MiB makes at most two ranges of 4 MiB or more; the quoted line breaks (one row in
            // three) put the cut inside quotes: the merge refuses, and the first reader reads on
            let want = if quoted {
                "ranges: not merged; the first reader read on alone"
            } else {
                "ranges: read in 2 byte ranges at once"
            };
            assert_eq!(ranges, want, "{name} with --threads {n}");
            assert!(csv == csv1, "{name}: the CSV of --threads {n} differs");
            assert_eq!(
                summary, summary1,
                "{name}: the summary of --threads {n} differs"
            );
        }
    }
}

#[test]
fn a_wrong_thread_count_is_named() {
    for bad in ["0", "x", "1000"] {
        let out = Command::new(env!("CARGO_BIN_EXE_tierwise"))
            .args(["analyze", "www/sample.csv", "--threads", bad])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!(
                "--threads: expected a number from 1 to 256, got \"{bad}\""
            )),
            "{err}"
        );
    }
}

/// A file in a legacy encoding (GBK, as Chinese spreadsheets save CSV) is read by one reader from
/// the start: only plain UTF-8 ranges merge, and the head shows the encoding.
#[test]
fn a_gbk_file_is_read_alone_from_the_start() {
    let mut text = String::from("客户ID,下单时间,实付金额\n");
    let mut i = 0u32;
    while text.len() < 9 << 20 {
        text.push_str(&format!(
            "会员{:05},2024-{:02}-{:02},{}.{:02}\n",
            (i * 7919) % 30_011,
            1 + i % 12,
            1 + i % 28,
            5 + i % 400,
            i % 100
        ));
        i += 1;
    }
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let path = scratch("gbk.csv");
    std::fs::write(&path, &gbk).unwrap();
    let (csv1, summary1, _) = run(&path, 1);
    assert!(
        summary1.contains("\"encoding\": \"GBK\"")
            || summary1.contains("\"encoding\": \"gb18030\""),
        "read as GBK"
    );
    let (csv, summary, ranges) = run(&path, 2);
    assert_eq!(ranges, "", "read alone from the start");
    assert!(csv == csv1);
    assert_eq!(summary, summary1);
}
