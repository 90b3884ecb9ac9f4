#!/usr/bin/env bash
# Fuzzes one target of fuzz/fuzz_targets/ (no panic anywhere; see each target's comment):
#   ingest   the whole ingest path, whole file = chunked (default)
#   options  options JSON over a small file (or a file after a NUL byte)
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

cd fuzz
parallel=()
if [ "$JOBS" -gt 1 ]; then
  parallel=(-jobs="$JOBS" -workers="$JOBS")
  RUNS=$((RUNS / JOBS))
fi
RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer "$SANITIZER" "$TARGET" "corpus/$TARGET" -- \
  -runs="$RUNS" -max_len=8192 -timeout=20 -print_final_stats=1 "${parallel[@]}" "$@"
