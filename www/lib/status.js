// The page's messages: the status line, the error box and the engine version in the footer.

import { message, t } from '../i18n.js';
import { h } from './dom.js';
import { el } from './elements.js';
import { fmtBytes, fmtInt } from './format.js';
import { state } from './state.js';

export function setStatus(stateName, key, vars, data) {
  state.status = { state: stateName, key, vars: vars || null, data: data || null };
  renderStatus();
}

export function renderStatus() {
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

export function showError(error) {
  state.error = error;
  renderError();
}

export function clearError() {
  state.error = null;
  renderError();
}

export function renderError() {
  const e = state.error;
  el.error.hidden = !e;
  el.error.textContent = '';
  if (!e) return;
  // a coded error of the core in the page's language; otherwise its text or a page string
  const coded = e.code ? { code: e.code, params: e.params ?? {} } : null;
  const text = coded ? message(coded, e.message) : (e.message ?? t(e.key, e.vars));
  el.error.append(h('strong', { text: t('errorTitle') }), h('p', { class: 'error-message', text }));
}

export function renderVersion() {
  el.version.textContent = state.version ? t('footerVersion', { version: state.version }) : '';
}
