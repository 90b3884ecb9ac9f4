// Formatting numbers for the current language: integers, money, percentages, shares (one decimal
// everywhere: fmtShare), byte sizes (— when missing).

import { locale } from '../i18n.js';

export const isNum = (v) => typeof v === 'number' && Number.isFinite(v);
// Intl.NumberFormat is slow to make (about 20 µs: 190 ms of a large file's first drawing went there),
// so each (locale, options) pair gets one, made on first use and kept.
const formatters = new Map();
/** The page's one cache of number formatters: `new Intl.NumberFormat(locale, opts)`, made once. */
export function numberFormat(loc, opts) {
  const key = `${loc}|${opts ? JSON.stringify(opts) : ''}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(loc, opts);
    formatters.set(key, f);
  }
  return f;
}
const formatter = (opts) => numberFormat(locale(), opts);
export const fmt = (v, opts) => (isNum(v) ? formatter(opts).format(v) : '—');
export const fmtInt = (v) => fmt(v, { maximumFractionDigits: 0 });
export const fmtMoney = (v) => fmt(v, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const fmtNum = (v, digits = 2) => fmt(v, { maximumFractionDigits: digits });
export const fmtFixed = (v, digits) => fmt(v, { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const fmtPct = (v, digits = 1) => fmt(v, { style: 'percent', maximumFractionDigits: digits });
export const fmtPctFixed = (v, digits = 1) =>
  fmt(v, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits });
/** A share (0.125 → 12.5 %): always one decimal, the page's one formatter for shares of customers or revenue. */
export const fmtShare = (v) => fmtPctFixed(v, 1);
export function fmtBytes(n) {
  if (!isNum(n)) return '';
  const units = ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${fmt(n, { maximumFractionDigits: i ? 1 : 0 })} ${units[i]}`;
}

/**
 * Makes the page's usual formatters ahead of need: the first Intl.NumberFormat of a page costs
 * about 18 ms (the locale's data), which would otherwise fall between a file being chosen and the
 * worker starting on it. Called when the page is idle after start-up.
 */
export function warmFormatters() {
  fmtInt(0);
  fmtShare(0);
  fmtMoney(0);
  fmtBytes(0);
}
