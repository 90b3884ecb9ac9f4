// Results before the models (issue 13, docs/models.md#later): the worker answers `analyze` with a
// `result` whose models are pending, then fits them and posts `models` (www/worker/protocol.md); the
// page shows the status, KPIs, segments and grades at once and the model panel, the model columns and
// the risk and CLV cards as "fitting…" until the models come, then fills them in; the package client's
// analyze() still resolves with the complete result. Expected values come from the native CLI on the
// same file (one step, models included), never from the page.
//
//   TIERWISE_BIN=$PWD/target/release/tierwise node --test tests/e2e/models-later.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  WWW,
  checkSiteBuilt,
  runCli,
  csvRecords,
  openPageSession,
  waitForRunOf,
  subdirsOf,
  dataValueOf,
  assertNoProblemsIn,
  foreignRequests,
  workbenchReady,
} from './helpers.mjs';

const TIMEOUT = 120_000;
const CDNOW_OPTIONS = { analysisDate: '1997-09-30' };

let session;
let origin;
let page;
let tmp;
const cli = {};
const requests = [];
const problems = [];

/**
 * Installed before the page's scripts: every Worker holds back its `models` messages while
 * window.__holdModels is true (counted in window.__heldModels), until window.__releaseModels().
 */
function holdModels() {
  window.__holdModels = false;
  window.__heldModels = 0;
  const held = [];
  window.__releaseModels = () => {
    window.__holdModels = false;
    for (const [w, data] of held.splice(0)) w.dispatchEvent(new MessageEvent('message', { data }));
  };
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(...args) {
      super(...args);
      // registered before the page sets onmessage, so it runs first and can stop the event
      this.addEventListener('message', (ev) => {
        if (ev.data?.type === 'models' && window.__holdModels && !ev.__released) {
          ev.stopImmediatePropagation();
          window.__heldModels++;
          held.push([this, ev.data]);
        }
      });
    }
  };
}

before(async () => {
  checkSiteBuilt();
  tmp = mkdtempSync(path.join(tmpdir(), 'tierwise-later-'));
  const dir = subdirsOf(tmp);
  cli.cdnow = runCli(path.join(WWW, 'data/cdnow/CDNOW_sample.txt'), dir('cdnow'), CDNOW_OPTIONS);
  session = await openPageSession({ requests, problems });
  ({ origin, page } = session);
  await session.context.addInitScript(holdModels);
  await page.reload({ waitUntil: 'load' });
  await workbenchReady(page);
}, { timeout: TIMEOUT });

after(async () => {
  await session?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const dataValue = (testid) => dataValueOf(page, testid);
const num = async (testid) => Number(await dataValue(testid));

/** Sums the risk card's data table per level (columns high, medium, low after the segment). */
async function riskTotals() {
  return page.$$eval('[data-testid="table-risk"] tbody tr', (trs) => {
    const sum = [0, 0, 0];
    for (const tr of trs) for (let i = 0; i < 3; i++) sum[i] += Number(tr.cells[i + 1].dataset.value);
    return { high: sum[0], medium: sum[1], low: sum[2] };
  });
}

test('the page shows the results before the models, then fills the models in', { timeout: TIMEOUT }, async () => {
  const s = cli.cdnow.summary;
  await page.evaluate(() => {
    window.__holdModels = true;
  });
  await page.click('[data-testid="load-cdnow"]');
  await page.waitForFunction(() => twq('#status')?.dataset.state === 'fitting', null, { timeout: 60_000 });
  assert.equal(await page.evaluate(() => window.__heldModels), 1, 'the models message is held back');

  // already there, and equal to the CLI's one-step analysis
  assert.equal(await num('kpi-customers'), s.customers);
  assert.equal(s.customers, 2357);
  assert.match(await page.textContent('#status'), /fitting the purchase models/);
  // the segment table and the lifecycle card do not wait for the models
  const segments = await page.$$eval('[data-testid="segment-row"]', (trs) => trs.length).catch(() => 0);
  const lifecycle = await page.getAttribute('[data-chart-box="lifecycle"]', 'data-state');
  assert.ok(segments > 0 || lifecycle === 'done', `segments ${segments}, lifecycle card ${lifecycle}`);

  // what depends on the models says it is being fitted, and shows no number
  const panel = '[data-testid="model-panel"]';
  assert.equal(await page.getAttribute(panel, 'data-state'), 'pending');
  assert.match(await page.textContent('[data-testid="model-lead"]'), /^Fitting BG\/NBD/);
  const cells = await page.$$eval('[data-testid="customer-table"] tbody td.col-model', (tds) =>
    tds.map((td) => ({ text: td.textContent, pending: td.dataset.pending ?? null, value: td.dataset.value })),
  );
  assert.ok(cells.length >= 3, 'model cells in the customer list');
  for (const c of cells) assert.deepEqual(c, { text: 'fitting…', pending: 'true', value: '' });
  assert.equal(await page.getAttribute('[data-chart-box="risk"]', 'data-state'), 'pending');
  const riskRows = await page.$$eval('[data-testid="churn-risk-table"] tbody tr', (trs) =>
    trs.map((tr) => ({ pending: tr.dataset.pending ?? null, text: tr.textContent })));
  assert.deepEqual(riskRows, [{ pending: 'true', text: 'fitting…' }], 'the churn risk table waits for the models');
  assert.equal(await page.getAttribute('[data-chart-box="clv"]', 'data-state'), 'pending');

  // the models come: everything as in the CLI
  await page.evaluate(() => window.__releaseModels());
  await waitForRunOf(page);
  assert.equal(await page.getAttribute(panel, 'data-state'), 'fitted');
  assert.equal(await num('model-bgnbd-r'), s.model.bgnbd.r, 'page and CLI fit alike');
  assert.equal(await num('model-gg-customers'), s.model.gammaGamma.customers);
  assert.match(await dataValue('model-risk'), /^the higher of the rule band/, 'churn risk from both bands');
  const records = csvRecords(cli.cdnow.csv.toString('utf8'), 6);
  const head = records[0];
  const headers = await page.$$eval('[data-testid="customer-table"] thead th', (ths) => ths.map((x) => x.textContent));
  const rows = await page.$$eval('[data-testid="customer-table"] tbody tr', (trs) =>
    trs.slice(0, 5).map((tr) => [...tr.cells].map((td) => td.dataset.value ?? null)),
  );
  for (const [name, csvName] of [['P(alive)', 'p_alive'], ['Exp. purchases', 'expected_purchases'], ['CLV, 12 months', 'predicted_clv']]) {
    const col = headers.indexOf(name);
    assert.ok(col >= 0, `customer table column ${name}`);
    for (let i = 0; i < rows.length; i++) {
      const want = Number(records[i + 1][head.indexOf(csvName)]);
      const got = Number(rows[i][col]);
      // wasm and native maths differ in the last bits (see model.test.mjs)
      assert.ok(Math.abs(got - want) <= 1e-6 * Math.max(1, Math.abs(want)), `${csvName} row ${i}: page ${got}, CLI ${want}`);
    }
  }
  await page.waitForFunction(() => twq('[data-chart-box="risk"]')?.dataset.state === 'done', null, { timeout: 30_000 });
  assert.deepEqual(await riskTotals(), s.churn.risk, 'the risk card counts as the CLI');
  const riskTable = await page.$$eval('[data-testid="churn-risk-table"] tbody tr', (trs) =>
    Object.fromEntries(trs.map((tr) => [tr.dataset.name, Number(tr.cells[1].dataset.value)])));
  assert.deepEqual(riskTable, s.churn.risk, 'the churn risk table counts as the CLI');
  await page.waitForFunction(() => twq('#palive-chart')?.dataset.state === 'done', null, { timeout: 30_000 });
  assert.equal(Number(await page.getAttribute('#palive-chart', 'data-total')), 2357);
  assertNoProblemsIn(problems);
});

test('worker protocol: result with modelsPending, then models, before any other answer', { timeout: TIMEOUT }, async () => {
  const r = await page.evaluate(async () => {
    const worker = new Worker(new URL('./worker.js', document.baseURI), { type: 'module' });
    const log = [];
    const waiters = [];
    worker.onmessage = ({ data }) => {
      if (data.type === 'progress') return;
      log.push(data);
      for (const w of waiters.splice(0)) w();
    };
    const until = async (pred) => {
      while (!log.some(pred)) await new Promise((res) => waiters.push(res));
      return log.find(pred);
    };
    await until((d) => d.type === 'ready');
    const bytes = await (await fetch('sample.csv')).arrayBuffer();
    const out = {};
    worker.postMessage({ type: 'analyze', id: 'deferred', bytes: bytes.slice(0), preview: 20 });
    const early = await until((d) => d.id === 'deferred' && d.type === 'result');
    // asked right after the early result: answered only after the models
    worker.postMessage({ type: 'histogram', id: 'h', column: 'pAlive', bins: 10, min: 0, max: 1 });
    const models = await until((d) => d.id === 'deferred' && d.type === 'models');
    const hist = await until((d) => d.id === 'h');
    out.order = log.filter((d) => ['deferred', 'h'].includes(d.id)).map((d) => `${d.id}:${d.type}`);
    out.early = {
      modelsPending: early.modelsPending,
      model: early.summary.model,
      churnRisk: early.summary.churn.risk,
      method: early.summary.churn.methodCode.code,
      pAliveAllNaN: [...early.columns.pAlive].every(Number.isNaN),
      clvAllNaN: [...early.columns.predictedClv].every(Number.isNaN),
      riskAllEmpty: early.columns.risk.every((x) => x === ''),
      customers: early.summary.customers,
      segments: JSON.stringify(early.summary.segments),
    };
    out.histMissing = hist.missing;
    out.histTotal = hist.counts.reduce((a, b) => a + b, 0);
    out.modelsKeys = Object.keys(models.columns).sort();

    worker.postMessage({ type: 'analyze', id: 'oneStep', bytes: bytes.slice(0), preview: 20, deferModels: false });
    const one = await until((d) => d.id === 'oneStep' && d.type === 'result');
    out.oneStep = { modelsPending: one.modelsPending };
    out.sameSummary = JSON.stringify(models.summary) === JSON.stringify(one.summary);
    out.segmentsFinalEarly = out.early.segments === JSON.stringify(one.summary.segments);
    out.samePAlive = JSON.stringify([...models.columns.pAlive]) === JSON.stringify([...one.columns.pAlive]);
    out.sameRisk = JSON.stringify(models.columns.risk) === JSON.stringify(one.columns.risk);

    worker.postMessage({ type: 'analyze', id: 'off', bytes: bytes.slice(0), options: { model: { enabled: false } }, preview: 5 });
    const off = await until((d) => d.id === 'off' && d.type === 'result');
    worker.postMessage({ type: 'rows', id: 'after-off', offset: 0, limit: 1 });
    await until((d) => d.id === 'after-off');
    out.off = { modelsPending: off.modelsPending, models: log.filter((d) => d.id === 'off' && d.type === 'models').length };
    worker.terminate();
    return out;
  });
  assert.deepEqual(r.order, ['deferred:result', 'deferred:models', 'h:histogram']);
  assert.equal(r.early.modelsPending, true);
  assert.deepEqual(r.early.model, { pending: true });
  assert.deepEqual(r.early.churnRisk, {});
  assert.equal(r.early.method, 'risk_pending');
  assert.equal(r.early.pAliveAllNaN, true);
  assert.equal(r.early.clvAllNaN, true);
  assert.equal(r.early.riskAllEmpty, true);
  assert.equal(r.histMissing, 0, 'the histogram sees fitted P(alive) values');
  assert.equal(r.histTotal, r.early.customers);
  assert.deepEqual(r.modelsKeys, ['expectedPurchases', 'pAlive', 'predictedClv', 'risk']);
  assert.equal(r.oneStep.modelsPending, false);
  assert.equal(r.sameSummary, true, 'the models message carries the one-step summary');
  assert.equal(r.segmentsFinalEarly, true, 'the early segments are final');
  assert.equal(r.samePAlive, true);
  assert.equal(r.sameRisk, true);
  assert.deepEqual(r.off, { modelsPending: false, models: 0 });
});

test('package client: analyze() resolves with the complete result; onEarly and "early" get the early one', { timeout: TIMEOUT }, async () => {
  const r = await page.evaluate(async () => {
    const { createTierwise } = await import('./client.js');
    const tw = await createTierwise();
    const events = [];
    tw.addEventListener('early', (e) => events.push(['early', e.detail.modelsPending]));
    tw.addEventListener('result', (e) => events.push(['result', e.detail.modelsPending]));
    const bytes = await (await fetch('sample.csv')).arrayBuffer();
    let early = null;
    const result = await tw.analyze(bytes, undefined, { preview: 5, onEarly: (e) => (early = e) });
    const plain = await tw.analyze(bytes, undefined, { preview: 5, deferModels: false });
    const out = {
      events,
      early: early && { modelsPending: early.modelsPending, model: early.summary.model },
      result: { modelsPending: result.modelsPending, fitted: result.summary.model.notFitted == null && !!result.summary.model.bgnbd,
        modelTiming: typeof result.timings?.model, pAliveNaN: [...result.columns.pAlive].some(Number.isNaN) },
      same: JSON.stringify(result.summary) === JSON.stringify(plain.summary),
      isLast: tw.result === plain,
    };
    tw.dispose();
    return out;
  });
  assert.deepEqual(r.events, [['early', true], ['result', false], ['result', false]]);
  assert.deepEqual(r.early, { modelsPending: true, model: { pending: true } });
  assert.deepEqual(r.result, { modelsPending: false, fitted: true, modelTiming: 'number', pAliveNaN: false });
  assert.equal(r.same, true);
  assert.equal(r.isLast, true);
  assert.deepEqual(foreignRequests(requests, origin), []);
  assertNoProblemsIn(problems);
});
