// The holdout check in the model card (docs/models.md#holdout): a verdict in the page's language, the
// cumulative tracking curve (actual against predicted repeat purchases per period after the cut) and
// the conditional expectations by calibration purchases, as two charts and a table. Drawn from
// summary.model.holdout; hidden without a check.

import { t, message } from '../i18n.js';
import { chartInstance, chartsAvailable, disposeChart, drawChart, showChartMessage } from '../charts.js';
import { compareOption } from '../lib/chart-options.js';
import { $, h } from '../lib/dom.js';
import { fmtFixed, fmtInt, fmtNum } from '../lib/format.js';
import { tableHead } from '../lib/tables.js';
import { unitText } from '../lib/summary.js';

const FAMILY = { bgnbd: 'BG/NBD', mbgnbd: 'MBG/NBD', paretonbd: 'Pareto/NBD' };

function chart(node, option) {
  if (!chartsAvailable()) {
    showChartMessage(node, t('chartNoLib'));
    return;
  }
  drawChart(node, () => chartInstance(node).setOption(option, true));
}

/** Shows `summary.model.holdout` (or hides the box without one). */
export function renderHoldout(s) {
  const box = $('#holdout-box');
  const hc = s?.model?.holdout;
  const tracking = $('#holdout-tracking');
  const byX = $('#holdout-byx');
  const table = $('#holdout-table');
  box.hidden = !hc;
  table.textContent = '';
  const verdict = $('#holdout-verdict');
  const download = $('#holdout-export');
  download.hidden = !hc || hc.notComputed != null; // (wired in app.js: lib/run.js draws this view)
  if (!hc || hc.notComputed != null) {
    disposeChart(tracking);
    disposeChart(byX);
    tracking.hidden = byX.hidden = true;
    verdict.dataset.state = hc ? 'notComputed' : 'none';
    verdict.textContent = hc ? t('holdoutNotComputed', { reason: message(hc.notComputedCode, hc.notComputed) }) : '';
    return;
  }
  tracking.hidden = byX.hidden = false;
  verdict.dataset.state = 'done';
  verdict.dataset.errorPct = String(hc.totalErrorPct ?? '');
  verdict.dataset.mae = String(hc.mae);
  const err = hc.totalErrorPct;
  verdict.textContent = t(err == null ? 'holdoutVerdictNoActual' : Math.abs(err) <= 10 ? 'holdoutVerdictWithin' : 'holdoutVerdictOff', {
    model: FAMILY[hc.kind] ?? hc.kind,
    cut: hc.cut,
    periods: fmtInt(hc.periods),
    unit: unitText(hc.timeUnit),
    predicted: fmtNum(hc.predictedTotal, 0),
    actual: fmtInt(hc.actualTotal),
    error: err == null ? '–' : fmtFixed(Math.abs(err), 1),
    direction: err == null ? '' : t(err < 0 ? 'holdoutUnder' : 'holdoutOver'),
    mae: fmtFixed(hc.mae, 2),
    customers: fmtInt(hc.customers),
  });
  const names = { actual: t('holdoutActual'), predicted: t('holdoutPredicted') };
  const periods = hc.tracking.actual.map((_, i) => String(i + 1));
  chart(tracking, compareOption({
    categories: periods, actual: hc.tracking.actual, predicted: hc.tracking.predicted, names,
    type: 'line', xName: unitText(hc.timeUnit), fmt: (v) => fmtNum(v, 0),
  }));
  const rows = hc.byPurchases.filter((r) => r.customers > 0);
  chart(byX, compareOption({
    categories: rows.map((r) => r.x), actual: rows.map((r) => r.actual), predicted: rows.map((r) => r.predicted), names,
    type: 'bar', xName: t('holdoutX'), fmt: (v) => fmtNum(v, 2),
  }));
  table.append(
    tableHead([['holdoutX'], ['colCustomers', 'num'], ['holdoutActualMean', 'num'], ['holdoutPredictedMean', 'num']]),
    h('tbody', null, rows.map((r) => h('tr', { 'data-x': r.x },
      h('td', { text: r.x }),
      h('td', { class: 'num', text: fmtInt(r.customers), 'data-value': r.customers }),
      h('td', { class: 'num', text: fmtFixed(r.actual, 2), 'data-value': r.actual }),
      h('td', { class: 'num', text: fmtFixed(r.predicted, 2), 'data-value': r.predicted }),
    ))),
  );
}
