// The customer list in headless Chromium (issue 11, items 4, 7 and 8): drill-down from the summary tables,
// combined filters, the `tierwise-filter` event, search, sort, page size and paging, "export these
// customers", range drill-down (cohort rows and curves, monthly chart, P(alive) bars), the exports in the
// page's language and for European Excel, the 8-class toggle in the list,
// and the Chinese name of lifecycle `lapsed`. Every expected count, order and file comes from the native
// CLI's customers.csv, filtered and sorted here, or from a CLI run with other settings.
//
//   TIERWISE_BIN=$PWD/target/release/tierwise node --test tests/e2e/explore.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  WWW,
  ROOT,
  checkSiteBuilt,
  cliPath,
  runCli,
  csvRecords,
  describeDifference,
  openPageSession,
  waitForRunOf,
  assertNoProblemsIn,
  foreignRequests,
  subdirsOf,
} from './helpers.mjs';

const TIMEOUT = 120_000;
const SAMPLE = path.join(WWW, 'sample.csv');

let session;
let page;
let origin;
let tmp;
let cli; // { en, zh, semicolon }: the CLI's outputs
let rows; // the CLI's customers as objects (header → cell), in customer id order
const requests = [];
const problems = [];

before(async () => {
  checkSiteBuilt();
  tmp = mkdtempSync(path.join(tmpdir(), 'tierwise-explore-'));
  const dir = subdirsOf(tmp);
  cli = { en: runCli(SAMPLE, dir('en')), zh: runCli(SAMPLE, dir('zh'), { labels: 'zh' }) };
  const semicolon = path.join(tmp, 'semicolon.csv');
  execFileSync(cliPath(), ['analyze', SAMPLE, '--out', semicolon, '--delimiter', ';', '--decimal', ','], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cli.semicolon = readFileSync(semicolon);
  const [header, ...body] = csvRecords(cli.en.csv.toString('utf8'));
  rows = body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
  session = await openPageSession({ requests, problems, acceptDownloads: true });
  ({ page, origin } = session);
  await page.setInputFiles('#file-input', SAMPLE);
  await waitForRunOf(page);
}, { timeout: TIMEOUT });

after(async () => {
  await session?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// ── helpers ──

const renders = async () => Number((await page.getAttribute('#customer-table', 'data-renders')) || 0);

/** Runs `action` and waits until the customer list has been drawn again. */
async function andWaitForList(action) {
  const n = await renders();
  await action();
  await page.waitForFunction((k) => Number(twq('#customer-table').dataset.renders) > k, n, {
    timeout: 30_000,
  });
}

/**
 * Clicks the point `locate()` finds in a chart (page coordinates) and waits for the list to be drawn
 * again; on a loaded machine the page may still move (a chart above finishing its layout) between the
 * measurement and the click, so a click that changed nothing is measured and made again (3 tries).
 */
async function clickChartPoint(locate) {
  for (let attempt = 1; ; attempt++) {
    const at = await locate();
    const n = await renders();
    await page.mouse.click(at.x, at.y);
    try {
      await page.waitForFunction((k) => Number(twq('#customer-table').dataset.renders) > k, n, { timeout: 10_000 });
      return at;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

const listTotal = async () => Number(await page.getAttribute('#customer-range', 'data-total'));
const shownIds = () => page.$$eval('#customer-table tbody tr td.id', (tds) => tds.map((td) => td.textContent));
const chips = () => page.$$eval('[data-testid="filter-chip"]', (els) => els.map((e) => [e.dataset.column, e.dataset.value]));

/** The drill-down button of `table` for `value`. */
const drill = (table, value) => `#${table} button.drill[data-filter-value="${value}"]`;

async function clearFilters() {
  if (await page.isVisible('#filters-clear')) await andWaitForList(() => page.click('#filters-clear'));
}

async function download(selector) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
}

/** The CLI's customers.csv restricted to the customers `keep` accepts (same bytes, lines left out). */
function cliCsvOf(keep) {
  const lines = cli.en.csv.toString('utf8').split('\n');
  // one line per record: the sample's texts hold no line break (checked)
  assert.equal(lines.length, rows.length + 2, 'one line per customer, a header and a final newline');
  const kept = [lines[0], ...rows.flatMap((r, i) => (keep(r) ? [lines[i + 1]] : [])), ''];
  return Buffer.from(kept.join('\n'), 'utf8');
}

/** The CLI's customers sorted as the page must sort them: by `col` (numbers), missing last, ties by id. */
function sortedIds(list, col, dir) {
  const num = (r) => (r[col] === '' ? NaN : Number(r[col]));
  const byId = (a, b) => (Buffer.compare(Buffer.from(a.customer_id), Buffer.from(b.customer_id)));
  return [...list]
    .sort((a, b) => {
      const x = num(a);
      const y = num(b);
      if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) === Number.isNaN(y) ? byId(a, b) : Number.isNaN(x) ? 1 : -1;
      return x === y ? byId(a, b) : (x - y) * (dir === 'desc' ? -1 : 1);
    })
    .map((r) => r.customer_id);
}

// ── tests ──

test('clicking a segment row filters the list to that segment: the summary\'s and the CLI\'s count', { timeout: TIMEOUT }, async () => {
  const champions = cli.en.summary.segments.rfm11.find((x) => x.name === 'Champions');
  const expected = rows.filter((r) => r.segment_rfm11 === 'Champions').length;
  assert.ok(expected > 0 && expected < rows.length, 'the sample has some Champions');
  assert.equal(champions.customers, expected, 'the CLI agrees with itself');

  assert.equal(await listTotal(), rows.length, 'unfiltered: every customer');
  await andWaitForList(() => page.click(drill('segment-table', 'Champions')));
  assert.equal(await listTotal(), expected, 'the list total');
  assert.deepEqual(await chips(), [['segmentRfm11', 'Champions']]);
  const ids = await shownIds();
  const want = rows.filter((r) => r.segment_rfm11 === 'Champions').map((r) => r.customer_id);
  assert.deepEqual(ids, want.slice(0, 100), 'the first page: Champions in customer id order');
  assertNoProblemsIn(problems);
});

test('filters combine: AND across columns, OR within one column', { timeout: TIMEOUT }, async () => {
  // (Champions) and grade A
  await andWaitForList(() => page.click(drill('grade-abc-table', 'A')));
  const and = rows.filter((r) => r.segment_rfm11 === 'Champions' && r.grade_abc === 'A');
  assert.equal(await listTotal(), and.length);
  // (Champions or Loyal Customers) and grade A
  await andWaitForList(() => page.click(drill('segment-table', 'Loyal Customers')));
  const or = rows.filter((r) => ['Champions', 'Loyal Customers'].includes(r.segment_rfm11) && r.grade_abc === 'A');
  assert.ok(or.length > and.length, 'the second segment adds customers');
  assert.equal(await listTotal(), or.length);
  assert.equal((await chips()).length, 3);
});

test('"Export these customers" saves exactly the CLI\'s rows of the filtered customers', { timeout: TIMEOUT }, async () => {
  const keep = (r) => ['Champions', 'Loyal Customers'].includes(r.segment_rfm11) && r.grade_abc === 'A';
  const { name, bytes } = await download('#export-filtered');
  assert.equal(name, 'tierwise-customers-selection.csv');
  const diff = describeDifference(bytes, cliCsvOf(keep));
  assert.equal(diff, null, diff ?? '');
});

test('removing a chip and "clear all" widen the list again', { timeout: TIMEOUT }, async () => {
  // remove the ABC filter (the second chip)
  await andWaitForList(() => page.locator('[data-testid="filter-chip"]').nth(1).locator('button.chip-remove').click());
  assert.deepEqual(await chips(), [['segmentRfm11', 'Champions'], ['segmentRfm11', 'Loyal Customers']]);
  assert.equal(await listTotal(), rows.filter((r) => ['Champions', 'Loyal Customers'].includes(r.segment_rfm11)).length);
  await clearFilters();
  assert.equal(await listTotal(), rows.length);
  assert.deepEqual(await chips(), []);
});

test('a click on a segment\'s bar in the segment chart filters the list too', { timeout: TIMEOUT }, async () => {
  const segs = cli.en.summary.segments.rfm11;
  const k = segs.findIndex((x) => x.name === 'At Risk');
  // the centre of the bar of series 0 (share of customers) for that segment, in page coordinates
  const at = await page.evaluate((idx) => {
    const el = twq('#segment-chart');
    el.scrollIntoView({ block: 'center' });
    const chart = globalThis.echarts.getInstanceByDom(el);
    const r = chart.getModel().getSeriesByIndex(0).getData().getItemLayout(idx);
    const box = el.getBoundingClientRect();
    return { x: box.left + r.x + r.width / 2, y: box.top + r.y + r.height / 2 };
  }, k);
  await andWaitForList(() => page.mouse.click(at.x, at.y));
  assert.deepEqual(await chips(), [['segmentRfm11', 'At Risk']]);
  assert.equal(await listTotal(), rows.filter((r) => r.segment_rfm11 === 'At Risk').length);
  await clearFilters();
});

test('the tierwise-filter event: churn flags by inclusion, scores as numbers, replace mode', { timeout: TIMEOUT }, async () => {
  const send = (detail) =>
    andWaitForList(() => page.evaluate((d) => twHost().dispatchEvent(new CustomEvent('tierwise-filter', { detail: d })), detail));
  await send({ filters: [{ column: 'churnFlags', value: 'overdue' }], mode: 'add' });
  const overdue = rows.filter((r) => r.churn_flags.split('|').includes('overdue'));
  assert.ok(overdue.length > 0);
  assert.equal(await listTotal(), overdue.length, 'customers whose flags include overdue');
  await send({ filters: [{ column: 'rScore', value: 5 }, { column: 'fScore', value: 1 }], mode: 'replace' });
  assert.equal(await listTotal(), rows.filter((r) => r.r_score === '5' && r.f_score === '1').length, 'R = 5 and F = 1');
  assert.equal((await chips()).length, 2, 'replace cleared the flag filter');
  await clearFilters();
});

// ── range filters: histograms and months (counts from the CLI's customers.csv) ──

const chipText = () => page.$eval('[data-testid="filter-chip"] > span', (e) => e.textContent);

async function chartsDone() {
  await clearFilters();
  await page.waitForSelector('#chart-cards[data-state="done"]', { state: 'attached', timeout: 60_000 });
  await page.waitForSelector('#palive-chart[data-state="done"]', { state: 'attached', timeout: 60_000 });
}

/** The CLI's customers whose first purchase is in month 'YYYY-MM'. */
const firstIn = (month) => rows.filter((r) => r.first_date.slice(0, 7) === month);

test('a cohort row of the retention table filters the list to the customers who first bought in that month', { timeout: TIMEOUT }, async () => {
  await chartsDone();
  const cohorts = cli.en.summary.kpis.cohorts.slice(-12); // the rows of the table
  const k = cohorts.length - 3;
  const month = cohorts[k].month;
  const want = firstIn(month);
  assert.ok(want.length > 0 && want.length < rows.length, `customers who first bought in ${month}`);
  await page.evaluate(() => {
    twq('[data-testid="data-cohorts"]').open = true;
  });
  await andWaitForList(() => page.click(`[data-testid="table-cohorts"] tbody tr:nth-child(${k + 1}) th button`));
  assert.equal(await listTotal(), want.length);
  assert.deepEqual(await shownIds(), want.map((r) => r.customer_id).slice(0, 100));
  assert.equal(await chipText(), `first purchase ${month}`);
  await page.click('#lang-zh');
  assert.equal(await chipText(), `首次购买 ${month}`);
  await page.click('#lang-en');
  await clearFilters();
});

test('a click on a cohort curve filters to that cohort; a month of the monthly chart to its new customers', { timeout: TIMEOUT }, async () => {
  await chartsDone();
  // a point of a curve at month 1 at least 8 px away from every other curve's point there
  const locatePick = () => page.evaluate(() => {
    const el = twq('[data-testid="chart-cohorts"]');
    el.scrollIntoView({ block: 'center' });
    const chart = globalThis.echarts.getInstanceByDom(el);
    const series = chart.getOption().series;
    const pts = series.map((s, i) => (s.data[1] == null ? null : chart.convertToPixel({ seriesIndex: i }, [1, s.data[1]])));
    const box = el.getBoundingClientRect();
    for (let i = series.length - 1; i >= 0; i--) {
      if (!pts[i]) continue;
      if (pts.every((p, j) => j === i || !p || Math.abs(p[1] - pts[i][1]) >= 8)) {
        return { month: series[i].name, x: box.left + pts[i][0], y: box.top + pts[i][1] };
      }
    }
    return null;
  });
  assert.ok(await locatePick(), 'a curve apart from the others at month 1');
  const pick = await clickChartPoint(locatePick);
  assert.equal(await listTotal(), firstIn(pick.month).length, `cohort ${pick.month}`);
  await clearFilters();

  const months = cli.en.summary.kpis.monthly;
  const i = months.length - 4;
  const locateMonth = () => page.evaluate((idx) => {
    const el = twq('[data-testid="chart-monthly"]');
    el.scrollIntoView({ block: 'center' });
    const chart = globalThis.echarts.getInstanceByDom(el);
    const [x] = chart.convertToPixel({ gridIndex: 0 }, [idx, 0]);
    const grid = chart.getModel().getComponent('grid', 0).coordinateSystem.getRect();
    const box = el.getBoundingClientRect();
    return { x: box.left + x, y: box.top + grid.y + grid.height / 2 };
  }, i);
  await clickChartPoint(locateMonth);
  assert.equal(await listTotal(), firstIn(months[i].month).length);
  assert.equal(months[i].newCustomers, firstIn(months[i].month).length, 'the CLI agrees with itself');
  assert.equal(await chipText(), `new customers in ${months[i].month}`);
  await page.click('#lang-zh');
  assert.equal(await chipText(), `${months[i].month} 新客户`);
  await page.click('#lang-en');
  await clearFilters();
});

test('a click on a P(alive) bar filters the list to the customers in that bin (the last bin includes 1)', { timeout: TIMEOUT }, async () => {
  await chartsDone();
  // 20 bins over [0, 1], as the page asks the worker for them; counted here from the CLI's p_alive
  const edge = (i) => i * (1 / 20);
  const inBin = (i) => rows.filter((r) => {
    if (r.p_alive === '') return false;
    const v = Number(r.p_alive);
    return v >= edge(i) && (i === 19 ? v <= edge(20) : v < edge(i + 1));
  });
  const counts = Array.from({ length: 20 }, (_, i) => inBin(i).length);
  const fullest = counts.slice(0, 19).indexOf(Math.max(...counts.slice(0, 19)));
  assert.ok(counts[19] > 0, 'the sample has customers with P(alive) near 1');
  for (const i of [fullest, 19]) {
    const at = await page.evaluate((idx) => {
      const el = twq('#palive-chart');
      el.scrollIntoView({ block: 'center' });
      const chart = globalThis.echarts.getInstanceByDom(el);
      const r = chart.getModel().getSeriesByIndex(0).getData().getItemLayout(idx);
      const box = el.getBoundingClientRect();
      return { x: box.left + r.x + r.width / 2, y: box.top + r.y + r.height / 2 };
    }, i);
    await andWaitForList(() => page.mouse.click(at.x, at.y));
    assert.equal(await listTotal(), counts[i], `bin ${i}`);
    assert.deepEqual(await shownIds(), inBin(i).map((r) => r.customer_id).slice(0, 100));
    const lo = Math.round(edge(i) * 100);
    const hi = Math.round(edge(i + 1) * 100);
    assert.equal(await chipText(), `P(alive) ${lo}%–${hi}%`);
    await page.click('#lang-zh');
    assert.equal(await chipText(), `存活概率 ${lo}%–${hi}%`);
    await page.click('#lang-en');
    await clearFilters();
  }
});

test('a table row filters from the keyboard (Enter on its button)', { timeout: TIMEOUT }, async () => {
  await page.focus(drill('churn-risk-table', 'high'));
  await andWaitForList(() => page.keyboard.press('Enter'));
  assert.equal(await listTotal(), rows.filter((r) => r.risk === 'high').length);
  await clearFilters();
});

test('search by id and sort by a column: the CLI\'s order', { timeout: TIMEOUT }, async () => {
  const needle = 'cust-0012'; // any case
  const hits = rows.filter((r) => r.customer_id.toLowerCase().includes(needle));
  assert.ok(hits.length > 10 && hits.length < 200, `${hits.length} customers match`);
  await andWaitForList(() => page.fill('#explore-search', needle.toUpperCase()));
  assert.equal(await listTotal(), hits.length);
  assert.deepEqual(await shownIds(), hits.map((r) => r.customer_id).slice(0, 100));

  const th = '#customer-table th[data-sort="monetary"]';
  await andWaitForList(() => page.click(`${th} button`));
  assert.equal(await page.getAttribute(th, 'aria-sort'), 'ascending');
  assert.deepEqual(await shownIds(), sortedIds(hits, 'monetary', 'asc').slice(0, 100));
  await andWaitForList(() => page.click(`${th} button`));
  assert.equal(await page.getAttribute(th, 'aria-sort'), 'descending');
  assert.deepEqual(await shownIds(), sortedIds(hits, 'monetary', 'desc').slice(0, 100));

  // "export these customers" keeps the order shown
  const { bytes } = await download('#export-filtered');
  const exported = csvRecords(bytes.toString('utf8')).slice(1).map((r) => r[0]);
  assert.deepEqual(exported, sortedIds(hits, 'monetary', 'desc'));
});

test('page size and paging reach the last page of all customers', { timeout: TIMEOUT }, async () => {
  await andWaitForList(() => page.fill('#explore-search', ''));
  assert.equal(await listTotal(), rows.length);
  await andWaitForList(() => page.selectOption('#explore-page-size', '25'));
  assert.equal((await shownIds()).length, 25);
  const all = sortedIds(rows, 'monetary', 'desc'); // the sort chosen above stays
  assert.deepEqual(await shownIds(), all.slice(0, 25));
  await andWaitForList(() => page.click('#page-next'));
  assert.deepEqual(await shownIds(), all.slice(25, 50));
  await andWaitForList(() => page.click('#page-last'));
  const lastStart = Math.floor((rows.length - 1) / 25) * 25;
  assert.deepEqual(await shownIds(), all.slice(lastStart));
  assert.equal(Number(await page.getAttribute('#customer-range', 'data-from')), lastStart + 1);
  assert.equal(Number(await page.getAttribute('#customer-range', 'data-to')), rows.length);
  assert.equal(await page.isDisabled('#page-next'), true, 'no page after the last');
  assert.equal(await page.isDisabled('#page-last'), true);
  await andWaitForList(() => page.selectOption('#explore-page-size', '500'));
  assert.equal((await shownIds()).length, Math.min(500, rows.length - Math.floor(lastStart / 500) * 500));
  await andWaitForList(() => page.click('#page-first'));
  assert.deepEqual(await shownIds(), all.slice(0, 500));
  // a third click on the header: back to the id order (and to the first page)
  await andWaitForList(() => page.click('#customer-table th[data-sort="monetary"] button'));
  assert.equal(await page.getAttribute('#customer-table th[data-sort="monetary"]', 'aria-sort'), 'none');
  assert.deepEqual(await shownIds(), rows.slice(0, 500).map((r) => r.customer_id));
});

test('the 8-class toggle switches the list\'s segment column too', { timeout: TIMEOUT }, async () => {
  const segCol = () => page.$$eval('#customer-table tbody tr', (trs) => trs.slice(0, 20).map((tr) => tr.children[8].textContent));
  assert.deepEqual(await segCol(), rows.slice(0, 20).map((r) => r.segment_rfm11));
  await page.click('#seg-cn8');
  await page.waitForFunction(() => twq('#seg-cn8').getAttribute('aria-pressed') === 'true');
  assert.deepEqual(await segCol(), rows.slice(0, 20).map((r) => r.segment_cn8));
  // the segment table's rows now filter on the 8 classes
  await andWaitForList(() => page.click(drill('segment-table', 'Important Value')));
  assert.deepEqual(await chips(), [['segmentCn8', 'Important Value']]);
  assert.equal(await listTotal(), rows.filter((r) => r.segment_cn8 === 'Important Value').length);
  await clearFilters();
  await page.click('#seg-rfm11');
});

test('the exports follow the page\'s language; the semicolon option writes decimal commas', { timeout: TIMEOUT }, async () => {
  await page.click('#lang-zh');
  const zh = await download('#export-csv');
  const diff = describeDifference(zh.bytes, cli.zh.csv, ['page (zh)', 'cli labels zh']);
  assert.equal(diff, null, diff ?? '');
  assert.match(zh.bytes.toString('utf8'), /冠军客户/, 'Chinese segment names');

  await page.selectOption('#export-delimiter', ';');
  await page.click('#lang-en');
  const semi = await download('#export-csv');
  const d2 = describeDifference(semi.bytes, cli.semicolon, ['page (;)', 'cli --delimiter ; --decimal ,']);
  assert.equal(d2, null, d2 ?? '');
  // read back by hand: A's monetary with a decimal comma in the 6th field
  const line = semi.bytes.toString('utf8').split('\n')[1].split(';');
  assert.equal(line[0], rows[0].customer_id);
  assert.equal(line[5], rows[0].monetary.replace('.', ','));
  await page.selectOption('#export-delimiter', ',');
});

test('Chinese page: lifecycle "lapsed" and segment "Lost" read differently; chips in Chinese', { timeout: TIMEOUT }, async () => {
  await page.click('#lang-zh');
  const lapsed = (await page.textContent(drill('lifecycle-table', 'lapsed'))).trim();
  const lost = cli.en.summary.segments.rfm11.find((x) => x.name === 'Lost');
  assert.equal(lapsed, '久未购买');
  assert.equal(lost.nameZh, '已流失客户');
  assert.ok(!lost.nameZh.includes(lapsed) && !lapsed.includes('流失'), 'no shared wording');
  await andWaitForList(() => page.click(drill('lifecycle-table', 'lapsed')));
  assert.equal(await listTotal(), rows.filter((r) => r.lifecycle === 'lapsed').length);
  assert.match(await page.textContent('[data-testid="filter-chip"]'), /久未购买/);
  await clearFilters();
  await page.click('#lang-en');
});

test('shares are written with one decimal in the tables', { timeout: TIMEOUT }, async () => {
  const shares = await page.$$eval('#segment-table tbody tr', (trs) => trs.map((tr) => tr.children[2].textContent));
  assert.ok(shares.length > 5);
  for (const s of shares) assert.match(s, /^\d{1,3}\.\d%$/, s);
  const abc = cli.en.summary.grades.abc[0];
  const cell = await page.$eval('#grade-abc-table tbody tr td:nth-child(3)', (td) => td.textContent);
  assert.equal(cell, `${(abc.share * 100).toFixed(1)}%`);
});

test('a new analysis starts the list again unfiltered', { timeout: TIMEOUT }, async () => {
  await andWaitForList(() => page.click(drill('churn-risk-table', 'medium')));
  assert.equal((await chips()).length, 1);
  await page.fill('#explore-search', 'cust');
  await page.setInputFiles('#file-input', SAMPLE);
  await waitForRunOf(page);
  assert.deepEqual(await chips(), []);
  assert.equal(await page.inputValue('#explore-search'), '');
  assert.equal(await listTotal(), rows.length);
});

test('wasm toCsvWith and labelColumn: defaults, subsets, and coded errors for wrong settings', { timeout: TIMEOUT }, async () => {
  const r = await page.evaluate(async () => {
    const m = await import('./pkg/tierwise.js');
    await m.default();
    // A: 10.5 + 2.25 on two days; B: 3 (hand-made)
    const csv = 'customer_id,order_date,amount\nA,2024-01-01,10.5\nA,2024-01-05,2.25\nB,2024-01-05,3\n';
    const a = m.analyze(new TextEncoder().encode(csv), { model: { enabled: false } });
    const dec = (u8) => new TextDecoder().decode(u8);
    const err = (f) => {
      try {
        f();
        return null;
      } catch (e) {
        return { code: e.code, problem: e.params?.problem?.code ?? null, message: e.message };
      }
    };
    const out = {
      same: dec(a.toCsvWith()) === dec(a.toCsv()) && dec(a.toCsvWith({})) === dec(a.toCsv()),
      subset: dec(a.toCsvWith({ rows: Uint32Array.from([1, 0]), delimiter: ';', decimal: ',' })).split('\n').map((l) => l.split(';').slice(0, 6).join(';')),
      zhLifecycle: a.labelColumn('lifecycle', 'zh'),
      enLifecycle: a.lifecycle,
      outOfRange: err(() => a.toCsvWith({ rows: Uint32Array.from([2]) })),
      notTyped: err(() => a.toCsvWith({ rows: [0] })),
      badLabels: err(() => a.toCsvWith({ labels: 'fr' })),
      badDecimal: err(() => a.toCsvWith({ decimal: ',' })),
      notText: err(() => a.labelColumn('recencyDays', 'en')),
    };
    a.free();
    return out;
  });
  assert.equal(r.same, true, 'no settings: the bytes of toCsv()');
  assert.deepEqual(r.subset, [
    'customer_id;first_date;last_date;recency_days;frequency;monetary', // (TextDecoder drops the BOM)
    'B;2024-01-05;2024-01-05;0;1;3',
    'A;2024-01-01;2024-01-05;0;2;12,75',
    '',
  ]);
  assert.deepEqual(r.enLifecycle, ['new', 'new']);
  assert.deepEqual(r.zhLifecycle, ['新客', '新客']);
  assert.deepEqual(r.outOfRange, { code: 'invalid_option', problem: 'customer_index_out_of_range', message: 'invalid option toCsvWith.rows: customer index 2 is out of range: the analysis has 2 customers' });
  assert.equal(r.notTyped.problem, 'expected_customer_indexes');
  assert.equal(r.badLabels.message, 'invalid option toCsvWith.labels: must be one of "en", "zh", got "fr"');
  assert.equal(r.badDecimal.problem, 'not_one_of');
  assert.equal(r.notText.code, 'no_text_column');
});

test('progress of a file under 1 MiB shows a rows figure: its line ends, marked as estimated', { timeout: TIMEOUT }, async () => {
  // the sample (under 1 MiB, no quoted line breaks): line ends − 1 = the CLI's rows
  assert.ok(readFileSync(SAMPLE).length < 1024 * 1024);
  const reports = await page.evaluate(async () => {
    const blob = await (await fetch('sample.csv')).blob();
    const w = new Worker('./worker.js', { type: 'module' });
    const out = [];
    await new Promise((resolve, reject) => {
      w.onmessage = ({ data }) => {
        if (data.type === 'progress') out.push({ rows: data.rows, estimated: data.rowsEstimated, bytes: data.bytesRead });
        else if (data.type === 'result') resolve();
        else if (data.type === 'error') reject(new Error(data.message));
      };
      w.postMessage({ type: 'analyze', id: 1, file: blob, chunkBytes: 65536 });
    });
    w.terminate();
    return { out, size: blob.size };
  });
  const last = reports.out.at(-1);
  assert.equal(last.bytes, reports.size, 'the last report is the whole file');
  assert.equal(last.estimated, true);
  assert.equal(last.rows, cli.en.summary.input.rows);
  for (let k = 1; k < reports.out.length; k++) assert.ok(reports.out[k].rows >= reports.out[k - 1].rows, 'growing');
  assert.ok(reports.out[0].rows > 0 && reports.out[0].rows < last.rows, 'a figure after the first push already');
});

test('nothing left the page\'s origin and nothing failed', () => {
  assert.deepEqual(foreignRequests(requests, origin), []);
  assertNoProblemsIn(problems);
});
