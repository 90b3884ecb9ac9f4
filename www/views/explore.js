// The customer list's controls: drill-down filters (the `tierwise-filter` event that tables and charts
// send) shown as removable chips, the id search, sortable column headers, the page size, paging over every
// matching customer, and "export these customers". The requests are in ../lib/list.js.

import { t, label } from '../i18n.js';
import { $, h } from '../lib/dom.js';
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

/** A filter as the user reads it: "Segment: Champions", "R score 5", "country: DE". */
export function filterText({ column, value }) {
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
      h('span', { class: 'chip filter-chip', 'data-testid': 'filter-chip', 'data-column': f.column, 'data-value': f.value },
        h('span', { text }),
        h('button', { type: 'button', class: 'chip-remove', 'data-index': i, 'aria-label': t('exploreRemoveFilter', { name: text }), title: t('exploreRemoveFilter', { name: text }), text: '×' })),
    );
  });
  box.append(h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'filters-clear', id: 'filters-clear', text: t('exploreClearAll') }));
}

/** aria-sort and the arrow of the sorted column header. */
export function renderSortHeaders() {
  const sort = state.list.sort;
  for (const th of document.querySelectorAll('#customer-table th[data-sort]')) {
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
  const valid = list.filter((f) => f && typeof f.column === 'string' && f.column && f.value != null);
  if (!valid.length && detail?.mode !== 'replace') return;
  if (detail?.mode === 'replace') state.list.filters = [];
  for (const f of valid) {
    const value = typeof f.value === 'number' ? f.value : String(f.value);
    if (!state.list.filters.some((g) => g.column === f.column && String(g.value) === String(value))) {
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
  document.addEventListener('tierwise-filter', (ev) => applyFilter(ev.detail));

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

  for (const th of document.querySelectorAll('#customer-table th[data-sort]')) {
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
