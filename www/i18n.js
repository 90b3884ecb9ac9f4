// Looking up the page's text: the current language, t() for UI strings, label() and modelReason() for
// the core's values, applyStatic() for the text written in index.html. The tables are in ./i18n/.

import { EN } from './i18n/en.js';
import { ZH, MODEL_REASONS_ZH } from './i18n/zh.js';
import { LABELS } from './i18n/labels.js';

const STRINGS = { en: EN, zh: ZH };

let lang = 'en';

export function getLang() {
  return lang;
}

export function setLang(next) {
  lang = next === 'zh' ? 'zh' : 'en';
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  return lang;
}

export function locale() {
  return lang === 'zh' ? 'zh-CN' : 'en-US';
}

/** Translate `key`, filling `{name}` placeholders from `vars`. */
export function t(key, vars) {
  const table = STRINGS[lang];
  let s = table[key] ?? STRINGS.en[key] ?? key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return s;
}

/** A model's `notFitted` reason in the current language (the core's English text when unknown). */
export function modelReason(reason) {
  const text = String(reason ?? '');
  if (lang !== 'zh') return text;
  for (const [re, fn] of MODEL_REASONS_ZH) {
    const m = text.match(re);
    if (m) return fn(m);
  }
  return text;
}

/** Label of a churn flag, risk level, activity class, lifecycle stage or rejection reason. */
export function label(kind, value) {
  const entry = LABELS[kind]?.[value];
  if (!entry) return value;
  return lang === 'zh' ? entry[1] : entry[0];
}

/** Set the text of every element with data-i18n (text) / data-i18n-title / data-i18n-aria-label. */
export function applyStatic(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) {
    el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  }
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) {
    el.placeholder = t(el.dataset.i18nPlaceholder);
  }
  document.title = t('pageTitle');
}
