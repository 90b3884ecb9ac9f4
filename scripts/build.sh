#!/usr/bin/env bash
# Builds the wasm package into www/pkg, copies the pinned chart library into www/vendor and the CDNOW
# sample into www/data/cdnow, builds the native CLI, and reports the wasm size, failing when it is over the
# budget in scripts/wasm-budget.txt. Assumes scripts/setup.sh has run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

wasm-pack build --release --target web --out-dir www/pkg --out-name tierwise --no-pack 2>&1 \
  | grep -vE '^\s*$|Compiling|Checking|Downloaded|Downloading|Updating' >&2 || true
[ -f www/pkg/tierwise_bg.wasm ] || { echo "[build] wasm-pack failed" >&2; exit 1; }
rm -f www/pkg/.gitignore
mkdir -p www/vendor
cp node_modules/echarts/dist/echarts.min.js www/vendor/echarts.min.js
cp node_modules/echarts/LICENSE www/vendor/echarts.LICENSE.txt
# The page's "CDNOW sample" button loads this reference data set from the site itself; its attribution
# (README, the lifetimes package's MIT licence) must sit next to every copy.
mkdir -p www/data/cdnow
cp tests/fixtures/cdnow/CDNOW_sample.txt tests/fixtures/cdnow/cdnow_customers_summary_with_transactions.csv \
  tests/fixtures/cdnow/README.md tests/fixtures/cdnow/LICENSE-lifetimes-MIT.txt www/data/cdnow/
cargo build --release --quiet --bin tierwise

raw=$(stat -c %s www/pkg/tierwise_bg.wasm)
gz=$(gzip -9 -c www/pkg/tierwise_bg.wasm | wc -c)
printf '[build] wasm size: %d KB raw, %d KB gzipped (www/pkg/tierwise_bg.wasm)\n' $((raw / 1024)) $((gz / 1024)) >&2
budget=$(grep -v '^[[:space:]]*#' scripts/wasm-budget.txt | tr -d '[:space:]')
[[ "$budget" =~ ^[0-9]+$ ]] || { echo "[build] scripts/wasm-budget.txt holds no byte count" >&2; exit 1; }
if [ "$raw" -gt "$budget" ]; then
  printf '[build] FAILED: www/pkg/tierwise_bg.wasm is %d bytes, over the budget of %d bytes (scripts/wasm-budget.txt) by %d bytes.\n' \
    "$raw" "$budget" $((raw - budget)) >&2
  echo "[build] Shrink the module, or raise the budget in the commit that needs it and say why in its message." >&2
  exit 1
fi
printf '[build] wasm budget: %d of %d bytes (%d%%)\n' "$raw" "$budget" $((raw * 100 / budget)) >&2
