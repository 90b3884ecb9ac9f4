// Reading rows out of a finished analysis: the columns asked for, rows offset … offset + limit − 1.

import { isTrap } from './errors.js';
import { dimensionColumn } from './dimensions.js';

/** Column `name` of `current` ({ handle, customerCount, cache }), copied once and cached. */
function columnOf(current, name) {
  if (!current) throw new Error('no analysis: analyze a file first');
  if (!current.cache.has(name)) {
    let col;
    try {
      col = name.startsWith('dim:') ? dimensionColumn(current.handle, name) : current.handle[name];
    } catch (e) {
      if (isTrap(e)) throw e;
      col = undefined;
    }
    current.cache.set(name, col);
  }
  return current.cache.get(name);
}

/** The rows asked for as { columns: { name: part }, transfer: the typed arrays' buffers }. */
export function sliceColumns(current, names, offset, limit) {
  const out = {};
  const transfer = [];
  const start = Math.max(0, Math.floor(offset) || 0);
  const end = Math.min(current.customerCount, start + Math.max(0, Math.floor(limit) || 0));
  // Analysis.slice copies only the rows asked for; without it, whole columns are copied once and cached.
  const rows =
    typeof current.handle.slice === 'function' ? current.handle.slice(start, Math.max(0, end - start)) : null;
  for (const name of names) {
    let part;
    if (rows) {
      part = rows[name];
    } else {
      const col = columnOf(current, name);
      part = col != null && typeof col.slice === 'function' ? col.slice(start, end) : undefined;
    }
    if (part == null) continue;
    if (ArrayBuffer.isView(part)) transfer.push(part.buffer);
    out[name] = part;
  }
  return { columns: out, transfer };
}
