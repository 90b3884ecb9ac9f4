// The options panel's wiring: builds the fields (views/options-panel.js) into #options-fields, loads and
// saves the options as a JSON file (exactly the core's options object, columns of the mapping step
// included, so `tierwise analyze FILE --config options.json` repeats the analysis), resets them to the
// defaults, and reports fields that cannot be read or that the core refused.

import { t } from '../i18n.js';
import { $ } from '../lib/dom.js';
import { collectOptions } from '../lib/options.js';
import { setStatus, showError } from '../lib/status.js';
import { clearOptionErrors, readOptions, relintRules, renderOptionsPanel, showCoreOptionError, writeOptions } from './options-panel.js';
import { setMappingColumns } from './mapping.js';
import { downloadBlob } from '../lib/download.js';

let note = null;

function say(key, vars) {
  note.dataset.key = key;
  note.textContent = t(key, vars);
}

function saveOptions() {
  if (optionsProblem()) return;
  const options = collectOptions() ?? {};
  const blob = new Blob([JSON.stringify(options, null, 2) + '\n'], { type: 'application/json' });
  downloadBlob(blob, 'tierwise-options.json');
}

async function loadOptions(file) {
  try {
    const text = await file.text();
    const options = JSON.parse(text.replace(/^\uFEFF/, ''));
    if (!options || typeof options !== 'object' || Array.isArray(options)) throw new Error('not a JSON object');
    writeOptions(options);
    setMappingColumns(options.columns);
    relintRules();
    say('optsLoaded', { name: file.name });
  } catch (e) {
    say('optsLoadFailed', { name: file.name, message: e?.message || String(e) });
  }
}

export function initOptionsIo() {
  note = $('#options-note');
  renderOptionsPanel($('#options-fields'), () => relintRules());
  // the lint report is text of the current language: write it again when the language changes
  new MutationObserver(() => relintRules()).observe($('.tw-root'), { attributes: true, attributeFilter: ['lang'] });
  $('#options-save').addEventListener('click', saveOptions);
  $('#options-reset').addEventListener('click', () => {
    writeOptions({});
    relintRules();
    note.textContent = '';
  });
  const input = $('#options-load');
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = '';
    if (file) loadOptions(file);
  });
}

/** True (and the page says so) when a field of the panel cannot be read; the analysis must wait. */
export function optionsProblem() {
  clearOptionErrors();
  const { errors } = readOptions();
  if (!errors.length) return false;
  $('#options-panel').open = true;
  showError({ key: 'optsFixFirst' });
  setStatus('error', 'statusError');
  return true;
}

/** Show a core error that names an option next to its field (and open the panel). */
export function reportOptionError(e) {
  if (showCoreOptionError(e)) $('#options-panel').open = true;
}
