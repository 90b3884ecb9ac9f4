// The mapping step and the options panel (issue 11, items 1 and 2): a file whose columns are not all
// guessed is mapped through the dropdowns and gives the CLI's figures for the same explicit columns; a
// confident file goes straight to the results; the mapping is remembered per header signature without
// any data value in localStorage; an option changes a figure by a hand-computed amount; the saved
// options file is accepted by `tierwise analyze --config` and gives the page's figures; the rules editor
// shows a gap and an overlap constructed by hand. Expected values come from hand calculation or the
// native CLI, never from the page itself.
//
//   TIERWISE_BIN=$PWD/target/release/tierwise node --test tests/e2e/mapping.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  ROOT,
  checkSiteBuilt,
  cliPath,
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

// Headers that name no role; two decimal columns: `v` is the amount, `w` a discount. Detection takes
// the rightmost decimal column (`w`) on weak evidence, so the page must open the mapping step.
const KWV_ROWS = [
  ['K-ALPHA', '2024-01-05', '10.50', '0.50'],
  ['K-BRAVO', '2024-01-20', '20.00', '1.00'],
  ['K-ALPHA', '2024-02-03', '5.25', '0.25'],
  ['K-CHARLIE', '2024-03-01', '8.00', '0.40'],
  ['K-BRAVO', '2024-03-15', '12.00', '0.60'],
  ['K-ALPHA', '2024-04-01', '3.00', '0.15'],
];
const KWV_CSV = ['k,when,v,w', ...KWV_ROWS.map((r) => r.join(','))].join('\n') + '\n';
// by hand: 10.50 + 20.00 + 5.25 + 8.00 + 12.00 + 3.00
const KWV_REVENUE = 58.75;
const KWV_COLUMNS = { customer: 'k', date: 'when', amount: 'v' };

// One order per customer; the analysis date is the latest day, 2024-06-30. Recency by hand:
// A 0, B 29 (June 1), C 60 (May 1: 31 + 29), D 121 (March 1: 31 + 30 + 31 + 29), E 181 (January 1 of a
// leap year: 31 + 29 + 31 + 30 + 31 + 29). inactive ⇔ recency ≥ churn.inactiveDays: with the default 90,
// D and E (2); with 30, C, D and E (3).
const INACTIVE_CSV = `customer_id,order_date,amount
A,2024-06-30,10.00
B,2024-06-01,20.00
C,2024-05-01,30.00
D,2024-03-01,40.00
E,2024-01-01,50.00
`;

let session;
let page;
let origin;
let tmp;
const files = {};
const cli = {};
const requests = [];
const problems = [];

before(async () => {
  checkSiteBuilt();
  tmp = mkdtempSync(path.join(tmpdir(), 'tierwise-mapping-'));
  const dir = subdirsOf(tmp);
  files.kwv = path.join(tmp, 'kwv.csv');
  writeFileSync(files.kwv, KWV_CSV);
  files.inactive = path.join(tmp, 'inactive.csv');
  writeFileSync(files.inactive, INACTIVE_CSV);
  files.euro = path.join(tmp, 'euro.csv');
  writeFileSync(files.euro, 'Kunde;Datum;Betrag\nA;2024-01-05;1.234\nB;2024-02-05;2.500\n');
  files.tiny = path.join(tmp, 'tiny.csv');
  writeFileSync(files.tiny, TINY_CSV);
  // customers A and B bought in DE (A: two DE rows, one FR row → DE by majority), C only in FR
  files.country = path.join(tmp, 'country.csv');
  writeFileSync(files.country, 'customer_id,order_date,amount,country\nA,2024-01-05,10,DE\nA,2024-02-05,10,DE\nA,2024-03-05,10,FR\nB,2024-02-10,20,DE\nC,2024-03-01,30,FR\n');
  cli.kwvAuto = runCli(files.kwv, dir('kwv-auto'));
  cli.kwv = runCli(files.kwv, dir('kwv'), { columns: KWV_COLUMNS });
  session = await openPageSession({ requests, problems, acceptDownloads: true });
  ({ page, origin } = session);
}, { timeout: TIMEOUT });

after(async () => {
  await session?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const dataValue = (testid) => dataValueOf(page, testid);
const waitForState = (s) =>
  page.waitForFunction((want) => twq('#status')?.dataset.state === want, s, { timeout: 60_000 });
const countIn = async (table, name) => {
  const v = await page.getAttribute(`${table} tr[data-name="${name}"] td[data-value]`, 'data-value');
  return v == null ? 0 : Number(v);
};

test('the CLI agrees that the file needs a mapping (detection takes w as the amount)', () => {
  assert.equal(cli.kwvAuto.summary.input.columns.amount, 'w', 'auto-detection picks the rightmost decimals');
  assert.equal(cli.kwv.summary.kpis.revenue, KWV_REVENUE, 'the CLI with explicit columns matches the hand sum');
});

test('a confident file goes straight to the results; "Change mapping" reopens the step', { timeout: TIMEOUT }, async () => {
  await page.setInputFiles('#file-input', files.tiny);
  await waitForRunOf(page);
  assert.equal(await page.isHidden('#mapping-step'), true, 'no mapping step for a confident file');
  assert.equal(Number(await dataValue('kpi-customers')), 2);
  await page.click('[data-testid="mapping-change"]');
  await page.waitForSelector('#mapping-step:not([hidden])');
  assert.equal(await page.getAttribute('#status', 'data-state'), 'mapping');
  // customer_id is column 1 of order_id,customer_id,order_date,amount, guessed with high confidence
  assert.equal(await page.inputValue('#map-customer'), '1');
  assert.equal(await page.getAttribute('[data-testid="map-status-customer"]', 'data-confidence'), 'high');
  assert.equal(await page.inputValue('#map-date'), '2');
  // the preview: the header row and two data rows
  const kinds = await page.$$eval('[data-testid="mapping-preview"] tbody tr', (trs) => trs.map((tr) => tr.dataset.kind));
  assert.deepEqual(kinds, ['header', 'data', 'data']);
  await page.click('#mapping-cancel');
  assert.equal(await page.isHidden('#mapping-step'), true);
});

test('columns not guessed are mapped through the dropdowns and give the CLI\'s figures', { timeout: TIMEOUT }, async () => {
  await page.evaluate(() => localStorage.clear());
  await page.setInputFiles('#file-input', files.kwv);
  await waitForState('mapping');
  assert.equal(await page.isVisible('#mapping-step'), true);
  // the guess: amount = w (column 3), flagged as weak
  assert.equal(await page.inputValue('#map-amount'), '3');
  assert.equal(await page.getAttribute('[data-testid="map-status-amount"]', 'data-confidence'), 'low');
  assert.match(await page.getAttribute('.map-role:has(#map-amount)', 'class'), /is-weak/);
  await page.selectOption('#map-amount', '2'); // v
  assert.match(await page.textContent('[data-testid="map-status-amount"]'), /chosen by you/);
  await page.click('#mapping-analyse');
  await waitForRunOf(page);
  assert.equal(Number(await dataValue('kpi-revenue')), cli.kwv.summary.kpis.revenue);
  assert.equal(Number(await dataValue('kpi-revenue')), KWV_REVENUE);
  assert.equal(Number(await dataValue('kpi-customers')), cli.kwv.summary.customers);
  assert.equal(Number(await dataValue('kpi-customers')), 3);
  assert.equal(Number(await dataValue('kpi-aov')), cli.kwv.summary.kpis.aov);
});

test('the mapping is remembered per header (names only, never data) and can be forgotten', { timeout: TIMEOUT }, async () => {
  const stored = await page.evaluate(() => Object.fromEntries(Object.entries(localStorage)));
  const keys = Object.keys(stored);
  assert.equal(keys.length, 1, `one remembered mapping: ${keys.join(', ')}`);
  assert.match(keys[0], /^tierwise\.mapping\.[0-9a-f]{16}$/);
  const text = JSON.stringify(stored);
  for (const row of KWV_ROWS) for (const cell of row) assert.ok(!text.includes(cell), `no data value "${cell}" in localStorage: ${text}`);
  assert.deepEqual(JSON.parse(stored[keys[0]]).columns, KWV_COLUMNS);

  // the same file again: straight to the results with the remembered mapping, and the page says so
  await page.setInputFiles('#file-input', files.kwv);
  await waitForRunOf(page);
  assert.equal(await page.isHidden('#mapping-step'), true);
  assert.equal(Number(await dataValue('kpi-revenue')), KWV_REVENUE);
  assert.equal(await page.isVisible('[data-testid="mapping-remembered"]'), true);

  await page.click('[data-testid="mapping-forget"]');
  assert.equal(await page.evaluate(() => localStorage.length), 0);
  await page.setInputFiles('#file-input', files.kwv);
  await waitForState('mapping');
  assert.equal(await page.inputValue('#map-amount'), '3', 'the guess again once forgotten');
  await page.click('#mapping-cancel');
  // the analysis on the page is still the mapped one: a re-run keeps its columns
  assert.equal(await page.isVisible('[data-testid="mapping-change"]'), true);
  await page.evaluate(() => {
    twq('#options-panel').open = true;
  });
  await page.click('#rerun');
  await waitForRunOf(page);
  assert.equal(Number(await dataValue('kpi-revenue')), KWV_REVENUE);
  await page.evaluate(() => {
    twq('#options-panel').open = false;
  });
});

test('churn.inactiveDays 90 → 30 adds exactly the customer with recency 60', { timeout: TIMEOUT }, async () => {
  await page.setInputFiles('#file-input', files.inactive);
  await waitForRunOf(page);
  assert.equal(await countIn('#churn-flags-table', 'inactive'), 2, 'D and E by hand');
  await page.evaluate(() => {
    twq('#options-panel').open = true;
  });
  assert.equal(await page.getAttribute('#opt-churn-inactive-days', 'placeholder'), '90', 'the default is shown');
  await page.fill('#opt-churn-inactive-days', '30');
  await page.click('#rerun');
  await waitForRunOf(page);
  assert.equal(await countIn('#churn-flags-table', 'inactive'), 3, 'C, D and E by hand');
});

test('an invalid option is reported next to its field with the core\'s message', { timeout: TIMEOUT }, async () => {
  await page.fill('#opt-rfm-bins', '12');
  await page.click('#rerun');
  await waitForState('error');
  const msg = await page.textContent('[data-testid="error-rfm.bins"]');
  assert.match(msg, /rfm\.bins/);
  assert.equal(await page.isVisible('[data-testid="error-rfm.bins"]'), true);
  await page.fill('#opt-rfm-bins', 'four');
  await page.click('#rerun').catch(() => {});
  await page.waitForFunction(() => twq('[data-testid="error-rfm.bins"]')?.textContent.includes('not a number'));
  await page.fill('#opt-rfm-bins', '');
});

test('saved options are the core\'s options object: the CLI with --config gives the page\'s figures', { timeout: TIMEOUT }, async () => {
  // inactiveDays is still 30 from the test above
  await page.fill('#opt-rfm-bins', '4');
  await page.fill('#opt-grades-abc-0', '0.7');
  await page.selectOption('#opt-segments-cn8-split', 'median');
  await page.click('[data-testid="rules-add"]');
  await page.click('[data-testid="rules-add"]');
  const rows = page.locator('[data-testid="rules-row"]');
  await rows.nth(0).locator('.rules-name').fill('Recent');
  await rows.nth(0).locator('[data-dim="r"][data-end="lo"]').fill('3');
  await rows.nth(0).locator('[data-dim="r"][data-end="hi"]').fill('4');
  await rows.nth(1).locator('.rules-name').fill('Rest');
  await rows.nth(1).locator('[data-dim="r"][data-end="lo"]').fill('1');
  await rows.nth(1).locator('[data-dim="r"][data-end="hi"]').fill('2');
  await page.waitForSelector('[data-testid="rules-ok"]'); // 4 bins: r 1–2 and 3–4 cover all 64 once
  await page.click('#rerun');
  await waitForRunOf(page);

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#options-save')]);
  const saved = path.join(tmp, 'options.json');
  await download.saveAs(saved);
  const options = JSON.parse(readFileSync(saved, 'utf8'));
  assert.deepEqual(options, {
    rfm: { bins: 4 },
    segments: { cn8Split: 'median', rules: [{ name: 'Recent', r: [3, 4] }, { name: 'Rest', r: [1, 2] }] },
    grades: { abc: [0.7, 0.95] },
    churn: { inactiveDays: 30 },
  });

  const out = path.join(tmp, 'config-summary.json');
  execFileSync(cliPath(), ['analyze', files.inactive, '--config', saved, '--summary', out, '--out', path.join(tmp, 'c.csv')], { cwd: ROOT });
  const s = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(s.options.rfm.bins, 4);
  assert.equal(s.options.churn.inactiveDays, 30);
  assert.equal(Number(await dataValue('kpi-customers')), s.customers);
  assert.equal(Number(await dataValue('kpi-revenue')), s.kpis.revenue);
  for (const [name, n] of Object.entries(s.churn.flags)) assert.equal(await countIn('#churn-flags-table', name), n, `flag ${name}`);
  for (const g of s.grades.abc) assert.equal(await countIn('#grade-abc-table', g.name), g.customers, `grade ${g.name}`);
  for (const g of s.lifecycle) assert.equal(await countIn('#lifecycle-table', g.name), g.customers, `stage ${g.name}`);
  assert.deepEqual(s.segments.custom.map((g) => g.name).filter((n) => n !== 'Others').sort(), ['Recent', 'Rest']);
});

test('the rules editor shows the gaps and overlaps of rules built by hand', { timeout: TIMEOUT }, async () => {
  await page.click('#options-reset');
  await page.click('[data-testid="rules-add"]');
  await page.click('[data-testid="rules-add"]');
  const rows = page.locator('[data-testid="rules-row"]');
  await rows.nth(0).locator('.rules-name').fill('Top');
  await rows.nth(0).locator('[data-dim="r"][data-end="lo"]').fill('4');
  await rows.nth(0).locator('[data-dim="r"][data-end="hi"]').fill('5');
  await rows.nth(1).locator('.rules-name').fill('Mid');
  await rows.nth(1).locator('[data-dim="r"][data-end="lo"]').fill('2');
  await rows.nth(1).locator('[data-dim="r"][data-end="hi"]').fill('4');
  // 5 bins: R = 1 is covered by no rule (1 × 5 × 5 = 25 combinations), R = 4 by both (25)
  await page.waitForSelector('[data-testid="rules-gaps"]');
  await page.waitForSelector('[data-testid="rules-overlaps"]');
  assert.equal(await page.getAttribute('[data-testid="rules-gaps"]', 'data-count'), '25');
  assert.equal(await page.getAttribute('[data-testid="rules-overlaps"]', 'data-count'), '25');
  assert.match(await page.textContent('[data-testid="rules-gaps"]'), /25 of 125 .*\b111\b/);
  assert.match(await page.textContent('[data-testid="rules-overlaps"]'), /411 \(Top, Mid\)/);
  // the Chinese page says the same
  await page.click('#lang-zh');
  await page.fill('#opt-rfm-bins', '');
  await rows.nth(1).locator('.rules-name').fill('Mid2');
  await page.waitForFunction(() => /Top, Mid2/.test(twq('[data-testid="rules-overlaps"]')?.textContent || ''));
  assert.match(await page.textContent('[data-testid="rules-overlaps"]'), /种组合被多条规则覆盖/);
  await page.click('#lang-en');
  // moving Mid2 up: the overlapping combinations now name it first
  await rows.nth(1).locator('[data-act="up"]').click();
  await page.waitForFunction(() => /Mid2, Top/.test(twq('[data-testid="rules-overlaps"]')?.textContent || ''));
  await rows.nth(0).locator('.rules-name').fill('Mid');
  await rows.nth(0).locator('[data-dim="r"][data-end="lo"]').fill('1');
  await rows.nth(0).locator('[data-dim="r"][data-end="hi"]').fill('3');
  await page.waitForSelector('[data-testid="rules-ok"]');
  assert.deepEqual(await rows.locator('.rules-name').evaluateAll((ns) => ns.map((n) => n.value)), ['Mid', 'Top']);
});

test('removing a rule brings its gap back', { timeout: TIMEOUT }, async () => {
  const rows = page.locator('[data-testid="rules-row"]');
  await rows.nth(0).locator('[data-testid="rules-remove"]').click();
  // Top (R 4–5) alone: R 1–3 uncovered, 3 × 25 = 75
  await page.waitForFunction(() => twq('[data-testid="rules-gaps"]')?.dataset.count === '75');
  await page.click('#options-reset');
});

test('"Save mapping" downloads an options object that the CLI accepts with --config', { timeout: TIMEOUT }, async () => {
  await page.setInputFiles('#file-input', files.kwv);
  await waitForState('mapping');
  await page.selectOption('#map-amount', '2'); // v
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#mapping-save')]);
  const saved = path.join(tmp, 'mapping.json');
  await download.saveAs(saved);
  assert.deepEqual(JSON.parse(readFileSync(saved, 'utf8')), { columns: KWV_COLUMNS });
  const out = path.join(tmp, 'mapping-summary.json');
  execFileSync(cliPath(), ['analyze', files.kwv, '--config', saved, '--summary', out, '--out', path.join(tmp, 'm.csv')], { cwd: ROOT });
  assert.equal(JSON.parse(readFileSync(out, 'utf8')).kpis.revenue, KWV_REVENUE);
  await page.click('#mapping-cancel');
  await page.evaluate(() => localStorage.clear());
});

test('the decimal separator chosen in the mapping step reads 1.234 as 1234', { timeout: TIMEOUT }, async () => {
  // all three names are exact German names: a confident file. Each value votes "either" (one point,
  // three digits), so auto reads a decimal point: 1.234 + 2.500 = 3.734; with "," they are 1234 + 2500.
  await page.setInputFiles('#file-input', files.euro);
  await waitForRunOf(page);
  assert.equal(Number(await dataValue('kpi-revenue')), 3.734);
  await page.click('[data-testid="mapping-change"]');
  await page.waitForSelector('#mapping-step:not([hidden])');
  await page.selectOption('#mapping-decimal', ',');
  await page.waitForFunction(() => twq('#opt-decimal')?.value === ',');
  await page.click('#mapping-analyse');
  await waitForRunOf(page);
  assert.equal(Number(await dataValue('kpi-revenue')), 3734);
  await page.evaluate(() => {
    twq('#options-panel').open = true;
  });
  await page.selectOption('#opt-decimal', 'auto');
  await page.evaluate(() => localStorage.clear());
});

test('"Load options" fills the fields from a saved options file', { timeout: TIMEOUT }, async () => {
  const file = path.join(tmp, 'load.json');
  writeFileSync(file, JSON.stringify({ churn: { inactiveDays: 45 }, rfm: { mode: 'rank' }, cancelPrefix: null, grades: { ladder: [['Top', 0.1], ['All', 1]] } }));
  await page.setInputFiles('#options-load', file);
  await page.waitForFunction(() => twq('#options-note')?.dataset.key === 'optsLoaded');
  assert.equal(await page.inputValue('#opt-churn-inactive-days'), '45');
  assert.equal(await page.inputValue('#opt-rfm-mode'), 'rank');
  assert.equal(await page.isChecked('#opt-cancel-prefix-none'), true);
  assert.equal(await page.inputValue('#opt-grades-ladder'), 'Top=0.1, All=1');
  await page.click('#options-reset');
  assert.equal(await page.inputValue('#opt-churn-inactive-days'), '');
});

test('worker protocol: inspect answers with the lenient inspection and its preview', { timeout: TIMEOUT }, async () => {
  const r = await page.evaluate(async ({ kwv, noDate }) => {
    const worker = new Worker(new URL('./worker.js', document.baseURI), { type: 'module' });
    const answers = new Map();
    const wait = (id) => new Promise((resolve) => answers.set(id, resolve));
    worker.onmessage = ({ data }) => answers.get(data.id)?.(data);
    const ask = (msg) => {
      const p = wait(msg.id);
      worker.postMessage(msg);
      return p;
    };
    const a = await ask({ type: 'inspect', id: 'i1', bytes: new TextEncoder().encode(kwv).buffer });
    const b = await ask({ type: 'inspect', id: 'i2', file: new File([noDate], 'no-date.csv') });
    const c = await ask({ type: 'inspect', id: 'i3', bytes: new TextEncoder().encode(kwv).buffer, options: { decimal: ';' } });
    worker.terminate();
    return {
      a: { type: a.type, kinds: a.inspection.preview.map((p) => p.kind), first: a.inspection.preview[1].cells, names: a.inspection.columns.map((c) => c.name), missing: a.inspection.missing },
      b: { type: b.type, missing: b.inspection.missing?.code, date: b.inspection.mapping.date, rows: b.inspection.preview.length },
      c: { type: c.type, code: c.code, key: c.params?.key },
    };
  }, { kwv: KWV_CSV, noDate: 'k,v\nA,1.5\nB,2.5\nA,3.5\n' });
  assert.deepEqual(r.a, {
    type: 'inspection',
    kinds: ['header', 'data', 'data', 'data', 'data', 'data', 'data'],
    first: KWV_ROWS[0],
    names: ['k', 'when', 'v', 'w'],
    missing: null,
  });
  assert.deepEqual(r.b, { type: 'inspection', missing: 'no_date_column', date: null, rows: 4 });
  assert.deepEqual(r.c, { type: 'error', code: 'invalid_option', key: 'decimal' });
});

test('no request left the page\'s origin and no error was logged', () => {
  assert.deepEqual(foreignRequests(requests, origin), []);
  assertNoProblemsIn(problems);
});

test('dimensions chosen in the mapping step become the Dimensions field and give the breakdowns', { timeout: TIMEOUT }, async () => {
  await page.evaluate(() => localStorage.clear());
  await page.setInputFiles('#file-input', files.country);
  await waitForRunOf(page); // a confident file goes straight to the results
  await page.click('[data-testid="mapping-change"]');
  await waitForState('mapping');
  await page.selectOption('#map-dimensions', ['3']); // country
  await page.click('#mapping-analyse');
  await waitForRunOf(page);
  assert.equal(await page.inputValue('#opt-dimensions'), 'country', 'one list for both controls');
  // by hand: DE = A (2 of 3 rows) and B; FR = C
  const totals = await page.$$eval('[data-testid="dim-table-rfm11"] tbody tr', (trs) =>
    trs.map((tr) => [tr.dataset.value, Number(tr.querySelector('td.total').dataset.value)]));
  assert.deepEqual(totals, [['DE', 2], ['FR', 1]]);
});
