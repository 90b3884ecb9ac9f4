// The hostile-input corpus (issue 10): files and options that once crashed, hung, blew up memory or
// gave a silently wrong result. Every case runs through the CLI (exit code, the message on standard
// error, the summary) and through the wasm module in one shared instance (the coded error, or the
// summary), and after each case the same instance must still analyse a good file: a panic in wasm
// would leave it unusable. The expected codes come from docs/input.md (fatal errors, limits, warnings).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = process.env.TIERWISE_BIN || path.join(root, 'target/release/tierwise');
const enc = (s) => new TextEncoder().encode(s);
const GOOD = enc('customer_id,order_date,amount\nA,2024-01-01,10\nB,2024-01-05,20\nA,2024-01-09,5.5\n');

function lines(n, f) {
  let s = '';
  for (let i = 0; i < n; i++) s += f(i);
  return s;
}

// a deterministic pseudo-random generator (xorshift32) for the binary junk
function junk(n, seed) {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

function utf32le(s) {
  const cps = [...s].map((c) => c.codePointAt(0));
  const b = new Uint8Array(cps.length * 4);
  cps.forEach((cp, i) => new DataView(b.buffer).setUint32(i * 4, cp, true));
  return b;
}

// Each case: bytes, options, and either `error` (the message code, and a fragment of the English
// text) or `ok` (a check of the summary).
export const CASES = [
  { name: 'empty file', bytes: new Uint8Array(0), error: 'empty_file' },
  { name: 'only whitespace', bytes: enc('  \r\n\t\n \n'), error: 'empty_file' },
  { name: 'gzip', bytes: new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3, 4]), error: 'not_a_table', text: 'gzip' },
  { name: 'png', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0, 0, 0, 13]), error: 'not_a_table', text: 'image' },
  { name: 'pdf', bytes: enc('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj'), error: 'not_a_table', text: 'PDF' },
  { name: 'html', bytes: enc('<!DOCTYPE html><html><body><table><tr><td>A</td></tr></table>'), error: 'not_a_table', text: 'HTML' },
  { name: 'json lines', bytes: enc('{"customer":"A","date":"2024-01-01"}\n{"customer":"B"}\n'), error: 'not_a_table', text: 'JSON' },
  { name: 'UTF-32 without BOM', bytes: utf32le('customer_id,order_date\nA,2024-01-01\n'), error: 'not_a_table', text: 'UTF-32' },
  // a workbook: the CLI reads it (tests/workbook_cli.rs has the hand-worked numbers: 4 customers);
  // the analysis module alone refuses it by name (the page's worker converts it first)
  {
    name: 'an xlsx workbook',
    bytes: new Uint8Array(fs.readFileSync(path.join(root, 'tests/fixtures/workbooks/orders.xlsx'))),
    error: 'not_a_table', text: 'workbook',
    cliOk: (s) => assert.equal(s.customers, 4),
  },
  {
    name: 'a ZIP that is no workbook',
    bytes: enc('PK\u0003\u0004junkjunkjunk'),
    error: 'not_a_table', cliText: 'workbook',
  },
  { name: 'header only', bytes: enc('customer_id,order_date,amount\n'), error: 'nothing_usable' },
  { name: 'title rows only', bytes: enc('客户交易明细报表,,\n导出日期：2024-03-01,,\n'), errorAny: true },
  {
    name: '3,000 columns and no date: a short message',
    bytes: enc(Array.from({ length: 3000 }, (_, i) => `c${i}`).join(',') + '\n' + Array(3000).fill('1').join(',') + '\n'),
    error: 'no_date_column', maxMessage: 600,
  },
  { name: 'binary junk 1', bytes: junk(64 * 1024, 1), errorAny: true, okAny: true },
  { name: 'binary junk 2', bytes: junk(3000, 0xdeadbeef), errorAny: true, okAny: true },
  {
    name: 'NUL bytes and zero-width spaces inside ids',
    bytes: enc('customer_id,order_date,amount\nA\u0000,2024-01-01,1\nA\u200b,2024-01-02,2\n\u200b\u200b,2024-01-03,3\n'),
    ok: (s) => {
      assert.equal(s.customers, 1);
      assert.equal(s.input.rejected.missing_customer.count, 1);
    },
  },
  {
    name: 'one row dated 9999-12-31',
    bytes: enc('customer_id,order_date,amount\n' + lines(300, (i) => `C${i},2024-0${1 + (i % 9)}-15,5\n`) + 'X,9999-12-31,5\n'),
    ok: (s) => {
      assert.equal(s.analysisDate, '9999-12-31');
      assert.ok(s.warningCodes.some((w) => w.code === 'far_latest_date'));
    },
  },
  {
    name: 'dates spanning the whole calendar: bounded cohorts',
    bytes: enc('customer_id,order_date,amount\n' + lines(400, (i) => `C${i},${String(1 + i * 24).padStart(4, '0')}-06-15,5\n`)),
    ok: (s) => {
      assert.ok(s.kpis.cohorts.length <= 120);
      assert.ok(s.kpis.cohortsOmitted > 0);
      // the monthly series too: the last 120 months up to 9577-06; from 0001-06 to 9567-06 the
      // (9577 − 1) × 12 − 119 = 114,793 months before them are counted, not listed
      assert.equal(s.kpis.monthly.length, 120);
      assert.equal(s.kpis.monthly[119].month, '9577-06');
      assert.equal(s.kpis.monthlyOmitted, 114793);
    },
  },
  {
    name: 'a placeholder first date',
    bytes: enc('customer_id,order_date,amount\nP0,1900-01-01,5\n' + lines(200, (i) => `P${i},2024-0${1 + (i % 9)}-10,5\n`)),
    ok: (s) => assert.ok(s.warningCodes.some((w) => w.code === 'far_earliest_date')),
  },
  {
    name: 'a header-less order file: the order id is not the customer',
    bytes: enc(lines(60, (i) => `${7000 + i},K${i % 6},2024-01-${String(1 + (i % 28)).padStart(2, '0')},${(5 + (i % 4)).toFixed(2)}\n`)),
    ok: (s) => {
      assert.equal(s.customers, 6);
      assert.equal(s.input.columns.customer, 1);
      assert.equal(s.input.columns.order, 0);
    },
  },
  {
    name: 'an unclosed quote swallowing the rest of the file: one bad row where it opened',
    bytes: enc('customer_id,order_date,amount\nA,2024-01-01,10\nC,"2024-01-03,30\n' + lines(20000, (i) => `R${i % 50},2024-02-${String(1 + (i % 28)).padStart(2, '0')},1\n`)),
    ok: (s) => {
      assert.equal(s.input.rejected.malformed_row.count, 1);
      assert.equal(s.input.rejected.malformed_row.examples[0].row, 3);
      assert.equal(s.input.used, 20001);
      assert.equal(s.customers, 51);
    },
  },
  {
    name: 'a 4 MiB line in the middle: one bad row, the rest read',
    bytes: enc('customer_id,order_date,amount\nA,2024-01-01,10\nB,2024-01-02,' + '9'.repeat(4 << 20) + '\nC,2024-01-03,5\n'),
    ok: (s) => {
      assert.equal(s.input.rejected.malformed_row.count, 1);
      assert.equal(s.customers, 2);
    },
  },
  { name: 'a first record of 2 MiB', bytes: enc('x'.repeat(2 << 20) + '\nA,2024-01-01,5\n'), error: 'first_row_too_long' },
  {
    name: 'a 500 KB bad amount: a short example',
    bytes: enc('customer_id,order_date,amount\nA,2024-01-01,' + '7'.repeat(500000) + 'x\nA,2024-01-02,5\n'),
    ok: (s) => {
      const ex = s.input.rejected.bad_amount.examples[0];
      assert.ok(ex.value.length <= 201 && ex.message.length < 400, ex.message.length);
    },
  },
  {
    name: 'formula-looking ids: the CSV is guarded',
    bytes: enc("customer_id,order_date,amount\n=HYPERLINK(\"x\"),2024-01-01,5\n+1+1,2024-01-02,6\n@SUM(A1),2024-01-03,7\n"),
    ok: (s) => assert.equal(s.customers, 3),
    csv: (csv) => {
      for (const cell of ['\'=HYPERLINK', '\'+1+1', '\'@SUM(A1)']) assert.ok(csv.includes(cell), cell);
    },
  },
  { name: 'day count 2^32 - 1', bytes: GOOD, options: { churn: { inactiveDays: 4294967295 } }, error: 'invalid_option', text: 'churn.inactiveDays' },
  { name: 'day count 2^31', bytes: GOOD, options: { lifecycle: { newDays: 2147483648 } }, error: 'invalid_option' },
  {
    name: 'a huge threshold list: a short message',
    bytes: GOOD,
    options: { rfm: { mode: 'thresholds', thresholds: { r: Array.from({ length: 100000 }, (_, i) => i), f: [1], m: [1] } } },
    error: 'invalid_option', maxMessage: 400,
  },
  { name: 'headerRow past the rows read', bytes: GOOD, options: { headerRow: 99 }, error: 'invalid_option', text: 'headerRow' },
  { name: 'headerRow 0', bytes: GOOD, options: { headerRow: 0 }, error: 'invalid_option', text: 'headerRow' },
  { name: 'rfm.bins 261 (wraps to 5 as a byte)', bytes: GOOD, options: { rfm: { bins: 261 } }, error: 'invalid_option' },
  { name: 'an unknown option', bytes: GOOD, options: { rfm: { binz: 5 } }, error: 'invalid_option', text: 'binz' },
  {
    name: 'deeply nested options',
    bytes: GOOD,
    options: { actions: JSON.parse('['.repeat(1000) + ']'.repeat(1000)) },
    error: 'invalid_option',
  },
  {
    name: 'BOM, sep= line and CR line ends',
    bytes: enc('\ufeffsep=;\rcustomer_id;order_date;amount\rA;2024-01-01;1,5\rB;2024-01-02;2,5\r'),
    ok: (s) => {
      assert.equal(s.customers, 2);
      assert.equal(s.input.rejected.repeated_header, undefined);
      assert.equal(s.kpis.revenue, 4);
    },
  },
];

function errorOf(fn) {
  try {
    return { value: fn() };
  } catch (e) {
    return { error: e };
  }
}

test('hostile inputs through the CLI: exit code, message, summary', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tierwise-hostile-'));
  for (const c of CASES) {
    const file = path.join(dir, 'input');
    fs.writeFileSync(file, c.bytes);
    const args = ['analyze', file, '--out', path.join(dir, 'out.csv'), '--summary', path.join(dir, 's.json')];
    if (c.options) {
      fs.writeFileSync(path.join(dir, 'o.json'), JSON.stringify(c.options));
      args.push('--config', path.join(dir, 'o.json'));
    }
    fs.rmSync(path.join(dir, 's.json'), { force: true });
    const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 60000 });
    assert.equal(r.signal, null, `${c.name}: killed by ${r.signal}`);
    assert.ok(r.status === 0 || r.status === 2, `${c.name}: exit ${r.status}\n${r.stderr}`);
    assert.ok(!/panicked|RUST_BACKTRACE/.test(r.stderr), `${c.name}: ${r.stderr}`);
    if (c.cliOk) {
      assert.equal(r.status, 0, `${c.name}: ${r.stderr}`);
      c.cliOk(JSON.parse(fs.readFileSync(path.join(dir, 's.json'), 'utf8')));
    } else if (c.error || (c.errorAny && r.status !== 0)) {
      if (!c.okAny || r.status !== 0) assert.equal(r.status, 2, `${c.name}: ${r.stderr}`);
      const line = r.stderr.trim();
      assert.ok(line.startsWith('tierwise: '), `${c.name}: ${line}`);
      const text = c.cliText ?? c.text;
      if (text) assert.ok(line.includes(text), `${c.name}: ${line}`);
      if (c.maxMessage) assert.ok(line.length < c.maxMessage, `${c.name}: ${line.length} characters`);
    } else {
      assert.equal(r.status, 0, `${c.name}: ${r.stderr}`);
      const s = JSON.parse(fs.readFileSync(path.join(dir, 's.json'), 'utf8'));
      c.ok?.(s);
      c.csv?.(fs.readFileSync(path.join(dir, 'out.csv'), 'utf8'));
    }
  }
});

test('hostile inputs through one wasm instance: coded errors, and it keeps working', async () => {
  const pkg = await import(pathToFileURL(path.join(root, 'www/pkg/tierwise.js')).href);
  await pkg.default({ module_or_path: fs.readFileSync(path.join(root, 'www/pkg/tierwise_bg.wasm')) });
  for (const c of CASES) {
    const r = errorOf(() => {
      const a = pkg.analyze(c.bytes, c.options);
      const out = { summary: a.summary(), csv: new TextDecoder().decode(a.toCsv()) };
      a.free();
      return out;
    });
    if (c.error) {
      assert.ok(r.error, `${c.name}: expected ${c.error}, got a result`);
      assert.equal(r.error.code, c.error, `${c.name}: ${r.error.message}`);
      if (c.text) assert.ok(r.error.message.includes(c.text), `${c.name}: ${r.error.message}`);
      if (c.maxMessage) assert.ok(r.error.message.length < c.maxMessage, `${c.name}: ${r.error.message.length}`);
    } else if (r.error) {
      assert.ok(c.errorAny, `${c.name}: ${r.error.message}`);
      assert.equal(typeof r.error.code, 'string', `${c.name}: an uncoded error (${r.error.message}) is a crash`);
    } else {
      assert.ok(!c.errorAny || c.okAny, `${c.name}: expected an error`);
      c.ok?.(r.value.summary);
      c.csv?.(r.value.csv);
    }
    // the instance still works: the same numbers as ever for a good file
    const a = pkg.analyze(GOOD, undefined);
    assert.deepEqual([...a.monetary], [15.5, 20], `after ${c.name}`);
    a.free();
  }
});
