// The one-file offline build (issue 12, item 4; scripts/single-file.mjs): dist/tierwise.html opened from
// file:// with no server analyses the sample (the customer count the CLI gives for www/sample.csv), a
// CSV and an .xlsx chosen through the file input (numbers worked out by hand), and exports an .xlsx
// workbook; every request the page and its worker make stays on file:, data: and blob:, and its
// Content-Security-Policy refuses a network request from the page and from the worker. And the build
// follows whatever index.html becomes: a fixture site (tests/fixtures/single-file/) using each thing it
// inlines works from file:// once built, and what it cannot hold fails the build with a message naming it.
//
//   TIERWISE_BIN=$PWD/target/release/tierwise node --test tests/e2e/single-file.test.mjs
//
// Needs scripts/build.sh (www/pkg*, www/vendor, www/data; it writes dist/tierwise.html too, and this test
// (re)builds the file with scripts/single-file.mjs when it is missing or older than www/), Debian
// chromium, the CLI, and the workbook crate's xlsx_dump example (calamine) to read the export back.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { ROOT, WWW, assertNoProblemsIn, checkSiteBuilt, collectProblems, launchChromium, runCli, workbenchReady } from './helpers.mjs';

const TIMEOUT = 180_000;
const SINGLE = path.join(ROOT, 'dist/tierwise.html');
const BUILD_INPUTS = [WWW, path.join(ROOT, 'scripts/single-file.mjs'), path.join(ROOT, 'scripts/single-file-runtime.js')];
const LOCAL_SCHEMES = ['file:', 'data:', 'blob:'];

let browser;
let page;
let tmp;
let cli;
const requests = []; // every URL the page and its workers asked for (data: ones are not reported)
const routed = []; // the requests that reached the router: any beyond file:, data: and blob:
const workers = []; // the URLs of the workers started
const problems = [];

/** The newest modification time under `p` (a file or a folder). */
function newest(p) {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(p).map((name) => newest(path.join(p, name))));
}

before(async () => {
  checkSiteBuilt();
  if (!existsSync(SINGLE) || statSync(SINGLE).mtimeMs < Math.max(...BUILD_INPUTS.map(newest))) {
    execFileSync(process.execPath, ['scripts/single-file.mjs'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  }
  tmp = mkdtempSync(path.join(os.tmpdir(), 'tierwise-single-'));
  cli = runCli(path.join(WWW, 'sample.csv'), tmp);

  browser = await launchChromium();
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  context.on('request', (r) => requests.push(r.url()));
  // anything beyond file:, data: and blob: is recorded and never answered (with a route set, Chromium
  // reports the page's and its workers' network requests, not the worker's own blob: script)
  await context.route(
    (url) => !LOCAL_SCHEMES.includes(url.protocol),
    (route) => {
      routed.push(route.request().url());
      return route.abort('blockedbyclient');
    },
  );
  page = await context.newPage();
  collectProblems(page, problems);
  page.on('worker', (w) => workers.push(w.url()));
  await page.goto(pathToFileURL(SINGLE).href, { waitUntil: 'load' });
  await workbenchReady(page);
}, { timeout: TIMEOUT });

after(async () => {
  await browser?.close().catch(() => {});
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** The `data-value` of the element with data-testid `testid` (found in shadow roots too). */
async function dataValue(testid) {
  const v = await page.getByTestId(testid).getAttribute('data-value');
  if (v === null) throw new Error(`[data-testid=${testid}] has no data-value`);
  return v;
}

/** Waits until the run ends; fails with the page's message when it ended in an error. */
async function waitForRun() {
  const status = page.getByTestId('status');
  await page.locator('[data-testid="status"][data-state="done"], [data-testid="status"][data-state="error"]').waitFor({ timeout: 60_000 });
  if ((await status.getAttribute('data-state')) === 'error') {
    assert.fail(`the page reported an error: ${await page.getByTestId('error').textContent()}`);
  }
}

async function choose(file) {
  await page.getByTestId('file-input').setInputFiles(file);
  await waitForRun();
}

test('the one file is a single HTML file with no reference to another file', { timeout: TIMEOUT }, async () => {
  const html = readFileSync(SINGLE, 'utf8');
  assert.ok(html.startsWith('<!doctype html>'), 'a doctype first');
  // no element loads anything but a data: URL (the page's own links are fragments)
  const refs = [...html.matchAll(/<(?:link|script|img|iframe|source)\s[^>]*\b(?:src|href)\s*=\s*["']?([^"'\s>]+)/gi)].map((m) => m[1]);
  assert.deepEqual(refs.filter((r) => !r.startsWith('data:')), []);
  // the ECharts licence and the CDNOW attribution travel with the copies inlined
  const head = html.slice(0, html.indexOf('-->'));
  for (const notice of ['vendor/echarts.LICENSE.txt', 'data/cdnow/README.md', 'data/cdnow/LICENSE-lifetimes-MIT.txt']) {
    assert.ok(head.includes(`=== ${notice} ===`), `the head comment holds ${notice}`);
  }
  assert.match(head, /Apache License\s+Version 2\.0/);
});

test('"Load sample data" from file:// gives the CLI\'s customer count', { timeout: TIMEOUT }, async () => {
  assert.equal(await page.title(), 'tierwise — customer value grading in your browser');
  await page.getByTestId('load-sample').click();
  await waitForRun();
  assert.equal(Number(await dataValue('kpi-customers')), cli.summary.customers);
  assert.equal(Number(await dataValue('dq-rows')), cli.summary.input.rows);
  // ECharts, inlined as a classic script, drew the segment chart
  await page.getByTestId('segment-chart').locator('canvas').first().waitFor({ timeout: 30_000 });
  // the worker came from the file itself, as a blob: URL
  assert.equal(workers.length, 1, workers.join('\n'));
  assert.match(workers[0], /^blob:/);
});

test('the CDNOW sample inlined in the file is analysed, with the purchase model fitted', { timeout: TIMEOUT }, async () => {
  // the 2,357 customers of Fader, Hardie & Lee's CDNOW sample (tests/fixtures/cdnow/README.md)
  await page.getByTestId('load-cdnow').click();
  await waitForRun();
  assert.equal(await dataValue('kpi-customers'), '2357');
  assert.equal(await page.getByTestId('model-panel').getAttribute('data-state'), 'fitted');
});

test('the rules editor\'s linter loads the wasm package on the page itself', { timeout: TIMEOUT }, async () => {
  // one rule over R 1–5 and every F and M covers each of the 5 × 5 × 5 default score combinations once
  await page.getByTestId('options-panel').locator('summary').click();
  await page.getByTestId('rules-add').click();
  const row = page.getByTestId('rules-row').first();
  await row.locator('.rules-name').fill('All');
  await row.locator('[data-dim="r"][data-end="lo"]').fill('1');
  await row.locator('[data-dim="r"][data-end="hi"]').fill('5');
  await page.getByTestId('rules-ok').waitFor({ timeout: 30_000 });
  await row.locator('[data-dim="r"][data-end="hi"]').fill('4'); // R 5 is no longer covered: 5 × 5 F, M
  await page.getByTestId('rules-gaps').waitFor({ timeout: 30_000 });
  assert.equal(await page.getByTestId('rules-gaps').getAttribute('data-count'), '25');
  await row.getByTestId('rules-remove').click();
  await page.getByTestId('options-panel').locator('summary').click();
});

test('a CSV chosen through the file input is analysed', { timeout: TIMEOUT }, async () => {
  // tests/hand_computed.rs, worked out by hand: 39 data rows, customers U1 … U12, and their spend summed
  // 3500 + 100 + 50 + 100 + 2000 + 1780 + 100 + 500 + 400 + 300 + 200 + 70 = 9100
  await choose(path.join(ROOT, 'tests/fixtures/small/basic.csv'));
  assert.equal(await dataValue('kpi-customers'), '12');
  assert.equal(await dataValue('dq-rows'), '39');
  assert.equal(Number(await dataValue('kpi-revenue')), 9100);
});

test('an .xlsx chosen through the file input is read by the inlined workbook module', { timeout: TIMEOUT }, async () => {
  // tests/fixtures/workbooks/make_workbooks.py, sheet "Orders": 6 rows; row 8 has #N/A as amount
  // (rejected); customers 007 (10), A (120 + 60.25), B (80.5), C (0.1 + 0.2): revenue 271.05
  await choose(path.join(ROOT, 'tests/fixtures/workbooks/orders.xlsx'));
  assert.equal(await dataValue('kpi-customers'), '4');
  assert.equal(await dataValue('dq-rows'), '6');
  assert.equal(await dataValue('dq-rejected'), '1');
  assert.equal(Number(await dataValue('kpi-revenue')), 271.05);
  assert.equal(await dataValue('dq-workbook'), 'Orders');
});

test('"Export Excel" writes a workbook with the inlined writer module', { timeout: TIMEOUT }, async () => {
  const exportButton = page.getByTestId('export-xlsx');
  const [download] = await Promise.all([page.waitForEvent('download'), exportButton.click()]);
  assert.match(download.suggestedFilename(), /\.xlsx$/);
  const file = path.join(tmp, 'single.xlsx');
  await download.saveAs(file);
  const out = execFileSync(
    'cargo',
    ['run', '--quiet', '--release', '-p', 'tierwise-workbook', '--example', 'xlsx_dump', '--', file],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 },
  );
  const wb = JSON.parse(out.toString());
  assert.deepEqual(wb.sheets.map((s) => s.name), ['Customers', 'Summary', 'Segments', 'Grades', 'Options']);
  // the last analysis, orders.xlsx: its four customers, sorted by id (see the test above)
  const customers = wb.sheets[0].rows;
  assert.equal(customers[0][0].s, 'customer_id');
  assert.deepEqual(customers.slice(1).map((r) => r[0].s), ['007', 'A', 'B', 'C']);
});

test('every request stayed on file:, data: and blob:', { timeout: TIMEOUT }, async () => {
  // the recording works: the page itself is in it
  assert.ok(requests.includes(pathToFileURL(SINGLE).href), requests.join('\n'));
  const beyond = requests.filter((u) => !LOCAL_SCHEMES.some((s) => u.startsWith(s)));
  assert.deepEqual(beyond, []);
  assert.deepEqual(routed, []);
  assertNoProblemsIn(problems);
});

test('the Content-Security-Policy refuses the network, in the page and in the worker', { timeout: TIMEOUT }, async () => {
  const probe = () =>
    fetch('http://127.0.0.1:9/probe').then(
      () => 'fetched',
      (e) => `refused: ${e.message}`,
    );
  const violations = page.evaluate(
    () =>
      new Promise((resolve) => {
        const seen = [];
        document.addEventListener('securitypolicyviolation', (e) => seen.push(e.effectiveDirective));
        setTimeout(() => resolve(seen), 500);
      }),
  );
  assert.match(await page.evaluate(probe), /^refused/);
  assert.deepEqual(await violations, ['connect-src']);
  const [worker] = page.workers();
  assert.ok(worker, 'the worker is running');
  assert.match(await worker.evaluate(probe), /^refused/);
  // neither probe reached the network: the CSP stopped them before any request was made
  assert.deepEqual(requests.filter((u) => u.includes('/probe')), []);
  assert.deepEqual(routed, []);
  // forget the console's report of the refusals
  problems.length = 0;
});

// The build follows index.html, whatever the page becomes: tests/fixtures/single-file/ is a small site
// using each thing scripts/single-file.mjs inlines (a linked sheet with a url(), a classic script, an
// inline module script importing a module, a CSS module script adopted by a shadow root, fetches and a
// module worker by new URL, a module with exports imported by new URL under two names).
const FIXTURE = path.join(ROOT, 'tests/fixtures/single-file');

test('a fixture site built into one file works from file://', { timeout: TIMEOUT }, async () => {
  const { buildSingleFile } = await import('../../scripts/single-file.mjs');
  const out = path.join(tmp, 'fixture.html');
  await buildSingleFile({ www: FIXTURE, out });
  const html = readFileSync(out, 'utf8');
  // data.csv (201 short lines) is stored compressed, once, though the page and its worker both read it
  assert.equal(html.split('data:text/csv;enc=gzip;base64,').length - 1, 1);

  const context = await browser.newContext();
  const seen = [];
  context.on('request', (r) => seen.push(r.url()));
  await context.route((url) => !LOCAL_SCHEMES.includes(url.protocol), (route) => route.abort('blockedbyclient'));
  const fixturePage = await context.newPage();
  const fixtureProblems = [];
  collectProblems(fixturePage, fixtureProblems);
  await fixturePage.goto(pathToFileURL(out).href);
  const result = fixturePage.getByTestId('result');
  await fixturePage.locator('[data-testid="result"][data-value]').waitFor({ state: 'attached', timeout: 30_000 });
  const got = JSON.parse(await result.getAttribute('data-value'));
  // the page read data.csv as it is; the worker read it too (a header and 200 lines), imported lib.js
  // (2 × 21), and counter.js twice: 1, 2 in the first instance, 1 in the second (the fragment)
  assert.equal(got.page.csv, readFileSync(path.join(FIXTURE, 'data.csv'), 'utf8'));
  assert.deepEqual(got.worker, { lines: 201, doubled: 42, counts: [1, 2, 1] });
  const styles = await fixturePage.evaluate(() => ({
    body: getComputedStyle(document.body).color,
    background: getComputedStyle(document.body).backgroundImage.slice(0, 24),
    classic: window.classicRan,
  }));
  assert.deepEqual(styles, { body: 'rgb(4, 5, 6)', background: 'url("data:image/svg+xml,', classic: 'yes' });
  const shadowP = fixturePage.getByTestId('shadow-p');
  assert.equal(await shadowP.evaluate((p) => getComputedStyle(p).color), 'rgb(1, 2, 3)');
  assert.deepEqual(seen.filter((u) => !LOCAL_SCHEMES.some((s) => u.startsWith(s))), []);
  assertNoProblemsIn(fixtureProblems);
  await context.close();
});

test('the build refuses what the one file cannot hold, naming it', { timeout: TIMEOUT }, async () => {
  const { buildSingleFile } = await import('../../scripts/single-file.mjs');
  const site = mkdtempSync(path.join(tmp, 'site-'));
  const build = (html, files = {}) => {
    writeFileSync(path.join(site, 'index.html'), `<!doctype html><html><head><meta charset="utf-8">${html}</head><body></body></html>`);
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(site, name), text);
    return buildSingleFile({ www: site, out: path.join(site, 'out.html') });
  };
  await assert.rejects(
    build('<script src="https://cdn.example/lib.js"></script>'),
    /refers to https:\/\/cdn\.example\/lib\.js, which the one file cannot inline/,
  );
  await assert.rejects(build('<link rel="stylesheet" href="missing.css">'), /refers to missing\.css, which is not in/);
  await assert.rejects(build('<img src="logo.png">'), /cannot load <img src="logo\.png/);
  await assert.rejects(
    build('<script type="module" src="a.js"></script>', { 'a.js': "import './a.css';", 'a.css': 'p{}' }),
    /bundling .*a\.js made more than one file \(\.bundle\.css\)/,
  );
  await assert.rejects(
    build('<script type="module" src="b.js"></script>', {
      'b.js': "const name = 'x.txt'; console.log(new URL(name, import.meta.url));",
    }),
    /b\.js or a module it imports uses import\.meta other than in new URL\('<literal>', import\.meta\.url\)/,
  );
  await assert.rejects(
    build('<script type="module" src="c.js"></script>', {
      'c.js': "new Worker(new URL('./d.js', import.meta.url));",
      'd.js': "new Worker(new URL('./c.js', import.meta.url));",
    }),
    /refers to itself through new URL/,
  );
});
