#!/usr/bin/env bash
# Golden outputs for restructuring steps: records the CLI's customers.csv, summary.json, stderr and exit
# code for every fixture file, the sample, CDNOW, a generated 1M-row file and a compare run, then checks
# a later build against them. customers.csv, stderr, exit codes and comparison.json must be
# byte-identical; summary.json may only gain keys (e.g. message codes) — every recorded value must stay.
#   scripts/golden.sh record DIR    (e.g. target/golden-before)
#   scripts/golden.sh check DIR
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:?record|check}; dir=${2:?directory}
bin=target/release/tierwise
cargo build --release --quiet --bin tierwise
big=target/bench-data/transactions-1m.csv
if [ ! -f "$big" ]; then
  mkdir -p target/bench-data
  node scripts/generate-sample.mjs --rows 1000000 --out "$big"
fi
files=(tests/fixtures/ingest/*.csv tests/fixtures/small/*.csv tests/fixtures/cdnow/*.txt
  tests/fixtures/cdnow/*.csv www/sample.csv "$big")
out=$dir; [ "$mode" = check ] && out=$(mktemp -d)
mkdir -p "$out"
run() { # name, then CLI arguments
  local name=$1; shift
  local d="$out/$name"; mkdir -p "$d"
  set +e
  "$bin" "$@" >"$d/stdout" 2>"$d/stderr"; echo $? >"$d/rc"
  set -e
}
for f in "${files[@]}"; do
  n=$(echo "$f" | tr '/' '_')
  run "$n" analyze "$f" --out "$out/$n.customers.csv" --summary "$out/$n.summary.json"
  [ "$f" = "$big" ] || run "$n.zh" analyze "$f" --options '{"labels":"zh"}' --out "$out/$n.zh.customers.csv" --summary "$out/$n.zh.summary.json"
done
run compare_sample compare www/sample.csv --from 2024-06-30 --to 2024-12-31 --out "$out/compare_sample.json"
run compare_cdnow compare tests/fixtures/cdnow/CDNOW_sample.txt --from 1997-12-31 --to 1998-06-30 --out "$out/compare_cdnow.json"
[ "$mode" = record ] && { echo "[golden] recorded $(ls "$out" | wc -l) entries in $out"; exit 0; }

fail=0
while IFS= read -r rel; do
  case "$rel" in
    *.summary.json) node -e '
      const [a, b] = process.argv.slice(1).map((f) => JSON.parse(require("fs").readFileSync(f, "utf8")));
      const walk = (x, y, p) => {
        if (x === null || typeof x !== "object") {
          if (x !== y) throw new Error(`${p}: ${JSON.stringify(x)} became ${JSON.stringify(y)}`);
          return;
        }
        if (y === null || typeof y !== "object") throw new Error(`${p}: object became ${JSON.stringify(y)}`);
        if (Array.isArray(x) && (!Array.isArray(y) || x.length !== y.length)) throw new Error(`${p}: array length changed`);
        for (const k of Object.keys(x)) walk(x[k], y[k], `${p}.${k}`);
      };
      walk(a, b, "summary");' "$dir/$rel" "$out/$rel" || { echo "[golden] differs: $rel"; fail=1; } ;;
    *) cmp -s "$dir/$rel" "$out/$rel" || { echo "[golden] differs: $rel"; fail=1; } ;;
  esac
done < <(cd "$dir" && find . -type f | sed 's|^\./||' | sort)
[ "$fail" = 0 ] && echo "[golden] all $(cd "$dir" && find . -type f | wc -l) files identical (summaries may only gain keys)"
rm -rf "$out"
exit $fail
