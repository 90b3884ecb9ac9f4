// The options panel: every analysis option (lib/options-schema.js) as a field in its group, defaults
// shown as placeholders or preselected, invalid values reported next to their field (the page's own
// checks of numbers, then the core's coded error, which names the key); loading and saving the options
// as a JSON file that is exactly the core's options object (`tierwise analyze --config` takes it).
// The columns are not fields here: the mapping step (views/mapping.js) owns them, and a loaded file's
// `columns` go to it.

import { t, message } from '../i18n.js';
import { h } from '../lib/dom.js';
import { OPTION_GROUPS, OPTION_FIELDS, getPath, pairsText, parseList, parsePairs, setPath } from '../lib/options-schema.js';
import { rulesEditor } from './rules-editor.js';

const labelKey = (key) => `mappingOpt_${key.replace(/\./g, '_')}`;
const choiceKey = (key, v) => `mappingChoice_${key.replace(/\./g, '_')}_${v}`;
const fieldId = (f) => f.id || `opt-${f.key.replace(/\./g, '-').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

let rules = null; // the rules editor
const inputs = new Map(); // key → { field, node, error, extra }

function placeholderOf(f) {
  if (f.kind === 'pairs') return pairsText(f.def) || '';
  if (f.kind === 'list') return '';
  return f.def == null ? '' : String(f.def);
}

function buildField(f) {
  const id = fieldId(f);
  const error = h('span', { class: 'opts-error', 'data-testid': `error-${f.key}`, role: 'alert', hidden: true });
  let node;
  let extra = null;
  const labelText = h('span', { 'data-i18n': labelKey(f.key) }, t(labelKey(f.key)));
  if (f.kind === 'select') {
    node = h(
      'select',
      { id, name: f.key, 'data-key': f.key },
      f.choices.map((c) => h('option', { value: c, 'data-i18n': choiceKey(f.key, c), selected: c === f.def }, t(choiceKey(f.key, c)))),
    );
  } else if (f.kind === 'bool') {
    node = h('input', { type: 'checkbox', id, name: f.key, 'data-key': f.key, checked: f.def });
    return { wrap: h('label', { class: 'opts-check' }, node, labelText, error), node, error };
  } else if (f.kind === 'presets') {
    const boxes = ['cn8', 'rfm11'].map((p) =>
      h('input', { type: 'checkbox', value: p, id: `opt-preset-${p}`, checked: f.def.includes(p), 'data-key': f.key }),
    );
    node = boxes;
    const wrap = h(
      'fieldset',
      { class: 'opts-presets' },
      h('legend', { 'data-i18n': labelKey(f.key) }, t(labelKey(f.key))),
      h('label', { class: 'opts-check' }, boxes[0], h('span', { 'data-i18n': 'optsPresetCn8' }, t('optsPresetCn8'))),
      h('label', { class: 'opts-check' }, boxes[1], h('span', { 'data-i18n': 'optsPresetRfm11' }, t('optsPresetRfm11'))),
      error,
    );
    return { wrap, node, error };
  } else if (f.kind === 'rules') {
    rules = rulesEditor();
    const wrap = h('div', { class: 'opts-rules', 'data-key': f.key }, h('h4', { 'data-i18n': labelKey(f.key) }, t(labelKey(f.key))), rules.root, error);
    return { wrap, node: null, error };
  } else if (f.kind === 'date') {
    node = h('input', { type: 'date', id, name: f.key, 'data-key': f.key });
  } else {
    const numeric = f.kind === 'int' || f.kind === 'num';
    node = h('input', {
      type: 'text',
      id,
      name: f.key,
      'data-key': f.key,
      inputmode: numeric ? 'decimal' : null,
      spellcheck: 'false',
      placeholder: placeholderOf(f),
    });
    if (f.kind === 'nullableText') {
      extra = h('input', { type: 'checkbox', id: `${id}-none`, 'data-key': f.key });
      node.addEventListener('input', () => {
        if (node.value) extra.checked = false;
      });
      const wrap = h(
        'label',
        { class: 'opts-field' },
        labelText,
        node,
        h('span', { class: 'opts-check' }, extra, h('span', { 'data-i18n': 'optsCancelNone' }, t('optsCancelNone'))),
        error,
      );
      return { wrap, node, error, extra };
    }
  }
  return { wrap: h('label', { class: 'opts-field' }, labelText, node, error), node, error, extra };
}

/** Build the panel's fields into `container` (once). `onChange` is called after any edit. */
export function renderOptionsPanel(container, onChange = () => {}) {
  container.replaceChildren();
  inputs.clear();
  for (const g of OPTION_GROUPS) {
    const body = h('div', { class: 'opts-fields' });
    for (const f of g.fields) {
      const built = buildField(f);
      inputs.set(f.key, { field: f, ...built });
      body.append(built.wrap);
    }
    container.append(
      h('fieldset', { class: `opts-group opts-group-${g.id}`, 'data-group': g.id }, h('legend', { 'data-i18n': `optsGroup_${g.id}` }, t(`optsGroup_${g.id}`)), body),
    );
  }
  container.addEventListener('input', (ev) => {
    const key = ev.target?.dataset?.key;
    if (key) clearError(key);
    onChange();
  });
  container.addEventListener('change', () => onChange());
  rules?.onChange(() => onChange());
}

function clearError(key) {
  const e = inputs.get(key)?.error;
  if (e) {
    e.hidden = true;
    e.textContent = '';
  }
}

/** Clear every error shown next to a field. */
export function clearOptionErrors() {
  for (const key of inputs.keys()) clearError(key);
}

/** Show `text` next to the field of `key` (or of the longest field key that `key` starts with). */
export function showOptionError(key, text) {
  let best = null;
  for (const k of inputs.keys()) {
    if ((key === k || key.startsWith(`${k}.`) || k.startsWith(`${key}.`)) && (!best || k.length > best.length)) best = k;
  }
  if (!best && key.startsWith('grades.abc')) best = 'grades.abc.0';
  const e = best ? inputs.get(best)?.error : null;
  if (!e) return false;
  e.textContent = text;
  e.hidden = false;
  return true;
}

/**
 * Show the core's coded error (an `invalid_option` naming its key) next to its field; true when it was
 * placed. `err` is { code, params, message } as the worker gives it.
 */
export function showCoreOptionError(err) {
  if (err?.code !== 'invalid_option' || typeof err.params?.key !== 'string') return false;
  const text = message({ code: err.code, params: err.params }, err.message);
  return showOptionError(err.params.key, text);
}

function readField(f, entry) {
  const { node, extra } = entry;
  switch (f.kind) {
    case 'select':
      return node.value === f.def ? undefined : node.value;
    case 'bool':
      return node.checked === f.def ? undefined : node.checked;
    case 'presets': {
      const on = node.filter((b) => b.checked).map((b) => b.value);
      return on.length === f.def.length ? undefined : on;
    }
    case 'rules': {
      const list = rules.value();
      return list.length ? list : undefined;
    }
    case 'date':
      return node.value || undefined;
    case 'nullableText':
      if (extra?.checked) return null;
      return node.value.trim() === '' ? undefined : node.value.trim();
    case 'headerRow': {
      const v = node.value.trim().toLowerCase();
      if (!v || v === 'auto') return undefined;
      if (v === 'none') return 'none';
      const n = Number(v);
      if (!Number.isInteger(n)) throw new Error('optsNotInteger');
      return n;
    }
    case 'text': {
      const v = node.value.trim();
      if (!v || v === f.def) return undefined;
      if (f.digitsAsNumber && /^\d+$/.test(v)) return Number(v);
      return v;
    }
    case 'int':
    case 'num': {
      const v = node.value.trim();
      if (!v) return undefined;
      const n = Number(v.replace(/，/g, ','));
      if (!Number.isFinite(n)) throw new Error('optsNotNumber');
      if (f.kind === 'int' && !Number.isInteger(n)) throw new Error('optsNotInteger');
      return n === f.def ? undefined : n;
    }
    case 'list': {
      const v = node.value.trim();
      if (!v) return undefined;
      try {
        return parseList(v);
      } catch {
        throw new Error('optsBadList');
      }
    }
    case 'pairs': {
      const v = node.value.trim();
      if (!v) return undefined;
      try {
        return parsePairs(v);
      } catch {
        throw new Error('optsBadPairs');
      }
    }
    default:
      return undefined;
  }
}

/**
 * The options the panel sets (only those that differ from the defaults), and the fields whose text
 * could not be read: { options, errors: [{ key, text }] }. Errors are also shown next to their fields.
 */
export function readOptions() {
  const options = {};
  const errors = [];
  for (const [key, entry] of inputs) {
    let v;
    try {
      v = readField(entry.field, entry);
    } catch (e) {
      const text = t(e.message);
      errors.push({ key, text });
      showOptionError(key, text);
      continue;
    }
    if (v !== undefined) setPath(options, key, v);
  }
  // the ABC shares are one pair: a single changed share takes the other's default
  if (options.grades?.abc) {
    const abc = options.grades.abc;
    options.grades.abc = [abc[0] ?? 0.8, abc[1] ?? 0.95];
  }
  // thresholds only mean something in thresholds mode; the core wants all three then
  if (options.rfm?.thresholds && options.rfm.mode !== 'thresholds') delete options.rfm.thresholds;
  if (options.rfm && !Object.keys(options.rfm).length) delete options.rfm;
  return { options, errors };
}

function writeField(f, entry, v) {
  const { node, extra } = entry;
  switch (f.kind) {
    case 'select':
      node.value = v == null ? f.def : String(v);
      if (node.value === '' || node.selectedIndex < 0) node.value = f.def;
      break;
    case 'bool':
      node.checked = v == null ? f.def : Boolean(v);
      break;
    case 'presets': {
      const on = Array.isArray(v) ? v : f.def;
      for (const b of node) b.checked = on.includes(b.value);
      break;
    }
    case 'rules':
      rules.setValue(Array.isArray(v) ? v : []);
      break;
    case 'nullableText':
      extra.checked = v === null;
      node.value = v == null || v === f.def ? '' : String(v);
      break;
    case 'list':
      node.value = Array.isArray(v) && v.length ? v.join(', ') : '';
      break;
    case 'pairs':
      node.value = Array.isArray(v) && JSON.stringify(v) !== JSON.stringify(f.def) ? pairsText(v) : '';
      break;
    default:
      node.value = v == null || v === f.def ? '' : String(v);
  }
}

/** Fill every field from an options object (a missing key resets its field to the default). */
export function writeOptions(options) {
  clearOptionErrors();
  for (const [key, entry] of inputs) {
    const v = key === 'cancelPrefix' ? (options && 'cancelPrefix' in options ? options.cancelPrefix : undefined) : getPath(options, key);
    writeField(entry.field, entry, v);
  }
}

/** The value of one field as the options would hold it (undefined = the default). */
export function optionValue(key) {
  const entry = inputs.get(key);
  if (!entry) return undefined;
  try {
    return readField(entry.field, entry);
  } catch {
    return undefined;
  }
}

/** Set one field (used by the mapping step for header row, sheet, date order and decimal separator). */
export function setOptionValue(key, v) {
  const entry = inputs.get(key);
  if (entry) writeField(entry.field, entry, v);
}

/** Every key the panel knows (for tests and the JSON loader). */
export const PANEL_KEYS = OPTION_FIELDS.map((f) => f.key);

/** The rules editor's live lint (re-run when the RFM bins or the presets change). */
export function relintRules() {
  const bins = optionValue('rfm.bins') ?? 5;
  rules?.lint(bins);
}
