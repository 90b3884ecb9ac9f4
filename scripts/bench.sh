#!/usr/bin/env bash
# Benchmark: sets up, builds, then measures the native CLI and the page's worker in headless Chromium
# on generated 100k, 1M and 5M-row files and a 100,000-customer file (c100k) (kept in target/bench-data). Arguments go to scripts/bench.mjs
# (e.g. --sizes 1m --runs 3, --native-only, --json bench.json).
# --peers: tierwise's page path against a hand-written JS loop and DuckDB-wasm in the same Chromium, and the
# CLI against the DuckDB CLI (issue 13; scripts/bench-peers/peers.mjs); sets up the DuckDB CLI first.
# --models: each purchase model family on 100,000 customers, natively and in Chromium (scripts/bench-models.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=--tests
for a in "$@"; do [ "$a" = --peers ] && mode=--bench; done
bash scripts/setup.sh "$mode"
bash scripts/build.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
exec node scripts/bench.mjs "$@"
