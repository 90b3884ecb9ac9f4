// The customer list's requests: one page of the customers matching the list's filters, search and sort
// (the worker's `query`), and the settings of the CSV exports (the page's language, the delimiter).

import { getLang } from '../i18n.js';
import { $ } from './dom.js';
import { engine } from './engine.js';
import { current, withContext } from './context.js';
import { state, PAGE_SIZE, TABLE_COLUMNS } from './state.js';
import { showError } from './status.js';
import { updateControls } from './controls.js';
import { renderCustomerTable } from '../views/customers.js';

let renderControls = () => {}; // views/explore.js draws the chips, headers and page size

/** Set what draws the list's controls (views/explore.js, which imports this module). */
export function onListReset(render) {
  renderControls = render;
}

/** The sort of the list with `segment` resolved to the column the RFM 11 / 8 classes toggle shows. */
export function listSort() {
  const s = state.list.sort;
  if (!s) return null;
  const column = s.column === 'segment' ? (state.preset === 'cn8' ? 'segmentCn8' : 'segmentRfm11') : s.column;
  return { column, dir: s.dir };
}

/** The list's query: filters, search and sort (what `query` and "export these customers" take). */
export function listQuery() {
  // a value filter { column, value } or a range { column, min, max, maxInclusive } (worker/query.js)
  const filters = state.list.filters.map(({ column, value, min, max, maxInclusive }) =>
    value != null ? { column, value } : { column, min, max, ...(maxInclusive ? { maxInclusive } : {}) });
  return { filters, search: state.list.search, sort: listSort() };
}

/** A new page token of component `ctx`: the latest page asked for wins. */
function nextToken(ctx) {
  ctx.pageToken = (ctx.pageToken ?? 0) + 1;
  return ctx.pageToken;
}

/** Fetch the page starting at customer `offset` of the list (clamped by the worker to the last page). */
export async function loadPage(offset) {
  const result = state.result;
  if (!result) return;
  // the component asking (the workbench, or <tierwise-customers> with its own client's engine)
  const ctx = current();
  const mine = nextToken(ctx);
  try {
    const res = await (ctx.engine ?? engine).call({
      type: 'query',
      ...listQuery(),
      offset: Math.max(0, Math.floor(offset) || 0),
      limit: state.list.pageSize,
      columns: TABLE_COLUMNS,
    });
    withContext(ctx, () => {
      if (mine !== ctx.pageToken || state.result !== result) return;
      state.page = { offset: res.offset, columns: res.columns, total: res.total, indexes: res.indexes };
      renderCustomerTable();
    });
  } catch (e) {
    withContext(ctx, () => {
      if (mine !== ctx.pageToken || state.result !== result) return;
      if (ctx.onError) ctx.onError(e);
      else showError({ message: e?.message || String(e), code: e?.code, params: e?.params });
    });
  } finally {
    if (mine === ctx.pageToken) withContext(ctx, updateControls);
  }
}

/** A new analysis: the list starts again unfiltered (the page size chosen is kept). */
export function resetList() {
  state.list.filters = [];
  state.list.search = '';
  state.list.sort = null;
  const search = $('#explore-search');
  if (search) search.value = '';
  nextToken(current()); // a page asked for the previous analysis is dropped
  renderControls();
}

/** After a new analysis is shown: fetch the first page when the page size is larger than its preview. */
export function afterNewResult() {
  if (state.list.pageSize > PAGE_SIZE) loadPage(0);
}

/**
 * The export settings: labels in the page's language, and the delimiter chosen (`;` also writes numbers
 * with a decimal comma, as Excel in a decimal-comma locale reads them; docs/outputs.md).
 */
export function exportSettings() {
  const semicolon = $('#export-delimiter')?.value === ';';
  return { labels: getLang(), delimiter: semicolon ? ';' : ',', ...(semicolon ? { decimal: ',' } : {}) };
}
