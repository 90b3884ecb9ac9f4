// Which buttons and inputs are enabled, from the state (busy, a run in flight, results, kept input).

import { el } from './elements.js';
import { state } from './state.js';

export function setBusy(busy) {
  state.busy = busy;
  updateControls();
}

export function updateControls() {
  // A new file or the sample may be chosen while an analysis runs: it cancels that run.
  const blocked = state.busy || Boolean(state.run);
  el.loadSample.disabled = state.busy;
  el.loadCdnow.disabled = state.busy;
  el.fileInput.disabled = state.busy;
  el.exportCsv.disabled = blocked || !state.result;
  el.exportXlsx.disabled = blocked || !state.result;
  el.exportJson.disabled = blocked || !state.result;
  el.rerun.disabled = blocked || !state.workerHasFile;
  // the customer list's pager, over the customers matching its filters (views/explore.js)
  const total = state.page.total ?? state.result?.customerCount ?? 0;
  const atStart = !state.result || state.page.offset <= 0;
  const atEnd = !state.result || state.page.offset + state.list.pageSize >= total;
  for (const [node, off] of [[el.pagePrev, atStart], [el.pageFirst, atStart], [el.pageNext, atEnd], [el.pageLast, atEnd]]) {
    if (node) node.disabled = blocked || off;
  }
  if (el.exportFiltered) el.exportFiltered.disabled = blocked || !state.result || total === 0;
  el.cancel.disabled = !state.run || state.run.cancelling;
}
