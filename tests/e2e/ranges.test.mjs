// Reading a large file in byte ranges in the browser (docs/speed.md#ranges): the analysis worker reads
// the first range while helper workers read the others, and the parts are merged. The results must be
// exactly those of one reader: the same summary and the same customers CSV as `readers: 1` in the page
// and as the native CLI reading alone (`--threads 1`), for 2 and 3 readers; a file whose cut falls inside
// a quoted line break is refused and read again alone, with the same result; progress covers the whole
// file; a cancel stops the helpers.
//
//   node --test tests/e2e/ranges.test.mjs
//
// Needs what page.test.mjs needs (scripts/build.sh, the CLI, Debian chromium).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startServer } from '../../scripts/serve.mjs';
import { ROOT, WWW, checkSiteBuilt, cliPath, launchChromium, collectProblems, assertNoProblemsIn } from './helpers.mjs';

const TIMEOUT = 180_000;

let server;
let browser;
let page;
let tmp;
const problems = [];

/** Row `i` of the test files; with `quoted`, its note holds a line break inside quotes. */
function row(i, quoted) {
  const amount = i % 50021 === 7 ? 'n/a' : `${5 + (i % 400)}.${String(i % 100).padStart(2, '0')}`;
  const customer = i % 70001 === 11 ? '' : `C${String((i * 7919) % 30011).padStart(5, '0')}`;
  const note = quoted ? '"two\nlines"' : 'plain';
  return `O${i},${customer},2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')},${amount},${note}\n`;
}

/**
 * About 13 MB of transactions (three ranges of 4 MiB or more): order ids, customers met all through the
 * file, an unparsable amount every 50,021 rows (so examples' row numbers must follow on across ranges),
 * an empty customer every 70,001 rows. With `quoted`, every note holds a quoted line break, and rows are
 * added until the cut of two readers (the first line feed after the middle: www/worker/ranges.js) falls
 * on such a break, inside quotes.
 */
function transactions(quoted) {
  const parts = ['order_id,customer_id,order_date,amount,note\n'];
  let size = parts[0].length;
  let i = 0;
  for (; size < 13 * 1024 * 1024; i++) {
    parts.push(row(i, quoted));
    size += parts.at(-1).length;
  }
  let text = parts.join('');
  while (quoted) {
    const lf = text.indexOf('\n', Math.floor(text.length / 2));
    if (text.startsWith('lines"', lf + 1)) break;
    text += row(i++, quoted);
  }
  return text;
}

/** The native CLI reading alone: its CSV (text). */
function cliAlone(file) {
  const out = path.join(tmp, `${path.basename(file)}.cli.csv`);
  execFileSync(cliPath(), ['analyze', file, '--threads', '1', '--out', out], { cwd: ROOT, stdio: 'ignore' });
  return readFileSync(out, 'utf8');
}

before(async () => {
  checkSiteBuilt();
  tmp = mkdtempSync(path.join(tmpdir(), 'tierwise-ranges-'));
  writeFileSync(path.join(tmp, 'plain.csv'), transactions(false));
  writeFileSync(path.join(tmp, 'quoted.csv'), transactions(true));
  // Windows-1252 (as Excel saves CSV in western Europe): ü is byte 0xFC, not UTF-8
  writeFileSync(path.join(tmp, 'latin1.csv'), Buffer.from(transactions(false).replace(/plain/g, 'Müller'), 'latin1'));
  server = await startServer({ root: WWW, port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
  page = await browser.newPage();
  collectProblems(page, problems);
  await page.goto(server.url, { waitUntil: 'load' });
  // a worker of our own, and a file input to hand it Files from disk
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'ranges-file';
    document.body.append(input);
    const worker = new Worker(new URL('./worker.js', document.baseURI), { type: 'module' });
    const log = [];
    const waiters = [];
    worker.onmessage = ({ data }) => {
      log.push(data);
      for (let i = 0; i < waiters.length; i++) {
        if (waiters[i](data)) {
          waiters.splice(i, 1);
          break;
        }
      }
    };
    const answer = (id) =>
      new Promise((resolve) => {
        const done = log.find((d) => d.id === id && d.type !== 'progress');
        if (done) resolve(done);
        else waiters.push((d) => d.id === id && d.type !== 'progress' && (resolve(d), true));
      });
    window.__ranges = { worker, log, answer };
  });
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.close().catch(() => {});
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Analyses `name` from disk with `readers`; returns the summary, the CSV, `ranges` and the progress. */
async function analyse(name, readers) {
  await page.setInputFiles('#ranges-file', path.join(tmp, name));
  return page.evaluate(async ({ readers, id }) => {
    const { worker, log, answer } = window.__ranges;
    const file = document.getElementById('ranges-file').files[0];
    worker.postMessage({ type: 'analyze', id, file, readers, deferModels: false });
    const result = await answer(id);
    if (result.type !== 'result') return { error: result.message ?? result.type };
    worker.postMessage({ type: 'exportCsv', id: `${id}-csv` });
    const csv = await answer(`${id}-csv`);
    const progress = log.filter((d) => d.id === id && d.type === 'progress');
    return {
      // once half the file is in, a read that started over from the file's start would report less
      // than 45 % of it again
      neverStartsOver: progress.every(
        (p, i) => !progress.slice(0, i).some((q) => q.bytesRead >= file.size / 2) || p.bytesRead >= file.size * 0.45,
      ),
      size: file.size,
      summary: JSON.stringify(result.summary),
      csv: new TextDecoder('utf-8', { ignoreBOM: true }).decode(csv.bytes),
      ranges: result.ranges,
      lastProgress: progress.at(-1) && { bytesRead: progress.at(-1).bytesRead, totalBytes: progress.at(-1).totalBytes },
    };
  }, { readers, id: `${name}-${readers}-${Math.random()}` });
}

test('2 and 3 readers give exactly the result of one, and of the CLI reading alone', { timeout: TIMEOUT }, async () => {
  const alone = await analyse('plain.csv', 1);
  assert.equal(alone.error, undefined, alone.error);
  assert.equal(alone.ranges, null, 'readers: 1 reads alone');
  const summary = JSON.parse(alone.summary);
  assert.ok(summary.input.rejected.bad_amount.count >= 5, 'rejected amounts all through the file');
  assert.ok(summary.input.rejected.missing_customer.count >= 3, 'empty customers all through the file');
  assert.equal(alone.csv, cliAlone(path.join(tmp, 'plain.csv')), 'the page alone writes the CLI\'s CSV');
  for (const readers of [2, 3]) {
    const r = await analyse('plain.csv', readers);
    assert.equal(r.error, undefined, r.error);
    assert.equal(r.ranges?.readers, readers, `${readers} ranges`);
    assert.equal(r.ranges.merged, true, `merged (${r.ranges.refused})`);
    assert.equal(r.ranges.helperMemoryBytes.length, readers - 1);
    assert.ok(r.ranges.helperMemoryBytes.every((b) => b > 0 && b % 65536 === 0), 'helpers report their wasm memory');
    assert.equal(r.summary, alone.summary, `${readers} readers: the same summary`);
    assert.ok(r.csv === alone.csv, `${readers} readers: the same CSV`);
    assert.deepEqual(r.lastProgress, { bytesRead: r.size, totalBytes: r.size }, 'progress covers every range');
  }
});

test('a cut inside a quoted line break is refused and the worker reads on alone, with the same result', { timeout: TIMEOUT }, async () => {
  const alone = await analyse('quoted.csv', 1);
  assert.equal(alone.error, undefined, alone.error);
  const r = await analyse('quoted.csv', 2);
  assert.equal(r.ranges?.readers, 2);
  assert.equal(r.ranges.merged, false);
  assert.match(r.ranges.refused, /record boundary/);
  // the first range is not read twice: the worker goes on from the cut (the helper's bytes, counted
  // while it read, drop out of the progress, but the progress never starts over)
  assert.equal(r.neverStartsOver, true);
  assert.deepEqual(r.lastProgress, { bytesRead: r.size, totalBytes: r.size });
  assert.equal(r.summary, alone.summary);
  assert.ok(r.csv === alone.csv, 'the same CSV');
  assert.equal(alone.csv, cliAlone(path.join(tmp, 'quoted.csv')), 'the CLI\'s CSV');
});

test('a file that is not UTF-8 is read alone from the start, with the same result', { timeout: TIMEOUT }, async () => {
  const alone = await analyse('latin1.csv', 1);
  assert.equal(alone.error, undefined, alone.error);
  assert.equal(JSON.parse(alone.summary).input.encoding, 'windows-1252');
  const r = await analyse('latin1.csv', 2);
  assert.equal(r.ranges, null, 'no ranges: its head is not UTF-8');
  assert.equal(r.summary, alone.summary);
  assert.ok(r.csv === alone.csv, 'the same CSV');
});

test('a cancel during a read in ranges stops it, and the worker analyses again', { timeout: TIMEOUT }, async () => {
  await page.setInputFiles('#ranges-file', path.join(tmp, 'plain.csv'));
  const r = await page.evaluate(async () => {
    const { worker, log, answer } = window.__ranges;
    const file = document.getElementById('ranges-file').files[0];
    const big = new Blob([file, file.slice(file.size / 2)]); // (still one header, rows after it)
    worker.postMessage({ type: 'analyze', id: 'to-cancel', file: big, readers: 2 });
    await new Promise((resolve) => {
      const tick = () => (log.some((d) => d.id === 'to-cancel' && d.type === 'progress') ? resolve() : setTimeout(tick, 5));
      tick();
    });
    worker.postMessage({ type: 'cancel', id: 'to-cancel' });
    worker.postMessage({ type: 'analyze', id: 'after', file, readers: 2, deferModels: false });
    const after = await answer('after');
    await new Promise((resolve) => setTimeout(resolve, 200));
    return {
      cancelledAnswers: log.filter((d) => d.id === 'to-cancel' && d.type !== 'progress').map((d) => [d.type, d.cancelled]),
      after: after.type,
      merged: after.ranges?.merged,
    };
  });
  assert.deepEqual(r.cancelledAnswers, [['error', true]], 'the cancelled analysis is answered as cancelled');
  assert.equal(r.after, 'result');
  assert.equal(r.merged, true);
  assertNoProblemsIn(problems);
});
