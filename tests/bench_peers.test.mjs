// The benchmark's peers (scripts/bench-peers/, issue 13) compute what tierwise computes, so the
// comparison is between equal jobs: the hand-written JS loop and the DuckDB SQL (run here in
// @duckdb/duckdb-wasm's Node build, the same engine and query the page runs) give the CLI's
// per-customer recency, frequency, monetary, R/F/M scores and rfm11 segment on a generated file, and
// the hand-worked values of docs/facts.md's example and docs/scores.md's tie example.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { csvRecords } from './e2e/helpers.mjs';
import { rfmLoop } from '../scripts/bench-peers/rfm-loop.js';
import { RFM_SQL } from '../scripts/bench-peers/peers.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = process.env.TIERWISE_BIN || path.join(root, 'target/release/tierwise');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tierwise-peers-'));
const HEADER = 'InvoiceNo,CustomerID,InvoiceDate,Category,Quantity,UnitPrice,Amount';

/** Rows as the peers return them: id → "recency|frequency|monetary (2 decimals)|r|f|m|segment". */
function loopRows(csv) {
  const res = rfmLoop(new Uint8Array(Buffer.from(csv)));
  return new Map(
    res.ids.map((id, j) => [
      id,
      [res.recency[j], res.frequency[j], (res.monetaryMicros[j] / 1e6).toFixed(2), res.r[j], res.f[j], res.m[j], res.segments[j]].join('|'),
    ]),
  );
}

let duck = null;
/** The RFM SQL in DuckDB-wasm (Node, blocking API) on `csv`, as loopRows. */
async function duckRows(csv) {
  if (!duck) {
    const require = createRequire(import.meta.url);
    const dist = path.join(root, 'node_modules/@duckdb/duckdb-wasm/dist');
    const duckdb = require(path.join(dist, 'duckdb-node-blocking.cjs'));
    const bundles = {
      mvp: { mainModule: path.join(dist, 'duckdb-mvp.wasm'), mainWorker: path.join(dist, 'duckdb-node-mvp.worker.cjs') },
      eh: { mainModule: path.join(dist, 'duckdb-eh.wasm'), mainWorker: path.join(dist, 'duckdb-node-eh.worker.cjs') },
    };
    const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
    await db.instantiate(() => {});
    const conn = db.connect();
    conn.query('SET autoinstall_known_extensions = false');
    conn.query('SET autoload_known_extensions = false');
    duck = { db, conn, n: 0 };
  }
  const name = `input-${duck.n++}.csv`;
  duck.db.registerFileBuffer(name, new Uint8Array(Buffer.from(csv)));
  const table = duck.conn.query(RFM_SQL.replaceAll('INPUT', name));
  const out = new Map();
  for (const row of table.toArray()) {
    const o = row.toJSON();
    // DECIMAL(18,6) arrives as a scaled integer
    const monetary = (Number(o.monetary) / 1e6).toFixed(2);
    out.set(o.customer_id, [Number(o.recency), Number(o.frequency), monetary, o.r, o.f, o.m, o.segment].join('|'));
  }
  return out;
}

test('docs/facts.md worked example (returns net, orders counted once, a returns-only customer left out)', async () => {
  const csv = [
    HEADER,
    '1,A,2024-01-01 10:00,Home,1,100.00,100.00',
    '1,A,2024-01-01 10:00,Home,1,50.00,50.00',
    '2,A,2024-01-11 09:00,Home,1,20.00,20.00',
    'C3,A,2024-01-12 09:00,Home,-1,30.00,-30.00',
    '4,A,2024-01-31 12:00,Home,1,10.00,10.00',
    '5,B,2024-01-31 13:00,Home,1,5.00,5.00',
    'C6,Z,2024-01-20 08:00,Home,-1,9.00,-9.00',
    '',
  ].join('\n');
  // A: recency 0, orders 1, 2, 4, monetary 100 + 50 + 20 + 10 − 30 = 150; B: 0, 1, 5.
  // Scores over two customers: recency 0, 0 → cut points all 0, none below 0 → R 5 for both;
  // frequency 1, 3 → cut points 1.4, 1.8, 2.2, 2.6 → F 1 and 5; monetary 5, 150 → 34, 63, 92, 121 →
  // M 1 and 5. rfm11: A R5, FM 5 → Champions; B R5, FM round-half-up(1) = 1 → New Customers.
  const expected = new Map([
    ['A', '0|3|150.00|5|5|5|Champions'],
    ['B', '0|1|5.00|5|1|1|New Customers'],
  ]);
  assert.deepEqual(loopRows(csv), expected);
  assert.deepEqual(await duckRows(csv), expected);
});

test('docs/scores.md tie example: values on cut points go to the lower bin, R reversed', async () => {
  // frequencies 1, 1, 1, 2, 5 and recencies 1, 1, 1, 2, 5 (analysis date 2024-01-10, set by c5's
  // return); monetary 10, 10, 10, 20, 50 − 1 = 49
  const rows = [HEADER];
  for (const c of ['c1', 'c2', 'c3']) rows.push(`1${c[1]},${c},2024-01-09 10:00,Home,1,10.00,10.00`);
  rows.push('41,c4,2024-01-07 10:00,Home,1,10.00,10.00', '42,c4,2024-01-08 10:00,Home,1,10.00,10.00');
  for (let d = 1; d <= 5; d++) rows.push(`5${d},c5,2024-01-0${d} 10:00,Home,1,10.00,10.00`);
  rows.push('C55,c5,2024-01-10 10:00,Home,-1,1.00,-1.00', '');
  // F: cut points 1, 1, 1.4, 2.6 → 1, 1, 1, 4, 5 (docs); R: the same numbers as recencies → 5, 5, 5, 2, 1;
  // M: sorted 10, 10, 10, 20, 49, h = 0.8, 1.6, 2.4, 3.2 → cut points 10, 10, 14, 25.8 → 1, 1, 1, 4, 5.
  // rfm11: c1–c3 R5 FM1 New Customers; c4 R2 FM4 At Risk; c5 R1 FM5 Can't Lose Them.
  const expected = new Map([
    ['c1', '1|1|10.00|5|1|1|New Customers'],
    ['c2', '1|1|10.00|5|1|1|New Customers'],
    ['c3', '1|1|10.00|5|1|1|New Customers'],
    ['c4', '2|2|20.00|2|4|4|At Risk'],
    ['c5', "5|5|49.00|1|5|5|Can't Lose Them"],
  ]);
  const csv = rows.join('\n');
  assert.deepEqual(loopRows(csv), expected);
  assert.deepEqual(await duckRows(csv), expected);
});

test('on a generated file the JS loop and the DuckDB SQL give the CLI\'s customers and numbers', async () => {
  const input = path.join(tmp, 'gen.csv');
  execFileSync(process.execPath, [path.join(root, 'scripts/generate-sample.mjs'), '--rows', '20000', '--seed', '13', '--out', input], {
    stdio: 'ignore',
  });
  const out = path.join(tmp, 'customers.csv');
  execFileSync(bin, ['analyze', input, '--out', out], { stdio: 'ignore' });
  const [head, ...recs] = csvRecords(fs.readFileSync(out, 'utf8').replace(/^\uFEFF/, ''));
  const col = (name) => {
    const i = head.indexOf(name);
    assert.ok(i >= 0, `the CLI's CSV has no ${name} column`);
    return i;
  };
  const cols = ['recency_days', 'frequency', 'monetary', 'r_score', 'f_score', 'm_score', 'segment_rfm11'].map(col);
  const cli = new Map(
    recs.filter((r) => r.length > 1).map((r) => [r[0], cols.map((i, k) => (k === 2 ? Number(r[i]).toFixed(2) : r[i])).join('|')]),
  );
  assert.ok(cli.size > 3000, `expected thousands of customers, the CLI wrote ${cli.size}`);
  const csv = fs.readFileSync(input, 'utf8');
  for (const [name, got] of [['JS loop', loopRows(csv)], ['DuckDB SQL', await duckRows(csv)]]) {
    assert.equal(got.size, cli.size, `${name}: customer count`);
    const differ = [...cli].filter(([id, v]) => got.get(id) !== v);
    assert.deepEqual(
      differ.slice(0, 5).map(([id, v]) => `${id}: cli ${v}, ${name} ${got.get(id)}`),
      [],
      `${name}: ${differ.length} customers differ`,
    );
  }
});

test('the JS loop says which column it cannot find', () => {
  assert.throws(() => rfmLoop(new Uint8Array(Buffer.from('InvoiceNo,CustomerID,Amount\n1,A,5\n'))), /no date column/);
});
