// The quarterly review's pure helpers (www/lib/quarters.js, www/lib/review-rows.js): the default earlier
// date, and the review's rows and CSV, on a comparison written by hand.
//
//   node --test tests/review_rows.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { previousQuarterEnd } from '../www/lib/quarters.js';
import { reviewCsv, reviewRows, triggerText } from '../www/lib/review-rows.js';
import { REVIEW } from '../www/i18n/review.js';

test('the default earlier date is the last day of the previous calendar quarter', () => {
  for (const [date, want] of [
    ['2024-09-30', '2024-06-30'], // a quarter end: the one before it
    ['2024-07-01', '2024-06-30'],
    ['2024-06-30', '2024-03-31'],
    ['2024-05-15', '2024-03-31'],
    ['2024-03-31', '2023-12-31'],
    ['2024-02-10', '2023-12-31'], // Q1: December of the year before
    ['2024-12-31', '2024-09-30'],
    ['2024-10-01', '2024-09-30'],
  ]) {
    assert.equal(previousQuarterEnd(date), want, date);
  }
});

const text = (key, vars) => {
  let s = REVIEW.en[key] ?? key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return s;
};
const name = (kind, v) => `${kind}:${v}`;

// a comparison as docs/compare.md describes it (worked example), plus a hostile id
const COMPARISON = {
  from: '2024-06-30',
  to: '2024-09-30',
  abc: { labels: ['A', 'B', 'C', '—'], counts: [] },
  ladder: { labels: ['VIP', 'Gold', 'Silver', 'Bronze', 'Regular', '—'], counts: [] },
  rfm11: null,
  cn8: null,
  movedUp: [{ customerId: 'A', from: 'Bronze', to: 'Silver' }],
  movedDown: [{ customerId: '=1+1', from: 'VIP', to: 'Gold' }],
  downgradeWarnings: ['E'],
  upgradeCandidates: [
    { customerId: 'A', quarters: [100, 120, 150], spendGrowth: true, newCategories: [] },
    { customerId: 'B', quarters: [0, 0, 20], spendGrowth: false, newCategories: ['cups', 'tea, green'] },
    { customerId: 'C', quarters: null, spendGrowth: true, newCategories: ['x'] },
  ],
};

test('one row per customer in any list, grades named by the ladder', () => {
  const rows = reviewRows(COMPARISON, text, name);
  assert.deepEqual(rows.map((r) => [r[0], r[1]]), [
    ['moved up', 'A'],
    ['moved down', '=1+1'],
    ['upgrade candidate', 'A'],
    ['upgrade candidate', 'B'],
    ['upgrade candidate', 'C'],
    ['downgrade warning', 'E'],
  ]);
  assert.deepEqual(rows[0].slice(2, 4), ['ladder:Bronze', 'ladder:Silver']);
  assert.deepEqual(rows[2].slice(5), [100, 120, 150]);
  assert.deepEqual(rows[4].slice(5), [null, null, null]);
  assert.equal(triggerText(COMPARISON.upgradeCandidates[2], text), 'spend grew ≥ 20 % two quarters running; new category: x');
});

test('the review CSV: BOM, quoting, and no live formula', () => {
  const csv = reviewCsv(COMPARISON, text, name);
  assert.ok(csv.startsWith('\ufeffList,Customer,From,To,Details,'));
  const lines = csv.slice(1).split('\n');
  assert.equal(lines.length, 8); // header, 6 rows, the final newline
  assert.equal(lines[2], "moved down,'=1+1,ladder:VIP,ladder:Gold,,,,");
  assert.equal(lines[4], 'upgrade candidate,B,,,"new category: cups, tea, green",0,0,20');
});

test('without a ladder the movers are named by ABC', () => {
  const c = { ...COMPARISON, ladder: { labels: ['—'], counts: [[0]] } };
  assert.deepEqual(reviewRows(c, text, name)[0].slice(2, 4), ['abc:Bronze', 'abc:Silver']);
});
