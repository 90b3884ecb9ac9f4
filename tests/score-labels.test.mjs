// The score ranges shown on the heatmap's axes (www/lib/score-labels.js), against the worked examples
// of docs/scores.md computed by hand.
import test from 'node:test';
import assert from 'node:assert/strict';
import { scoreRanges, scoreLabels, rangeText } from '../www/lib/score-labels.js';

// docs/scores.md: frequencies 1, 1, 1, 2, 5 with k = 5 → cut points 1, 1, 1.4, 2.6; scores 1 → 1,
// 2 → 4, 5 → 5, so F1 holds ≤ 1, F2 and F3 nothing, F4 exactly 2, F5 3 and more.
const F = { mode: 'quantile', cuts: [1, 1, 1.4, 2.6], counts: [3, 0, 0, 1, 1] };

test('quantile cut points on whole numbers', () => {
  assert.deepEqual(scoreLabels('F', F, { integer: true }), ['F1: ≤ 1', 'F2: —', 'F3: —', 'F4: 2', 'F5: ≥ 3']);
});

test('recency is reversed: the same values as recencies give R5 ≤ 1, R2 = 2, R1 ≥ 3', () => {
  // docs/scores.md: "the same numbers as recencies give R scores 5, 5, 5, 2, 1"
  assert.deepEqual(scoreLabels('R', F, { integer: true, reversed: true }), ['R1: ≥ 3', 'R2: 2', 'R3: —', 'R4: —', 'R5: ≤ 1']);
});

test('money: bounds as they are, the lower one exclusive', () => {
  // values 0, 10, 16, 20, 30, 40 → cut points 10, 16, 20, 30 (docs/scores.md)
  const M = { mode: 'quantile', cuts: [10, 16, 20, 30], counts: [2, 1, 1, 1, 1] };
  assert.deepEqual(scoreLabels('M', M, {}, (v) => v.toFixed(0)), ['M1: ≤ 10', 'M2: 10–16', 'M3: 16–20', 'M4: 20–30', 'M5: ≥ 30']);
});

test('rfm-r bins are half-open [lower, upper)', () => {
  // breaks 2, 3.5 (k = 3) on counts: [min, 2) → ≤ 1, [2, 3.5) → 2–3, [3.5, max+1) → ≥ 4
  const cp = { mode: 'rfm-r', cuts: [2, 3.5], counts: [1, 1, 1] };
  assert.deepEqual(scoreLabels('F', cp, { integer: true }), ['F1: ≤ 1', 'F2: 2–3', 'F3: ≥ 4']);
  // recency with the same breaks: bin 1 is score 3
  assert.deepEqual(
    scoreRanges(cp, { integer: true, reversed: true }).map((r) => [r.score, rangeText(r)]),
    [[1, '≥ 4'], [2, '2–3'], [3, '≤ 1']],
  );
});

test('rank edges are not values: plain score names', () => {
  const cp = { mode: 'rank', cuts: [2.2, 3.4], counts: [2, 1, 1] };
  assert.deepEqual(scoreLabels('R', cp, { integer: true, reversed: true }), ['R1', 'R2', 'R3']);
  assert.equal(scoreRanges(cp), null);
});

test('missing or inconsistent cut points give plain names, never an exception', () => {
  assert.deepEqual(scoreLabels('F', { mode: 'quantile', cuts: [1], counts: [1, 1, 1] }, {}), ['F1', 'F2', 'F3']);
  assert.deepEqual(scoreLabels('F', null, {}), []);
});
