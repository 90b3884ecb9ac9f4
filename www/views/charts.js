// The charts card (issue 11, item 6): R×F heatmap, segment treemap, grade donuts, lifecycle bars, churn
// risk by segment, revenue and customers per month, cohort retention curves and the CLV distribution,
// each in a chart card (lib/chart-card.js: PNG download, data table, drill-down click). The numbers
// come from the summary and from the worker's `aggregate` and `histogram` requests, asked once per
// analysis; a language or preset switch only draws again.

import { t, locale, label } from '../i18n.js';
import { chartInstance, chartsAvailable, drawChart, renderHistogramChart, showChartMessage, disposeChart } from '../charts.js';
import { binFilters, emitFilter, monthFilter, onAxisClick, onChartClick, setCard, setSwitch } from '../lib/chart-card.js';
import { barsOption, cohortOption, donutOption, heatmapOption, monthlyOption, stackedOption, treemapOption } from '../lib/chart-options.js';
import { $, h } from '../lib/dom.js';
import { engine } from '../lib/engine.js';
import { bound, current, withContext } from '../lib/context.js';
import { fmt, fmtInt, fmtMoney, fmtPctFixed, fmtShare, isNum } from '../lib/format.js';
import { scoreLabels } from '../lib/score-labels.js';
import { state } from '../lib/state.js';
import { displayLabel, entryName, hasAmount, modelFitted, modelsPending, nameMaps } from '../lib/summary.js';

/** The cards, in page order: name (test id, PNG name) and title key. */
const CARDS = [
  ['heatmap', 'chartsHeatmapTitle'],
  ['treemap', 'chartsTreemapTitle'],
  ['grades', 'chartsGradesTitle'],
  ['lifecycle', 'chartsLifecycleTitle'],
  ['risk', 'chartsRiskTitle'],
  ['monthly', 'chartsMonthlyTitle'],
  ['cohorts', 'chartsCohortsTitle'],
  ['clv', 'chartsClvTitle'],
];
const COHORT_LINES = 12; // the most recent cohorts drawn as curves
const COHORT_MONTHS = 24; // months since first purchase drawn
const SEGMENT_COLUMN = { rfm11: 'segmentRfm11', cn8: 'segmentCn8' };

const fmtShort = (v) => fmt(v, { notation: 'compact', maximumFractionDigits: 1 });

/** The chart box of card `name`, made on first use inside #chart-cards. */
function box(name) {
  let node = $(`[data-chart-box="${name}"]`);
  if (!node) {
    node = h('div', { class: 'chart chart-card-box', 'data-chart-box': name, 'data-testid': `chart-${name}` });
    $('#chart-cards').append(h('figure', { class: 'chart-card', 'data-card': name }, node));
  }
  return node;
}

/** Draw `option` in card `name` with its table and click handler, or say why there is no chart. */
function draw(name, titleKey, { option, table, click, axisClick, message, render, pending }) {
  const node = box(name);
  const available = chartsAvailable();
  setCard(node, name, { title: t(titleKey), table, available });
  if (message || !available) {
    // 'pending': waits for the models (an early result)
    node.dataset.state = pending ? 'pending' : message ? 'empty' : 'nolib';
    showChartMessage(node, message || t('chartNoLib'));
    return;
  }
  node.dataset.state = 'done';
  drawChart(node, () => {
    if (render) render(node);
    else chartInstance(node).setOption(option, true);
    onChartClick(node, click ?? null);
    onAxisClick(node, axisClick ?? null);
  });
}

// ───────────────────────── the charts ─────────────────────────

function heatmap(s, data) {
  const cp = s.cutPoints || {};
  const k = cp.r?.counts?.length ?? 0;
  const kf = cp.f?.counts?.length ?? 0;
  if (!data) return { message: t('chartsLoading') };
  if (data.error) return { message: data.error };
  if (!k || !kf) return { message: t('chartsNoData') };
  const money = hasAmount(s);
  const metric = money ? state.heatMetric : 'customers';
  const cell = new Map(data.groups.map((g) => [`${g.key[0]}:${g.key[1]}`, g]));
  const value = (r, f) => {
    const g = cell.get(`${r}:${f}`);
    return metric === 'revenue' ? Math.round((g?.sum ?? 0) * 100) / 100 : g?.customers ?? 0;
  };
  const cells = [];
  for (let r = 1; r <= k; r++) for (let f = 1; f <= kf; f++) cells.push([f - 1, r - 1, value(r, f)]);
  const rLabels = scoreLabels('R', cp.r, { reversed: true, integer: true }, fmtInt);
  const fLabels = scoreLabels('F', cp.f, { integer: true }, fmtInt);
  const fmtV = metric === 'revenue' ? fmtMoney : fmtInt;
  const seriesName = t(metric === 'revenue' ? 'colRevenue' : 'colCustomers');
  const rows = [];
  for (let r = k; r >= 1; r--) {
    rows.push([rLabels[r - 1], ...Array.from({ length: kf }, (_, i) => ({
      text: fmtV(value(r, i + 1)),
      value: value(r, i + 1),
      filter: [{ column: 'rScore', value: r }, { column: 'fScore', value: i + 1 }],
    }))]);
  }
  return {
    option: heatmapOption({
      cells, rLabels, fLabels, seriesName, fmt: fmtV, fmtShort: metric === 'revenue' ? fmtShort : fmtInt,
      rName: t('chartsHeatR'), fName: t('chartsHeatF', { unit: t(`chartsUnit_${s.options?.frequency ?? 'orders'}`) }),
      tip: t('chartsClickHint'),
    }),
    table: { head: [[t('chartsHeatCorner')], ...fLabels.map((x) => [x, true])], rows },
    click: (p) => {
      if (!Array.isArray(p.value)) return;
      emitFilter([{ column: 'rScore', value: p.value[1] + 1 }, { column: 'fScore', value: p.value[0] + 1 }]);
    },
  };
}

function treemap(s) {
  const preset = state.preset;
  const list = (s.segments?.[preset] || []).filter((x) => x.customers > 0);
  if (!list.length) return { message: t('chartSegmentsEmpty') };
  const items = list.map((x) => ({ name: entryName(x, preset), code: x.name, value: x.customers, share: x.share }));
  return {
    option: treemapOption({ items, seriesName: t('colCustomers'), fmt: (v, share) => `${fmtInt(v)} (${fmtShare(share)})` }),
    table: {
      head: [[t('colSegment')], [t('colCustomers'), true], [t('colShare'), true]],
      rows: items.map((x) => [{ text: x.name, filter: [{ column: SEGMENT_COLUMN[preset], value: x.code }] },
        { text: fmtInt(x.value), value: x.value }, { text: fmtShare(x.share), value: x.share }]),
    },
    click: (p) => p.data?.code && emitFilter([{ column: SEGMENT_COLUMN[preset], value: p.data.code }]),
  };
}

function grades(s) {
  const rings = [
    ['abc', 'gradeAbc', 'chartsGradeAbc'],
    ['ladder', 'gradeLadder', 'chartsGradeLadder'],
  ]
    .filter(([kind]) => Array.isArray(s.grades?.[kind]) && s.grades[kind].some((x) => x.customers))
    .map(([kind, column, key]) => ({
      name: t(key),
      column,
      items: s.grades[kind].map((x) => ({ name: entryName(x, kind), code: x.name, value: x.customers, share: x.share })),
    }));
  if (!rings.length) return { message: t('kpiNoAmount') };
  return {
    option: donutOption({ rings, fmt: (v, pct) => `${fmtInt(v)} (${fmtPctFixed(pct / 100)})`, pctText: (pct) => fmtPctFixed(pct / 100) }),
    table: {
      head: [[t('colGrade')], [t('chartsGradeKind')], [t('colCustomers'), true], [t('colShare'), true]],
      rows: rings.flatMap((r) => r.items.map((x) => [{ text: x.name, filter: [{ column: r.column, value: x.code }] }, r.name, { text: fmtInt(x.value), value: x.value }, { text: fmtShare(x.share), value: x.share }])),
    },
    click: (p) => {
      const ring = rings[p.seriesIndex];
      if (ring && p.data?.code) emitFilter([{ column: ring.column, value: p.data.code }]);
    },
  };
}

function lifecycle(s) {
  const list = Array.isArray(s.lifecycle) ? s.lifecycle : [];
  if (!list.length) return { message: t('chartsNoData') };
  const items = list.map((x) => ({ name: entryName(x, 'lifecycle'), code: x.name, value: x.customers, share: x.share }));
  return {
    option: barsOption({ items, seriesName: t('colCustomers'), fmtInt }),
    table: {
      head: [[t('colStage')], [t('colCustomers'), true], [t('colShare'), true]],
      rows: items.map((x) => [{ text: x.name, filter: [{ column: 'lifecycle', value: x.code }] },
        { text: fmtInt(x.value), value: x.value }, { text: fmtShare(x.share), value: x.share }]),
    },
    click: (p) => items[p.dataIndex] && emitFilter([{ column: 'lifecycle', value: items[p.dataIndex].code }]),
  };
}

function risk(s, data) {
  if (modelsPending(s)) return { message: t('modelsFitting'), pending: true };
  const preset = state.preset;
  const groups = data?.[preset];
  if (!data) return { message: t('chartsLoading') };
  if (data.error) return { message: data.error };
  // segments in the summary's order; those nobody is in are left out
  const map = nameMaps(s)[preset];
  const order = (s.segments?.[preset] || []).filter((x) => x.customers > 0).map((x) => x.name);
  const levels = ['high', 'medium', 'low'];
  const count = new Map((groups || []).map((g) => [`${g.key[0]}\u0000${g.key[1]}`, g.customers]));
  const categories = order.map((code) => ({ code, name: displayLabel(map, code, preset) }));
  if (!categories.length) return { message: t('chartSegmentsEmpty') };
  const stacks = levels.map((lv) => ({ code: lv, name: label('risk', lv), data: order.map((code) => count.get(`${code}\u0000${lv}`) ?? 0) }));
  return {
    option: stackedOption({ categories, stacks, fmtInt }),
    table: {
      head: [[t('colSegment')], ...stacks.map((x) => [x.name, true])],
      rows: categories.map((c, i) => [
        { text: c.name, filter: [{ column: SEGMENT_COLUMN[preset], value: c.code }] },
        ...stacks.map((x) => ({
          text: fmtInt(x.data[i]),
          value: x.data[i],
          filter: [{ column: SEGMENT_COLUMN[preset], value: c.code }, { column: 'risk', value: x.code }],
        })),
      ]),
    },
    click: (p) => {
      const c = categories[p.dataIndex];
      const lv = stacks[p.seriesIndex]?.code;
      if (c && lv) emitFilter([{ column: SEGMENT_COLUMN[preset], value: c.code }, { column: 'risk', value: lv }]);
    },
  };
}

function monthly(s) {
  const list = Array.isArray(s.kpis?.monthly) ? s.kpis.monthly : [];
  if (!list.length) return { message: t('chartsNoMonthly') };
  const money = hasAmount(s) && list.some((m) => isNum(m.revenue));
  const names = { revenue: t('colRevenue'), active: t('chartsActive'), fresh: t('chartsNew'), customers: t('colCustomers') };
  return {
    option: monthlyOption({
      months: list.map((m) => m.month),
      revenue: money ? list.map((m) => m.revenue) : null,
      active: list.map((m) => m.activeCustomers),
      fresh: list.map((m) => m.newCustomers),
      names, fmtInt, fmtShort,
    }),
    table: {
      head: [[t('chartsMonth')], ...(money ? [[names.revenue, true]] : []), [t('chartsOrders'), true], [names.active, true], [names.fresh, true]],
      rows: list.map((m) => [
        { text: m.month, filter: [monthFilter(m.month, 'new')] },
        ...(money ? [{ text: fmtMoney(m.revenue), value: m.revenue }] : []),
        { text: fmtInt(m.orders), value: m.orders },
        { text: fmtInt(m.activeCustomers), value: m.activeCustomers },
        { text: fmtInt(m.newCustomers), value: m.newCustomers },
      ]),
    },
    // a month: the customers whose first purchase is in it (its new customers)
    axisClick: (i) => list[i] && emitFilter([monthFilter(list[i].month, 'new')]),
  };
}

function cohorts(s) {
  const all = Array.isArray(s.kpis?.cohorts) ? s.kpis.cohorts : [];
  const shown = all.slice(-COHORT_LINES);
  if (!shown.length) return { message: t('cohortNone') };
  const months = Math.min(COHORT_MONTHS, shown.reduce((n, c) => Math.max(n, c.active?.length ?? 0), 0));
  const x = Array.from({ length: months }, (_, i) => i);
  const lines = shown.map((c) => ({
    name: c.month,
    data: x.map((m) => (isNum(c.active?.[m]) ? Math.round(c.active[m] * 10000) / 100 : null)),
  }));
  return {
    option: cohortOption({ cohorts: lines, months: x, xName: t('colMonthsSince'), fmtPct: (v) => fmtShare(v) }),
    table: {
      head: [[t('colCohort')], [t('colCustomers'), true], ...x.map((m) => [String(m), true])],
      rows: shown.map((c) => [{ text: c.month, filter: [monthFilter(c.month)] }, { text: fmtInt(c.customers), value: c.customers },
        ...x.map((m) => (isNum(c.active?.[m]) ? { text: fmtShare(c.active[m]), value: c.active[m] } : ''))]),
    },
    // a cohort's curve: its customers (first purchase in that month)
    click: (p) => lines[p.seriesIndex] && emitFilter([monthFilter(lines[p.seriesIndex].name)]),
  };
}

function clv(s, data) {
  if (modelsPending(s)) return { message: t('modelsFitting'), pending: true };
  if (!modelFitted(s) || s.model?.gammaGamma?.notFitted != null || !s.model?.gammaGamma) return { message: t('chartsClvNone') };
  if (!data) return { message: t('chartsLoading') };
  if (data.error) return { message: data.error };
  const width = (data.max - data.min) / data.counts.length;
  const edge = (i) => data.min + i * width;
  const bins = binFilters('predictedClv', data);
  const above = { column: 'predictedClv', min: data.max };
  return {
    render: (node) => renderHistogramChart(node, { counts: data.counts, min: data.min, max: data.max, name: t('colCustomers'), xLabel: t('chartsClvX'), fmtInt, locale: locale() }),
    table: {
      head: [[t('chartsClvX')], [t('colCustomers'), true]],
      rows: [
        ...data.counts.map((n, i) => [{ text: `${fmtMoney(edge(i))} – ${fmtMoney(edge(i + 1))}`, filter: [bins[i]] }, { text: fmtInt(n), value: n }]),
        ...(data.outside ? [[{ text: `> ${fmtMoney(data.max)}`, filter: [above] }, { text: fmtInt(data.outside), value: data.outside }]] : []),
      ],
    },
    click: (p) => bins[p.dataIndex] && emitFilter([bins[p.dataIndex]]),
  };
}

// ───────────────────────── data and drawing ─────────────────────────

/**
 * CLV in 20 bins from the lowest value to the 99th percentile (CLV has a long tail: over the whole
 * range nearly everyone is in the first bin); the customers above it are counted in `outside`. The
 * percentile is read off a first count in 1,000 bins (to one bin's width).
 */
async function clvHistogram(ask) {
  const fine = await ask({ type: 'histogram', column: 'predictedClv', bins: 1000 });
  if (fine.error || fine.min == null) return fine;
  const total = fine.counts.reduce((a, b) => a + b, 0);
  const width = (fine.max - fine.min) / fine.counts.length;
  let seen = 0;
  let top = fine.max;
  for (let i = 0; i < fine.counts.length; i++) {
    seen += fine.counts[i];
    if (seen >= 0.99 * total) {
      top = fine.min + (i + 1) * width;
      break;
    }
  }
  if (!(top > fine.min)) top = fine.max;
  return ask({ type: 'histogram', column: 'predictedClv', bins: 20, min: fine.min, max: top });
}

/** Ask the worker, once per analysis, for the groups and counts the charts need. */
async function load(result) {
  // the component drawing now (the workbench, or a single card with its own client's engine)
  const ctx = current();
  const worker = ctx.engine ?? engine;
  result.charts = { rf: null, risk: null, clv: null };
  const ask = (msg) => worker.call(msg).catch((e) => ({ error: e?.message || String(e) }));
  const [rf, rfm11, cn8] = await Promise.all([
    ask({ type: 'aggregate', by: ['rScore', 'fScore'], sum: 'monetary' }),
    ask({ type: 'aggregate', by: ['segmentRfm11', 'risk'] }),
    ask({ type: 'aggregate', by: ['segmentCn8', 'risk'] }),
  ]);
  const s = result.summary || {};
  const clvData = modelFitted(s) && s.model?.gammaGamma && s.model.gammaGamma.notFitted == null
    ? await clvHistogram(ask)
    : null;
  withContext(ctx, () => loaded(result, { rf, rfm11, cn8, clvData }));
}

function loaded(result, { rf, rfm11, cn8, clvData }) {
  if (state.result !== result) return; // replaced meanwhile
  result.charts = {
    rf: rf.error ? rf : { groups: rf.groups },
    risk: rfm11.error ? rfm11 : { rfm11: rfm11.groups, cn8: cn8.groups ?? [] },
    clv: clvData && (clvData.error ? clvData : { counts: clvData.counts, min: clvData.min, max: clvData.max, outside: clvData.outside }),
  };
  renderWorkbench();
}

/** Draw every chart card of the current analysis (asks for its data on the first call). */
export function renderWorkbench() {
  const result = state.result;
  if (!result || !$('#chart-cards')) return;
  if (!result.charts) load(result);
  const s = result.summary || {};
  const d = result.charts || {};
  const build = {
    heatmap: () => heatmap(s, d.rf),
    treemap: () => treemap(s),
    grades: () => grades(s),
    lifecycle: () => lifecycle(s),
    risk: () => risk(s, d.risk),
    monthly: () => monthly(s),
    cohorts: () => cohorts(s),
    clv: () => clv(s, d.clv),
  };
  // a single card component draws only its own (current().cards)
  const only = current().cards;
  const cards = only ? CARDS.filter(([name]) => only.includes(name)) : CARDS;
  for (const [name, key] of cards) {
    try {
      draw(name, key, build[name]());
    } catch (e) {
      draw(name, key, { message: e?.message || String(e) });
    }
  }
  const heat = box('heatmap');
  if (hasAmount(s)) {
    setSwitch(heat, 'heatmap', [{ value: 'customers', key: 'colCustomers' }, { value: 'revenue', key: 'colRevenue' }], state.heatMetric, (v) => {
      state.heatMetric = v;
      renderWorkbench();
    });
  } else setSwitch(heat, 'heatmap', [], null, () => {});
  cardsState(cards, Boolean(d.rf));
}

/**
 * #chart-cards' data-state: `done` once every card has its chart drawn (none queued, see drawChart) or
 * its message, and the aggregates are in; else `loading`.
 */
function cardsState(cards, aggregated) {
  const all = cards.map(([n]) => box(n));
  const ready = all.every((b) => b.dataset.state !== undefined && b.dataset.state !== 'pending' && b.dataset.drawing === undefined);
  const host = $('#chart-cards');
  host.dataset.state = ready && aggregated ? 'done' : 'loading';
  if (!host._drawnListener) {
    // a queued chart drawn later: the state again
    host._drawnListener = () => {
      const only = current().cards;
      cardsState(only ? CARDS.filter(([name]) => only.includes(name)) : CARDS, Boolean(state.result?.charts?.rf));
    };
    host.addEventListener('tierwise-chart-drawn', bound(host._drawnListener));
  }
}

/** Let go of the charts (the results are hidden). */
export function disposeWorkbench() {
  for (const [name] of CARDS) {
    const node = $(`[data-chart-box="${name}"]`);
    if (node) disposeChart(node);
  }
}
