// Dimensions on the page (docs/input.md#dimensions, #filter): the "Dimensions" options field, the
// breakdown tables under the segment and grade tables, the page-wide filter bar that re-runs the
// analysis with options.filter, and the drill-down event of a breakdown cell. Expected values come from
// the native CLI on the same file with the same options, and from a hand count of the small file below.
//
//   TIERWISE_BIN=$PWD/target/release/tierwise node --test tests/e2e/dimensions.test.mjs
//
// Needs what page.test.mjs needs (scripts/build.sh, the CLI, Debian chromium).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  checkSiteBuilt,
  runCli,
  openPageSession,
  waitForRunOf,
  subdirsOf,
  dataValueOf,
  assertNoProblemsIn,
  foreignRequests,
} from './helpers.mjs';

const TIMEOUT = 120_000;

// 12 customers, 21 rows. By hand, each customer's country (the value on most of their order rows;
// ties: the latest order, then code-point order; the return C21 does not count):
//   DE: c01, c02, c03, c04, c05 (DE twice, AT once)            → 5
//   AT: c06, c07, c08, c09 (DE and AT on the same day: AT < DE) → 4
//   FR: c10, c11                                                → 2
//   (empty): c12                                                → 1
// The filter country = DE keeps rows 1–9, 15 and C21 (11 rows) of c01 … c05 and c09: 6 customers;
// the other 10 rows are filtered out.
const SHOP = `order_id,customer_id,order_date,amount,country,channel
1,c01,2024-01-05,120,DE,web
2,c01,2024-03-01,80,DE,web
3,c02,2024-02-10,40,DE,store
4,c03,2024-03-20,300,DE,web
5,c03,2024-05-02,150,DE,web
6,c03,2024-06-01,90,DE,store
7,c04,2024-04-11,25,DE,store
8,c05,2024-01-15,60,DE,web
9,c05,2024-02-15,65,DE,web
10,c05,2024-05-15,70,AT,web
11,c06,2024-02-01,500,AT,store
12,c06,2024-06-20,450,AT,store
13,c07,2024-03-03,35,AT,web
14,c08,2024-01-25,15,AT,web
15,c09,2024-04-04,55,DE,web
16,c09,2024-04-04,45,AT,store
17,c10,2024-05-05,220,FR,web
18,c10,2024-06-25,210,FR,web
19,c11,2024-06-10,30,FR,
20,c12,2024-02-28,12,,web
C21,c03,2024-06-02,-20,DE,store
`;
const DIMENSIONS = { columns: { dimensions: ['country', 'channel'] } };

let session;
let origin;
let page;
let tmp;
let file;
const cli = {};
const requests = [];
const problems = [];

before(async () => {
  checkSiteBuilt();
  tmp = mkdtempSync(path.join(tmpdir(), 'tierwise-dims-'));
  const dir = subdirsOf(tmp);
  file = path.join(tmp, 'shop.csv');
  writeFileSync(file, SHOP);
  cli.dims = runCli(file, dir('dims'), DIMENSIONS);
  cli.filtered = runCli(file, dir('filtered'), { ...DIMENSIONS, filter: { country: ['DE'] } });
  session = await openPageSession({ requests, problems, acceptDownloads: true });
  ({ origin, page } = session);
  await page.evaluate(() => {
    window.__drill = [];
    twHost().addEventListener('tierwise-filter', (e) => window.__drill.push(e.detail));
  });
}, { timeout: TIMEOUT });

after(async () => {
  await session?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const waitForRun = () => waitForRunOf(page);

/** A breakdown table as shown: value → { name → customers } and value → total. */
function breakdown(kind) {
  return page.$eval(`[data-testid="dim-table-${kind}"]`, (table) => {
    const names = [...table.querySelectorAll('thead th[data-name]')].map((th) => th.dataset.name);
    const cells = {};
    const totals = {};
    for (const tr of table.querySelectorAll('tbody tr[data-value]')) {
      const tds = [...tr.querySelectorAll('td')];
      cells[tr.dataset.value] = Object.fromEntries(
        names.map((n, i) => [n, Number(tds[i].dataset.value)]).filter(([, c]) => c > 0),
      );
      totals[tr.dataset.value] = Number(tds[names.length].dataset.value);
    }
    return { names, cells, totals, order: Object.keys(totals) };
  });
}

/** The same out of the CLI's summary.dimensions[d] for grouping `group`.`kind`. */
function cliBreakdown(summary, d, group, kind) {
  const dim = summary.dimensions[d];
  return {
    cells: Object.fromEntries(dim.values.map((v) => [v.value, v[group][kind]])),
    totals: Object.fromEntries(dim.values.map((v) => [v.value, v.customers])),
    order: dim.values.map((v) => v.value),
  };
}

test('the Dimensions field maps the columns and the breakdowns equal the CLI', { timeout: TIMEOUT }, async () => {
  await page.click('[data-testid="options-panel"] > summary');
  await page.fill('#opt-dimensions', 'country, channel');
  await page.press('#opt-dimensions', 'Tab');
  await page.setInputFiles('#file-input', file);
  await waitForRun();

  const seg = await breakdown('rfm11');
  const want = cliBreakdown(cli.dims.summary, 0, 'segments', 'rfm11');
  assert.deepEqual(seg.cells, want.cells);
  assert.deepEqual(seg.totals, want.totals);
  assert.deepEqual(seg.order, want.order);
  // and by hand: DE 5, AT 4, FR 2, (empty) 1, in that order
  assert.deepEqual(seg.totals, { DE: 5, AT: 4, FR: 2, '': 1 });
  assert.deepEqual(seg.order, ['DE', 'AT', 'FR', '']);

  for (const kind of ['abc', 'ladder']) {
    const got = await breakdown(kind);
    const exp = cliBreakdown(cli.dims.summary, 0, 'grades', kind);
    assert.deepEqual(got.cells, exp.cells, kind);
    assert.deepEqual(got.totals, exp.totals, kind);
  }

  // the 8 classes toggle switches the segment breakdown too
  await page.click('[data-testid="seg-cn8"]');
  const cn8 = await breakdown('cn8');
  assert.deepEqual(cn8.cells, cliBreakdown(cli.dims.summary, 0, 'segments', 'cn8').cells);
  await page.click('[data-testid="seg-rfm11"]');

  // the second dimension: channel (c09: web and store on the same day → store; c11 has none)
  await page.selectOption('#dim-segment-breakdown [data-testid="dim-chooser"]', '1');
  const ch = await breakdown('rfm11');
  assert.deepEqual(ch.totals, cliBreakdown(cli.dims.summary, 1, 'segments', 'rfm11').totals);
  assert.deepEqual(ch.totals, { web: 7, store: 4, '': 1 });
  await page.selectOption('#dim-segment-breakdown [data-testid="dim-chooser"]', '0');
  assertNoProblemsIn(problems);
});

test('the export carries the dimension columns as the CLI writes them', { timeout: TIMEOUT }, async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-csv"]')]);
  const bytes = readFileSync(await download.path());
  assert.ok(bytes.equals(cli.dims.csv), 'the exported CSV differs from the CLI');
  const header = bytes.toString('utf8').split('\n')[0];
  assert.ok(header.endsWith(',action,dim:country,dim:channel'), header);
});

test('a breakdown cell emits the drill-down event with both filters', { timeout: TIMEOUT }, async () => {
  const cell = page.locator('[data-testid="dim-table-rfm11"] tbody tr[data-value="AT"] button.dim-cell').first();
  const name = await cell.getAttribute('data-name');
  const count = Number(await cell.textContent());
  assert.equal(count, cli.dims.summary.dimensions[0].values.find((v) => v.value === 'AT').segments.rfm11[name]);
  const title = await cell.getAttribute('title');
  const revenue = cli.dims.summary.dimensions[0].values.find((v) => v.value === 'AT').segmentRevenue.rfm11[name];
  assert.ok(title.includes(revenue.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })), title);
  await cell.click();
  const events = await page.evaluate(() => window.__drill);
  assert.deepEqual(events.at(-1), {
    filters: [{ column: 'dim:country', value: 'AT' }, { column: 'segmentRfm11', value: name }],
    mode: 'replace',
  });
  const grade = page.locator('[data-testid="dim-table-abc"] tbody tr[data-value="DE"] button.dim-cell').first();
  const g = await grade.getAttribute('data-name');
  await grade.click();
  assert.deepEqual((await page.evaluate(() => window.__drill)).at(-1), {
    filters: [{ column: 'dim:country', value: 'DE' }, { column: 'gradeAbc', value: g }],
    mode: 'replace',
  });
});

test('the filter bar re-runs with options.filter: the customers equal the CLI and the hand count', { timeout: TIMEOUT }, async () => {
  const select = '[data-testid="dim-filter"][data-column="country"]';
  const options = await page.$$eval(`${select} option`, (os) => os.map((o) => o.value));
  assert.deepEqual(options, ['', '=DE', '=AT', '=FR', '=']);
  await page.selectOption(select, '=DE');
  await page.waitForSelector('[data-testid="dim-filter-note"]', { timeout: 60_000 });
  await waitForRun();
  const customers = Number(await dataValueOf(page, 'kpi-customers'));
  assert.equal(customers, 6);
  assert.equal(customers, cli.filtered.summary.customers);
  assert.equal(cli.filtered.summary.input.excluded.filteredOut, 10);
  const note = await page.textContent('[data-testid="dim-filter-note"]');
  assert.match(note, /\b10 rows left out/);
  // the breakdown is of the filtered data, and equals the CLI's with the same filter
  const seg = await breakdown('rfm11');
  const exp = cliBreakdown(cli.filtered.summary, 0, 'segments', 'rfm11');
  assert.deepEqual(seg.cells, exp.cells);
  // by hand: of c09 only the DE row is kept, so all six are DE
  assert.deepEqual(seg.totals, { DE: 6 });
  // the choices stay those of the unfiltered run, DE chosen
  assert.deepEqual(await page.$$eval(`${select} option`, (os) => os.map((o) => o.value)), ['', '=DE', '=AT', '=FR', '=']);
  assert.equal(await page.$eval(select, (s) => s.value), '=DE');
  // the export is the filtered analysis too
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-csv"]')]);
  assert.ok(readFileSync(await download.path()).equals(cli.filtered.csv), 'the filtered export differs from the CLI');

  await page.click('[data-testid="dim-filter-clear"]');
  await page.waitForFunction(() => !twq('[data-testid="dim-filter-note"]'));
  await waitForRun();
  assert.equal(Number(await dataValueOf(page, 'kpi-customers')), 12);
  assertNoProblemsIn(problems);
});

test('the breakdowns and the filter bar in Chinese', { timeout: TIMEOUT }, async () => {
  await page.click('#lang-zh');
  const all = await page.$eval('[data-testid="dim-filter"][data-column="country"] option', (o) => o.textContent);
  assert.equal(all, '全部');
  const heading = await page.textContent('#dim-segment-breakdown h3');
  assert.equal(heading, '按“country”细分的客户分群');
  const empty = await page.$eval('[data-testid="dim-table-rfm11"] tbody tr[data-value=""] th', (th) => th.textContent);
  assert.equal(empty, '（空）');
  // segment names as the Chinese summary names them
  const names = await page.$$eval('[data-testid="dim-table-rfm11"] thead th[data-name]', (ths) =>
    ths.map((th) => [th.dataset.name, th.textContent]));
  const zh = new Map(cli.dims.summary.segments.rfm11.map((x) => [x.name, x.nameZh]));
  for (const [name, text] of names) assert.equal(text, zh.get(name), name);
  await page.click('#lang-en');
  assertNoProblemsIn(problems);
  assert.deepEqual(foreignRequests(requests, origin), []);
});
