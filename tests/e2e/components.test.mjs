// The web components on the demo page (www/index.html is one <tierwise-app>) and beside it: the public
// events (tierwise-result, tierwise-select), the `lang` attribute, one workbench per page, styles kept
// inside the shadow root, and the single cards (<tierwise-segments>, <tierwise-grades>,
// <tierwise-rfm-heatmap>, <tierwise-customers>) fed by a client of the package or by a `src` file.
// Expected numbers come from the CLI on the same file (its summary, and counts over its customers CSV).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { WWW, checkSiteBuilt, csvRecords, openPageSession, runCli } from './helpers.mjs';

const TIMEOUT = 180_000;
let session;
let page;
let tmp;
let cli;
const requests = [];
const problems = [];

before(async () => {
  checkSiteBuilt();
  tmp = mkdtempSync(path.join(tmpdir(), 'tierwise-components-'));
  mkdirSync(path.join(tmp, 'cli'));
  cli = runCli(path.join(WWW, 'sample.csv'), path.join(tmp, 'cli'));
  session = await openPageSession({ requests, problems });
  page = session.page;
  // every public event the page hears, in order
  await page.evaluate(() => {
    window.__events = [];
    for (const name of ['tierwise-result', 'tierwise-select']) {
      document.addEventListener(name, (ev) => window.__events.push({ name, target: ev.target.localName, detail: JSON.parse(JSON.stringify(ev.detail)) }));
    }
  });
}, { timeout: TIMEOUT });

after(async () => {
  await session?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Customers per value of CSV column `name` in the CLI's customers CSV, counted here. */
function countBy(name) {
  const rows = csvRecords(cli.csv.toString('utf8'));
  const col = rows[0].indexOf(name);
  assert.ok(col >= 0, `the CSV has ${name}`);
  const counts = {};
  for (const r of rows.slice(1)) counts[r[col]] = (counts[r[col]] ?? 0) + 1;
  return counts;
}

test('the demo page is one <tierwise-app>; its styles stay in its shadow root', { timeout: TIMEOUT }, async () => {
  const page0 = await page.evaluate(() => ({
    apps: document.querySelectorAll('tierwise-app').length,
    shadow: Boolean(document.querySelector('tierwise-app').shadowRoot),
    // the document has only its own sheet (page.css): the workbench's are adopted by its shadow root
    documentSheets: [...document.styleSheets].map((s) => s.href?.split('/').pop() ?? 'inline'),
    adopted: document.adoptedStyleSheets.length,
    inside: document.querySelector('tierwise-app').shadowRoot.adoptedStyleSheets.length,
    // nothing of the workbench outside it
    outsideIds: ['status', 'results', 'file-input'].filter((id) => document.getElementById(id)),
  }));
  assert.deepEqual(page0, { apps: 1, shadow: true, documentSheets: ['page.css'], adopted: 0, inside: 1, outsideIds: [] });
});

test('the page themes the workbench through ::part and custom properties, and nothing else', { timeout: TIMEOUT }, async () => {
  const got = await page.evaluate(async () => {
    const style = document.createElement('style');
    // a page's blunt rules: only the ::part and the custom property may reach inside
    style.textContent = 'tierwise-app::part(header) { background: rgb(1, 2, 3); } tierwise-app { --accent: rgb(200, 0, 0); } '
      + 'button, h2 { color: rgb(0, 255, 0) !important; font-family: fantasy !important; }';
    document.head.append(style);
    await new Promise((resolve) => setTimeout(resolve, 500)); // the buttons' colour transition (0.15 s)
    const root = document.querySelector('tierwise-app').shadowRoot;
    const out = {
      header: getComputedStyle(root.querySelector('.site-header')).backgroundColor,
      primary: getComputedStyle(root.querySelector('.btn-primary')).backgroundColor,
      buttonColor: getComputedStyle(root.querySelector('#load-sample')).color,
      h2Font: getComputedStyle(root.querySelector('h2')).fontFamily,
    };
    style.remove();
    return out;
  });
  assert.equal(got.header, 'rgb(1, 2, 3)');
  assert.equal(got.primary, 'rgb(200, 0, 0)');
  assert.notEqual(got.buttonColor, 'rgb(0, 255, 0)');
  assert.doesNotMatch(got.h2Font, /fantasy/);
});

test('tierwise-result tells the page the analysis is shown', { timeout: TIMEOUT }, async () => {
  await page.getByTestId('load-sample').click();
  await page.waitForFunction(() => window.__events.some((e) => e.name === 'tierwise-result'), null, { timeout: 60_000 });
  const ev = await page.evaluate(() => window.__events.find((e) => e.name === 'tierwise-result'));
  assert.equal(ev.target, 'tierwise-app');
  assert.equal(ev.detail.customerCount, cli.summary.customers);
  assert.equal(ev.detail.summary.analysisDate, cli.summary.analysisDate);
});

test('a click on a grade row sends tierwise-select with the grade', { timeout: TIMEOUT }, async () => {
  await page.evaluate(() => (window.__events.length = 0));
  await page.locator('#grade-abc-table button.drill').first().click();
  await page.waitForFunction(() => window.__events.some((e) => e.name === 'tierwise-select'));
  const ev = await page.evaluate(() => window.__events.find((e) => e.name === 'tierwise-select'));
  const first = (await page.locator('#grade-abc-table button.drill').first().getAttribute('data-filter-value'));
  assert.deepEqual(
    { target: ev.target, kind: ev.detail.kind, column: ev.detail.column, grade: ev.detail.grade, filters: ev.detail.filters },
    { target: 'tierwise-app', kind: 'grade', column: 'gradeAbc', grade: first, filters: [{ column: 'gradeAbc', value: first }] },
  );
  // and the list now holds that grade's customers (counted over the CLI's CSV)
  await page.waitForFunction((n) => twq('#customer-range')?.dataset.total === String(n), countBy('grade_abc')[first], { timeout: 30_000 });
  await page.click('#filters-clear');
});

test('the lang attribute switches the workbench, and the toggle sets the attribute', { timeout: TIMEOUT }, async () => {
  await page.evaluate(() => document.querySelector('tierwise-app').setAttribute('lang', 'zh'));
  await page.waitForFunction(() => twq('#load-sample').textContent === '加载示例数据');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN', 'manage-page keeps <html lang>');
  await page.click('#lang-en');
  assert.equal(await page.getAttribute('tierwise-app', 'lang'), 'en');
  assert.equal(await page.textContent('#load-sample'), 'Load sample data');
});

test('a second <tierwise-app> says there is one per page and leaves the first alone', { timeout: TIMEOUT }, async () => {
  const text = await page.evaluate(() => {
    const second = document.createElement('tierwise-app');
    document.body.append(second);
    const t = second.shadowRoot.textContent;
    second.remove();
    return t;
  });
  assert.match(text, /only one <tierwise-app> per page/);
  assert.equal(Number(await page.getAttribute('[data-testid="kpi-customers"]', 'data-value')), cli.summary.customers);
  assert.deepEqual(problems, []);
});
