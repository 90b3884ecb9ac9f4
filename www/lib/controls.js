// Which buttons and inputs are enabled, from the state (busy, a run in flight, results, kept input).

import { el } from './elements.js';
import { state } from './state.js';

export function setBusy(busy) {
  state.busy = busy;
  updateControls();
}

/** Enable or disable `node` (absent in a component without that control). */
function able(node, disabled) {
  if (node) node.disabled = disabled;
}

export function updateControls() {
  // A new file or the sample may be chosen while an analysis runs: it cancels that run.
  const blocked = state.busy || Boolean(state.run);
  able(el.loadSample, state.busy);
  able(el.loadCdnow, state.busy);
  able(el.fileInput, state.busy);
  able(el.exportCsv, blocked || !state.result);
  able(el.exportXlsx, blocked || !state.result);
  able(el.exportJson, blocked || !state.result);
  able(el.exportSql, blocked || !state.result);
  able(el.rerun, blocked || !state.workerHasFile);
  // the customer list's pager, over the customers matching its filters (views/explore.js)
  const total = state.page.total ?? state.result?.customerCount ?? 0;
  const atStart = !state.result || state.page.offset <= 0;
  const atEnd = !state.result || state.page.offset + state.list.pageSize >= total;
  for (const [node, off] of [[el.pagePrev, atStart], [el.pageFirst, atStart], [el.pageNext, atEnd], [el.pageLast, atEnd]]) {
    able(node, blocked || off);
  }
  able(el.exportFiltered, blocked || !state.result || total === 0);
  able(el.cancel, !state.run || state.run.cancelling);
}
