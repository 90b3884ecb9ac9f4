// Shared helpers for the page tests (not a test file itself).

import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(fileURLToPath(new URL('../../', import.meta.url)));

/** The site folder under test (TIERWISE_WWW overrides, e.g. to test a copy). */
export const WWW = path.resolve(ROOT, process.env.TIERWISE_WWW || 'www');

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export async function launchChromium() {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH} (apt-get install -y --no-install-recommends chromium, or set CHROMIUM_PATH)`,
    );
  }
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** Fail early with a useful message when the build outputs the page needs are missing. */
export function checkSiteBuilt() {
  const missing = [
    'pkg/tierwise.js',
    'pkg/tierwise_bg.wasm',
    'pkg/catalog.js',
    'vendor/echarts.min.js',
    'data/cdnow/CDNOW_sample.txt',
    'sample.csv',
  ].filter((f) => !existsSync(path.join(WWW, f)));
  if (missing.length) {
    throw new Error(
      `missing in ${WWW}: ${missing.join(', ')}; run scripts/build.sh (www/pkg, www/vendor, www/data) and ` +
        'node scripts/generate-sample.mjs (www/sample.csv) first',
    );
  }
}

/** Path of the native CLI (TIERWISE_BIN or target/release/tierwise). */
export function cliPath() {
  return path.resolve(ROOT, process.env.TIERWISE_BIN || 'target/release/tierwise');
}

/**
 * Run `tierwise analyze FILE --out DIR/customers.csv --summary DIR/summary.json` (plus `--options JSON`
 * when `options` is given).
 * @returns {{summary: object, csv: Buffer, csvPath: string, summaryPath: string}}
 */
export function runCli(inputFile, dir, options) {
  const bin = cliPath();
  if (!existsSync(bin)) {
    throw new Error(`native CLI not found at ${bin}; build it with cargo build --release or set TIERWISE_BIN`);
  }
  const csvPath = path.join(dir, 'customers.csv');
  const summaryPath = path.join(dir, 'summary.json');
  try {
    const extra = options ? ['--options', JSON.stringify(options)] : [];
    execFileSync(bin, ['analyze', inputFile, '--out', csvPath, '--summary', summaryPath, ...extra], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    const stderr = e.stderr ? e.stderr.toString() : '';
    throw new Error(`${bin} analyze ${inputFile} failed (exit ${e.status}): ${stderr || e.message}`);
  }
  return {
    summary: JSON.parse(readFileSync(summaryPath, 'utf8')),
    csv: readFileSync(csvPath),
    csvPath,
    summaryPath,
  };
}

/** Parse the first `n` records of CSV text (RFC 4180 quoting; a leading BOM is dropped). */
export function csvRecords(text, n = Infinity) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records = [];
  let field = '';
  let record = [];
  let i = 0;
  let quoted = false;
  while (i < text.length && records.length < n) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' || c === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else {
      field += c;
    }
    i++;
  }
  if ((field !== '' || record.length) && records.length < n) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** Describe the first difference between two byte buffers, line by line. */
export function describeDifference(actual, expected, names = ['page', 'cli']) {
  if (actual.equals(expected)) return null;
  const bom = (b) => b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
  const notes = [];
  if (bom(actual) !== bom(expected)) {
    notes.push(`BOM: ${names[0]} ${bom(actual) ? 'has' : 'lacks'} it, ${names[1]} ${bom(expected) ? 'has' : 'lacks'} it`);
  }
  const a = actual.toString('utf8').split('\n');
  const b = expected.toString('utf8').split('\n');
  const clip = (s) => (s === undefined ? '<end of file>' : JSON.stringify(s.length > 300 ? s.slice(0, 300) + '…' : s));
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      notes.push(`first difference at line ${i + 1}:\n  ${names[0]}: ${clip(a[i])}\n  ${names[1]}: ${clip(b[i])}`);
      break;
    }
  }
  notes.push(`sizes: ${names[0]} ${actual.length} bytes, ${names[1]} ${expected.length} bytes; lines: ${a.length} vs ${b.length}`);
  return notes.join('\n');
}

/**
 * Serves www/ on 127.0.0.1, opens it in a fresh headless Chromium and records every request the page
 * makes into `requests` and its errors into `problems`. `close()` shuts the browser and the server.
 */
/**
 * Installed in every page before its scripts run: the workbench lives in the shadow root of
 * <tierwise-app>, so tests look elements up with twq(selector) / twqa(selector) (the shadow root, or the
 * document before the element has one) and send or hear its internal events on twHost().
 */
export function installShadowHelpers() {
  window.twHost = () => document.querySelector('tierwise-app');
  window.twRoot = () => window.twHost()?.shadowRoot ?? document;
  window.twq = (sel) => window.twRoot().querySelector(sel);
  window.twqa = (sel) => window.twRoot().querySelectorAll(sel);
}

export async function openPageSession({ requests, problems, acceptDownloads = false }) {
  const { startServer } = await import('../../scripts/serve.mjs');
  const server = await startServer({ root: WWW, port: 0, host: '127.0.0.1' });
  const origin = new URL(server.url).origin;
  const browser = await launchChromium();
  const context = await browser.newContext({ acceptDownloads, viewport: { width: 1280, height: 900 } });
  context.on('request', (r) => requests.push(r.url()));
  await context.addInitScript(installShadowHelpers);
  const page = await context.newPage();
  collectProblems(page, problems);
  await page.goto(server.url, { waitUntil: 'load' });
  await workbenchReady(page);
  const close = async () => {
    await browser.close().catch(() => {});
    await server.close().catch(() => {});
  };
  return { server, origin, browser, context, page, close };
}

/** Waits until the page's <tierwise-app> is wired (its `ready`), so that a file chosen now is analysed now. */
export async function workbenchReady(page) {
  await page.evaluate(async () => {
    await customElements.whenDefined('tierwise-app');
    await document.querySelector('tierwise-app')?.ready;
  });
}

/** Records the page's uncaught errors and console errors (its workers' too) into `problems`. */
export function collectProblems(page, problems) {
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  page.on('worker', (w) => {
    w.on('console', (m) => {
      if (m.type() === 'error') problems.push(`worker console.error: ${m.text()}`);
    });
  });
}

/** The `data-value` of the element `[data-testid=testid]`; fails the test when it has none. */
export async function dataValueOf(page, testid) {
  const v = await page.getAttribute(`[data-testid="${testid}"]`, 'data-value');
  if (v === null) throw new Error(`[data-testid=${testid}] has no data-value`);
  return v;
}

/** Fails the test when `problems` (see collectProblems) is not empty. */
export function assertNoProblemsIn(problems) {
  if (problems.length) throw new Error(`page errors or console errors:\n${problems.join('\n')}`);
}

/** The recorded request URLs that left `origin` (blob: and data: URLs stay in the page). */
export function foreignRequests(requests, origin) {
  return requests.filter((u) => !(u.startsWith(origin + '/') || u.startsWith('blob:') || u.startsWith('data:')));
}

/** A file of two customers with one order each: too few for the models, no one active a year before. */
export const TINY_CSV = 'order_id,customer_id,order_date,amount\n1001,A,2024-01-05,120.00\n1002,B,2024-02-10,80.00\n';

/** A function making fresh subdirectories of `root` by name. */
export function subdirsOf(root) {
  return (name) => {
    const d = path.join(root, name);
    mkdirSync(d);
    return d;
  };
}

/** Waits until the page's run ends; fails the test with the page's message when it ended in an error. */
export async function waitForRunOf(page) {
  await page.waitForFunction(
    () => ['done', 'error'].includes(twq('#status')?.dataset.state),
    null,
    { timeout: 60_000 },
  );
  const state = await page.getAttribute('#status', 'data-state');
  if (state === 'done') {
    // the charts drawn off the first paint (www/charts.js drawChart) are drawn too
    await page.waitForFunction(() => twqa('[data-drawing]').length === 0, null, { timeout: 60_000 });
  }
  if (state === 'error') {
    const msg = (await page.textContent('#error')) || (await page.textContent('#status'));
    assert.fail(`the page reported an error: ${msg}`);
  }
}
