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

test('a card with src analyses the file itself, in its own language (<tierwise-grades src lang=zh>)', { timeout: TIMEOUT }, async () => {
  await page.evaluate(() => {
    window.__cardEvents = [];
    const card = document.createElement('tierwise-grades');
    card.id = 'card-grades';
    card.setAttribute('lang', 'zh');
    card.addEventListener('tierwise-result', (ev) => window.__cardEvents.push(ev.detail.customerCount));
    card.setAttribute('src', 'sample.csv');
    document.body.append(card);
  });
  await page.waitForFunction(() => window.__cardEvents.length === 1, null, { timeout: 60_000 });
  assert.deepEqual(await page.evaluate(() => window.__cardEvents), [cli.summary.customers]);
  const card = page.locator('#card-grades');
  await card.locator('#grade-abc-table tbody tr').first().waitFor();
  const rows = await card.locator('#grade-abc-table tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [tr.querySelector('button.drill')?.dataset.filterValue, Number(tr.querySelector('td[data-value]')?.dataset.value)]));
  const counts = countBy('grade_abc');
  assert.deepEqual(Object.fromEntries(rows), counts);
  assert.equal(await card.locator('h2').first().textContent(), '价值分级');
  // the workbench beside it stays in English
  assert.equal(await page.textContent('#load-sample'), 'Load sample data');
  // a click on a grade in the card: tierwise-select from the card, the workbench's list untouched
  const before = await page.getAttribute('#customer-range', 'data-total');
  await page.evaluate(() => (window.__events.length = 0));
  await card.locator('#grade-abc-table button.drill').first().click();
  await page.waitForFunction(() => window.__events.some((e) => e.name === 'tierwise-select'));
  const ev = await page.evaluate(() => window.__events.find((e) => e.name === 'tierwise-select'));
  assert.equal(ev.target, 'tierwise-grades');
  assert.equal(ev.detail.kind, 'grade');
  assert.equal(await page.getAttribute('#customer-range', 'data-total'), before);
});

test('cards fed by one client: the heatmap cells and the customer pages come from it', { timeout: TIMEOUT }, async () => {
  const total = await page.evaluate(async () => {
    const { createTierwise } = await import('./client.js');
    const tw = await createTierwise();
    window.__tw = tw;
    const heat = document.createElement('tierwise-rfm-heatmap');
    heat.id = 'card-heat';
    const list = document.createElement('tierwise-customers');
    list.id = 'card-list';
    document.body.append(heat, list);
    heat.client = tw;
    list.client = tw;
    const bytes = await (await fetch('sample.csv')).arrayBuffer();
    return (await tw.analyze(bytes)).customerCount;
  });
  assert.equal(total, cli.summary.customers);
  const heat = page.locator('#card-heat');
  await heat.locator('#chart-cards[data-state="done"]').waitFor({ state: 'attached', timeout: 60_000 });
  // the data table of the heatmap: customers per (R, F), counted over the CLI's CSV
  const cells = await heat.locator('[data-testid="table-heatmap"] button.chart-filter').count();
  assert.ok(cells > 0, 'the heatmap has cells');
  const rows = csvRecords(cli.csv.toString('utf8'));
  const [r, f] = [rows[0].indexOf('r_score'), rows[0].indexOf('f_score')];
  const n55 = rows.slice(1).filter((x) => x[r] === '5' && x[f] === '5').length;
  const shown = await heat.locator('[data-testid="table-heatmap"] tbody tr').first().locator('td').last().getAttribute('data-value');
  assert.equal(Number(shown), n55, 'R 5 × F 5 (top row, last column)');
  // the customer card pages through all customers with the client
  const list = page.locator('#card-list');
  await list.locator('[data-testid="customer-row"]').first().waitFor();
  assert.equal(await list.locator('#customer-range').getAttribute('data-total'), String(cli.summary.customers));
  await list.locator('#page-last').click();
  await page.waitForFunction((n) => document.querySelector('#card-list').shadowRoot.querySelector('#customer-range').dataset.to === String(n), cli.summary.customers);
  // a filter from a tierwise-select detail
  await page.evaluate(() => (document.querySelector('#card-list').filter = [{ column: 'rScore', value: 5 }, { column: 'fScore', value: 5 }]));
  await page.waitForFunction((n) => document.querySelector('#card-list').shadowRoot.querySelector('#customer-range').dataset.total === String(n), n55);
  await page.evaluate(() => window.__tw.dispose());
  assert.deepEqual(problems, []);
});

test("cards keep their own language after drawing, their own heatmap switch, and show their client's failure", { timeout: TIMEOUT }, async () => {
  await page.evaluate(async () => {
    const { createTierwise } = await import('./client.js');
    const tw = await createTierwise();
    window.__tw2 = tw;
    window.__errors = [];
    const seg = Object.assign(document.createElement('tierwise-segments'), { id: 'card-seg-zh' });
    seg.setAttribute('lang', 'zh');
    const heatA = Object.assign(document.createElement('tierwise-rfm-heatmap'), { id: 'card-heat-a' });
    const heatB = Object.assign(document.createElement('tierwise-rfm-heatmap'), { id: 'card-heat-b' });
    document.body.append(seg, heatA, heatB);
    for (const card of [seg, heatA, heatB]) {
      card.client = tw;
      card.addEventListener('tierwise-error', (ev) => window.__errors.push([card.id, ev.detail.code]));
    }
    await tw.analyze(await (await fetch('sample.csv')).arrayBuffer());
  });
  const seg = page.locator('#card-seg-zh');
  await seg.locator('tr[data-segment="Champions"]').waitFor();
  // the tooltip ECharts calls later (here: from the page, where the workbench speaks English) is Chinese
  const tip = await page.evaluate(() => {
    const node = document.querySelector('#card-seg-zh').shadowRoot.querySelector('#segment-chart');
    return echarts.getInstanceByDom(node).getOption().tooltip[0].formatter([{ dataIndex: 0, marker: '' }]);
  });
  assert.match(tip, /客户数/);
  assert.doesNotMatch(tip, /Customers/);
  // the revenue switch of one heatmap leaves the other on customers
  for (const id of ['card-heat-a', 'card-heat-b']) {
    await page.locator(`#${id}`).locator('#chart-cards[data-state="done"]').waitFor({ state: 'attached', timeout: 60_000 });
  }
  await page.locator('#card-heat-a').getByTestId('switch-heatmap-revenue').click();
  assert.equal(await page.locator('#card-heat-a').getByTestId('switch-heatmap-revenue').getAttribute('aria-pressed'), 'true');
  await page.evaluate(() => document.querySelector('#card-heat-b').setAttribute('lang', 'en')); // draws it again
  await page.locator('#card-heat-b').getByTestId('switch-heatmap-customers').waitFor();
  assert.equal(await page.locator('#card-heat-b').getByTestId('switch-heatmap-customers').getAttribute('aria-pressed'), 'true');
  // a failed analysis frees the client's result: every card says so and sends tierwise-error
  const refused = await page.evaluate(async () => {
    try {
      await window.__tw2.analyze(new TextEncoder().encode('just one column\nand no dates\n'));
      return null;
    } catch (e) {
      return { code: e.code, message: e.message };
    }
  });
  assert.ok(refused?.code, 'the bad file is refused');
  await page.waitForFunction(() => window.__errors.length === 3);
  assert.deepEqual(await page.evaluate(() => window.__errors.map(([id]) => id).sort()), ['card-heat-a', 'card-heat-b', 'card-seg-zh']);
  assert.ok(await page.evaluate((c) => window.__errors.every(([, code]) => code === c), refused.code));
  // the card speaks Chinese: the core's coded message through the catalog, not its English text
  const note = (await seg.getByTestId('part-note').textContent()).trim();
  assert.match(note, /日期/);
  assert.notEqual(note, refused.message);
  assert.equal((await page.locator('#card-heat-a').getByTestId('part-note').textContent()).trim(), refused.message);
  await page.evaluate(() => window.__tw2.dispose());
});

test('a card with src taken out and put back analyses its file again; a removed card leaves the client alone', { timeout: TIMEOUT }, async () => {
  const results = await page.evaluate(async () => {
    const card = document.createElement('tierwise-grades');
    const seen = [];
    card.addEventListener('tierwise-result', (ev) => seen.push(ev.detail.customerCount));
    card.setAttribute('src', 'sample.csv');
    const wait = (n) => new Promise((resolve) => {
      const t = setInterval(() => seen.length >= n && (clearInterval(t), resolve()), 50);
    });
    document.body.append(card);
    await wait(1);
    card.remove();
    document.body.append(card);
    await wait(2);
    card.remove();
    return seen;
  });
  assert.deepEqual(results, [cli.summary.customers, cli.summary.customers]);
  assert.deepEqual(problems, []);
});

test('a card whose src cannot be read says so on its face and sends tierwise-error', { timeout: TIMEOUT }, async () => {
  const got = await page.evaluate(async () => {
    const card = document.createElement('tierwise-grades');
    const error = new Promise((resolve) => card.addEventListener('tierwise-error', (ev) => resolve(ev.detail)));
    card.setAttribute('src', 'no-such-file.csv');
    document.body.append(card);
    const detail = await error;
    const note = card.shadowRoot.querySelector('[data-testid="part-note"]');
    const out = { detail, note: note.textContent, shown: !note.hidden };
    card.remove();
    return out;
  });
  assert.match(got.detail.message, /could not load no-such-file\.csv: HTTP 404/);
  assert.equal(got.note, got.detail.message);
  assert.equal(got.shown, true);
});
