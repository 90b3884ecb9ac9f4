// The "Export as SQL" button: asks the worker for the current analysis' grading as one SQL script in
// the chosen dialect (docs/sql.md), with the cut points of this analysis or refitted by the script,
// and downloads it.

import { engine } from './engine.js';
import { setBusy } from './controls.js';
import { $ } from './dom.js';
import { state } from './state.js';
import { renderStatus, setStatus, showError } from './status.js';
import { downloadBlob } from './download.js';

/** Download the SQL script for the dialect and cut points chosen beside the button. */
export async function exportSql() {
  if (!state.result || state.busy || state.run) return;
  setBusy(true);
  const prevStatus = state.status;
  setStatus('loading', 'sqlExporting');
  try {
    const dialect = $('#export-sql-dialect')?.value || 'duckdb';
    const cuts = $('#export-sql-cuts')?.value || 'fitted';
    const res = await engine.call({ type: 'exportSql', dialect, cuts });
    const name = `tierwise-${state.result.summary?.analysisDate ?? 'analysis'}-${dialect}${cuts === 'sql' ? '-refit' : ''}.sql`;
    const blob = new Blob([res.script], { type: 'application/sql;charset=utf-8' });
    downloadBlob(blob, name);
    setStatus('done', 'sqlExported', { name, size: blob.size });
  } catch (e) {
    state.status = prevStatus;
    showError({ message: e?.message || String(e), code: e?.code, params: e?.params });
    renderStatus();
  } finally {
    setBusy(false);
  }
}
