// The quarterly review panel (docs/compare.md): an earlier date (default: the end of the previous
// quarter), a Run button sending the worker's `compare` request, and its results: the grade and segment
// transitions as a sankey and a matrix each, who moved up and down, upgrade candidates with their trigger
// and three quarters' spend, downgrade warnings, and the review's CSV export.

import { t, getLang, message } from '../i18n.js';
import { chartsAvailable, disposeChart, showChartMessage } from '../charts.js';
import { $, h } from '../lib/dom.js';
import { emitFilter } from '../lib/events.js';
import { engine } from '../lib/engine.js';
import { setBusy, updateControls } from '../lib/controls.js';
import { fmtInt, fmtMoney } from '../lib/format.js';
import { previousQuarterEnd } from '../lib/quarters.js';
import { reviewCsv, triggerText } from '../lib/review-rows.js';
import { state } from '../lib/state.js';
import { nameMaps, displayLabel } from '../lib/summary.js';
import { echartsLib } from '../lib/echarts.js';
import { downloadBlob } from '../lib/download.js';

const LIST_LIMIT = 50; // rows shown per list; the export has them all
const ABSENT = '—';

// { result: the state.result it belongs to, comparison, running: { cancel } | null, progress, error,
//   grade: 'ladder' | 'abc', segment: 'rfm11' | 'cn8', from }
const review = { result: null, comparison: null, running: null, progress: null, error: null, grade: 'ladder', segment: 'rfm11', from: '' };

/** Name of a label of the comparison (`kind`: ladder, abc, rfm11, cn8) in the page's language. */
function nameOf(kind, value) {
  if (value === ABSENT) return t('reviewAbsent');
  const maps = nameMaps(state.result?.summary || {});
  return displayLabel(maps[kind], value, kind === 'ladder' ? null : kind);
}

function section() {
  return $('#review-section');
}

/** Forget a comparison of an older analysis. */
function sync() {
  if (review.result !== state.result) {
    review.result = state.result;
    review.comparison = null;
    review.error = null;
    review.progress = null;
    review.from = '';
  }
}

function toggle(name, options, current, onPick) {
  return h('div', { class: 'seg-toggle review-toggle', role: 'group', 'data-testid': `review-${name}-toggle` },
    options.map(([value, key]) => {
      const b = h('button', { type: 'button', 'aria-pressed': String(value === current), 'data-kind': value, text: t(key) });
      b.addEventListener('click', () => onPick(value));
      return b;
    }));
}

// the core's column of each transition kind, for the drill-down event (explore's listener)
const COLUMN = { ladder: 'gradeLadder', abc: 'gradeAbc', rfm11: 'segmentRfm11', cn8: 'segmentCn8' };

/** Lists the customers now (on the later date) in grade or segment `l` of `kind`. */
function drillTo(kind, l) {
  emitFilter([{ column: COLUMN[kind], value: l }], 'replace');
}

/** A later-date column header; clicking it shows the customers now in that grade or segment. */
function drillHeader(kind, l) {
  const text = l === ABSENT ? ABSENT : nameOf(kind, l);
  if (l === ABSENT) return h('th', { scope: 'col', class: 'num', 'data-label': l, title: nameOf(kind, l), text });
  const th = h('th', { scope: 'col', class: 'num review-drill', 'data-label': l, tabindex: 0, title: t('reviewDrillHint', { label: text }), text });
  const emit = () => drillTo(kind, l);
  th.addEventListener('click', emit);
  th.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      emit();
    }
  });
  return th;
}

/** The matrix table of one transition (rows: earlier date, columns: later date). */
function matrixTable(tr, kind, c, testid) {
  const labels = tr.labels;
  const table = h('table', { class: 'data-table compact review-matrix', 'data-testid': testid, 'data-kind': kind });
  table.append(h('caption', { class: 'muted small', text: `${t('reviewMatrixCaption', { from: c.from, to: c.to })} ${t('reviewAbsentNote')}` }));
  table.append(h('thead', null, h('tr', null,
    h('th', { scope: 'col', text: t('reviewMatrixCorner') }),
    labels.map((l) => drillHeader(kind, l)))));
  const body = h('tbody');
  labels.forEach((from, i) => {
    body.append(h('tr', { 'data-from': from },
      h('th', { scope: 'row', text: nameOf(kind, from) }),
      labels.map((to, j) => {
        const n = tr.counts[i]?.[j] ?? 0;
        const cls = ['num', i === j ? 'diag' : null, n === 0 ? 'zero' : null].filter(Boolean).join(' ');
        return h('td', { class: cls, 'data-from': from, 'data-to': to, 'data-value': n, text: fmtInt(n) });
      })));
  });
  table.append(body);
  return table;
}

/** The sankey of one transition: earlier labels on the left, later ones on the right. */
function drawSankey(el, tr, kind, c) {
  if (!chartsAvailable()) {
    showChartMessage(el, t('chartNoLib'));
    return;
  }
  const ec = echartsLib();
  let chart = ec.getInstanceByDom(el);
  if (!chart) {
    el.textContent = '';
    chart = ec.init(el, null, { renderer: 'canvas' });
  }
  const used = new Set();
  const links = [];
  tr.labels.forEach((from, i) => {
    tr.labels.forEach((to, j) => {
      const n = tr.counts[i]?.[j] ?? 0;
      if (!n) return;
      links.push({ source: `a${i}`, target: `b${j}`, value: n, fromLabel: from, toLabel: to });
      used.add(`a${i}`);
      used.add(`b${j}`);
    });
  });
  const nodes = [];
  tr.labels.forEach((l, i) => {
    const display = nameOf(kind, l);
    if (used.has(`a${i}`)) nodes.push({ name: `a${i}`, display: t('reviewFromSide', { label: display, date: c.from }), short: display, depth: 0 });
    if (used.has(`b${i}`)) {
      nodes.push({ name: `b${i}`, display: t('reviewFromSide', { label: display, date: c.to }), short: display, depth: 1, label: { position: 'left' } });
    }
  });
  el.dataset.links = String(links.length);
  el.dataset.flow = String(links.reduce((n, l) => n + l.value, 0));
  chart.setOption(
    {
      animation: false,
      title: { text: t('reviewSankeyTitle', { from: c.from, to: c.to }), left: 'center', top: 0, textStyle: { fontSize: 12, fontWeight: 'normal' } },
      tooltip: {
        trigger: 'item',
        formatter: (p) =>
          p.dataType === 'edge'
            ? `${nameOf(kind, p.data.fromLabel)} → ${nameOf(kind, p.data.toLabel)}: ${fmtInt(p.data.value)}`
            : `${p.data.display}: ${fmtInt(p.value)}`,
      },
      series: [
        {
          type: 'sankey',
          top: 28,
          bottom: 8,
          left: 8,
          right: 8,
          nodeAlign: 'justify',
          layoutIterations: 0,
          emphasis: { focus: 'adjacency' },
          label: { formatter: (p) => p.data.short, fontSize: 11 },
          lineStyle: { color: 'gradient', opacity: 0.35 },
          data: nodes,
          links,
        },
      ],
    },
    true,
  );
  // a later-date node, or a flow (by where it ends), lists the customers now in that grade or segment
  chart.off('click');
  chart.on('click', (p) => {
    const node = p.dataType === 'node' && /^b\d+$/.test(p.data?.name ?? '') ? tr.labels[Number(p.data.name.slice(1))] : null;
    const label = p.dataType === 'edge' ? p.data.toLabel : node;
    if (label && label !== ABSENT) drillTo(kind, label);
  });
}

function transitionBlock(titleKey, name, choices, current, c, onPick) {
  const kinds = choices.filter(([k]) => c[k]);
  const kind = c[current] ? current : kinds[0]?.[0];
  const block = h('div', { class: 'review-block', 'data-testid': `review-${name}` },
    h('div', { class: 'card-head' }, h('h3', { text: t(titleKey) }), kinds.length > 1 && toggle(name, kinds, kind, onPick)));
  if (!kind) {
    block.append(h('p', { class: 'muted', text: t('reviewNoData') }));
    return { block, draw: () => {} };
  }
  const chartEl = h('div', { class: 'chart review-sankey', 'data-testid': `review-${name}-sankey` });
  block.append(h('div', { class: 'review-pair' }, chartEl, h('div', { class: 'table-scroll' }, matrixTable(c[kind], kind, c, `review-${name}-matrix`))));
  return { block, draw: () => drawSankey(chartEl, c[kind], kind, c) };
}

function listTable(testid, titleKey, leadKey, head, rows) {
  const wide = head.length > 3; // the candidates' five columns take the whole width
  const box = h('div', { class: wide ? 'review-list review-wide' : 'review-list', 'data-testid': testid, 'data-count': rows.length },
    h('h3', null, t(titleKey), ' ', h('span', { class: 'review-count', text: `(${fmtInt(rows.length)})` })));
  if (leadKey) box.append(h('p', { class: 'muted small', text: t(leadKey) }));
  if (!rows.length) {
    box.append(h('p', { class: 'muted', text: t('reviewEmpty') }));
    return box;
  }
  const table = h('table', { class: 'data-table compact' },
    h('thead', null, h('tr', null, head.map(([key, cls]) => h('th', { scope: 'col', class: cls, text: t(key) })))));
  const body = h('tbody');
  for (const r of rows.slice(0, LIST_LIMIT)) {
    body.append(h('tr', { 'data-customer': r[0] }, r.map((v, i) => h('td', { class: head[i][1], text: v }))));
  }
  table.append(body);
  box.append(h('div', { class: 'table-scroll' }, table));
  if (rows.length > LIST_LIMIT) box.append(h('p', { class: 'muted small', text: t('reviewMore', { count: fmtInt(rows.length - LIST_LIMIT) }) }));
  return box;
}

function lists(c) {
  const gradeKind = c.ladder && c.ladder.labels.length > 1 ? 'ladder' : 'abc';
  const move = (m) => [m.customerId, nameOf(gradeKind, m.from), nameOf(gradeKind, m.to)];
  const moveHead = [['reviewColCustomer'], ['reviewColFrom'], ['reviewColTo']];
  const q = (x) => (Number.isFinite(x) ? fmtMoney(x) : '—');
  const candidates = (c.upgradeCandidates || []).map((u) => [
    u.customerId,
    triggerText(u, t),
    ...(Array.isArray(u.quarters) ? u.quarters.map(q) : ['—', '—', '—']),
  ]);
  return h('div', { class: 'review-lists' },
    listTable('review-up', 'reviewMovedUp', null, moveHead, (c.movedUp || []).map(move)),
    listTable('review-down', 'reviewMovedDown', null, moveHead, (c.movedDown || []).map(move)),
    listTable('review-candidates', 'reviewCandidates', 'reviewCandidatesLead',
      [['reviewColCustomer'], ['reviewColDetail'], ['reviewColQ3', 'num'], ['reviewColQ2', 'num'], ['reviewColQ1', 'num']], candidates),
    listTable('review-warnings', 'reviewWarnings', 'reviewWarningsLead', [['reviewColCustomer'], ['reviewColDetail']],
      (c.downgradeWarnings || []).map((id) => [id, t('reviewWarningDetail')])));
}

function statusText() {
  if (review.running) {
    const p = review.progress;
    return p?.date ? t('reviewRunning', { date: p.date, step: p.step, steps: p.steps }) : t('reviewRunning', { date: review.from, step: 1, steps: '…' });
  }
  if (review.error) return t('reviewFailed', { message: review.error });
  const c = review.comparison;
  if (c) {
    return t('reviewDone', {
      from: c.from, to: c.to, up: fmtInt(c.movedUp.length), down: fmtInt(c.movedDown.length),
      candidates: fmtInt(c.upgradeCandidates.length), warnings: fmtInt(c.downgradeWarnings.length),
    });
  }
  return '';
}

/** Draws the panel for the current analysis (and its review, when one was run). */
export function renderReview() {
  const root = section();
  if (!root) return;
  sync();
  for (const el of root.querySelectorAll('.review-sankey')) disposeChart(el);
  root.textContent = '';
  const s = state.result?.summary;
  if (!s) return;
  const to = s.analysisDate;
  if (!review.from) review.from = previousQuarterEnd(to);

  const input = h('input', { type: 'date', id: 'review-from', 'data-testid': 'review-from', value: review.from, max: to, title: t('reviewFromHint') });
  input.addEventListener('change', () => {
    review.from = input.value;
  });
  const run = h('button', { type: 'button', class: 'btn btn-primary', id: 'review-run', 'data-testid': 'review-run', text: t('reviewRun') });
  run.disabled = Boolean(review.running);
  run.addEventListener('click', () => runReview());
  const cancel = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'review-cancel', text: t('cancel'), hidden: !review.running });
  cancel.addEventListener('click', () => review.running?.cancel());
  const exp = h('button', { type: 'button', class: 'btn', id: 'review-export', 'data-testid': 'review-export', text: t('reviewExport') });
  exp.disabled = !review.comparison || Boolean(review.running);
  exp.addEventListener('click', () => exportReview());

  root.append(
    h('div', { class: 'card-head' },
      h('div', null, h('h2', { id: 'review-title', text: t('reviewTitle') }), h('p', { class: 'muted', text: t('reviewLead') }))),
    h('div', { class: 'review-controls' },
      h('label', null, h('span', { text: t('reviewFromLabel') }), input),
      h('span', { class: 'muted', 'data-testid': 'review-to', text: t('reviewToText', { to }) }),
      run, cancel, exp),
    h('p', { class: 'status review-status', 'data-testid': 'review-status', 'data-state': review.running ? 'running' : review.error ? 'error' : review.comparison ? 'done' : 'idle', role: 'status', text: statusText() }),
  );
  const c = review.comparison;
  if (!c) return;
  const grade = transitionBlock('reviewGradeTitle', 'grade', [['ladder', 'reviewLadder'], ['abc', 'reviewAbc']], review.grade, c, (k) => {
    review.grade = k;
    renderReview();
  });
  const seg = transitionBlock('reviewSegmentTitle', 'segment', [['rfm11', 'reviewRfm11'], ['cn8', 'reviewCn8']], review.segment, c, (k) => {
    review.segment = k;
    renderReview();
  });
  root.append(h('div', { class: 'review-transitions' }, grade.block, seg.block), lists(c));
  grade.draw();
  seg.draw();
}

/** Sends the `compare` request for the date in the input. */
export async function runReview() {
  if (review.running || !state.result || state.busy || state.run) return;
  const result = state.result;
  const from = review.from;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from)) {
    review.error = t('reviewBadDate');
    renderReview();
    return;
  }
  review.error = null;
  review.comparison = null;
  review.progress = null;
  const { promise, cancel } = engine.request({ type: 'compare', from }, {
    onProgress: (p) => {
      review.progress = p;
      const st = section()?.querySelector('[data-testid=review-status]');
      if (st) st.textContent = statusText();
    },
  });
  review.running = { cancel };
  setBusy(true);
  renderReview();
  try {
    const res = await promise;
    if (state.result === result) review.comparison = res.comparison;
  } catch (e) {
    if (state.result === result && !e?.cancelled) {
      review.error = e?.code ? message({ code: e.code, params: e.params }, e.message) : e?.message || String(e);
    }
  } finally {
    review.running = null;
    review.progress = null;
    setBusy(false);
    updateControls();
    renderReview();
  }
}



/** The review CSV: one row per customer in any list, labels in the page's language. */
export function exportReview() {
  const c = review.comparison;
  if (!c) return;
  const text = reviewCsv(c, t, nameOf);
  downloadBlob(new Blob([text], { type: 'text/csv;charset=utf-8' }), `tierwise-review-${c.from}-${c.to}${getLang() === 'zh' ? '-zh' : ''}.csv`);
}

/** The comparison shown, if any (for the Excel export's status line). */
export function currentComparison() {
  sync();
  return review.comparison;
}
