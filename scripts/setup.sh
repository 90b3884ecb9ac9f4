#!/usr/bin/env bash
# Installs whatever is missing to build tierwise and run its tests (idempotent, quick on a second run).
#   scripts/setup.sh            toolchain for building and serving the demo
#   scripts/setup.sh --tests    also Chromium + ChromeDriver for the browser tests, and DuckDB + sqlglot (PyPI,
#                               in target/test-venv) for the SQL export's verification (tests/sql/verify.py)
#   scripts/setup.sh --bench    as --tests, plus the DuckDB CLI (PyPI duckdb-cli, in target/bench-venv) that
#                               `scripts/bench.sh --peers` measures against (DuckDB-wasm is an npm devDependency)
# See ../shared/TOOLCHAIN.md for why each pin is what it is.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_PACK_VERSION=0.15.1
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen pin in Cargo.toml
DUCKDB_CLI_VERSION=1.5.6      # the native peer of the benchmark (scripts/bench-peers/peers.mjs)
DUCKDB_PY_VERSION=1.5.6       # runs the SQL export in tests/sql/verify.py (the same DuckDB as the benchmark's)
SQLGLOT_VERSION=30.31.0       # parses the PostgreSQL, BigQuery and Spark exports in tests/sql/verify.py
want_browser=0
want_bench=0
[ "${1:-}" = "--tests" ] && want_browser=1
[ "${1:-}" = "--bench" ] && want_browser=1 && want_bench=1

log() { printf '[setup] %s\n' "$*" >&2; }
export PATH="$HOME/.cargo/bin:$PATH"

command -v cargo >/dev/null || { log "cargo not found: install Rust with rustup first"; exit 1; }
command -v npm >/dev/null || { log "npm not found: install Node.js 20 first"; exit 1; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt

if [ "$(wasm-pack --version 2>/dev/null)" != "wasm-pack $WASM_PACK_VERSION" ]; then
  log "installing wasm-pack $WASM_PACK_VERSION (a few minutes, once)"
  cargo install wasm-pack --version "$WASM_PACK_VERSION" --locked
fi
if [ "$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f2)" != "$WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  # not --locked: its lockfile names a crate version the registry lacks (TOOLCHAIN.md)
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -x node_modules/.bin/wasm-opt ] || [ "$(cat node_modules/.tierwise-lock 2>/dev/null)" != "$lock_sum" ]; then
  log "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > node_modules/.tierwise-lock
fi
export PATH="$PWD/node_modules/.bin:$PATH"
if ! wasm-opt --version 2>/dev/null | grep -q 'version 132'; then
  log "wasm-opt on PATH is not binaryen 132 ($(command -v wasm-opt)): refusing to build a broken module"
  exit 1
fi

if [ "$want_browser" = 1 ]; then
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    log "installing Debian chromium and chromium-driver"
    SUDO=""; [ "$(id -u)" != 0 ] && SUDO="sudo"
    $SUDO apt-get install -y --no-install-recommends chromium chromium-driver >/dev/null 2>&1 || {
      $SUDO apt-get update >/dev/null
      $SUDO apt-get install -y --no-install-recommends chromium chromium-driver >/dev/null
    }
  fi
fi
if [ "$want_browser" = 1 ]; then
  venv=target/test-venv
  have() { "$venv/bin/python" -m pip show "$1" 2>/dev/null | sed -n 's/^Version: //p'; }
  if [ "$(have duckdb)" != "$DUCKDB_PY_VERSION" ] || [ "$(have sqlglot)" != "$SQLGLOT_VERSION" ]; then
    log "installing DuckDB $DUCKDB_PY_VERSION and sqlglot $SQLGLOT_VERSION (PyPI) into $venv"
    command -v python3 >/dev/null || { log "python3 not found: the SQL export's tests use DuckDB and sqlglot from PyPI"; exit 1; }
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
      "duckdb==$DUCKDB_PY_VERSION" "sqlglot==$SQLGLOT_VERSION"
  fi
fi
if [ "$want_bench" = 1 ]; then
  venv=target/bench-venv
  if [ "$("$venv/bin/python" -m pip show duckdb-cli 2>/dev/null | sed -n 's/^Version: //p')" != "$DUCKDB_CLI_VERSION" ]; then
    log "installing the DuckDB CLI $DUCKDB_CLI_VERSION (PyPI duckdb-cli) into $venv"
    command -v python3 >/dev/null || { log "python3 not found: the benchmark's DuckDB CLI comes from PyPI"; exit 1; }
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "duckdb-cli==$DUCKDB_CLI_VERSION"
  fi
fi
log "ready"
