// Reading the core's summary: whether it has money and a fitted model, and its names in the current
// language.

import { t, label, labelOverride, getLang } from '../i18n.js';
import { isNum } from './format.js';

/** Whether the file had money: an amount column, or quantity × unit price. */
export function hasAmount(s) {
  const c = s?.input?.columns;
  if (c && typeof c === 'object') return c.amount != null || (c.quantity != null && c.unitPrice != null);
  return isNum(s?.kpis?.revenue);
}

export function nameMaps(s) {
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
export function entryName(entry, fallbackKind) {
  if (!entry) return '';
  const own = fallbackKind ? labelOverride(fallbackKind, entry.name) : null;
  if (own != null) return own;
  if (getLang() === 'zh' && entry.nameZh) return entry.nameZh;
  if (fallbackKind) {
    const l = label(fallbackKind, entry.name);
    if (l !== entry.name) return l;
  }
  return entry.name ?? '';
}

export function displayLabel(map, value, kind) {
  if (!value) return '';
  const entry = map?.get(value);
  if (entry) return entryName(entry, kind);
  return kind ? label(kind, value) : value;
}

/** Whether the models are still being fitted (an early result: docs/models.md#later). */
export function modelsPending(s) {
  return s?.model?.pending === true;
}

/** The fitted (or tried) purchase model family's summary key: `summary.model.kind`, or the family
 * whose parameters are there (a not-fitted summary has no kind). */
export function modelKind(m) {
  return m?.kind ?? ['bgnbd', 'mbgnbd', 'paretonbd'].find((k) => m?.[k]) ?? null;
}

/** Whether a purchase model was fitted (its per-customer columns are then filled). */
export function modelFitted(s) {
  const m = s?.model;
  return Boolean(m && m.notFitted == null && m.kind && m[m.kind]);
}

export function unitText(unit) {
  return t(unit === 'day' ? 'unitDay' : 'unitWeek');
}
