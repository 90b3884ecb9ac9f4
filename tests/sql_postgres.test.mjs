// The PostgreSQL export run by PostgreSQL (docs/sql.md#verification): PGlite (npm @electric-sql/pglite,
// PostgreSQL compiled to WebAssembly, pinned in package.json) loads the rows as the core read them
// (`tierwise rows`) into a typed table `transactions` and runs `tierwise sql --dialect postgres`;
// every column of every customer must equal the core's customers.csv (models off): the sample with
// the option sets of tests/sql/cases.json, the CDNOW sample and the ingest corpus, with the cut points
// fitted in the script and fitted in SQL. (DuckDB runs the DuckDB export in tests/sql/verify.py.)
//
//   TIERWISE_BIN=$PWD/target/release/tierwise node --test tests/sql_postgres.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';

import { csvRecords } from './e2e/helpers.mjs';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const BIN = process.env.TIERWISE_BIN || path.join(ROOT, 'target/release/tierwise');
const TIMEOUT = 600_000;
const MONEY = new Set(['monetary', 'aov']);
const { sample: SAMPLE_CASES, files: FILE_CASES } = JSON.parse(readFileSync(path.join(ROOT, 'tests/sql/cases.json'), 'utf8'));

let tmp;
let db;

before(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'tierwise-pg-'));
  db = new PGlite();
  await db.waitReady;
});

after(async () => {
  await db?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const cli = (args) => execFileSync(BIN, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
const name = (v) => (typeof v === 'string' ? v : `column ${v}`);
const ident = (s) => `"${s.replace(/"/g, '""')}"`;
const text = (s) => `'${s.replace(/'/g, "''")}'`;

/** Loads the rows file into `transactions`, typed as a warehouse table: DATE, NUMERIC, TEXT. */
async function load(rowsCsv, columns) {
  const [header, ...rows] = csvRecords(readFileSync(rowsCsv, 'utf8'));
  const numeric = new Set(['amount', 'quantity', 'unitPrice'].map((r) => columns[r]).filter((v) => v != null).map(name));
  const date = name(columns.date);
  const type = (h) => (h === date ? 'DATE' : numeric.has(h) ? 'NUMERIC(38, 6)' : 'TEXT');
  await db.exec('DROP TABLE IF EXISTS transactions');
  await db.exec(`CREATE TABLE transactions (${header.map((h) => `${ident(h)} ${type(h)}`).join(', ')})`);
  for (let i = 0; i < rows.length; i += 2000) {
    const values = rows.slice(i, i + 2000).map((r) => `(${r.map((v, k) => (type(header[k]) === 'TEXT' ? text(v) : v === '' ? 'NULL' : text(v))).join(', ')})`);
    await db.exec(`INSERT INTO transactions VALUES ${values.join(', ')}`);
  }
}

/** A decimal text as an exact integer of millionths (both sides have at most 6 decimals). */
function micro(s) {
  const neg = s.startsWith('-');
  const [int, frac = ''] = s.replace(/^[-+]/, '').split('.');
  const v = BigInt(int || '0') * 1000000n + BigInt((frac + '000000').slice(0, 6));
  return neg ? -v : v;
}

/** Differences between the script's rows and customers.csv. */
function differences(label, got, refCsv) {
  const [header, ...ref] = csvRecords(readFileSync(refCsv, 'utf8'));
  const columns = header;
  if (got.length !== ref.length) return [`${label}: ${got.length} rows from SQL, ${ref.length} customers from the core`];
  const names = got.length ? Object.keys(got[0]) : columns;
  if (names.join(',') !== columns.join(',')) return [`${label}: columns ${names} / ${columns}`];
  // (customers.csv guards text that would start an Excel formula with a leading '; the script returns the value)
  const unguarded = (c) => (/^'[=+\-@\t\r]/.test(c) ? c.slice(1) : c);
  const out = [];
  got.forEach((row, i) => {
    columns.forEach((c, k) => {
      const v = row[c];
      const w = unguarded(ref[i][k]);
      const same = MONEY.has(c) && v != null ? w !== '' && micro(String(v)) === micro(w) : (v == null ? '' : String(v)) === w;
      if (!same) out.push(`${label}: customer ${JSON.stringify(ref[i][0])} ${c}: SQL ${JSON.stringify(v)}, core ${JSON.stringify(w)}`);
    });
  });
  return out;
}

/** One file and option set, both cut sources: the differences (none expected), or null when the core refuses the file. */
async function check(file, options, label, cuts = ['fitted', 'sql']) {
  const o = JSON.stringify({ ...options, model: { enabled: false } });
  const ref = path.join(tmp, 'customers.csv');
  const summaryPath = path.join(tmp, 'summary.json');
  const rows = path.join(tmp, 'rows.csv');
  try {
    cli(['analyze', file, '--options', o, '--out', ref, '--summary', summaryPath]);
  } catch {
    return null;
  }
  cli(['rows', file, '--options', o, '--out', rows]);
  await load(rows, JSON.parse(readFileSync(summaryPath, 'utf8')).input.columns);
  const diffs = [];
  for (const c of cuts) {
    const script = cli(['sql', file, '--options', o, '--dialect', 'postgres', '--cuts', c]);
    try {
      const res = await db.query(script);
      diffs.push(...differences(`${label} [${c}]`, res.rows, ref));
    } catch (e) {
      diffs.push(`${label} [${c}]: PostgreSQL: ${e.message}`);
    }
  }
  return diffs;
}

test('the PostgreSQL export equals the core on the sample with every option set, and on the files of cases.json', { timeout: TIMEOUT }, async () => {
  const diffs = [];
  for (const [i, options] of SAMPLE_CASES.entries()) {
    // (both cut sources for the defaults; then alternately, to keep the run short)
    const cuts = i === 0 ? ['fitted', 'sql'] : [i % 2 ? 'sql' : 'fitted'];
    diffs.push(...(await check(path.join(ROOT, 'www/sample.csv'), options, `sample #${i}`, cuts)));
  }
  for (const [i, c] of FILE_CASES.entries()) diffs.push(...(await check(path.join(ROOT, c.file), c.options, `${c.file} #${i}`)));
  assert.deepEqual(diffs.slice(0, 20), []);
});

test('the PostgreSQL export equals the core on CDNOW and on every file of the ingest corpus', { timeout: TIMEOUT }, async () => {
  const diffs = [];
  const cdnow = { analysisDate: '1998-06-30', columns: { customer: 1, date: 2, amount: 4 } };
  diffs.push(...(await check(path.join(ROOT, 'tests/fixtures/cdnow/CDNOW_sample.txt'), cdnow, 'CDNOW')));
  const dir = path.join(ROOT, 'tests/fixtures/ingest');
  let checked = 0;
  for (const f of readdirSync(dir).sort()) {
    if (f.endsWith('.json') || f.endsWith('.py')) continue;
    const expect = path.join(dir, f.replace(/\.[^.]+$/, '.expect.json'));
    const options = existsSync(expect) ? (JSON.parse(readFileSync(expect, 'utf8')).options ?? {}) : {};
    const d = await check(path.join(dir, f), options, f);
    if (d === null) continue;
    checked++;
    diffs.push(...d);
  }
  assert.ok(checked >= 50, `only ${checked} corpus files analysed`);
  assert.deepEqual(diffs.slice(0, 20), []);
});
