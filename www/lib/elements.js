// The page's fixed elements, looked up once (index.html is parsed before any module runs).

import { $ } from './dom.js';

export const el = {
  status: $('#status'),
  error: $('#error'),
  results: $('#results'),
  fileInput: $('#file-input'),
  dropZone: $('#drop-zone'),
  loadSample: $('#load-sample'),
  loadCdnow: $('#load-cdnow'),
  exportCsv: $('#export-csv'),
  exportXlsx: $('#export-xlsx'),
  exportJson: $('#export-json'),
  rerun: $('#rerun'),
  optionsForm: $('#options-form'),
  segmentChart: $('#segment-chart'),
  paretoChart: $('#pareto-chart'),
  paliveChart: $('#palive-chart'),
  customerTable: $('#customer-table'),
  pagePrev: $('#page-prev'),
  pageNext: $('#page-next'),
  pageFirst: $('#page-first'),
  pageLast: $('#page-last'),
  exportFiltered: $('#export-filtered'),
  version: $('#version'),
  progress: $('#progress'),
  progressBar: $('#progress-bar'),
  progressFill: $('#progress-fill'),
  progressLabel: $('#progress-label'),
  progressDetail: $('#progress-detail'),
  cancel: $('#cancel'),
};
