// Building the page's small tables: a header row, a share table, a count table, a row spanning the table,
// and the name cell that filters the customer list (a button emitting the `tierwise-filter` event).

import { t, label } from '../i18n.js';
import { h } from './dom.js';
import { emitFilter } from './events.js';
import { fmtInt, fmtShare } from './format.js';
import { entryName } from './summary.js';

export function tableHead(cols) {
  return h('thead', null, h('tr', null, cols.map(([key, cls]) => h('th', { scope: 'col', class: cls, text: t(key) }))));
}

/**
 * A row's name cell: with `column` (a customer column's JS name) and customers in the row, a button
 * that filters the customer list to `value` (views/explore.js listens to the event it sends).
 */
export function nameCell(text, column, value, customers, attrs) {
  if (!column || !customers) return h('td', { ...attrs, text });
  return h('td', attrs,
    h('button', {
      type: 'button',
      class: 'drill',
      'data-filter-column': column,
      'data-filter-value': value,
      'data-testid': 'drill',
      title: t('exploreFilterDrill'),
      text,
    }));
}

export { emitFilter } from './events.js';

export function shareTable(table, list, { revenue, kind, filterColumn }) {
  table.textContent = '';
  const cols = [
    [kind === 'lifecycle' ? 'colStage' : 'colGrade'],
    ['colCustomers', 'num'],
    ['colShare', 'num'],
    ...(revenue ? [['colRevenueShare', 'num']] : []),
  ];
  table.append(tableHead(cols));
  const body = h('tbody');
  for (const x of list || []) {
    body.append(
      h('tr', { class: x.customers ? null : 'empty', 'data-name': x.name },
        nameCell(entryName(x, kind), filterColumn, x.name, x.customers),
        h('td', { class: 'num', 'data-value': x.customers, text: fmtInt(x.customers) }),
        h('td', { class: 'num', text: fmtShare(x.share) }),
        revenue && h('td', { class: 'num', text: fmtShare(x.revenueShare) })),
    );
  }
  table.append(body);
}

export function countTable(table, entries, kind, headKey, filterColumn) {
  table.textContent = '';
  table.append(tableHead([[headKey], ['colCustomers', 'num']]));
  const body = h('tbody');
  for (const [name, n] of entries) {
    body.append(
      h('tr', { class: n ? null : 'empty', 'data-name': name },
        nameCell(label(kind, name), filterColumn, name, n),
        h('td', { class: 'num', 'data-value': n, text: fmtInt(n) })),
    );
  }
  table.append(body);
}

/** A row spanning the table: a group heading or a sentence. */
export function spanRow(cols, text, attrs) {
  return h('tr', { class: 'group', ...attrs }, h('td', { colspan: cols, text }));
}
