// ECharts options of the workbench charts (views/charts.js draws them): pure functions from the numbers
// and the texts to an option object, so that what is drawn is exactly the data handed in (the page
// tests read it back through echarts.getInstanceByDom(...).getOption()).

import { COLORS, FONT } from '../charts.js';

const AXIS = { color: '#5b6477', fontSize: 11 };
const SPLIT = { lineStyle: { color: '#e8ebf1' } };
const RISK_COLORS = { high: '#c0392b', medium: '#e8913a', low: '#3f9d6d' };
const PALETTE = ['#4361c2', '#e8913a', '#3f9d6d', '#8e5cc4', '#d0527a', '#2a9db5', '#b8912f', '#6b7a99',
  '#c0392b', '#5fae3e', '#a0522d', '#1f6f8b'];

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function base(extra) {
  return { animationDuration: 300, textStyle: { fontFamily: FONT }, aria: { enabled: true }, color: PALETTE, ...extra };
}

/**
 * R×F heatmap. cells: [fIndex, rIndex, value] for every score pair (index 0 = score 1); rLabels /
 * fLabels the axis texts for scores 1 … k; fmt formats a value for labels and the tooltip.
 */
export function heatmapOption({ cells, rLabels, fLabels, rName, fName, seriesName, fmt, fmtShort, tip }) {
  const max = cells.reduce((m, c) => Math.max(m, c[2]), 0);
  return base({
    tooltip: {
      position: 'top',
      confine: true,
      formatter: (p) => `${esc(rLabels[p.value[1]])} · ${esc(fLabels[p.value[0]])}<br>${esc(seriesName)}: ${esc(fmt(p.value[2]))}${tip ? `<br>${esc(tip)}` : ''}`,
    },
    grid: { left: 8, right: 12, top: 8, bottom: 56, containLabel: true },
    xAxis: {
      type: 'category', data: fLabels, name: fName, nameLocation: 'middle', nameGap: 28,
      nameTextStyle: { color: '#5b6477', fontSize: 12 }, axisLabel: { ...AXIS, interval: 0, hideOverlap: true },
      splitArea: { show: true }, axisTick: { show: false },
    },
    yAxis: {
      type: 'category', data: rLabels, name: rName, nameLocation: 'end',
      nameTextStyle: { color: '#5b6477', fontSize: 12, align: 'right' }, axisLabel: AXIS, splitArea: { show: true },
      axisTick: { show: false },
    },
    visualMap: {
      min: 0, max: Math.max(1, max), calculable: false, orient: 'horizontal', left: 'center', bottom: 0,
      itemHeight: 120, itemWidth: 10, textStyle: AXIS, formatter: (v) => fmtShort(v),
      inRange: { color: ['#f1f4fb', '#9fb0e6', '#2f4aa0'] },
    },
    series: [{
      name: seriesName, type: 'heatmap', data: cells, cursor: 'pointer',
      label: { show: true, fontSize: 11, formatter: (p) => (p.value[2] ? fmtShort(p.value[2]) : '') },
      itemStyle: { borderColor: '#fff', borderWidth: 1 },
      emphasis: { itemStyle: { borderColor: '#2b3242', borderWidth: 1.5 } },
    }],
  });
}

/** Treemap of segments: items [{ name (shown), code, value (customers), share }]. */
export function treemapOption({ items, seriesName, fmt }) {
  return base({
    tooltip: {
      confine: true,
      formatter: (p) => `<strong>${esc(p.name)}</strong><br>${esc(seriesName)}: ${esc(fmt(p.value, p.data?.share))}`,
    },
    series: [{
      name: seriesName, type: 'treemap', roam: false, nodeClick: false, breadcrumb: { show: false },
      top: 4, left: 4, right: 4, bottom: 4, cursor: 'pointer',
      label: { show: true, formatter: (p) => `${p.name}\n${fmt(p.value, p.data?.share)}`, fontSize: 12, overflow: 'truncate' },
      upperLabel: { show: false },
      itemStyle: { borderColor: '#fff', borderWidth: 2, gapWidth: 2 },
      data: items.map((x, i) => ({ ...x, itemStyle: { color: PALETTE[i % PALETTE.length] } })),
    }],
  });
}

/** Two donuts side by side: rings [{ name (title), column, items: [{ name, code, value }] }]. */
export function donutOption({ rings, fmt, pctText }) {
  const n = rings.length;
  return base({
    tooltip: { trigger: 'item', confine: true, formatter: (p) => `${esc(p.seriesName)}<br>${p.marker} ${esc(p.name)}: ${esc(fmt(p.value, p.percent))}` },
    title: rings.map((r, i) => ({
      text: r.name, left: `${((i + 0.5) / n) * 100}%`, top: 0, textAlign: 'center',
      textStyle: { fontSize: 12, fontWeight: 600, color: '#2b3242' },
    })),
    series: rings.map((r, i) => ({
      name: r.name, type: 'pie', radius: ['28%', '46%'], center: [`${((i + 0.5) / n) * 100}%`, '56%'],
      cursor: 'pointer', avoidLabelOverlap: true, minShowLabelAngle: 3,
      label: { fontSize: 11, lineHeight: 14, overflow: 'none', formatter: (p) => `${p.name}\n${pctText(p.percent)}` },
      labelLine: { length: 8, length2: 6 }, labelLayout: { hideOverlap: true },
      itemStyle: { borderColor: '#fff', borderWidth: 1 },
      data: r.items,
    })),
  });
}

/** Horizontal bars of customers per category: items [{ name, code, value }]. */
export function barsOption({ items, seriesName, fmtInt }) {
  return base({
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
    grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', axisLabel: { ...AXIS, formatter: (v) => fmtInt(v) }, splitLine: SPLIT },
    yAxis: { type: 'category', inverse: true, data: items.map((x) => x.name), axisTick: { show: false }, axisLabel: { color: '#2b3242', fontSize: 12 } },
    series: [{
      name: seriesName, type: 'bar', cursor: 'pointer', barMaxWidth: 18,
      data: items.map((x) => ({ value: x.value, code: x.code })),
      itemStyle: { color: COLORS.customers, borderRadius: [0, 3, 3, 0] },
      label: { show: true, position: 'right', fontSize: 11, color: '#2b3242', formatter: (p) => fmtInt(p.value) },
    }],
  });
}

/** Stacked horizontal bars: categories [{ name, code }], stacks [{ name, code, data: number[] }]. */
export function stackedOption({ categories, stacks, fmtInt }) {
  return base({
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
    legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 12 } },
    grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
    xAxis: { type: 'value', axisLabel: { ...AXIS, formatter: (v) => fmtInt(v) }, splitLine: SPLIT },
    yAxis: { type: 'category', inverse: true, data: categories.map((c) => c.name), axisTick: { show: false }, axisLabel: { color: '#2b3242', fontSize: 12 } },
    series: stacks.map((s) => ({
      name: s.name, type: 'bar', stack: 'risk', cursor: 'pointer', barMaxWidth: 18, data: s.data,
      itemStyle: { color: RISK_COLORS[s.code] },
    })),
  });
}

/** Revenue (bars, left axis) and active / new customers (lines, right axis) per month. */
export function monthlyOption({ months, revenue, active, fresh, names, fmtInt, fmtShort }) {
  const series = [];
  if (revenue) {
    series.push({ name: names.revenue, type: 'bar', data: revenue, yAxisIndex: 0, itemStyle: { color: '#f2b36b', borderRadius: [2, 2, 0, 0] }, barMaxWidth: 22 });
  }
  series.push(
    { name: names.active, type: 'line', data: active, yAxisIndex: revenue ? 1 : 0, showSymbol: months.length <= 36, symbolSize: 5, lineStyle: { width: 2.2, color: COLORS.customers }, itemStyle: { color: COLORS.customers } },
    { name: names.fresh, type: 'line', data: fresh, yAxisIndex: revenue ? 1 : 0, showSymbol: false, lineStyle: { width: 1.5, type: 'dashed', color: '#3f9d6d' }, itemStyle: { color: '#3f9d6d' } },
  );
  const yAxis = [];
  if (revenue) yAxis.push({ type: 'value', name: names.revenue, nameTextStyle: { ...AXIS, align: 'left' }, axisLabel: { ...AXIS, formatter: (v) => fmtShort(v) }, splitLine: SPLIT });
  yAxis.push({ type: 'value', name: names.customers, nameTextStyle: { ...AXIS, align: revenue ? 'right' : 'left' }, axisLabel: { ...AXIS, formatter: (v) => fmtInt(v) }, splitLine: revenue ? { show: false } : SPLIT });
  return base({
    tooltip: { trigger: 'axis', confine: true },
    legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 8, textStyle: { fontSize: 12 } },
    grid: { left: 8, right: 8, top: 56, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: months, axisLabel: { ...AXIS, hideOverlap: true }, axisTick: { alignWithLabel: true } },
    yAxis,
    series,
  });
}

/** Retention curves: one line per cohort, shares in % at months 0, 1, 2, … since the first purchase. */
export function cohortOption({ cohorts, months, xName, fmtPct }) {
  return base({
    tooltip: { trigger: 'axis', confine: true, valueFormatter: (v) => (v == null ? '—' : fmtPct(v / 100)) },
    legend: { type: 'scroll', top: 0, left: 0, right: 0, itemWidth: 14, itemHeight: 8, textStyle: { fontSize: 11 } },
    grid: { left: 8, right: 16, top: 34, bottom: 24, containLabel: true },
    xAxis: { type: 'category', data: months.map(String), name: xName, nameLocation: 'middle', nameGap: 24, nameTextStyle: { color: '#5b6477', fontSize: 12 }, axisLabel: AXIS, boundaryGap: false },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { ...AXIS, formatter: (v) => `${v}%` }, splitLine: SPLIT },
    // a click on a curve (its line or a point) picks the cohort
    series: cohorts.map((c) => ({ name: c.name, type: 'line', data: c.data, showSymbol: false, connectNulls: false, triggerLineEvent: true, cursor: 'pointer', lineStyle: { width: 1.6 } })),
  });
}

/** Actual against predicted over categories (the holdout check): two lines (type 'line') or two bar
 * series (type 'bar'); xName names the axis, fmt formats values. */
export function compareOption({ categories, actual, predicted, names, type, xName, fmt }) {
  const line = type === 'line';
  return base({
    tooltip: { trigger: 'axis', confine: true, valueFormatter: (v) => fmt(v) },
    legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 8, textStyle: { fontSize: 12 } },
    grid: { left: 8, right: 12, top: 30, bottom: 24, containLabel: true },
    xAxis: { type: 'category', data: categories, name: xName, nameLocation: 'middle', nameGap: 24, nameTextStyle: AXIS, axisLabel: { ...AXIS, hideOverlap: true } },
    yAxis: { type: 'value', axisLabel: { ...AXIS, formatter: (v) => fmt(v) }, splitLine: SPLIT },
    series: [
      { name: names.actual, type, data: actual, showSymbol: false, barMaxWidth: 18, itemStyle: { color: COLORS.customers }, lineStyle: { width: 2.2 } },
      { name: names.predicted, type, data: predicted, showSymbol: false, barMaxWidth: 18, itemStyle: { color: '#e8913a' }, lineStyle: { width: 2, type: line ? 'dashed' : 'solid' } },
    ],
  });
}
