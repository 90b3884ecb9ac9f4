// Grouping the customers of the last analysis for the `aggregate` request (the R×F heatmap, churn risk
// by segment): customers, and optionally their summed spend, per combination of one or two columns.
// Only the groups cross over to the page, never the columns. Keys are the values as the core holds
// them (text in the label language, numbers for scores); a group's sum is null without `sum` or
// without an amount column.

import { isTrap } from './errors.js';
import { dimensionColumn } from './dimensions.js';

/** The most columns an aggregate groups by. */
export const MAX_BY = 2;

/**
 * Whole column `name` of the analysis `current` ({ handle }), copied for this request only (text
 * columns of millions of customers are large: not kept).
 */
function column(current, name) {
  let col;
  try {
    if (name.startsWith('dim:')) {
      // a mapped dimension's values (docs/outputs.md: options.columns.dimensions)
      col = dimensionColumn(current.handle, name);
    } else if (name !== 'free' && name !== 'constructor') {
      col = current.handle[name];
    }
  } catch (e) {
    if (isTrap(e)) throw e;
    col = undefined;
  }
  return Array.isArray(col) || ArrayBuffer.isView(col) ? col : undefined;
}

/** The key values of customer `i` in column `name` (churnFlags: one per flag, none without flags). */
function keysOf(name, col, i) {
  const v = col[i];
  if (name === 'churnFlags') return v ? String(v).split('|') : [''];
  return [typeof v === 'string' ? v : Number(v)];
}

/** Keys compare as numbers when both are numbers, else as text by code point. */
function compareKeys(a, b) {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

/**
 * Groups the customers of `current` by the columns `by` (1 or 2 names) and counts them; with
 * `sum: 'monetary'` also sums their net spend (null for a group whose spend is not computed, i.e.
 * without an amount column). Returns { groups: [{ key, customers, sum }] } sorted by key.
 */
export function aggregate(current, { by, sum }) {
  if (!Array.isArray(by) || by.length < 1 || by.length > MAX_BY) {
    throw new Error(`aggregate: by must list 1 or ${MAX_BY} column names`);
  }
  if (sum != null && sum !== 'monetary') throw new Error(`aggregate: sum must be 'monetary' or absent`);
  const names = by.map((n) => String(n));
  const cols = names.map((n) => {
    const col = column(current, n);
    if (!col || col instanceof Float64Array) throw new Error(`aggregate: no column to group by named ${n}`);
    return col;
  });
  const money = sum === 'monetary' ? column(current, 'monetary') : null;
  const n = Math.min(current.customerCount, ...cols.map((c) => c.length));
  const groups = new Map();
  for (let i = 0; i < n; i++) {
    const k0 = keysOf(names[0], cols[0], i);
    const k1 = cols.length > 1 ? keysOf(names[1], cols[1], i) : [undefined];
    const m = money && i < money.length ? money[i] : NaN;
    for (const a of k0) {
      for (const b of k1) {
        const id = cols.length > 1 ? `${a}\u0000${b}` : a;
        let g = groups.get(id);
        if (!g) {
          g = { key: cols.length > 1 ? [a, b] : [a], customers: 0, sum: null };
          groups.set(id, g);
        }
        g.customers++;
        if (money && !Number.isNaN(m)) g.sum = (g.sum ?? 0) + m;
      }
    }
  }
  return { groups: [...groups.values()].sort((x, y) => compareKeys(x.key, y.key)) };
}

/** The answer to an `aggregate` request (www/worker/protocol.md). */
export function aggregateReply(current, msg) {
  if (!current) throw new Error('no analysis: analyze a file first');
  return { type: 'aggregate', id: msg.id, by: msg.by, ...aggregate(current, msg) };
}
