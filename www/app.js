// The workbench's wiring (the inside of <tierwise-app>, components/app.js): connects its controls to the
// requests (lib/run.js) and the views (views/), and renders everything again when the language changes.
// The analysis itself runs in ./worker.js. No framework, no build step, no request outside this origin.

import { setLang, getLang, applyStatic, t } from './i18n.js';
import { $$, host } from './lib/dom.js';
import { el } from './lib/elements.js';
import { engine } from './lib/engine.js';
import { updateControls } from './lib/controls.js';
import { abandonRun, analyze, cancelRun, exportCsv, exportHoldoutCsv, loadFile, loadSample, rerun } from './lib/run.js';
import { exportXlsx } from './lib/export-xlsx.js';
import { exportSql } from './lib/export-sql.js';
import { exportSummaryJson } from './lib/export-json.js';
import { SAMPLES } from './lib/samples.js';
import { state } from './lib/state.js';
import { renderError, renderStatus, renderVersion } from './lib/status.js';
import { renderProgress } from './views/progress.js';
import { renderResults } from './views/results.js';
import { renderCharts, renderSegmentTable } from './views/segments.js';
import { initOptionsIo } from './views/options-io.js';
import { initMapping, renderMapping } from './views/mapping.js';
import { initReport } from './views/report.js';
import { renderWorkbench } from './views/charts.js';
import { initExplore, renderExplore } from './views/explore.js';
import { renderCustomerTable } from './views/customers.js';
import { loadPage } from './lib/list.js';
import { initDimensions, renderDimensionBreakdowns } from './views/dimensions.js';
import { warmFormatters } from './lib/format.js';
import { warmCharts } from './lib/warm-charts.js';

function renderAll() {
  applyStatic();
  if (host().hasAttribute?.('manage-page')) {
    document.title = t('pageTitle');
    document.documentElement.lang = getLang() === 'zh' ? 'zh-CN' : 'en';
  }
  renderStatus();
  renderError();
  renderVersion();
  if (state.result) renderResults();
  renderExplore();
  renderProgress();
  renderMapping();
}

/** Switch the workbench to `lang` ('en' | 'zh'); its `lang` attribute follows. */
export function switchLanguage(lang) {
  if (lang === getLang() && host().getAttribute('lang') === lang) return;
  setLang(lang);
  if (host().getAttribute('lang') !== getLang()) host().setAttribute('lang', getLang());
  for (const b of $$('.lang-toggle button')) {
    b.setAttribute('aria-pressed', String(b.dataset.lang === getLang()));
  }
  renderAll();
}

function switchPreset(preset) {
  state.preset = preset;
  for (const b of $$('.seg-toggle button')) {
    b.setAttribute('aria-pressed', String(b.dataset.preset === preset));
  }
  if (state.result) {
    renderCharts(state.result.summary || {});
    renderSegmentTable(state.result.summary || {});
    renderWorkbench();
    // the customer list's segment column follows the toggle (and its order, when sorted by segment)
    if (state.list.sort?.column === 'segment') loadPage(0);
    else renderCustomerTable();
    renderDimensionBreakdowns();
  }
}

/**
 * Start the workbench in the current render context (the shadow root of <tierwise-app>): `lang` 'en' or
 * 'zh'. Nothing is stored in the browser.
 */
export function startWorkbench(lang) {
  setLang(lang);
  for (const b of $$('.lang-toggle button')) {
    b.setAttribute('aria-pressed', String(b.dataset.lang === getLang()));
    b.addEventListener('click', () => switchLanguage(b.dataset.lang));
  }
  for (const b of $$('.seg-toggle button')) {
    b.addEventListener('click', () => switchPreset(b.dataset.preset));
  }

  el.loadSample.addEventListener('click', () => loadSample(SAMPLES.sample));
  el.loadCdnow.addEventListener('click', () => loadSample(SAMPLES.cdnow));
  el.fileInput.addEventListener('change', () => {
    const file = el.fileInput.files?.[0];
    el.fileInput.value = ''; // choosing the same file again re-runs it
    loadFile(file);
  });
  el.exportCsv.addEventListener('click', () => exportCsv());
  el.exportXlsx.addEventListener('click', () => exportXlsx());
  el.exportSql.addEventListener('click', () => exportSql());
  el.exportJson.addEventListener('click', () => exportSummaryJson());
  el.holdoutExport.addEventListener('click', () => exportHoldoutCsv());
  el.cancel.addEventListener('click', () => cancelRun());
  initExplore(); // the customer list: filters, search, sort, page size, paging, "export these"
  el.optionsForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    rerun();
  });

  // Drag and drop: anywhere on the drop zone; a file dropped elsewhere must not navigate away.
  const hasFiles = (ev) => [...(ev.dataTransfer?.types || [])].includes('Files');
  let depth = 0;
  el.dropZone.addEventListener('dragenter', (ev) => {
    if (!hasFiles(ev)) return;
    ev.preventDefault();
    depth++;
    el.dropZone.classList.add('dragover');
  });
  el.dropZone.addEventListener('dragover', (ev) => {
    if (!hasFiles(ev)) return;
    ev.preventDefault();
    ev.dataTransfer.dropEffect = 'copy';
  });
  el.dropZone.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (!depth) el.dropZone.classList.remove('dragover');
  });
  el.dropZone.addEventListener('drop', (ev) => {
    ev.preventDefault();
    depth = 0;
    el.dropZone.classList.remove('dragover');
    if (state.busy) return;
    const file = ev.dataTransfer?.files?.[0];
    if (file) loadFile(file);
  });
  host().addEventListener('dragover', (ev) => ev.preventDefault());
  host().addEventListener('drop', (ev) => ev.preventDefault());

  initOptionsIo();
  initMapping({ analyse: analyze, cancel: abandonRun });
  initReport();
  initDimensions();
  renderAll();
  updateControls();
  engine.start(); // start loading the core right away
  (globalThis.requestIdleCallback ?? setTimeout)(() => {
    warmFormatters();
    warmCharts(host().shadowRoot ?? document.body);
  });
  // a file chosen while the workbench was still loading (the chooser is on screen from the start)
  const early = el.fileInput.files?.[0];
  if (early) {
    el.fileInput.value = '';
    loadFile(early);
  }
}
