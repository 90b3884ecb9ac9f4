// The dimension columns of a finished analysis (options.columns.dimensions, docs/input.md#dimensions):
// their keys `dim:<column name>` and their per-customer values, for the result and `rows` slices.

import { isTrap } from './errors.js';

/** The analysis's dimension keys (`dim:<column name>`, in option order); [] without dimensions. */
export function dimensionKeys(handle) {
  try {
    return typeof handle?.dimensionKeys === 'function' ? Array.from(handle.dimensionKeys()) : [];
  } catch (e) {
    if (isTrap(e)) throw e;
    return [];
  }
}

/** `names` with every dimension key appended that it does not already hold. */
export function withDimensions(names, keys) {
  const out = [...names];
  for (const k of keys) if (!out.includes(k)) out.push(k);
  return out;
}

/** The columns a request names (`columns`, default `all`) with the dimension keys added. */
export function requestedNames(columns, all, keys) {
  return withDimensions(Array.isArray(columns) && columns.length ? columns : all, keys);
}

/** The whole column `name` (a `dim:` key) of the analysis, or undefined when it has no such dimension. */
export function dimensionColumn(handle, name) {
  const i = dimensionKeys(handle).indexOf(name);
  return i < 0 ? undefined : handle.dimensionValues(i);
}
