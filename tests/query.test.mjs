// The customer list's query rules (www/worker/query.js) on a hand-made analysis: AND across columns and OR
// within one, churn flags by inclusion, English label columns, the id search, sorting by number and by
// Unicode code point with missing values last and ties by customer id, paging and its clamping. Every
// expectation is written by hand from the five customers below.
//
//   node --test tests/query.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { compareCodePoints, matchingIndexes, runQuery } from '../www/worker/query.js';

// Five customers of a fake Analysis handle; their indexes 0 … 4 stand for the core's order (ties are broken
// by index), the ids are chosen so that UTF-16 and code point order differ.
const IDS = ['A-1', 'a-2', 'B\u{1F600}', 'B\uFF21', 'c-5'];
function analysis({ zh = false } = {}) {
  const seg = ['Champions', 'Lost', 'Champions', 'At Risk', 'Lost'];
  const segZh = ['冠军客户', '已流失客户', '冠军客户', '流失风险客户', '已流失客户'];
  const handle = {
    customerId: IDS,
    monetary: Float64Array.from([10, NaN, 30, 10, 5]),
    rScore: Uint8Array.from([5, 1, 5, 0, 2]),
    segmentRfm11: zh ? segZh : seg,
    churnFlags: ['', 'inactive|overdue', 'overdue', 'inactive', ''],
    pAlive: Float64Array.from([0.4, 0.45, NaN, 0.5, 1]),
    firstDate: ['2024-02-29', '2024-03-01', '2024-03-31', '2024-04-01', ''],
    labelColumn(name, labels) {
      assert.equal(labels, 'en');
      if (name === 'segmentRfm11') return seg;
      return this[name];
    },
  };
  return { handle, customerCount: IDS.length, cache: new Map() };
}

const ids = (current, q) => Array.from(matchingIndexes(current, q), (i) => IDS[i]);

test('filters: AND across columns, OR within one; flags by inclusion; scores as numbers', () => {
  const a = analysis();
  assert.deepEqual(ids(a, { filters: [{ column: 'segmentRfm11', value: 'Lost' }] }), ['a-2', 'c-5']);
  assert.deepEqual(
    ids(a, { filters: [{ column: 'segmentRfm11', value: 'Lost' }, { column: 'segmentRfm11', value: 'At Risk' }] }),
    ['a-2', 'B\uFF21', 'c-5'],
  );
  assert.deepEqual(
    ids(a, { filters: [{ column: 'segmentRfm11', value: 'Champions' }, { column: 'churnFlags', value: 'overdue' }] }),
    ['B\u{1F600}'],
  );
  assert.deepEqual(ids(a, { filters: [{ column: 'churnFlags', value: 'inactive' }] }), ['a-2', 'B\uFF21']);
  assert.deepEqual(ids(a, { filters: [{ column: 'churnFlags', value: 'over' }] }), [], 'a whole flag, not a substring');
  assert.deepEqual(ids(a, { filters: [{ column: 'rScore', value: 5 }] }), ['A-1', 'B\u{1F600}']);
  assert.deepEqual(ids(a, { filters: [{ column: 'rScore', value: '5' }] }), ['A-1', 'B\u{1F600}'], 'a number as text');
  assert.throws(() => ids(a, { filters: [{ column: 'nope', value: 1 }] }), /unknown column nope/);
  assert.throws(() => ids(a, { filters: [{ column: 'dim:country', value: 'DE' }] }), /unknown column dim:country/);
});

test('range filters: min ≤ v < max, maxInclusive, open upper bound, NaN and empty never match', () => {
  const a = analysis();
  // pAlive 0.4, 0.45, NaN, 0.5, 1
  assert.deepEqual(ids(a, { filters: [{ column: 'pAlive', min: 0.4, max: 0.5 }] }), ['A-1', 'a-2'], 'max excluded');
  assert.deepEqual(ids(a, { filters: [{ column: 'pAlive', min: 0.5, max: 1 }] }), ['B\uFF21']);
  assert.deepEqual(ids(a, { filters: [{ column: 'pAlive', min: 0.5, max: 1, maxInclusive: true }] }), ['B\uFF21', 'c-5'], 'last bin');
  assert.deepEqual(ids(a, { filters: [{ column: 'pAlive', min: 0.45 }] }), ['a-2', 'B\uFF21', 'c-5'], 'no upper bound; NaN left out');
  assert.deepEqual(ids(a, { filters: [{ column: 'pAlive', min: '0.45', max: '0.5' }] }), ['a-2'], 'bounds as text');
  // several ranges of one column: OR; with another column: AND
  assert.deepEqual(
    ids(a, { filters: [{ column: 'pAlive', min: 0, max: 0.42 }, { column: 'pAlive', min: 0.9, maxInclusive: true }] }),
    ['A-1', 'c-5'],
  );
  assert.deepEqual(
    ids(a, { filters: [{ column: 'pAlive', min: 0, max: 0.42 }, { column: 'pAlive', min: 0.9 }, { column: 'segmentRfm11', value: 'Lost' }] }),
    ['c-5'],
  );
  // a range and a value of one column: OR
  assert.deepEqual(ids(a, { filters: [{ column: 'rScore', min: 2, max: 3 }, { column: 'rScore', value: 5 }] }), ['A-1', 'B\u{1F600}', 'c-5']);
  // score 0 (not computed) is missing
  assert.deepEqual(ids(a, { filters: [{ column: 'rScore', min: 0, max: 2 }] }), ['a-2']);
  assert.throws(() => ids(a, { filters: [{ column: 'pAlive', min: 'x', max: 1 }] }), /number bounds/);
});

test('date ranges compare the YYYY-MM-DD text: a month is [YYYY-MM-01, next month\'s 01)', () => {
  const a = analysis();
  // firstDate 2024-02-29, 2024-03-01, 2024-03-31, 2024-04-01, ''
  const march = { column: 'firstDate', min: '2024-03-01', max: '2024-04-01' };
  assert.deepEqual(ids(a, { filters: [march] }), ['a-2', 'B\u{1F600}']);
  assert.deepEqual(ids(a, { filters: [{ column: 'firstDate', min: '2024-03-01' }] }), ['a-2', 'B\u{1F600}', 'B\uFF21'], 'empty never matches');
  assert.deepEqual(ids(a, { filters: [{ column: 'firstDate', max: '2024-03-01' }] }), ['A-1'], 'no lower bound');
  assert.deepEqual(
    ids(a, { filters: [march, { column: 'firstDate', min: '2024-02-01', max: '2024-03-01' }] }),
    ['A-1', 'a-2', 'B\u{1F600}'],
    'two months: OR',
  );
  assert.deepEqual(ids(a, { filters: [march, { column: 'segmentRfm11', value: 'Lost' }] }), ['a-2']);
});

test('label filters use the English labels on a Chinese analysis', () => {
  const a = analysis({ zh: true });
  assert.deepEqual(ids(a, { filters: [{ column: 'segmentRfm11', value: 'Lost' }] }), ['a-2', 'c-5']);
});

test('a dimension column comes from the analysis\' dimension values (dimensionKeys, dimensionValues)', () => {
  const a = analysis();
  a.handle.dimensionKeys = () => ['dim:country'];
  a.handle.dimensionValues = (i) => (i === 0 ? ['DE', 'FR', 'DE', 'CN', 'FR'] : undefined);
  assert.deepEqual(ids(a, { filters: [{ column: 'dim:country', value: 'FR' }] }), ['a-2', 'c-5']);
});

test('search: a case-insensitive substring of the id', () => {
  const a = analysis();
  assert.deepEqual(ids(a, { search: 'a-' }), ['A-1', 'a-2']);
  assert.deepEqual(ids(a, { search: '  C-5 ' }), ['c-5']);
  assert.deepEqual(ids(a, { search: 'zzz' }), []);
});

test('sort: numbers with NaN last in both directions, ties by customer id', () => {
  const a = analysis();
  // monetary 10, NaN, 30, 10, 5
  assert.deepEqual(ids(a, { sort: { column: 'monetary', dir: 'asc' } }), ['c-5', 'A-1', 'B\uFF21', 'B\u{1F600}', 'a-2']);
  assert.deepEqual(ids(a, { sort: { column: 'monetary', dir: 'desc' } }), ['B\u{1F600}', 'A-1', 'B\uFF21', 'c-5', 'a-2']);
  // score 0 = not computed: last
  assert.deepEqual(ids(a, { sort: { column: 'rScore', dir: 'desc' } }), ['A-1', 'B\u{1F600}', 'c-5', 'a-2', 'B\uFF21']);
  assert.throws(() => ids(a, { sort: { column: 'monetary', dir: 'up' } }), /sort.dir/);
});

test('sort: text by Unicode code point (U+1F600 after U+FF21), empty last', () => {
  // UTF-16 puts the surrogate pair of U+1F600 (0xD83D …) before U+FF21; code points do not
  assert.ok('B\u{1F600}' < 'B\uFF21', 'JavaScript\'s < compares code units');
  assert.equal(compareCodePoints('B\u{1F600}', 'B\uFF21'), 1);
  assert.equal(compareCodePoints('B\uFF21', 'B\u{1F600}'), -1);
  assert.equal(compareCodePoints('ab', 'abc') < 0, true);
  assert.equal(compareCodePoints('x', 'x'), 0);
  const a = analysis();
  assert.deepEqual(ids(a, { sort: { column: 'customerId', dir: 'asc' } }), ['A-1', 'B\uFF21', 'B\u{1F600}', 'a-2', 'c-5']);
  assert.deepEqual(ids(a, { sort: { column: 'churnFlags', dir: 'asc' } }), ['B\uFF21', 'a-2', 'B\u{1F600}', 'A-1', 'c-5']);
  assert.deepEqual(ids(a, { sort: { column: 'churnFlags', dir: 'desc' } }), ['B\u{1F600}', 'a-2', 'B\uFF21', 'A-1', 'c-5']);
});

test('runQuery: one page, the total, the indexes; an offset past the end gives the last page', () => {
  const a = analysis();
  const q = { filters: [], sort: { column: 'monetary', dir: 'desc' }, limit: 2 };
  const p1 = runQuery(a, { ...q, offset: 0 }, ['customerId', 'monetary', 'missing']);
  assert.equal(p1.total, 5);
  assert.equal(p1.customerCount, 5);
  assert.deepEqual(Array.from(p1.indexes), [2, 0]);
  assert.deepEqual(p1.columns.customerId, ['B\u{1F600}', 'A-1']);
  assert.ok(p1.columns.monetary instanceof Float64Array);
  assert.deepEqual(Array.from(p1.columns.monetary), [30, 10]);
  assert.equal('missing' in p1.columns, false, 'unknown columns are left out');
  const last = runQuery(a, { ...q, offset: 99 }, ['customerId']);
  assert.equal(last.offset, 4);
  assert.deepEqual(last.columns.customerId, ['a-2']);
  const none = runQuery(a, { search: 'zzz', offset: 10, limit: 2 }, ['customerId']);
  assert.equal(none.total, 0);
  assert.equal(none.offset, 0);
  assert.deepEqual(none.columns.customerId, []);
  assert.throws(() => runQuery(null, {}, []), /no analysis/);
});
