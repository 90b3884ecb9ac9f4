// The customer list's controls: drill-down filters (the `tierwise-filter` event that tables and charts
// send) shown as removable chips, the id search, sortable column headers, the page size, paging over every
// matching customer, and "export these customers". The requests are in ../lib/list.js.

import { t, label } from '../i18n.js';
import { fmtMoney, fmtNum, fmtPct } from '../lib/format.js';
import { $, $$, h, host } from '../lib/dom.js';
import { announce, selectDetail } from '../lib/events.js';
import { state, PAGE_SIZE } from '../lib/state.js';
import { updateControls } from '../lib/controls.js';
import { nameMaps, displayLabel } from '../lib/summary.js';
import { emitFilter } from '../lib/tables.js';
import { listQuery, loadPage, onListReset } from '../lib/list.js';
import { exportCsv } from '../lib/run.js';

const PAGE_SIZES = [25, 50, 100, 500];

// The header of each filterable column (string keys of the page's tables).
const COLUMN_TITLES = {
  segmentRfm11: 'thSegment',
  segmentCn8: 'thSegment',
  segmentCustom: 'thSegment',
  gradeAbc: 'thAbc',
  gradeLadder: 'thLadder',
  gradeAbsolute: 'colGrade',
  lifecycle: 'thLifecycle',
  risk: 'colRisk',
  activity: 'exploreColActivity',
  churnFlags: 'colFlag',
  rScore: 'thR',
  fScore: 'thF',
  mScore: 'thM',
};

const isRange = (f) => f.value == null && (f.min != null || f.max != null);

/** 'YYYY-MM' when [min, max) is exactly that calendar month ('2024-03-01' to '2024-04-01'), else null. */
function monthOf(min, max) {
  const m = /^(\d{4})-(\d{2})-01$/.exec(min ?? '');
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const next = mo === 12 ? `${y + 1}-01-01` : `${m[1]}-${String(mo + 1).padStart(2, '0')}-01`;
  return max === next ? `${m[1]}-${m[2]}` : null;
}

// How the bounds of a range filter read, and the column's name, per column.
const RANGE_COLUMNS = {
  pAlive: ['paliveX', (v) => fmtPct(Number(v), 0)],
  predictedClv: ['exploreColClv', (v) => fmtMoney(Number(v))],
  firstDate: ['exploreColFirstDate', String],
  lastDate: ['exploreColLastDate', String],
};

/** A range filter as the user reads it: "P(alive) 40%–45%", "first purchase 2024-03", "new customers in 2024-03". */
function rangeText({ column, min, max, as }) {
  if (column === 'firstDate' || column === 'lastDate') {
    const month = monthOf(min, max);
    if (month && column === 'firstDate' && as === 'new') return t('exploreNewInMonth', { month });
    if (month) return t('exploreRangeChip', { column: t(RANGE_COLUMNS[column][0]), range: month });
  }
  const [key, show] = RANGE_COLUMNS[column] ?? [null, (v) => (typeof v === 'number' ? fmtNum(v, 4) : String(v))];
  const title = key ? t(key) : COLUMN_TITLES[column] ? t(COLUMN_TITLES[column]) : column.replace(/^dim:/, '');
  const range = min != null && max != null
    ? t('exploreRangeBetween', { min: show(min), max: show(max) })
    : min != null ? t('exploreRangeFrom', { min: show(min) }) : t('exploreRangeBelow', { max: show(max) });
  return t('exploreRangeChip', { column: title, range });
}

/** A filter as the user reads it: "Segment: Champions", "R score 5", "country: DE", ranges (rangeText). */
export function filterText(f) {
  if (isRange(f)) return rangeText(f);
  const { column, value } = f;
  const s = state.result?.summary || {};
  const maps = nameMaps(s);
  const v = String(value ?? '');
  if (column.startsWith('dim:')) return t('exploreFilterChip', { column: column.slice(4), value: v });
  if (['rScore', 'fScore', 'mScore'].includes(column)) return t('exploreFilterScore', { dim: t(COLUMN_TITLES[column]), value: v });
  const byColumn = {
    segmentRfm11: () => displayLabel(maps.rfm11, v),
    segmentCn8: () => displayLabel(maps.cn8, v),
    gradeAbc: () => displayLabel(maps.abc, v),
    gradeLadder: () => displayLabel(maps.ladder, v),
    lifecycle: () => displayLabel(maps.lifecycle, v, 'lifecycle'),
    churnFlags: () => label('flag', v),
    risk: () => label('risk', v),
    activity: () => label('activity', v),
  };
  const text = byColumn[column] ? byColumn[column]() : v;
  const title = COLUMN_TITLES[column] ? t(COLUMN_TITLES[column]) : column;
  return t('exploreFilterChip', { column: title, value: text });
}

/** The filter chips (each removable) and "clear all", or a hint when the list is not filtered. */
export function renderFilters() {
  const box = $('#explore-filters');
  if (!box) return;
  box.textContent = '';
  const filters = state.list.filters;
  box.dataset.count = String(filters.length);
  if (!filters.length) {
    box.append(h('span', { class: 'muted small', text: t('exploreNoFilter') }));
    return;
  }
  box.append(h('span', { class: 'explore-filters-label', text: t('exploreFiltersLabel') }));
  filters.forEach((f, i) => {
    const text = filterText(f);
    box.append(
      h('span', { class: 'chip filter-chip', 'data-testid': 'filter-chip', 'data-column': f.column, 'data-value': f.value, 'data-min': f.min, 'data-max': f.max },
        h('span', { text }),
        h('button', { type: 'button', class: 'chip-remove', 'data-index': i, 'aria-label': t('exploreRemoveFilter', { name: text }), title: t('exploreRemoveFilter', { name: text }), text: '×' })),
    );
  });
  box.append(h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'filters-clear', id: 'filters-clear', text: t('exploreClearAll') }));
}

/** aria-sort and the arrow of the sorted column header. */
export function renderSortHeaders() {
  const sort = state.list.sort;
  for (const th of $$('#customer-table th[data-sort]')) {
    const on = sort && sort.column === th.dataset.sort;
    th.setAttribute('aria-sort', on ? (sort.dir === 'desc' ? 'descending' : 'ascending') : 'none');
    const btn = th.querySelector('button.sort-btn');
    if (btn) {
      btn.dataset.dir = on ? sort.dir : '';
      btn.title = t('exploreSortBy', { column: btn.textContent.trim() });
    }
  }
}

/** Everything the list shows besides its rows (the rows are views/customers.js). */
export function renderExplore() {
  renderFilters();
  renderSortHeaders();
  const size = $('#explore-page-size');
  if (size) size.value = String(state.list.pageSize);
}

function refresh() {
  renderExplore();
  loadPage(0);
}

/** Apply a `tierwise-filter` event's detail: add its filters (or replace them all), show the list. */
export function applyFilter(detail) {
  const list = Array.isArray(detail?.filters) ? detail.filters : [];
  const valid = list.filter((f) => f && typeof f.column === 'string' && f.column && (f.value != null || isRange(f)));
  if (!valid.length && detail?.mode !== 'replace') return;
  if (detail?.mode === 'replace') state.list.filters = [];
  const bound = (v) => (v == null ? undefined : typeof v === 'number' ? v : String(v));
  for (const f of valid) {
    if (isRange(f)) {
      const r = { column: f.column, min: bound(f.min), max: bound(f.max), maxInclusive: f.maxInclusive === true || undefined, as: f.as };
      const same = (g) => g.column === r.column && g.min === r.min && g.max === r.max && g.maxInclusive === r.maxInclusive;
      if (!state.list.filters.some(same)) state.list.filters.push(r);
      continue;
    }
    const value = typeof f.value === 'number' ? f.value : String(f.value);
    if (!state.list.filters.some((g) => g.column === f.column && g.value != null && String(g.value) === String(value))) {
      state.list.filters.push({ column: f.column, value });
    }
  }
  if (!state.result) return;
  refresh();
  $('#customers-section')?.scrollIntoView({ block: 'start' });
}

function removeFilter(i) {
  state.list.filters.splice(i, 1);
  refresh();
  $('#explore-search')?.focus();
}

function sortBy(column) {
  const s = state.list.sort;
  // first click ascending, then descending, then back to the customer id order
  if (!s || s.column !== column) state.list.sort = { column, dir: 'asc' };
  else if (s.dir === 'asc') state.list.sort = { column, dir: 'desc' };
  else state.list.sort = null;
  refresh();
}

/** The page offsets of the pager's buttons. */
function pageOffset(which) {
  const size = state.list.pageSize;
  const total = state.page.total ?? state.result?.customerCount ?? 0;
  const last = total > 0 ? Math.floor((total - 1) / size) * size : 0;
  const now = state.page.offset;
  return { first: 0, prev: Math.max(0, now - size), next: Math.min(last, now + size), last }[which];
}

let searchTimer = null;

/** Wire the list's controls and the drill-down event (once, at start). */
export function initExplore() {
  onListReset(() => {
    clearTimeout(searchTimer); // a search typed for the previous analysis
    renderExplore();
  });
  host().addEventListener('tierwise-filter', (ev) => {
    applyFilter(ev.detail);
    announce(ev.currentTarget, 'tierwise-select', selectDetail(ev.detail));
  });

  // the name buttons of the summary tables (lib/tables.js nameCell): a click anywhere on the row too
  $('#results')?.addEventListener('click', (ev) => {
    const table = ev.target.closest('table');
    if (!table || table.id === 'customer-table') return;
    const btn = ev.target.closest('button.drill') || ev.target.closest('tr')?.querySelector('button.drill');
    if (!btn) return;
    const raw = btn.dataset.filterValue;
    emitFilter([{ column: btn.dataset.filterColumn, value: raw }], 'add');
  });

  $('#explore-filters')?.addEventListener('click', (ev) => {
    const rm = ev.target.closest('button.chip-remove');
    if (rm) removeFilter(Number(rm.dataset.index));
    else if (ev.target.closest('#filters-clear')) {
      state.list.filters = [];
      refresh();
    }
  });

  $('#explore-search')?.addEventListener('input', (ev) => {
    clearTimeout(searchTimer);
    const value = ev.target.value;
    searchTimer = setTimeout(() => {
      state.list.search = value.trim();
      refresh();
    }, 150);
  });

  $('#explore-page-size')?.addEventListener('change', (ev) => {
    const n = Number(ev.target.value);
    state.list.pageSize = PAGE_SIZES.includes(n) ? n : PAGE_SIZE;
    // keep the first customer shown on the new page
    const offset = Math.floor(state.page.offset / state.list.pageSize) * state.list.pageSize;
    loadPage(offset);
  });

  for (const th of $$('#customer-table th[data-sort]')) {
    th.querySelector('button.sort-btn')?.addEventListener('click', () => sortBy(th.dataset.sort));
  }

  for (const which of ['first', 'prev', 'next', 'last']) {
    $(`#page-${which}`)?.addEventListener('click', () => loadPage(pageOffset(which)));
  }

  $('#export-filtered')?.addEventListener('click', () =>
    exportCsv(listQuery(), 'tierwise-customers-selection.csv'),
  );
  renderExplore();
  updateControls();
}
