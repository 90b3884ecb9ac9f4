// ECharts wrappers. ECharts is the page's global `echarts` or the module lib/echarts.js loaded;
// when it is missing the page still works and the chart boxes say so.

import { echartsLib } from './lib/echarts.js';
import { appCtx, bound, current, withContext } from './lib/context.js';
import { numberFormat } from './lib/format.js';

export const COLORS = { customers: '#4361c2', revenue: '#e8913a', line: '#4361c2', muted: '#9aa3b5' };
export const FONT = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", "DejaVu Sans", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';

const observers = new WeakMap();

export function chartsAvailable() {
  return typeof echartsLib()?.init === 'function';
}

/** The ECharts instance of `el`, made (with a resize observer) on first use. */
export function chartInstance(el) {
  return instance(el);
}

/**
 * `option` with every function in it (formatters, tooltips) bound to the render context current now, so
 * a card's chart speaks the card's language when ECharts calls them later (on hover, on resize).
 */
function boundOption(option) {
  if (current() === appCtx()) return option; // the workbench's own callbacks need no binding
  return bindAll(option);
}

function bindAll(option) {
  if (typeof option === 'function') return bound(option);
  if (Array.isArray(option)) return option.map(bindAll);
  if (option && Object.getPrototypeOf(option) === Object.prototype) {
    return Object.fromEntries(Object.entries(option).map(([k, v]) => [k, bindAll(v)]));
  }
  return option;
}

function instance(el) {
  const ec = echartsLib();
  let chart = ec.getInstanceByDom(el);
  if (!chart) {
    el.textContent = '';
    chart = ec.init(el, null, { renderer: 'canvas' });
    const setOption = chart.setOption.bind(chart);
    chart.setOption = (option, ...rest) => setOption(boundOption(option), ...rest);
    if (typeof ResizeObserver === 'function' && !observers.has(el)) {
      const ro = new ResizeObserver(() => ec.getInstanceByDom(el)?.resize());
      ro.observe(el);
      observers.set(el, ro);
    }
  }
  return chart;
}

// ───────────────────────── drawing off the first paint ─────────────────────────
// A result draws a dozen charts; at 1M rows that took 270 ms of the page's main thread before anything
// showed. drawChart() draws a chart at once when its box is on screen and queues the others, drawn
// one per task right after (in the order asked): the tables, figures and visible charts appear first,
// the rest follow within a few frames. A queued box carries `data-drawing` until it is drawn; a
// `tierwise-chart-drawn` event (not composed) tells its card. Printing and a PNG download draw
// what is queued first (flushCharts, flushChart).

const queued = new Map(); // box → { draw, ctx }
let drainScheduled = false;

function onScreen(el) {
  if (typeof el.getBoundingClientRect !== 'function') return true;
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < (globalThis.innerHeight || 0);
}

/**
 * Runs `draw` (which draws the chart of box `el`) now when the box is on screen or ECharts is missing,
 * else in a later task; a newer call for the same box replaces a queued one. `draw` runs in the render
 * context current now.
 */
export function drawChart(el, draw) {
  queued.delete(el);
  if (!chartsAvailable() || onScreen(el)) {
    delete el.dataset.drawing;
    draw();
    return;
  }
  el.dataset.drawing = '';
  queued.set(el, { draw, ctx: current() });
  if (!drainScheduled) {
    drainScheduled = true;
    setTimeout(drainOne, 0);
  }
}

function runQueued(el) {
  const job = queued.get(el);
  if (!job) return;
  queued.delete(el);
  delete el.dataset.drawing;
  if (el.isConnected) withContext(job.ctx, job.draw);
  el.dispatchEvent(new CustomEvent('tierwise-chart-drawn', { bubbles: true }));
}

function drainOne() {
  drainScheduled = false;
  const next = queued.keys().next();
  if (next.done) return;
  runQueued(next.value);
  if (queued.size && !drainScheduled) {
    drainScheduled = true;
    setTimeout(drainOne, 0);
  }
}

/** Draws box `el`'s queued chart now (before reading its image). */
export function flushChart(el) {
  runQueued(el);
}

/** Draws every queued chart now (before printing). */
export function flushCharts() {
  for (const el of [...queued.keys()]) runQueued(el);
}

export function showChartMessage(el, text) {
  disposeChart(el);
  el.textContent = '';
  const p = document.createElement('p');
  p.className = 'chart-message';
  p.textContent = text;
  el.append(p);
}

export function disposeChart(el) {
  if (queued.delete(el)) delete el.dataset.drawing;
  const ec = echartsLib();
  if (ec && typeof ec.getInstanceByDom === 'function') ec.getInstanceByDom(el)?.dispose();
  observers.get(el)?.disconnect();
  observers.delete(el);
}

const pct = (v, locale, digits = 1) =>
  Number.isFinite(v)
    ? numberFormat(locale, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v)
    : '—';

/**
 * Horizontal bars: share of customers and share of revenue per segment.
 * @param {HTMLElement} el
 * @param {{rows: {label: string, customers: number, share: number, revenue: number, revenueShare: number}[],
 *          hasRevenue: boolean, text: (key: string) => string, fmtInt: (n:number)=>string,
 *          fmtMoney: (n:number)=>string, locale: string}} d
 */
export function renderSegmentChart(el, d) {
  const chart = instance(el);
  const labels = d.rows.map((r) => r.label);
  const series = [
    {
      name: d.text('seriesCustomers'),
      type: 'bar',
      data: d.rows.map((r) => +(r.share * 100).toFixed(4)),
      itemStyle: { color: COLORS.customers, borderRadius: [0, 3, 3, 0] },
      barMaxWidth: 14,
      barGap: '15%',
    },
  ];
  if (d.hasRevenue) {
    series.push({
      name: d.text('seriesRevenue'),
      type: 'bar',
      data: d.rows.map((r) => (Number.isFinite(r.revenueShare) ? +(r.revenueShare * 100).toFixed(4) : 0)),
      itemStyle: { color: COLORS.revenue, borderRadius: [0, 3, 3, 0] },
      barMaxWidth: 14,
    });
  }
  chart.setOption(
    {
      animationDuration: 400,
      textStyle: { fontFamily: FONT },
      aria: { enabled: true },
      legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 12 } },
      grid: { left: 8, right: 24, top: 32, bottom: 8 },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        confine: true,
        formatter: (items) => {
          const i = items[0]?.dataIndex ?? 0;
          const r = d.rows[i];
          const esc = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
          let html = `<strong>${esc(r.label)}</strong><br>`;
          html += `${items[0].marker} ${esc(d.text('colCustomers'))}: ${d.fmtInt(r.customers)} (${pct(r.share, d.locale)})`;
          if (d.hasRevenue && items[1]) {
            html += `<br>${items[1].marker} ${esc(d.text('colRevenue'))}: ${d.fmtMoney(r.revenue)} (${pct(r.revenueShare, d.locale)})`;
          }
          return html;
        },
      },
      xAxis: {
        type: 'value',
        axisLabel: { formatter: (v) => `${v}%`, color: '#5b6477' },
        splitLine: { lineStyle: { color: '#e8ebf1' } },
      },
      yAxis: {
        type: 'category',
        inverse: true,
        data: labels,
        axisTick: { show: false },
        axisLine: { lineStyle: { color: '#c9cfdb' } },
        axisLabel: { color: '#2b3242', fontSize: 12 },
      },
      series,
    },
    true,
  );
}

/**
 * Pareto (Lorenz-style) curve of revenue concentration.
 * @param {HTMLElement} el
 * @param {{points: number[][], customerShareFor80: number, text: (k:string, v?:object)=>string, locale: string}} d
 */
export function renderParetoChart(el, d) {
  const chart = instance(el);
  const data = d.points.map(([x, y]) => [+(x * 100).toFixed(4), +(y * 100).toFixed(4)]);
  const x80 = Number.isFinite(d.customerShareFor80) ? d.customerShareFor80 * 100 : null;
  const curve = {
    name: d.text('paretoSeries'),
    type: 'line',
    data,
    showSymbol: false,
    smooth: false,
    lineStyle: { width: 2.5, color: COLORS.line },
    itemStyle: { color: COLORS.line },
    areaStyle: { color: 'rgba(67, 97, 194, 0.10)' },
  };
  if (x80 != null) {
    curve.markLine = {
      silent: true,
      symbol: 'none',
      lineStyle: { color: COLORS.revenue, type: 'dashed', width: 1.5 },
      label: { show: false },
      data: [
        [{ coord: [0, 80] }, { coord: [x80, 80] }],
        [{ coord: [x80, 0] }, { coord: [x80, 80] }],
      ],
    };
    curve.markPoint = {
      symbol: 'circle',
      symbolSize: 9,
      itemStyle: { color: COLORS.revenue },
      label: {
        show: true,
        position: x80 > 55 ? 'left' : 'right',
        distance: 8,
        color: '#2b3242',
        fontSize: 12,
        formatter: () => d.text('paretoMark', { x: pct(d.customerShareFor80, d.locale) }),
      },
      data: [{ coord: [x80, 80] }],
    };
  }
  chart.setOption(
    {
      animationDuration: 400,
      textStyle: { fontFamily: FONT },
      aria: { enabled: true },
      legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 8, textStyle: { fontSize: 12 } },
      grid: { left: 8, right: 16, top: 32, bottom: 8 },
      tooltip: {
        trigger: 'axis',
        confine: true,
        formatter: (items) => {
          const it = items.find((x) => x.seriesIndex === 0) || items[0];
          if (!it) return '';
          const [x, y] = it.value;
          return `${d.text('paretoX')}: ${x.toFixed(1)}%<br>${d.text('paretoY')}: ${y.toFixed(1)}%`;
        },
      },
      xAxis: {
        type: 'value',
        min: 0,
        max: 100,
        name: d.text('paretoX'),
        nameLocation: 'middle',
        nameGap: 26,
        nameTextStyle: { color: '#5b6477', fontSize: 12 },
        axisLabel: { formatter: (v) => `${v}%`, color: '#5b6477' },
        splitLine: { lineStyle: { color: '#e8ebf1' } },
      },
      yAxis: {
        type: 'value',
        min: 0,
        max: 100,
        axisLabel: { formatter: (v) => `${v}%`, color: '#5b6477' },
        splitLine: { lineStyle: { color: '#e8ebf1' } },
      },
      series: [
        curve,
        {
          name: d.text('paretoEqual'),
          type: 'line',
          data: [
            [0, 0],
            [100, 100],
          ],
          showSymbol: false,
          silent: true,
          lineStyle: { width: 1, type: 'dotted', color: COLORS.muted },
          itemStyle: { color: COLORS.muted },
          tooltip: { show: false },
        },
      ],
    },
    true,
  );
}

/**
 * Column chart of counts in equal-width bins (the P(alive) distribution).
 * @param {HTMLElement} el
 * @param {{counts: number[], min: number, max: number, name: string, xLabel: string,
 *          fmtInt: (n:number)=>string, locale: string}} d
 */
export function renderHistogramChart(el, d) {
  const chart = instance(el);
  const n = d.counts.length;
  const width = (d.max - d.min) / n;
  const edge = (i) => d.min + i * width;
  // Bins of a [0, 1] column read best as percentages.
  const unit = d.min >= 0 && d.max <= 1 ? (v) => pct(v, d.locale, 0) : (v) => String(+v.toFixed(2));
  const labels = d.counts.map((_, i) => `${unit(edge(i))}–${unit(edge(i + 1))}`);
  chart.setOption(
    {
      animationDuration: 400,
      textStyle: { fontFamily: FONT },
      aria: { enabled: true },
      grid: { left: 8, right: 12, top: 12, bottom: 8, containLabel: true },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        confine: true,
        formatter: (items) => {
          const it = items[0];
          if (!it) return '';
          return `${d.xLabel} ${labels[it.dataIndex]}<br>${it.marker} ${d.name}: ${d.fmtInt(it.value)}`;
        },
      },
      xAxis: {
        type: 'category',
        data: labels,
        axisTick: { show: false },
        axisLine: { lineStyle: { color: '#c9cfdb' } },
        axisLabel: {
          color: '#5b6477',
          fontSize: 11,
          // about four labels, each the lower edge of its bin
          interval: (i) => i % Math.max(1, Math.round(n / 4)) === 0,
          formatter: (_, i) => unit(edge(i)),
        },
      },
      yAxis: {
        type: 'value',
        axisLabel: { color: '#5b6477', formatter: (v) => d.fmtInt(v) },
        splitLine: { lineStyle: { color: '#e8ebf1' } },
      },
      series: [
        {
          name: d.name,
          type: 'bar',
          data: d.counts,
          barCategoryGap: '8%',
          itemStyle: { color: COLORS.customers, borderRadius: [2, 2, 0, 0] },
        },
      ],
    },
    true,
  );
}
