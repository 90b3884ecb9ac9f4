// The npm package `tierwise` as a user gets it: scripts/package.mjs assembles and packs it (from the
// current www/ and package/, so the tarball is never stale), the tarball is installed offline into a
// scratch folder under the system's temp folder, and then
//   1. Node, from that folder (`import … from 'tierwise'`, the exports map's "node" condition): a small
//      file whose numbers are worked out by hand below, rows() paging/filters/sort, the exports,
//      cancelling by AbortSignal, the core's coded errors, the client's own codes, dispose();
//   2. `tsc --noEmit --strict` over tests/package/typed-example.ts (bundler resolution: the "types"
//      conditions) and typed-node.ts (node16: the "node" condition), both copied next to the install;
//   3. headless Chromium: a page served from the scratch folder imports
//      ./node_modules/tierwise/client.js, analyses bytes and posts the results back.
// Needs scripts/build.sh's outputs (www/pkg*, www/vendor, www/data).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServer } from '../scripts/serve.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './e2e/helpers.mjs';

/** A test that waits longer than this has hung (a worker that never answers): fail, do not stall CI. */
const TIMEOUT = 180_000;
const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const TSC = path.join(ROOT, 'node_modules/.bin/tsc');

// ── The hand-computed file ──────────────────────────────────────────────────────────────────────────
// Four customers, analysis date 2024-03-31 (given), orders counted by order_id (two rows of order 4 are
// one order of C).
//   customer  orders (date: amount)                         recency (days to 2024-03-31)      freq  monetary       aov
//   A         1 (01-01: 100), 2 (03-01: 50.5)               Mar 1 → Mar 31 = 30               2     150.5          75.25
//   B         3 (2024-02-15: 200)                           Feb 15 → Feb 29 = 14, + 31 = 45   1     200            200
//   C         4 (03-10: 30 + 20, one order)                 Mar 10 → Mar 31 = 21              1     50             50
//   D         5 (2023-12-01: 10)                            Dec 1 → Dec 31 = 30, + 31 (Jan)   1     10             10
//                                                             + 29 (Feb, 2024 is leap) + 31 = 121
//   revenue 150.5 + 200 + 50 + 10 = 410.5; orders 2 + 1 + 1 + 1 = 5; AOV 410.5 / 5 = 82.1;
//   repeat rate: 1 of 4 customers has more than one order = 0.25; 6 data rows.
const ORDERS = [
  'customer_id,order_date,amount,order_id',
  'A,2024-01-01,100,1',
  'A,2024-03-01,50.5,2',
  'B,2024-02-15,200,3',
  'C,2024-03-10,30,4',
  'C,2024-03-10,20,4',
  'D,2023-12-01,10,5',
  '',
].join('\n');
const OPTIONS = { analysisDate: '2024-03-31', columns: { order: 'order_id' } };
const IDS = ['A', 'B', 'C', 'D'];
const RECENCY = [30, 45, 21, 121];
const FREQUENCY = [2, 1, 1, 1];
const MONETARY = [150.5, 200, 50, 10];

/** A large generated order file (≈ `rows` × 32 bytes), for cancelling mid-analysis. */
function bigOrders(rows) {
  const lines = ['customer_id,order_date,amount'];
  for (let i = 0; i < rows; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const month = String(1 + (i % 12)).padStart(2, '0');
    lines.push(`C${i % 50_000},2023-${month}-${day},${(i % 997) + 0.5}`);
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

let scratch;
let tierwise; // the package's module, as `import … from 'tierwise'` sees it in the scratch folder
let cargoVersion;

before(() => {
  const tgz = execFileSync(process.execPath, [path.join(ROOT, 'scripts/package.mjs')], { cwd: ROOT, encoding: 'utf8' }).trim();
  cargoVersion = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8'))[1];
  scratch = mkdtempSync(path.join(os.tmpdir(), 'tierwise-package-'));
  writeFileSync(path.join(scratch, 'package.json'), '{ "name": "scratch", "private": true, "type": "module" }\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', tgz], { cwd: scratch, stdio: ['ignore', 'pipe', 'pipe'] });
  writeFileSync(path.join(scratch, 'entry.mjs'), "export * from 'tierwise';\n");
  writeFileSync(path.join(scratch, 'orders.csv'), ORDERS);
});

after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function load() {
  tierwise ??= await import(pathToFileURL(path.join(scratch, 'entry.mjs')).href);
  return tierwise;
}

/** The promise's rejection, asserted to be a TierwiseError with `code`. */
async function rejection(promise, code) {
  const { TierwiseError } = await load();
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof TierwiseError, `expected a TierwiseError, got ${e?.stack ?? e}`);
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected a rejection with code ${code}`);
}

test('the packed package: name, version from Cargo.toml, exports with types, no dependencies, licence', { timeout: TIMEOUT }, () => {
  const pkg = JSON.parse(readFileSync(path.join(scratch, 'node_modules/tierwise/package.json'), 'utf8'));
  assert.equal(pkg.name, 'tierwise');
  assert.equal(pkg.version, cargoVersion);
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.dependencies, undefined);
  for (const [key, entry] of Object.entries(pkg.exports)) {
    if (key === './package.json') continue;
    assert.ok(entry.types, `exports["${key}"] has types`);
  }
  assert.equal(pkg.exports['.'].node.default, './node.js');
  assert.equal(pkg.exports['.'].default, './client.js');
  for (const entry of ['./worker.js', './range-worker.js', './components.js']) {
    assert.ok(pkg.sideEffects.includes(entry), `sideEffects lists ${entry}`);
  }
  assert.equal(pkg.exports['./range-worker'].default, './range-worker.js');
  const licence = readFileSync(path.join(scratch, 'node_modules/tierwise/LICENSE'), 'utf8');
  assert.match(licence, /Copyright \(c\) 2026 the tierwise authors/);
  assert.match(readFileSync(path.join(scratch, 'node_modules/tierwise/vendor/echarts.LICENSE.txt'), 'utf8'), /Apache License/);
});

test('node: analyze a Buffer; summary, preview columns, version and events match the hand computation', { timeout: TIMEOUT }, async () => {
  const { createTierwise } = await load();
  const tw = await createTierwise();
  try {
    assert.equal(tw.version, cargoVersion);
    assert.equal(tw.result, null);
    const events = [];
    tw.addEventListener('result', (ev) => events.push(ev.detail));
    const progress = [];
    const result = await tw.analyze(readFileSync(path.join(scratch, 'orders.csv')), OPTIONS, { onProgress: (p) => progress.push(p) });
    const s = result.summary;
    assert.equal(s.customers, 4);
    assert.equal(s.analysisDate, '2024-03-31');
    assert.equal(s.input.rows, 6);
    assert.equal(s.kpis.revenue, 410.5);
    assert.equal(s.kpis.orders, 5);
    assert.equal(s.kpis.aov, 82.1);
    assert.equal(s.kpis.repeatRate, 0.25);
    assert.equal(result.customerCount, 4);
    assert.deepEqual(result.columns.customerId, IDS);
    assert.deepEqual([...result.columns.recencyDays], RECENCY);
    assert.deepEqual([...result.columns.frequency], FREQUENCY);
    assert.deepEqual([...result.columns.monetary], MONETARY);
    assert.equal(result.columns.aov[0], 75.25);
    assert.equal(tw.result, result);
    assert.deepEqual(events, [result]);
    assert.ok(progress.length >= 1 && progress.at(-1).bytesRead === Buffer.byteLength(ORDERS), 'a final progress report');
    assert.equal(progress[0].type, undefined, 'progress without the envelope');
  } finally {
    tw.dispose();
  }
});

test('node: rows() pages, filters, searches and sorts', { timeout: TIMEOUT }, async () => {
  const { createTierwise } = await load();
  const tw = await createTierwise();
  try {
    await tw.analyze(Buffer.from(ORDERS), OPTIONS);
    const byMoney = { column: 'monetary', dir: 'desc' };
    const first = await tw.rows({ limit: 2, sort: byMoney, columns: ['customerId', 'monetary'] });
    assert.equal(first.total, 4);
    assert.deepEqual(first.columns.customerId, ['B', 'A']); // 200, 150.5
    assert.deepEqual(Object.keys(first.columns).sort(), ['customerId', 'monetary']);
    const second = await tw.rows({ offset: 2, limit: 2, sort: byMoney });
    assert.equal(second.offset, 2);
    assert.deepEqual(second.columns.customerId, ['C', 'D']); // 50, 10
    assert.deepEqual([...second.indexes], [2, 3]); // C and D are the 3rd and 4th by customer id
    // recency in [0, 31): A (30) and C (21); [0, 30) leaves A out; [0, 30] takes it back
    const recent = await tw.rows({ filter: [{ column: 'recencyDays', min: 0, max: 31 }] });
    assert.deepEqual(recent.columns.customerId, ['A', 'C']);
    assert.deepEqual((await tw.rows({ filter: [{ column: 'recencyDays', min: 0, max: 30 }] })).columns.customerId, ['C']);
    assert.deepEqual((await tw.rows({ filter: [{ column: 'recencyDays', min: 0, max: 30, maxInclusive: true }] })).columns.customerId, ['A', 'C']);
    // two orders: A only; a search is a case-insensitive substring of the id
    assert.deepEqual((await tw.rows({ filter: [{ column: 'frequency', value: 2 }] })).columns.customerId, ['A']);
    const b = await tw.rows({ search: 'b' });
    assert.equal(b.total, 1);
    assert.deepEqual(b.columns.customerId, ['B']);
    await rejection(tw.rows({ filter: [{ column: 'nope', value: 1 }] }), 'invalid_argument');
  } finally {
    tw.dispose();
  }
});

test('node: export csv (plain, filtered, European), json and xlsx', { timeout: TIMEOUT }, async () => {
  const { createTierwise } = await load();
  const tw = await createTierwise();
  try {
    await tw.analyze(Buffer.from(ORDERS), OPTIONS);
    const blob = await tw.export('csv');
    assert.deepEqual([...new Uint8Array(await blob.arrayBuffer()).subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with BOM');
    const csv = await blob.text(); // (text() drops the BOM)
    const lines = csv.trimEnd().split(/\r?\n/);
    assert.equal(lines.length, 5);
    assert.match(lines[0], /^customer_id,first_date,last_date,recency_days,frequency,monetary,aov,/);
    assert.match(lines[1], /^A,2024-01-01,2024-03-01,30,2,150\.5,75\.25,/);
    assert.match(lines[2], /^B,2024-02-15,2024-02-15,45,1,200,200,/);
    assert.match(lines[4], /^D,2023-12-01,2023-12-01,121,1,10,10,/);
    const some = await (await tw.export('csv', { filter: [{ column: 'recencyDays', min: 0, max: 31 }], sort: { column: 'monetary', dir: 'asc' } })).text();
    assert.deepEqual(some.trimEnd().split(/\r?\n/).slice(1).map((l) => l.split(',')[0]), ['C', 'A']);
    const euro = await (await tw.export('csv', { delimiter: ';', decimal: ',' })).text();
    assert.match(euro.split(/\r?\n/)[1], /^A;2024-01-01;2024-03-01;30;2;150,5;75,25;/);
    const json = await (await tw.export('json')).text();
    assert.ok(json.endsWith('}\n'));
    assert.deepEqual(JSON.parse(json), tw.result.summary);
    assert.match(json, /^\{\n {2}"/, 'pretty-printed with two spaces');
    const xlsx = new Uint8Array(await (await tw.export('xlsx')).arrayBuffer());
    assert.deepEqual([...xlsx.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], 'a ZIP file (xlsx)');
    await rejection(tw.export('pdf'), 'invalid_argument');
  } finally {
    tw.dispose();
  }
});

test('node: exportSql writes the CLI\'s script for the same bytes and options; another dialect is a coded error', { timeout: TIMEOUT }, async () => {
  const { createTierwise } = await load();
  const tw = await createTierwise();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tierwise-sql-'));
  try {
    await tw.analyze(Buffer.from(ORDERS), OPTIONS);
    const file = path.join(dir, 'orders.csv');
    writeFileSync(file, ORDERS);
    for (const [dialect, cuts] of [['duckdb', undefined], ['postgres', 'sql']]) {
      const cli = execFileSync(path.join(ROOT, 'target/release/tierwise'),
        ['sql', file, '--options', JSON.stringify(OPTIONS), '--dialect', dialect, ...(cuts ? ['--cuts', cuts] : [])],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      assert.equal(await tw.exportSql(dialect, { cuts }), cli, `${dialect} ${cuts}`);
    }
    const e = await rejection(tw.exportSql('oracle'), 'invalid_option');
    assert.match(e.message, /exportSql\.dialect/);
    assert.match(e.message, /oracle/);
  } finally {
    tw.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('node: an AbortSignal cancels a running analysis; the previous result and the client stay usable', { timeout: TIMEOUT }, async () => {
  const { createTierwise } = await load();
  const tw = await createTierwise();
  try {
    const small = await tw.analyze(Buffer.from(ORDERS), OPTIONS);
    const big = bigOrders(800_000); // ≈ 25 MB: a dozen 2 MiB pushes
    const controller = new AbortController();
    let reports = 0;
    const err = await rejection(
      tw.analyze(big, undefined, {
        signal: controller.signal,
        onProgress: () => {
          reports++;
          controller.abort();
        },
      }),
      'cancelled',
    );
    assert.equal(err.cancelled, true);
    assert.ok(reports >= 1);
    assert.equal(tw.result, small, 'the previous analysis stays');
    assert.deepEqual((await tw.rows({ limit: 1 })).columns.customerId, ['A']);
    // already aborted: rejected at once
    await rejection(tw.analyze(Buffer.from(ORDERS), OPTIONS, { signal: AbortSignal.abort() }), 'cancelled');
    const again = await tw.analyze(Buffer.from(ORDERS), OPTIONS);
    assert.deepEqual([...again.columns.recencyDays], RECENCY);
  } finally {
    tw.dispose();
  }
});

test("node: a bad option is the core's coded error; requests before an analysis, a bad input and dispose() have their own codes", { timeout: TIMEOUT }, async () => {
  const { createTierwise } = await load();
  const tw = await createTierwise();
  await rejection(tw.rows(), 'no_analysis');
  await rejection(tw.export('csv'), 'no_analysis');
  await rejection(tw.compare(), 'no_analysis');
  await rejection(tw.analyze('customer_id,order_date\n'), 'invalid_argument');
  await tw.analyze(Buffer.from(ORDERS), OPTIONS);
  // docs/outputs.md#options: "invalid option rfm.bins: must be between 3 and 10, got 12"
  const bad = await rejection(tw.analyze(Buffer.from(ORDERS), { rfm: { bins: 12 } }), 'invalid_option');
  assert.equal(bad.params.key, 'rfm.bins');
  assert.equal(bad.message, 'invalid option rfm.bins: must be between 3 and 10, got 12');
  assert.equal(bad.fatal, false);
  assert.equal(tw.result, null, 'a failed analysis frees the previous one');
  // an option postMessage cannot copy never reaches the worker: the previous analysis stays
  await tw.analyze(Buffer.from(ORDERS), OPTIONS);
  const uncopyable = await rejection(tw.analyze(Buffer.from(ORDERS), { labels: () => 'en' }), 'invalid_argument');
  assert.match(uncopyable.message, /^could not send the request to the worker: /);
  assert.deepEqual((await tw.rows({ limit: 1 })).columns.customerId, ['A']);
  // the client still works, and dispose() ends it
  await tw.analyze(Buffer.from(ORDERS), OPTIONS);
  const pending = tw.analyze(bigOrders(200_000));
  tw.dispose();
  await rejection(pending, 'disposed');
  await rejection(tw.rows(), 'disposed');
  await rejection(tw.analyze(Buffer.from(ORDERS)), 'disposed');
  tw.dispose(); // twice is fine
});

test('node: a file-backed Blob (fs.openAsBlob), which Node cannot pass to a thread, is read and sent as bytes', { timeout: TIMEOUT }, async () => {
  const { createTierwise } = await load();
  const { openAsBlob } = await import('node:fs');
  const tw = await createTierwise();
  try {
    const analysis = tw.analyze(await openAsBlob(path.join(scratch, 'orders.csv')), OPTIONS);
    const inOrder = tw.inspect(Buffer.from(ORDERS)); // posted meanwhile: answered after the analysis
    const result = await analysis;
    assert.deepEqual([...result.columns.monetary], MONETARY);
    assert.equal((await inOrder).delimiter, ',');
  } finally {
    tw.dispose();
  }
});

test('node: inspect and compare through the client', { timeout: TIMEOUT }, async () => {
  const { createTierwise } = await load();
  const tw = await createTierwise();
  try {
    const inspection = await tw.inspect(Buffer.from(ORDERS));
    assert.equal(inspection.delimiter, ',');
    assert.equal(inspection.header, true);
    assert.deepEqual(inspection.columns.map((c) => c.name), ['customer_id', 'order_date', 'amount', 'order_id']);
    assert.equal(inspection.columns[0].role, 'customer');
    await tw.analyze(Buffer.from(ORDERS), OPTIONS);
    const comparison = await tw.compare({ from: '2024-01-31' });
    assert.equal(comparison.from, '2024-01-31');
    assert.equal(comparison.to, '2024-03-31');
  } finally {
    tw.dispose();
  }
});

test("node: a worker that cannot load rejects createTierwise with code 'engine'", { timeout: TIMEOUT }, async () => {
  const { createTierwise } = await load();
  const missing = pathToFileURL(path.join(scratch, 'no-such-worker.js'));
  const err = await rejection(createTierwise({ workerUrl: missing }), 'engine');
  assert.equal(err.fatal, true);
});

test('node: a script that never calls dispose() still ends once its requests are answered', { timeout: TIMEOUT }, () => {
  const script = [
    "import { readFileSync } from 'node:fs';",
    "import { createTierwise } from 'tierwise';",
    'const tw = await createTierwise();',
    `const r = await tw.analyze(readFileSync('orders.csv'), ${JSON.stringify(OPTIONS)});`,
    'console.log(r.summary.customers);',
  ].join('\n');
  writeFileSync(path.join(scratch, 'script.mjs'), script);
  const run = spawnSync(process.execPath, ['script.mjs'], { cwd: scratch, encoding: 'utf8', timeout: 30_000 });
  assert.equal(run.error, undefined, `the script did not end: ${run.error}`);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), '4');
});

/** The member names of `export interface NAME { … }` in a .d.ts text (two-space indented members). */
function interfaceKeys(dts, name) {
  const m = new RegExp(`export interface ${name} \\{\\n([\\s\\S]*?)\\n\\}`).exec(dts);
  assert.ok(m, `interface ${name} in the .d.ts`);
  return [...m[1].matchAll(/^ {2}(\w+)\??:/gm)].map((x) => x[1]).sort();
}

test("types: the declared column table, result and rows page are the core's and the worker's", { timeout: TIMEOUT }, async () => {
  const dts = readFileSync(path.join(scratch, 'node_modules/tierwise/worker.d.ts'), 'utf8');
  // every column of the core's table (pkg/catalog.js, from `tierwise catalog`) with its array type
  const { CATALOG } = await import(pathToFileURL(path.join(scratch, 'node_modules/tierwise/pkg/catalog.js')).href);
  const arrayType = { text: 'string[]', int32: 'Int32Array', float64: 'Float64Array', uint8: 'Uint8Array' };
  const declared = new Map([...interfaceBody(dts, 'CustomerColumnMap').matchAll(/^ {2}(\w+): ([\w[\]]+);/gm)].map((x) => [x[1], x[2]]));
  for (const c of CATALOG.columns) assert.equal(declared.get(c.js), arrayType[c.type], `CustomerColumnMap.${c.js}`);
  assert.deepEqual([...declared.keys()].sort(), [...CATALOG.columns.map((c) => c.js), 'churnReasons'].sort());
  // what the client really returns has exactly the declared members (less the envelope)
  const { createTierwise } = await load();
  const tw = await createTierwise();
  try {
    const result = await tw.analyze(Buffer.from(ORDERS), OPTIONS);
    const envelope = (keys) => keys.filter((k) => k !== 'type' && k !== 'id');
    assert.deepEqual(Object.keys(result).sort(), envelope(interfaceKeys(dts, 'ResultMessage')));
    assert.deepEqual(Object.keys(result.columns).sort(), [...declared.keys()].sort(), 'the default preview has every column');
    const page = await tw.rows();
    assert.deepEqual(Object.keys(page).sort(), envelope(interfaceKeys(dts, 'QueryMessage')));
    const histogram = await tw.histogram('monetary', { bins: 2 });
    assert.deepEqual(Object.keys(histogram).sort(), envelope(interfaceKeys(dts, 'HistogramMessage')));
    // monetary 10 … 200 in two bins of 95: [10, 105) holds C (50) and D (10), [105, 200] A (150.5) and B (200)
    assert.deepEqual(histogram.counts, [2, 2]);
    // by first order date (each customer's own), with their spend; sorted by key
    const grouped = await tw.aggregate(['firstDate'], { sum: 'monetary' });
    assert.deepEqual(Object.keys(grouped).sort(), envelope(interfaceKeys(dts, 'AggregateMessage')));
    assert.deepEqual(grouped.groups, [
      { key: ['2023-12-01'], customers: 1, sum: 10 },
      { key: ['2024-01-01'], customers: 1, sum: 150.5 },
      { key: ['2024-02-15'], customers: 1, sum: 200 },
      { key: ['2024-03-10'], customers: 1, sum: 50 },
    ]);
    await rejection(tw.aggregate(['frequency']), 'invalid_argument'); // not a text or score column
  } finally {
    tw.dispose();
  }
});

/** The text between `export interface NAME {` and its closing brace. */
function interfaceBody(dts, name) {
  const m = new RegExp(`export interface ${name} \\{\\n([\\s\\S]*?)\\n\\}`).exec(dts);
  assert.ok(m, `interface ${name} in the .d.ts`);
  return m[1];
}

test('types: tsc --noEmit --strict over the typed examples, resolved through the installed package', { timeout: TIMEOUT }, () => {
  for (const f of ['typed-example.ts', 'typed-node.ts', 'tsconfig.json', 'tsconfig.node.json']) {
    copyFileSync(path.join(ROOT, 'tests/package', f), path.join(scratch, f));
  }
  for (const config of ['tsconfig.json', 'tsconfig.node.json']) {
    const run = spawnSync(TSC, ['-p', config, '--noEmit', '--strict'], { cwd: scratch, encoding: 'utf8' });
    assert.equal(run.status, 0, `tsc -p ${config}:\n${run.stdout}${run.stderr}`);
  }
  // the check bites: a wrong use of the client is an error
  writeFileSync(path.join(scratch, 'typed-example.ts'), `${readFileSync(path.join(ROOT, 'tests/package/typed-example.ts'), 'utf8')}\nawait tw.export('docx');\n`);
  const wrong = spawnSync(TSC, ['-p', 'tsconfig.json', '--noEmit', '--strict'], { cwd: scratch, encoding: 'utf8' });
  assert.notEqual(wrong.status, 0);
  assert.match(wrong.stdout, /typed-example\.ts.*"docx"/);
});

test('chromium: a page imports ./node_modules/tierwise/client.js, analyses bytes and reads rows and the CSV', { timeout: TIMEOUT }, async () => {
  writeFileSync(path.join(scratch, 'index.html'), '<!doctype html><meta charset="utf-8"><title>tierwise package</title>\n');
  const server = await startServer({ root: scratch, port: 0, host: '127.0.0.1' });
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await browser.newPage();
    const requests = [];
    const problems = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(`${server.url}index.html`);
    const out = await page.evaluate(
      async ({ csv, options }) => {
        const { createTierwise, TierwiseError } = await import('./node_modules/tierwise/client.js');
        const tw = await createTierwise();
        const results = [];
        tw.addEventListener('result', (ev) => results.push(ev.detail.customerCount));
        const r = await tw.analyze(new TextEncoder().encode(csv), options);
        const rows = await tw.rows({ offset: 2, limit: 2, sort: { column: 'monetary', dir: 'desc' } });
        const text = await (await tw.export('csv')).text();
        const file = await tw.analyze(new File([csv], 'orders.csv'), options); // a File is streamed
        let bad = null;
        try {
          await tw.analyze(new TextEncoder().encode(csv), { rfm: { bins: 12 } });
        } catch (e) {
          bad = { isError: e instanceof TierwiseError, code: e.code, key: e.params.key };
        }
        tw.dispose();
        // a worker that cannot load, and a worker the page made itself
        let lost = null;
        try {
          await createTierwise({ workerUrl: new URL('./no-such-worker.js', location.href) });
        } catch (e) {
          lost = { isError: e instanceof TierwiseError, code: e.code, fatal: e.fatal };
        }
        const own = await createTierwise({ worker: new Worker(new URL('./node_modules/tierwise/worker.js', location.href), { type: 'module' }) });
        const ownResult = await own.analyze(new Blob([csv]), options);
        own.dispose();
        return {
          lost,
          ownCustomers: ownResult.summary.customers,
          version: tw.version,
          customers: r.summary.customers,
          revenue: r.summary.kpis.revenue,
          ids: r.columns.customerId,
          recency: [...r.columns.recencyDays],
          frequency: [...r.columns.frequency],
          monetary: [...r.columns.monetary],
          page: { total: rows.total, ids: rows.columns.customerId },
          csvLine: text.replace(/^\uFEFF/, '').split(/\r?\n/)[1],
          fileMonetary: [...file.columns.monetary],
          bad,
          results,
        };
      },
      { csv: ORDERS, options: OPTIONS },
    );
    assert.equal(out.version, cargoVersion);
    assert.equal(out.customers, 4);
    assert.equal(out.revenue, 410.5);
    assert.deepEqual(out.ids, IDS);
    assert.deepEqual(out.recency, RECENCY);
    assert.deepEqual(out.frequency, FREQUENCY);
    assert.deepEqual(out.monetary, MONETARY);
    assert.deepEqual(out.page, { total: 4, ids: ['C', 'D'] });
    assert.match(out.csvLine, /^A,2024-01-01,2024-03-01,30,2,150\.5,75\.25,/);
    assert.deepEqual(out.fileMonetary, MONETARY);
    assert.deepEqual(out.bad, { isError: true, code: 'invalid_option', key: 'rfm.bins' });
    assert.deepEqual(out.results, [4, 4]);
    assert.deepEqual(out.lost, { isError: true, code: 'engine', fatal: true });
    assert.equal(out.ownCustomers, 4);
    assert.deepEqual(problems, []);
    const foreign = requests.filter((u) => !u.startsWith(server.url) && !u.startsWith('blob:') && !u.startsWith('data:'));
    assert.deepEqual(foreign, [], 'no request beyond the page origin');
  } finally {
    await browser.close();
    await server.close();
  }
});

test("README: the 'Use from Node' example prints what the README says", { timeout: TIMEOUT }, () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = (kind) => {
    const m = readme.match(new RegExp(`<!-- readme-${kind}: node-package -->\\s*\`\`\`[a-z]*\\n([\\s\\S]*?)\`\`\``));
    assert.ok(m, `README has a readme-${kind} block named node-package`);
    return m[1];
  };
  // run as the README says: a script next to orders.csv, in a folder where the tarball is installed
  writeFileSync(path.join(scratch, 'readme-node.mjs'), block('example'));
  const run = spawnSync(process.execPath, ['readme-node.mjs'], { cwd: scratch, encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, block('output'));
});
