// The mapping step (docs/input.md#inspect): after a file is chosen, the worker's `inspect` reads its
// head; a confident file (customer and date guessed with high confidence, amount high or absent, no weak
// guess) or one whose header was mapped before in this browser goes straight to the analysis; any other
// shows a preview of its first rows and one dropdown per role, pre-filled with the guesses, their
// confidence and reason, plus the reading choices (header row, sheet, date order, decimal separator).
// "Analyse" builds options.columns; the choice is remembered per header signature (lib/mapping-memory.js)
// and can be saved as JSON (an options object: `tierwise analyze --config` takes it). A bar next to the
// results reopens the step ("Change mapping") and forgets a remembered mapping.

import { t, message } from '../i18n.js';
import { $, h } from '../lib/dom.js';
import { engine } from '../lib/engine.js';
import { forget, headerSignature, normaliseName, recall, remember } from '../lib/mapping-memory.js';
import { clearError, setStatus, showError } from '../lib/status.js';
import { optionValue, setOptionValue } from './options-panel.js';
import { setDimensions } from './dimensions.js';
import { MULTI_ROLES, SINGLE_ROLES, previewTable, readingControls, refIndex, roleControl } from './mapping-render.js';
import { downloadBlob } from '../lib/download.js';

const MAX_DIMENSIONS = 8;
const READING_KEYS = ['headerRow', 'sheet', 'dateOrder', 'decimal'];

let stepEl = null;
let barEl = null;
let analyseHook = null;
let cancelHook = () => {};
// the file being mapped: { source, blob, inspection, signature, choice, applied, token, open, problem }
//   choice   { customer: index | null, …, signals: [index], dimensions: [index] } as chosen in the step
//   applied  the mapping the analysis uses: { columns, remembered: bool } (null: let the core detect)
let cur = null;
let token = 0;
let pending = null; // columns of a loaded options file, for the next file chosen

/**
 * Wire the step: `analyse(source, blob)` runs the analysis with the options of the page; `cancel()`
 * stops the analysis in flight (a new file replaces it, and the worker answers one request at a time).
 */
export function initMapping({ analyse, cancel }) {
  analyseHook = analyse;
  cancelHook = cancel;
  stepEl = $('#mapping-step');
  barEl = $('#mapping-bar');
}

/** Forget the file being mapped (a built-in sample was chosen: it skips the step). */
export function resetMapping() {
  token++;
  cur = null;
  renderMapping();
}

/**
 * The columns of a loaded options file: applied to the file on the page (or to the next one chosen) as
 * if chosen in the step; `undefined` / an empty object lets the core detect again.
 */
export function setMappingColumns(columns) {
  const has = columns && typeof columns === 'object' && Object.keys(columns).length;
  if (cur?.inspection) {
    if (has) {
      cur.choice = choiceFromMemory(cur.inspection, { columns });
      applyMapping({ columns, remembered: false });
    } else {
      cur.choice = guessedChoice(cur.inspection);
      if (cur.applied) cur.applied.columns = undefined;
    }
    pending = null;
    renderMapping();
  } else {
    pending = has ? columns : null;
  }
}

/** Makes `applied` the mapping; dimensions chosen in the step go to the Dimensions field (one list). */
function applyMapping(applied) {
  cur.applied = applied;
  if (applied?.columns?.dimensions?.length) setDimensions(applied.columns.dimensions);
}

/** options.columns for the analysis (undefined: the core detects every role). */
export function mappingColumns() {
  return cur?.applied?.columns;
}

function readingOptions() {
  const o = {};
  for (const k of [...READING_KEYS, 'encoding']) {
    const v = optionValue(k);
    if (v !== undefined) o[k] = v;
  }
  return o;
}

/** The guessed choice of an inspection: role → column index. */
function guessedChoice(insp) {
  const c = {};
  for (const r of SINGLE_ROLES) c[r] = refIndex(insp, insp.mapping?.[r]);
  c.signals = (insp.mapping?.signals || []).map((x) => refIndex(insp, x)).filter((i) => i != null);
  c.dimensions = [];
  return c;
}

/** Confident: customer and date guessed with high confidence, amount high or absent, nothing weak. */
export function isConfident(insp) {
  if (!insp || insp.missing) return false;
  const conf = (role) => {
    const i = refIndex(insp, insp.mapping?.[role]);
    return i == null ? null : insp.columns[i]?.confidence;
  };
  if (conf('customer') !== 'high' || conf('date') !== 'high') return false;
  if (insp.mapping.amount != null && conf('amount') !== 'high') return false;
  if (insp.columns.some((c) => c.mapped && c.confidence === 'low')) return false;
  return !(insp.warningCodes || []).some((w) => w?.code === 'weak_guess');
}

/** A column reference for options.columns: its header name (unique names only) or its index. */
function columnRef(insp, i) {
  const name = insp.header ? insp.columns[i]?.name : null;
  if (name != null && insp.columns.filter((c) => c.name === name).length === 1) return name;
  return i;
}

function columnsOf(insp, choice) {
  const columns = {};
  for (const r of SINGLE_ROLES) if (choice[r] != null) columns[r] = columnRef(insp, choice[r]);
  if (choice.signals.length) columns.signals = choice.signals.map((i) => columnRef(insp, i));
  if (choice.dimensions.length) columns.dimensions = choice.dimensions.map((i) => columnRef(insp, i));
  return columns;
}

/** A remembered mapping turned into this file's column indexes (names matched as normalised). */
function choiceFromMemory(insp, mem) {
  const byName = new Map(insp.columns.map((c, i) => [normaliseName(c.name), i]));
  const idx = (ref) => (typeof ref === 'number' ? (ref < insp.columns.length ? ref : null) : (byName.get(normaliseName(ref)) ?? null));
  const c = {};
  for (const r of SINGLE_ROLES) c[r] = mem.columns[r] == null ? null : idx(mem.columns[r]);
  for (const r of MULTI_ROLES) c[r] = (mem.columns[r] || []).map(idx).filter((i) => i != null);
  return c;
}

async function inspectFile(blob) {
  const res = await engine.call({ type: 'inspect', file: blob, options: readingOptions() });
  return res.inspection;
}

/**
 * A file was chosen: inspect it, then analyse it at once (confident or remembered) or open the step.
 */
export async function startMapping(source, blob) {
  const mine = ++token;
  cancelHook(); // the run in flight would hold the worker: the inspection waits behind it
  clearError();
  setStatus('loading', 'mappingInspecting', { name: source.name });
  // the file whose analysis is on the page: back to it when this file's step is cancelled
  const previous = cur?.applied ? cur : cur?.previous ?? null;
  if (previous) previous.previous = null;
  cur = { source, blob, inspection: null, signature: null, choice: null, applied: null, open: false, problem: null, previous };
  renderMapping();
  let insp;
  try {
    insp = await inspectFile(blob);
  } catch (e) {
    if (mine !== token) return;
    // not a table, empty, a wrong option…: the analysis reports it as usual
    applyMapping(null);
    analyseHook(source, blob);
    return;
  }
  if (mine !== token) return;
  cur.inspection = insp;
  cur.signature = headerSignature(insp);
  const mem = pending ? { columns: pending } : recall(cur.signature);
  const fromFile = Boolean(pending);
  pending = null;
  if (mem) {
    for (const k of READING_KEYS) if (k in mem) setOptionValue(k, mem[k]);
    cur.choice = choiceFromMemory(insp, mem);
    if (cur.choice.customer != null && cur.choice.date != null) {
      applyMapping({ columns: fromFile ? mem.columns : columnsOf(insp, cur.choice), remembered: !fromFile });
      analyseHook(source, blob); // the request goes out first: the worker starts while the bar is drawn
      renderMapping();
      return;
    }
  }
  cur.choice = guessedChoice(insp);
  if (insp.missing) {
    // no customer or date column: the analysis fails with the core's own error (shown as for any
    // failed analysis, the previous results hidden), and the step opens below it to fix the mapping
    await analyseHook(source, blob);
    if (mine !== token) return;
    cur.open = true;
    renderMapping();
    return;
  }
  if (isConfident(insp)) {
    applyMapping({ columns: undefined, remembered: false });
    analyseHook(source, blob); // as above: the worker starts while the bar is drawn
    renderMapping();
    return;
  }
  openStep();
}

/** Show the step for the current file (also the "Change mapping" link). */
export function openStep() {
  if (!cur?.inspection) return;
  cur.open = true;
  cur.problem = null;
  setStatus('mapping', 'mappingWaiting', { name: cur.source.name });
  renderMapping();
  stepEl.scrollIntoView?.({ block: 'nearest' });
}

async function reinspect() {
  if (!cur) return;
  const mine = ++token;
  const before = cur.inspection;
  const keep = cur.choice;
  let insp;
  try {
    insp = await inspectFile(cur.blob);
  } catch (e) {
    if (mine !== token) return;
    showError({ message: e?.message || String(e), code: e?.code, params: e?.params });
    return;
  }
  if (mine !== token) return;
  cur.inspection = insp;
  const same = headerSignature(insp) === headerSignature(before) && insp.columns.length === before.columns.length;
  cur.signature = headerSignature(insp);
  cur.choice = same ? keep : guessedChoice(insp);
  clearError();
  renderMapping();
}

function readChoice() {
  const c = {};
  for (const r of SINGLE_ROLES) {
    const v = stepEl.querySelector(`[data-role="${r}"]`)?.value ?? '';
    c[r] = v === '' ? null : Number(v);
  }
  for (const r of MULTI_ROLES) {
    const sel = stepEl.querySelector(`[data-role="${r}"]`);
    c[r] = sel ? [...sel.selectedOptions].map((o) => Number(o.value)) : [];
  }
  return c;
}

function problemOf(insp, c) {
  if (c.customer == null || c.date == null) return t('mappingNeedRoles');
  if (c.dimensions.length > MAX_DIMENSIONS) return t('mappingTooManyDims');
  const used = [...SINGLE_ROLES.map((r) => c[r]).filter((i) => i != null), ...c.signals, ...c.dimensions];
  const dup = used.find((i, k) => used.indexOf(i) !== k);
  if (dup != null) return t('mappingSameColumn', { column: insp.columns[dup]?.name ?? `#${dup}` });
  return null;
}

function mappingToSave() {
  const m = { columns: columnsOf(cur.inspection, cur.choice) };
  for (const k of READING_KEYS) {
    const v = optionValue(k);
    if (v !== undefined) m[k] = v;
  }
  return m;
}

function analyseNow() {
  cur.choice = readChoice();
  const problem = problemOf(cur.inspection, cur.choice);
  if (problem) {
    cur.problem = problem;
    renderMapping();
    return;
  }
  const saved = mappingToSave();
  remember(cur.signature, saved);
  applyMapping({ columns: saved.columns, remembered: false });
  cur.open = false;
  renderMapping();
  analyseHook(cur.source, cur.blob);
}

function saveMapping() {
  cur.choice = readChoice();
  const blob = new Blob([JSON.stringify(mappingToSave(), null, 2) + '\n'], { type: 'application/json' });
  downloadBlob(blob, 'tierwise-mapping.json');
}

function forgetMapping() {
  forget(cur?.signature);
  if (cur?.applied) cur.applied.remembered = false;
  if (cur) cur.forgotten = true;
  renderMapping();
}

function cancelStep() {
  token++;
  cur.open = false;
  setStatus('idle', 'statusIdle');
  if (!cur.applied) cur = cur.previous ?? null;
  else cur.previous = null;
  renderMapping();
}

// ───────────────────────── rendering ─────────────────────────

function renderStep() {
  const insp = cur?.inspection;
  stepEl.hidden = !(cur?.open && insp);
  if (stepEl.hidden) {
    stepEl.replaceChildren();
    return;
  }
  const info = [
    t('mappingFileInfo', { kind: insp.kind, encoding: insp.encoding, delimiter: insp.delimiter === '\t' ? 'Tab' : insp.delimiter }),
    insp.dateFormat ? t('mappingDateFormat', { format: insp.dateFormat }) : null,
  ].filter(Boolean).join(' · ');
  const notices = [];
  if (insp.missing) notices.push(h('p', { class: 'notice map-missing', 'data-testid': 'mapping-missing' }, message(insp.missing, '')));
  if (insp.datesAmbiguous) notices.push(h('p', { class: 'notice' }, t('mappingDatesAmbiguous')));
  for (const w of insp.warningCodes || []) notices.push(h('p', { class: 'muted small' }, message(w, '')));
  if (cur.problem) notices.push(h('p', { class: 'opts-error', role: 'alert', 'data-testid': 'mapping-problem' }, cur.problem));
  const remembered = cur.signature
    ? h('p', { class: 'muted small', 'data-testid': 'mapping-memory-note' }, t('mappingWillRemember'))
    : null;
  stepEl.replaceChildren(
    h('h2', {}, t('mappingTitle')),
    h('p', { class: 'muted' }, t('mappingLead', { name: cur.source.name })),
    h('p', { class: 'muted small', 'data-testid': 'mapping-info' }, info),
    ...notices,
    h('h3', {}, t('mappingReading')),
    readingControls(insp),
    h('h3', {}, t('mappingRoles')),
    h('div', { class: 'map-roles', 'data-testid': 'mapping-roles' }, [...SINGLE_ROLES, ...MULTI_ROLES].map((r) => roleControl(cur, insp, r))),
    h('h3', {}, t('mappingPreview')),
    h('p', { class: 'muted small' }, t('mappingPreviewNote')),
    previewTable(cur, insp),
    remembered,
    h(
      'div',
      { class: 'map-actions' },
      h('button', { type: 'button', class: 'btn btn-primary', id: 'mapping-analyse', 'data-testid': 'mapping-analyse' }, t('mappingAnalyse')),
      h('button', { type: 'button', class: 'btn', id: 'mapping-save', 'data-testid': 'mapping-save' }, t('mappingSave')),
      h('button', { type: 'button', class: 'btn', id: 'mapping-cancel', 'data-testid': 'mapping-cancel' }, t('mappingCancel')),
    ),
  );
  stepEl.querySelector('#mapping-analyse').addEventListener('click', analyseNow);
  stepEl.querySelector('#mapping-save').addEventListener('click', saveMapping);
  stepEl.querySelector('#mapping-cancel').addEventListener('click', cancelStep);
  for (const sel of stepEl.querySelectorAll('[data-role]')) {
    sel.addEventListener('change', () => {
      cur.choice = readChoice();
      cur.problem = null;
      renderMapping();
    });
  }
  const reading = [
    ['#mapping-header-row', 'headerRow', (v) => (v === 'auto' ? undefined : v === 'none' ? 'none' : Number(v))],
    ['#mapping-sheet', 'sheet', (v) => v],
    ['#mapping-date-order', 'dateOrder', (v) => v],
    ['#mapping-decimal', 'decimal', (v) => v],
  ];
  for (const [sel, key, conv] of reading) {
    stepEl.querySelector(sel)?.addEventListener('change', (ev) => {
      setOptionValue(key, conv(ev.target.value));
      reinspect();
    });
  }
}

function renderBar() {
  const show = Boolean(cur?.applied && cur.inspection && !cur.open);
  barEl.hidden = !show;
  if (!show) {
    barEl.replaceChildren();
    return;
  }
  const parts = [h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'mapping-change' }, t('mappingChange'))];
  if (cur.applied.remembered) {
    parts.push(
      h('span', { class: 'muted small', 'data-testid': 'mapping-remembered' }, t('mappingRememberedNote')),
      h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'mapping-forget' }, t('mappingForget')),
    );
  } else if (cur.forgotten) {
    parts.push(h('span', { class: 'muted small', 'data-testid': 'mapping-forgotten' }, t('mappingForgotten')));
  }
  barEl.replaceChildren(...parts);
  barEl.querySelector('[data-testid="mapping-change"]').addEventListener('click', openStep);
  barEl.querySelector('[data-testid="mapping-forget"]')?.addEventListener('click', forgetMapping);
}

/** Render the step and the bar (again after a change of language). */
export function renderMapping() {
  if (!stepEl) return;
  renderStep();
  renderBar();
}
