// The progress bar of a run: pass, bytes read, rows, speed.

import { t } from '../i18n.js';
import { el } from '../lib/elements.js';
import { isNum, fmtInt, fmtNum, fmtPct } from '../lib/format.js';
import { state } from '../lib/state.js';

export function showProgress(totalBytes) {
  state.progress = { pass: 1, bytesRead: 0, totalBytes, rows: 0, elapsedMs: 0, passStartMs: 0 };
  el.progress.hidden = false;
  renderProgress();
}

export function hideProgress() {
  state.progress = null;
  el.progress.hidden = true;
}

export function onProgress(msg) {
  const prev = state.progress;
  if (!prev) return;
  // The speed of the second pass counts from the end of the first.
  const passStartMs = msg.pass === prev.pass ? prev.passStartMs : prev.elapsedMs;
  state.progress = {
    pass: msg.pass,
    bytesRead: msg.bytesRead,
    totalBytes: msg.totalBytes,
    rows: msg.rows,
    rowsEstimated: Boolean(msg.rowsEstimated), // line ends counted before the core counts rows
    elapsedMs: msg.elapsedMs,
    passStartMs,
    stage: msg.stage ?? null, // 'workbook' while a workbook's sheet is converted
  };
  renderProgress();
}

export function renderProgress() {
  const p = state.progress;
  if (!p) return;
  const fraction = p.totalBytes > 0 ? Math.min(1, p.bytesRead / p.totalBytes) : 0;
  const bar = el.progressBar;
  bar.dataset.value = String(p.bytesRead);
  bar.dataset.total = String(p.totalBytes);
  bar.dataset.pass = String(p.pass);
  bar.dataset.rows = String(p.rows);
  bar.dataset.rowsEstimated = String(Boolean(p.rowsEstimated));
  bar.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
  bar.setAttribute('aria-valuetext', fmtPct(fraction, 0));
  el.progressFill.style.width = `${(fraction * 100).toFixed(1)}%`;
  el.progressLabel.textContent = t(
    p.stage === 'workbook' ? 'progressWorkbook' : p.pass === 2 ? 'progressSecondPass' : 'progressFirstPass',
  );
  const seconds = (p.elapsedMs - p.passStartMs) / 1000;
  const speed = seconds > 0 && p.bytesRead > 0 ? p.bytesRead / (1024 * 1024) / seconds : NaN;
  el.progressDetail.textContent = t('progressDetail', {
    percent: fmtPct(fraction, 0),
    rows: p.rowsEstimated ? `≈ ${fmtInt(p.rows)}` : fmtInt(p.rows),
    seconds: fmtNum(p.elapsedMs / 1000, 1),
    speed: isNum(speed) ? fmtNum(speed, 1) : '—',
  });
}
