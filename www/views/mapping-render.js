// The mapping step's parts (views/mapping.js wires them): one control per role with the guess's
// confidence and reason, the reading choices (header row, sheet, date order, decimal separator) and the
// preview of the file's first records (title rows greyed, the header row marked, the roles above the
// columns).

import { t, message } from '../i18n.js';
import { h } from '../lib/dom.js';
import { optionValue } from './options-panel.js';

export const SINGLE_ROLES = ['customer', 'date', 'amount', 'quantity', 'unitPrice', 'order', 'category'];
export const MULTI_ROLES = ['signals', 'dimensions'];

/** The index of the column a ColumnRef (header name or index) names, or null. */
export const refIndex = (insp, ref) => {
  if (ref == null) return null;
  if (typeof ref === 'number') return ref < insp.columns.length ? ref : null;
  const i = insp.columns.findIndex((c) => c.name === ref);
  return i < 0 ? null : i;
};

function columnName(insp, i) {
  const name = insp.columns[i]?.name;
  return name != null && name !== '' ? `${name}` : `#${i}`;
}

function roleStatus(cur, insp, role, chosen) {
  const guess = role === 'signals' || role === 'dimensions' ? null : refIndex(insp, insp.mapping?.[role]);
  const required = role === 'customer' || role === 'date';
  if (chosen == null || (Array.isArray(chosen) && !chosen.length)) {
    if (required) return { cls: 'is-missing', text: t('mappingNotFound') };
    return { cls: '', text: '' };
  }
  if (Array.isArray(chosen)) return { cls: '', text: '' };
  if (cur.applied?.remembered && !cur.open) return { cls: '', text: t('mappingRemembered') };
  if (guess != null && chosen === guess) {
    const col = insp.columns[guess];
    const conf = col?.confidence;
    const reason = col?.reason ? message(col.reason, '') : '';
    return {
      cls: conf === 'low' ? 'is-weak' : conf === 'medium' ? 'is-medium' : 'is-high',
      conf,
      text: [conf ? t(`mappingConfidence_${conf}`) : '', reason].filter(Boolean).join(' — '),
    };
  }
  return { cls: 'is-chosen', text: t('mappingChosen') };
}

export function roleControl(cur, insp, role) {
  const multi = MULTI_ROLES.includes(role);
  const chosen = cur.choice?.[role] ?? (multi ? [] : null);
  const options = insp.columns.map((c, i) => {
    const sel = multi ? chosen.includes(i) : chosen === i;
    const hint = !multi ? '' : c.role === (role === 'signals' ? 'signal' : 'dimension') ? ' ★' : '';
    return h('option', { value: String(i), selected: sel }, `${columnName(insp, i)}${hint}`);
  });
  const select = multi
    ? h('select', { multiple: true, size: 4, id: `map-${role}`, 'data-role': role, 'data-testid': `map-${role}` }, options)
    : h('select', { id: `map-${role}`, 'data-role': role, 'data-testid': `map-${role}` }, h('option', { value: '', selected: chosen == null }, t('mappingNone')), options);
  const st = roleStatus(cur, insp, role, chosen);
  const status = h('span', { class: `map-status ${st.cls}`, 'data-testid': `map-status-${role}`, 'data-confidence': st.conf || '' }, st.text);
  const required = role === 'customer' || role === 'date';
  return h(
    'div',
    { class: `map-role ${st.cls}` },
    h('label', { for: `map-${role}` }, t(`mappingRole_${role}`), required ? h('span', { class: 'map-required' }, ` (${t('mappingRequired')})`) : null),
    select,
    multi ? h('span', { class: 'muted small' }, t('mappingMulti')) : null,
    status,
  );
}

function readingControl(id, labelKey, choices, value) {
  return h(
    'label',
    { class: 'map-reading-field' },
    h('span', {}, t(labelKey)),
    h('select', { id, 'data-testid': id }, choices.map(([v, text]) => h('option', { value: v, selected: v === value }, text))),
  );
}

export function readingControls(insp) {
  const hr = optionValue('headerRow');
  const rows = [['auto', t('mappingHeaderAuto')], ['none', t('mappingHeaderNone')]];
  for (let n = 1; n <= 100; n++) rows.push([String(n), t('mappingHeaderRowN', { n })]);
  const parts = [readingControl('mapping-header-row', 'mappingHeaderRow', rows, hr == null ? 'auto' : String(hr))];
  if (insp.sheets?.length) {
    const current = insp.sheet ?? insp.sheets[0];
    parts.push(readingControl('mapping-sheet', 'mappingSheet', insp.sheets.map((s) => [s, s]), current));
  }
  const dateOrders = ['auto', 'mdy', 'dmy', 'ymd'].map((v) => [v, t(`mappingChoice_dateOrder_${v}`)]);
  parts.push(readingControl('mapping-date-order', 'mappingOpt_dateOrder', dateOrders, optionValue('dateOrder') ?? 'auto'));
  const decimals = ['auto', '.', ','].map((v) => [v, t(`mappingChoice_decimal_${v}`)]);
  parts.push(readingControl('mapping-decimal', 'mappingOpt_decimal', decimals, optionValue('decimal') ?? 'auto'));
  return h('div', { class: 'map-reading' }, parts);
}

export function previewTable(cur, insp) {
  const width = Math.max(insp.columns.length, ...insp.preview.map((r) => r.cells.length));
  const roleOf = new Map();
  for (const r of SINGLE_ROLES) if (cur.choice?.[r] != null) roleOf.set(cur.choice[r], t(`mappingRole_${r}`));
  for (const r of MULTI_ROLES) for (const i of cur.choice?.[r] || []) roleOf.set(i, t(`mappingRole_${r}`));
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col' }, t('mappingRow')),
    Array.from({ length: width }, (_, i) => h('th', { scope: 'col', class: roleOf.has(i) ? 'map-col-used' : '' }, `#${i}`, roleOf.has(i) ? h('span', { class: 'map-col-role' }, roleOf.get(i)) : null)),
  );
  const body = insp.preview.map((r) =>
    h(
      'tr',
      { class: `map-row-${r.kind}`, 'data-kind': r.kind },
      h('th', { scope: 'row' }, String(r.row), r.kind !== 'data' ? h('span', { class: 'map-row-kind' }, t(r.kind === 'header' ? 'mappingRowHeader' : 'mappingRowTitle')) : null),
      Array.from({ length: width }, (_, i) => h('td', {}, r.cells[i] ?? '')),
    ),
  );
  return h('div', { class: 'table-scroll map-preview-scroll' }, h('table', { class: 'data-table compact map-preview', 'data-testid': 'mapping-preview' }, h('thead', {}, head), h('tbody', {}, body)));
}
