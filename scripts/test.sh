#!/usr/bin/env bash
# Sets up and runs every test: formatting, lints, native unit and integration tests (including the
# CDNOW sample through the CLI) of both crates (the core and workbook/), the published TypeScript types,
# wasm boundary tests of both modules in headless Chromium, and the page tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step() { printf '\n== %s\n' "$*" >&2; }

step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy --lib --target wasm32-unknown-unknown --quiet -- -D warnings
cargo clippy -p tierwise-workbook --lib --target wasm32-unknown-unknown --quiet -- -D warnings
step "cargo doc (every public item documented, every doc link resolves)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet
step "native tests (cargo test)"
if ! cargo test --workspace --quiet >/tmp/tierwise-cargo-test.log 2>&1; then
  cat /tmp/tierwise-cargo-test.log; exit 1
fi
grep -E '^test result' /tmp/tierwise-cargo-test.log

step "build (wasm package, site, CLI)"
bash scripts/build.sh

step "TypeScript: tests/types/usage.ts against the published types (www/pkg/tierwise.d.ts)"
node_modules/.bin/tsc -p tests/types --noEmit

step "wasm boundary tests in headless Chromium"
wasm-pack test --headless --chrome --chromedriver /usr/bin/chromedriver --release -- --test wasm 2>&1 \
  | grep -vE 'Compiling|Downloaded|Downloading|Updating' | tee /tmp/tierwise-wasm-test.log | tail -15
grep -q 'test result: ok' /tmp/tierwise-wasm-test.log || exit 1
# (from its own folder: with a path argument wasm-pack hands `--test wasm` to the test binary, not to cargo)
(cd workbook && wasm-pack test --headless --chrome --chromedriver /usr/bin/chromedriver --release -- --test wasm) 2>&1 \
  | grep -vE 'Compiling|Downloaded|Downloading|Updating' | tee /tmp/tierwise-wasm-workbook-test.log | tail -8
grep -q 'test result: ok' /tmp/tierwise-wasm-workbook-test.log || exit 1

step "SQL export: DuckDB runs it on the corpus and the sample, equal to the core; the other dialects parse"
TIERWISE_BIN="$PWD/target/release/tierwise" target/test-venv/bin/python tests/sql/verify.py

step "node tests (generator, page in headless Chromium)"
TIERWISE_BIN="$PWD/target/release/tierwise" node --test tests/*.test.mjs tests/e2e/*.test.mjs
