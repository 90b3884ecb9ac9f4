// The report (issue 11, item 7): the head over the results, the report view, the options used, and the
// print layout (A4, no controls, charts redrawn at the page's width, no customer list). Expected values
// come from the native CLI on the same file (analysis date, effective options) and from the layout's own
// rule (the printable width of A4 with 14 mm margins).
//
//   node --test tests/e2e/report.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  WWW,
  checkSiteBuilt,
  runCli,
  openPageSession,
  waitForRunOf,
  subdirsOf,
  assertNoProblemsIn,
  foreignRequests,
} from './helpers.mjs';

const TIMEOUT = 120_000;
/** (210 mm − 2 × 14 mm) at 96 CSS px per inch. */
const A4_CONTENT_PX = Math.floor(((210 - 28) / 25.4) * 96);

let session;
let page;
let tmp;
let cli;
const requests = [];
const problems = [];

before(async () => {
  checkSiteBuilt();
  tmp = mkdtempSync(path.join(tmpdir(), 'tierwise-report-'));
  cli = runCli(path.join(WWW, 'sample.csv'), subdirsOf(tmp)('sample'));
  session = await openPageSession({ requests, problems, acceptDownloads: true });
  page = session.page;
  await page.click('#load-sample');
  await waitForRunOf(page);
}, { timeout: TIMEOUT });

after(async () => {
  await session?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** The value at a dotted path of an object. */
const at = (obj, dotted) => dotted.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);

const visible = (selector) =>
  page.$$eval(selector, (nodes) => nodes.filter((n) => n.getClientRects().length > 0).map((n) => n.id || n.tagName));

test('the report head names the file and the analysis date', { timeout: TIMEOUT }, async () => {
  const meta = await page.textContent('[data-testid="report-meta"]');
  assert.match(meta, /sample\.csv/);
  assert.ok(meta.includes(cli.summary.analysisDate), `${meta} has ${cli.summary.analysisDate}`);
});

test('the options used are those of the analysis, defaults filled in', { timeout: TIMEOUT }, async () => {
  const rows = await page.$$eval('#report-options-table tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  const shown = Object.fromEntries(rows);
  // SPEC §11 defaults
  assert.equal(shown['rfm.bins'], '5');
  assert.equal(shown['rfm.mode'], 'quantile');
  assert.equal(shown['churn.inactiveDays'], '90');
  assert.equal(shown['grades.abc'], '[0.8,0.95]');
  // every row is the CLI's effective option at that path
  for (const [key, value] of rows) {
    const expected = at(cli.summary.options, key);
    const text = expected === null ? '—' : typeof expected === 'string' ? expected : JSON.stringify(expected);
    assert.equal(value, text, key);
  }
  assert.ok(rows.length >= 30, `all options listed: ${rows.length}`);
});

test('the report view shows the report cut and goes back', { timeout: TIMEOUT }, async () => {
  assert.deepEqual(await visible('#report-options'), [], 'options used hidden on the workbench');
  await page.click('#report-view');
  assert.equal(await page.getAttribute('.tw-root', 'class'), 'tw-root report-mode');
  assert.deepEqual(await visible('#report-options'), ['report-options']);
  assert.deepEqual(await visible('#customers-section, .input-card'), [], 'no customer list, no file picker');
  assert.equal(await page.getAttribute('#report-view', 'aria-pressed'), 'true');
  // (every chart on screen: a hidden box, such as the holdout check's without a check, has none drawn)
  const widths = await page.$$eval('.chart', (ns) => ns.filter((n) => n.getClientRects().length > 0).map((n) => echarts.getInstanceByDom(n)?.getWidth() ?? 0));
  assert.ok(widths.length >= 5, `${widths.length} charts on screen`);
  for (const width of widths) {
    assert.ok(width > 0 && width <= A4_CONTENT_PX, `chart ${width} px wide fits ${A4_CONTENT_PX} px`);
  }
  await page.click('#report-view');
  assert.equal(await page.getAttribute('.tw-root', 'class'), 'tw-root');
  assert.deepEqual(await visible('#customers-section'), ['customers-section']);
});

test('printing gives A4 pages with no controls and charts at the page width', { timeout: TIMEOUT }, async () => {
  await page.emulateMedia({ media: 'print' });
  try {
    await page.waitForFunction(
      (w) => [...twqa('.chart')].every((n) => (echarts.getInstanceByDom(n)?.getWidth() ?? 0) <= w),
      A4_CONTENT_PX,
      { timeout: 10_000 },
    );
    assert.deepEqual(await visible('button, input, select, textarea, summary'), [], 'no control is printed');
    assert.deepEqual(await visible('#customers-section'), [], 'no customer list is printed');
    assert.deepEqual(await visible('#report-options'), ['report-options']);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    // The sample's report: head and data quality, KPIs, two charts, the 11-segment table, grades,
    // lifecycle and churn, retention with 24 cohort rows, the model and ~60 options rows. Before the print
    // layout the page printed the controls and 100 customers as well.
    assert.ok(pages >= 3 && pages <= 8, `${pages} A4 pages`);
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
});

test('the report in Chinese', { timeout: TIMEOUT }, async () => {
  await page.click('#lang-zh');
  try {
    assert.equal((await page.textContent('#report-title')).trim(), '客户价值报告');
    assert.equal((await page.textContent('#report-options-table th')).trim(), '选项');
    assert.match(await page.textContent('[data-testid="report-meta"]'), /分析日期/);
    assert.equal((await page.textContent('#report-view')).trim(), '报告视图');
  } finally {
    await page.click('#lang-en');
  }
});

test('the summary downloads as the JSON the CLI writes', { timeout: TIMEOUT }, async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  assert.equal(download.suggestedFilename(), `tierwise-summary-${cli.summary.analysisDate}.json`);
  const s = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.equal(s.customers, cli.summary.customers);
  assert.equal(s.analysisDate, cli.summary.analysisDate);
  assert.equal(s.input.rows, cli.summary.input.rows);
  assert.deepEqual(s.cutPoints, cli.summary.cutPoints);
  assert.deepEqual(s.segments.rfm11.map((x) => [x.name, x.customers]), cli.summary.segments.rfm11.map((x) => [x.name, x.customers]));
  assert.deepEqual(s.grades, cli.summary.grades);
});

test('no request left the origin, no page errors', () => {
  assert.deepEqual(foreignRequests(requests, session.origin), []);
  assertNoProblemsIn(problems);
});
