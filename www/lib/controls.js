// Which buttons and inputs are enabled, from the state (busy, a run in flight, results, kept input).

import { el } from './elements.js';
import { state, PAGE_SIZE } from './state.js';

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
  el.rerun.disabled = blocked || !state.workerHasFile;
  const total = state.result?.customerCount ?? 0;
  el.pagePrev.disabled = blocked || !state.result || state.page.offset <= 0;
  el.pageNext.disabled = blocked || !state.result || state.page.offset + PAGE_SIZE >= total;
  el.cancel.disabled = !state.run || state.run.cancelling;
}
