// Dimensions on the page (docs/input.md#dimensions): the "Dimensions" control of the options form, the
// page-wide filter bar ("Country: [all ▾]", which re-runs the analysis with options.filter) and the
// breakdown tables under the segment table and under the grade tables (rows = a dimension's values,
// columns = segments or grades, cells = customers with the revenue in the title). Clicking a cell emits
// the drill-down event `tierwise-filter` with the dimension and the segment or grade.
//
// setDimensions(list) sets the dimension columns from elsewhere (the mapping step); the next analysis
// uses them.

import { t } from '../i18n.js';
import { $, h } from '../lib/dom.js';
import { emitFilter } from '../lib/events.js';
import { current } from '../lib/context.js';
import { el } from '../lib/elements.js';
import { fmtInt, fmtMoney } from '../lib/format.js';
import { dims, dimensionKeys, filterKey, setDimensionColumns, columnRef } from '../lib/dimensions.js';
import { state } from '../lib/state.js';
import { displayLabel, hasAmount, nameMaps } from '../lib/summary.js';

// the per-customer column of each breakdown kind, as the drill-down event names it
const COLUMN_OF = { rfm11: 'segmentRfm11', cn8: 'segmentCn8', abc: 'gradeAbc', ladder: 'gradeLadder' };

// Re-run the analysis with the new filter: the options form's submit does it (lib/run.js rerun(); the bar
// stays on the page when the run fails, so the filter can be undone).
const rerun = () => el.optionsForm.requestSubmit();

// what the filter bar was last drawn from, so that it stays usable when a filtered run fails
let last = null; // { dimensions, header }

/** Set the dimension columns (names or 0-based indexes, at most 8) and show them in the control. */
export function setDimensions(list) {
  const cols = setDimensionColumns(list);
  const input = $('#opt-dimensions');
  if (input) input.value = cols.join(', ');
  return cols;
}

function parseControl(text) {
  return String(text)
    .split(/[,，;；\n]/)
    .map((x) => columnRef(x))
    .filter((x) => x !== undefined);
}

function sameList(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function clearFilter() {
  dims.filter.clear();
  dims.known.clear();
  last = null;
  renderFilterBar();
}

/** Wire the control and the new-input hooks (a new file or sample starts without a filter). */
export function initDimensions() {
  const input = $('#opt-dimensions');
  input?.addEventListener('change', () => {
    const list = parseControl(input.value);
    if (!sameList(list, dims.columns)) setDimensions(list);
  });
  // (capture: before the page's own handlers start the analysis)
  const root = current().root;
  root.addEventListener('change', (ev) => ev.target === el.fileInput && clearFilter(), true);
  root.addEventListener('click', (ev) => ev.target?.closest?.('#load-sample, #load-cdnow') && clearFilter(), true);
  el.dropZone.addEventListener('drop', () => clearFilter(), true);
}

/** Draw the filter bar and the breakdowns of the summary `s` (every dimension, the one chosen shown). */
export function renderDimensions(s) {
  const list = Array.isArray(s?.dimensions) ? s.dimensions : [];
  for (const d of list) {
    if (!dims.filter.has(filterKey(s, d))) {
      dims.known.set(d.column, { values: d.values.map((v) => v.value), omitted: d.omitted?.values ?? 0 });
    }
  }
  last = list.length ? { dimensions: list, header: s?.input?.header, filteredOut: s?.input?.excluded?.filteredOut ?? 0 } : null;
  if (dims.shown >= list.length) dims.shown = 0;
  renderFilterBar();
  renderBreakdowns(s);
}

function valueText(v) {
  return v === '' ? t('dimsEmpty') : v;
}

function renderFilterBar() {
  const bar = $('#dim-filter-bar');
  if (!bar) return;
  bar.textContent = '';
  if (!last) {
    bar.hidden = true;
    return;
  }
  bar.hidden = false;
  const busy = () => Boolean(state.run || state.busy);
  const summaryLike = { input: { header: last.header } };
  bar.append(h('span', { class: 'dim-bar-title', text: t('dimsFilterTitle') }));
  last.dimensions.forEach((d, i) => {
    const key = filterKey(summaryLike, d);
    const chosen = dims.filter.get(key);
    const known = dims.known.get(d.column)?.values ?? d.values.map((v) => v.value);
    const values = chosen !== undefined && !known.includes(chosen) ? [...known, chosen] : known;
    const id = `dim-filter-${i}`;
    const select = h('select', { id, 'data-testid': 'dim-filter', 'data-column': d.column, 'data-key': key },
      h('option', { value: '', text: t('dimsAll') }),
      values.map((v) => h('option', { value: `=${v}`, text: valueText(v), selected: chosen === v })),
    );
    select.addEventListener('change', () => {
      if (busy()) return;
      if (select.value === '') dims.filter.delete(key);
      else dims.filter.set(key, select.value.slice(1));
      rerun();
    });
    bar.append(h('label', { class: 'dim-filter', for: id }, h('span', { text: `${d.column}:` }), select));
  });
  if (dims.filter.size) {
    const clear = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'dim-filter-clear', text: t('dimsClear') });
    clear.addEventListener('click', () => {
      if (busy()) return;
      dims.filter.clear();
      rerun();
    });
    bar.append(clear);
    bar.append(h('p', { class: 'dim-bar-note muted small', 'data-testid': 'dim-filter-note', text: t('dimsFilterNote', { rows: fmtInt(last.filteredOut) }) }));
  }
}

/** The "Break down by" chooser (only with more than one dimension). */
function chooser(list, s) {
  if (list.length < 2) return null;
  const select = h('select', { class: 'dim-chooser', 'data-testid': 'dim-chooser' },
    list.map((d, i) => h('option', { value: String(i), text: d.column, selected: i === dims.shown })));
  select.addEventListener('change', () => {
    dims.shown = Number(select.value) || 0;
    renderBreakdowns(s);
  });
  return h('label', { class: 'dim-chooser-label' }, h('span', { text: t('dimsBreakdownBy') }), select);
}

/**
 * One breakdown table: rows = the dimension's values, columns = `names` of grouping `kind`, cells = customers
 * (title: customers and revenue); a cell's button emits the drill-down event.
 */
function breakdownTable(s, d, key, kind, names, group) {
  const maps = nameMaps(s);
  const money = hasAmount(s);
  const table = h('table', { class: 'data-table compact dim-table', 'data-testid': `dim-table-${kind}`, 'data-kind': kind });
  table.append(h('thead', null, h('tr', null,
    h('th', { scope: 'col', text: d.column }),
    names.map((n) => h('th', { scope: 'col', class: 'num', 'data-name': n, text: displayLabel(maps[kind], n, kind) })),
    h('th', { scope: 'col', class: 'num', text: t('dimsTotal') }))));
  const body = h('tbody');
  for (const v of d.values) {
    const counts = v[group]?.[kind] || {};
    const revenue = v[group === 'segments' ? 'segmentRevenue' : 'gradeRevenue']?.[kind] || {};
    body.append(h('tr', { 'data-value': v.value },
      h('th', { scope: 'row', class: v.value === '' ? 'muted' : null, text: valueText(v.value) }),
      names.map((n) => {
        const c = counts[n] || 0;
        if (!c) return h('td', { class: 'num zero', 'data-value': 0, text: '·' });
        const title = money
          ? t('dimsCellTitle', { customers: fmtInt(c), revenue: fmtMoney(revenue[n]) })
          : t('dimsCellTitleNoAmount', { customers: fmtInt(c) });
        const button = h('button', { type: 'button', class: 'dim-cell', title, 'data-name': n, text: fmtInt(c) });
        button.addEventListener('click', () => {
          emitFilter([{ column: key, value: v.value }, { column: COLUMN_OF[kind], value: n }], 'replace');
        });
        return h('td', { class: 'num', 'data-value': c }, button);
      }),
      h('td', {
        class: 'num total',
        'data-value': v.customers,
        title: money ? t('dimsCellTitle', { customers: fmtInt(v.customers), revenue: fmtMoney(v.revenue) }) : null,
        text: fmtInt(v.customers),
      })));
  }
  if (d.omitted?.values) {
    body.append(h('tr', { class: 'group' },
      h('th', { scope: 'row', colspan: names.length + 1, text: t('dimsOther', { values: fmtInt(d.omitted.values) }) }),
      h('td', { class: 'num total', 'data-value': d.omitted.customers, text: fmtInt(d.omitted.customers) })));
  }
  table.append(body);
  return h('div', { class: 'table-scroll' }, table);
}

/** The names of grouping `kind` with customers, in the order of the summary's table. */
function columnNames(list) {
  return (list || []).filter((x) => x.customers > 0).map((x) => x.name);
}

function renderBreakdowns(s) {
  const list = Array.isArray(s?.dimensions) ? s.dimensions : [];
  const segBox = $('#dim-segment-breakdown');
  const gradeBox = $('#dim-grade-section');
  if (!segBox || !gradeBox) return;
  segBox.textContent = '';
  const gradeBody = $('#dim-grade-breakdown');
  gradeBody.textContent = '';
  const d = list[dims.shown];
  if (!d) {
    segBox.hidden = true;
    gradeBox.hidden = true;
    return;
  }
  const key = dimensionKeys(list)[dims.shown];
  const preset = state.preset;
  const segNames = columnNames(s.segments?.[preset]);
  segBox.hidden = !segNames.length;
  if (segNames.length) {
    segBox.append(
      h('div', { class: 'dim-head' }, h('h3', { text: t('dimsSegmentsTitle', { column: d.column }) }), chooser(list, s)),
      breakdownTable(s, d, key, preset, segNames, 'segments'),
    );
  }
  const grades = [['abc', 'gradesAbc'], ['ladder', 'gradesLadder']].filter(([k]) => columnNames(s.grades?.[k]).length);
  gradeBox.hidden = !grades.length;
  if (grades.length) {
    $('#dim-grade-head').textContent = '';
    $('#dim-grade-head').append(h('h2', { text: t('dimsGradesTitle', { column: d.column }) }), chooser(list, s));
    for (const [k, titleKey] of grades) {
      gradeBody.append(h('div', { class: 'dim-grade-block' },
        h('h3', { text: t(titleKey) }),
        breakdownTable(s, d, key, k, columnNames(s.grades[k]), 'grades')));
    }
  }
}

/** Redraw the segment breakdown (the 11 segments / 8 classes toggle changed). */
export function renderDimensionBreakdowns() {
  if (state.result) renderBreakdowns(state.result.summary || {});
}
