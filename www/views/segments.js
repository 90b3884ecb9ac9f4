// The customer segments card: the segment chart, the Pareto curve beside it and the segment table, for
// the preset chosen (RFM 11 or 8 classes).

import { t, getLang, locale } from '../i18n.js';
import { chartsAvailable, drawChart, renderSegmentChart, renderParetoChart, showChartMessage } from '../charts.js';
import { $, h } from '../lib/dom.js';
import { el } from '../lib/elements.js';
import { fmtInt, fmtMoney, fmtNum, fmtShare } from '../lib/format.js';
import { state } from '../lib/state.js';
import { hasAmount, entryName } from '../lib/summary.js';
import { nameCell, tableHead } from '../lib/tables.js';
import { emitFilter, onChartClick, setCard } from '../lib/chart-card.js';

const SEGMENT_COLUMN = { rfm11: 'segmentRfm11', cn8: 'segmentCn8' };

/** The data tables under the segment and Pareto charts (the same numbers as the bars and the curve). */
function cardTables(s, segs, money, available) {
  setCard(el.segmentChart, 'segments', {
    title: t('sectionSegments'),
    hideTitle: true,
    available,
    table: {
      head: [[t('colSegment')], [t('colCustomers'), true], [t('colShare'), true], ...(money ? [[t('colRevenueShare'), true]] : [])],
      rows: segs.map((x) => [entryName(x), { text: fmtInt(x.customers), value: x.customers }, { text: fmtShare(x.share), value: x.share },
        ...(money ? [{ text: fmtShare(x.revenueShare), value: x.revenueShare }] : [])]),
    },
  });
  const pts = money && Array.isArray(s.pareto?.points) ? s.pareto.points : [];
  setCard(el.paretoChart, 'pareto', {
    title: t('sectionPareto'),
    hideTitle: true,
    available,
    table: {
      head: [[t('paretoX'), true], [t('paretoY'), true]],
      rows: pts.map(([x, y]) => [{ text: fmtShare(x), value: x }, { text: fmtShare(y), value: y }]),
    },
  });
}

function segmentList(s) {
  const list = s.segments?.[state.preset];
  return Array.isArray(list) ? list : [];
}

export function renderCharts(s) {
  const segs = segmentList(s);
  cardTables(s, segs, hasAmount(s), chartsAvailable());
  if (!chartsAvailable()) {
    showChartMessage(el.segmentChart, t('chartNoLib'));
    showChartMessage(el.paretoChart, t('chartNoLib'));
    return;
  }
  const money = hasAmount(s);
  if (!segs.length || segs.every((x) => !x.customers)) {
    showChartMessage(el.segmentChart, t('chartSegmentsEmpty'));
  } else {
    const preset = state.preset;
    const chartEl = el.segmentChart;
    const rows = segs.map((x) => ({
      label: entryName(x),
      customers: x.customers,
      share: x.share,
      revenue: x.revenue,
      revenueShare: x.revenueShare,
    }));
    const lang = locale();
    drawChart(chartEl, () => {
      renderSegmentChart(chartEl, { rows, hasRevenue: money, text: t, fmtInt, fmtMoney, locale: lang });
      onChartClick(chartEl, (p) => {
        const x = segs[p.dataIndex];
        if (x) emitFilter([{ column: SEGMENT_COLUMN[preset], value: x.name }]);
      });
    });
  }
  const pts = s.pareto?.points;
  if (money && Array.isArray(pts) && pts.length > 1) {
    const chartEl = el.paretoChart;
    const d = { points: pts, customerShareFor80: s.pareto.customerShareFor80, text: t, locale: locale() };
    drawChart(chartEl, () => renderParetoChart(chartEl, d));
  } else {
    showChartMessage(el.paretoChart, t('kpiNoAmount'));
  }
}

export function renderSegmentTable(s) {
  const table = $('#segment-table');
  table.textContent = '';
  const money = hasAmount(s);
  const cols = [
    ['colSegment'],
    ['colCustomers', 'num'],
    ['colShare', 'num'],
    ...(money ? [['colRevenue', 'num'], ['colRevenueShare', 'num']] : []),
    ['colAvgRecency', 'num'],
    ['colAvgFrequency', 'num'],
    ...(money ? [['colAvgMonetary', 'num']] : []),
    ['colAction'],
  ];
  table.append(tableHead(cols));
  const body = h('tbody');
  for (const x of segmentList(s)) {
    const action = getLang() === 'zh' ? x.actionZh || x.action : x.action || x.actionZh;
    body.append(
      h('tr', { class: x.customers ? null : 'empty', 'data-segment': x.name },
        nameCell(entryName(x), state.preset === 'cn8' ? 'segmentCn8' : 'segmentRfm11', x.name, x.customers, { class: 'nowrap' }),
        h('td', { class: 'num', 'data-value': x.customers, text: fmtInt(x.customers) }),
        h('td', { class: 'num', text: fmtShare(x.share) }),
        money && h('td', { class: 'num', text: fmtMoney(x.revenue) }),
        money && h('td', { class: 'num', text: fmtShare(x.revenueShare) }),
        h('td', { class: 'num', text: x.customers ? fmtNum(x.avgRecency, 1) : '—' }),
        h('td', { class: 'num', text: x.customers ? fmtNum(x.avgFrequency, 2) : '—' }),
        money && h('td', { class: 'num', text: x.customers ? fmtMoney(x.avgMonetary) : '—' }),
        h('td', { class: 'action', text: action ?? '' })),
    );
  }
  table.append(body);
}
