// The custom segment rules editor (options.segments.rules, docs/segments.md): rows of a name and
// inclusive R, F, M score ranges, added, removed and reordered, with the core's linter (wasm
// `lintRules`) showing the score combinations no rule covers and those several rules cover, live.
//
// The linter runs on the main thread, not in the worker: the worker answers its requests one at a time,
// so a lint would wait behind a running analysis of a large file, while the editor needs an answer at
// each keystroke; the lint itself takes microseconds. The wasm package is imported (and its module
// fetched, from the browser's cache when the worker has loaded it already) only when the editor is first
// used.

import { t, message } from '../i18n.js';
import { h } from '../lib/dom.js';

let linter = null; // promise of the wasm package's lintRules

function loadLinter() {
  if (!linter) {
    linter = import('../pkg/tierwise.js').then(async (pkg) => {
      await pkg.default();
      return pkg.lintRules;
    });
    linter.catch(() => {
      linter = null;
    });
  }
  return linter;
}

const DIMS = ['r', 'f', 'm'];
const combo = (c) => `${c.r}${c.f}${c.m ?? ''}`;
const MAX_LISTED = 40;

/** A rules editor: { root, value(), setValue(rules), lint(bins), onChange(fn) }. */
export function rulesEditor() {
  const list = h('div', { class: 'rules-list', 'data-testid': 'rules-list' });
  const report = h('div', { class: 'rules-lint', 'data-testid': 'rules-lint', 'aria-live': 'polite' });
  const add = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'rules-add', 'data-i18n': 'rulesAdd' }, t('rulesAdd'));
  const root = h('div', { class: 'rules-editor', 'data-testid': 'rules-editor' }, h('p', { class: 'muted small', 'data-i18n': 'rulesLead' }, t('rulesLead')), list, add, report);
  let changed = () => {};
  let bins = 5;
  let seq = 0;

  function rangeInputs(rule, dim) {
    const [lo, hi] = rule?.[dim] ?? ['', ''];
    const mk = (v, which) =>
      h('input', { type: 'text', inputmode: 'numeric', class: 'rules-num', 'data-dim': dim, 'data-end': which, value: v === '' ? null : String(v), 'aria-label': `${dim.toUpperCase()} ${which}`, placeholder: which === 'lo' ? '1' : String(bins) });
    return h('span', { class: 'rules-range' }, h('span', { class: 'rules-dim' }, dim.toUpperCase()), mk(lo, 'lo'), '–', mk(hi, 'hi'));
  }

  function row(rule) {
    const name = h('input', { type: 'text', class: 'rules-name', value: rule?.name ?? '', placeholder: t('rulesName'), 'aria-label': t('rulesName'), 'data-i18n-placeholder': 'rulesName', 'data-i18n-aria-label': 'rulesName' });
    // titles and labels follow the language (applyStatic sets data-i18n-* attributes again)
    const act = (what, key, text, extra = {}) =>
      h('button', { type: 'button', class: 'btn btn-small', 'data-act': what, title: t(key), 'aria-label': t(key), 'data-i18n-title': key, 'data-i18n-aria-label': key, ...extra }, text);
    const r = h(
      'div',
      { class: 'rules-row', 'data-testid': 'rules-row' },
      name,
      DIMS.map((d) => rangeInputs(rule, d)),
      act('up', 'rulesUp', '↑'),
      act('down', 'rulesDown', '↓'),
      act('remove', 'rulesRemove', '×', { 'data-testid': 'rules-remove' }),
    );
    return r;
  }

  function value() {
    const out = [];
    for (const r of list.querySelectorAll('.rules-row')) {
      const rule = { name: r.querySelector('.rules-name').value.trim() };
      for (const d of DIMS) {
        const lo = r.querySelector(`[data-dim="${d}"][data-end="lo"]`).value.trim();
        const hi = r.querySelector(`[data-dim="${d}"][data-end="hi"]`).value.trim();
        if (lo === '' && hi === '') continue;
        // one end given: the other is the lowest / highest score
        rule[d] = [lo === '' ? 1 : Number(lo), hi === '' ? bins : Number(hi)];
      }
      out.push(rule);
    }
    return out;
  }

  async function lint(k = bins) {
    bins = k;
    for (const hi of list.querySelectorAll('[data-end="hi"]')) hi.placeholder = String(bins);
    const rules = value();
    const mine = ++seq;
    if (!rules.length) {
      report.dataset.state = 'empty';
      report.replaceChildren(h('p', { class: 'muted small' }, t('rulesEmpty')));
      return;
    }
    const bad = rules.some((r) => !r.name || DIMS.some((d) => r[d] && r[d].some((v) => !Number.isInteger(v) || v < 1 || v > 255)));
    let res;
    try {
      if (bad) throw new Error(t('optsNotInteger'));
      const lintRules = await loadLinter();
      if (mine !== seq) return;
      res = lintRules(rules, bins, true);
    } catch (e) {
      if (mine !== seq) return;
      const text = e?.code ? message({ code: e.code, params: e.params }, e.message) : e?.message || String(e);
      report.dataset.state = 'error';
      report.replaceChildren(h('p', { class: 'notice' }, t('rulesLintError', { message: text })));
      return;
    }
    const parts = [];
    const n = res.combinations;
    const listOf = (xs) => xs.slice(0, MAX_LISTED).map(combo).join(' ') + (xs.length > MAX_LISTED ? ' …' : '');
    if (res.uncovered.length) {
      parts.push(h('p', { class: 'rules-gaps', 'data-testid': 'rules-gaps', 'data-count': String(res.uncovered.length) }, t('rulesGaps', { count: res.uncovered.length, n, list: listOf(res.uncovered) })));
    }
    if (res.overlaps.length) {
      const text = res.overlaps
        .slice(0, MAX_LISTED)
        .map((c) => `${combo(c)} (${(c.rules || []).join(', ')})`)
        .join('; ');
      parts.push(h('p', { class: 'rules-overlaps', 'data-testid': 'rules-overlaps', 'data-count': String(res.overlaps.length) }, t('rulesOverlaps', { count: res.overlaps.length, list: text + (res.overlaps.length > MAX_LISTED ? ' …' : '') })));
    }
    if (!parts.length) parts.push(h('p', { class: 'rules-ok', 'data-testid': 'rules-ok' }, t('rulesLintOk', { n })));
    report.dataset.state = res.uncovered.length || res.overlaps.length ? 'issues' : 'ok';
    report.replaceChildren(...parts);
  }

  function setValue(rules) {
    list.replaceChildren(...rules.map(row));
    lint();
  }

  add.addEventListener('click', () => {
    list.append(row(null));
    list.lastChild.querySelector('.rules-name').focus();
    lint();
    changed();
  });
  list.addEventListener('click', (ev) => {
    const btn = ev.target.closest('button[data-act]');
    if (!btn) return;
    const r = btn.closest('.rules-row');
    if (btn.dataset.act === 'remove') r.remove();
    else if (btn.dataset.act === 'up' && r.previousElementSibling) r.previousElementSibling.before(r);
    else if (btn.dataset.act === 'down' && r.nextElementSibling) r.nextElementSibling.after(r);
    lint();
    changed();
  });
  list.addEventListener('input', () => {
    lint();
    changed();
  });
  lint();

  return { root, value, setValue, lint, onChange: (fn) => (changed = fn) };
}
