// Running the page's requests: analyse a file or a sample (cancel, re-run), export the CSV, count P(alive)
// for its histogram (pages of the customer list: lib/list.js).

import { host } from './dom.js';
import { announce } from './events.js';
import { engine } from './engine.js';
import { setBusy, updateControls } from './controls.js';
import { optionsFor } from './options.js';
import { SAMPLES } from './samples.js';
import { state, PAGE_SIZE, TABLE_COLUMNS } from './state.js';
import { afterNewResult, exportSettings, resetList } from './list.js';
import { clearError, renderStatus, setStatus, showError } from './status.js';
import { modelFitted } from './summary.js';
import { renderCustomerTable } from '../views/customers.js';
import { renderPalive } from '../views/model.js';
import { hideProgress, onProgress, showProgress } from '../views/progress.js';
import { hideResults, renderResults } from '../views/results.js';
import { optionsProblem, reportOptionError } from '../views/options-io.js';
import { resetMapping, startMapping } from '../views/mapping.js';
import { downloadBlob } from './download.js';

/** Ask the worker to stop the analysis in flight (its answer, an error with `cancelled`, ends the run). */
export function cancelRun() {
  const run = state.run;
  if (!run || run.cancelling) return;
  run.cancelling = true;
  engine.cancel(run.id);
  updateControls();
}

/**
 * Cancel the analysis in flight and detach it from the page (a new file was chosen and is inspected
 * first): its answer is ignored, the controls and the progress bar are free at once.
 */
export function abandonRun() {
  if (!state.run) return;
  cancelRun();
  state.runToken++;
  state.run = null;
  hideProgress();
  updateControls();
}

/**
 * Analyse `blob` (a File or the fetched sample), or re-run the worker's kept input with new options
 * when `blob` is null. A run already in flight is cancelled first.
 */
export async function analyze(source, blob) {
  if (state.run) cancelRun();
  const token = ++state.runToken;
  clearError();
  if (optionsProblem()) return; // a field of the options panel cannot be read: shown next to it
  const msg = { type: 'analyze', options: optionsFor(source), preview: PAGE_SIZE, columns: TABLE_COLUMNS };
  if (blob) msg.file = blob; // the worker streams it; the page never reads it
  let early = null; // the result shown before the models (docs/models.md#later)
  const { id, promise } = engine.request(msg, {
    onProgress: (p) => {
      if (token === state.runToken) onProgress(p);
    },
    onEarly: (res) => {
      if (token !== state.runToken) return;
      hideProgress();
      early = showResult(source, res);
    },
  });
  // the request is out: the worker reads while the page says so
  setStatus('analysing', 'statusAnalysing', { name: source.name, size: source.size });
  showProgress(blob ? blob.size : source.size);
  state.run = { id, token, source, cancelling: false };
  updateControls();
  try {
    const res = await promise;
    if (token !== state.runToken) return;
    if (early && state.result === early) fillModels(early, res);
    else showResult(source, res);
    announce(host(), 'tierwise-result', { summary: res.summary, customerCount: res.customerCount });
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
    showError({ message: e?.message || String(e), code: e?.code, params: e?.params });
    reportOptionError(e); // an invalid option is also shown next to its field
    setStatus('error', 'statusError');
  } finally {
    if (token === state.runToken) {
      state.run = null;
      hideProgress();
      updateControls();
    }
  }
}

/**
 * Show an analysis' result: the complete one, or an early one whose models are still being fitted
 * (`res.modelsPending`: status 'fitting', the model cards and columns say "fitting…"). Returns the
 * new `state.result`.
 */
function showResult(source, res) {
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
  state.page = { offset: 0, columns: res.columns, total: null };
  resetList();
  renderResults();
  afterNewResult();
  if (res.modelsPending) {
    setStatus('fitting', 'statusFitting', {
      customers: res.customerCount,
      rows: res.summary?.input?.rows ?? 0,
      ms: Math.max(1, Math.round(res.elapsedMs)),
    });
  }
  return state.result;
}

/**
 * The models of the early result `result` are fitted (`res` is the complete result): fill in the model
 * card, the risk and CLV charts and the customer list's model columns; the list keeps its page.
 */
function fillModels(result, res) {
  result.summary = res.summary;
  result.elapsedMs = res.elapsedMs;
  result.charts = null; // asked again: risk and CLV now have their values
  // the first page as the early result gave it: take the complete one (a page the list asked for
  // since then was answered after the fit, so it is complete already)
  if (state.page.offset === 0 && state.list.filters.length === 0 && state.list.search === '' && !state.list.sort) {
    state.page.columns = { ...state.page.columns, ...res.columns };
  }
  renderResults();
}

export function loadFile(file) {
  if (!file) return;
  // the mapping step first (views/mapping.js): a confident file goes on to analyze at once
  startMapping({ name: file.name, size: file.size }, file);
}

/** Fetch one of the page's own data sets (SAMPLES) and analyse it. */
export async function loadSample(sample = SAMPLES.sample) {
  if (state.run) cancelRun();
  const token = ++state.runToken; // a run started meanwhile wins over this one
  resetMapping(); // the built-in samples skip the mapping step
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

export async function rerun() {
  if (!state.workerHasFile || state.busy || state.run) return;
  await analyze(state.source ?? { name: '…', size: NaN }, null);
}

/**
 * Save the customers CSV: every customer, or those `query` selects ({ filters, search, sort }: "export
 * these customers"), with labels in the page's language and the delimiter chosen (lib/list.js).
 */
export async function exportCsv(query = {}, name = 'tierwise-customers.csv', type = 'exportCsv') {
  if (!state.result || state.busy || state.run) return;
  setBusy(true);
  const prevStatus = state.status;
  setStatus('loading', 'statusExporting');
  try {
    const res = await engine.call({ type, ...exportSettings(), ...query });
    const blob = new Blob([res.bytes], { type: 'text/csv;charset=utf-8' });
    downloadBlob(blob, name);
    setStatus('done', 'exploreExported', { name, size: blob.size, count: res.count ?? state.result.customerCount });
  } catch (e) {
    state.status = prevStatus;
    showError({ message: e?.message || String(e), code: e?.code, params: e?.params });
    renderStatus();
    if (e?.fatal) {
      state.result = null;
      hideResults();
    }
  } finally {
    setBusy(false);
  }
}

/** Save the holdout check per customer (docs/models.md#holdout-per-customer), delimited as the customers CSV. */
export function exportHoldoutCsv() {
  return exportCsv({}, 'tierwise-holdout.csv', 'exportHoldoutCsv');
}

/** Count P(alive) in 20 bins in the worker (only the counts cross over), then draw them. */
export async function loadPaliveHistogram(result) {
  result.palive = null;
  renderPalive();
  let palive;
  try {
    const res = await engine.call({ type: 'histogram', column: 'pAlive', bins: 20, min: 0, max: 1 });
    palive = { counts: res.counts, min: res.min, max: res.max };
  } catch (e) {
    palive = { error: e?.message || String(e) };
  }
  if (state.result !== result) return; // another analysis has replaced this one meanwhile
  result.palive = palive;
  renderPalive();
}
