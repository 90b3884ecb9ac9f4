// The customer list's queries over the last analysis: which customers match the filters and the search,
// in which order, and one page of them (docs/outputs.md#the-customer-list). The whole columns stay in
// the worker (copied once from the core and cached); only the page asked for crosses over to the page.
//
// Rules:
//   filters  [{ column, value }]: filters on different columns combine with AND, several values of one
//            column with OR. `column` is a column's JS name; `value` is what the column holds in English
//            (label columns are read in English whatever the analysis' `labels` option, so a filter
//            taken from the summary's `name` matches on a Chinese analysis too). `churnFlags` matches a
//            customer whose flags include the value; number columns (rScore, fScore, mScore, …) match
//            the number. `dim:<column>` columns are the mapped dimensions' values (worker/dimensions.js);
//            a dimension the analysis does not have is an unknown column.
//            A range filter { column, min, max, maxInclusive } (instead of `value`) matches a customer whose
//            value v satisfies min ≤ v < max (v ≤ max with `maxInclusive: true`, a histogram's last bin);
//            either bound may be left out (no bound on that side). Number columns compare numbers, text
//            columns (the dates `firstDate` / `lastDate`: 'YYYY-MM-DD') compare strings by code point.
//            NaN, a score 0 (not computed) and empty text never match. Ranges and values of one column
//            combine with OR.
//   search   case-insensitive substring of the customer id ('' or missing: everyone).
//   sort     { column, dir: 'asc' | 'desc' }: numbers numerically, strings by Unicode code point;
//            missing values (NaN, 0 scores, empty text) last in both directions; ties by customer id
//            (the core's order), so the order is stable. Without sort: by customer id.

import { isTrap } from './errors.js';
import { dimensionColumn } from './dimensions.js';

const TEXT_CACHE = 'en:'; // cache key prefix of the English text columns

/** A whole column of `current` (copied once from the core, cached). English labels for text columns. */
export function fullColumn(current, name, { english = false } = {}) {
  if (!current) throw new Error('no analysis: analyze a file first');
  if (typeof name !== 'string' || !name) throw new Error('query: a column name is needed');
  if (name.startsWith('dim:')) {
    const key = name;
    if (current.cache.has(key)) return current.cache.get(key);
    const dim = dimensionColumn(current.handle, name);
    if (!dim) throw new Error(`query: unknown column ${name}`);
    current.cache.set(key, dim);
    return dim;
  }
  const key = english ? TEXT_CACHE + name : name;
  if (current.cache.has(key)) return current.cache.get(key);
  let col;
  try {
    col = current.handle[name];
    if (english && Array.isArray(col) && typeof current.handle.labelColumn === 'function') {
      col = current.handle.labelColumn(name, 'en');
    }
  } catch (e) {
    if (isTrap(e)) throw e;
    col = undefined;
  }
  if (col == null || typeof col.length !== 'number' || typeof col === 'function') {
    throw new Error(`query: unknown column ${name}`);
  }
  current.cache.set(key, col);
  return col;
}

const isNumeric = (col) => ArrayBuffer.isView(col);

const isRange = (f) => f.value === undefined && (f.min != null || f.max != null);

/** A range filter's test on column `col` (numbers or text), or an error for a bound of the wrong kind. */
function rangeTest(col, { column, min, max, maxInclusive }) {
  if (isNumeric(col)) {
    const lo = min == null ? -Infinity : Number(min);
    const hi = max == null ? Infinity : Number(max);
    if (Number.isNaN(lo) || Number.isNaN(hi)) throw new Error(`query: the range of ${column} needs number bounds`);
    const missing = col instanceof Uint8Array ? (v) => v === 0 : (v) => Number.isNaN(v);
    return (i) => {
      const v = col[i];
      return !missing(v) && v >= lo && (maxInclusive ? v <= hi : v < hi);
    };
  }
  const lo = min == null ? null : String(min);
  const hi = max == null ? null : String(max);
  return (i) => {
    const v = col[i] == null ? '' : String(col[i]);
    if (!v) return false;
    if (lo != null && compareCodePoints(v, lo) < 0) return false;
    if (hi == null) return true;
    const c = compareCodePoints(v, hi);
    return maxInclusive ? c <= 0 : c < 0;
  };
}

/** The filters as [test(i)], one per column (values and ranges of one column OR-ed). */
function filterTests(current, filters) {
  if (filters == null) return [];
  if (!Array.isArray(filters)) throw new Error('query: filters must be a list of { column, value } or { column, min, max }');
  const byColumn = new Map();
  for (const f of filters) {
    if (!f || typeof f.column !== 'string') throw new Error('query: each filter needs a column');
    if (!byColumn.has(f.column)) byColumn.set(f.column, { values: new Set(), ranges: [] });
    const g = byColumn.get(f.column);
    if (isRange(f)) g.ranges.push(f);
    else g.values.add(f.value);
  }
  const tests = [];
  for (const [column, { values, ranges }] of byColumn) {
    const col = fullColumn(current, column, { english: true });
    const parts = ranges.map((r) => rangeTest(col, r));
    if (!values.size) {
      // only ranges
    } else if (isNumeric(col)) {
      const nums = new Set([...values].map(Number).filter((v) => !Number.isNaN(v)));
      parts.push((i) => nums.has(col[i]));
    } else if (column === 'churnFlags') {
      const flags = new Set([...values].map(String));
      parts.push((i) => {
        const v = col[i];
        if (!v) return false;
        for (const f of v.split('|')) if (flags.has(f)) return true;
        return false;
      });
    } else {
      const texts = new Set([...values].map((v) => (v == null ? '' : String(v))));
      parts.push((i) => texts.has(col[i] == null ? '' : String(col[i])));
    }
    tests.push(parts.length === 1 ? parts[0] : (i) => parts.some((p) => p(i)));
  }
  return tests;
}

/** Compares two strings by Unicode code point (JavaScript's < compares UTF-16 code units). */
export function compareCodePoints(a, b) {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      if (xs !== ys) return xs ? 1 : -1; // a surrogate starts a code point above U+FFFF
      return x < y ? -1 : 1;
    }
  }
  return a.length - b.length;
}

/** Customer indexes in the order asked for. */
function sortIndexes(current, indexes, sort) {
  if (!sort || sort.column == null || sort.column === '') return indexes;
  const dir = sort.dir === 'desc' ? -1 : sort.dir === 'asc' || sort.dir == null ? 1 : null;
  if (dir == null) throw new Error(`query: sort.dir must be "asc" or "desc", got ${JSON.stringify(sort.dir)}`);
  const col = fullColumn(current, String(sort.column), { english: true });
  const arr = Array.from(indexes);
  if (isNumeric(col)) {
    // scores are 0 where not computed: missing like NaN
    const missing = col instanceof Uint8Array ? (v) => v === 0 : (v) => Number.isNaN(v);
    arr.sort((i, j) => {
      const a = col[i];
      const b = col[j];
      const ma = missing(a);
      const mb = missing(b);
      if (ma || mb) return ma === mb ? i - j : ma ? 1 : -1;
      return a === b ? i - j : a < b ? -dir : dir;
    });
  } else {
    arr.sort((i, j) => {
      const a = col[i] == null ? '' : String(col[i]);
      const b = col[j] == null ? '' : String(col[j]);
      if (!a || !b) return !a === !b ? i - j : !a ? 1 : -1;
      const c = compareCodePoints(a, b);
      return c === 0 ? i - j : c * dir;
    });
  }
  return Uint32Array.from(arr);
}

/**
 * The indexes of the customers matching `filters` and `search`, in `sort` order (cached for the last
 * query, so paging through it does not sort again).
 */
export function matchingIndexes(current, { filters, search, sort } = {}) {
  const key = JSON.stringify([filters ?? [], search ?? '', sort ?? null]);
  if (current.lastQuery?.key === key) return current.lastQuery.indexes;
  const tests = filterTests(current, filters);
  const needle = search == null ? '' : String(search).trim().toLowerCase();
  const ids = needle ? fullColumn(current, 'customerId') : null;
  const n = current.customerCount;
  let out = new Uint32Array(n);
  let k = 0;
  outer: for (let i = 0; i < n; i++) {
    for (const test of tests) if (!test(i)) continue outer;
    if (ids && !String(ids[i]).toLowerCase().includes(needle)) continue;
    out[k++] = i;
  }
  out = out.slice(0, k);
  out = sortIndexes(current, out, sort);
  current.lastQuery = { key, indexes: out };
  return out;
}

/** The values of column `name` at `indexes`, typed as the core gives the column. */
export function pick(current, name, indexes) {
  const col = fullColumn(current, name);
  if (isNumeric(col)) {
    const out = new col.constructor(indexes.length);
    for (let k = 0; k < indexes.length; k++) out[k] = col[indexes[k]];
    return out;
  }
  return Array.from(indexes, (i) => col[i]);
}

/**
 * Answers a `query` request: { offset, total, customerCount, indexes, columns } and the buffers to
 * transfer. `names` are the columns to return (unknown ones are left out).
 */
export function runQuery(current, msg, names) {
  if (!current) throw new Error('no analysis: analyze a file first');
  const all = matchingIndexes(current, msg);
  const total = all.length;
  const limit = Math.max(0, Math.min(100_000, Math.floor(Number(msg.limit ?? 100)) || 0));
  let offset = Math.max(0, Math.floor(Number(msg.offset ?? 0)) || 0);
  if (offset >= total) offset = total === 0 ? 0 : Math.floor((total - 1) / Math.max(1, limit)) * Math.max(1, limit);
  const indexes = all.slice(offset, offset + limit);
  const columns = {};
  const transfer = [indexes.buffer];
  for (const name of names) {
    let part;
    try {
      part = pick(current, name, indexes);
    } catch (e) {
      if (isTrap(e)) throw e;
      continue; // a column this core does not have
    }
    if (ArrayBuffer.isView(part)) transfer.push(part.buffer);
    columns[name] = part;
  }
  return { offset, total, customerCount: current.customerCount, indexes, columns, transfer };
}

/**
 * Answers an `exportCsv` request: the CSV bytes (an ArrayBuffer of exactly their size) of the
 * customers matching msg.filters / msg.search in msg.sort order (every customer when none of the three
 * is given), with msg.labels, msg.delimiter and msg.decimal (docs/outputs.md).
 */
export function exportCsvBytes(current, msg) {
  if (!current) throw new Error('no analysis: analyze a file first');
  const subset = (Array.isArray(msg.filters) && msg.filters.length) || (msg.search ?? '') !== '' || msg.sort;
  const settings = {};
  for (const k of ['labels', 'delimiter', 'decimal']) if (msg[k] != null) settings[k] = msg[k];
  let rows = null;
  if (subset) rows = matchingIndexes(current, msg);
  let u8;
  if (!rows && !Object.keys(settings).length) u8 = current.handle.toCsv();
  else u8 = current.handle.toCsvWith(rows ? { ...settings, rows } : settings);
  const bytes =
    u8.byteOffset === 0 && u8.byteLength === u8.buffer.byteLength ? u8.buffer : u8.slice().buffer;
  return { bytes, count: rows ? rows.length : current.customerCount };
}

/** Answers a `query` request (`names`: the columns when the request names none). */
export function postQuery(current, msg, names) {
  const asked = Array.isArray(msg.columns) && msg.columns.length ? msg.columns : names;
  const { transfer, ...res } = runQuery(current, msg, asked);
  self.postMessage({ type: 'rows', id: msg.id, ...res }, transfer);
}

/**
 * Answers an `exportHoldoutCsv` request: the holdout check per customer (docs/models.md#holdout-per-customer)
 * with msg.delimiter and msg.decimal; an error when the analysis has no computed check.
 */
export function postHoldoutCsv(current, msg) {
  if (!current) throw new Error('no analysis: analyze a file first');
  const settings = {};
  for (const k of ['delimiter', 'decimal']) if (msg[k] != null) settings[k] = msg[k];
  const u8 = current.handle.holdoutCsv(settings);
  if (!u8) throw new Error('no holdout check in this analysis: set model.holdout (and keep the models on)');
  const bytes = u8.byteOffset === 0 && u8.byteLength === u8.buffer.byteLength ? u8.buffer : u8.slice().buffer;
  self.postMessage({ type: 'csv', id: msg.id, bytes, count: current.summary?.model?.holdout?.customers }, [bytes]);
}

/** Answers an `exportSql` request: the last analysis' grading as one SQL script (docs/sql.md). */
export function postSql(current, msg) {
  if (!current) throw new Error('no analysis: analyze a file first');
  const script = current.handle.exportSql(String(msg.dialect ?? ''), msg.cuts ?? undefined);
  self.postMessage({ type: 'sql', id: msg.id, script });
}

/** Answers an `exportCsv` request: the bytes in a buffer of exactly their size, transferred. */
export function postCsv(current, msg) {
  const { bytes, count } = exportCsvBytes(current, msg);
  self.postMessage({ type: 'csv', id: msg.id, bytes, count }, [bytes]);
}
