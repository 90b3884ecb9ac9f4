// End-to-end test of the demo page (www/) in headless Chromium, checked against the native CLI.
//
//   node --test tests/e2e/
//
// Needs: www/pkg + www/vendor (scripts/build.sh), www/sample.csv, the CLI (cargo build --release, or
// TIERWISE_BIN), Debian chromium (/usr/bin/chromium, or CHROMIUM_PATH). TIERWISE_SCREENSHOT=file.png
// saves a full-page screenshot after the sample is loaded.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  WWW,
  checkSiteBuilt,
  runCli,
  csvRecords,
  describeDifference,
  openPageSession,
  waitForRunOf,
  dataValueOf,
  assertNoProblemsIn,
  foreignRequests,
} from './helpers.mjs';

const TIMEOUT = 120_000;

let session;
let origin;
let page;
let tmp;
let cli;
const requests = [];
const problems = []; // page errors and console errors

before(async () => {
  checkSiteBuilt();
  tmp = mkdtempSync(path.join(tmpdir(), 'tierwise-e2e-'));
  cli = runCli(path.join(WWW, 'sample.csv'), tmp);

  session = await openPageSession({ requests, problems, acceptDownloads: true });
  ({ origin, page } = session);
}, { timeout: TIMEOUT });

after(async () => {
  await session?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const assertNoProblems = () => assertNoProblemsIn(problems);

const dataValue = (testid) => dataValueOf(page, testid);

const waitForRun = () => waitForRunOf(page);

test('the page starts clean', { timeout: TIMEOUT }, async () => {
  assert.equal(await page.title(), 'tierwise — customer value grading in your browser');
  assert.equal(await page.isVisible('#load-sample'), true);
  assert.equal(await page.isHidden('#error'), true);
  assert.equal(await page.isDisabled('#export-csv'), true);
  // The worker announces the core's version once the wasm module is loaded.
  await page.waitForFunction(() => twq('#version')?.textContent.trim() !== '', null, {
    timeout: 30_000,
  });
  assert.match(await page.textContent('#version'), new RegExp(cli.summary.version.replace(/\./g, '\\.')));
  assertNoProblems();
});

test('"Load sample data" shows the same figures as the CLI', { timeout: TIMEOUT }, async () => {
  await page.click('#load-sample');
  await waitForRun();
  const s = cli.summary;

  assert.equal(Number(await dataValue('kpi-customers')), s.customers, 'customers');
  assert.equal(Number(await dataValue('kpi-customers')), s.kpis.customers, 'kpis.customers');
  assert.equal(Number(await dataValue('dq-rows')), s.input.rows, 'rows read');
  assert.equal(Number(await dataValue('dq-used')), s.input.used, 'rows used');

  const revenue = Number(await dataValue('kpi-revenue'));
  assert.ok(Math.abs(revenue - s.kpis.revenue) <= 0.005, `revenue: page ${revenue}, cli ${s.kpis.revenue}`);
  const aov = Number(await dataValue('kpi-aov'));
  assert.ok(Math.abs(aov - s.kpis.aov) <= 0.005, `aov: page ${aov}, cli ${s.kpis.aov}`);

  const repeat = Number(await dataValue('kpi-repeat'));
  assert.ok(Math.abs(repeat - s.kpis.repeatRate) < 1e-9, `repeat rate: page ${repeat}, cli ${s.kpis.repeatRate}`);
  const p80 = Number(await dataValue('kpi-pareto80'));
  assert.ok(
    Math.abs(p80 - s.pareto.customerShareFor80) < 1e-9,
    `pareto 80 %: page ${p80}, cli ${s.pareto.customerShareFor80}`,
  );
  const top20 = Number(await dataValue('kpi-top20'));
  assert.ok(Math.abs(top20 - s.pareto.top20RevenueShare) < 1e-9, `top 20 %: page ${top20}, cli ${s.pareto.top20RevenueShare}`);

  // Formatted text: thousands separators and a percent sign.
  const customersText = await page.textContent('[data-testid="kpi-customers"]');
  assert.equal(customersText, s.customers.toLocaleString('en-US'));
  assert.match(await page.textContent('[data-testid="kpi-pareto80"]'), /%$/);

  // Customer table: the first 100 customers in customer-id order, as in the CLI's CSV.
  const rows = await page.$$eval('[data-testid="customer-table"] tbody tr', (trs) => trs.length);
  assert.equal(rows, Math.min(100, s.customers), 'table rows');
  const records = csvRecords(cli.csv.toString('utf8'), 3);
  assert.equal(records[0][0], 'customer_id', 'CLI CSV header');
  const firstId = await page.textContent('[data-testid="customer-table"] tbody tr:first-child td:first-child');
  assert.equal(firstId, records[1][0], 'first customer id');

  // Segment chart and table (rfm11) present.
  assert.equal(await page.isVisible('#segment-chart canvas'), true, 'segment chart rendered');
  const segRows = await page.$$eval('[data-testid="segment-table"] tbody tr', (trs) => trs.length);
  assert.equal(segRows, s.segments.rfm11.length, 'segment table rows');

  if (process.env.TIERWISE_SCREENSHOT) {
    await page.waitForTimeout(600); // let the chart animations finish
    await page.screenshot({ path: process.env.TIERWISE_SCREENSHOT, fullPage: true });
  }
  assertNoProblems();
});

test('"Export CSV" downloads exactly the CLI\'s customers.csv', { timeout: TIMEOUT }, async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  assert.equal(download.suggestedFilename(), 'tierwise-customers.csv');
  const file = await download.path();
  const bytes = readFileSync(file);
  const diff = describeDifference(bytes, cli.csv, ['page export', 'CLI customers.csv']);
  assert.ok(diff === null, `exported CSV differs from the CLI output:\n${diff}`);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  assertNoProblems();
});

test('the language toggle switches labels to Chinese and back', { timeout: TIMEOUT }, async () => {
  const customersBefore = await dataValue('kpi-customers');
  await page.click('#lang-zh');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.equal(await page.textContent('#load-sample'), '加载示例数据');
  const first = cli.summary.segments.rfm11[0];
  if (first?.nameZh) {
    const cell = await page.textContent('[data-testid="segment-table"] tbody tr:first-child td:first-child');
    assert.equal(cell, first.nameZh);
  }
  assert.equal(await dataValue('kpi-customers'), customersBefore, 'values do not change with the language');
  await page.click('#lang-en');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.textContent('#load-sample'), 'Load sample data');
  assertNoProblems();
});

test('a file without customer and date columns shows the core\'s error', { timeout: TIMEOUT }, async () => {
  await page.setInputFiles('#file-input', {
    name: 'hello.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('hello\n'),
  });
  await page.waitForFunction(() => twq('#status')?.dataset.state === 'error', null, {
    timeout: 60_000,
  });
  assert.equal(await page.isVisible('#error'), true, 'error box visible');
  assert.equal(await page.getAttribute('#error', 'role'), 'alert');
  const text = await page.textContent('#error');
  assert.match(text, /customer|date/i, `error text: ${text}`);
  assert.equal(await page.isHidden('#results'), true, 'old results are hidden');
  assert.equal(await page.isDisabled('#export-csv'), true, 'nothing to export');

  // The page recovers: the sample still loads after an error.
  await page.click('#load-sample');
  await waitForRun();
  assert.equal(await page.isHidden('#error'), true);
  assert.equal(Number(await dataValue('kpi-customers')), cli.summary.customers);
  assertNoProblems();
});

test('the worker protocol documented in worker.js', { timeout: TIMEOUT }, async () => {
  const r = await page.evaluate(async () => {
    const worker = new Worker(new URL('./worker.js', document.baseURI), { type: 'module' });
    const inbox = [];
    const waiters = [];
    worker.onmessage = ({ data }) => {
      const i = waiters.findIndex((w) => w.match(data));
      if (i >= 0) waiters.splice(i, 1)[0].resolve(data);
      else inbox.push(data);
    };
    const next = (match) =>
      new Promise((resolve) => {
        const i = inbox.findIndex(match);
        if (i >= 0) resolve(inbox.splice(i, 1)[0]);
        else waiters.push({ match, resolve });
      });
    const ask = (msg, transfer = []) => {
      worker.postMessage(msg, transfer);
      return next((d) => d.id === msg.id && d.type !== 'progress'); // progress messages share the id
    };
    const out = {};
    const ready = await next((d) => d.type === 'ready');
    out.version = ready.version;

    const bytes = await (await fetch('sample.csv')).arrayBuffer();
    const res = await ask({ type: 'analyze', id: 'a1', bytes, preview: 10 }, [bytes]);
    out.transferred = bytes.byteLength === 0;
    out.result = {
      type: res.type,
      customerCount: res.customerCount,
      customers: res.summary.customers,
      rejectedIsObject: Object.getPrototypeOf(res.summary.input.rejected) === Object.prototype,
      previewLength: res.columns.customerId.length,
      recencyType: res.columns.recencyDays.constructor.name,
      monetaryType: res.columns.monetary.constructor.name,
      hasAllColumns: ['customerId', 'rfmCode', 'segmentRfm11', 'gradeLadder', 'churnFlags', 'action'].every(
        (c) => c in res.columns,
      ),
      elapsed: typeof res.elapsedMs === 'number',
    };
    const rows = await ask({ type: 'rows', id: 'r1', offset: 10, limit: 5, columns: ['customerId', 'monetary'] });
    out.rows = { type: rows.type, offset: rows.offset, ids: rows.columns.customerId, keys: Object.keys(rows.columns) };
    const first = await ask({ type: 'rows', id: 'r0', offset: 0, limit: 1 });
    out.firstId = first.columns.customerId[0];
    const csv = await ask({ type: 'exportCsv', id: 'c1' });
    out.csv = { type: csv.type, isBuffer: csv.bytes instanceof ArrayBuffer, size: csv.bytes.byteLength };

    // Re-run the kept bytes with other options (no `bytes`): Chinese labels.
    const zh = await ask({ type: 'analyze', id: 'a2', options: { labels: 'zh' }, preview: 50 });
    out.zhSegments = [...new Set(zh.columns.segmentRfm11)];
    // A bad option is a non-fatal error naming the key; the worker stays usable.
    const bad = await ask({ type: 'analyze', id: 'a3', options: { noSuchOption: 1 } });
    out.bad = { type: bad.type, message: bad.message, fatal: bad.fatal };
    const again = await ask({ type: 'analyze', id: 'a4' });
    out.again = again.type === 'result' && again.customerCount === res.customerCount;
    const freed = await ask({ type: 'free', id: 'f1' });
    out.freed = freed.type;
    const afterFree = await ask({ type: 'exportCsv', id: 'c2' });
    out.afterFree = { type: afterFree.type, fatal: afterFree.fatal };
    const unknown = await ask({ type: 'frobnicate', id: 'u1' });
    out.unknown = unknown.type;
    worker.terminate();
    return out;
  });

  const s = cli.summary;
  assert.equal(r.version, s.version);
  assert.equal(r.transferred, true, 'the ArrayBuffer was transferred');
  assert.deepEqual(r.result, {
    type: 'result',
    customerCount: s.customers,
    customers: s.customers,
    rejectedIsObject: true,
    previewLength: Math.min(10, s.customers),
    recencyType: 'Int32Array',
    monetaryType: 'Float64Array',
    hasAllColumns: true,
    elapsed: true,
  });
  const records = csvRecords(cli.csv.toString('utf8'), 16);
  assert.equal(r.firstId, records[1][0]);
  assert.deepEqual(r.rows, {
    type: 'rows',
    offset: 10,
    ids: records.slice(11, 16).map((x) => x[0]),
    keys: ['customerId', 'monetary'],
  });
  assert.deepEqual(r.csv, { type: 'csv', isBuffer: true, size: cli.csv.length });
  const zhNames = new Set(s.segments.rfm11.map((x) => x.nameZh));
  assert.ok(r.zhSegments.length > 0 && r.zhSegments.every((x) => zhNames.has(x)), `zh labels: ${r.zhSegments}`);
  assert.equal(r.bad.type, 'error');
  assert.equal(r.bad.fatal, false);
  assert.match(r.bad.message, /noSuchOption/);
  assert.equal(r.again, true, 're-run after an error');
  assert.equal(r.freed, 'freed');
  assert.deepEqual(r.afterFree, { type: 'error', fatal: false });
  assert.equal(r.unknown, 'error');
  assertNoProblems();
});

test('every request stayed on the page\'s own origin', { timeout: TIMEOUT }, async () => {
  assert.ok(requests.length > 0, 'requests were recorded');
  assert.deepEqual(foreignRequests(requests, origin), [], `requests outside ${origin}`);
  for (const needed of ['/pkg/tierwise_bg.wasm', '/vendor/echarts.min.js', '/sample.csv', '/worker.js']) {
    assert.ok(
      requests.some((u) => u.startsWith(origin + needed)),
      `expected a request for ${needed}; got:\n${requests.join('\n')}`,
    );
  }
  assertNoProblems();
});
