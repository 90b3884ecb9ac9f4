// The Excel export button: asks the worker for the .xlsx workbook of the current analysis (and of the
// quarterly review, when one was run) in the page's language, and downloads it.

import { getLang } from '../i18n.js';
import { engine } from './engine.js';
import { setBusy } from './controls.js';
import { state } from './state.js';
import { renderStatus, setStatus, showError } from './status.js';
import { downloadBlob } from './download.js';

export async function exportXlsx() {
  if (!state.result || state.busy || state.run) return;
  setBusy(true);
  const prevStatus = state.status;
  setStatus('loading', 'xlsxExporting');
  try {
    const lang = getLang();
    const res = await engine.call({ type: 'exportXlsx', labels: lang });
    const name = `tierwise-${state.result.summary?.analysisDate ?? 'analysis'}${lang === 'zh' ? '-zh' : ''}.xlsx`;
    const blob = new Blob([res.bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    downloadBlob(blob, name);
    setStatus('done', 'xlsxExported', { name, size: blob.size });
  } catch (e) {
    state.status = prevStatus;
    showError({ message: e?.message || String(e), code: e?.code, params: e?.params });
    renderStatus();
  } finally {
    setBusy(false);
  }
}
