// The retention and cohorts card: retention over the active period and the monthly cohort table.

import { t } from '../i18n.js';
import { $, h, setValue } from '../lib/dom.js';
import { isNum, fmtInt, fmtShare } from '../lib/format.js';
import { spanRow } from '../lib/tables.js';

const COHORT_MAX_ROWS = 24; // the most recent cohorts shown
const COHORT_MAX_MONTHS = 24; // months since first purchase shown: 0 … 23

/** Days between two `YYYY-MM-DD` dates (NaN when either is missing). */
function daysBetween(from, to) {
  const ms = Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`);
  return Math.round(ms / 86_400_000);
}

/**
 * Background of a cohort cell: the accent colour with an opacity growing with the square root of the
 * share, so that the usual 2–20 % after month 0 are told apart next to month 0's 100 %.
 */
function heatStyle(share) {
  const alpha = Math.sqrt(Math.min(1, Math.max(0, share))) * 0.9;
  const dark = alpha > 0.55;
  return `background-color: rgba(67, 97, 194, ${alpha.toFixed(3)});${dark ? ' color: #fff;' : ''}`;
}

export function renderRetention(s) {
  const k = s.kpis || {};
  const r = k.retention || {};
  const days = s.options?.kpis?.activeDays ?? daysBetween(r.from, r.to);
  const period = $('#ret-period');
  period.textContent = r.from && r.to ? t('retPeriod', { from: r.from, to: r.to, days: fmtInt(days) }) : '';
  period.dataset.from = r.from ?? '';
  period.dataset.to = r.to ?? '';
  setValue($('#ret-retention'), r.retention, fmtShare(r.retention));
  setValue($('#ret-churn'), r.churn, fmtShare(r.churn));
  setValue($('#ret-start'), r.activeAtStart, fmtInt(r.activeAtStart));
  setValue($('#ret-end'), r.activeAtEnd, fmtInt(r.activeAtEnd));
  setValue($('#ret-new'), r.new, fmtInt(r.new));
  const formula = $('#ret-formula');
  formula.textContent = t('retFormula', { days: fmtInt(days) });
  formula.dataset.days = isNum(days) ? String(days) : '';
  $('#ret-undefined').hidden = !(r.activeAtStart === 0);
  renderCohorts(Array.isArray(k.cohorts) ? k.cohorts : []);
}

/** The cohort table: the most recent COHORT_MAX_ROWS cohorts, oldest first, months 0 … COHORT_MAX_MONTHS − 1. */
function renderCohorts(all) {
  const table = $('#cohort-table');
  table.textContent = '';
  const cohorts = all.slice(-COHORT_MAX_ROWS);
  const maxMonths = all.reduce((n, c) => Math.max(n, c.active?.length ?? 0), 0);
  const months = Math.min(
    COHORT_MAX_MONTHS,
    cohorts.reduce((n, c) => Math.max(n, c.active?.length ?? 0), 0),
  );
  table.dataset.cohorts = String(all.length);
  table.dataset.months = String(maxMonths);

  const cap = $('#cohort-cap');
  const notes = [];
  if (all.length > cohorts.length) notes.push(t('cohortCapRows', { shown: fmtInt(cohorts.length), total: fmtInt(all.length) }));
  if (maxMonths > months) notes.push(t('cohortCapMonths', { last: fmtInt(months - 1), max: fmtInt(maxMonths - 1) }));
  cap.textContent = notes.join(' ');
  cap.hidden = !notes.length;

  if (!cohorts.length) {
    table.append(h('tbody', null, spanRow(3, t('cohortNone'), { class: 'note' })));
    return;
  }
  const monthHeads = [];
  for (let m = 0; m < months; m++) monthHeads.push(h('th', { scope: 'col', class: 'num month', text: String(m) }));
  table.append(
    h('thead', null,
      h('tr', null,
        h('th', { scope: 'col', rowspan: 2, text: t('colCohort') }),
        h('th', { scope: 'col', rowspan: 2, class: 'num', text: t('colCustomers') }),
        h('th', { scope: 'colgroup', colspan: months, class: 'months-since', text: t('colMonthsSince') })),
      h('tr', null, monthHeads)),
  );
  const body = h('tbody');
  for (const c of cohorts) {
    const active = (c.active || []).slice(0, months);
    const cells = active.map((share, m) =>
      h('td', {
        class: 'num cohort-cell',
        'data-month': m,
        'data-value': isNum(share) ? share : '',
        style: isNum(share) ? heatStyle(share) : null,
        title: t('cohortCell', {
          share: fmtShare(share),
          customers: fmtInt(c.customers),
          count: fmtInt(Math.round(share * c.customers)),
        }),
        text: fmtShare(share),
      }),
    );
    for (let m = active.length; m < months; m++) cells.push(h('td', { class: 'pad' }));
    body.append(
      h('tr', { 'data-month': c.month, 'data-testid': 'cohort-row' },
        h('th', { scope: 'row', class: 'nowrap', text: c.month }),
        h('td', { class: 'num', 'data-value': c.customers, text: fmtInt(c.customers) }),
        cells),
    );
  }
  table.append(body);
}
