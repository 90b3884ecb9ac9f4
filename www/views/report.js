// The report: a head over the results (file, analysis date, when, by which version) with "Report view"
// and "Print / PDF", the options used (shown in the report only), and the print layout. The print
// stylesheet (styles/report.css) applies to any printing, Ctrl+P included; the report view shows the same
// layout on screen. Charts are drawn on canvases of a fixed pixel size, so before printing they are
// redrawn at the width of an A4 page and given back their size afterwards.

import { t, getLang, locale } from '../i18n.js';
import { $, $$, h } from '../lib/dom.js';
import { state } from '../lib/state.js';
import { echartsLib } from '../lib/echarts.js';
import { flushCharts } from '../charts.js';

/** Printable width of an A4 page with the 14 mm margins of styles/report.css, in CSS pixels. */
const A4_CONTENT_PX = Math.floor(((210 - 2 * 14) / 25.4) * 96);
const PRINT_CHART_HEIGHT = 300;

/** `options` flattened to [["rfm.bins", "5"], …] in the object's order; arrays and objects as JSON. */
export function flattenOptions(options, prefix = '') {
  const rows = [];
  for (const [key, value] of Object.entries(options ?? {})) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length) {
      rows.push(...flattenOptions(value, name));
    } else {
      rows.push([name, value === null ? '—' : typeof value === 'string' ? value : JSON.stringify(value)]);
    }
  }
  return rows;
}

export function renderReport() {
  const s = state.result?.summary || {};
  const meta = $('#report-meta');
  const when = new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date());
  meta.textContent = t('reportMeta', {
    file: state.source?.name ?? '—',
    date: s.analysisDate ?? '—',
    when,
    version: state.version ?? '',
  });
  const table = $('#report-options-table');
  table.textContent = '';
  table.append(
    h('thead', null, h('tr', null, h('th', { scope: 'col', text: t('reportOption') }), h('th', { scope: 'col', text: t('reportValue') }))),
    h('tbody', null, flattenOptions(s.options).map(([k, v]) => h('tr', null, h('td', { class: 'mono', text: k }), h('td', { class: 'mono', text: v })))),
  );
  $('#report-view').textContent = t(reportMode() ? 'reportBack' : 'reportView');
}

const charts = () =>
  $$('.chart')
    .map((node) => echartsLib()?.getInstanceByDom?.(node))
    .filter(Boolean);

let printing = false;

/** Redraws every chart at the printed page's width (the canvases keep their pixel size otherwise). */
function beforePrint() {
  if (printing) return;
  printing = true;
  flushCharts(); // charts still queued off screen (drawChart) are drawn before the page is printed
  for (const c of charts()) c.resize({ width: A4_CONTENT_PX, height: PRINT_CHART_HEIGHT, animation: { duration: 0 } });
}

function afterPrint() {
  if (!printing) return;
  printing = false;
  for (const c of charts()) c.resize({ width: 'auto', height: 'auto', animation: { duration: 0 } });
}

/** Whether the on-screen report view is on. */
const reportMode = () => Boolean($('.tw-root')?.classList.contains('report-mode'));

/** Switches the on-screen report view on or off. */
export function setReportView(on) {
  $('.tw-root').classList.toggle('report-mode', on);
  $('#report-view').setAttribute('aria-pressed', String(on));
  $('#report-view').textContent = t(on ? 'reportBack' : 'reportView');
  if (on) beforePrint();
  else afterPrint();
  $('.tw-root')?.scrollIntoView?.({ block: 'start' }); // the workbench's top, not the host page's
}

export function initReport() {
  $('#report-view').addEventListener('click', () => setReportView(!reportMode()));
  $('#report-print').addEventListener('click', () => {
    beforePrint();
    window.print();
  });
  window.addEventListener('beforeprint', beforePrint);
  window.addEventListener('afterprint', () => {
    if (!reportMode()) afterPrint();
  });
  // Headless printing (and some browsers) switch the media without the print events.
  window.matchMedia?.('print').addEventListener?.('change', (ev) => (ev.matches ? beforePrint() : afterPrint()));
}
