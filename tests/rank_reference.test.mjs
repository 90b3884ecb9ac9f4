// Reference check of `rfm.mode: "rank"` on the CDNOW sample (`docs/scores.md`): the scores the CLI writes must
// equal the pandas recipe, re-implemented here independently of the product's code:
//
//   df = customers.sort_values('customer_id')
//   score = pd.qcut(df[col].rank(method='first'), k, labels=range(1, k + 1))   # recency: labels reversed
//
// `rank(method='first')` numbers the values 1 … n in ascending order, equal values in order of
// appearance (customer id order); `qcut` cuts those ranks at numpy's linear quantiles of the ranks at
// linspace(0, 1, k + 1) into right-closed bins (e_{j−1}, e_j], the first one including its lower edge.
// The per-customer recency, frequency and monetary values are taken from the CLI's own CSV (this test
// checks the scoring, not the facts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { csvRecords } from './e2e/helpers.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = process.env.TIERWISE_BIN || path.join(root, 'target/release/tierwise');
const cdnow = path.join(root, 'tests/fixtures/cdnow/CDNOW_sample.txt');

/** numpy.quantile(values, q) with the default linear method, values sorted ascending. */
function npQuantile(sorted, q) {
  const idx = (sorted.length - 1) * q;
  const lo = Math.floor(idx);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const t = idx - lo;
  const a = sorted[lo];
  const b = sorted[hi];
  // numpy's _lerp: a + (b − a)·t, computed from the upper end when t ≥ 0.5
  return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
}

/** The pandas recipe for one column (values in customer-id order); returns scores 1 … k. */
function pandasRankScores(values, k, reverse) {
  const n = values.length;
  const order = values.map((v, i) => [v, i]).sort((x, y) => x[0] - y[0]); // stable: ties keep id order
  const ranks = new Array(n);
  order.forEach(([, i], pos) => (ranks[i] = pos + 1));
  const sortedRanks = Array.from({ length: n }, (_, i) => i + 1);
  const edges = Array.from({ length: k + 1 }, (_, j) => npQuantile(sortedRanks, (j * 1) / k));
  return ranks.map((r) => {
    let j = 1;
    while (j < k && !(r <= edges[j])) j++;
    return reverse ? k + 1 - j : j;
  });
}

test('rank mode on the CDNOW sample equals pandas qcut(rank(method="first")) by customer id', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tierwise-rank-'));
  try {
    const out = path.join(dir, 'customers.csv');
    const summaryPath = path.join(dir, 'summary.json');
    execFileSync(bin, ['analyze', cdnow, '--options', '{"rfm": {"mode": "rank", "bins": 5}}', '--out', out, '--summary', summaryPath], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const [header, ...rows] = csvRecords(fs.readFileSync(out, 'utf8'));
    const col = (name) => {
      const i = header.indexOf(name);
      assert.ok(i >= 0, `no ${name} column`);
      return i;
    };
    // sort by customer id (UTF-8 byte order) ourselves rather than trusting the file's order
    rows.sort((a, b) => Buffer.compare(Buffer.from(a[col('customer_id')]), Buffer.from(b[col('customer_id')])));
    assert.equal(rows.length, 2357);
    const k = 5;
    for (const [value, score, reverse] of [
      ['recency_days', 'r_score', true],
      ['frequency', 'f_score', false],
      ['monetary', 'm_score', false],
    ]) {
      const values = rows.map((r) => Number(r[col(value)]));
      const expected = pandasRankScores(values, k, reverse);
      const got = rows.map((r) => Number(r[col(score)]));
      const diffs = got.flatMap((g, i) => (g === expected[i] ? [] : [`${rows[i][col('customer_id')]}: ${g} vs ${expected[i]}`]));
      assert.deepEqual(diffs, [], `${score} differs from the pandas recipe for ${diffs.length} customers`);
      // equal-count bins: 2357 = 5 × 471 + 2
      const counts = Array.from({ length: k }, (_, j) => got.filter((s) => s === j + 1).length);
      assert.ok(counts.every((c) => c === 471 || c === 472), `${score} bin sizes ${counts}`);
    }
    const summary = JSON.parse(fs.readFileSync(summaryPath, 'utf8'));
    assert.equal(summary.cutPoints.r.mode, 'rank');
    assert.match(summary.cutPoints.r.ties, /ties by customer id/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
