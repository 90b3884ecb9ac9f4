#!/usr/bin/env bash
# The main job: set up, build, and serve the demo on http://127.0.0.1:8080 (PORT to change).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
[ -f www/sample.csv ] || node scripts/generate-sample.mjs
exec node scripts/serve.mjs --root www --host 127.0.0.1 --port "${PORT:-8080}"
