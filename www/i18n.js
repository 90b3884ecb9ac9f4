// Looking up the page's text: the current language, t() for UI strings, label() and message() for the
// core's labels and coded messages (from the catalogs the build writes into pkg/catalog.js), applyStatic()
// for the text written in index.html. The page's own tables are in ./i18n/ (en.js, zh.js, and one table
// per larger feature listed in parts.js).

import { EN } from './i18n/en.js';
import { ZH } from './i18n/zh.js';
import { PARTS } from './i18n/parts.js';
import { renderMessage } from './lib/messages.js';
import { appCtx, current } from './lib/context.js';

const STRINGS = {
  en: Object.assign({}, EN, ...PARTS.map((p) => p.en)),
  zh: Object.assign({}, ZH, ...PARTS.map((p) => p.zh)),
};

let lang = 'en';
// The core's catalogs (pkg/catalog.js, written by the build): messages by code ({ en, zh } templates)
// and labels by kind and code ({ code, en, zh }). Loaded by loadCatalog(); until then (or when the site
// was not built) messages show the core's English text and labels their codes.
let catalog = { messages: {}, labels: {} };

/** Loads the core's catalog; never fails (without it the page shows the core's English). */
export async function loadCatalog() {
  try {
    const { CATALOG } = await import('./pkg/catalog.js');
    catalog = {
      messages: CATALOG.messages,
      labels: Object.fromEntries(
        Object.entries(CATALOG.labels).map(([kind, entries]) => [kind, Object.fromEntries(entries.map((e) => [e.code, e]))]),
      ),
    };
  } catch {
    /* the engine's own error tells the user the site was not built */
  }
}

/** The language of the component being drawn (its `lang`), else the workbench's. */
export function getLang() {
  return current().lang ?? lang;
}

/**
 * Set the workbench's language; its root element (.tw-root in <tierwise-app>'s shadow root) carries the
 * matching `lang` attribute, which views that must follow the language observe.
 */
export function setLang(next) {
  lang = next === 'zh' ? 'zh' : 'en';
  appCtx().root.querySelector?.('.tw-root')?.setAttribute('lang', lang === 'zh' ? 'zh-CN' : 'en');
  return lang;
}

export function locale() {
  return getLang() === 'zh' ? 'zh-CN' : 'en-US';
}

/** Translate `key`, filling `{name}` placeholders from `vars`. */
export function t(key, vars) {
  const table = STRINGS[getLang()];
  let s = table[key] ?? STRINGS.en[key] ?? key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return s;
}

/**
 * A coded message of the core ({ code, params }) in the current language; `fallback` (the core's English
 * text) when the message is missing or its code unknown (a newer core).
 */
export function message(coded, fallback = '') {
  return renderMessage(coded, getLang(), catalog.messages) ?? String(fallback ?? '');
}

/**
 * The page's own display name of a core label (string key `label.<kind>.<code>` of a feature table),
 * or null: the page may name a label differently from the CSV (e.g. lifecycle `lapsed` in Chinese).
 */
export function labelOverride(kind, value) {
  return STRINGS[getLang()][`label.${kind}.${value}`] ?? null;
}

/**
 * Label of one of the core's vocabularies (kind: flag, risk, activity, lifecycle, reason, cn8, rfm11, abc)
 * by its code; the code itself when unknown.
 */
export function label(kind, value) {
  const own = labelOverride(kind, value);
  if (own != null) return own;
  const entry = catalog.labels[kind]?.[value];
  if (!entry) return value;
  return getLang() === 'zh' ? entry.zh : entry.en;
}

/**
 * Set the text of every element with data-i18n (text) / data-i18n-title / data-i18n-aria-label /
 * data-i18n-placeholder in `root` (default: the current component's shadow root).
 */
export function applyStatic(root = current().root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) {
    el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  }
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) {
    el.placeholder = t(el.dataset.i18nPlaceholder);
  }
}
