// Benchmark of workbooks (docs/input.md#workbooks): a generated .xlsx of ROWS rows × 5 columns
// (workbook/examples/make_big_xlsx.rs, written once into target/bench-data/, not committed), analysed
// natively (`/usr/bin/time -v tierwise analyze`: wall time, peak RSS) and in headless Chromium (the page's
// worker: File → workbook module → CSV → analysis; time to the result, conversion time, both modules'
// wasm memory). After scripts/build.sh:
//
//   node scripts/bench-workbook.mjs [--rows 500000] [--runs 3]

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './serve.mjs';

const ROOT = path.resolve(fileURLToPath(new URL('../', import.meta.url)));
const args = { rows: 500000, runs: 3 };
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = Number(process.argv[i + 1]);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (s) => process.stderr.write(`[bench-workbook] ${s}\n`);

const file = path.join(ROOT, `target/bench-data/orders-${args.rows}.xlsx`);
if (!existsSync(file)) {
  mkdirSync(path.dirname(file), { recursive: true });
  log(`generating ${file}`);
  execFileSync('cargo', ['run', '--release', '-q', '-p', 'tierwise-workbook', '--example', 'make_big_xlsx', '--', String(args.rows), file], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}
const mb = statSync(file).size / 1e6;
log(`${file}: ${mb.toFixed(1)} MB`);

// native
const bin = path.join(ROOT, 'target/release/tierwise');
const native = [];
for (let i = 0; i < args.runs; i++) {
  const r = spawnSync('/usr/bin/time', ['-v', bin, 'analyze', file, '--out', '/dev/null'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const wall = r.stderr.match(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/);
  const rss = Number(r.stderr.match(/Maximum resident set size \(kbytes\): (\d+)/)[1]);
  native.push({ s: Number(wall[1] || 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]), rssMiB: rss / 1024 });
}
log(`native: ${median(native.map((r) => r.s)).toFixed(2)} s median wall (${native.map((r) => r.s.toFixed(2)).join(', ')}), peak RSS ${Math.max(...native.map((r) => r.rssMiB)).toFixed(0)} MiB`);

// Chromium: the page's worker, a File as the page posts it
async function pageRun({ fresh }) {
  const f = document.getElementById('bench-input').files[0];
  if (fresh || !window.__wbWorker) {
    window.__wbWorker?.terminate();
    const w = new Worker('./worker.js', { type: 'module' });
    await new Promise((resolve, reject) => {
      w.onmessage = (e) => (e.data.type === 'ready' ? resolve() : e.data.type === 'error' ? reject(new Error(e.data.message)) : 0);
    });
    window.__wbWorker = w;
  }
  const w = window.__wbWorker;
  await new Promise((resolve) => {
    w.onmessage = (e) => e.data.type === 'freed' && resolve();
    w.postMessage({ type: 'free', id: 'free' });
  });
  const id = Math.random();
  const t0 = performance.now();
  const res = await new Promise((resolve, reject) => {
    w.onmessage = (e) => {
      if (e.data.id !== id) return;
      if (e.data.type === 'result') resolve(e.data);
      else if (e.data.type === 'error') reject(new Error(e.data.message));
    };
    w.postMessage({ type: 'analyze', id, file: f, preview: 10 });
  });
  return {
    ms: performance.now() - t0,
    workbookMs: res.workbookMs,
    workbookMemoryBytes: res.workbookMemoryBytes,
    wasmMemoryBytes: res.wasmMemoryBytes,
    customers: res.customerCount,
    rows: res.summary.input.rows,
  };
}

const { chromium } = await import('playwright-core');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
});
const server = await startServer({ root: path.join(ROOT, 'www'), port: 0, host: '127.0.0.1' });
try {
  const page = await browser.newPage();
  await page.goto(server.url, { waitUntil: 'load' });
  await page.evaluate(() => {
    const input = Object.assign(document.createElement('input'), { type: 'file', id: 'bench-input', hidden: true });
    document.body.append(input);
  });
  await page.setInputFiles('#bench-input', file);
  const cold = await page.evaluate(pageRun, { fresh: true });
  const warm = [];
  for (let i = 0; i < args.runs; i++) warm.push(await page.evaluate(pageRun, { fresh: false }));
  const mib = (b) => (b / 1048576).toFixed(0);
  log(`Chromium ${browser.version()}: ${cold.rows} rows, ${cold.customers} customers`);
  log(`  cold (new worker, modules loaded): ${(cold.ms / 1000).toFixed(2)} s, of which conversion ${(cold.workbookMs / 1000).toFixed(2)} s`);
  log(`  warm: ${(median(warm.map((r) => r.ms)) / 1000).toFixed(2)} s median (${warm.map((r) => (r.ms / 1000).toFixed(2)).join(', ')}), conversion ${(median(warm.map((r) => r.workbookMs)) / 1000).toFixed(2)} s`);
  log(`  wasm memory: workbook module ${mib(Math.max(...warm.map((r) => r.workbookMemoryBytes), cold.workbookMemoryBytes))} MiB, analysis module ${mib(Math.max(...warm.map((r) => r.wasmMemoryBytes), cold.wasmMemoryBytes))} MiB`);
} finally {
  await browser.close();
  await server.close();
}
