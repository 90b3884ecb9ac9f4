// The purchase models' benchmark (issue 14: "each family fits 100,000 customers in under 1 s natively
// and under 2 s in the browser"): for each family (`model.kind` bgnbd, mbgnbd, paretonbd, and auto,
// which fits all three), the model phase alone on a file of exactly 100,000 customers (`c100k`), with
// and without a 13-week holdout check (which fits the family a second time, on the calibration data).
//
//   node scripts/bench.mjs --models [--sizes c100k] [--runs 3] [--native-only | --browser-only] [--json FILE]
//
// Native: `tierwise analyze FILE --config K.json --out /dev/null` with TIERWISE_TIMINGS=1; the
// "model" phase it prints (fit, P(alive), expected purchases, CLV for every customer; the holdout check
// when asked). Browser: the page's worker (www/worker.js) given the bytes with the same options; the
// time of its `fitModels()` call (`modelMs` of the `models` message: the same work in wasm). Medians
// of `runs` runs after one warm-up run per configuration, in one worker.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { startServer } from './serve.mjs';

export const MODEL_KINDS = ['bgnbd', 'mbgnbd', 'paretonbd', 'auto'];
const HOLDOUT_WEEKS = 13;

const median = (xs) => {
  const s = [...xs].filter(Number.isFinite).sort((x, y) => x - y);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

/** The configurations measured: each family, without and with the holdout check. */
function configurations() {
  const out = [];
  for (const kind of MODEL_KINDS) {
    out.push({ kind, holdout: null, options: { model: { kind } } });
    out.push({ kind, holdout: HOLDOUT_WEEKS, options: { model: { kind, holdout: HOLDOUT_WEEKS } } });
  }
  return out;
}

function nativeModelRun(bin, file, config) {
  const r = spawnSync(bin, ['analyze', file, '--config', config, '--out', '/dev/null'], {
    env: { ...process.env, TIERWISE_TIMINGS: '1' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`tierwise failed on ${file}: ${r.stderr}`);
  const model = /model ([\d.]+)s/.exec(r.stderr);
  const customers = /tierwise: (\d+) customers/.exec(r.stderr);
  if (!model) throw new Error(`no model timing in: ${r.stderr}`);
  return { modelS: Number(model[1]), customers: customers ? Number(customers[1]) : NaN };
}

/** Native CLI, per size and configuration: the model phase's median in seconds. */
export function benchModelsNative(args, files, root) {
  const bin = path.join(root, 'target/release/tierwise');
  if (!existsSync(bin)) throw new Error(`${bin} not found: run scripts/build.sh first`);
  const dir = path.join(args.data, 'model-configs');
  mkdirSync(dir, { recursive: true });
  const out = [];
  for (const size of args.sizes) {
    for (const c of configurations()) {
      const config = path.join(dir, `${c.kind}-${c.holdout ?? 'none'}.json`);
      writeFileSync(config, JSON.stringify(c.options));
      const warm = nativeModelRun(bin, files[size], config);
      const runs = [];
      for (let i = 0; i < args.runs; i++) runs.push(nativeModelRun(bin, files[size], config).modelS);
      const row = { size, kind: c.kind, holdout: c.holdout, customers: warm.customers, modelS: median(runs), runsS: runs };
      out.push(row);
      process.stderr.write(`[bench] native ${size} ${c.kind}${c.holdout ? ` + holdout ${c.holdout}` : ''}: model phase ${row.modelS.toFixed(3)} s median\n`);
    }
  }
  return out;
}

/** Runs in the page: one analysis of the file in the benchmark input with `options`, in one worker. */
async function pageModelRun({ options }) {
  const file = document.getElementById('bench-input').files[0];
  if (!window.__modelWorker) {
    const w = new Worker('./worker.js', { type: 'module' });
    await new Promise((resolve, reject) => {
      w.onmessage = (e) => (e.data.type === 'ready' ? resolve() : e.data.type === 'error' ? reject(new Error(e.data.message)) : 0);
      w.onerror = (e) => reject(new Error(e.message || 'worker failed to start'));
    });
    window.__modelWorker = w;
  }
  const w = window.__modelWorker;
  const bytes = await file.arrayBuffer();
  const id = Math.random();
  const result = await new Promise((resolve, reject) => {
    w.onmessage = (e) => {
      const m = e.data;
      if (m.id !== id) return;
      if (m.type === 'models') resolve(m);
      else if (m.type === 'result' && !m.modelsPending) resolve(m);
      else if (m.type === 'error') reject(new Error(m.message));
    };
    w.postMessage({ type: 'analyze', id, bytes, options, preview: 10 }, [bytes]);
  });
  const model = result.summary?.model ?? {};
  return {
    modelMs: result.modelMs ?? NaN,
    customers: result.summary?.customers,
    kind: model.kind ?? null,
    converged: model.notFitted == null,
    holdoutDone: model.holdout ? model.holdout.notComputed == null : null,
  };
}

/** Headless Chromium, per size and configuration: the worker's model step, median in seconds. */
export async function benchModelsBrowser(args, files, root) {
  for (const f of ['www/pkg/tierwise_bg.wasm', 'www/worker.js']) {
    if (!existsSync(path.join(root, f))) throw new Error(`${f} not found: run scripts/build.sh first`);
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const server = await startServer({ root: path.join(root, 'www'), port: 0, host: '127.0.0.1' });
  const out = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => process.stderr.write(`[bench] page error: ${e.message}\n`));
    await page.goto(server.url, { waitUntil: 'load' });
    await page.evaluate(() => {
      const input = document.createElement('input');
      input.type = 'file';
      input.id = 'bench-input';
      input.style.display = 'none';
      document.body.append(input);
    });
    for (const size of args.sizes) {
      await page.setInputFiles('#bench-input', files[size]);
      for (const c of configurations()) {
        const warm = await page.evaluate(pageModelRun, { options: c.options });
        if (!warm.converged) throw new Error(`${c.kind}: the model was not fitted on ${size}`);
        if (c.holdout && !warm.holdoutDone) throw new Error(`${c.kind}: the holdout check was not computed on ${size}`);
        const runs = [];
        for (let i = 0; i < args.runs; i++) runs.push((await page.evaluate(pageModelRun, { options: c.options })).modelMs / 1000);
        const row = { size, kind: c.kind, chosen: warm.kind, holdout: c.holdout, customers: warm.customers, modelS: median(runs), runsS: runs, browser: browser.version() };
        out.push(row);
        process.stderr.write(`[bench] chromium ${size} ${c.kind}${c.holdout ? ` + holdout ${c.holdout}` : ''}: model step ${row.modelS.toFixed(3)} s median\n`);
      }
    }
  } finally {
    await browser.close().catch(() => {});
    await server.close().catch(() => {});
  }
  return out;
}

/** The README's table: one row per family, native and browser, without and with the holdout check. */
export function modelsMarkdown(native, browser) {
  const lines = [
    `| family (\`model.kind\`) | customers | native | native, + ${HOLDOUT_WEEKS}-week holdout check | Chromium | Chromium, + holdout check |`,
    '|---|---:|---:|---:|---:|---:|',
  ];
  const sizes = [...new Set([...native, ...browser].map((r) => r.size))];
  const fmt = (r) => (r ? `${r.modelS.toFixed(3)} s` : '–');
  for (const size of sizes) {
    for (const kind of MODEL_KINDS) {
      const find = (rows, holdout) => rows.find((r) => r.size === size && r.kind === kind && r.holdout === holdout);
      const any = find(native, null) ?? find(browser, null);
      const customers = any?.customers != null ? Number(any.customers).toLocaleString('en') : '–';
      const chosen = find(browser, null)?.chosen;
      const name = kind === 'auto' && chosen ? `auto (chose ${chosen})` : kind;
      lines.push(`| ${name} | ${customers} | ${fmt(find(native, null))} | ${fmt(find(native, HOLDOUT_WEEKS))} | ${fmt(find(browser, null))} | ${fmt(find(browser, HOLDOUT_WEEKS))} |`);
    }
  }
  return lines.join('\n');
}
