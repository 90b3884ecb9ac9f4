// The examples (examples/) as a team would use them: the packed package (dist/tierwise-<version>.tgz,
// made by scripts/package.mjs) installed with npm into a fresh folder, each example copied in and served
// from 127.0.0.1, driven in headless Chromium. Expected numbers come from the CLI on the same file, and
// from hand counts over the CLI's customers CSV (how many customers a segment has).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startServer } from '../../scripts/serve.mjs';
import { ROOT, WWW, checkSiteBuilt, collectProblems, csvRecords, installShadowHelpers, launchChromium, runCli } from './helpers.mjs';

const TIMEOUT = 180_000;
let tmp;
let server;
let browser;
let cli; // the CLI on the sample, as of the date the examples use

/** The packed tarball of this version (Cargo.toml's) in dist/, packed first when missing. */
function tarball() {
  const version = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8'))[1];
  const find = () => (existsSync(path.join(ROOT, 'dist')) ? readdirSync(path.join(ROOT, 'dist')).find((f) => f === `tierwise-${version}.tgz`) : null);
  if (!find()) execFileSync('node', [path.join(ROOT, 'scripts/package.mjs')], { cwd: ROOT, stdio: 'inherit' });
  const f = find();
  assert.ok(f, 'scripts/package.mjs left a tarball in dist/');
  return path.join(ROOT, 'dist', f);
}

before(async () => {
  checkSiteBuilt();
  tmp = mkdtempSync(path.join(tmpdir(), 'tierwise-examples-'));
  const site = path.join(tmp, 'site');
  mkdirSync(site);
  // a fresh folder installs the tarball exactly as the README says, without the network (no dependencies)
  execFileSync('npm', ['init', '-y'], { cwd: site, stdio: 'ignore' });
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball()], { cwd: site, stdio: 'inherit' });
  for (const name of ['plain', 'dashboard', 'esbuild']) {
    cpSync(path.join(ROOT, 'examples', name), path.join(site, name), { recursive: true });
    symlinkSync('../node_modules', path.join(site, name, 'node_modules'));
  }
  // the bundler example builds with the project's esbuild (a devDependency), as its README says
  symlinkSync(path.join(ROOT, 'node_modules/esbuild'), path.join(site, 'node_modules/esbuild'));
  symlinkSync(path.join(ROOT, 'node_modules/@esbuild'), path.join(site, 'node_modules/@esbuild'));
  execFileSync('node', ['build.mjs'], { cwd: path.join(site, 'esbuild'), stdio: 'inherit' });
  rmSync(path.join(site, 'node_modules/esbuild'));
  rmSync(path.join(site, 'node_modules/@esbuild'));
  server = await startServer({ root: site, port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
  mkdirSync(path.join(tmp, 'cli'));
  cli = runCli(path.join(WWW, 'sample.csv'), path.join(tmp, 'cli'), { analysisDate: '2024-12-31' });
}, { timeout: TIMEOUT });

after(async () => {
  await browser?.close().catch(() => {});
  await server?.close().catch(() => {});
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** A new page at `file` of the site, recording requests and errors. */
async function open(file) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(installShadowHelpers);
  const requests = [];
  const problems = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  collectProblems(page, problems);
  await page.goto(new URL(file, server.url).href, { waitUntil: 'load' });
  return { page, requests, problems, close: () => context.close() };
}

function assertOwnOrigin(requests) {
  const origin = new URL(server.url).origin;
  assert.deepEqual(requests.filter((u) => !(u.startsWith(origin + '/') || u.startsWith('blob:') || u.startsWith('data:'))), []);
}

/** Customers of segment `code` (rfm11) in the CLI's customers CSV: counted by hand over its rows. */
function customersOfSegment(code) {
  const rows = csvRecords(cli.csv.toString('utf8'));
  const col = rows[0].indexOf('segment_rfm11');
  assert.ok(col >= 0, 'the CSV has segment_rfm11');
  return rows.slice(1).filter((r) => r[col] === code).length;
}

test('plain page: <tierwise-app> from the installed package analyses the sample', { timeout: TIMEOUT }, async () => {
  const s = await open('plain/index.html');
  try {
    const { page } = s;
    await page.getByTestId('load-sample').click();
    await page.waitForFunction(() => twq('#status')?.dataset.state === 'done', null, { timeout: 60_000 });
    assert.equal(Number(await page.getAttribute('[data-testid="kpi-customers"]', 'data-value')), cli.summary.customers);
    // the page's own styles stay outside: its serif font does not reach the workbench …
    const fonts = await page.evaluate(() => ({
      page: getComputedStyle(document.querySelector('h1')).fontFamily,
      inside: getComputedStyle(twq('#status')).fontFamily,
      accent: getComputedStyle(twq('.btn-primary')).backgroundColor,
    }));
    assert.match(fonts.page, /Georgia/);
    assert.doesNotMatch(fonts.inside, /Georgia/);
    // … and the theme's custom property set on the element does (--accent: #0b7a5c)
    assert.equal(fonts.accent, 'rgb(11, 122, 92)');
    // the workbench's styles stay inside: the page's paragraph keeps the browser's default margins
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.page-note')).marginTop), '16px');
    assertOwnOrigin(s.requests);
    assert.deepEqual(s.problems, []);
  } finally {
    await s.close();
  }
});

for (const name of ['dashboard', 'esbuild']) {
  test(`${name}: a click on a segment filters the customer card (tierwise-select)`, { timeout: TIMEOUT }, async () => {
    const s = await open(`${name}/index.html`);
    try {
      const { page } = s;
      await page.click('#sample');
      await page.waitForFunction(() => /customers/.test(document.querySelector('#status').textContent), null, { timeout: 60_000 });
      assert.equal(await page.textContent('#status'), `${cli.summary.customers} customers`);
      // the segment table inside <tierwise-segments>: the CLI's champions count
      const seg = page.locator('tierwise-segments');
      await seg.locator('tr[data-segment="Champions"]').waitFor();
      const shown = Number(await seg.locator('tr[data-segment="Champions"] td[data-value]').first().getAttribute('data-value'));
      const champions = customersOfSegment('Champions');
      assert.equal(shown, champions);
      // a click on its name: the page hears tierwise-select and filters <tierwise-customers>
      await seg.locator('tr[data-segment="Champions"] button.drill').click();
      await page.waitForFunction(() => document.querySelector('#picked').textContent === 'Champions');
      const list = page.locator('tierwise-customers');
      await page.waitForFunction((n) => {
        const range = document.querySelector('tierwise-customers').shadowRoot.querySelector('#customer-range');
        return range?.dataset.total === String(n);
      }, champions, { timeout: 30_000 });
      assert.equal(await list.locator('[data-testid="customer-row"]').count(), Math.min(100, champions));
      assertOwnOrigin(s.requests);
      assert.deepEqual(s.problems, []);
    } finally {
      await s.close();
    }
  });
}

const LARGE_ROWS = 340_000;
const LARGE_BAD = Math.ceil((LARGE_ROWS - 17) / 50_000); // rows i ≡ 17 (mod 50,000) have a bad date

/** A file of about 11 MB (two ranges of 4 MiB or more): 3,000 customers (i × 7919 mod 3000 takes
 * every value: 7919 and 3000 are coprime), one order a line, with rejected rows spread through it. */
function largeFile() {
  const file = path.join(tmp, 'large.csv');
  if (existsSync(file)) return file;
  const lines = ['order_id,customer_id,order_date,amount'];
  for (let i = 0; i < LARGE_ROWS; i++) {
    const day = 1 + (i * 7) % 28;
    const month = 1 + (i * 11) % 12;
    const bad = i % 50_000 === 17;
    lines.push(`${100000 + i},C${String((i * 7919) % 3000).padStart(5, '0')},${bad ? 'not a date' : `2024-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`},${(i % 997) + 0.5}`);
  }
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

for (const name of ['dashboard', 'esbuild']) {
  test(`${name}: a file of 10 MiB is read in byte ranges by the package's range reader, as the CLI reads it`, { timeout: TIMEOUT }, async () => {
    const file = largeFile();
    mkdirSync(path.join(tmp, `cli-large-${name}`));
    const expected = runCli(file, path.join(tmp, `cli-large-${name}`), { analysisDate: '2024-12-31' }).summary;
    assert.equal(expected.customers, 3000);
    assert.equal(expected.input.rejected.bad_date.count, LARGE_BAD, 'the file has its rejected rows');
    const s = await open(`${name}/index.html`);
    const failed = [];
    s.page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    try {
      const { page } = s;
      await page.waitForFunction(() => !document.querySelector('#sample').disabled);
      await page.setInputFiles('#file', file);
      await page.waitForFunction(() => /customers/.test(document.querySelector('#status').textContent), null, { timeout: 120_000 });
      assert.equal(await page.textContent('#status'), `${expected.customers} customers`);
      const cores = await page.evaluate(() => navigator.hardwareConcurrency);
      const readers = Number(await page.getAttribute('#status', 'data-readers'));
      // every core reads, as many ranges of 4 MiB or more as the file holds (two here)
      assert.equal(readers, Math.min(cores, 2), `readers on ${cores} cores`);
      const rangeWorker = name === 'esbuild' ? '/esbuild/out/range-worker.js' : '/dashboard/node_modules/tierwise/range-worker.js';
      assert.ok(s.requests.some((u) => new URL(u).pathname === rangeWorker), `the range reader came from ${rangeWorker}: ${s.requests.join(' ')}`);
      assert.deepEqual(failed, []);
      assertOwnOrigin(s.requests);
      assert.deepEqual(s.problems, []);
    } finally {
      await s.close();
    }
  });
}
