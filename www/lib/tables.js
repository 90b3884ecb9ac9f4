// Building the page's small tables: a header row, a share table, a count table, a row spanning the table.

import { t, label } from '../i18n.js';
import { h } from './dom.js';
import { fmtInt, fmtPct } from './format.js';
import { entryName } from './summary.js';

export function tableHead(cols) {
  return h('thead', null, h('tr', null, cols.map(([key, cls]) => h('th', { scope: 'col', class: cls, text: t(key) }))));
}

export function shareTable(table, list, { revenue, kind }) {
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
        h('td', { text: entryName(x, kind) }),
        h('td', { class: 'num', 'data-value': x.customers, text: fmtInt(x.customers) }),
        h('td', { class: 'num', text: fmtPct(x.share) }),
        revenue && h('td', { class: 'num', text: fmtPct(x.revenueShare) })),
    );
  }
  table.append(body);
}

export function countTable(table, entries, kind, headKey) {
  table.textContent = '';
  table.append(tableHead([[headKey], ['colCustomers', 'num']]));
  const body = h('tbody');
  for (const [name, n] of entries) {
    body.append(
      h('tr', { class: n ? null : 'empty', 'data-name': name },
        h('td', { text: label(kind, name) }),
        h('td', { class: 'num', 'data-value': n, text: fmtInt(n) })),
    );
  }
  table.append(body);
}

/** A row spanning the table: a group heading or a sentence. */
export function spanRow(cols, text, attrs) {
  return h('tr', { class: 'group', ...attrs }, h('td', { colspan: cols, text }));
}
