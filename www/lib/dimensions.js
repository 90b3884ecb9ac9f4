// The page's dimension state (docs/input.md#dimensions): the dimension columns chosen (names or 0-based
// indexes, at most 8), the page-wide filter (column → value), and the values each dimension had in the
// last analysis it was not filtered by (the filter bar's choices). optionsWithDimensions() adds them to
// the analysis options.

export const MAX_DIMENSIONS = 8;

export const dims = {
  columns: [], // string | number, as options.columns.dimensions takes them
  filter: new Map(), // filter key (header name, or the index as digits) → the one value kept
  known: new Map(), // summary column name → values [{ value, customers }] of an unfiltered run
  shown: 0, // which dimension the breakdown tables show (index into summary.dimensions)
};

/** A column reference from text: digits are a 0-based index, anything else a header name. */
export function columnRef(text) {
  const v = String(text).trim();
  if (!v) return undefined;
  return /^\d+$/.test(v) ? Number(v) : v;
}

/** Set the dimension columns (at most 8; repeats and empty entries dropped). */
export function setDimensionColumns(list) {
  const out = [];
  for (const x of Array.isArray(list) ? list : []) {
    const ref = typeof x === 'number' && Number.isInteger(x) && x >= 0 ? x : columnRef(x ?? '');
    if (ref !== undefined && !out.includes(ref)) out.push(ref);
  }
  dims.columns = out.slice(0, MAX_DIMENSIONS);
  // a filter on a column no longer chosen would hide rows without a way to undo it from the bar
  dims.filter.clear();
  dims.known.clear();
  dims.shown = 0;
  return dims.columns;
}

/** The key of `options.filter` for a dimension of the summary: its header name, or its index. */
export function filterKey(summary, dim) {
  return summary?.input?.header === false ? String(dim.index) : dim.column;
}

/** The per-customer keys (`dim:<column name>`) of summary.dimensions, as the core names them. */
export function dimensionKeys(list) {
  const keys = [];
  for (const d of list || []) {
    let k = `dim:${d.column}`;
    if (keys.includes(k)) k = `dim:${d.column} (column ${d.index})`;
    keys.push(k);
  }
  return keys;
}

/** `o` (the page's options, or undefined) with columns.dimensions and filter added when set. */
export function optionsWithDimensions(o) {
  if (!dims.columns.length && !dims.filter.size) return o;
  const out = { ...(o || {}) };
  if (dims.columns.length) out.columns = { ...(out.columns || {}), dimensions: [...dims.columns] };
  if (dims.filter.size) out.filter = Object.fromEntries([...dims.filter].map(([k, v]) => [k, [v]]));
  return out;
}
