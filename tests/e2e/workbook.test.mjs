// Workbooks on the page (docs/input.md#workbooks): a CSV run never fetches the workbook module; an .xlsx
// upload loads it, converts the first sheet and shows the numbers worked out by hand; the sheet option
// picks another sheet; a missing sheet is a coded error shown in both languages; the workbook module
// itself loads and converts in Chromium.
//
//   node --test tests/e2e/workbook.test.mjs
//
// Needs scripts/build.sh (www/pkg, www/pkg-workbook) and Debian chromium.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import {
  ROOT,
  TINY_CSV,
  assertNoProblemsIn,
  checkSiteBuilt,
  dataValueOf,
  foreignRequests,
  openPageSession,
  waitForRunOf,
} from './helpers.mjs';

const TIMEOUT = 120_000;
const FIXTURES = path.join(ROOT, 'tests/fixtures/workbooks');
const XLSX = readFileSync(path.join(FIXTURES, 'orders.xlsx'));
const ODS = readFileSync(path.join(FIXTURES, 'orders.ods'));
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let session;
let page;
const requests = [];
const problems = [];

before(async () => {
  checkSiteBuilt();
  session = await openPageSession({ requests, problems });
  ({ page } = session);
}, { timeout: TIMEOUT });

after(async () => {
  await session?.close();
});

const workbookRequests = () => requests.filter((u) => u.includes('/pkg-workbook/'));

async function upload(name, buffer, mimeType) {
  await page.setInputFiles('#file-input', { name, mimeType, buffer });
}

async function setSheet(value) {
  await page.evaluate(() => {
    twq('#options-panel').open = true;
  });
  await page.fill('#opt-sheet', value);
}

test('a CSV run never requests the workbook module', { timeout: TIMEOUT }, async () => {
  await upload('tiny.csv', Buffer.from(TINY_CSV), 'text/csv');
  await waitForRunOf(page);
  assert.equal(await dataValueOf(page, 'kpi-customers'), '2');
  assert.deepEqual(workbookRequests(), [], 'the workbook module was fetched for a CSV');
});

test('the file picker offers workbooks, and the drop zone says so in both languages', { timeout: TIMEOUT }, async () => {
  const accept = (await page.getAttribute('#file-input', 'accept')).split(',');
  for (const ext of ['.csv', '.tsv', '.txt', '.xlsx', '.xls', '.ods']) assert.ok(accept.includes(ext), ext);
  await page.click('#lang-zh');
  assert.match(await page.textContent('#drop-title'), /Excel/);
  await page.click('#lang-en');
  assert.match(await page.textContent('#drop-title'), /Excel/);
});

test('an .xlsx upload is converted in the worker and analysed', { timeout: TIMEOUT }, async () => {
  // tests/fixtures/workbooks/make_workbooks.py, sheet "Orders": rows 3, 4, 6, 7, 8, 9 (6 rows); row 8 has
  // #N/A as amount (rejected); customers 007 (10), A (120 + 60.25), B (80.5), C (0.1 + 0.2 = 0.3):
  // revenue 10 + 180.25 + 80.5 + 0.3 = 271.05
  await upload('orders.xlsx', XLSX, XLSX_TYPE);
  await waitForRunOf(page);
  assert.equal(await dataValueOf(page, 'kpi-customers'), '4');
  assert.equal(Number(await dataValueOf(page, 'kpi-revenue')), 271.05);
  assert.equal(await dataValueOf(page, 'dq-rows'), '6');
  assert.equal(await dataValueOf(page, 'dq-used'), '5');
  assert.equal(await dataValueOf(page, 'dq-rejected'), '1');
  assert.equal(await dataValueOf(page, 'dq-workbook'), 'Orders');
  assert.match(await page.textContent('#dq-workbook'), /xlsx workbook; sheets "Orders", "Q2", "Notes"/);
  const titles = await page.$$eval('[data-testid="dq-rejected-table"] [title]', (els) => els.map((e) => e.title));
  assert.ok(titles.some((t) => t.startsWith('row 8: could not parse amount "#N/A"')), titles.join(' | '));
  // the module was fetched once, from the site itself
  assert.ok(workbookRequests().some((u) => u.endsWith('/pkg-workbook/tierwise_workbook_bg.wasm')), workbookRequests().join('\n'));
  assert.deepEqual(foreignRequests(requests, session.origin), []);
});

test('the sheet option picks another sheet; a missing one is named in both languages', { timeout: TIMEOUT }, async () => {
  // sheet "Q2": one order of E, 5 on 2024-04-01
  await setSheet('q2');
  await page.click('#rerun');
  await waitForRunOf(page);
  assert.equal(await dataValueOf(page, 'kpi-customers'), '1');
  assert.equal(await dataValueOf(page, 'dq-workbook'), 'Q2');

  await setSheet('Q3');
  await page.click('#rerun');
  await page.waitForSelector('#error:not([hidden]) .error-message', { timeout: 60_000 });
  const en = (await page.textContent('#error .error-message')).trim();
  assert.equal(
    en,
    'the workbook has no sheet "Q3"; its sheets are "Orders", "Q2", "Notes" (set options.sheet to a name or a 0-based index)',
  );
  await page.click('#lang-zh');
  const zh = (await page.textContent('#error .error-message')).trim();
  assert.equal(zh, '工作簿中没有工作表“Q3”；现有工作表："Orders", "Q2", "Notes"（请把 options.sheet 设为工作表名称或从 0 开始的序号）');
  await page.click('#lang-en');
  await setSheet('');
  assertNoProblemsIn(problems);
});

test('the workbook module loads and converts in Chromium on its own', { timeout: TIMEOUT }, async () => {
  const out = await page.evaluate(async (odsBytes) => {
    const wb = await import('/pkg-workbook/tierwise_workbook.js');
    await wb.default();
    const bytes = new Uint8Array(odsBytes);
    const info = wb.sheetNames(bytes);
    const q2 = wb.sheetToCsv(bytes, 1);
    let error = null;
    try {
      wb.sheetToCsv(bytes, 'nope');
    } catch (e) {
      error = { message: e.message, code: e.code, params: e.params };
    }
    return { info, csv: new TextDecoder().decode(q2.csv), sheet: q2.sheet, error };
  }, [...ODS]);
  assert.deepEqual(out.info, { format: 'ods', sheets: ['Orders', 'Q2', 'Notes'] });
  assert.equal(out.sheet, 'Q2');
  assert.equal(out.csv, 'customer_id,order_date,amount\nE,2024-04-01,5\n');
  assert.equal(out.error.code, 'no_such_sheet');
  assert.deepEqual(out.error.params, { sheet: 'nope', sheets: '"Orders", "Q2", "Notes"' });
});
