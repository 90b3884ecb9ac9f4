#!/usr/bin/env python3
"""The SQL export checked label for label (docs/sql.md#verification).

For every case (the ingest fixture corpus, the bundled sample with each scoring mode and option
family, the CDNOW sample), with the cut points fitted in the script and fitted in SQL:

1. `tierwise rows FILE` writes the rows as the core read them; DuckDB loads them into a table
   `transactions` with the file's column names (dates as DATE, numbers as DECIMAL(38, 6), the rest
   as text), as a warehouse table would hold them;
2. `tierwise sql FILE --dialect duckdb` writes the script, and DuckDB runs it;
3. `tierwise analyze FILE` (models off) writes customers.csv, the reference: every column of every
   customer must be equal: the same customers in the same order, identical text, identical scores,
   money equal to the millionth (the script keeps money in exact integers of millionths);
4. the PostgreSQL, BigQuery and Spark scripts of the same case are parsed by sqlglot in their own
   dialect (syntax only: no engine of theirs runs here).

Run by scripts/test.sh with the test venv (scripts/setup.sh --tests installs duckdb and sqlglot
from PyPI, pinned there). Exit code 1 on any difference, with the first differences listed.
"""

import csv
import glob
import json
import os
import subprocess
import sys
import tempfile
from decimal import Decimal

import duckdb
import sqlglot

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("TIERWISE_BIN", os.path.join(ROOT, "target/release/tierwise"))
COLUMNS = (
    "customer_id first_date last_date recency_days frequency monetary aov r_score f_score m_score "
    "rfm_code segment_cn8 segment_rfm11 segment_custom grade_abc grade_ladder grade_absolute "
    "activity lifecycle churn_flags risk p_alive expected_purchases predicted_clv action"
).split()
MONEY = {"monetary", "aov"}
SAMPLE = os.path.join(ROOT, "www/sample.csv")
CDNOW = os.path.join(ROOT, "tests/fixtures/cdnow/CDNOW_sample.txt")
GLOT = {"postgres": "postgres", "bigquery": "bigquery", "spark": "spark"}

# option sets on the sample (shared with tests/sql_postgres.test.mjs)
with open(os.path.join(ROOT, "tests/sql/cases.json"), encoding="utf-8") as _fh:
    SAMPLE_CASES = json.load(_fh)["sample"]


def run(args, **kw):
    r = subprocess.run([BIN, *args], capture_output=True, text=True, **kw)
    if r.returncode != 0:
        raise RuntimeError(f"tierwise {' '.join(args)}: exit {r.returncode}: {r.stderr.strip()}")
    return r


def column_name(v):
    return v if isinstance(v, str) else f"column {v}"


def load(con, rows_csv, summary):
    """The rows file as a typed table `transactions` (what a warehouse table would hold)."""
    with open(rows_csv, newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    cols = summary["input"]["columns"]
    types = {h: "VARCHAR" for h in header}
    types[column_name(cols["date"])] = "DATE"
    for role in ("amount", "quantity", "unitPrice"):
        if cols.get(role) is not None and column_name(cols[role]) in types:
            types[column_name(cols[role])] = "DECIMAL(38, 6)"
    con.execute("DROP TABLE IF EXISTS transactions")
    con.execute(
        "CREATE TABLE transactions AS SELECT * FROM read_csv(?, header = true, columns = ?, "
        "delim = ',', quote = '\"', escape = '\"', auto_detect = false)",
        [rows_csv, types],
    )


def unguarded(cell):
    """A customers.csv cell as data: the CSV guards text that would start an Excel formula with a
    leading `'` (docs/outputs.md); the script returns the value itself."""
    if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        return cell[1:]
    return cell


def compare(name, got, names, reference):
    """Differences between the script's rows and customers.csv (a list of messages)."""
    with open(reference, newline="", encoding="utf-8-sig") as fh:
        ref = list(csv.reader(fh))
    header, ref = ref[0], ref[1:]
    if header != names or header[: len(COLUMNS)] != COLUMNS:
        return [f"{name}: columns {names} / {header}"]
    if len(got) != len(ref):
        return [f"{name}: {len(got)} rows from SQL, {len(ref)} customers from the core"]
    diffs = []
    for row, want in zip(got, ref):
        for i, col in enumerate(header):
            v, w = row[i], unguarded(want[i])
            if col in MONEY and v is not None:
                same = w != "" and Decimal(w) == Decimal(v)
            else:
                same = ("" if v is None else str(v)) == w
            if not same:
                diffs.append(f"{name}: customer {want[0]!r} {col}: SQL {v!r}, core {w!r}")
    return diffs


def check(path, options, label, tmp, con, counts):
    options = {**options, "model": {"enabled": False}}
    o = json.dumps(options, ensure_ascii=False)
    rows_csv, ref, summ = (os.path.join(tmp, n) for n in ("rows.csv", "customers.csv", "summary.json"))
    try:
        run(["analyze", path, "--options", o, "--out", ref, "--summary", summ])
    except RuntimeError as e:
        return [], str(e)  # a file the core refuses has no customers to compare
    run(["rows", path, "--options", o, "--out", rows_csv])
    with open(summ, encoding="utf-8") as fh:
        summary = json.load(fh)
    load(con, rows_csv, summary)
    diffs = []
    for cuts in ("fitted", "sql"):
        script = run(["sql", path, "--options", o, "--dialect", "duckdb", "--cuts", cuts]).stdout
        name = f"{label} [{cuts}]"
        try:
            cur = con.execute(script)
            got = cur.fetchall()
            names = [d[0] for d in cur.description]
        except duckdb.Error as e:
            diffs.append(f"{name}: DuckDB: {e}")
            continue
        diffs += compare(name, got, names, ref)
        counts["customers"] += len(got)
        counts["scripts"] += 1
        for dialect, glot in GLOT.items():
            text = run(["sql", path, "--options", o, "--dialect", dialect, "--cuts", cuts]).stdout
            try:
                sqlglot.parse(text, read=glot, error_level=sqlglot.ErrorLevel.RAISE)
                counts["parsed"] += 1
            except Exception as e:  # sqlglot's errors have several classes
                diffs.append(f"{name} {dialect}: sqlglot: {str(e)[:300]}")
    return diffs, None


def cases():
    for path in sorted(glob.glob(os.path.join(ROOT, "tests/fixtures/ingest/*"))):
        if path.endswith((".json", ".py")):
            continue
        options = {}
        expect = path.rsplit(".", 1)[0] + ".expect.json"
        if os.path.exists(expect):
            with open(expect, encoding="utf-8") as fh:
                options = json.load(fh).get("options", {})
        yield path, options, os.path.relpath(path, ROOT)
    for i, options in enumerate(SAMPLE_CASES):
        yield SAMPLE, options, f"www/sample.csv #{i} {json.dumps(options, ensure_ascii=False)}"
    with open(os.path.join(ROOT, "tests/sql/cases.json"), encoding="utf-8") as fh:
        files = json.load(fh)["files"]
    for i, case in enumerate(files):
        yield os.path.join(ROOT, case["file"]), case["options"], f"{case['file']} #{i}"
    cdnow = {"analysisDate": "1998-06-30", "columns": {"customer": 1, "date": 2, "amount": 4}}
    yield CDNOW, cdnow, "CDNOW"


def main():
    counts = {"files": 0, "skipped": 0, "scripts": 0, "customers": 0, "parsed": 0}
    diffs = []
    con = duckdb.connect()
    with tempfile.TemporaryDirectory() as tmp:
        for path, options, label in cases():
            d, skipped = check(path, options, label, tmp, con, counts)
            if skipped:
                counts["skipped"] += 1
                continue
            counts["files"] += 1
            diffs += d
    print(
        f"sql verify: DuckDB {duckdb.__version__}, sqlglot {sqlglot.__version__}: {counts['files']} cases "
        f"({counts['skipped']} files the core refuses), {counts['scripts']} DuckDB scripts run, "
        f"{counts['customers']} customer rows compared column by column, {counts['parsed']} other-dialect scripts parsed"
    )
    if counts["scripts"] < 100:
        diffs.append(f"only {counts['scripts']} DuckDB scripts ran")
    for line in diffs[:40]:
        print("  " + line)
    if diffs:
        print(f"sql verify: {len(diffs)} differences")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
