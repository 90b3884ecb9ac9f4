// Streaming input in the page and the worker (issue 3): a File is read in chunks with progress, a run can
// be cancelled, a file whose first MiB misleads the core is read twice, and the worker protocol's `file`
// and `bytes` inputs agree. Expected values come from the native CLI on the same files or from the
// fixture's .expect.json, never from the page itself.
//
//   node --test tests/e2e/stream.test.mjs
//
// Needs what page.test.mjs needs (scripts/build.sh, the CLI, Debian chromium). Generates its input files
// into a temporary folder with scripts/generate-sample.mjs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startServer } from '../../scripts/serve.mjs';
import {
  ROOT,
  WWW,
  checkSiteBuilt,
  launchChromium,
  runCli,
  describeDifference,
  collectProblems,
  dataValueOf,
  assertNoProblemsIn,
  foreignRequests,
  installShadowHelpers,
  workbenchReady,
} from './helpers.mjs';

const TIMEOUT = 120_000;
const LATE_1252 = path.join(ROOT, 'tests/fixtures/ingest/late_windows1252.csv');

let server;
let origin;
let browser;
let context;
let page;
let tmp;
const files = {}; // name -> path
const cli = {}; // name -> runCli(...) result
const requests = [];
const problems = [];

function mkdir(name) {
  const dir = path.join(tmp, name);
  execFileSync('mkdir', ['-p', dir]);
  return dir;
}

before(async () => {
  checkSiteBuilt();
  tmp = mkdtempSync(path.join(tmpdir(), 'tierwise-stream-'));

  // (a) a few MB: 100,000 rows (~5.7 MB), more than two default pushes.
  files.medium = path.join(tmp, 'medium.csv');
  execFileSync(process.execPath, [
    path.join(ROOT, 'scripts/generate-sample.mjs'), '--rows', '100000', '--seed', '7', '--out', files.medium,
  ], { stdio: 'ignore' });
  // (b) ~115 MB, 2M rows, for the cancel tests: the medium file's data rows twenty times over (same
  // customers, more purchases), written in a fraction of the time a generation takes. Large enough that
  // the worker is still reading it when the page's cancel arrives, even on a loaded 2-core machine.
  files.big = path.join(tmp, 'big.csv');
  const medium = readFileSync(files.medium);
  const bodyStart = medium.indexOf(0x0a) + 1;
  const fd = openSync(files.big, 'w');
  writeSync(fd, medium);
  for (let i = 1; i < 20; i++) writeSync(fd, medium, bodyStart);
  closeSync(fd);

  cli.medium = runCli(files.medium, mkdir('cli-medium'));
  cli.sample = runCli(path.join(WWW, 'sample.csv'), mkdir('cli-sample'));
  cli.late = runCli(LATE_1252, mkdir('cli-late'));

  server = await startServer({ root: WWW, port: 0, host: '127.0.0.1' });
  origin = new URL(server.url).origin;
  browser = await launchChromium();
  context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  context.on('request', (r) => requests.push(r.url()));
  page = await context.newPage();
  // Count reads of a Blob's contents on the main thread: the page must hand the File to the worker.
  await page.addInitScript(installShadowHelpers);
  await page.addInitScript(() => {
    // Log what the page and its workers say to each other.
    window.__workerLog = [];
    const NativeWorker = window.Worker;
    window.Worker = class extends NativeWorker {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', ({ data: d }) => {
          if (d && typeof d === 'object') {
            window.__workerLog.push({ dir: 'in', type: d.type, id: d.id, bytesRead: d.bytesRead, totalBytes: d.totalBytes, cancelled: d.cancelled });
          }
        });
      }
      postMessage(msg, ...rest) {
        if (msg && typeof msg === 'object') {
          window.__workerLog.push({ dir: 'out', type: msg.type, id: msg.id, file: msg.file instanceof Blob, bytes: msg.bytes != null });
        }
        return super.postMessage(msg, ...rest);
      }
    };
    window.__mainThreadReads = 0;
    for (const [proto, names] of [
      [Blob.prototype, ['arrayBuffer', 'text', 'stream', 'bytes']],
      [FileReader.prototype, ['readAsArrayBuffer', 'readAsText', 'readAsBinaryString', 'readAsDataURL']],
    ]) {
      for (const name of names) {
        const orig = proto[name];
        if (typeof orig !== 'function') continue;
        proto[name] = function (...args) {
          window.__mainThreadReads++;
          return orig.apply(this, args);
        };
      }
    }
  });
  collectProblems(page, problems);
  await page.goto(server.url, { waitUntil: 'load' });
  await workbenchReady(page);
  await page.waitForFunction(() => twq('#version')?.textContent.trim() !== '', null, {
    timeout: 30_000,
  });
}, { timeout: TIMEOUT });

after(async () => {
  await browser?.close().catch(() => {});
  await server?.close().catch(() => {});
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const assertNoProblems = () => assertNoProblemsIn(problems);

const dataValue = (testid) => dataValueOf(page, testid);

/**
 * Picks the large file and, at its first progress update, runs `action` in the page ('cancel': clicks
 * Cancel; 'choose-medium': chooses the medium file, staged in the page beforehand). The action runs in the
 * same task that shows the progress, so it reaches the worker while the big file is still being read
 * however slow the test's own round trips are (a Playwright call after the first progress was once late
 * enough, on a loaded machine, for the whole 115 MB to be read). Returns what the page saw when it acted.
 */
async function startBigFileThen(action) {
  if (action === 'choose-medium') {
    await page.evaluate(() => {
      if (document.getElementById('staged-file')) return;
      const input = Object.assign(document.createElement('input'), { type: 'file', id: 'staged-file', hidden: true });
      document.body.append(input);
    });
    await page.setInputFiles('#staged-file', files.medium);
  }
  const acted = page.evaluate((what) => new Promise((resolve) => {
    const bar = twq('[data-testid="progress-bar"]');
    const act = () => {
      if (!(Number(bar.dataset.value) > 0)) return false;
      const seen = { value: Number(bar.dataset.value), state: twq('#status').dataset.state };
      if (what === 'cancel') {
        const button = twq('[data-testid="cancel"]');
        seen.cancelUsable = !button.disabled && button.offsetParent !== null;
        button.click();
      } else {
        const input = twq('#file-input');
        const dt = new DataTransfer();
        dt.items.add(document.getElementById('staged-file').files[0]);
        input.files = dt.files;
        input.dispatchEvent(new Event('change', { bubbles: true }));
      }
      resolve(seen);
      return true;
    };
    // data-value is reset to 0 when the run starts, so the first value > 0 is the big file's.
    new MutationObserver((_, observer) => {
      if (act()) observer.disconnect();
    }).observe(bar, { attributes: true, attributeFilter: ['data-value'] });
  }), action);
  await page.setInputFiles('#file-input', files.big);
  const seen = await Promise.race([
    acted,
    new Promise((_, reject) => setTimeout(() => reject(new Error('no progress of the big file within 60 s')), 60_000)),
  ]);
  assert.equal(seen.state, 'analysing', 'the big file was being analysed');
  assert.ok(seen.value < statSync(files.big).size, `acted while the big file was being read: ${JSON.stringify(seen)}`);
  return seen;
}

/** Wait until #status leaves the running states; returns its data-state. */
async function waitForEnd() {
  await page.waitForFunction(
    () => ['done', 'error', 'cancelled'].includes(twq('#status')?.dataset.state),
    null,
    { timeout: 90_000 },
  );
  return page.getAttribute('#status', 'data-state');
}

async function waitForDone() {
  const state = await waitForEnd();
  if (state !== 'done') {
    const msg = (await page.textContent('#error')) || (await page.textContent('#status'));
    assert.fail(`expected a finished analysis, got state ${state}: ${msg}`);
  }
}

/**
 * Record every value the progress bar takes (data-value, data-pass) and whether the bar was visible, from
 * now on. Mutation records keep the old values, so no update is lost however fast they come.
 */
async function recordProgress() {
  await page.evaluate(() => {
    const bar = twq('[data-testid="progress-bar"]');
    const box = twq('[data-testid="progress"]');
    window.__progress = [];
    window.__progressObserver?.disconnect();
    window.__progressObserver = new MutationObserver(() => {
      window.__progress.push({
        value: Number(bar.dataset.value),
        total: Number(bar.dataset.total),
        pass: Number(bar.dataset.pass),
        visible: !box.hidden,
      });
    });
    window.__progressObserver.observe(bar, { attributes: true, attributeFilter: ['data-value', 'data-pass'] });
  });
}

const recorded = () => page.evaluate(() => window.__progress.slice());

/** Messages between the page and its workers since the last call. */
const takeWorkerLog = () => page.evaluate(() => window.__workerLog.splice(0));

/** The page's customer CSV export, as bytes. */
async function exportCsv() {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  return readFileSync(await download.path());
}

test('a picked file is streamed to the worker with progress and gives the CLI\'s figures', { timeout: TIMEOUT }, async () => {
  const size = statSync(files.medium).size;
  await recordProgress();
  await takeWorkerLog();
  await page.setInputFiles('#file-input', files.medium);
  await waitForDone();
  const s = cli.medium.summary;
  const sent = (await takeWorkerLog()).filter((m) => m.dir === 'out' && m.type === 'analyze');
  assert.deepEqual(sent.map((m) => [m.file, m.bytes]), [[true, false]], 'the page posted the File itself');

  // Progress: shown while running, bytes read only ever growing, a value strictly between 0 and the size
  // (the report after the first push), and the whole file at the end of the pass.
  const seen = (await recorded()).filter((p) => p.value > 0);
  assert.ok(seen.length >= 2, `progress updates: ${JSON.stringify(seen)}`);
  assert.ok(seen.every((p) => p.visible), 'the progress bar was visible while bytes were being read');
  assert.ok(seen.every((p) => p.total === size), `progress total = file size ${size}: ${JSON.stringify(seen)}`);
  for (let i = 1; i < seen.length; i++) {
    assert.ok(seen[i].value >= seen[i - 1].value, `bytes read never decrease: ${JSON.stringify(seen)}`);
  }
  assert.ok(seen[0].value < size, `a report before the end of the file: ${JSON.stringify(seen)}`);
  assert.equal(seen.at(-1).value, size, 'the last report covers the whole file');
  assert.equal(await page.isHidden('[data-testid="progress"]'), true, 'progress hidden once done');
  assert.equal(await page.evaluate(() => window.__mainThreadReads), 0, 'the page did not read the file itself');
  assert.equal(await page.isDisabled('[data-testid="cancel"]'), true, 'nothing to cancel once done');

  // Figures equal the CLI's on the same file; the export equals its customers.csv byte for byte.
  assert.equal(Number(await dataValue('kpi-customers')), s.customers, 'customers');
  assert.equal(Number(await dataValue('dq-rows')), s.input.rows, 'rows read');
  assert.equal(Number(await dataValue('dq-used')), s.input.used, 'rows used');
  const revenue = Number(await dataValue('kpi-revenue'));
  assert.ok(Math.abs(revenue - s.kpis.revenue) <= 0.005, `revenue: page ${revenue}, cli ${s.kpis.revenue}`);
  assert.equal(await dataValue('dq-analysis-date'), s.analysisDate);
  const diff = describeDifference(await exportCsv(), cli.medium.csv, ['page export', 'CLI customers.csv']);
  assert.ok(diff === null, `exported CSV differs from the CLI output:\n${diff}`);
  assertNoProblems();
});

test('Cancel stops a large file, keeps the previous results, and the page analyses again', { timeout: TIMEOUT }, async () => {
  const bigSize = statSync(files.big).size;
  const previousCustomers = cli.medium.summary.customers; // the results of the test above
  await recordProgress();
  const atCancel = await startBigFileThen('cancel');
  assert.equal(atCancel.cancelUsable, true, 'Cancel was visible and enabled during the run');

  assert.equal(await waitForEnd(), 'cancelled');
  assert.match(await page.textContent('#status'), /^Cancelled\./);
  assert.match(await page.textContent('#status'), /medium\.csv/, 'says whose results are still shown');
  assert.equal(await page.isHidden('#error'), true, 'a cancel is not an error');
  assert.equal(await page.isHidden('[data-testid="progress"]'), true, 'progress hidden');
  assert.equal(await page.isDisabled('[data-testid="cancel"]'), true);
  assert.equal(await page.isEnabled('#file-input'), true);
  assert.equal(await page.isEnabled('#load-sample'), true);
  const seen = await recorded();
  assert.ok(seen.length > 0 && seen.every((p) => p.total === bigSize), `progress of the big file: ${JSON.stringify(seen)}`);
  assert.ok(
    seen.every((p) => p.value < bigSize),
    `the run stopped before the end of the file: ${JSON.stringify(seen.slice(-3))} of ${bigSize}`,
  );

  // The previous analysis is still the worker's: its results stay and its export still works.
  assert.equal(await page.isVisible('#results'), true);
  assert.equal(Number(await dataValue('kpi-customers')), previousCustomers);
  const diff = describeDifference(await exportCsv(), cli.medium.csv, ['export after cancel', 'CLI customers.csv']);
  assert.ok(diff === null, `export after cancel:\n${diff}`);

  // A small file analyses normally afterwards.
  await page.setInputFiles('#file-input', path.join(WWW, 'sample.csv'));
  await waitForDone();
  assert.equal(Number(await dataValue('kpi-customers')), cli.sample.summary.customers);
  assert.equal(Number(await dataValue('dq-rows')), cli.sample.summary.input.rows);
  assertNoProblems();
});

test('choosing a new file during a run cancels the old run', { timeout: TIMEOUT }, async () => {
  await recordProgress();
  await takeWorkerLog();
  await startBigFileThen('choose-medium');
  await waitForDone();
  assert.equal(Number(await dataValue('kpi-customers')), cli.medium.summary.customers);
  assert.equal(Number(await dataValue('dq-rows')), cli.medium.summary.input.rows);
  assert.match(await page.textContent('#status'), new RegExp(cli.medium.summary.customers.toLocaleString('en-US')));

  // The old run was cancelled by the page and stopped by the worker before the end of the big file.
  const log = await takeWorkerLog();
  const runs = log.filter((m) => m.dir === 'out' && m.type === 'analyze').map((m) => m.id);
  assert.equal(runs.length, 2, `two analyze requests: ${JSON.stringify(log.filter((m) => m.dir === 'out'))}`);
  const [oldId, newId] = runs;
  assert.ok(log.some((m) => m.dir === 'out' && m.type === 'cancel' && m.id === oldId), 'the page cancelled the old run');
  const oldAnswers = log.filter((m) => m.dir === 'in' && m.id === oldId && m.type !== 'progress');
  assert.deepEqual(oldAnswers.map((m) => [m.type, m.cancelled]), [['error', true]], 'the old run was answered as cancelled');
  const oldProgress = log.filter((m) => m.dir === 'in' && m.id === oldId && m.type === 'progress');
  assert.ok(
    oldProgress.length > 0 && oldProgress.every((m) => m.bytesRead < m.totalBytes),
    `the old run stopped early: ${JSON.stringify(log)}`,
  );
  assert.ok(log.some((m) => m.dir === 'in' && m.id === newId && m.type === 'result'), 'the new run finished');
  assertNoProblems();
});

test('a file whose first MiB misleads the encoding is read twice (second pass)', { timeout: TIMEOUT }, async () => {
  const expect = JSON.parse(readFileSync(LATE_1252.replace(/\.csv$/, '.expect.json'), 'utf8'));
  const s = cli.late.summary;
  assert.equal(s.input.encoding, expect.encoding, 'the CLI agrees with the fixture');
  assert.equal(s.customers, expect.customers, 'the CLI agrees with the fixture');

  await recordProgress();
  await page.setInputFiles('#file-input', LATE_1252);
  await waitForDone();
  assert.equal(await dataValue('dq-encoding'), expect.encoding);
  assert.equal(Number(await dataValue('kpi-customers')), s.customers);
  assert.equal(Number(await dataValue('dq-rows')), s.input.rows);
  assert.equal(await page.getAttribute('#status', 'data-passes'), '2', 'the result says 2 passes');
  assert.match(await page.textContent('#status'), /read twice/);
  const passes = new Set((await recorded()).map((p) => p.pass));
  assert.ok(passes.has(2), `the progress bar showed the second pass: ${[...passes]}`);
  // The same in Chinese: the two-pass note is translated.
  await page.click('#lang-zh');
  assert.match(await page.textContent('#status'), /两遍/);
  assert.equal(await page.textContent('[data-testid="cancel"]'), '取消');
  await page.click('#lang-en');
  assert.equal(await page.evaluate(() => window.__mainThreadReads), 0, 'no file was read on the main thread');

  const diff = describeDifference(await exportCsv(), cli.late.csv, ['page export', 'CLI customers.csv']);
  assert.ok(diff === null, `exported CSV differs from the CLI output:\n${diff}`);
  assertNoProblems();
});

test('a dropped file goes to the worker as a File too', { timeout: TIMEOUT }, async () => {
  await takeWorkerLog();
  const reads = await page.evaluate(() => window.__mainThreadReads);
  const dataTransfer = await page.evaluateHandle(async () => {
    const blob = await (await fetch('sample.csv')).blob();
    const dt = new DataTransfer();
    dt.items.add(new File([blob], 'dropped.csv', { type: 'text/csv' }));
    return dt;
  });
  await page.dispatchEvent('[data-testid="drop-zone"]', 'dragenter', { dataTransfer });
  await page.dispatchEvent('[data-testid="drop-zone"]', 'drop', { dataTransfer });
  await waitForDone();
  assert.equal(Number(await dataValue('kpi-customers')), cli.sample.summary.customers);
  assert.equal(Number(await dataValue('dq-rows')), cli.sample.summary.input.rows);
  const sent = (await takeWorkerLog()).filter((m) => m.dir === 'out' && m.type === 'analyze');
  assert.deepEqual(sent.map((m) => [m.file, m.bytes]), [[true, false]], 'the page posted the File itself');
  assert.equal(await page.evaluate(() => window.__mainThreadReads), reads, 'the page did not read the file');
  assertNoProblems();
});

test('worker protocol: file and bytes inputs, progress, cancel, second pass, result fields', { timeout: TIMEOUT }, async () => {
  const r = await page.evaluate(async () => {
    const worker = new Worker(new URL('./worker.js', document.baseURI), { type: 'module' });
    const log = []; // every message, in order
    const waiters = [];
    worker.onmessage = ({ data }) => {
      log.push(data);
      for (let i = 0; i < waiters.length; i++) {
        if (waiters[i].match(data)) {
          waiters.splice(i, 1)[0].resolve(data);
          break;
        }
      }
    };
    const next = (match) =>
      new Promise((resolve) => {
        const old = log.find((d) => !d.__taken && match(d));
        if (old) {
          old.__taken = true;
          resolve(old);
        } else waiters.push({ match: (d) => match(d) && (d.__taken = true), resolve });
      });
    const answer = (id) => next((d) => d.id === id && d.type !== 'progress');
    const progressOf = (id) => log.filter((d) => d.id === id && d.type === 'progress');
    const ask = (msg, transfer = []) => {
      worker.postMessage(msg, transfer);
      return answer(msg.id);
    };
    const pick = (res) => ({
      type: res.type,
      customerCount: res.customerCount,
      passes: res.passes,
      bytesRead: res.bytesRead,
      wasmMemoryBytes: res.wasmMemoryBytes,
      timingsIsObject: res.timings != null && typeof res.timings === 'object',
      timingsNumbers: res.timings != null && Object.values(res.timings).every((v) => typeof v === 'number'),
      elapsedMs: res.elapsedMs,
      firstIds: res.columns?.customerId?.slice(0, 5),
    });
    const out = {};
    await next((d) => d.type === 'ready');

    const blob = await (await fetch('sample.csv')).blob();
    const buffer = await blob.arrayBuffer();
    out.size = blob.size;
    // Small pushes so that the file takes several of them.
    const viaFile = await ask({ type: 'analyze', id: 'file', file: blob, chunkBytes: 65536 });
    const viaBytes = await ask({ type: 'analyze', id: 'bytes', bytes: buffer, chunkBytes: 65536 }, [buffer]);
    out.file = pick(viaFile);
    out.bytes = pick(viaBytes);
    out.sameSummary = JSON.stringify(viaFile.summary) === JSON.stringify(viaBytes.summary);
    out.summary = viaFile.summary;
    out.progress = ['file', 'bytes'].map((id) =>
      progressOf(id).map(({ pass, bytesRead, totalBytes, rows, elapsedMs }) => ({ pass, bytesRead, totalBytes, rows, elapsedMs })),
    );

    // A file whose head is ASCII and whose end is Windows-1252, as bytes and as a Blob: two passes.
    const enc = new TextEncoder();
    const parts = [enc.encode('customer,date,amount\n')];
    for (let i = 0; i < 60000; i++) parts.push(enc.encode(`K${String(i % 100).padStart(3, '0')},2024-01-0${1 + (i % 9)},1.00\n`));
    parts.push(new Uint8Array([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72]), enc.encode(',2024-01-28,7.50\n'));
    const late = new Blob(parts);
    const lateBytes = await late.arrayBuffer();
    const lateFile = await ask({ type: 'analyze', id: 'late-file', file: late });
    const lateViaBytes = await ask({ type: 'analyze', id: 'late-bytes', bytes: lateBytes }, [lateBytes]);
    out.late = {
      size: late.size,
      file: pick(lateFile),
      bytes: pick(lateViaBytes),
      encoding: lateFile.summary?.input?.encoding,
      lastId: null,
      sameSummary: JSON.stringify(lateFile.summary) === JSON.stringify(lateViaBytes.summary),
      passesSeen: [...new Set(progressOf('late-file').map((p) => p.pass))],
      rowsAtEnd: progressOf('late-file').filter((p) => p.bytesRead === late.size).map((p) => p.rows),
    };
    const lastRows = await ask({ type: 'rows', id: 'late-rows', offset: lateFile.customerCount - 1, limit: 1, columns: ['customerId'] });
    out.late.lastId = lastRows.columns.customerId[0];

    // Back to the sample, then cancel runs: a queued one (cancelled before it starts) and a running one.
    await ask({ type: 'analyze', id: 'base', file: blob });
    const big = new Blob(Array.from({ length: 40 }, () => blob)); // ~26 MB
    worker.postMessage({ type: 'analyze', id: 'run', file: big });
    worker.postMessage({ type: 'analyze', id: 'queued', file: big });
    worker.postMessage({ type: 'cancel', id: 'queued' });
    await next((d) => d.id === 'run' && d.type === 'progress');
    worker.postMessage({ type: 'cancel', id: 'run' });
    const [run, queued] = await Promise.all([answer('run'), answer('queued')]);
    out.cancelled = [run, queued].map(({ type, message, cancelled, fatal }) => ({ type, message, cancelled, fatal }));
    out.runProgress = progressOf('run').map((p) => p.bytesRead);
    out.bigSize = big.size;
    out.queuedProgress = progressOf('queued').length;
    // The previous analysis ('base', the sample) is still there, and a re-run without input re-reads it.
    const csv = await ask({ type: 'exportCsv', id: 'csv' });
    out.csvAfterCancel = csv.type === 'csv' ? csv.bytes.byteLength : csv.message;
    const rerun = await ask({ type: 'analyze', id: 'rerun' });
    out.rerun = pick(rerun);
    const freed = await ask({ type: 'free', id: 'free' });
    out.freed = freed.type;
    const noInput = await ask({ type: 'analyze', id: 'none' });
    out.noInput = { type: noInput.type, message: noInput.message, fatal: noInput.fatal };
    worker.terminate();
    return out;
  });

  const s = cli.sample.summary;
  for (const via of ['file', 'bytes']) {
    const x = r[via];
    assert.equal(x.type, 'result', via);
    assert.equal(x.customerCount, s.customers, `${via}: customers`);
    assert.equal(x.passes, 1, `${via}: passes`);
    assert.equal(x.bytesRead, r.size, `${via}: bytesRead`);
    assert.ok(Number.isFinite(x.wasmMemoryBytes) && x.wasmMemoryBytes > 0, `${via}: wasmMemoryBytes ${x.wasmMemoryBytes}`);
    assert.equal(x.wasmMemoryBytes % 65536, 0, `${via}: whole wasm pages`);
    assert.equal(x.timingsIsObject, true, `${via}: timings`);
    assert.equal(x.timingsNumbers, true, `${via}: timings are numbers`);
    assert.ok(Number.isFinite(x.elapsedMs) && x.elapsedMs >= 0, `${via}: elapsedMs`);
  }
  assert.equal(r.sameSummary, true, 'file and bytes inputs give identical summaries');
  assert.deepEqual(r.file.firstIds, r.bytes.firstIds);
  assert.equal(r.summary.input.rows, s.input.rows);
  assert.equal(r.summary.input.used, s.input.used);
  assert.equal(r.summary.analysisDate, s.analysisDate);
  assert.ok(Math.abs(r.summary.kpis.revenue - s.kpis.revenue) < 0.005);

  for (const [i, list] of r.progress.entries()) {
    const via = ['file', 'bytes'][i];
    assert.ok(list.length >= 2, `${via}: progress messages ${JSON.stringify(list)}`);
    assert.ok(list.every((p) => p.pass === 1 && p.totalBytes === r.size), `${via}: ${JSON.stringify(list)}`);
    assert.equal(list[0].bytesRead, 65536, `${via}: first report after the first push`);
    for (let k = 1; k < list.length; k++) {
      assert.ok(list[k].bytesRead >= list[k - 1].bytesRead && list[k].rows >= list[k - 1].rows, `${via}: growing`);
      assert.ok(list[k].elapsedMs >= list[k - 1].elapsedMs, `${via}: elapsed grows`);
    }
    assert.equal(list.at(-1).bytesRead, r.size, `${via}: last report = whole file`);
    // Records read so far: the core counts them once it has seen the first MiB (the sample is smaller, so
    // finish() counts them all), and never more than the file's rows.
    assert.ok(list.every((p) => p.rows >= 0 && p.rows <= s.input.rows), `${via}: rows ${JSON.stringify(list)}`);
  }

  // Second pass, from the bytes and from the Blob: windows-1252 (ü), 101 customers (K000…K099, Müller).
  for (const via of ['file', 'bytes']) {
    assert.equal(r.late[via].type, 'result', `late ${via}`);
    assert.equal(r.late[via].passes, 2, `late ${via}: two passes`);
    assert.equal(r.late[via].bytesRead, r.late.size, `late ${via}: bytesRead`);
    assert.equal(r.late[via].customerCount, 101, `late ${via}: customers`);
  }
  assert.equal(r.late.encoding, 'windows-1252');
  assert.equal(r.late.lastId, 'Müller', 'decoded as windows-1252 (sorted by UTF-8 bytes, ü sorts last)');
  assert.equal(r.late.sameSummary, true);
  assert.deepEqual(r.late.passesSeen, [1, 2], 'progress of both passes');
  // Over 1 MiB: the end-of-pass reports count (almost) all of its 60,001 data rows.
  assert.equal(r.late.rowsAtEnd.length, 2, `one end-of-pass report per pass: ${r.late.rowsAtEnd}`);
  assert.ok(r.late.rowsAtEnd.every((n) => n >= 60000 && n <= 60001), `rows at the end of each pass: ${r.late.rowsAtEnd}`);

  // Cancel.
  const cancelled = { type: 'error', message: 'cancelled', cancelled: true, fatal: false };
  assert.deepEqual(r.cancelled, [cancelled, cancelled]);
  assert.ok(r.runProgress.length > 0 && r.runProgress.every((b) => b < r.bigSize), `stopped early: ${r.runProgress}`);
  assert.equal(r.queuedProgress, 0, 'the queued request never started');
  assert.equal(r.csvAfterCancel, cli.sample.csv.length, 'the previous analysis stays usable after a cancel');
  assert.equal(r.rerun.type, 'result');
  assert.equal(r.rerun.customerCount, s.customers, 're-run reads the previous input again');
  assert.equal(r.rerun.bytesRead, r.size);
  assert.equal(r.freed, 'freed');
  assert.deepEqual(r.noInput, { type: 'error', message: 'analyze: no file given', fatal: false });
  assertNoProblems();
});

test('every request stayed on the page\'s own origin', { timeout: TIMEOUT }, async () => {
  assert.ok(requests.length > 0, 'requests were recorded');
  assert.deepEqual(foreignRequests(requests, origin), [], `requests outside ${origin}`);
  assert.ok(requests.some((u) => u.startsWith(origin + '/worker.js')), 'the worker was loaded');
  assertNoProblems();
});
