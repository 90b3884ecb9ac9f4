// Every analysis option the options panel sets (docs/outputs.md#options), grouped as the
// panel shows them: the key (dotted path in the options object), the kind of field, and the default
// (shown as the placeholder or the preselected value). The panel sends only what differs from the
// defaults; the core range-checks everything and names the key of a bad value.
//
// kinds: int / num (a number), text, date, select (choices), bool (a checkbox), list (numbers
// separated by commas), pairs (`name=value` separated by commas: ladder and absolute grades),
// presets (the two segment presets as checkboxes), nullableText (cancelPrefix: empty = default,
// the checkbox "none" = null).

export const OPTION_GROUPS = [
  {
    id: 'input',
    fields: [
      { key: 'headerRow', kind: 'headerRow', def: 'auto' },
      { key: 'sheet', kind: 'text', def: '', id: 'opt-sheet', digitsAsNumber: true },
      { key: 'encoding', kind: 'text', def: 'auto' },
      { key: 'dateOrder', kind: 'select', def: 'auto', choices: ['auto', 'mdy', 'dmy', 'ymd'], id: 'opt-date-order' },
      { key: 'decimal', kind: 'select', def: 'auto', choices: ['auto', '.', ','] },
      { key: 'cancelPrefix', kind: 'nullableText', def: 'C' },
      { key: 'analysisDate', kind: 'date', def: '', id: 'opt-analysis-date' },
      { key: 'returns', kind: 'select', def: 'net', choices: ['net', 'ignore', 'keep'], id: 'opt-returns' },
      { key: 'frequency', kind: 'select', def: 'orders', choices: ['orders', 'days', 'rows'], id: 'opt-frequency' },
      { key: 'labels', kind: 'select', def: 'en', choices: ['en', 'zh'] },
    ],
  },
  {
    id: 'rfm',
    fields: [
      { key: 'rfm.mode', kind: 'select', def: 'quantile', choices: ['quantile', 'rfm-r', 'rank', 'thresholds'], id: 'opt-rfm-mode' },
      { key: 'rfm.bins', kind: 'int', def: 5, min: 3, max: 10 },
      { key: 'rfm.thresholds.r', kind: 'list', def: [] },
      { key: 'rfm.thresholds.f', kind: 'list', def: [] },
      { key: 'rfm.thresholds.m', kind: 'list', def: [] },
    ],
  },
  {
    id: 'segments',
    fields: [
      { key: 'segments.presets', kind: 'presets', def: ['cn8', 'rfm11'] },
      { key: 'segments.cn8Split', kind: 'select', def: 'mean', choices: ['mean', 'median'] },
      { key: 'segments.rules', kind: 'rules', def: [] },
    ],
  },
  {
    id: 'grades',
    fields: [
      { key: 'grades.abc.0', kind: 'num', def: 0.8 },
      { key: 'grades.abc.1', kind: 'num', def: 0.95 },
      { key: 'grades.ladder', kind: 'pairs', def: [['VIP', 0.05], ['Gold', 0.15], ['Silver', 0.35], ['Bronze', 0.6], ['Regular', 1]] },
      { key: 'grades.absolute', kind: 'pairs', def: null },
      { key: 'grades.windowDays', kind: 'int', def: 365 },
    ],
  },
  {
    id: 'activity',
    fields: [
      { key: 'activity.windowDays', kind: 'int', def: 28 },
      { key: 'activity.high', kind: 'num', def: 3 },
      { key: 'activity.low', kind: 'num', def: 1 },
    ],
  },
  {
    id: 'churn',
    fields: [
      { key: 'churn.inactiveDays', kind: 'int', def: 90 },
      { key: 'churn.overdueFactor', kind: 'num', def: 2 },
      { key: 'churn.highValueLapsedDays', kind: 'int', def: 180 },
      { key: 'churn.windowDays', kind: 'int', def: 90 },
      { key: 'churn.declineRatio', kind: 'num', def: 0.5 },
    ],
  },
  {
    id: 'lifecycle',
    fields: [
      { key: 'lifecycle.newDays', kind: 'int', def: 30 },
      { key: 'lifecycle.lapsedDays', kind: 'int', def: 180 },
      { key: 'lifecycle.matureDays', kind: 'int', def: 365 },
      { key: 'kpis.activeDays', kind: 'int', def: 365 },
    ],
  },
  {
    id: 'model',
    fields: [
      { key: 'model.enabled', kind: 'bool', def: true },
      { key: 'model.kind', kind: 'select', def: 'bgnbd', choices: ['bgnbd', 'mbgnbd', 'paretonbd', 'auto'] },
      { key: 'model.timeUnit', kind: 'select', def: 'week', choices: ['week', 'day'] },
      { key: 'model.holdout', kind: 'text', def: '', digitsAsNumber: true },
      { key: 'model.horizon', kind: 'num', def: 52 },
      { key: 'model.discountRate', kind: 'num', def: 0.01 },
    ],
  },
];

export const OPTION_FIELDS = OPTION_GROUPS.flatMap((g) => g.fields);

/** The value at a dotted path of `obj` (numeric parts index arrays), or undefined. */
export function getPath(obj, key) {
  let v = obj;
  for (const part of key.split('.')) {
    if (v == null || typeof v !== 'object') return undefined;
    v = v[part];
  }
  return v;
}

/** Set the value at a dotted path, creating objects (and arrays for numeric parts) on the way. */
export function setPath(obj, key, value) {
  const parts = key.split('.');
  let o = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = parts[i + 1];
    if (o[parts[i]] == null || typeof o[parts[i]] !== 'object') o[parts[i]] = /^\d+$/.test(next) ? [] : {};
    o = o[parts[i]];
  }
  o[parts[parts.length - 1]] = value;
}

/** `name=value` pairs as the panel writes them (`VIP=0.05, Gold=0.15`). */
export function pairsText(pairs) {
  return Array.isArray(pairs) ? pairs.map(([n, v]) => `${n}=${v}`).join(', ') : '';
}

/**
 * Parse `VIP=0.05, Gold=0.15` (commas, semicolons or line breaks between pairs; `=` or `:` inside)
 * into [[name, number]]; throws 'pairs' on a malformed pair.
 */
export function parsePairs(text) {
  const out = [];
  for (const part of text.split(/[,;\n，；]/)) {
    const p = part.trim();
    if (!p) continue;
    const m = /^(.+?)\s*[=:：]\s*(\S+)$/.exec(p);
    const n = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(n)) throw new Error('pairs');
    out.push([m[1].trim(), n]);
  }
  return out;
}

/** Parse `30, 90, 180` into numbers; throws 'list' on a value that is not a number. */
export function parseList(text) {
  const out = [];
  for (const part of text.split(/[,;\s，；]+/)) {
    if (!part) continue;
    const n = Number(part);
    if (!Number.isFinite(n)) throw new Error('list');
    out.push(n);
  }
  return out;
}
