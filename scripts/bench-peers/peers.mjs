// The issue-13 benchmark against peers (`bash scripts/bench.sh --peers`, run by scripts/bench.mjs):
// in one run, in the same headless Chromium on the same bytes, with a fresh page per run and the
// median of the runs,
//   - the hand-written JS loop (scripts/bench-peers/rfm-loop.js) on the bytes in memory;
//   - DuckDB-wasm (@duckdb/duckdb-wasm, single-threaded EH bundle served from the page's own origin)
//     running RFM_SQL on the same bytes registered as a file buffer;
//   - tierwise's page path, as a user gets it: the file chosen in <tierwise-app>'s file input → the
//     status turning done → the next animation frame (summary drawn), once with the options file
//     {"model": {"enabled": false}} loaded first ("RFM only") and once with the default options;
// and natively the CLI (`tierwise analyze FILE --out CSV`, analysis time from TIERWISE_TIMINGS and the
// whole process) against the DuckDB CLI (PyPI `duckdb-cli`, installed by scripts/setup.sh --bench)
// running RFM_SQL with COPY … TO CSV, whole process.
//
// How the SQL differs from tierwise's scoring: quantile_cont is the type-7 quantile but in doubles, so
// a value within rounding of a cut point may land in the other bin (tierwise compares exactly); the
// return rule is the same (order id "C" + digits, or a negative quantity); order lines are not
// checked for validity beyond the CSV types.

import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startServer } from '../serve.mjs';
import { duckdbRun, hookPagePath, jsLoopRun } from './page-runs.js';

const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const DUCKDB_DIST = path.join(ROOT, 'node_modules/@duckdb/duckdb-wasm/dist');
/** Where scripts/setup.sh --bench installs the DuckDB CLI (a PyPI wheel in a virtual environment). */
export const DUCKDB_VENV = path.join(ROOT, 'target/bench-venv');

/**
 * The RFM job as SQL (INPUT stands for the file): per customer recency (days before the latest day
 * of any row), frequency (distinct order ids of non-return rows), monetary (net: returns subtract
 * their absolute amount), R/F/M scores 1–5 from type-7 quantile cut points (a value on a cut point goes
 * to the lower bin; R reversed) and the rfm11 segment.
 */
export const RFM_SQL = `
WITH rows AS (
  SELECT CustomerID AS c, CAST(InvoiceDate AS DATE) AS d, InvoiceNo AS o, Amount AS a,
         (Quantity < 0 OR regexp_full_match(InvoiceNo, 'C[0-9]+')) AS ret
  FROM read_csv('INPUT', header = true, delim = ',', quote = '"', timestampformat = '%Y-%m-%d %H:%M',
    columns = {'InvoiceNo': 'VARCHAR', 'CustomerID': 'VARCHAR', 'InvoiceDate': 'TIMESTAMP', 'Category': 'VARCHAR',
               'Quantity': 'INTEGER', 'UnitPrice': 'DECIMAL(18,6)', 'Amount': 'DECIMAL(18,6)'})
),
facts AS (
  SELECT c,
         (SELECT max(d) FROM rows) - max(d) FILTER (WHERE NOT ret) AS recency,
         count(DISTINCT o) FILTER (WHERE NOT ret) AS frequency,
         sum(CASE WHEN ret THEN -abs(a) ELSE a END) AS monetary
  FROM rows GROUP BY c HAVING count(*) FILTER (WHERE NOT ret) > 0
),
cuts AS (
  SELECT quantile_cont(recency, [0.2, 0.4, 0.6, 0.8]) AS qr,
         quantile_cont(frequency, [0.2, 0.4, 0.6, 0.8]) AS qf,
         quantile_cont(monetary::DOUBLE, [0.2, 0.4, 0.6, 0.8]) AS qm
  FROM facts
),
scored AS (
  SELECT c, recency, frequency, monetary,
         5 - ((qr[1] < recency)::INT + (qr[2] < recency)::INT + (qr[3] < recency)::INT + (qr[4] < recency)::INT) AS r,
         1 + (qf[1] < frequency)::INT + (qf[2] < frequency)::INT + (qf[3] < frequency)::INT + (qf[4] < frequency)::INT AS f,
         1 + (qm[1] < monetary)::INT + (qm[2] < monetary)::INT + (qm[3] < monetary)::INT + (qm[4] < monetary)::INT AS m
  FROM facts, cuts
)
SELECT c AS customer_id, recency, frequency, monetary, r, f, m,
  ['Champions', 'Champions', 'Loyal Customers', 'Potential Loyalist', 'New Customers',
   'Champions', 'Loyal Customers', 'Potential Loyalist', 'Potential Loyalist', 'Promising',
   'Loyal Customers', 'Loyal Customers', 'Potential Loyalist', 'Need Attention', 'Promising',
   'At Risk', 'At Risk', 'Need Attention', 'Need Attention', 'About To Sleep',
   'Can''t Lose Them', 'Can''t Lose Them', 'At Risk', 'Hibernating', 'Lost'][(5 - r) * 5 + (5 - (f + m + 1) // 2) + 1] AS segment
FROM scored`;

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((x, y) => x - y);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

/** The DuckDB CLI binary from the bench venv, or null when scripts/setup.sh --bench has not run. */
export function duckdbCli() {
  const lib = path.join(DUCKDB_VENV, 'lib');
  if (!existsSync(lib)) return null;
  for (const py of execFileSync('ls', [lib], { encoding: 'utf8' }).split('\n').filter(Boolean)) {
    const bin = path.join(lib, py, 'site-packages/duckdb_cli/duckdb');
    if (existsSync(bin)) return bin;
  }
  return null;
}

/** A copy of www/ plus peers/ (the JS loop, the page functions, DuckDB-wasm's files) to serve. */
async function stageSite() {
  const site = path.join(ROOT, 'target/bench-www');
  rmSync(site, { recursive: true, force: true });
  cpSync(path.join(ROOT, 'www'), site, { recursive: true, dereference: true });
  const peers = path.join(site, 'peers');
  mkdirSync(peers, { recursive: true });
  for (const f of ['rfm-loop.js', 'page-runs.js']) cpSync(path.join(ROOT, 'scripts/bench-peers', f), path.join(peers, f));
  for (const f of ['duckdb-eh.wasm', 'duckdb-browser-eh.worker.js']) {
    if (!existsSync(path.join(DUCKDB_DIST, f))) throw new Error(`${f} not found in ${DUCKDB_DIST}: run npm ci (scripts/setup.sh)`);
    cpSync(path.join(DUCKDB_DIST, f), path.join(peers, f));
  }
  // duckdb-browser.mjs imports apache-arrow by its bare name: bundle the two into one module
  const esbuild = await import('esbuild');
  esbuild.buildSync({
    entryPoints: [path.join(DUCKDB_DIST, 'duckdb-browser.mjs')],
    bundle: true,
    format: 'esm',
    outfile: path.join(peers, 'duckdb-browser.mjs'),
    logLevel: 'warning',
  });
  writeFileSync(path.join(peers, 'blank.html'), '<!doctype html><meta charset="utf-8"><title>bench</title><input type="file" id="bench-input">\n');
  return site;
}

async function freshPage(browser, url, requests) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  page.on('pageerror', (e) => process.stderr.write(`[bench] page error: ${e.message}\n`));
  await page.goto(url, { waitUntil: 'load' });
  return { page, context };
}

async function peerRun(browser, server, requests, file, fn, arg) {
  const { page, context } = await freshPage(browser, `${server.url}peers/blank.html`, requests);
  try {
    await page.setInputFiles('#bench-input', file);
    return await page.evaluate(fn, arg);
  } finally {
    await context.close();
  }
}

async function pagePathRun(browser, server, requests, file, optionsFile, { warm = false } = {}) {
  const { page, context } = await freshPage(browser, server.url, requests);
  try {
    await page.waitForFunction(() => document.querySelector('tierwise-app')?.shadowRoot?.querySelector('#status'));
    if (optionsFile) {
      await page.setInputFiles('#options-load', optionsFile);
      await page.waitForFunction(
        () => document.querySelector('tierwise-app').shadowRoot.querySelector('#options-note')?.dataset.key === 'optsLoaded',
      );
    }
    await page.evaluate(hookPagePath);
    await page.setInputFiles('#file-input', file);
    await page.waitForFunction(() => window.__benchRun?.charts !== undefined, null, { timeout: 600_000, polling: 50 });
    const run = await page.evaluate(() => window.__benchRun);
    if (run.state !== 'done') throw new Error(`the page ended in ${run.state}: ${run.message}`);
    const customers = await page.evaluate(
      () => document.querySelector('tierwise-app').shadowRoot.querySelector('[data-testid="kpi-customers"]')?.dataset.value ?? null,
    );
    // the model card says whether the models ran ("none" when model.enabled is false)
    const modelState = await page.evaluate(
      () => document.querySelector('tierwise-app').shadowRoot.querySelector('#model-section')?.dataset.state ?? null,
    );
    // cold start: the same file chosen again in the same page (its worker and helpers loaded, its
    // wasm memory grown), against the first analysis of the fresh page above
    let warmMs = NaN;
    if (warm) {
      await page.evaluate(hookPagePath);
      await page.setInputFiles('#file-input', file);
      await page.waitForFunction(() => window.__benchRun?.charts !== undefined, null, { timeout: 600_000, polling: 50 });
      const again = await page.evaluate(() => window.__benchRun);
      if (again.state !== 'done') throw new Error(`the page ended in ${again.state}: ${again.message}`);
      warmMs = (again.first ?? again.done) - again.start;
    }
    return {
      // the issue's measure: File → the first result on screen (RFM, segments, grades)
      ms: (run.first ?? run.done) - run.start,
      warmMs,
      doneMs: run.done - run.start,
      firstMs: (run.first ?? run.done) - run.start,
      completeMs: run.charts - run.start,
      cores: run.cores,
      customers: customers === null ? NaN : Number(customers),
      modelState,
    };
  } finally {
    await context.close();
  }
}

/** The browser table: for each size, the median of `runs` fresh-page runs of each of the four jobs. */
export async function benchPeersBrowser(args, files) {
  const site = await stageSite();
  const optionsFile = path.join(ROOT, 'target/bench-data/options-rfm-only.json');
  writeFileSync(optionsFile, JSON.stringify({ model: { enabled: false } }) + '\n');
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const server = await startServer({ root: site, port: 0, host: '127.0.0.1' });
  const origin = new URL(server.url).origin;
  const requests = [];
  const out = [];
  try {
    for (const size of args.sizes) {
      const file = files[size];
      const jobs = {
        jsLoop: () => peerRun(browser, server, requests, file, jsLoopRun),
        duckdbWasm: () => peerRun(browser, server, requests, file, duckdbRun, { sql: RFM_SQL }),
        tierwiseRfm: () => pagePathRun(browser, server, requests, file, optionsFile, { warm: true }),
        tierwiseDefault: () => pagePathRun(browser, server, requests, file, null),
      };
      const row = { size, bytes: statSync(file).size };
      for (const [name, job] of Object.entries(jobs)) {
        const runs = [];
        for (let i = 0; i < args.runs; i++) runs.push(await job());
        row[name] = {
          ms: median(runs.map((r) => r.ms)),
          runsMs: runs.map((r) => Math.round(r.ms)),
          customers: runs[0].customers,
          cores: runs[0].cores,
          ...(runs[0].readMs !== undefined ? { readMs: median(runs.map((r) => r.readMs)) } : {}),
          ...(runs[0].initMs !== undefined ? { initMs: median(runs.map((r) => r.initMs)) } : {}),
          ...(runs[0].doneMs !== undefined
            ? {
              doneMs: median(runs.map((r) => r.doneMs)),
              firstMs: median(runs.map((r) => r.firstMs)),
              completeMs: median(runs.map((r) => r.completeMs)),
              modelState: runs[0].modelState,
              ...(Number.isFinite(runs[0].warmMs) ? { warmMs: median(runs.map((r) => r.warmMs)) } : {}),
            }
            : {}),
        };
        process.stderr.write(`[bench] peers ${size} ${name}: ${row[name].ms.toFixed(0)} ms median of [${row[name].runsMs.join(', ')}], ${row[name].customers} customers, hardwareConcurrency ${row[name].cores}${row[name].modelState ? `, model card ${row[name].modelState}` : ''}${row[name].warmMs ? `, warm (the file again in the same page) ${row[name].warmMs.toFixed(0)} ms` : ''}\n`);
      }
      row.customersAgree = new Set(Object.keys(jobs).map((k) => row[k].customers)).size === 1;
      out.push(row);
    }
  } finally {
    await browser.close().catch(() => {});
    await server.close().catch(() => {});
  }
  const foreign = requests.filter((u) => !(u.startsWith(origin + '/') || u.startsWith('blob:') || u.startsWith('data:')));
  if (foreign.length) throw new Error(`the benchmark pages requested outside their origin: ${[...new Set(foreign)].join(', ')}`);
  return out;
}

function timed(cmd, argv, env) {
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} failed (exit ${r.status}): ${(r.stderr || '').slice(0, 500)}`);
  return { ms, stderr: r.stderr };
}

/** The native table: the CLI's analysis and whole-process time against the DuckDB CLI's whole process. */
export function benchPeersNative(args, files) {
  const bin = path.join(ROOT, 'target/release/tierwise');
  if (!existsSync(bin)) throw new Error(`${bin} not found: run scripts/build.sh first`);
  const duck = duckdbCli();
  if (!duck) throw new Error(`the DuckDB CLI is not installed in ${DUCKDB_VENV}: run scripts/setup.sh --bench`);
  const duckVersion = execFileSync(duck, ['-version'], { encoding: 'utf8' }).trim();
  const outDir = path.join(ROOT, 'target/bench-data/out');
  mkdirSync(outDir, { recursive: true });
  const out = [];
  for (const size of args.sizes) {
    const file = files[size];
    const cliOut = path.join(outDir, `tierwise-${size}.csv`);
    const duckOut = path.join(outDir, `duckdb-${size}.csv`);
    // the same job as DuckDB's (RFM, segments, grades: models off) and the default options
    const rfmOnly = path.join(ROOT, 'target/bench-data/options-rfm-only.json');
    writeFileSync(rfmOnly, JSON.stringify({ model: { enabled: false } }) + '\n');
    const cli = (extra = []) => {
      const r = timed(bin, ['analyze', file, '--out', cliOut, ...extra], { TIERWISE_TIMINGS: '1' });
      const m = /read\+push ([\d.]+)s, finish ([\d.]+)s .*outputs ([\d.]+)s/.exec(r.stderr);
      if (!m) throw new Error(`no timings line in: ${r.stderr}`);
      return { wallMs: r.ms, analysisMs: (Number(m[1]) + Number(m[2])) * 1000, outputsMs: Number(m[3]) * 1000 };
    };
    const sql = `COPY (${RFM_SQL.replaceAll('INPUT', file.replaceAll("'", "''"))}) TO '${duckOut.replaceAll("'", "''")}' (HEADER)`;
    const duckdb = () => ({ wallMs: timed(duck, [':memory:', '-c', sql]).ms });
    cli();
    duckdb(); // warm the page cache
    const cliRuns = [];
    const rfmRuns = [];
    const duckRuns = [];
    for (let i = 0; i < args.runs; i++) {
      rfmRuns.push(cli(['--config', rfmOnly]));
      duckRuns.push(duckdb());
      cliRuns.push(cli());
    }
    const row = {
      size,
      bytes: statSync(file).size,
      cliRfmAnalysisMs: median(rfmRuns.map((r) => r.analysisMs)),
      cliRfmWallMs: median(rfmRuns.map((r) => r.wallMs)),
      cliAnalysisMs: median(cliRuns.map((r) => r.analysisMs)),
      cliOutputsMs: median(cliRuns.map((r) => r.outputsMs)),
      cliWallMs: median(cliRuns.map((r) => r.wallMs)),
      duckdbWallMs: median(duckRuns.map((r) => r.wallMs)),
      duckdbVersion: duckVersion,
    };
    out.push(row);
    process.stderr.write(`[bench] peers native ${size}: CLI analysis RFM only ${row.cliRfmAnalysisMs.toFixed(0)} ms, default ${row.cliAnalysisMs.toFixed(0)} ms, whole process ${row.cliWallMs.toFixed(0)} ms; DuckDB whole process ${row.duckdbWallMs.toFixed(0)} ms\n`);
  }
  return out;
}

const fmtMs = (ms) => (Number.isFinite(ms) ? `${Math.round(ms).toLocaleString('en')} ms` : '–');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '–');

/** The peers tables as Markdown: the browser one (with ratios to the JS loop) and the native one. */
export function peersMarkdown(browser, native) {
  const lines = [];
  if (browser.length) {
    const cores = browser[0].jsLoop.cores;
    lines.push(`Chromium, fresh page per run, medians; navigator.hardwareConcurrency = ${cores}`);
    lines.push('');
    lines.push('| rows | MB | JS loop (bytes in memory) | DuckDB-wasm (bytes in memory) | tierwise RFM only (File → first result on screen) | tierwise default (File → first result on screen) | RFM only / JS loop | default / JS loop | DuckDB-wasm / tierwise RFM only |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of browser) {
      lines.push(`| ${r.size} | ${(r.bytes / 1e6).toFixed(0)} | ${fmtMs(r.jsLoop.ms)} | ${fmtMs(r.duckdbWasm.ms)} | ${fmtMs(r.tierwiseRfm.ms)} | ${fmtMs(r.tierwiseDefault.ms)} | ${ratio(r.tierwiseRfm.ms, r.jsLoop.ms)} | ${ratio(r.tierwiseDefault.ms, r.jsLoop.ms)} | ${ratio(r.duckdbWasm.ms, r.tierwiseRfm.ms)} |`);
    }
    lines.push('');
    lines.push('Not in the timings above: reading the File into memory for the JS loop and DuckDB-wasm, and instantiating DuckDB-wasm:');
    lines.push('');
    lines.push('("first result": the status turning fitting (RFM, segments, grades, tables and the charts on screen; the models still fitting) or done; "complete": every chart drawn, those off screen included, after the models; the model card: what it showed after the run.)');
    lines.push('');
    lines.push('| rows | file → ArrayBuffer | DuckDB-wasm instantiate | tierwise RFM only, complete | tierwise RFM only, warm (cold / warm) | tierwise default, status done | tierwise default, complete | model card (RFM only / default) | customers (loop / DuckDB / tierwise) |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---|---|');
    for (const r of browser) {
      const warm = r.tierwiseRfm.warmMs;
      lines.push(`| ${r.size} | ${fmtMs(r.jsLoop.readMs)} | ${fmtMs(r.duckdbWasm.initMs)} | ${fmtMs(r.tierwiseRfm.completeMs)} | ${fmtMs(warm)} (${ratio(r.tierwiseRfm.ms, warm)}) | ${fmtMs(r.tierwiseDefault.doneMs)} | ${fmtMs(r.tierwiseDefault.completeMs)} | ${r.tierwiseRfm.modelState} / ${r.tierwiseDefault.modelState} | ${[r.jsLoop, r.duckdbWasm, r.tierwiseDefault].map((x) => x.customers).join(' / ')}${r.customersAgree ? '' : ' (differ)'} |`);
    }
  }
  if (native.length) {
    if (lines.length) lines.push('');
    lines.push(`| native | MB | CLI analysis, RFM only (DuckDB's job) | CLI analysis, default options | CLI writing the CSV | CLI whole process, default | DuckDB whole process (${native[0].duckdbVersion.split(' ')[0]}) | RFM only / DuckDB | default / DuckDB |`);
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of native) {
      lines.push(`| ${r.size} | ${(r.bytes / 1e6).toFixed(0)} | ${fmtMs(r.cliRfmAnalysisMs)} | ${fmtMs(r.cliAnalysisMs)} | ${fmtMs(r.cliOutputsMs)} | ${fmtMs(r.cliWallMs)} | ${fmtMs(r.duckdbWallMs)} | ${ratio(r.cliRfmAnalysisMs, r.duckdbWallMs)} | ${ratio(r.cliAnalysisMs, r.duckdbWallMs)} |`);
    }
  }
  return lines.join('\n');
}
