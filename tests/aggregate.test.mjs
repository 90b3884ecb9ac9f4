// The worker's `aggregate` request (www/worker/aggregate.js) on a made-up analysis of five customers,
// the groups counted by hand.
import test from 'node:test';
import assert from 'node:assert/strict';
import { aggregate, aggregateReply } from '../www/worker/aggregate.js';

/** A stand-in for the worker's current analysis: getters returning whole columns, as the wasm handle does. */
function analysis(cols) {
  return { handle: { ...cols, free() {} }, customerCount: cols.customerId.length, cache: new Map() };
}

const current = () =>
  analysis({
    customerId: ['a', 'b', 'c', 'd', 'e'],
    rScore: Uint8Array.from([5, 5, 1, 10, 5]),
    fScore: Uint8Array.from([2, 1, 2, 1, 2]),
    monetary: Float64Array.from([10, 2.5, 7, NaN, 0.5]),
    risk: ['low', 'high', 'high', 'medium', 'low'],
    churnFlags: ['', 'inactive|overdue', 'inactive', '', 'overdue'],
  });

test('two score columns with their spend: groups sorted by key, numbers compared as numbers', () => {
  // (5,2): a 10 + e 0.5; (5,1): b 2.5; (1,2): c 7; (10,1): d, spend not computed → null
  assert.deepEqual(aggregate(current(), { by: ['rScore', 'fScore'], sum: 'monetary' }).groups, [
    { key: [1, 2], customers: 1, sum: 7 },
    { key: [5, 1], customers: 1, sum: 2.5 },
    { key: [5, 2], customers: 2, sum: 10.5 },
    { key: [10, 1], customers: 1, sum: null },
  ]);
});

test('churnFlags puts a customer in each of their flags, no flag in the group ""', () => {
  // inactive: b, c; overdue: b, e; none: a, d
  assert.deepEqual(aggregate(current(), { by: ['churnFlags'] }).groups, [
    { key: [''], customers: 2, sum: null },
    { key: ['inactive'], customers: 2, sum: null },
    { key: ['overdue'], customers: 2, sum: null },
  ]);
  // by risk and flag: high = b (inactive, overdue) and c (inactive)
  const g = aggregate(current(), { by: ['risk', 'churnFlags'] }).groups.filter((x) => x.key[0] === 'high');
  assert.deepEqual(g.map((x) => [x.key[1], x.customers]), [['inactive', 2], ['overdue', 1]]);
});

test('bad requests are refused with a message', () => {
  assert.throws(() => aggregate(current(), { by: [] }), /1 or 2 column names/);
  assert.throws(() => aggregate(current(), { by: ['a', 'b', 'c'] }), /1 or 2 column names/);
  assert.throws(() => aggregate(current(), { by: ['nope'] }), /no column to group by named nope/);
  assert.throws(() => aggregate(current(), { by: ['monetary'] }), /no column to group by named monetary/);
  assert.throws(() => aggregate(current(), { by: ['risk'], sum: 'orders' }), /sum must be/);
  assert.throws(() => aggregate(current(), { by: ['dim:Country'] }), /no column to group by named dim:Country/);
  assert.throws(() => aggregateReply(null, { by: ['risk'] }), /no analysis/);
});

test('the reply echoes the id and the columns', () => {
  const r = aggregateReply(current(), { type: 'aggregate', id: 7, by: ['risk'] });
  assert.deepEqual(r, {
    type: 'aggregate', id: 7, by: ['risk'],
    groups: [{ key: ['high'], customers: 2, sum: null }, { key: ['low'], customers: 2, sum: null }, { key: ['medium'], customers: 1, sum: null }],
  });
});

test('a mapped dimension groups like any text column (dim:<column>)', () => {
  const a = current();
  a.handle.dimensionKeys = () => ['dim:Country'];
  a.handle.dimensionValues = (i) => (i === 0 ? ['DE', 'FR', 'DE', '', 'DE'] : undefined);
  // DE: a 10 + c 7 + e 0.5; FR: b 2.5; '': d (spend not computed)
  assert.deepEqual(aggregate(a, { by: ['dim:Country'], sum: 'monetary' }).groups, [
    { key: [''], customers: 1, sum: null },
    { key: ['DE'], customers: 3, sum: 17.5 },
    { key: ['FR'], customers: 1, sum: 2.5 },
  ]);
});
