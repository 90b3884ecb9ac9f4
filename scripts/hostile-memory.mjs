// The workbook module's wasm memory on each hostile workbook (docs/input.md#workbook-limits-and-memory):
// each file in a fresh Node process (V8, as in Chromium), one fresh module instance converting its
// default sheet; prints the outcome (the sheet read, or the error's code and its detail's code), the
// time and the module's linear memory afterwards (wasm memory only grows, so this is its peak).
// After scripts/build.sh (or wasm-pack build workbook … --out-dir ../www/pkg-workbook):
//
//   cargo run --release -p tierwise-workbook --example hostile -- target/hostile
//   node scripts/hostile-memory.mjs [DIR]      (default target/hostile)

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(fileURLToPath(new URL('../', import.meta.url)));
const GLUE = path.join(ROOT, 'www/pkg-workbook/tierwise_workbook.js');
const WASM = path.join(ROOT, 'www/pkg-workbook/tierwise_workbook_bg.wasm');

if (process.argv[2] === '--one') {
  const { initSync, sheetToCsv } = await import(GLUE);
  const exports = initSync({ module: readFileSync(WASM) });
  const bytes = readFileSync(process.argv[3]);
  const t = performance.now();
  let outcome;
  try {
    const c = sheetToCsv(bytes, undefined);
    outcome = `read "${c.sheet}", ${c.csv.length} bytes of CSV`;
  } catch (e) {
    outcome = e.code === 'workbook_too_large' ? `${e.code}: ${e.params.what.code}` : `${e.code ?? e.message}`;
  }
  const ms = performance.now() - t;
  const mib = exports.memory.buffer.byteLength / 2 ** 20;
  console.log(`${path.basename(process.argv[3]).padEnd(26)} ${ms.toFixed(0).padStart(7)} ms ${mib.toFixed(0).padStart(6)} MiB  ${outcome}`);
} else {
  const dir = path.resolve(process.argv[2] ?? path.join(ROOT, 'target/hostile'));
  console.log(`${'file'.padEnd(26)} ${'time'.padStart(10)} ${'memory'.padStart(10)}  outcome`);
  for (const f of readdirSync(dir).sort()) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--one', path.join(dir, f)], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    process.stdout.write(r.stdout || `${f.padEnd(26)} failed: ${(r.stderr || r.error?.message || '').split('\n')[0]}\n`);
  }
}
