// tierwise demo page: reads a file, runs the core in ./worker.js, renders the summary and a customer table.
// No framework, no build step, no request outside this origin.

import { t, label, modelReason, setLang, getLang, locale, applyStatic } from './i18n.js';
import {
  chartsAvailable,
  renderSegmentChart,
  renderParetoChart,
  renderHistogramChart,
  showChartMessage,
  disposeChart,
} from './charts.js';

const PAGE_SIZE = 100;
const TABLE_COLUMNS = [
  'customerId', 'lastDate', 'recencyDays', 'frequency', 'monetary', 'rScore', 'fScore', 'mScore',
  'segmentRfm11', 'gradeAbc', 'gradeLadder', 'lifecycle', 'pAlive', 'expectedPurchases', 'predictedClv',
  'churnFlags',
];

// The two data sets the page serves itself. The CDNOW sample (built into www/data/cdnow/ by
// scripts/build.sh) is analysed as of the end of the 39-week calibration period of Fader, Hardie & Lee
// (2005), so that the purchase model can be set against their published fit (SPEC §8).
const SAMPLES = {
  sample: { url: 'sample.csv', name: 'sample.csv', statusKey: 'statusLoadingSample' },
  cdnow: {
    url: 'data/cdnow/CDNOW_sample.txt',
    name: 'CDNOW_sample.txt',
    statusKey: 'statusLoadingCdnow',
    options: { analysisDate: '1997-09-30' }, // merged over the page's options; time unit: weeks (default)
    reference: 'cdnow',
  },
};

// Published fits on the CDNOW sample (SPEC §8) and how close a fitted value must come to count as a
// match: BG/NBD from Fader, Hardie & Lee (2005), Gamma-Gamma from Fader & Hardie (2013).
const PUBLISHED_CDNOW = {
  analysisDate: '1997-09-30',
  timeUnit: 'week',
  bgnbd: {
    r: { value: 0.2426, digits: 4, rel: 0.001 },
    alpha: { value: 4.4135, digits: 4, rel: 0.001 },
    a: { value: 0.7929, digits: 4, rel: 0.001 },
    b: { value: 2.4258, digits: 4, rel: 0.001 },
    logLikelihood: { value: -9582.43, digits: 2, abs: 0.01 },
  },
  gammaGamma: {
    p: { value: 6.25, digits: 2, rel: 0.005 },
    q: { value: 3.74, digits: 2, rel: 0.005 },
    gamma: { value: 15.44, digits: 2, rel: 0.005 },
  },
};

const $ = (sel) => document.querySelector(sel);
const el = {
  status: $('#status'),
  error: $('#error'),
  results: $('#results'),
  fileInput: $('#file-input'),
  dropZone: $('#drop-zone'),
  loadSample: $('#load-sample'),
  loadCdnow: $('#load-cdnow'),
  exportCsv: $('#export-csv'),
  rerun: $('#rerun'),
  optionsForm: $('#options-form'),
  segmentChart: $('#segment-chart'),
  paretoChart: $('#pareto-chart'),
  paliveChart: $('#palive-chart'),
  customerTable: $('#customer-table'),
  pagePrev: $('#page-prev'),
  pageNext: $('#page-next'),
  version: $('#version'),
  progress: $('#progress'),
  progressBar: $('#progress-bar'),
  progressFill: $('#progress-fill'),
  progressLabel: $('#progress-label'),
  progressDetail: $('#progress-detail'),
  cancel: $('#cancel'),
};

const state = {
  worker: null,
  seq: 0,
  pending: new Map(),
  runToken: 0,
  busy: false, // a short request (export, paging) is in flight
  run: null, // the analysis in flight: { id, token, source, cancelling }
  progress: null, // last progress message of the run: { pass, bytesRead, totalBytes, rows, elapsedMs, passStartMs }
  version: null,
  workerHasFile: false,
  source: null, // { name, size, options?, reference? }: options a built-in sample insists on
  status: { state: 'idle', key: 'statusIdle', vars: null },
  error: null, // { key?, vars?, message? }
  result: null, // { summary, customerCount, elapsedMs, passes, reference, palive }
  page: { offset: 0, columns: null },
  preset: 'rfm11',
};

// ───────────────────────── formatting ─────────────────────────

const isNum = (v) => typeof v === 'number' && Number.isFinite(v);
const fmt = (v, opts) => (isNum(v) ? new Intl.NumberFormat(locale(), opts).format(v) : '—');
const fmtInt = (v) => fmt(v, { maximumFractionDigits: 0 });
const fmtMoney = (v) => fmt(v, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const fmtNum = (v, digits = 2) => fmt(v, { maximumFractionDigits: digits });
const fmtFixed = (v, digits) => fmt(v, { minimumFractionDigits: digits, maximumFractionDigits: digits });
const fmtPct = (v, digits = 1) => fmt(v, { style: 'percent', maximumFractionDigits: digits });
const fmtPctFixed = (v, digits = 1) =>
  fmt(v, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits });
function fmtBytes(n) {
  if (!isNum(n)) return '';
  const units = ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${fmt(n, { maximumFractionDigits: i ? 1 : 0 })} ${units[i]}`;
}

function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v == null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k === 'dataset') Object.assign(node.dataset, v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

/** Set a value element: formatted text plus the raw value in data-value. */
function setValue(node, raw, text) {
  node.dataset.value = raw == null || (typeof raw === 'number' && !Number.isFinite(raw)) ? '' : String(raw);
  node.textContent = text;
}

// ───────────────────────── worker ─────────────────────────

function getWorker() {
  if (state.worker) return state.worker;
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = (ev) => onWorkerMessage(ev.data);
  worker.onerror = (ev) => {
    ev.preventDefault?.();
    const idle = state.pending.size === 0;
    resetWorker(t('errorEngine'));
    if (idle) {
      showError({ key: 'errorEngine' });
      setStatus('error', 'statusEngine');
    }
  };
  worker.onmessageerror = () => resetWorker(t('errorEngine'));
  state.worker = worker;
  return worker;
}

function resetWorker(message) {
  if (state.worker) state.worker.terminate();
  state.worker = null;
  state.workerHasFile = false;
  const pending = [...state.pending.values()];
  state.pending.clear();
  for (const p of pending) p.reject(Object.assign(new Error(message), { fatal: true }));
  updateControls();
}

function onWorkerMessage(msg) {
  if (!msg || typeof msg !== 'object') return;
  if (msg.type === 'ready') {
    state.version = msg.version;
    renderVersion();
    return;
  }
  if (msg.type === 'error' && msg.id == null) {
    resetWorker(msg.message || t('errorEngine'));
    return;
  }
  const p = state.pending.get(msg.id);
  if (!p) return;
  if (msg.type === 'progress') {
    p.onProgress?.(msg);
    return;
  }
  state.pending.delete(msg.id);
  if (msg.type === 'error') {
    const err = Object.assign(new Error(msg.message), {
      fatal: Boolean(msg.fatal),
      cancelled: Boolean(msg.cancelled),
    });
    if (msg.fatal) resetWorker(msg.message);
    p.reject(err);
  } else {
    p.resolve(msg);
  }
}

/** Send a request; `onProgress` receives its progress messages. Returns the promise of the answer. */
function request(msg, transfer = [], onProgress = null) {
  const id = ++state.seq;
  const promise = new Promise((resolve, reject) => {
    state.pending.set(id, { resolve, reject, onProgress });
    try {
      getWorker().postMessage({ ...msg, id }, transfer);
    } catch (e) {
      state.pending.delete(id);
      reject(e);
    }
  });
  return { id, promise };
}

function call(msg, transfer = []) {
  return request(msg, transfer).promise;
}

// ───────────────────────── status and errors ─────────────────────────

function setStatus(stateName, key, vars, data) {
  state.status = { state: stateName, key, vars: vars || null, data: data || null };
  renderStatus();
}

function renderStatus() {
  const { state: s, key, vars, data } = state.status;
  el.status.dataset.state = s;
  if (data?.passes) el.status.dataset.passes = String(data.passes);
  else delete el.status.dataset.passes;
  el.status.textContent = t(key, vars && formatVars(vars));
}

// Numbers in status variables are formatted for the current language at render time.
function formatVars(vars) {
  const out = {};
  for (const [k, v] of Object.entries(vars)) {
    if (k === 'size') out[k] = fmtBytes(v);
    else if (k === 'ms') out[k] = fmtInt(v);
    else if (typeof v === 'number') out[k] = fmtInt(v);
    else out[k] = v;
  }
  return out;
}

function showError(error) {
  state.error = error;
  renderError();
}

function clearError() {
  state.error = null;
  renderError();
}

function renderError() {
  const e = state.error;
  el.error.hidden = !e;
  el.error.textContent = '';
  if (!e) return;
  const text = e.message ?? t(e.key, e.vars);
  el.error.append(h('strong', { text: t('errorTitle') }), h('p', { class: 'error-message', text }));
}

function setBusy(busy) {
  state.busy = busy;
  updateControls();
}

function updateControls() {
  // A new file or the sample may be chosen while an analysis runs: it cancels that run.
  const blocked = state.busy || Boolean(state.run);
  el.loadSample.disabled = state.busy;
  el.loadCdnow.disabled = state.busy;
  el.fileInput.disabled = state.busy;
  el.exportCsv.disabled = blocked || !state.result;
  el.rerun.disabled = blocked || !state.workerHasFile;
  const total = state.result?.customerCount ?? 0;
  el.pagePrev.disabled = blocked || !state.result || state.page.offset <= 0;
  el.pageNext.disabled = blocked || !state.result || state.page.offset + PAGE_SIZE >= total;
  el.cancel.disabled = !state.run || state.run.cancelling;
}

// ───────────────────────── progress ─────────────────────────

function showProgress(totalBytes) {
  state.progress = { pass: 1, bytesRead: 0, totalBytes, rows: 0, elapsedMs: 0, passStartMs: 0 };
  el.progress.hidden = false;
  renderProgress();
}

function hideProgress() {
  state.progress = null;
  el.progress.hidden = true;
}

function onProgress(msg) {
  const prev = state.progress;
  if (!prev) return;
  // The speed of the second pass counts from the end of the first.
  const passStartMs = msg.pass === prev.pass ? prev.passStartMs : prev.elapsedMs;
  state.progress = {
    pass: msg.pass,
    bytesRead: msg.bytesRead,
    totalBytes: msg.totalBytes,
    rows: msg.rows,
    elapsedMs: msg.elapsedMs,
    passStartMs,
  };
  renderProgress();
}

function renderProgress() {
  const p = state.progress;
  if (!p) return;
  const fraction = p.totalBytes > 0 ? Math.min(1, p.bytesRead / p.totalBytes) : 0;
  const bar = el.progressBar;
  bar.dataset.value = String(p.bytesRead);
  bar.dataset.total = String(p.totalBytes);
  bar.dataset.pass = String(p.pass);
  bar.dataset.rows = String(p.rows);
  bar.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
  bar.setAttribute('aria-valuetext', fmtPct(fraction, 0));
  el.progressFill.style.width = `${(fraction * 100).toFixed(1)}%`;
  el.progressLabel.textContent = t(p.pass === 2 ? 'progressSecondPass' : 'progressFirstPass');
  const seconds = (p.elapsedMs - p.passStartMs) / 1000;
  const speed = seconds > 0 && p.bytesRead > 0 ? p.bytesRead / (1024 * 1024) / seconds : NaN;
  el.progressDetail.textContent = t('progressDetail', {
    percent: fmtPct(fraction, 0),
    rows: fmtInt(p.rows),
    seconds: fmtNum(p.elapsedMs / 1000, 1),
    speed: isNum(speed) ? fmtNum(speed, 1) : '—',
  });
}

// ───────────────────────── options ─────────────────────────

function columnRef(text) {
  const v = text.trim();
  if (!v) return undefined;
  return /^\d+$/.test(v) ? Number(v) : v;
}

function collectOptions() {
  const f = el.optionsForm.elements;
  const o = {};
  if (f.dateOrder.value !== 'auto') o.dateOrder = f.dateOrder.value;
  if (f.analysisDate.value) o.analysisDate = f.analysisDate.value;
  if (f.rfmMode.value !== 'quantile') o.rfm = { mode: f.rfmMode.value };
  if (f.frequency.value !== 'orders') o.frequency = f.frequency.value;
  if (f.returns.value !== 'net') o.returns = f.returns.value;
  const columns = {};
  const c = columnRef(f.colCustomer.value);
  const d = columnRef(f.colDate.value);
  const a = columnRef(f.colAmount.value);
  if (c !== undefined) columns.customer = c;
  if (d !== undefined) columns.date = d;
  if (a !== undefined) columns.amount = a;
  if (Object.keys(columns).length) o.columns = columns;
  return Object.keys(o).length ? o : undefined;
}

/** The page's options with those a built-in sample insists on (`source.options`) merged over them. */
function optionsFor(source) {
  const o = collectOptions();
  if (!source?.options) return o;
  return { ...(o || {}), ...source.options };
}

// ───────────────────────── running an analysis ─────────────────────────

/** Ask the worker to stop the analysis in flight (its answer, an error with `cancelled`, ends the run). */
function cancelRun() {
  const run = state.run;
  if (!run || run.cancelling) return;
  run.cancelling = true;
  state.worker?.postMessage({ type: 'cancel', id: run.id });
  updateControls();
}

/**
 * Analyse `blob` (a File or the fetched sample), or re-run the worker's kept input with new options
 * when `blob` is null. A run already in flight is cancelled first.
 */
async function analyze(source, blob) {
  if (state.run) cancelRun();
  const token = ++state.runToken;
  clearError();
  setStatus('analysing', 'statusAnalysing', { name: source.name, size: source.size });
  const msg = { type: 'analyze', options: optionsFor(source), preview: PAGE_SIZE, columns: TABLE_COLUMNS };
  if (blob) msg.file = blob; // the worker streams it; the page never reads it
  showProgress(blob ? blob.size : source.size);
  const { id, promise } = request(msg, [], (p) => {
    if (token === state.runToken) onProgress(p);
  });
  state.run = { id, token, source, cancelling: false };
  updateControls();
  try {
    const res = await promise;
    if (token !== state.runToken) return;
    state.source = source;
    state.workerHasFile = true;
    state.result = {
      summary: res.summary,
      customerCount: res.customerCount,
      elapsedMs: res.elapsedMs,
      passes: res.passes,
      reference: source.reference ?? null,
      palive: null, // { counts, min, max } once the worker has counted them, or { error }
    };
    state.page = { offset: 0, columns: res.columns };
    renderResults();
    if (modelFitted(res.summary)) loadPaliveHistogram(state.result);
    setStatus(
      'done',
      res.passes === 2 ? 'statusDoneTwoPasses' : 'statusDone',
      {
        customers: res.customerCount,
        rows: res.summary?.input?.rows ?? 0,
        ms: Math.max(1, Math.round(res.elapsedMs)),
      },
      { passes: res.passes },
    );
  } catch (e) {
    if (token !== state.runToken) return;
    if (e?.cancelled) {
      // The worker still holds the previous analysis (and its input): its results stay on the page.
      if (state.result && state.source) setStatus('cancelled', 'statusCancelledKept', { name: state.source.name });
      else setStatus('cancelled', 'statusCancelled');
      return;
    }
    // A failed analysis frees the previous one; the worker keeps this input for a re-run with other
    // options (unless the engine itself failed).
    if (!e?.fatal) {
      state.source = source;
      state.workerHasFile = true;
    }
    state.result = null;
    state.page = { offset: 0, columns: null };
    hideResults();
    showError({ message: e?.message || String(e) });
    setStatus('error', 'statusError');
  } finally {
    if (token === state.runToken) {
      state.run = null;
      hideProgress();
      updateControls();
    }
  }
}

function loadFile(file) {
  if (!file) return;
  analyze({ name: file.name, size: file.size }, file);
}

/** Fetch one of the page's own data sets (SAMPLES) and analyse it. */
async function loadSample(sample = SAMPLES.sample) {
  if (state.run) cancelRun();
  const token = ++state.runToken; // a run started meanwhile wins over this one
  clearError();
  setStatus('loading', sample.statusKey);
  let blob;
  try {
    const resp = await fetch(new URL(sample.url, document.baseURI), { cache: 'no-store' });
    if (!resp.ok) throw new Error(`HTTP ${resp.status} ${resp.statusText}`.trim());
    blob = await resp.blob();
  } catch (e) {
    if (token !== state.runToken) return;
    showError({ key: 'errorSample', vars: { message: e?.message || String(e) } });
    setStatus('error', 'statusError');
    return;
  }
  if (token !== state.runToken) return;
  const { name, options, reference } = sample;
  await analyze({ name, size: blob.size, options, reference }, blob);
}

async function rerun() {
  if (!state.workerHasFile || state.busy || state.run) return;
  await analyze(state.source ?? { name: '…', size: NaN }, null);
}

async function exportCsv() {
  if (!state.result || state.busy || state.run) return;
  setBusy(true);
  const prevStatus = state.status;
  setStatus('loading', 'statusExporting');
  try {
    const res = await call({ type: 'exportCsv' });
    const name = 'tierwise-customers.csv';
    const blob = new Blob([res.bytes], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    setStatus('done', 'statusExported', { name, size: blob.size });
  } catch (e) {
    state.status = prevStatus;
    showError({ message: e?.message || String(e) });
    renderStatus();
    if (e?.fatal) {
      state.result = null;
      hideResults();
    }
  } finally {
    setBusy(false);
  }
}

async function showPage(offset) {
  if (!state.result || state.busy || state.run) return;
  const total = state.result.customerCount;
  offset = Math.max(0, Math.min(offset, Math.max(0, total - 1)));
  setBusy(true);
  try {
    const res = await call({ type: 'rows', offset, limit: PAGE_SIZE, columns: TABLE_COLUMNS });
    state.page = { offset: res.offset, columns: res.columns };
    renderCustomerTable();
  } catch (e) {
    showError({ message: e?.message || String(e) });
  } finally {
    setBusy(false);
  }
}

// ───────────────────────── rendering ─────────────────────────

function hideResults() {
  el.results.hidden = true;
  disposeChart(el.segmentChart);
  disposeChart(el.paretoChart);
  disposeChart(el.paliveChart);
  updateControls();
}

function renderAll() {
  applyStatic();
  renderStatus();
  renderError();
  renderVersion();
  if (state.result) renderResults();
  renderProgress();
}

function renderVersion() {
  el.version.textContent = state.version ? t('footerVersion', { version: state.version }) : '';
}

function renderResults() {
  const s = state.result.summary || {};
  el.results.hidden = false;
  renderQuality(s);
  renderKpis(s);
  renderCharts(s);
  renderSegmentTable(s);
  renderGrades(s);
  renderLifecycle(s);
  renderRetention(s);
  renderModel(s);
  renderCustomerTable();
  updateControls();
}

/** Whether the file had money: an amount column, or quantity × unit price. */
function hasAmount(s) {
  const c = s?.input?.columns;
  if (c && typeof c === 'object') return c.amount != null || (c.quantity != null && c.unitPrice != null);
  return isNum(s?.kpis?.revenue);
}

function nameMaps(s) {
  const maps = { rfm11: new Map(), cn8: new Map(), abc: new Map(), ladder: new Map(), lifecycle: new Map() };
  const add = (map, list) => {
    for (const x of list || []) if (x && x.name != null) map.set(x.name, x);
  };
  add(maps.rfm11, s.segments?.rfm11);
  add(maps.cn8, s.segments?.cn8);
  add(maps.abc, s.grades?.abc);
  add(maps.ladder, s.grades?.ladder);
  add(maps.lifecycle, s.lifecycle);
  return maps;
}

/** Display name of a summary entry ({name, nameZh}) in the current language. */
function entryName(entry, fallbackKind) {
  if (!entry) return '';
  if (getLang() === 'zh' && entry.nameZh) return entry.nameZh;
  if (fallbackKind) {
    const l = label(fallbackKind, entry.name);
    if (l !== entry.name) return l;
  }
  return entry.name ?? '';
}

function displayLabel(map, value, kind) {
  if (!value) return '';
  const entry = map?.get(value);
  if (entry) return entryName(entry, kind);
  return kind ? label(kind, value) : value;
}

function columnText(ref) {
  if (ref == null || ref === '') return null;
  if (typeof ref === 'number') return t('index', { i: ref });
  return String(ref);
}

function delimiterText(d) {
  switch (d) {
    case ',':
      return t('delimiterComma');
    case ';':
      return t('delimiterSemicolon');
    case '\t':
    case 'tab':
      return t('delimiterTab');
    case '|':
      return t('delimiterPipe');
    case 'whitespace':
      return t('delimiterWhitespace');
    default:
      return d == null ? '—' : String(d);
  }
}

function renderQuality(s) {
  const input = s.input || {};
  setValue($('#dq-rows'), input.rows, fmtInt(input.rows));
  setValue($('#dq-used'), input.used, fmtInt(input.used));

  const rejected = input.rejected || {};
  const order = ['malformed_row', 'repeated_header', 'missing_customer', 'bad_date', 'bad_amount'];
  const rank = (r) => (order.includes(r) ? order.indexOf(r) : order.length);
  const reasons = Object.entries(rejected)
    .filter(([, v]) => v && v.count > 0)
    .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : 1));
  const rejectedTotal = reasons.reduce((n, [, v]) => n + (v.count || 0), 0);
  setValue($('#dq-rejected'), rejectedTotal, fmtInt(rejectedTotal));

  const ex = input.excluded || {};
  const exAfter = ex.afterAnalysisDate || 0;
  const exIgnored = ex.ignoredReturns || 0;
  const exNoPurchase = ex.returnsWithoutPurchase || 0;
  const exTotal = exAfter + exIgnored + exNoPurchase;
  const exNode = $('#dq-excluded');
  setValue(exNode, exTotal, fmtInt(exTotal));
  const parts = [
    ['dq-excluded-after', exAfter, 'dqExcludedAfter'],
    ['dq-excluded-ignored', exIgnored, 'dqExcludedIgnored'],
    ['dq-excluded-no-purchase', exNoPurchase, 'dqExcludedNoPurchase'],
  ].filter(([, n]) => n > 0);
  for (const [id, n, key] of parts) {
    exNode.append(
      h('span', { class: 'sub', id, 'data-testid': id, 'data-value': n }, `${fmtInt(n)} ${t(key)}`),
    );
  }

  $('#dq-encoding').textContent = input.encoding ?? '—';
  $('#dq-encoding').dataset.value = input.encoding ?? '';
  $('#dq-delimiter').textContent = delimiterText(input.delimiter);
  $('#dq-delimiter').dataset.value = input.delimiter ?? '';
  $('#dq-header').textContent = input.header == null ? '—' : input.header ? t('yes') : t('no');
  $('#dq-header').dataset.value = input.header == null ? '' : String(Boolean(input.header));

  const df = input.dateFormat || {};
  const dfNode = $('#dq-date-format');
  dfNode.textContent = '';
  dfNode.dataset.value = df.format ?? '';
  dfNode.append(h('code', { text: df.format ?? '—' }));
  if (df.ambiguous && df.order) dfNode.append(h('span', { class: 'sub', text: String(df.order) }));
  setValue($('#dq-analysis-date'), s.analysisDate, s.analysisDate ?? '—');

  // column mapping
  const cols = input.columns || {};
  const colNode = $('#dq-columns');
  colNode.textContent = '';
  const roles = [
    ['customer', 'roleCustomer'],
    ['date', 'roleDate'],
    ['amount', 'roleAmount'],
    ['quantity', 'roleQuantity'],
    ['unitPrice', 'roleUnitPrice'],
    ['order', 'roleOrder'],
    ['category', 'roleCategory'],
  ];
  const wrap = h('div', { class: 'col-map' });
  for (const [role, key] of roles) {
    const text = columnText(cols[role]);
    if (text == null) continue;
    wrap.append(h('span', { class: 'chip role', 'data-role': role }, `${t(key)} → `, h('b', { text })));
  }
  const signals = Array.isArray(cols.signals) ? cols.signals.map(columnText).filter(Boolean) : [];
  if (signals.length) {
    wrap.append(h('span', { class: 'chip role', 'data-role': 'signals' }, `${t('roleSignals')} → `, h('b', { text: signals.join(', ') })));
  }
  colNode.append(wrap);

  // model
  // model: one line here, the parameters in the model panel
  const model = s.model || {};
  const modelNode = $('#dq-model');
  if (model.notFitted != null) {
    modelNode.textContent = t('dqModelNotFitted', { reason: modelReason(model.notFitted) });
  } else if (model.bgnbd) {
    modelNode.textContent = t('dqModelFitted', {
      customers: fmtInt(model.customers),
      repeat: fmtInt(model.repeatBuyers),
    });
  } else {
    modelNode.textContent = '—';
  }

  // ambiguous dates
  const amb = $('#dq-ambiguous');
  if (df.ambiguous) {
    const samples = Array.isArray(df.samples) ? df.samples.slice(0, 3).join(', ') : '';
    const orderKey = { mdy: 'optDateOrderMdy', dmy: 'optDateOrderDmy', ymd: 'optDateOrderYmd' }[df.order];
    amb.textContent = t('dqAmbiguous', { samples, order: orderKey ? t(orderKey) : (df.order ?? '') });
    amb.hidden = false;
  } else {
    amb.hidden = true;
  }

  // rejected rows by reason, with the first examples
  const detail = $('#dq-rejected-detail');
  detail.textContent = '';
  if (reasons.length) {
    const table = h('table', { class: 'data-table compact', 'data-testid': 'dq-rejected-table' });
    table.append(
      h('thead', null, h('tr', null,
        h('th', { scope: 'col', text: t('dqReason') }),
        h('th', { scope: 'col', class: 'num', text: t('dqCount') }),
        h('th', { scope: 'col', text: t('dqExamples') }))),
    );
    const body = h('tbody');
    for (const [reason, info] of reasons) {
      const examples = (info.examples || []).slice(0, 3).map((x) =>
        h('div', { class: 'mono small', title: x.message || null }, t('dqExample', {
          row: x.row ?? '?',
          column: columnText(x.column) ?? '—',
          value: JSON.stringify(x.value ?? ''),
        })),
      );
      body.append(
        h('tr', { 'data-reason': reason },
          h('td', { text: label('reason', reason) }),
          h('td', { class: 'num', 'data-value': info.count, text: fmtInt(info.count) }),
          h('td', null, examples)),
      );
    }
    table.append(body);
    detail.append(h('div', { class: 'table-scroll rejects' }, table));
  }

  // warnings
  const warnNode = $('#dq-warnings');
  warnNode.textContent = '';
  const warnings = Array.isArray(s.warnings) ? s.warnings.filter(Boolean) : [];
  if (warnings.length) {
    warnNode.append(h('strong', { text: t('dqWarnings') }), h('ul', null, warnings.map((w) => h('li', { text: String(w) }))));
    warnNode.hidden = false;
  } else {
    warnNode.hidden = true;
  }
}

function renderKpis(s) {
  const k = s.kpis || {};
  const p = s.pareto || {};
  const customers = k.customers ?? s.customers;
  setValue($('#kpi-customers'), customers, fmtInt(customers));
  setValue($('#kpi-orders'), k.orders, isNum(k.orders) ? t('kpiOrders', { orders: fmtInt(k.orders) }) : '');
  const money = hasAmount(s);
  setValue($('#kpi-revenue'), money ? k.revenue : null, money ? fmtMoney(k.revenue) : '—');
  $('#kpi-revenue-sub').textContent = money ? t('kpiRevenueSub') : t('kpiNoAmount');
  setValue($('#kpi-aov'), money && isNum(k.aov) ? k.aov : null, money ? fmtMoney(k.aov) : '—');
  $('#kpi-aov-sub').textContent = money ? t('kpiAovSub') : t('kpiNoAmount');
  setValue($('#kpi-repeat'), k.repeatRate, fmtPctFixed(k.repeatRate));
  const x80 = money && isNum(p.customerShareFor80) ? p.customerShareFor80 : null;
  setValue($('#kpi-pareto80'), x80, fmtPctFixed(x80));
  $('#kpi-pareto80-sub').textContent = money ? t('kpiPareto80Sub') : t('kpiNoAmount');
  const top20 = money && isNum(p.top20RevenueShare) ? p.top20RevenueShare : null;
  setValue($('#kpi-top20'), top20, top20 == null ? '' : t('kpiTop20', { share: fmtPctFixed(top20) }));
}

function segmentList(s) {
  const list = s.segments?.[state.preset];
  return Array.isArray(list) ? list : [];
}

function renderCharts(s) {
  const segs = segmentList(s);
  if (!chartsAvailable()) {
    showChartMessage(el.segmentChart, t('chartNoLib'));
    showChartMessage(el.paretoChart, t('chartNoLib'));
    return;
  }
  const money = hasAmount(s);
  if (!segs.length || segs.every((x) => !x.customers)) {
    showChartMessage(el.segmentChart, t('chartSegmentsEmpty'));
  } else {
    renderSegmentChart(el.segmentChart, {
      rows: segs.map((x) => ({
        label: entryName(x),
        customers: x.customers,
        share: x.share,
        revenue: x.revenue,
        revenueShare: x.revenueShare,
      })),
      hasRevenue: money,
      text: t,
      fmtInt,
      fmtMoney,
      locale: locale(),
    });
  }
  const pts = s.pareto?.points;
  if (money && Array.isArray(pts) && pts.length > 1) {
    renderParetoChart(el.paretoChart, {
      points: pts,
      customerShareFor80: s.pareto.customerShareFor80,
      text: t,
      locale: locale(),
    });
  } else {
    showChartMessage(el.paretoChart, t('kpiNoAmount'));
  }
}

function tableHead(cols) {
  return h('thead', null, h('tr', null, cols.map(([key, cls]) => h('th', { scope: 'col', class: cls, text: t(key) }))));
}

function renderSegmentTable(s) {
  const table = $('#segment-table');
  table.textContent = '';
  const money = hasAmount(s);
  const cols = [
    ['colSegment'],
    ['colCustomers', 'num'],
    ['colShare', 'num'],
    ...(money ? [['colRevenue', 'num'], ['colRevenueShare', 'num']] : []),
    ['colAvgRecency', 'num'],
    ['colAvgFrequency', 'num'],
    ...(money ? [['colAvgMonetary', 'num']] : []),
    ['colAction'],
  ];
  table.append(tableHead(cols));
  const body = h('tbody');
  for (const x of segmentList(s)) {
    const action = getLang() === 'zh' ? x.actionZh || x.action : x.action || x.actionZh;
    body.append(
      h('tr', { class: x.customers ? null : 'empty', 'data-segment': x.name },
        h('td', { class: 'nowrap', text: entryName(x) }),
        h('td', { class: 'num', 'data-value': x.customers, text: fmtInt(x.customers) }),
        h('td', { class: 'num', text: fmtPct(x.share) }),
        money && h('td', { class: 'num', text: fmtMoney(x.revenue) }),
        money && h('td', { class: 'num', text: fmtPct(x.revenueShare) }),
        h('td', { class: 'num', text: x.customers ? fmtNum(x.avgRecency, 1) : '—' }),
        h('td', { class: 'num', text: x.customers ? fmtNum(x.avgFrequency, 2) : '—' }),
        money && h('td', { class: 'num', text: x.customers ? fmtMoney(x.avgMonetary) : '—' }),
        h('td', { class: 'action', text: action ?? '' })),
    );
  }
  table.append(body);
}

function shareTable(table, list, { revenue, kind }) {
  table.textContent = '';
  const cols = [
    [kind === 'lifecycle' ? 'colStage' : 'colGrade'],
    ['colCustomers', 'num'],
    ['colShare', 'num'],
    ...(revenue ? [['colRevenueShare', 'num']] : []),
  ];
  table.append(tableHead(cols));
  const body = h('tbody');
  for (const x of list || []) {
    body.append(
      h('tr', { class: x.customers ? null : 'empty', 'data-name': x.name },
        h('td', { text: entryName(x, kind) }),
        h('td', { class: 'num', 'data-value': x.customers, text: fmtInt(x.customers) }),
        h('td', { class: 'num', text: fmtPct(x.share) }),
        revenue && h('td', { class: 'num', text: fmtPct(x.revenueShare) })),
    );
  }
  table.append(body);
}

function countTable(table, entries, kind, headKey) {
  table.textContent = '';
  table.append(tableHead([[headKey], ['colCustomers', 'num']]));
  const body = h('tbody');
  for (const [name, n] of entries) {
    body.append(
      h('tr', { class: n ? null : 'empty', 'data-name': name },
        h('td', { text: label(kind, name) }),
        h('td', { class: 'num', 'data-value': n, text: fmtInt(n) })),
    );
  }
  table.append(body);
}

function renderGrades(s) {
  const money = hasAmount(s);
  shareTable($('#grade-abc-table'), s.grades?.abc, { revenue: money });
  shareTable($('#grade-ladder-table'), s.grades?.ladder, { revenue: money });
}

function renderLifecycle(s) {
  shareTable($('#lifecycle-table'), s.lifecycle, { revenue: false, kind: 'lifecycle' });
  const flags = Object.entries(s.churn?.flags || {});
  const riskObj = s.churn?.risk || {};
  const risk = ['high', 'medium', 'low'].filter((k) => k in riskObj).map((k) => [k, riskObj[k]]);
  for (const [k, v] of Object.entries(riskObj)) if (!['high', 'medium', 'low'].includes(k)) risk.push([k, v]);
  countTable($('#churn-flags-table'), flags, 'flag', 'colFlag');
  countTable($('#churn-risk-table'), risk, 'risk', 'colRisk');
}

function scoreCell(v) {
  const td = h('td', { class: 'num' });
  if (v) td.append(h('span', { class: `score score-${Math.min(5, v)}`, text: String(v) }));
  return td;
}

/** A model column cell (hidden with the model's columns when it was not fitted); NaN shows as —. */
function numCell(raw, text) {
  return h('td', { class: 'num col-model', 'data-value': isNum(raw) ? raw : '', text });
}

function renderCustomerTable() {
  const body = el.customerTable.tBodies[0];
  body.textContent = '';
  const cols = state.page.columns || {};
  const ids = cols.customerId || [];
  const total = state.result?.customerCount ?? 0;
  const s = state.result?.summary || {};
  // The model's three columns only when it was fitted: otherwise they would be empty on every row.
  el.customerTable.classList.toggle('no-model', !modelFitted(s));
  if (s.model?.horizon != null) {
    $('#th-expected').title = t('thExpectedHint', { horizon: s.model.horizon, unit: unitText(s.model.timeUnit) });
  }
  const maps = nameMaps(s);
  const money = hasAmount(s);
  const frag = document.createDocumentFragment();
  for (let i = 0; i < ids.length; i++) {
    const flags = String(cols.churnFlags?.[i] ?? '').split('|').filter(Boolean);
    const m = cols.monetary?.[i];
    frag.append(
      h('tr', { 'data-testid': 'customer-row' },
        h('td', { class: 'id', text: ids[i] }),
        h('td', { text: cols.lastDate?.[i] ?? '' }),
        h('td', { class: 'num', text: fmtInt(cols.recencyDays?.[i]) }),
        h('td', { class: 'num', text: fmtNum(cols.frequency?.[i], 2) }),
        h('td', { class: 'num', text: money ? fmtMoney(m) : '—' }),
        scoreCell(cols.rScore?.[i]),
        scoreCell(cols.fScore?.[i]),
        scoreCell(cols.mScore?.[i]),
        h('td', { text: displayLabel(maps.rfm11, cols.segmentRfm11?.[i]) }),
        h('td', { text: displayLabel(maps.abc, cols.gradeAbc?.[i]) }),
        h('td', { text: displayLabel(maps.ladder, cols.gradeLadder?.[i]) }),
        h('td', { text: displayLabel(maps.lifecycle, cols.lifecycle?.[i], 'lifecycle') }),
        numCell(cols.pAlive?.[i], fmtPct(cols.pAlive?.[i], 0)),
        numCell(cols.expectedPurchases?.[i], fmtNum(cols.expectedPurchases?.[i], 2)),
        numCell(cols.predictedClv?.[i], money ? fmtMoney(cols.predictedClv?.[i]) : '—'),
        h('td', { class: 'flags' }, h('span', { class: 'chips' }, flags.map((f) => h('span', { class: 'chip flag', title: f, text: label('flag', f) }))))),
    );
  }
  body.append(frag);
  const from = ids.length ? state.page.offset + 1 : 0;
  const to = state.page.offset + ids.length;
  $('#customer-range').textContent = state.result
    ? t('customersRange', { from: fmtInt(from), to: fmtInt(to), total: fmtInt(total) })
    : '';
  updateControls();
}

// ───────────────────────── retention and cohorts ─────────────────────────

const COHORT_MAX_ROWS = 24; // the most recent cohorts shown
const COHORT_MAX_MONTHS = 24; // months since first purchase shown: 0 … 23

/** Days between two `YYYY-MM-DD` dates (NaN when either is missing). */
function daysBetween(from, to) {
  const ms = Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`);
  return Math.round(ms / 86_400_000);
}

/**
 * Background of a cohort cell: the accent colour with an opacity growing with the square root of the
 * share, so that the usual 2–20 % after month 0 are told apart next to month 0's 100 %.
 */
function heatStyle(share) {
  const alpha = Math.sqrt(Math.min(1, Math.max(0, share))) * 0.9;
  const dark = alpha > 0.55;
  return `background-color: rgba(67, 97, 194, ${alpha.toFixed(3)});${dark ? ' color: #fff;' : ''}`;
}

function renderRetention(s) {
  const k = s.kpis || {};
  const r = k.retention || {};
  const days = s.options?.kpis?.activeDays ?? daysBetween(r.from, r.to);
  const period = $('#ret-period');
  period.textContent = r.from && r.to ? t('retPeriod', { from: r.from, to: r.to, days: fmtInt(days) }) : '';
  period.dataset.from = r.from ?? '';
  period.dataset.to = r.to ?? '';
  setValue($('#ret-retention'), r.retention, fmtPctFixed(r.retention));
  setValue($('#ret-churn'), r.churn, fmtPctFixed(r.churn));
  setValue($('#ret-start'), r.activeAtStart, fmtInt(r.activeAtStart));
  setValue($('#ret-end'), r.activeAtEnd, fmtInt(r.activeAtEnd));
  setValue($('#ret-new'), r.new, fmtInt(r.new));
  const formula = $('#ret-formula');
  formula.textContent = t('retFormula', { days: fmtInt(days) });
  formula.dataset.days = isNum(days) ? String(days) : '';
  $('#ret-undefined').hidden = !(r.activeAtStart === 0);
  renderCohorts(Array.isArray(k.cohorts) ? k.cohorts : []);
}

/** The cohort table: the most recent COHORT_MAX_ROWS cohorts, oldest first, months 0 … COHORT_MAX_MONTHS − 1. */
function renderCohorts(all) {
  const table = $('#cohort-table');
  table.textContent = '';
  const cohorts = all.slice(-COHORT_MAX_ROWS);
  const maxMonths = all.reduce((n, c) => Math.max(n, c.active?.length ?? 0), 0);
  const months = Math.min(
    COHORT_MAX_MONTHS,
    cohorts.reduce((n, c) => Math.max(n, c.active?.length ?? 0), 0),
  );
  table.dataset.cohorts = String(all.length);
  table.dataset.months = String(maxMonths);

  const cap = $('#cohort-cap');
  const notes = [];
  if (all.length > cohorts.length) notes.push(t('cohortCapRows', { shown: fmtInt(cohorts.length), total: fmtInt(all.length) }));
  if (maxMonths > months) notes.push(t('cohortCapMonths', { last: fmtInt(months - 1), max: fmtInt(maxMonths - 1) }));
  cap.textContent = notes.join(' ');
  cap.hidden = !notes.length;

  if (!cohorts.length) {
    table.append(h('tbody', null, spanRow(3, t('cohortNone'), { class: 'note' })));
    return;
  }
  const monthHeads = [];
  for (let m = 0; m < months; m++) monthHeads.push(h('th', { scope: 'col', class: 'num month', text: String(m) }));
  table.append(
    h('thead', null,
      h('tr', null,
        h('th', { scope: 'col', rowspan: 2, text: t('colCohort') }),
        h('th', { scope: 'col', rowspan: 2, class: 'num', text: t('colCustomers') }),
        h('th', { scope: 'colgroup', colspan: months, class: 'months-since', text: t('colMonthsSince') })),
      h('tr', null, monthHeads)),
  );
  const body = h('tbody');
  for (const c of cohorts) {
    const active = (c.active || []).slice(0, months);
    const cells = active.map((share, m) =>
      h('td', {
        class: 'num cohort-cell',
        'data-month': m,
        'data-value': isNum(share) ? share : '',
        style: isNum(share) ? heatStyle(share) : null,
        title: t('cohortCell', {
          share: fmtPct(share, 1),
          customers: fmtInt(c.customers),
          count: fmtInt(Math.round(share * c.customers)),
        }),
        text: fmtPct(share, 0),
      }),
    );
    for (let m = active.length; m < months; m++) cells.push(h('td', { class: 'pad' }));
    body.append(
      h('tr', { 'data-month': c.month, 'data-testid': 'cohort-row' },
        h('th', { scope: 'row', class: 'nowrap', text: c.month }),
        h('td', { class: 'num', 'data-value': c.customers, text: fmtInt(c.customers) }),
        cells),
    );
  }
  table.append(body);
}

// ───────────────────────── purchase model ─────────────────────────

/** Whether the BG/NBD model was fitted (its per-customer columns are then filled). */
function modelFitted(s) {
  const m = s?.model;
  return Boolean(m && m.notFitted == null && m.bgnbd);
}

function unitText(unit) {
  return t(unit === 'day' ? 'unitDay' : 'unitWeek');
}

/** The published fit to set beside this analysis: only for the CDNOW sample as of the published date. */
function publishedFor(s) {
  const p = PUBLISHED_CDNOW;
  if (state.result?.reference !== 'cdnow') return null;
  return s.analysisDate === p.analysisDate && s.model?.timeUnit === p.timeUnit ? p : null;
}

/** Count P(alive) in 20 bins in the worker (only the counts cross over), then draw them. */
async function loadPaliveHistogram(result) {
  result.palive = null;
  renderPalive();
  let palive;
  try {
    const res = await call({ type: 'histogram', column: 'pAlive', bins: 20, min: 0, max: 1 });
    palive = { counts: res.counts, min: res.min, max: res.max };
  } catch (e) {
    palive = { error: e?.message || String(e) };
  }
  if (state.result !== result) return; // another analysis has replaced this one meanwhile
  result.palive = palive;
  renderPalive();
}

function renderPalive() {
  const node = el.paliveChart;
  const p = state.result?.palive;
  if (!p) {
    node.dataset.state = 'loading';
    showChartMessage(node, t('paliveLoading'));
    return;
  }
  if (p.error || !chartsAvailable()) {
    node.dataset.state = 'error';
    showChartMessage(node, p.error || t('chartNoLib'));
    return;
  }
  node.dataset.state = 'done';
  node.dataset.total = String(p.counts.reduce((a, b) => a + b, 0));
  renderHistogramChart(node, {
    counts: p.counts,
    min: p.min,
    max: p.max,
    name: t('colCustomers'),
    xLabel: t('paliveX'),
    fmtInt,
    locale: locale(),
  });
}

/**
 * One parameter row: the fitted value and, beside a published fit, the published value and whether
 * the fitted one is within its tolerance (`rel`ative or `abs`olute).
 */
function paramRow(testid, labelKey, value, digits, pub, withPublished) {
  const fitted = h('td', { class: 'num', 'data-testid': `model-${testid}`, 'data-value': value, text: fmtFixed(value, digits) });
  const row = h('tr', { 'data-param': testid }, h('td', { text: t(labelKey) }), fitted);
  if (!withPublished) return row;
  if (!pub) {
    row.append(h('td'), h('td'));
    return row;
  }
  const diff = Math.abs(value - pub.value);
  const rel = diff / Math.abs(pub.value);
  const within = isNum(value) && (pub.rel != null ? rel <= pub.rel : diff <= pub.abs);
  const tol = pub.rel != null ? fmtPct(pub.rel, 2) : fmtNum(pub.abs, 4);
  fitted.dataset.within = String(within);
  row.append(
    h('td', { class: 'num', 'data-testid': `model-${testid}-published`, 'data-value': pub.value, text: fmtFixed(pub.value, pub.digits) }),
    h('td', {
      class: `num ${within ? 'match' : 'mismatch'}`,
      'data-testid': `model-${testid}-diff`,
      'data-within': String(within),
      title: t(within ? 'withinTolerance' : 'outsideTolerance', { tol }),
      text: `${within ? '✓' : '✗'} ${pub.rel != null ? fmtPct(rel, 3) : fmtNum(diff, 4)}`,
    }),
  );
  return row;
}

/** A row spanning the table: a group heading or a sentence. */
function spanRow(cols, text, attrs) {
  return h('tr', { class: 'group', ...attrs }, h('td', { colspan: cols, text }));
}

function modelTable(model, pub, money) {
  const table = $('#model-table');
  table.textContent = '';
  const b = model.bgnbd;
  if (!b) return;
  const withPublished = Boolean(pub);
  const cols = [
    ['colParameter'],
    ['colFitted', 'num'],
    ...(withPublished ? [['colPublished', 'num'], ['colDifference', 'num']] : []),
  ];
  table.append(tableHead(cols));
  const body = h('tbody');
  const pb = pub?.bgnbd;
  body.append(
    spanRow(cols.length, t('modelGroupBgnbd')),
    paramRow('bgnbd-r', 'paramR', b.r, 4, pb?.r, withPublished),
    paramRow('bgnbd-alpha', 'paramAlpha', b.alpha, 4, pb?.alpha, withPublished),
    paramRow('bgnbd-a', 'paramA', b.a, 4, pb?.a, withPublished),
    paramRow('bgnbd-b', 'paramB', b.b, 4, pb?.b, withPublished),
    paramRow('bgnbd-ll', 'paramLogLikelihood', b.logLikelihood, 2, pb?.logLikelihood, withPublished),
    h('tr', { 'data-param': 'bgnbd-converged' },
      h('td', { text: t('paramConverged') }),
      h('td', {
        class: 'num',
        'data-testid': 'model-bgnbd-converged',
        'data-value': String(Boolean(b.converged)),
        text: t(b.converged ? 'convergedYes' : 'convergedNo', { n: fmtInt(b.iterations) }),
      }),
      withPublished && [h('td'), h('td')]),
  );
  // Gamma-Gamma only after a BG/NBD fit that was kept (a non-converged one has none).
  const g = model.gammaGamma;
  if (g) {
    body.append(spanRow(cols.length, t('modelGroupGg')));
    if (g.notFitted != null) {
      body.append(
        spanRow(cols.length, t('modelGgNotFitted', { reason: modelReason(g.notFitted) }), {
          class: 'note',
          'data-testid': 'model-gg-reason',
          'data-value': g.notFitted,
        }),
      );
    } else {
      const pg = pub?.gammaGamma;
      const mean = h('td', {
        class: 'num',
        'data-testid': 'model-gg-mean-spend',
        'data-value': g.populationMeanSpend,
        text: money ? fmtMoney(g.populationMeanSpend) : fmtNum(g.populationMeanSpend, 2),
      });
      body.append(
        paramRow('gg-p', 'paramP', g.p, 4, pg?.p, withPublished),
        paramRow('gg-q', 'paramQ', g.q, 4, pg?.q, withPublished),
        paramRow('gg-gamma', 'paramGamma', g.gamma, 4, pg?.gamma, withPublished),
        h('tr', null,
          h('td', { text: t('paramGgCustomers') }),
          h('td', { class: 'num', 'data-testid': 'model-gg-customers', 'data-value': g.customers, text: fmtInt(g.customers) }),
          withPublished && [h('td'), h('td')]),
        h('tr', null, h('td', { text: t('paramMeanSpend') }), mean, withPublished && [h('td'), h('td')]),
      );
    }
  }
  table.append(body);
}

/** The churn method the core reports (`model: …` or `rules: …`) as a sentence in the page's language. */
function riskText(method) {
  const m = String(method ?? '');
  const model = m.match(/^model\b.*?above ([\d.]+) high, from ([\d.]+) medium/);
  if (model) return t('riskModel', { high: fmtNum(Number(model[1]), 2), medium: fmtNum(Number(model[2]), 2) });
  if (/^rules\b/.test(m)) return t('riskRules');
  return m ? t('riskOther', { method: m }) : '';
}

function renderModel(s) {
  const model = s.model || {};
  const section = $('#model-section');
  const fitted = modelFitted(s);
  const pub = fitted ? publishedFor(s) : null;
  section.dataset.state = fitted ? 'fitted' : model.notFitted != null ? 'notFitted' : 'none';
  section.dataset.reference = pub ? 'cdnow' : '';

  const lead = $('#model-lead');
  for (const [k, v] of Object.entries({
    customers: model.customers,
    repeatBuyers: model.repeatBuyers,
    timeUnit: model.timeUnit,
    horizon: model.horizon,
  })) {
    if (v == null) delete lead.dataset[k];
    else lead.dataset[k] = String(v);
  }
  const withSpend = model.gammaGamma && model.gammaGamma.notFitted == null;
  lead.textContent = fitted
    ? t(withSpend ? 'modelLeadFitted' : 'modelLeadBgOnly', {
        customers: fmtInt(model.customers),
        repeat: fmtInt(model.repeatBuyers),
        unit: unitText(model.timeUnit),
        horizon: fmtInt(model.horizon),
        months: fmtInt(model.clv?.months ?? 12),
        rate: fmtPct(model.clv?.discountRate ?? 0.01, 2),
      })
    : t('modelLeadNotFitted');

  const reason = $('#model-reason');
  reason.hidden = model.notFitted == null;
  reason.dataset.value = model.notFitted ?? '';
  reason.textContent = model.notFitted == null ? '' : t('modelNotFitted', { reason: modelReason(model.notFitted) });
  reason.title = getLang() === 'zh' && model.notFitted != null ? String(model.notFitted) : '';

  modelTable(model, pub, hasAmount(s));
  const risk = $('#model-risk');
  risk.textContent = riskText(s.churn?.method);
  risk.dataset.value = s.churn?.method ?? '';

  const source = $('#model-source');
  source.textContent = '';
  source.hidden = !pub;
  if (pub) {
    const link = (href, key) => h('a', { href, target: '_blank', rel: 'noopener', text: t(key) });
    source.append(
      `${t('modelSourceCdnow')} `,
      link('data/cdnow/README.md', 'linkReadme'),
      ' · ',
      link('data/cdnow/LICENSE-lifetimes-MIT.txt', 'linkLicense'),
    );
  }

  $('#palive-box').hidden = !fitted;
  if (fitted) renderPalive();
  else disposeChart(el.paliveChart);
}

// ───────────────────────── wiring ─────────────────────────

function switchLanguage(lang) {
  setLang(lang);
  for (const b of document.querySelectorAll('.lang-toggle button')) {
    b.setAttribute('aria-pressed', String(b.dataset.lang === getLang()));
  }
  renderAll();
}

function switchPreset(preset) {
  state.preset = preset;
  for (const b of document.querySelectorAll('.seg-toggle button')) {
    b.setAttribute('aria-pressed', String(b.dataset.preset === preset));
  }
  if (state.result) {
    renderCharts(state.result.summary || {});
    renderSegmentTable(state.result.summary || {});
  }
}

function init() {
  // English by default; `?lang=zh` opens the page in Chinese. Nothing is stored in the browser.
  setLang(new URLSearchParams(location.search).get('lang') === 'zh' ? 'zh' : 'en');
  for (const b of document.querySelectorAll('.lang-toggle button')) {
    b.setAttribute('aria-pressed', String(b.dataset.lang === getLang()));
    b.addEventListener('click', () => switchLanguage(b.dataset.lang));
  }
  for (const b of document.querySelectorAll('.seg-toggle button')) {
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
  el.cancel.addEventListener('click', () => cancelRun());
  el.pagePrev.addEventListener('click', () => showPage(state.page.offset - PAGE_SIZE));
  el.pageNext.addEventListener('click', () => showPage(state.page.offset + PAGE_SIZE));
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
  window.addEventListener('dragover', (ev) => ev.preventDefault());
  window.addEventListener('drop', (ev) => ev.preventDefault());

  renderAll();
  updateControls();
  getWorker(); // start loading the core right away
}

init();
