// The quarterly review panel (docs/compare.md) and the Excel export (docs/outputs.md#the-excel-workbook)
// on a hand-made file with a known movement between two quarter ends; the expected counts are worked
// out by hand below and cross-checked against the CLI's `tierwise compare` (another path through the
// core: whole-file analyses instead of the worker's streamed ones).
//
//   TIERWISE_BIN=$PWD/target/release/tierwise node --test tests/e2e/review.test.mjs
//
// Needs scripts/build.sh (www/pkg, www/pkg-workbook), Debian chromium, and builds the workbook crate's
// xlsx_dump example (calamine) to read the downloaded workbook back.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  ROOT,
  assertNoProblemsIn,
  checkSiteBuilt,
  cliPath,
  csvRecords,
  foreignRequests,
  openPageSession,
  waitForRunOf,
} from './helpers.mjs';

const TIMEOUT = 180_000;
const FILE = path.join(ROOT, 'tests/fixtures/review/quarters.csv');
// customer_id,order_date,amount,category — the latest row is G's on 2024-09-30, so the page's analysis
// date (the later date) is 2024-09-30 and the default earlier date the end of the previous quarter,
// 2024-06-30. The upgrade candidates' quarter dates are 2024-06-30, 2024-03-30 and 2023-12-30.
//
// Cumulative spend on 2024-06-30: E 1000, B 500, F 400, A 300 (80 + 100 + 120); C and G not yet
// customers. n = 4, ladder cut ranks ceil(s·n): VIP ≤ 1, Gold ≤ 1, Silver ≤ 2, Bronze ≤ 3, Regular:
// E VIP, B Silver, F Bronze, A Regular.
// On 2024-09-30: E 1000, G 700, B 520, A 450, F 400, C 30; n = 6: VIP ≤ 1, Gold ≤ 1, Silver ≤ 3,
// Bronze ≤ 4: E VIP, G Silver, B Silver, A Bronze, F Regular, C Regular.
// So A moved up (Regular → Bronze), F moved down (Bronze → Regular), G and C are new (— → Silver,
// — → Regular), E and B stayed.
const LADDER = ['VIP', 'Gold', 'Silver', 'Bronze', 'Regular', '—'];
const LADDER_COUNTS = [
  [1, 0, 0, 0, 0, 0], // VIP: E stayed
  [0, 0, 0, 0, 0, 0],
  [0, 0, 1, 0, 0, 0], // Silver: B stayed
  [0, 0, 0, 0, 1, 0], // Bronze: F → Regular
  [0, 0, 0, 1, 0, 0], // Regular: A → Bronze
  [0, 0, 1, 0, 1, 0], // new: G → Silver, C → Regular
];
// ABC on 2024-06-30 (total 2200): E (share above 0) A, B (1000/2200 = 0.45) A, F (1500/2200 = 0.68) A,
// A (1900/2200 = 0.86 ≥ 0.8) B. On 2024-09-30 (total 3100): E 0, G 0.32, B 0.55, A 0.72 → A;
// F 2670/3100 = 0.86 → B; C 3070/3100 = 0.99 → C.
const ABC = ['A', 'B', 'C', '—'];
const ABC_COUNTS = [
  [2, 1, 0, 0], // E, B stay A; F A → B
  [1, 0, 0, 0], // A: B → A
  [0, 0, 0, 0],
  [1, 0, 1, 0], // G → A, C → C
];
// Upgrade candidates: A's quarters (cumulative 80, 180, 300, 450 on the quarter dates) are 100, 120,
// 150: 120 ≥ 1.2 × 100 and 150 ≥ 1.2 × 120 → spend growth. B first bought "cups" on 2024-08-01, after
// 2024-06-30, and was a customer before it → new category (quarters 0, 0, 20). Nobody else: F's
// quarters are 400, 0, 0; C and G are new in the last quarter.
// Downgrade warning: E is top grade (VIP, ABC A) and last bought on 2023-09-15, 381 days before
// 2024-09-30 ≥ 180 → high_value_lapsed. B, G, A are ABC A too but bought within 180 days.

let session;
let page;
let tmp;
const requests = [];
const problems = [];

before(async () => {
  checkSiteBuilt();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'tierwise-review-'));
  session = await openPageSession({ requests, problems, acceptDownloads: true });
  ({ page } = session);
}, { timeout: TIMEOUT });

after(async () => {
  await session?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** The matrix table `testid` as { cols: labels, rows: { from, counts } } from its data attributes. */
async function matrixOf(testid) {
  return page.$eval(`[data-testid="${testid}"]`, (table) => {
    const cols = [...table.querySelectorAll('thead th[data-label]')].map((th) => th.dataset.label);
    const rows = [...table.querySelectorAll('tbody tr')].map((tr) => ({
      from: tr.dataset.from,
      counts: [...tr.querySelectorAll('td')].map((td) => Number(td.dataset.value)),
      diag: [...tr.querySelectorAll('td')].findIndex((td) => td.classList.contains('diag')),
    }));
    return { cols, rows };
  });
}

async function listOf(testid) {
  return page.$$eval(`[data-testid="${testid}"] tbody tr`, (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
  );
}

async function runReview() {
  await page.click('[data-testid=review-run]');
  await page.waitForFunction(
    () => ['done', 'error'].includes(twq('[data-testid=review-status]')?.dataset.state),
    null,
    { timeout: 120_000 },
  );
  const st = await page.getAttribute('[data-testid=review-status]', 'data-state');
  if (st === 'error') assert.fail(await page.textContent('[data-testid=review-status]'));
}

function cliCompare(from, to) {
  const out = execFileSync(cliPath(), ['compare', FILE, '--from', from, '--to', to], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out.toString());
}

test('the review panel shows the hand-computed movement of a known file', { timeout: TIMEOUT }, async () => {
  await page.setInputFiles('#file-input', FILE);
  await waitForRunOf(page);
  // the default earlier date is the end of the previous quarter
  assert.equal(await page.inputValue('[data-testid=review-from]'), '2024-06-30');
  await runReview();

  const ladder = await matrixOf('review-grade-matrix');
  assert.deepEqual(ladder.cols, LADDER);
  assert.deepEqual(ladder.rows.map((r) => r.from), LADDER);
  assert.deepEqual(ladder.rows.map((r) => r.counts), LADDER_COUNTS);
  assert.deepEqual(ladder.rows.map((r) => r.diag), LADDER.map((_, i) => i), 'the diagonal is highlighted');

  assert.deepEqual(await listOf('review-up'), [['A', 'Regular', 'Bronze']]);
  assert.deepEqual(await listOf('review-down'), [['F', 'Bronze', 'Regular']]);
  const candidates = await listOf('review-candidates');
  assert.deepEqual(candidates.map((r) => r[0]), ['A', 'B']);
  assert.match(candidates[0][1], /spend grew/);
  assert.deepEqual(candidates[0].slice(2), ['100.00', '120.00', '150.00']);
  assert.match(candidates[1][1], /new category: cups/);
  assert.deepEqual(candidates[1].slice(2), ['0.00', '0.00', '20.00']);
  assert.deepEqual((await listOf('review-warnings')).map((r) => r[0]), ['E']);

  // the sankey has data: one link per non-zero cell, carrying all six customers
  const sankey = page.locator('[data-testid=review-grade-sankey]');
  assert.equal(await sankey.getAttribute('data-links'), '6');
  assert.equal(await sankey.getAttribute('data-flow'), '6');
  assert.equal(await page.locator('[data-testid=review-grade-sankey] canvas').count(), 1);
  const segFlow = Number(await page.getAttribute('[data-testid=review-segment-sankey]', 'data-flow'));
  assert.equal(segFlow, 6, 'every customer of either date flows in the segment sankey');

  // a later-date column header emits the drill-down event for the customers now in that grade
  const detail = await page.evaluate(() => {
    let got = null;
    twHost().addEventListener('tierwise-filter', (ev) => (got = ev.detail), { once: true });
    twq('[data-testid=review-grade-matrix] th[data-label=Bronze]').click();
    return got;
  });
  assert.deepEqual(detail, { filters: [{ column: 'gradeLadder', value: 'Bronze' }], mode: 'replace' });

  // so does a click on the sankey's later-date Bronze node (found from the chart's own layout)
  await page.locator('[data-testid=review-grade-sankey]').scrollIntoViewIfNeeded();
  const at = await page.evaluate(() => {
    const el = twq('[data-testid=review-grade-sankey]');
    const chart = echarts.getInstanceByDom(el);
    const data = chart.getModel().getSeriesByIndex(0).getData();
    for (let i = 0; i < data.count(); i++) {
      const item = data.getRawDataItem(i);
      if (/^b\d+$/.test(item.name) && item.short === 'Bronze') {
        // node layouts are relative to the series' box (its `left` and `top`)
        const { left, top } = chart.getOption().series[0];
        const { x, y, dx, dy } = data.getItemLayout(i);
        const box = el.getBoundingClientRect();
        return { x: box.x + Number(left) + x + dx / 2, y: box.y + Number(top) + y + dy / 2 };
      }
    }
    return null;
  });
  assert.ok(at, 'the sankey has a later-date Bronze node');
  await page.evaluate(() => {
    window.__sankeyDrill = null;
    twHost().addEventListener('tierwise-filter', (ev) => (window.__sankeyDrill = ev.detail), { once: true });
  });
  await page.mouse.click(at.x, at.y);
  assert.deepEqual(await page.evaluate(() => window.__sankeyDrill), { filters: [{ column: 'gradeLadder', value: 'Bronze' }], mode: 'replace' });

  // the switch to ABC
  await page.click('[data-testid=review-grade-toggle] button[data-kind=abc]');
  const abc = await matrixOf('review-grade-matrix');
  assert.deepEqual(abc.cols, ABC);
  assert.deepEqual(abc.rows.map((r) => r.counts), ABC_COUNTS);

  // the segment matrices: C and G are new on the later date (row —), nobody left (column —); and both
  // presets equal the CLI's comparison of the same dates
  const cli = cliCompare('2024-06-30', '2024-09-30');
  assert.deepEqual(cli.ladder.counts, LADDER_COUNTS, 'the CLI agrees with the hand calculation');
  for (const kind of ['rfm11', 'cn8']) {
    await page.click(`[data-testid=review-segment-toggle] button[data-kind=${kind}]`);
    const m = await matrixOf('review-segment-matrix');
    assert.deepEqual(m.cols, cli[kind].labels, kind);
    assert.deepEqual(m.rows.map((r) => r.counts), cli[kind].counts, kind);
    const absent = m.rows.length - 1;
    assert.equal(m.rows[absent].counts.reduce((a, b) => a + b, 0), 2, `${kind}: two new customers`);
    assert.equal(m.rows.reduce((n, r) => n + r.counts[absent], 0), 0, `${kind}: nobody left`);
  }
  assertNoProblemsIn(problems);
});

test('the review export has one row per customer in any list', { timeout: TIMEOUT }, async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=review-export]')]);
  const bytes = readFileSync(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with BOM');
  const rows = csvRecords(bytes.toString('utf8'));
  assert.deepEqual(rows[0], ['List', 'Customer', 'From', 'To', 'Details', 'Spend 3 quarters ago', 'Spend 2 quarters ago', 'Spend last quarter']);
  const body = rows.slice(1).map((r) => [r[0], r[1]]);
  assert.deepEqual(body, [
    ['moved up', 'A'],
    ['moved down', 'F'],
    ['upgrade candidate', 'A'],
    ['upgrade candidate', 'B'],
    ['downgrade warning', 'E'],
  ]);
  assert.deepEqual(rows[1].slice(2, 4), ['Regular', 'Bronze']);
  assert.deepEqual(rows[3].slice(5), ['100', '120', '150']);
  assert.match(rows[4][4], /new category: cups/);
});

test('in Chinese the panel and the review export use the Chinese labels', { timeout: TIMEOUT }, async () => {
  await page.click('#lang-zh');
  assert.equal(await page.textContent('#review-title'), '季度回顾');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=review-export]')]);
  const rows = csvRecords(readFileSync(await download.path()).toString('utf8'));
  assert.equal(rows[0][0], '名单');
  assert.deepEqual(rows[1].slice(0, 4), ['升级', 'A', '普通', '铜牌']);
  assert.equal(rows[5][0], '降级预警');
  await page.click('#lang-en');
});

/** The downloaded workbook read back by calamine (the workbook crate's xlsx_dump example). */
function dumpXlsx(file) {
  const out = execFileSync(
    'cargo',
    ['run', '--quiet', '--release', '-p', 'tierwise-workbook', '--example', 'xlsx_dump', '--', file],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(out.toString());
}

const serialToIso = (n) => new Date(Date.UTC(1899, 11, 30) + n * 86_400_000).toISOString().slice(0, 10);

test('"Export Excel" downloads a workbook with typed sheets and the review', { timeout: TIMEOUT }, async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-xlsx')]);
  assert.match(download.suggestedFilename(), /^tierwise-2024-09-30\.xlsx$/);
  const file = path.join(tmp, 'page.xlsx');
  await download.saveAs(file);
  const wb = dumpXlsx(file);
  assert.deepEqual(wb.sheets.map((s) => s.name), ['Customers', 'Summary', 'Segments', 'Grades', 'Options', 'Review']);
  for (const s of wb.sheets) assert.equal(s.formulas, 0, `${s.name} has no formula`);

  const customers = wb.sheets[0].rows;
  const header = customers[0].map((c) => c?.s);
  assert.equal(header[0], 'customer_id');
  const col = (name) => header.indexOf(name);
  // rows sorted by customer id: A B C E F G; A's facts by hand: first order 2023-10-01, 450 spent,
  // last order 2024-07-15 → recency 77 days on 2024-09-30
  assert.deepEqual(customers.slice(1).map((r) => r[0].s), ['A', 'B', 'C', 'E', 'F', 'G']);
  const a = customers[1];
  assert.equal(serialToIso(a[col('first_date')].d), '2023-10-01');
  assert.deepEqual(a[col('monetary')], { n: 450 });
  assert.deepEqual(a[col('recency_days')], { n: 77 });
  assert.deepEqual(a[col('grade_ladder')], { s: 'Bronze' });
  // every value of the page's CSV export is in the sheet, typed: compare with the CLI's customers.csv
  const cliCsv = execFileSync(cliPath(), ['analyze', FILE], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  const cliRows = csvRecords(cliCsv);
  assert.deepEqual(header, cliRows[0]);
  for (let i = 1; i < cliRows.length; i++) {
    cliRows[i].forEach((v, j) => {
      const cell = customers[i][j] ?? null;
      const got = cell == null ? '' : 's' in cell ? cell.s : 'd' in cell ? serialToIso(cell.d) : String(cell.n);
      const want = /^-?\d+(\.\d+)?$/.test(v) && cell && 'n' in cell ? String(Number(v)) : v;
      assert.equal(got, want, `row ${i} column ${cliRows[0][j]}`);
    });
  }

  const summary = Object.fromEntries(wb.sheets[1].rows.slice(1).map((r) => [r[0].s, r[1]]));
  assert.deepEqual(summary['Analysis date'], { s: '2024-09-30' });
  assert.deepEqual(summary.Customers, { n: 6 });
  assert.deepEqual(summary.Revenue, { n: 3100 });
  assert.deepEqual(summary['Review period'], { s: '2024-06-30 → 2024-09-30' });

  const grades = wb.sheets[3].rows.slice(1).filter((r) => r[0].s === 'Ladder').map((r) => [r[1].s, r[2].n]);
  assert.deepEqual(grades, [['VIP', 1], ['Gold', 0], ['Silver', 2], ['Bronze', 1], ['Regular', 2]]);

  const options = Object.fromEntries(wb.sheets[4].rows.slice(1).map((r) => [r[0].s, r[1]]));
  assert.deepEqual(options['rfm.bins'], { n: 5 });
  assert.deepEqual(options.returns, { s: 'net' });

  const review = wb.sheets[5].rows.slice(1).map((r) => [r[0].s, r[1].s]);
  assert.deepEqual(review, [
    ['moved up', 'A'],
    ['moved down', 'F'],
    ['upgrade candidate', 'A'],
    ['upgrade candidate', 'B'],
    ['downgrade warning', 'E'],
  ]);
  assert.deepEqual(wb.sheets[5].rows[3].slice(5), [{ n: 100 }, { n: 120 }, { n: 150 }]);
});

test('in Chinese the workbook has Chinese sheet names and labels', { timeout: TIMEOUT }, async () => {
  await page.click('#lang-zh');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-xlsx')]);
  assert.match(download.suggestedFilename(), /-zh\.xlsx$/);
  const file = path.join(tmp, 'page-zh.xlsx');
  await download.saveAs(file);
  const wb = dumpXlsx(file);
  assert.deepEqual(wb.sheets.map((s) => s.name), ['客户', '摘要', '分群', '等级', '选项', '季度回顾']);
  const ladder = wb.sheets[3].rows.slice(1).filter((r) => r[0].s === '阶梯等级').map((r) => r[1].s);
  assert.deepEqual(ladder, ['VIP', '金牌', '银牌', '铜牌', '普通']);
  assert.equal(wb.sheets[5].rows[1][0].s, '升级');
  await page.click('#lang-en');
  assertNoProblemsIn(problems);
  assert.deepEqual(foreignRequests(requests, session.origin), []);
  // the export fetched the writer module; a CSV never needed the workbook reader
  assert.ok(requests.some((u) => u.includes('/pkg-xlsx/tierwise_xlsx_bg.wasm')), 'the writer module was fetched');
  assert.deepEqual(requests.filter((u) => u.includes('/pkg-workbook/')), [], 'the reader module was fetched');
});

test('a new analysis forgets the review; a later earlier-date is refused in words', { timeout: TIMEOUT }, async () => {
  await page.setInputFiles('#file-input', FILE);
  await waitForRunOf(page);
  assert.equal(await page.locator('[data-testid=review-grade-matrix]').count(), 0);
  await page.fill('[data-testid=review-from]', '2024-12-31');
  await page.click('[data-testid=review-run]');
  await page.waitForFunction(() => twq('[data-testid=review-status]')?.dataset.state === 'error');
  assert.match(await page.textContent('[data-testid=review-status]'), /2024-12-31 is after the second date 2024-09-30/);
  problems.length = 0;
});

test('a running review can be cancelled; the analysis and a new review still work', { timeout: TIMEOUT }, async () => {
  // the page's sample (3,000 customers): five dates to read; the cancel is clicked by the page itself
  // at the first progress report of the review, so it reaches the worker while the dates are read
  await page.setInputFiles('#file-input', path.join(ROOT, 'www/sample.csv'));
  await waitForRunOf(page);
  await page.evaluate(() => {
    const root = twq('#review-section');
    const obs = new MutationObserver(() => {
      const st = root.querySelector('[data-testid=review-status]');
      const cancel = root.querySelector('[data-testid=review-cancel]');
      if (st?.dataset.state === 'running' && /\(1 of/.test(st.textContent) && cancel && !cancel.hidden) {
        obs.disconnect();
        cancel.click();
      }
    });
    obs.observe(root, { subtree: true, childList: true, characterData: true });
  });
  await page.click('[data-testid=review-run]');
  await page.waitForFunction(
    () => twq('[data-testid=review-status]')?.dataset.state !== 'running',
    null,
    { timeout: 120_000 },
  );
  assert.equal(await page.getAttribute('[data-testid=review-status]', 'data-state'), 'idle', 'cancelled, not finished');
  assert.equal(await page.locator('[data-testid=review-grade-matrix]').count(), 0);
  // the analysis is intact (its customer count) and the review runs to the end afterwards
  assert.equal(await page.getAttribute('[data-testid=kpi-customers]', 'data-value'), '3000');
  await runReview();
  const ladder = await matrixOf('review-grade-matrix');
  const total = ladder.rows.reduce((n, r) => n + r.counts.reduce((a, b) => a + b, 0), 0);
  const absentRow = ladder.rows.at(-1).counts.reduce((a, b) => a + b, 0);
  // every customer of the later date is in the matrix once; nobody of the earlier date disappears
  // (a customer of an earlier date is still one later), so the total is the later date's 3,000
  assert.equal(total, 3000);
  assert.ok(absentRow > 0, 'some customers are new since the earlier date');
  assertNoProblemsIn(problems);
});
