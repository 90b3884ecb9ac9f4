// The charts card (issue 11, item 6) in headless Chromium: every chart drawn with the numbers of the
// native CLI on the same file (the heatmap's cells and the risk bars counted here from the CLI's
// customers.csv, the other charts from its summary.json), the data tables holding the same numbers, the
// PNG download being a PNG, a heatmap click sending the drill-down event (range filters from the CLV,
// monthly and cohort tables, a CLV bin's range holding the CLI's customers of that bin), the monthly chart equal to
// months computed by hand (docs/kpis.md#months), both languages, and the tables without ECharts.
//
//   TIERWISE_BIN=$PWD/target/release/tierwise node --test tests/e2e/charts.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  ROOT,
  WWW,
  checkSiteBuilt,
  runCli,
  csvRecords,
  openPageSession,
  waitForRunOf,
  subdirsOf,
  assertNoProblemsIn,
  foreignRequests,
  workbenchReady,
} from './helpers.mjs';

const TIMEOUT = 180_000;

// tests/fixtures/kpis/months.csv, shared with tests/monthly.rs (docs/kpis.md#months): analysis date
// 2024-03-15, C9 a cancellation, O5 a negative amount, O7 after the analysis date, D only a return.
const MONTHLY_CSV = readFileSync(path.join(ROOT, 'tests/fixtures/kpis/months.csv'), 'utf8');
// by hand: revenue 200 | 100 + 50 | 25 − 30 + 70 | 40 − 20; O2 counts in January; B's March row is a return
const MONTHS = ['2023-12', '2024-01', '2024-02', '2024-03'];
const REVENUE = [200, 150, 65, 20];
const ORDERS = [1, 2, 1, 1];
const ACTIVE = [1, 1, 2, 1];
const NEW = [1, 1, 1, 0];

let session;
let origin;
let page;
let tmp;
let cli;
let rows; // the CLI's customers.csv as objects
const requests = [];
const problems = [];

before(async () => {
  checkSiteBuilt();
  tmp = mkdtempSync(path.join(tmpdir(), 'tierwise-charts-'));
  cli = runCli(path.join(WWW, 'sample.csv'), subdirsOf(tmp)('sample'));
  const [head, ...body] = csvRecords(cli.csv.toString('utf8')).filter((r) => r.length > 1);
  rows = body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
  session = await openPageSession({ requests, problems, acceptDownloads: true });
  ({ origin, page } = session);
  await page.evaluate(() => {
    window.__filters = [];
    twHost().addEventListener('tierwise-filter', (e) => window.__filters.push(e.detail));
  });
  await page.setInputFiles('[data-testid="file-input"]', path.join(WWW, 'sample.csv'));
  await waitForRunOf(page);
  await chartsDone();
}, { timeout: TIMEOUT });

after(async () => {
  await session?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function chartsDone() {
  await page.waitForSelector('#chart-cards[data-state="done"]', { state: 'attached', timeout: 60_000 });
}

/** The option ECharts holds for the chart of card `name` (read back through getInstanceByDom). */
async function optionOf(name) {
  return page.evaluate((n) => {
    const node = twq(`[data-testid="chart-${n}"]`);
    const chart = globalThis.echarts.getInstanceByDom(node);
    if (!chart) return null;
    const o = chart.getOption();
    return JSON.parse(JSON.stringify({ series: o.series, xAxis: o.xAxis, yAxis: o.yAxis }));
  }, name);
}

/** The data-value of the body cells of card `name`'s data table, row by row (numbers). */
async function tableValues(name) {
  return page.$$eval(`[data-testid="table-${name}"] tbody tr`, (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td[data-value]')].map((td) => Number(td.dataset.value))));
}

const key = (...parts) => parts.join('\u0000');
function countBy(f) {
  const m = new Map();
  for (const r of rows) m.set(f(r), (m.get(f(r)) ?? 0) + 1);
  return m;
}

test('the R×F heatmap holds the CLI customers per cell, its table the same, revenue on the switch', async () => {
  const k = cli.summary.cutPoints.r.counts.length;
  const kf = cli.summary.cutPoints.f.counts.length;
  const counts = countBy((r) => key(r.r_score, r.f_score));
  const o = await optionOf('heatmap');
  assert.ok(o, 'the heatmap is drawn');
  const cells = o.series[0].data;
  assert.equal(cells.length, k * kf);
  for (const [fi, ri, v] of cells) assert.equal(v, counts.get(key(ri + 1, fi + 1)) ?? 0, `R${ri + 1} F${fi + 1}`);
  assert.equal(cells.reduce((a, c) => a + c[2], 0), rows.length);
  // the table: rows R5 … R1, columns F1 … Fk
  const table = await tableValues('heatmap');
  const expected = [];
  for (let r = k; r >= 1; r--) expected.push(Array.from({ length: kf }, (_, f) => counts.get(key(r, f + 1)) ?? 0));
  assert.deepEqual(table, expected);

  await page.click('[data-testid="switch-heatmap-revenue"]');
  const sums = new Map();
  for (const r of rows) sums.set(key(r.r_score, r.f_score), (sums.get(key(r.r_score, r.f_score)) ?? 0) + Number(r.monetary));
  const rev = (await optionOf('heatmap')).series[0].data;
  for (const [fi, ri, v] of rev) {
    assert.ok(Math.abs(v - (sums.get(key(ri + 1, fi + 1)) ?? 0)) < 0.006, `revenue R${ri + 1} F${fi + 1}: ${v}`);
  }
  await page.click('[data-testid="switch-heatmap-customers"]');
});

test('the heatmap axes say what each score means: every customer lies in its score range', async () => {
  const o = await optionOf('heatmap');
  const rLabels = o.yAxis[0].data;
  const fLabels = o.xAxis[0].data;
  assert.match(rLabels[rLabels.length - 1], /^R5: ≤ \d/);
  const range = (text) => {
    const body = text.split(': ')[1];
    if (body === '—') return [Infinity, -Infinity];
    let m;
    if ((m = body.match(/^≤ ([\d,]+)$/))) return [-Infinity, Number(m[1].replace(/,/g, ''))];
    if ((m = body.match(/^≥ ([\d,]+)$/))) return [Number(m[1].replace(/,/g, '')), Infinity];
    if ((m = body.match(/^([\d,]+)–([\d,]+)$/))) return [Number(m[1].replace(/,/g, '')), Number(m[2].replace(/,/g, ''))];
    return [Number(body.replace(/,/g, '')), Number(body.replace(/,/g, ''))];
  };
  for (const r of rows) {
    const [lo, hi] = range(rLabels[Number(r.r_score) - 1]);
    assert.ok(Number(r.recency_days) >= lo && Number(r.recency_days) <= hi, `${r.customer_id}: recency ${r.recency_days} not in ${rLabels[Number(r.r_score) - 1]}`);
    const [flo, fhi] = range(fLabels[Number(r.f_score) - 1]);
    assert.ok(Number(r.frequency) >= flo && Number(r.frequency) <= fhi, `${r.customer_id}: frequency ${r.frequency} not in ${fLabels[Number(r.f_score) - 1]}`);
  }
});

test('a click on a heatmap cell sends tierwise-filter with its R and F scores', async () => {
  const target = await page.evaluate(() => {
    const node = twq('[data-testid="chart-heatmap"]');
    const chart = globalThis.echarts.getInstanceByDom(node);
    const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, [2, 3]); // F3, R4
    const box = node.getBoundingClientRect();
    return { x: box.left + x, y: box.top + y };
  });
  await page.evaluate(() => {
    window.__filters = [];
  });
  await page.mouse.click(target.x, target.y);
  await page.waitForFunction(() => window.__filters.length > 0, null, { timeout: 5000 });
  const got = await page.evaluate(() => window.__filters);
  assert.deepEqual(got, [{ filters: [{ column: 'rScore', value: 4 }, { column: 'fScore', value: 3 }], mode: 'add' }]);
});

test('a cell of the heatmap data table and a risk table cell send the same event', async () => {
  await page.evaluate(() => {
    window.__filters = [];
    for (const d of twqa('[data-testid="data-heatmap"], [data-testid="data-risk"]')) d.open = true;
  });
  // first body row is R5, first cell F1
  await page.click('[data-testid="table-heatmap"] tbody tr:first-child td:first-of-type button');
  const seg = cli.summary.segments.rfm11.find((x) => x.customers > 0).name;
  // risk table: first row is the first non-empty segment, first cell 'high'
  await page.click('[data-testid="table-risk"] tbody tr:first-child td:first-of-type button');
  const got = await page.evaluate(() => window.__filters);
  assert.deepEqual(got, [
    { filters: [{ column: 'rScore', value: 5 }, { column: 'fScore', value: 1 }], mode: 'add' },
    { filters: [{ column: 'segmentRfm11', value: seg }, { column: 'risk', value: 'high' }], mode: 'add' },
  ]);
});

test('the PNG download is a PNG image made in the page', async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="png-heatmap"]')]);
  assert.equal(download.suggestedFilename(), 'tierwise-heatmap.png');
  const bytes = readFileSync(await download.path());
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.ok(bytes.length > 5000, `a real image, not an empty canvas (${bytes.length} bytes)`);
});

test('treemap, grade donuts and lifecycle bars equal the CLI summary; the treemap follows the preset', async () => {
  const s = cli.summary;
  const nonEmpty = (list) => list.filter((x) => x.customers > 0);
  let o = await optionOf('treemap');
  assert.deepEqual(o.series[0].data.map((d) => [d.code, d.value]), nonEmpty(s.segments.rfm11).map((x) => [x.name, x.customers]));
  await page.click('[data-testid="seg-cn8"]');
  o = await optionOf('treemap');
  assert.deepEqual(o.series[0].data.map((d) => [d.code, d.value]), nonEmpty(s.segments.cn8).map((x) => [x.name, x.customers]));
  await page.click('[data-testid="seg-rfm11"]');

  o = await optionOf('grades');
  assert.deepEqual(o.series[0].data.map((d) => [d.code, d.value]), s.grades.abc.map((x) => [x.name, x.customers]));
  assert.deepEqual(o.series[1].data.map((d) => [d.code, d.value]), s.grades.ladder.map((x) => [x.name, x.customers]));

  o = await optionOf('lifecycle');
  assert.deepEqual(o.series[0].data.map((d) => [d.code, d.value]), s.lifecycle.map((x) => [x.name, x.customers]));
  assert.deepEqual((await tableValues('lifecycle')).map((r) => r[0]), s.lifecycle.map((x) => x.customers));
});

test('churn risk by segment: the stacks are the CLI customers per segment and risk level', async () => {
  const counts = countBy((r) => key(r.segment_rfm11, r.risk));
  const segs = cli.summary.segments.rfm11.filter((x) => x.customers > 0).map((x) => x.name);
  const o = await optionOf('risk');
  assert.equal(o.series.length, 3);
  ['high', 'medium', 'low'].forEach((lv, i) => {
    assert.deepEqual(o.series[i].data, segs.map((sg) => counts.get(key(sg, lv)) ?? 0), lv);
  });
  const table = await tableValues('risk');
  assert.deepEqual(table, segs.map((sg) => ['high', 'medium', 'low'].map((lv) => counts.get(key(sg, lv)) ?? 0)));
});

test('monthly chart and cohort curves equal the CLI summary', async () => {
  const m = cli.summary.kpis.monthly;
  const o = await optionOf('monthly');
  assert.deepEqual(o.xAxis[0].data, m.map((x) => x.month));
  assert.deepEqual(o.series[0].data, m.map((x) => x.revenue));
  assert.deepEqual(o.series[1].data, m.map((x) => x.activeCustomers));
  assert.deepEqual(o.series[2].data, m.map((x) => x.newCustomers));
  // revenue adds up to the KPI (nothing omitted in the sample)
  assert.equal(cli.summary.kpis.monthlyOmitted, 0);
  assert.ok(Math.abs(m.reduce((a, x) => a + x.revenue, 0) - cli.summary.kpis.revenue) < 0.01);

  const cohorts = cli.summary.kpis.cohorts.slice(-12);
  const c = await optionOf('cohorts');
  assert.deepEqual(c.series.map((x) => x.name), cohorts.map((x) => x.month));
  c.series.forEach((line, i) => {
    line.data.forEach((v, mth) => {
      const share = cohorts[i].active[mth];
      if (share === undefined) assert.equal(v, null);
      else assert.ok(Math.abs(v - share * 100) < 0.006, `${line.name} month ${mth}`);
    });
  });
});

test('CLV distribution: the bins and the customers above them count every customer with a CLV', async () => {
  const withClv = rows.filter((r) => r.predicted_clv !== '').length;
  const o = await optionOf('clv');
  const drawn = o.series[0].data.reduce((a, b) => a + b, 0);
  const table = (await tableValues('clv')).map((r) => r[0]);
  assert.equal(table.reduce((a, b) => a + b, 0), withClv);
  assert.ok(drawn >= 0.99 * withClv && drawn <= withClv, `${drawn} of ${withClv} drawn (up to the 99th percentile)`);
});

test('CLV, monthly and cohort table rows send range filters; a CLV bin holds the CLI customers in its range', async () => {
  await page.evaluate(() => {
    window.__filters = [];
    for (const n of ['clv', 'monthly', 'cohorts']) twq(`[data-testid="data-${n}"]`).open = true;
  });
  const clvRows = await page.$$eval('[data-testid="table-clv"] tbody tr', (trs) => trs.length);
  const values = (await tableValues('clv')).map((r) => r[0]);
  await page.click('[data-testid="table-clv"] tbody tr:nth-child(2) th button');
  await page.click(`[data-testid="table-clv"] tbody tr:nth-child(${clvRows}) th button`);
  await page.click('[data-testid="table-monthly"] tbody tr:first-child th button');
  await page.click('[data-testid="table-cohorts"] tbody tr:first-child th button');
  const got = await page.evaluate(() => window.__filters);
  assert.equal(got.length, 4);
  // the second CLV bin: [min, max), counted from the CLI's predicted_clv
  const [bin] = got[0].filters;
  assert.equal(bin.column, 'predictedClv');
  assert.ok(bin.min < bin.max && bin.maxInclusive === undefined);
  const clv = rows.filter((r) => r.predicted_clv !== '').map((r) => Number(r.predicted_clv));
  assert.equal(clv.filter((v) => v >= bin.min && v < bin.max).length, values[1], 'second bin');
  // the last row: above the 99th percentile, no upper bound
  const [above] = got[1].filters;
  assert.deepEqual(Object.keys(above).sort(), ['column', 'min']);
  assert.equal(clv.filter((v) => v >= above.min).length, values.at(-1), 'above the last bin');
  const month = cli.summary.kpis.monthly[0].month;
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  assert.deepEqual(got[2], { filters: [{ column: 'firstDate', min: `${month}-01`, max: next, as: 'new' }], mode: 'add' });
  const cohort = cli.summary.kpis.cohorts.slice(-12)[0].month;
  assert.equal(got[3].filters[0].min, `${cohort}-01`);
  assert.equal(got[3].filters[0].as, undefined);
});

test('the existing charts sit in the same card: PNG link and data table', async () => {
  for (const name of ['segments', 'pareto', 'palive']) {
    assert.equal(await page.locator(`[data-testid="png-${name}"]`).count(), 1, name);
  }
  const seg = await tableValues('segments');
  const list = cli.summary.segments.rfm11;
  assert.deepEqual(seg.map((r) => r[0]), list.map((x) => x.customers));
});

test('the Chinese page draws the charts again in Chinese', async () => {
  await page.click('[data-testid="lang-zh"]');
  await chartsDone();
  const o = await optionOf('treemap');
  const zh = new Map(cli.summary.segments.rfm11.map((x) => [x.name, x.nameZh]));
  for (const d of o.series[0].data) assert.equal(d.name, zh.get(d.code));
  const h = await optionOf('heatmap');
  assert.equal(h.yAxis[0].name, '最近购买（天）');
  assert.equal(await page.textContent('[data-testid="data-heatmap"] summary'), '数据表');
  await page.click('[data-testid="lang-en"]');
});

test('the monthly chart of a hand-made file equals the months computed by hand', async () => {
  const file = path.join(tmp, 'monthly.csv');
  writeFileSync(file, MONTHLY_CSV);
  await page.evaluate(() => {
    twq('#options-panel').open = true;
  });
  await page.fill('#opt-analysis-date', '2024-03-15');
  await page.setInputFiles('[data-testid="file-input"]', file);
  await waitForRunOf(page);
  await chartsDone();
  const o = await optionOf('monthly');
  assert.deepEqual(o.xAxis[0].data, MONTHS);
  assert.deepEqual(o.series[0].data, REVENUE);
  assert.deepEqual(o.series[1].data, ACTIVE);
  assert.deepEqual(o.series[2].data, NEW);
  assert.deepEqual(await tableValues('monthly'), MONTHS.map((_, i) => [REVENUE[i], ORDERS[i], ACTIVE[i], NEW[i]]));
  await page.fill('#opt-analysis-date', '');
});

test('no request left the page and nothing went wrong', () => {
  assert.deepEqual(foreignRequests(requests, origin), []);
  assertNoProblemsIn(problems);
});

test('a file chosen while the workbench is still loading is analysed once it is ready', async () => {
  const s2 = await openPageSession({ requests: [], problems: [] });
  try {
    // no classic ECharts, and the module build held back: the workbench waits for it before wiring
    let release;
    const held = new Promise((r) => (release = r));
    await s2.page.route('**/vendor/echarts.min.js', (r) => r.abort());
    await s2.page.route('**/vendor/echarts.esm.min.mjs', async (r) => {
      await held;
      await r.continue();
    });
    await s2.page.goto(s2.server.url, { waitUntil: 'domcontentloaded' });
    await s2.page.setInputFiles('[data-testid="file-input"]', path.join(WWW, 'sample.csv'));
    assert.notEqual(await s2.page.getAttribute('#status', 'data-state'), 'done');
    release();
    await waitForRunOf(s2.page);
    assert.equal(await s2.page.getAttribute('[data-testid="kpi-customers"]', 'data-value'), String(cli.summary.customers));
  } finally {
    await s2.close();
  }
});

test('without ECharts the data tables are still there, open', async () => {
  const local = [];
  const s2 = await openPageSession({ requests: local, problems: [] });
  try {
    await s2.page.route('**/vendor/echarts*', (r) => r.abort()); // the classic script and the module
    await s2.page.goto(s2.server.url, { waitUntil: 'load' });
    await workbenchReady(s2.page);
    await s2.page.setInputFiles('[data-testid="file-input"]', path.join(WWW, 'sample.csv'));
    await waitForRunOf(s2.page);
    await s2.page.waitForSelector('#chart-cards[data-state="done"]', { state: 'attached', timeout: 60_000 });
    const open = await s2.page.$eval('[data-testid="data-lifecycle"]', (d) => d.open);
    assert.equal(open, true);
    const values = await s2.page.$$eval('[data-testid="table-lifecycle"] tbody tr td[data-value]', (tds) => tds.map((td) => Number(td.dataset.value)));
    const expected = cli.summary.lifecycle.flatMap((x) => [x.customers, x.share]);
    assert.deepEqual(values, expected);
    assert.equal(await s2.page.getAttribute('[data-testid="chart-heatmap"]', 'data-state'), 'nolib');
  } finally {
    await s2.close();
  }
});
