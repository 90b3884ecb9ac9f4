#!/usr/bin/env bash
# Fuzzes one target of fuzz/fuzz_targets/ (no panic anywhere; see each target's comment):
#   ingest   the whole ingest path, whole file = chunked (default)
#   options  options JSON over a small file (or a file after a NUL byte)
#   workbook a sheet-choosing byte, then workbook bytes: sheet list, conversion, analysis of the CSV
# Usage: scripts/fuzz.sh [TARGET] [RUNS] [extra libFuzzer flags…]   (RUNS defaults to 1,000,000)
# Not part of scripts/test.sh. Needs cargo-fuzz (installed from crates.io when missing); on stable
# Rust, RUSTC_BOOTSTRAP=1 enables the nightly flags cargo-fuzz passes. FUZZ_SANITIZER=none skips
# the address sanitizer (about 4x faster). FUZZ_JOBS=N runs N fuzzing processes of RUNS/N runs each
# (logs in fuzz/fuzz-*.log).
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=ingest
case "${1:-}" in
  ingest|options|workbook) TARGET=$1; shift ;;
esac
RUNS="${1:-1000000}"
shift || true
SANITIZER="${FUZZ_SANITIZER:-address}"
JOBS="${FUZZ_JOBS:-1}"

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

# seed corpus: the ingest fixtures up to 64 KB, behind the three control bytes the target reads
# (option set, chunk seed, small head), once plainly and once chunked with a 32-byte head
corpus=fuzz/corpus/$TARGET
mkdir -p "$corpus"
if [ "$TARGET" = options ]; then
  cp fuzz/seeds-options/*.json "$corpus/"
fi
[ "$TARGET" = ingest ] && for f in tests/fixtures/ingest/*.csv tests/fixtures/ingest/*.tsv tests/fixtures/ingest/*.txt; do
  [ -f "$f" ] || continue
  [ "$(wc -c <"$f")" -le 65536 ] || continue
  name="$(basename "$f")"
  { printf '\000\000\000'; cat "$f"; } >"$corpus/seed-$name"
  { printf '\000\007\040'; cat "$f"; } >"$corpus/seed-chunked-$name"
done
[ "$TARGET" = ingest ] && [ -d fuzz/seeds ] && cp fuzz/seeds/* "$corpus/" 2>/dev/null || true
# workbook seeds: the committed fixtures and the small hand-made workbooks of
# workbook/tests/common/hostile.rs (written by its example), up to 64 KB, each behind a sheet-choosing
# byte (0, and 1 for the workbooks with more than one sheet)
MAXLEN=8192
if [ "$TARGET" = workbook ]; then
  MAXLEN=65536
  made=fuzz/corpus/workbook-made
  cargo run --release --quiet -p tierwise-workbook --example hostile -- "$made" >/dev/null
  for f in tests/fixtures/workbooks/*.xlsx tests/fixtures/workbooks/*.xls tests/fixtures/workbooks/*.ods "$made"/*; do
    [ -f "$f" ] || continue
    [ "$(wc -c <"$f")" -le 65000 ] || continue
    name="$(basename "$f")"
    { printf '\000'; cat "$f"; } >"$corpus/seed-$name"
    { printf '\001'; cat "$f"; } >"$corpus/seed-1-$name"
  done
fi

cd fuzz
parallel=()
if [ "$JOBS" -gt 1 ]; then
  parallel=(-jobs="$JOBS" -workers="$JOBS")
  RUNS=$((RUNS / JOBS))
fi
RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer "$SANITIZER" "$TARGET" "corpus/$TARGET" -- \
  -runs="$RUNS" -max_len="$MAXLEN" -timeout=20 -print_final_stats=1 "${parallel[@]}" "$@"
