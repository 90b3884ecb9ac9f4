// The KPIs of `docs/kpis.md` on the page: retention and churn for the period (t0, t1] with S, E and N, and
// the monthly cohort table. Expected values come from the native CLI on the same file, never from the
// page itself.
//
//   node --test tests/e2e/kpis.test.mjs
//
// Needs what page.test.mjs needs (scripts/build.sh, www/sample.csv, the CLI, Debian chromium).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  WWW,
  checkSiteBuilt,
  runCli,
  openPageSession,
  waitForRunOf,
  subdirsOf,
  TINY_CSV,
  dataValueOf,
  assertNoProblemsIn,
  foreignRequests,
} from './helpers.mjs';

const TIMEOUT = 120_000;
const CAP = 24; // the page shows the 24 most recent cohorts and months 0 … 23
// Nobody is active a year before the analysis date: retention and churn are null.

let session;
let origin;
let page;
let tmp;
const cli = {};
const requests = [];
const problems = [];

before(async () => {
  checkSiteBuilt();
  tmp = mkdtempSync(path.join(tmpdir(), 'tierwise-kpis-'));
  const dir = subdirsOf(tmp);
  cli.sample = runCli(path.join(WWW, 'sample.csv'), dir('sample'));
  const tiny = path.join(tmp, 'tiny.csv');
  writeFileSync(tiny, TINY_CSV);
  cli.tiny = runCli(tiny, dir('tiny'));

  session = await openPageSession({ requests, problems });
  ({ origin, page } = session);
}, { timeout: TIMEOUT });

after(async () => {
  await session?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const assertNoProblems = () => assertNoProblemsIn(problems);
const dataValue = (testid) => dataValueOf(page, testid);
const text = async (testid) => (await page.textContent(`[data-testid="${testid}"]`)).trim();

const waitForRun = () => waitForRunOf(page);

/** The cohort table as shown: per row its month, size and month cells (text and raw value). */
function cohortTable() {
  return page.$$eval('[data-testid="cohort-row"]', (trs) =>
    trs.map((tr) => ({
      month: tr.dataset.month,
      head: tr.querySelector('th').textContent,
      customers: Number(tr.querySelector('td').dataset.value),
      cells: [...tr.querySelectorAll('td.cohort-cell')].map((td) => ({
        month: Number(td.dataset.month),
        text: td.textContent,
        value: Number(td.dataset.value),
        shaded: getComputedStyle(td).backgroundColor,
      })),
    })),
  );
}

test('"Load sample data" shows the summary\'s retention, churn, S, E and N', { timeout: TIMEOUT }, async () => {
  await page.click('#load-sample');
  await waitForRun();
  const r = cli.sample.summary.kpis.retention;
  assert.ok(r.activeAtStart > 0, 'the sample has customers active at the start');
  assert.equal(await page.isVisible('[data-testid="retention-panel"]'), true);

  assert.ok(Math.abs(Number(await dataValue('ret-retention')) - r.retention) < 1e-12, 'retention');
  assert.ok(Math.abs(Number(await dataValue('ret-churn')) - r.churn) < 1e-12, 'churn');
  assert.equal(Number(await dataValue('ret-start')), r.activeAtStart, 'S');
  assert.equal(Number(await dataValue('ret-end')), r.activeAtEnd, 'E');
  assert.equal(Number(await dataValue('ret-new')), r.new, 'N');
  // retention = (E − N) / S, as the page shows it
  assert.ok(Math.abs((r.activeAtEnd - r.new) / r.activeAtStart - r.retention) < 1e-12, 'formula');

  // Formatted text.
  const pct = (v) => `${(v * 100).toFixed(1)}%`;
  assert.equal(await text('ret-retention'), pct(r.retention));
  assert.equal(await text('ret-churn'), pct(r.churn));
  assert.equal(await text('ret-start'), r.activeAtStart.toLocaleString('en-US'));
  assert.equal(await text('ret-end'), r.activeAtEnd.toLocaleString('en-US'));
  assert.equal(await text('ret-new'), r.new.toLocaleString('en-US'));
  assert.equal(await page.getAttribute('[data-testid="ret-period"]', 'data-from'), r.from);
  assert.equal(await page.getAttribute('[data-testid="ret-period"]', 'data-to'), r.to);
  assert.match(await text('ret-period'), new RegExp(`\\(${r.from}, ${r.to}\\]`));
  const days = cli.sample.summary.options.kpis.activeDays;
  assert.equal(
    await text('ret-formula'),
    `retention = (E − N) / S; active = an order in the last ${days} days`,
  );
  assert.equal(await page.isHidden('[data-testid="ret-undefined"]'), true);
  assertNoProblems();
});

test('the cohort table shows the summary\'s cohorts, capped at 24 × 24', { timeout: TIMEOUT }, async () => {
  const all = cli.sample.summary.kpis.cohorts;
  assert.ok(all.length > 0, 'the sample has cohorts');
  const shown = all.slice(-CAP);
  const rows = await cohortTable();
  assert.equal(rows.length, Math.min(CAP, all.length), 'rows');
  assert.deepEqual(rows.map((x) => x.month), shown.map((c) => c.month), 'the most recent cohorts, oldest first');
  assert.deepEqual(rows.map((x) => x.head), shown.map((c) => c.month));
  assert.deepEqual(rows.map((x) => x.customers), shown.map((c) => c.customers), 'cohort sizes');

  const first = rows[0];
  assert.equal(first.cells.length, Math.min(CAP, shown[0].active.length), 'first row: one cell per month');
  for (const [i, row] of rows.entries()) {
    const active = shown[i].active.slice(0, CAP);
    assert.equal(row.cells.length, active.length, `${row.month}: cells`);
    assert.deepEqual(row.cells.map((c) => c.value), active, `${row.month}: shares`);
    assert.equal(row.cells[0].text, '100.0%', `${row.month}: month 0 (shares with one decimal)`);
  }
  // Shaded like a heat map: month 0 (100 %) darker than a smaller share.
  const alpha = (bg) => Number((bg.match(/rgba?\(([^)]+)\)/)?.[1].split(',')[3] ?? '1').trim());
  const small = first.cells.find((c) => c.value > 0 && c.value < 0.5);
  if (small) assert.ok(alpha(first.cells[0].shaded) > alpha(small.shaded), 'month 0 is the darkest');

  // Month headers 0, 1, 2, … and the note when capped.
  const heads = await page.$$eval('#cohort-table thead th.month', (ths) => ths.map((th) => th.textContent));
  const months = Math.min(CAP, Math.max(...shown.map((c) => c.active.length)));
  assert.deepEqual(heads, Array.from({ length: months }, (_, i) => String(i)));
  const maxMonths = Math.max(...all.map((c) => c.active.length));
  const capped = all.length > CAP || maxMonths > CAP;
  assert.equal(await page.isVisible('[data-testid="cohort-cap"]'), capped, 'cap note');
  if (all.length > CAP) assert.match(await text('cohort-cap'), new RegExp(`${CAP} most recent of ${all.length} cohorts`));
  if (maxMonths > CAP) assert.match(await text('cohort-cap'), new RegExp(`months 0–${CAP - 1} of 0–${maxMonths - 1}`));

  // A wide table scrolls inside its card, not the page.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(overflow, false, 'the page does not scroll sideways');
  assertNoProblems();
});

test('retention and cohorts in both languages', { timeout: TIMEOUT }, async () => {
  const r = cli.sample.summary.kpis.retention;
  const days = cli.sample.summary.options.kpis.activeDays;
  await page.click('#lang-zh');
  assert.equal(await page.textContent('#ret-title'), '留存与同期群');
  assert.equal(await text('ret-formula'), `留存率 = (E − N) / S；活跃 = 最近 ${days} 天内有订单`);
  const zhLabels = await page.$$eval('#retention-section dt', (dts) => dts.map((d) => d.textContent));
  assert.deepEqual(zhLabels, ['留存率', '流失率', '期初活跃客户 (S)', '期末活跃客户 (E)', '期内新客户 (N)']);
  assert.equal(await page.textContent('#cohort-table thead th'), '首次购买月份');
  assert.ok(Math.abs(Number(await dataValue('ret-retention')) - r.retention) < 1e-12, 'values do not change');
  assert.equal((await cohortTable())[0].cells[0].text, '100.0%');

  await page.click('#lang-en');
  assert.equal(await page.textContent('#ret-title'), 'Retention and cohorts');
  const enLabels = await page.$$eval('#retention-section dt', (dts) => dts.map((d) => d.textContent));
  assert.deepEqual(enLabels, [
    'Retention rate',
    'Churn rate',
    'Active at the start (S)',
    'Active at the end (E)',
    'New in the period (N)',
  ]);
  assert.equal(await page.textContent('#cohort-table thead th'), 'First purchase');
  assert.match(await text('ret-formula'), /^retention = \(E − N\) \/ S; active = an order in the last/);
  assertNoProblems();
});

test('without customers active at the start, retention and churn read —', { timeout: TIMEOUT }, async () => {
  const r = cli.tiny.summary.kpis.retention;
  assert.equal(r.activeAtStart, 0);
  assert.equal(r.retention, null);
  await page.setInputFiles('#file-input', { name: 'tiny.csv', mimeType: 'text/csv', buffer: Buffer.from(TINY_CSV) });
  await waitForRun();
  assert.equal(await text('ret-retention'), '—');
  assert.equal(await text('ret-churn'), '—');
  assert.equal(await dataValue('ret-retention'), '');
  assert.equal(Number(await dataValue('ret-start')), 0);
  assert.equal(Number(await dataValue('ret-end')), r.activeAtEnd);
  assert.equal(Number(await dataValue('ret-new')), r.new);
  assert.equal(await page.isVisible('[data-testid="ret-undefined"]'), true);
  const rows = await cohortTable();
  const cohorts = cli.tiny.summary.kpis.cohorts;
  assert.deepEqual(rows.map((x) => x.month), cohorts.map((c) => c.month));
  assert.equal(rows[0].cells.length, cohorts[0].active.length);
  assert.equal(await page.isHidden('[data-testid="cohort-cap"]'), true, 'no cap note');
  assertNoProblems();
});

test('every request stayed on the page\'s own origin', { timeout: TIMEOUT }, async () => {
  assert.ok(requests.length > 0, 'requests were recorded');
  assert.deepEqual(foreignRequests(requests, origin), [], `requests outside ${origin}`);
  assertNoProblems();
});
