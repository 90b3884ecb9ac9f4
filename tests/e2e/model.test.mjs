// The purchase model on the page (issue 5): the "CDNOW sample" button, the model panel with the fitted
// BG/NBD and Gamma-Gamma parameters beside the published ones, P(alive), expected purchases and CLV in the
// customer table, and the not-fitted case. The published values are written out here, from `docs/models.md`; the
// other expected values come from the native CLI on the same file, never from the page itself.
//
//   node --test tests/e2e/model.test.mjs
//
// Needs what page.test.mjs needs (scripts/build.sh, which also copies the CDNOW sample into
// www/data/cdnow/; the CLI; Debian chromium).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  ROOT,
  WWW,
  checkSiteBuilt,
  cliPath,
  runCli,
  csvRecords,
  openPageSession,
  waitForRunOf,
  subdirsOf,
  TINY_CSV,
  dataValueOf,
  assertNoProblemsIn,
  foreignRequests,
} from './helpers.mjs';

const TIMEOUT = 120_000;
const CDNOW_OPTIONS = { analysisDate: '1997-09-30' };
// Fader, Hardie & Lee (2005) for BG/NBD; Fader & Hardie (2013) for Gamma-Gamma (`docs/models.md`).
const PUBLISHED = {
  'bgnbd-r': { value: 0.2426, rel: 0.001 },
  'bgnbd-alpha': { value: 4.4135, rel: 0.001 },
  'bgnbd-a': { value: 0.7929, rel: 0.001 },
  'bgnbd-b': { value: 2.4258, rel: 0.001 },
  'bgnbd-ll': { value: -9582.43, abs: 0.01 },
  // Pareto/NBD: Fader & Hardie's note on the model (2005), CDNOW in weeks
  'paretonbd-r': { value: 0.5533, rel: 0.005 },
  'paretonbd-alpha': { value: 10.5776, rel: 0.005 },
  'paretonbd-s': { value: 0.6062, rel: 0.005 },
  'paretonbd-beta': { value: 11.6679, rel: 0.005 },
  'paretonbd-ll': { value: -9594.97, abs: 0.05 },
  'gg-p': { value: 6.25, rel: 0.005 },
  'gg-q': { value: 3.74, rel: 0.005 },
  'gg-gamma': { value: 15.44, rel: 0.005 },
};
// Too few customers for any fit.

let session;
let origin;
let page;
let tmp;
const cli = {}; // name -> runCli(...) result
const requests = [];
const problems = [];

before(async () => {
  checkSiteBuilt();
  tmp = mkdtempSync(path.join(tmpdir(), 'tierwise-model-'));
  const dir = subdirsOf(tmp);
  cli.cdnow = runCli(path.join(WWW, 'data/cdnow/CDNOW_sample.txt'), dir('cdnow'), CDNOW_OPTIONS);
  cli.sample = runCli(path.join(WWW, 'sample.csv'), dir('sample'));
  const tiny = path.join(tmp, 'tiny.csv');
  writeFileSync(tiny, TINY_CSV);
  cli.tiny = runCli(tiny, dir('tiny'));

  session = await openPageSession({ requests, problems, acceptDownloads: true });
  ({ origin, page } = session);
}, { timeout: TIMEOUT });

after(async () => {
  await session?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const assertNoProblems = () => assertNoProblemsIn(problems);
const dataValue = (testid) => dataValueOf(page, testid);
const num = async (testid) => Number(await dataValue(testid));

const waitForRun = () => waitForRunOf(page);

/** Asserts that the panel's fitted value `testid` is within the published tolerance. */
async function assertPublished(testid) {
  const p = PUBLISHED[testid];
  const v = await num(`model-${testid}`);
  const off = Math.abs(v - p.value);
  if (p.rel != null) {
    assert.ok(off / Math.abs(p.value) <= p.rel, `${testid}: fitted ${v}, published ${p.value} (±${p.rel * 100} %)`);
  } else {
    assert.ok(off <= p.abs, `${testid}: fitted ${v}, published ${p.value} (±${p.abs})`);
  }
  // The page shows the same published value and marks the fitted one as a match.
  assert.equal(await num(`model-${testid}-published`), p.value, `${testid}: published value shown`);
  const within = await page.getAttribute(`[data-testid="model-${testid}-diff"]`, 'data-within');
  assert.equal(within, 'true', `${testid}: marked within tolerance`);
  assert.match(await page.textContent(`[data-testid="model-${testid}-diff"]`), /^✓ /);
}

test('the CDNOW sample is served from the site, next to its attribution', { timeout: TIMEOUT }, async () => {
  const fixture = path.join(ROOT, 'tests/fixtures/cdnow');
  for (const f of ['CDNOW_sample.txt', 'README.md', 'LICENSE-lifetimes-MIT.txt']) {
    assert.ok(
      readFileSync(path.join(WWW, 'data/cdnow', f)).equals(readFileSync(path.join(fixture, f))),
      `www/data/cdnow/${f} is the fixture's copy`,
    );
  }
  const served = await page.evaluate(async () => {
    const get = async (u) => {
      const r = await fetch(u);
      return { status: r.status, text: await r.text() };
    };
    return { readme: await get('data/cdnow/README.md'), licence: await get('data/cdnow/LICENSE-lifetimes-MIT.txt') };
  });
  assert.equal(served.readme.status, 200);
  assert.match(served.readme.text, /lifetimes/);
  assert.equal(served.licence.status, 200);
  assert.match(served.licence.text, /MIT|Permission is hereby granted/);
  assert.equal(await page.textContent('#load-cdnow'), 'CDNOW sample');
});

test('"CDNOW sample" fits BG/NBD and Gamma-Gamma as published', { timeout: TIMEOUT }, async () => {
  await page.click('[data-testid="load-cdnow"]');
  await waitForRun();
  const s = cli.cdnow.summary;
  assert.equal(s.customers, 2357, 'the CLI reads 2,357 customers');
  assert.equal(await num('kpi-customers'), 2357, 'customers');
  assert.equal(await page.textContent('[data-testid="kpi-customers"]'), '2,357');
  assert.equal(await dataValue('dq-analysis-date'), '1997-09-30', 'analysed as of the published date');

  const panel = '[data-testid="model-panel"]';
  assert.equal(await page.isVisible(panel), true, 'model panel shown');
  assert.equal(await page.getAttribute(panel, 'data-state'), 'fitted');
  assert.equal(await page.getAttribute(panel, 'data-reference'), 'cdnow', 'published column shown');
  for (const id of Object.keys(PUBLISHED).filter((k) => !k.startsWith('paretonbd'))) await assertPublished(id);
  assert.equal(await dataValue('model-bgnbd-converged'), 'true');

  // The rest of the panel against the CLI on the same file and options.
  const lead = '[data-testid="model-lead"]';
  assert.equal(await page.getAttribute(lead, 'data-time-unit'), 'week');
  assert.equal(Number(await page.getAttribute(lead, 'data-horizon')), s.model.horizon);
  assert.equal(Number(await page.getAttribute(lead, 'data-customers')), 2357);
  assert.equal(Number(await page.getAttribute(lead, 'data-repeat-buyers')), s.model.repeatBuyers);
  assert.equal(s.model.repeatBuyers, 946, 'the CLI finds 946 repeat buyers');
  assert.equal(await num('model-gg-customers'), s.model.gammaGamma.customers);
  assert.equal(await num('model-bgnbd-r'), s.model.bgnbd.r, 'page and CLI fit alike');
  assert.match(await dataValue('model-risk'), /^the higher of the rule band/, 'churn risk from both bands');
  // which band set how many customers' level, as the CLI counts them (all 2,357 accounted for)
  for (const k of ['rules', 'model', 'both']) {
    assert.equal(Number(await page.getAttribute('[data-testid="model-risk"]', `data-${k}`)), s.churn.decidedBy[k], k);
  }
  assert.equal(s.churn.decidedBy.rules + s.churn.decidedBy.model + s.churn.decidedBy.both, 2357);
  assert.match(await page.textContent('[data-testid="model-risk"]'),
    new RegExp(`never low\\. The rules set the level of ${s.churn.decidedBy.rules.toLocaleString('en')} customers`));
  assert.equal(await page.isVisible('[data-testid="model-reason"]'), false, 'no not-fitted notice');
  assert.match(await page.textContent('[data-testid="model-source"]'), /Fader, Hardie & Lee \(2005\)/);

  // P(alive), expected purchases and CLV in the customer table, as in the CLI's CSV. Not to the last bit:
  // the fits stop at the optimiser's tolerance, and wasm and native floating-point maths (exp, ln, pow)
  // differ in the last bits, so the two builds' predictions agree to about 1e-8.
  const records = csvRecords(cli.cdnow.csv.toString('utf8'), 6);
  const head = records[0];
  const rows = await page.$$eval('[data-testid="customer-table"] tbody tr', (trs) =>
    trs.slice(0, 5).map((tr) => [...tr.cells].map((td) => ({ text: td.textContent, value: td.dataset.value ?? null }))),
  );
  const headers = await page.$$eval('[data-testid="customer-table"] thead th', (ths) => ths.map((x) => x.textContent));
  const col = (name) => headers.indexOf(name);
  for (const [name, csvName] of [['P(alive)', 'p_alive'], ['Exp. purchases', 'expected_purchases'], ['CLV, 12 months', 'predicted_clv']]) {
    assert.ok(col(name) >= 0, `customer table column ${name}: ${headers}`);
    for (let i = 0; i < rows.length; i++) {
      const want = Number(records[i + 1][head.indexOf(csvName)]);
      const got = Number(rows[i][col(name)].value);
      const close = Math.abs(got - want) <= 1e-6 * Math.max(1, Math.abs(want));
      assert.ok(close, `${csvName} of ${records[i + 1][0]}: page ${got}, CLI ${want}`);
    }
  }
  assert.equal(await page.isVisible('[data-testid="customer-table"] th.col-model'), true);

  // The P(alive) histogram counts every customer.
  await page.waitForFunction(() => twq('#palive-chart')?.dataset.state !== 'loading', null, {
    timeout: 30_000,
  });
  assert.equal(await page.getAttribute('#palive-chart', 'data-state'), 'done');
  assert.equal(Number(await page.getAttribute('#palive-chart', 'data-total')), 2357);
  assert.equal(await page.isVisible('#palive-chart canvas'), true, 'P(alive) chart drawn');
  assertNoProblems();
});

test('the model panel in Chinese', { timeout: TIMEOUT }, async () => {
  const r = await dataValue('model-bgnbd-r');
  await page.click('#lang-zh');
  assert.equal(await page.textContent('#load-cdnow'), 'CDNOW 样本');
  assert.equal(await page.textContent('#model-title'), '购买模型');
  const header = await page.$$eval('#model-table thead th', (ths) => ths.map((x) => x.textContent));
  assert.deepEqual(header, ['参数', '拟合值', '文献值', '差异']);
  assert.match(await page.textContent('[data-testid="model-lead"]'), /2,357 位客户.*时间单位为周/);
  assert.match(await page.textContent('[data-testid="model-risk"]'), /^流失风险取两档中较高者.*其中 [\d,]+ 位客户的等级由规则决定/);
  assert.equal(await dataValue('model-bgnbd-r'), r, 'values do not change with the language');
  await page.click('#lang-en');
  assert.equal(await page.textContent('#model-title'), 'Purchase model');
  assertNoProblems();
});

test('a re-run of the CDNOW sample keeps its analysis date', { timeout: TIMEOUT }, async () => {
  await page.click('#options-panel summary');
  await page.selectOption('#opt-rfm-mode', 'rank');
  await page.click('#rerun');
  await waitForRun();
  assert.equal(await dataValue('dq-analysis-date'), '1997-09-30');
  assert.equal(await num('kpi-customers'), 2357);
  await assertPublished('bgnbd-r');
  await page.selectOption('#opt-rfm-mode', 'quantile');
  await page.click('#options-panel summary');
  assertNoProblems();
});

test('model.kind on the page: Pareto/NBD as published, and auto says which family and why', { timeout: TIMEOUT }, async () => {
  await page.click('#options-panel summary');
  await page.selectOption('#opt-model-kind', 'paretonbd');
  await page.click('#rerun');
  await waitForRun();
  const panel = '[data-testid="model-panel"]';
  assert.equal(await page.getAttribute(panel, 'data-state'), 'fitted');
  assert.equal(await page.getAttribute(panel, 'data-kind'), 'paretonbd');
  for (const id of ['paretonbd-r', 'paretonbd-alpha', 'paretonbd-s', 'paretonbd-beta', 'paretonbd-ll']) await assertPublished(id);
  assert.match(await page.textContent('[data-testid="model-lead"]'), /^Pareto\/NBD and Gamma-Gamma fitted on 2,357 customers/);
  assert.equal(await page.isVisible('[data-testid="model-auto"]'), false);

  await page.selectOption('#opt-model-kind', 'auto');
  await page.click('#rerun');
  await waitForRun();
  // the CLI on the same file and options: the chosen family and its reason
  mkdirSync(path.join(tmp, 'cdnow-auto'));
  const auto = runCli(path.join(WWW, 'data/cdnow/CDNOW_sample.txt'), path.join(tmp, 'cdnow-auto'), { ...CDNOW_OPTIONS, model: { kind: 'auto' } }).summary;
  assert.equal(auto.model.kind, 'mbgnbd', 'MBG/NBD has the highest likelihood of the three on CDNOW');
  assert.equal(await page.getAttribute(panel, 'data-kind'), 'mbgnbd');
  assert.equal(await num('model-mbgnbd-b'), auto.model.mbgnbd.b);
  assert.equal(await page.textContent('[data-testid="model-auto"]'), `Automatic choice: ${auto.model.auto.why}.`);
  // the note that one-time buyers have P(alive) = 1 is BG/NBD's: not shown for MBG/NBD
  assert.equal(await page.isVisible('#palive-note'), false);
  // no published column for MBG/NBD (there is no published CDNOW fit)
  assert.equal(await page.locator('[data-testid="model-mbgnbd-r-published"]').count(), 0);
  await page.click('#lang-zh');
  assert.match(await page.textContent('[data-testid="model-auto"]'), /^自动选择：选用 MBG\/NBD/);
  await page.click('#lang-en');
  await page.selectOption('#opt-model-kind', 'bgnbd');
  await page.click('#rerun');
  await waitForRun();
  assert.equal(await page.getAttribute(panel, 'data-kind'), 'bgnbd');
  assert.equal(await page.isVisible('#palive-note'), true);
  await page.click('#options-panel summary');
  assertNoProblems();
});

test('the holdout check on the page: verdict, tracking curve and table as the CLI computes them', { timeout: TIMEOUT }, async () => {
  await page.click('#options-panel summary');
  await page.fill('#opt-model-holdout', '1997-06-30');
  await page.click('#rerun');
  await waitForRun();
  mkdirSync(path.join(tmp, 'cdnow-holdout'));
  const ref = runCli(path.join(WWW, 'data/cdnow/CDNOW_sample.txt'), path.join(tmp, 'cdnow-holdout'), { ...CDNOW_OPTIONS, model: { holdout: '1997-06-30' } }).summary.model.holdout;
  // (1997-06-30 … 1997-09-30: 92 days, so 14 weekly periods, the last one partial)
  assert.equal(ref.periods, 14);
  assert.equal(await page.isVisible('[data-testid="holdout-box"]'), true);
  const verdict = '[data-testid="holdout-verdict"]';
  assert.equal(await page.getAttribute(verdict, 'data-state'), 'done');
  assert.equal(Number(await page.getAttribute(verdict, 'data-error-pct')), ref.totalErrorPct);
  assert.equal(Number(await page.getAttribute(verdict, 'data-mae')), ref.mae);
  const text = await page.textContent(verdict);
  assert.match(text, /^BG\/NBD fitted on the data up to 1997-06-30 (predicts|under-predicts|over-predicts) the 14 weeks after it/);
  assert.ok(text.includes(`${ref.actualTotal.toLocaleString('en')} made by the ${ref.customers.toLocaleString('en')} customers`), text);
  // the table: one row per calibration x with customers, as the CLI
  const rows = await page.$$eval('#holdout-table tbody tr', (trs) => trs.map((tr) => [tr.dataset.x, ...[...tr.querySelectorAll('td[data-value]')].map((td) => Number(td.dataset.value))]));
  const want = ref.byPurchases.filter((r) => r.customers > 0).map((r) => [r.x, r.customers, r.actual, r.predicted]);
  assert.deepEqual(rows, want);
  // the tracking chart draws exactly the CLI's cumulative series
  await page.waitForFunction(() => twq('#holdout-tracking')?.dataset.drawing == null, null, { timeout: 30_000 });
  const series = await page.evaluate(() => {
    const chart = globalThis.echarts.getInstanceByDom(twq('#holdout-tracking'));
    return chart.getOption().series.map((x) => x.data);
  });
  assert.deepEqual(series, [ref.tracking.actual, ref.tracking.predicted]);
  // the check per customer: the page's download is byte for byte the CLI's --holdout file
  const holdoutCsv = path.join(tmp, 'cdnow-holdout', 'holdout.csv');
  execFileSync(cliPath(), ['analyze', path.join(WWW, 'data/cdnow/CDNOW_sample.txt'), '--out', '/dev/null', '--holdout', holdoutCsv,
    '--options', JSON.stringify({ ...CDNOW_OPTIONS, model: { holdout: '1997-06-30' } })], { stdio: 'ignore' });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="holdout-export"]')]);
  assert.equal(download.suggestedFilename(), 'tierwise-holdout.csv');
  const got = readFileSync(await download.path());
  assert.ok(got.equals(readFileSync(holdoutCsv)), 'the holdout CSV differs from the CLI');
  // (CDNOW customers whose first purchase is up to the cut: the cohort the summary counts)
  assert.equal(got.toString('utf8').trim().split('\n').length - 1, ref.customers);
  await page.click('#lang-zh');
  assert.match(await page.textContent(verdict), /^基于截至 1997-06-30 的数据拟合的 BG\/NBD/);
  await page.click('#lang-en');
  // a cut on the analysis date: the check says why it did not run
  await page.fill('#opt-model-holdout', '1997-09-30');
  await page.click('#rerun');
  await waitForRun();
  assert.equal(await page.getAttribute(verdict, 'data-state'), 'notComputed');
  assert.equal(await page.isVisible('[data-testid="holdout-export"]'), false);
  assert.match(await page.textContent(verdict), /^The holdout check did not run: the holdout check needs a cut before the analysis date/);
  await page.fill('#opt-model-holdout', '');
  await page.click('#rerun');
  await waitForRun();
  assert.equal(await page.isVisible('[data-testid="holdout-box"]'), false);
  await page.click('#options-panel summary');
  assertNoProblems();
});

test('with the normal sample the panel shows what the core fitted, in both languages', { timeout: TIMEOUT }, async () => {
  await page.click('#load-sample');
  await waitForRun();
  const m = cli.sample.summary.model;
  const panel = '[data-testid="model-panel"]';
  assert.equal(await page.isVisible(panel), true);
  assert.equal(await page.getAttribute(panel, 'data-reference'), '', 'no published column for other data');
  assert.equal(await page.$('[data-testid="model-bgnbd-r-published"]'), null);
  if (m.notFitted != null) {
    assert.equal(await page.getAttribute(panel, 'data-state'), 'notFitted');
    assert.equal(await dataValue('model-reason'), m.notFitted);
    assert.match(await page.textContent('[data-testid="model-reason"]'), /was not fitted/);
  } else {
    assert.equal(await page.getAttribute(panel, 'data-state'), 'fitted');
    for (const [id, key] of [['bgnbd-r', 'r'], ['bgnbd-alpha', 'alpha'], ['bgnbd-a', 'a'], ['bgnbd-b', 'b'], ['bgnbd-ll', 'logLikelihood']]) {
      assert.equal(await num(`model-${id}`), m.bgnbd[key], id);
    }
    if (m.gammaGamma.notFitted == null) assert.equal(await num('model-gg-p'), m.gammaGamma.p);
    else assert.equal(await dataValue('model-gg-reason'), m.gammaGamma.notFitted);
    const header = await page.$$eval('#model-table thead th', (ths) => ths.map((x) => x.textContent));
    assert.deepEqual(header, ['Parameter', 'Fitted']);
  }
  await page.click('#lang-zh');
  assert.equal(await page.textContent('#model-title'), '购买模型');
  if (m.notFitted != null) {
    assert.match(await page.textContent('[data-testid="model-reason"]'), /^未拟合购买模型/);
  } else {
    const header = await page.$$eval('#model-table thead th', (ths) => ths.map((x) => x.textContent));
    assert.deepEqual(header, ['参数', '拟合值']);
    assert.match(await page.textContent('[data-testid="model-lead"]'), /位客户拟合/);
  }
  await page.click('#lang-en');
  assertNoProblems();
});

test('too few customers: the panel says why the model was not fitted', { timeout: TIMEOUT }, async () => {
  const reason = cli.tiny.summary.model.notFitted;
  assert.equal(typeof reason, 'string', 'the CLI does not fit two customers');
  await page.setInputFiles('#file-input', { name: 'tiny.csv', mimeType: 'text/csv', buffer: Buffer.from(TINY_CSV) });
  await waitForRun();
  const panel = '[data-testid="model-panel"]';
  assert.equal(await page.getAttribute(panel, 'data-state'), 'notFitted');
  assert.equal(await page.isVisible('[data-testid="model-reason"]'), true);
  assert.equal(await dataValue('model-reason'), reason);
  assert.equal(
    await page.textContent('[data-testid="model-reason"]'),
    `The purchase model was not fitted: ${reason}. P(alive), expected purchases and CLV are left empty.`,
  );
  assert.match(await dataValue('model-risk'), /^rules/, 'churn risk from the rules');
  assert.match(await page.textContent('[data-testid="model-risk"]'), /warning rules/);
  assert.equal(await page.isHidden('#palive-box'), true, 'no P(alive) chart');
  assert.equal(await page.isHidden('[data-testid="customer-table"] th.col-model'), true, 'no empty model columns');
  assert.equal(await page.textContent('[data-testid="dq-model"]'), `not fitted: ${reason}`);

  await page.click('#lang-zh');
  const zh = await page.textContent('[data-testid="model-reason"]');
  assert.match(zh, /^未拟合购买模型：/);
  if (/^too few customers/.test(reason)) assert.match(zh, /客户太少/, `a known reason is translated: ${zh}`);
  assert.match(await page.textContent('[data-testid="model-risk"]'), /^流失风险按预警规则判定/);
  await page.click('#lang-en');
  assertNoProblems();
});

test('worker protocol: the histogram request counts a column in the worker', { timeout: TIMEOUT }, async () => {
  const r = await page.evaluate(async (options) => {
    const worker = new Worker(new URL('./worker.js', document.baseURI), { type: 'module' });
    const answers = new Map();
    const waiters = new Map();
    worker.onmessage = ({ data }) => {
      if (data.type === 'progress' || data.type === 'ready') return;
      if (waiters.has(data.id)) waiters.get(data.id)(data);
      else answers.set(data.id, data);
    };
    const ask = (msg, transfer = []) =>
      new Promise((resolve) => {
        waiters.set(msg.id, resolve);
        worker.postMessage(msg, transfer);
      });
    const bytes = await (await fetch('data/cdnow/CDNOW_sample.txt')).arrayBuffer();
    const res = await ask({ type: 'analyze', id: 1, bytes, options, preview: 3, columns: ['customerId', 'pAlive'] }, [bytes]);
    const h = await ask({ type: 'histogram', id: 2, column: 'pAlive', bins: 10, min: 0, max: 1 });
    const auto = await ask({ type: 'histogram', id: 3, column: 'pAlive' });
    const bad = await ask({ type: 'histogram', id: 4, column: 'customerId' });
    worker.terminate();
    return {
      customers: res.customerCount,
      pAliveType: res.columns.pAlive.constructor.name,
      h: { type: h.type, column: h.column, bins: h.counts.length, total: h.counts.reduce((a, b) => a + b, 0), last: h.counts[9], missing: h.missing, outside: h.outside, min: h.min, max: h.max },
      auto: { bins: auto.counts.length, total: auto.counts.reduce((a, b) => a + b, 0), max: auto.max },
      bad: { type: bad.type, fatal: bad.fatal, message: bad.message },
    };
  }, CDNOW_OPTIONS);
  assert.equal(r.customers, 2357);
  assert.equal(r.pAliveType, 'Float64Array');
  // One-time buyers have P(alive) = 1 exactly: they land in the last bin, which includes max.
  const csv = csvRecords(cli.cdnow.csv.toString('utf8'));
  const pAlive = csv.slice(1).map((x) => Number(x[csv[0].indexOf('p_alive')]));
  const top = pAlive.filter((v) => v >= 0.9).length;
  assert.deepEqual(r.h, { type: 'histogram', column: 'pAlive', bins: 10, total: 2357, last: top, missing: 0, outside: 0, min: 0, max: 1 });
  assert.deepEqual(r.auto, { bins: 20, total: 2357, max: Math.max(...pAlive) });
  assert.equal(r.bad.type, 'error');
  assert.equal(r.bad.fatal, false);
  assert.match(r.bad.message, /no numeric column named customerId/);
  assertNoProblems();
});

test('every request stayed on the page\'s own origin', { timeout: TIMEOUT }, async () => {
  assert.ok(requests.length > 0, 'requests were recorded');
  assert.deepEqual(foreignRequests(requests, origin), [], `requests outside ${origin}`);
  for (const needed of ['/data/cdnow/CDNOW_sample.txt', '/sample.csv', '/worker.js', '/pkg/tierwise_bg.wasm']) {
    assert.ok(requests.some((u) => u.startsWith(origin + needed)), `expected a request for ${needed}`);
  }
  assertNoProblems();
});
