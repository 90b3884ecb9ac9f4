// The chart card every chart of the page sits in: a PNG download of the chart (ECharts' getDataURL, a
// download link, no request), the same numbers as an accessible data table (a <details> under the
// chart, open when ECharts is missing), and the drill-down event a click on the chart sends.

import { t } from '../i18n.js';
import { h } from './dom.js';
import { bound } from './context.js';
import { emitFilter } from './events.js';
import { echartsLib } from './echarts.js';
import { flushChart } from '../charts.js';

/** How a chart click combines with the filters already set (the drill-down contract). */
export const FILTER_MODE = 'add';

export { emitFilter } from './events.js';

/**
 * The range filter of the customers whose `column` date (default firstDate) is in month 'YYYY-MM':
 * { column, min: 'YYYY-MM-01', max: first day of the next month } (dates compare as text in the worker).
 * `as: 'new'` makes the chip read "new customers in <month>".
 */
export function monthFilter(month, as, column = 'firstDate') {
  const [y, m] = String(month).split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { column, min: `${month}-01`, max: `${next}-01`, ...(as ? { as } : {}) };
}

/**
 * The range filters of the bins of a histogram { counts, min, max }: bin i is [min + i·w, min + (i+1)·w),
 * the last bin including its max (as the worker counts them, worker/histogram.js).
 */
export function binFilters(column, { counts, min, max }) {
  const width = (max - min) / counts.length;
  return counts.map((_, i) => ({
    column,
    min: min + i * width,
    max: min + (i + 1) * width,
    ...(i === counts.length - 1 ? { maxInclusive: true } : {}),
  }));
}

/** The ECharts instance drawn in `chartEl`, or null. */
export function chartOf(chartEl) {
  const ec = echartsLib();
  return typeof ec?.getInstanceByDom === 'function' ? ec.getInstanceByDom(chartEl) ?? null : null;
}

/**
 * Make `chartEl` (the chart's box) a card: a tools row above it (title, optional controls, PNG link)
 * and a data table below it. Done once per box; returns its parts.
 * @param {HTMLElement} chartEl
 * @param {string} name  file and test name: the PNG is tierwise-<name>.png
 */
export function ensureCard(chartEl, name) {
  if (chartEl._card) return chartEl._card;
  const title = h('h3', { class: 'chart-card-title' });
  const controls = h('div', { class: 'chart-card-controls' });
  const png = h('a', {
    class: 'btn btn-small chart-png',
    href: '#',
    download: `tierwise-${name}.png`,
    'data-testid': `png-${name}`,
  });
  png.addEventListener('click', (ev) => {
    flushChart(chartEl); // still queued (off screen): draw it first
    const chart = chartOf(chartEl);
    if (!chart) {
      ev.preventDefault();
      return;
    }
    // an image of what is drawn, made in the page: nothing is requested
    png.href = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#ffffff' });
  });
  const tools = h('div', { class: 'chart-card-tools' }, title, controls, png);
  const summary = h('summary');
  const table = h('table', { class: 'data-table compact chart-data-table', 'data-testid': `table-${name}` });
  const details = h('details', { class: 'chart-data', 'data-testid': `data-${name}` }, summary,
    h('div', { class: 'table-scroll' }, table));
  chartEl.before(tools);
  chartEl.after(details);
  chartEl.classList.add('chart-card-chart');
  chartEl.dataset.chart = name;
  chartEl.setAttribute('role', 'img');
  chartEl._card = { name, title, controls, png, details, summary, table };
  return chartEl._card;
}

/**
 * Fill the card's texts and data table. `table` = { head: [text, num?][], rows: [[cell]] } where a cell
 * is text or { text, value, filter } (value goes to data-value, for tests and copy; filter, a list of
 * { column, value }, makes the cell a button sending the drill-down event); `title` the chart's
 * title (also its accessible name; `hideTitle` when the card's section already shows it).
 */
export function setCard(chartEl, name, { title, table, available = true, hideTitle = false }) {
  const card = ensureCard(chartEl, name);
  card.title.textContent = title ?? '';
  card.title.hidden = !title || hideTitle;
  chartEl.setAttribute('aria-label', title ? t('chartsAria', { title }) : t('chartsDataTable'));
  card.png.textContent = t('chartsPng');
  card.png.title = t('chartsPngHint');
  card.png.hidden = !available;
  card.summary.textContent = t('chartsDataTable');
  // without ECharts the table is the chart: shown open
  if (!available) card.details.open = true;
  renderTable(card.table, table);
  return card;
}

function renderTable(node, table) {
  node.textContent = '';
  if (!table || !table.rows?.length) {
    node.append(h('tbody', null, h('tr', null, h('td', { class: 'note', text: t('chartsNoData') }))));
    return;
  }
  node.append(
    h('thead', null, h('tr', null, table.head.map(([text, num], i) =>
      h('th', { scope: 'col', class: num ? 'num' : null, 'data-col': i, text })))),
  );
  const body = h('tbody');
  for (const row of table.rows) {
    body.append(
      h('tr', null, row.map((cell, i) => {
        const c = cell != null && typeof cell === 'object' ? cell : { text: cell };
        const num = table.head[i]?.[1];
        const attrs = { class: num ? 'num' : null };
        if (c.value != null) attrs['data-value'] = c.value;
        // a cell that stands for customers filters the customer list, like a click on the chart
        const content = c.filter ? filterButton(c.text ?? '', c.filter) : c.text ?? '';
        return i === 0 ? h('th', { scope: 'row', ...attrs }, content) : h('td', attrs, content);
      })),
    );
  }
  node.append(body);
}

function filterButton(text, filters) {
  const b = h('button', { type: 'button', class: 'chart-filter', title: t('chartsClickHint'), text });
  b.addEventListener('click', bound(() => emitFilter(filters)));
  return b;
}

/** Replace the chart's click handler (ECharts keeps handlers across setOption). */
export function onChartClick(chartEl, fn) {
  const chart = chartOf(chartEl);
  if (!chart) return;
  chart.off('click');
  if (fn) chart.on('click', bound(fn));
}

/**
 * A click anywhere in the grid of a category-axis chart calls fn(category index) (a month column of the
 * monthly chart, whatever series is under the pointer). Replaces the previous one; null removes it.
 */
export function onAxisClick(chartEl, fn) {
  const chart = chartOf(chartEl);
  if (!chart) return;
  const zr = chart.getZr();
  if (chartEl._axisClick) zr.off('click', chartEl._axisClick);
  chartEl._axisClick = null;
  if (!fn) return;
  fn = bound(fn);
  chartEl._axisClick = (ev) => {
    const at = [ev.offsetX, ev.offsetY];
    if (!chart.containPixel({ gridIndex: 0 }, at)) return;
    const [i] = chart.convertFromPixel({ gridIndex: 0 }, at);
    if (Number.isInteger(i) && i >= 0) fn(i);
  };
  zr.on('click', chartEl._axisClick);
}

/** Toggle buttons in the card's controls: [{ value, key }], calling onPick(value). */
export function setSwitch(chartEl, name, choices, current, onPick) {
  const card = ensureCard(chartEl, name);
  card.controls.textContent = '';
  const group = h('div', { class: 'seg-toggle chart-switch', role: 'group' });
  for (const c of choices) {
    const b = h('button', {
      type: 'button',
      'aria-pressed': String(c.value === current),
      'data-testid': `switch-${name}-${c.value}`,
      text: t(c.key),
    });
    b.addEventListener('click', bound(() => onPick(c.value)));
    group.append(b);
  }
  card.controls.append(group);
}
