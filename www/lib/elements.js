// The workbench's fixed elements by name, looked up in the current render context's root when read
// (lib/context.js: the shadow root of the component being drawn; null where that component has none).

import { $ } from './dom.js';

const SELECTORS = {
  status: '#status',
  error: '#error',
  results: '#results',
  fileInput: '#file-input',
  dropZone: '#drop-zone',
  loadSample: '#load-sample',
  loadCdnow: '#load-cdnow',
  exportCsv: '#export-csv',
  exportXlsx: '#export-xlsx',
  exportJson: '#export-json',
  exportSql: '#export-sql',
  holdoutExport: '#holdout-export',
  rerun: '#rerun',
  optionsForm: '#options-form',
  segmentChart: '#segment-chart',
  paretoChart: '#pareto-chart',
  paliveChart: '#palive-chart',
  customerTable: '#customer-table',
  pagePrev: '#page-prev',
  pageNext: '#page-next',
  pageFirst: '#page-first',
  pageLast: '#page-last',
  exportFiltered: '#export-filtered',
  version: '#version',
  progress: '#progress',
  progressBar: '#progress-bar',
  progressFill: '#progress-fill',
  progressLabel: '#progress-label',
  progressDetail: '#progress-detail',
  cancel: '#cancel',
};

/** `el.status`, `el.fileInput`, …: the element of that name in the current root. */
export const el = new Proxy(SELECTORS, { get: (sel, key) => (key in sel ? $(sel[key]) : undefined) });
