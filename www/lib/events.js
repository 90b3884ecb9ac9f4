// The events of the components. Inside a component, a click on a table row, a chart or a review cell
// sends `tierwise-filter` from its host (not bubbling: it is the component's own business); the
// workbench lists those customers (views/explore.js). Every component then tells the page what was
// clicked with the public `tierwise-select` event (bubbles, crosses shadow roots; docs: README "Embed
// in a page"), and `tierwise-result` when an analysis is shown.

import { host } from './dom.js';

/**
 * Send the drill-down event of the contract: `filters` = [{ column, value }], `column` a core column's
 * JS name (segmentRfm11, rScore, …), `value` the code as the core's column holds it; or range filters
 * [{ column, min, max, maxInclusive? }] (worker/query.js: min ≤ v < max). `mode` 'add' combines them with
 * the filters already set, 'replace' replaces those.
 */
export function emitFilter(filters, mode = 'add') {
  host().dispatchEvent(new CustomEvent('tierwise-filter', { detail: { filters, mode } }));
}

/** What kind of thing a filter on `column` selects: 'segment', 'grade', 'score', 'lifecycle', … */
function kindOf(column) {
  if (/^segment/.test(column)) return 'segment';
  if (/^grade/.test(column)) return 'grade';
  if (/Score$/.test(column)) return 'score';
  if (column.startsWith('dim:')) return 'dimension';
  return column;
}

/**
 * The detail of `tierwise-select` for a drill-down `{ filters, mode }`: the filters, plus the first
 * filter's `column`, `value` (or `min`/`max`) and `kind`, and `segment` / `grade` when that is what was
 * clicked (e.g. { kind: 'segment', column: 'segmentRfm11', value: 'Champions', segment: 'Champions' }).
 */
export function selectDetail({ filters, mode }) {
  const first = filters?.[0] ?? {};
  const detail = { filters: filters ?? [], mode, column: first.column ?? null, kind: first.column ? kindOf(first.column) : null };
  if ('value' in first) detail.value = first.value;
  else if ('min' in first) Object.assign(detail, { min: first.min, max: first.max });
  for (const f of filters ?? []) {
    const kind = kindOf(f.column);
    if ((kind === 'segment' || kind === 'grade') && !(kind in detail)) detail[kind] = f.value;
  }
  return detail;
}

/** Dispatch `name` with `detail` from `target` as a public event (bubbles, composed). */
export function announce(target, name, detail) {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}
