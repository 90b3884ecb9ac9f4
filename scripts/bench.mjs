#!/usr/bin/env node
// tierwise benchmark: native CLI throughput and end-to-end time in headless Chromium on generated
// transaction files (scripts/generate-sample.mjs, seed 42).
//
//   bash scripts/bench.sh [--sizes 100k,c100k,1m,5m] [--runs 5] [--native-only | --browser-only] [--json FILE]
//   bash scripts/bench.sh --peers [--sizes 100k,1m,5m] [--runs 3] [--native-only | --browser-only] [--json FILE]
//   bash scripts/bench.sh --models [--sizes c100k] [--runs 3] [--native-only | --browser-only] [--json FILE]
//
// --peers measures against peers instead (issue 13; scripts/bench-peers/peers.mjs): a hand-written JS
// loop and DuckDB-wasm against tierwise's page path in the same Chromium on the same bytes, and the CLI
// against the DuckDB CLI natively (defaults: sizes 100k, 1m, 5m; 3 runs, each in a fresh page).
//
// --models times the purchase model families alone (issue 14; scripts/bench-models.mjs): each
// `model.kind` on 100,000 customers, natively and in the page's worker, with and without a holdout check.
//
// (scripts/bench.sh sets up and builds first; this script assumes www/pkg and target/release/tierwise.)
//
// Native: `tierwise analyze FILE --out /dev/null` with TIERWISE_TIMINGS=1, which streams the file in
// 1 MiB chunks. Reported: read+push (tokenise, decode, parse, group) and finish (facts, scores,
// segments, grades, summary) in seconds, ingest throughput = file size / read+push, analysis
// throughput = file size / (read+push + finish), peak RSS of the process. Writing the per-customer CSV is
// reported separately ("outputs") and is not part of the analysis time.
//
// Browser: the page is served from 127.0.0.1 and given the file as a disk-backed `File` (what a user's
// file picker gives). Each run hands the input to a module worker (www/worker.js) and is timed from
// `postMessage` to the `result` message with the summary (chunked pushes into the core, both passes if
// any, analysis without the models, summary, the first 100 rows: "first result") and to the `models`
// message (the models fitted: "complete"; the median columns are the complete time):
//   bytes  the file already in memory as an ArrayBuffer, transferred to the worker (the issue's
//          "bytes handed to the worker → summary ready"); "cold" is the first run in a fresh worker
//          (wasm code not yet optimised by V8's tier-up), "warm" the median of the following runs;
//   file   the `File` itself, which the worker reads with `file.stream()` (adds the browser's file
//          reading, which goes through its blob storage).
// Peak wasm memory is the worker's `WebAssembly.Memory` size after the cold run (memory never shrinks,
// so it is the peak of one analysis). Max frame gap is the longest interval between
// `requestAnimationFrame` callbacks on the page's main thread during all runs: the page stays
// responsive when it is small (~16–50 ms).

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { benchModelsBrowser, benchModelsNative, modelsMarkdown } from './bench-models.mjs';
import { benchPeersBrowser, benchPeersNative, peersMarkdown } from './bench-peers/peers.mjs';
import { startServer } from './serve.mjs';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
// generator arguments per size: rows, and for `c100k` exactly 100,000 customers (issue 5's model
// benchmark: "fitting 100k customers")
const SIZES = {
  '100k': ['--rows', '100000'],
  c100k: ['--customers', '100000', '--rows', '450000'],
  '1m': ['--rows', '1000000'],
  '5m': ['--rows', '5000000'],
};

function parseArgs(argv) {
  const a = { sizes: null, runs: null, native: true, browser: true, json: null, data: null, peers: false, models: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`${k} needs a value`);
      return argv[++i];
    };
    if (k === '--sizes') a.sizes = v().split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
    else if (k === '--runs') a.runs = Math.max(1, Number.parseInt(v(), 10) || 1);
    else if (k === '--native-only') a.browser = false;
    else if (k === '--browser-only') a.native = false;
    else if (k === '--json') a.json = v();
    else if (k === '--data') a.data = v();
    else if (k === '--peers') a.peers = true;
    else if (k === '--models') a.models = true;
    else if (k === '-h' || k === '--help') {
      console.log('usage: node scripts/bench.mjs [--peers | --models] [--sizes 100k,1m,5m] [--runs 5] [--native-only | --browser-only] [--json FILE] [--data DIR]');
      process.exit(0);
    } else throw new Error(`unknown argument ${k}`);
  }
  a.sizes ??= a.peers ? ['100k', '1m', '5m'] : a.models ? ['c100k'] : ['100k', 'c100k', '1m', '5m'];
  a.runs ??= a.peers || a.models ? 3 : 5;
  for (const s of a.sizes) if (!(s in SIZES)) throw new Error(`unknown size ${s} (use ${Object.keys(SIZES).join(', ')})`);
  a.data = path.resolve(ROOT, a.data || 'target/bench-data');
  return a;
}

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
const mb = (bytes) => bytes / 1e6;
const mib = (bytes) => bytes / 2 ** 20;

/** The generated input for one size (made once, deterministic: same seed, same bytes). */
function dataFile(dir, size) {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `transactions-${size}.csv`);
  if (!existsSync(file)) {
    process.stderr.write(`[bench] generating ${file} ...\n`);
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/generate-sample.mjs'), ...SIZES[size], '--out', file], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return file;
}

function nativeRun(bin, file) {
  const t0 = performance.now();
  const r = spawnSync(bin, ['analyze', file, '--out', '/dev/null'], {
    env: { ...process.env, TIERWISE_TIMINGS: '1' },
    encoding: 'utf8',
  });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`tierwise failed on ${file}: ${r.stderr}`);
  const m = /read\+push ([\d.]+)s, finish ([\d.]+)s .*outputs ([\d.]+)s(?:, peak RSS ([\d.]+) MiB)?/.exec(r.stderr);
  if (!m) throw new Error(`no timings line in: ${r.stderr}`);
  const customers = /tierwise: (\d+) customers from (\d+) rows/.exec(r.stderr);
  const model = /model ([\d.]+)s/.exec(r.stderr);
  return {
    model: model ? Number(model[1]) : NaN,
    read: Number(m[1]),
    finish: Number(m[2]),
    outputs: Number(m[3]),
    peakRssMiB: m[4] ? Number(m[4]) : NaN,
    wall,
    customers: customers ? Number(customers[1]) : NaN,
    rows: customers ? Number(customers[2]) : NaN,
  };
}

function benchNative(args, files) {
  const bin = path.join(ROOT, 'target/release/tierwise');
  if (!existsSync(bin)) throw new Error(`${bin} not found: run scripts/build.sh first`);
  const out = [];
  for (const size of args.sizes) {
    const file = files[size];
    const bytes = statSync(file).size;
    nativeRun(bin, file); // warm the page cache
    const runs = [];
    for (let i = 0; i < args.runs; i++) runs.push(nativeRun(bin, file));
    const read = median(runs.map((r) => r.read));
    const analysis = median(runs.map((r) => r.read + r.finish));
    const row = {
      size,
      bytes,
      rows: runs[0].rows,
      customers: runs[0].customers,
      readS: read,
      finishS: median(runs.map((r) => r.finish)),
      analysisS: analysis,
      outputsS: median(runs.map((r) => r.outputs)),
      modelS: median(runs.map((r) => r.model)),
      ingestMBs: mb(bytes) / read,
      analysisMBs: mb(bytes) / analysis,
      peakRssMiB: Math.max(...runs.map((r) => r.peakRssMiB)),
      runs: runs.map((r) => +(r.read + r.finish).toFixed(4)),
    };
    out.push(row);
    process.stderr.write(
      `[bench] native ${size}: analysis ${analysis.toFixed(3)} s median (read+push ${read.toFixed(3)} s = ${row.ingestMBs.toFixed(0)} MB/s, finish ${row.finishS.toFixed(3)} s, models ${row.modelS.toFixed(3)} s), peak RSS ${row.peakRssMiB.toFixed(0)} MiB\n`,
    );
  }
  return out;
}

/**
 * Runs inside the page: one analysis in `worker`, timed from postMessage to the first result (scores,
 * segments, grades: `result`) and to the complete one (the models too: `models`, or a `result` without
 * modelsPending).
 */
async function pageRun({ mode, fresh }) {
  const file = document.getElementById('bench-input').files[0];
  if (fresh || !window.__benchWorker) {
    window.__benchWorker?.terminate();
    const w = new Worker('./worker.js', { type: 'module' });
    await new Promise((resolve, reject) => {
      w.onmessage = (e) => (e.data.type === 'ready' ? resolve() : e.data.type === 'error' ? reject(new Error(e.data.message)) : 0);
      w.onerror = (e) => reject(new Error(e.message || 'worker failed to start'));
    });
    window.__benchWorker = w;
  }
  const w = window.__benchWorker;
  // free the previous analysis first, so each run holds one analysis
  await new Promise((resolve) => {
    w.onmessage = (e) => e.data.type === 'freed' && resolve();
    w.postMessage({ type: 'free', id: 'free' });
  });
  const payload = mode === 'bytes' ? await file.arrayBuffer() : file;
  // watch the main thread while the worker runs
  let last = performance.now();
  let maxGap = 0;
  let frames = 0;
  let watching = true;
  const tick = (t) => {
    maxGap = Math.max(maxGap, t - last);
    last = t;
    frames++;
    if (watching) requestAnimationFrame(tick);
  };
  await new Promise((r) => requestAnimationFrame((t) => ((last = t), r())));
  requestAnimationFrame(tick);
  const id = Math.random();
  let progress = 0;
  const t0 = performance.now();
  let firstMs = NaN;
  let first = null;
  const result = await new Promise((resolve, reject) => {
    w.onmessage = (e) => {
      const m = e.data;
      if (m.id !== id) return;
      if (m.type === 'progress') progress++;
      else if (m.type === 'result') {
        firstMs = performance.now() - t0;
        first = m;
        if (!m.modelsPending) resolve(m);
      } else if (m.type === 'models') resolve({ ...first, ...m, models: true });
      else if (m.type === 'error') reject(new Error(m.message));
    };
    const msg = { type: 'analyze', id, preview: 100 };
    if (mode === 'bytes') {
      msg.bytes = payload;
      w.postMessage(msg, [payload]);
    } else {
      msg.file = payload;
      w.postMessage(msg);
    }
  });
  const ms = performance.now() - t0;
  watching = false;
  return {
    ms,
    firstMs,
    workerMs: result.elapsedMs,
    modelMs: result.modelMs ?? result.timings?.model ?? NaN,
    customers: result.customerCount,
    passes: result.passes ?? 1,
    wasmMemoryBytes: result.wasmMemoryBytes ?? NaN,
    maxFrameGapMs: maxGap,
    frames,
    progress,
  };
}

async function benchBrowser(args, files) {
  for (const f of ['www/pkg/tierwise_bg.wasm', 'www/worker.js']) {
    if (!existsSync(path.join(ROOT, f))) throw new Error(`${f} not found: run scripts/build.sh first`);
  }
  const { chromium } = await import('playwright-core');
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const server = await startServer({ root: path.join(ROOT, 'www'), port: 0, host: '127.0.0.1' });
  const out = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => process.stderr.write(`[bench] page error: ${e.message}\n`));
    await page.goto(server.url, { waitUntil: 'load' });
    const browserVersion = browser.version();
    await page.evaluate(() => {
      const input = document.createElement('input');
      input.type = 'file';
      input.id = 'bench-input';
      input.style.display = 'none';
      document.body.append(input);
    });
    for (const size of args.sizes) {
      const file = files[size];
      const bytes = statSync(file).size;
      await page.setInputFiles('#bench-input', file);
      const cold = await page.evaluate(pageRun, { mode: 'bytes', fresh: true });
      const warm = [];
      for (let i = 0; i < args.runs; i++) warm.push(await page.evaluate(pageRun, { mode: 'bytes', fresh: false }));
      const fileRuns = [];
      for (let i = 0; i < args.runs; i++) fileRuns.push(await page.evaluate(pageRun, { mode: 'file', fresh: false }));
      const all = [cold, ...warm, ...fileRuns];
      const row = {
        size,
        bytes,
        customers: cold.customers,
        passes: cold.passes,
        coldS: cold.ms / 1000,
        warmS: median(warm.map((r) => r.ms)) / 1000,
        // time to the first result (RFM, segments, grades; the models still being fitted)
        firstS: median(warm.map((r) => r.firstMs)) / 1000,
        fileFirstS: median(fileRuns.map((r) => r.firstMs)) / 1000,
        warmMinS: Math.min(...warm.map((r) => r.ms)) / 1000,
        modelS: median(warm.map((r) => r.modelMs)) / 1000,
        fileS: median(fileRuns.map((r) => r.ms)) / 1000,
        warmMBs: mb(bytes) / (median(warm.map((r) => r.ms)) / 1000),
        // first run in a fresh worker: the wasm memory it needed for this file alone
        coldWasmMiB: mib(cold.wasmMemoryBytes),
        peakWasmMiB: mib(Math.max(...all.map((r) => r.wasmMemoryBytes))),
        maxFrameGapMs: Math.max(...all.map((r) => r.maxFrameGapMs)),
        progressMessages: median(warm.map((r) => r.progress)),
        runsMs: warm.map((r) => Math.round(r.ms)),
        fileRunsMs: fileRuns.map((r) => Math.round(r.ms)),
        browser: browserVersion,
      };
      out.push(row);
      process.stderr.write(
        `[bench] chromium ${size}: bytes warm first result ${row.firstS.toFixed(3)} s, complete ${row.warmS.toFixed(3)} s median (min ${row.warmMinS.toFixed(3)}, models ${row.modelS.toFixed(3)} s), cold ${row.coldS.toFixed(3)} s, File ${row.fileFirstS.toFixed(3)} s first / ${row.fileS.toFixed(3)} s complete, wasm memory ${row.coldWasmMiB.toFixed(0)} MiB (fresh worker), max frame gap ${row.maxFrameGapMs.toFixed(0)} ms\n`,
      );
    }
  } finally {
    await browser.close().catch(() => {});
    await server.close().catch(() => {});
  }
  return out;
}

function markdown(native, browser) {
  const lines = [];
  if (native.length) {
    lines.push('| native CLI | rows | customers | MB | read+push | ingest MB/s | finish | of which models | analysis MB/s | peak RSS |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of native) {
      lines.push(
        `| ${r.size} | ${r.rows.toLocaleString('en')} | ${r.customers.toLocaleString('en')} | ${mb(r.bytes).toFixed(0)} | ${r.readS.toFixed(3)} s | ${r.ingestMBs.toFixed(0)} | ${r.finishS.toFixed(3)} s | ${r.modelS.toFixed(3)} s | ${r.analysisMBs.toFixed(0)} | ${r.peakRssMiB.toFixed(0)} MiB |`,
      );
    }
  }
  if (browser.length) {
    if (lines.length) lines.push('');
    lines.push('| Chromium, bytes → worker → summary | MB | first result | complete (median) | of which models | cold (new worker) | `File` input (first / complete) | peak wasm memory | max frame gap |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of browser) {
      lines.push(
        `| ${r.size} | ${mb(r.bytes).toFixed(0)} | ${r.firstS.toFixed(3)} s | ${r.warmS.toFixed(3)} s | ${r.modelS.toFixed(3)} s | ${r.coldS.toFixed(3)} s | ${r.fileFirstS.toFixed(3)} / ${r.fileS.toFixed(3)} s | ${r.coldWasmMiB.toFixed(0)} MiB | ${r.maxFrameGapMs.toFixed(0)} ms |`,
      );
    }
  }
  return lines.join('\n');
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const files = Object.fromEntries(args.sizes.map((s) => [s, dataFile(args.data, s)]));
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model?.trim() ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load ${os.loadavg()[0].toFixed(2)}`;
  process.stderr.write(`[bench] ${machine}\n`);
  if (args.models) {
    const native = args.native ? benchModelsNative(args, files, ROOT) : [];
    const browser = args.browser ? await benchModelsBrowser(args, files, ROOT) : [];
    const report = { date: new Date().toISOString(), machine, runs: args.runs, models: { native, browser } };
    if (args.json) writeFileSync(args.json, JSON.stringify(report, null, 2) + '\n');
    console.log(modelsMarkdown(native, browser));
    return;
  }
  if (args.peers) {
    const native = args.native ? benchPeersNative(args, files) : [];
    const browser = args.browser ? await benchPeersBrowser(args, files) : [];
    const report = { date: new Date().toISOString(), machine, runs: args.runs, peers: { browser, native } };
    if (args.json) writeFileSync(args.json, JSON.stringify(report, null, 2) + '\n');
    console.log(peersMarkdown(browser, native));
    return;
  }
  const native = args.native ? benchNative(args, files) : [];
  const browser = args.browser ? await benchBrowser(args, files) : [];
  const report = { date: new Date().toISOString(), machine, runs: args.runs, native, browser };
  if (args.json) writeFileSync(args.json, JSON.stringify(report, null, 2) + '\n');
  console.log(markdown(native, browser));
}

main().catch((e) => {
  console.error(`bench: ${e.message}`);
  process.exit(1);
});
