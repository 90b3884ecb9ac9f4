// The purchase model card: the BG/NBD and Gamma-Gamma fits (beside the published ones for CDNOW), the
// churn method and the P(alive) histogram.

import { t, getLang, locale, message } from '../i18n.js';
import { chartsAvailable, drawChart, renderHistogramChart, showChartMessage, disposeChart } from '../charts.js';
import { $, h } from '../lib/dom.js';
import { el } from '../lib/elements.js';
import { isNum, fmtInt, fmtMoney, fmtNum, fmtFixed, fmtPct } from '../lib/format.js';
import { PUBLISHED_CDNOW } from '../lib/samples.js';
import { state } from '../lib/state.js';
import { hasAmount, modelFitted, modelKind, modelsPending, unitText } from '../lib/summary.js';
import { tableHead, spanRow } from '../lib/tables.js';
import { binFilters, emitFilter, onChartClick, setCard } from '../lib/chart-card.js';
import { renderHoldout } from './holdout.js';

/** The data table under the P(alive) histogram: customers per bin. */
function paliveTable(p) {
  const width = p ? (p.max - p.min) / p.counts.length : 0;
  setCard(el.paliveChart, 'palive', {
    title: t('paliveTitle'),
    hideTitle: true,
    available: chartsAvailable(),
    table: p && !p.error && {
      head: [[t('paliveX')], [t('colCustomers'), true]],
      rows: p.counts.map((n, i) => [{ text: `${fmtPct(p.min + i * width, 0)} – ${fmtPct(p.min + (i + 1) * width, 0)}`, filter: [binFilters('pAlive', p)[i]] }, { text: fmtInt(n), value: n }]),
    },
  });
}

/** The published fit to set beside this analysis: only for the CDNOW sample as of the published date. */
function publishedFor(s) {
  const p = PUBLISHED_CDNOW;
  if (state.result?.reference !== 'cdnow') return null;
  return s.analysisDate === p.analysisDate && s.model?.timeUnit === p.timeUnit ? p : null;
}

export function renderPalive() {
  const node = el.paliveChart;
  const p = state.result?.palive;
  paliveTable(p);
  if (!p) {
    node.dataset.state = 'loading';
    showChartMessage(node, t('paliveLoading'));
    return;
  }
  if (p.error || !chartsAvailable()) {
    node.dataset.state = 'error';
    showChartMessage(node, p.error || t('chartNoLib'));
    return;
  }
  node.dataset.state = 'done';
  node.dataset.total = String(p.counts.reduce((a, b) => a + b, 0));
  const d = { counts: p.counts, min: p.min, max: p.max, name: t('colCustomers'), xLabel: t('paliveX'), fmtInt, locale: locale() };
  // a bar: the customers whose P(alive) is in its bin (the last bin includes 100 %)
  const bins = binFilters('pAlive', p);
  drawChart(node, () => {
    renderHistogramChart(node, d);
    onChartClick(node, (e) => bins[e.dataIndex] && emitFilter([bins[e.dataIndex]]));
  });
}

/**
 * One parameter row: the fitted value and, beside a published fit, the published value and whether
 * the fitted one is within its tolerance (`rel`ative or `abs`olute).
 */
function paramRow(testid, labelKey, value, digits, pub, withPublished) {
  const fitted = h('td', { class: 'num', 'data-testid': `model-${testid}`, 'data-value': value, text: fmtFixed(value, digits) });
  const row = h('tr', { 'data-param': testid }, h('td', { text: t(labelKey) }), fitted);
  if (!withPublished) return row;
  if (!pub) {
    row.append(h('td'), h('td'));
    return row;
  }
  const diff = Math.abs(value - pub.value);
  const rel = diff / Math.abs(pub.value);
  const within = isNum(value) && (pub.rel != null ? rel <= pub.rel : diff <= pub.abs);
  const tol = pub.rel != null ? fmtPct(pub.rel, 2) : fmtNum(pub.abs, 4);
  fitted.dataset.within = String(within);
  row.append(
    h('td', { class: 'num', 'data-testid': `model-${testid}-published`, 'data-value': pub.value, text: fmtFixed(pub.value, pub.digits) }),
    h('td', {
      class: `num ${within ? 'match' : 'mismatch'}`,
      'data-testid': `model-${testid}-diff`,
      'data-within': String(within),
      title: t(within ? 'withinTolerance' : 'outsideTolerance', { tol }),
      text: `${within ? '✓' : '✗'} ${pub.rel != null ? fmtPct(rel, 3) : fmtNum(diff, 4)}`,
    }),
  );
  return row;
}

/** The parameter rows of each family: [summary key, i18n label]. */
const FAMILY_PARAMS = {
  bgnbd: [['r', 'paramR'], ['alpha', 'paramAlpha'], ['a', 'paramA'], ['b', 'paramB']],
  mbgnbd: [['r', 'paramR'], ['alpha', 'paramAlpha'], ['a', 'paramA'], ['b', 'paramB']],
  paretonbd: [['r', 'paramR'], ['alpha', 'paramAlpha'], ['s', 'paramS'], ['beta', 'paramBeta']],
};
const FAMILY_NAME = { bgnbd: 'BG/NBD', mbgnbd: 'MBG/NBD', paretonbd: 'Pareto/NBD' };
const FAMILY_TITLE = { bgnbd: 'modelGroupBgnbd', mbgnbd: 'modelGroupMbgnbd', paretonbd: 'modelGroupParetonbd' };

function modelTable(model, pub, money) {
  const table = $('#model-table');
  table.textContent = '';
  const kind = modelKind(model);
  const b = kind && model[kind];
  if (!b) return;
  const withPublished = Boolean(pub?.[kind]);
  const cols = [
    ['colParameter'],
    ['colFitted', 'num'],
    ...(withPublished ? [['colPublished', 'num'], ['colDifference', 'num']] : []),
  ];
  table.append(tableHead(cols));
  const body = h('tbody');
  const pb = pub?.[kind];
  body.append(
    spanRow(cols.length, t(FAMILY_TITLE[kind])),
    ...FAMILY_PARAMS[kind].map(([k, label]) => paramRow(`${kind}-${k}`, label, b[k], 4, pb?.[k], withPublished)),
    paramRow(`${kind}-ll`, 'paramLogLikelihood', b.logLikelihood, 2, pb?.logLikelihood, withPublished),
    h('tr', { 'data-param': `${kind}-converged` },
      h('td', { text: t('paramConverged') }),
      h('td', {
        class: 'num',
        'data-testid': `model-${kind}-converged`,
        'data-value': String(Boolean(b.converged)),
        text: t(b.converged ? 'convergedYes' : 'convergedNo', { n: fmtInt(b.iterations) }),
      }),
      withPublished && [h('td'), h('td')]),
  );
  // Gamma-Gamma only after a BG/NBD fit that was kept (a non-converged one has none).
  const g = model.gammaGamma;
  if (g) {
    body.append(spanRow(cols.length, t('modelGroupGg')));
    if (g.notFitted != null) {
      body.append(
        spanRow(cols.length, t('modelGgNotFitted', { reason: message(g.notFittedCode, g.notFitted) }), {
          class: 'note',
          'data-testid': 'model-gg-reason',
          'data-value': g.notFitted,
        }),
      );
    } else {
      const pg = pub?.gammaGamma;
      const mean = h('td', {
        class: 'num',
        'data-testid': 'model-gg-mean-spend',
        'data-value': g.populationMeanSpend,
        text: money ? fmtMoney(g.populationMeanSpend) : fmtNum(g.populationMeanSpend, 2),
      });
      body.append(
        paramRow('gg-p', 'paramP', g.p, 4, pg?.p, withPublished),
        paramRow('gg-q', 'paramQ', g.q, 4, pg?.q, withPublished),
        paramRow('gg-gamma', 'paramGamma', g.gamma, 4, pg?.gamma, withPublished),
        h('tr', null,
          h('td', { text: t('paramGgCustomers') }),
          h('td', { class: 'num', 'data-testid': 'model-gg-customers', 'data-value': g.customers, text: fmtInt(g.customers) }),
          withPublished && [h('td'), h('td')]),
        h('tr', null, h('td', { text: t('paramMeanSpend') }), mean, withPublished && [h('td'), h('td')]),
      );
    }
  }
  table.append(body);
}

/** How risk was decided (the core's coded method, with its bands, and which band set how many
 * customers' level) as sentences in the page's language. */
function riskText(method, coded, decided) {
  if (coded?.code === 'risk_by_model') {
    const { high, medium } = coded.params ?? {};
    const bands = t('riskModel', { high: fmtNum(Number(high), 2), medium: fmtNum(Number(medium), 2) });
    if (!decided || decided.rules == null) return bands;
    const n = (k) => fmtInt(decided[k] ?? 0);
    return `${bands} ${t('riskDecided', { rules: n('rules'), model: n('model'), both: n('both') })}`;
  }
  if (coded?.code === 'risk_by_rules') return t('riskRules');
  if (coded?.code === 'risk_pending') return t('riskPending');
  const m = message(coded, method);
  return m ? t('riskOther', { method: m }) : '';
}

export function renderModel(s) {
  const model = s.model || {};
  const section = $('#model-section');
  const fitted = modelFitted(s);
  const pub = fitted ? publishedFor(s) : null;
  const pending = modelsPending(s);
  section.dataset.state = fitted ? 'fitted' : pending ? 'pending' : model.notFitted != null ? 'notFitted' : 'none';
  section.dataset.reference = pub ? 'cdnow' : '';

  const lead = $('#model-lead');
  for (const [k, v] of Object.entries({
    customers: model.customers,
    repeatBuyers: model.repeatBuyers,
    timeUnit: model.timeUnit,
    horizon: model.horizon,
  })) {
    if (v == null) delete lead.dataset[k];
    else lead.dataset[k] = String(v);
  }
  const withSpend = model.gammaGamma && model.gammaGamma.notFitted == null;
  const kind = modelKind(model);
  section.dataset.kind = kind ?? '';
  lead.textContent = fitted
    ? t(withSpend ? 'modelLeadFitted' : 'modelLeadBgOnly', {
        model: FAMILY_NAME[kind] ?? kind,
        customers: fmtInt(model.customers),
        repeat: fmtInt(model.repeatBuyers),
        unit: unitText(model.timeUnit),
        horizon: fmtInt(model.horizon),
        months: fmtInt(model.clv?.months ?? 12),
        rate: fmtPct(model.clv?.discountRate ?? 0.01, 2),
      })
    : t(pending ? 'modelLeadPending' : 'modelLeadNotFitted');

  const reason = $('#model-reason');
  reason.hidden = model.notFitted == null;
  reason.dataset.value = model.notFitted ?? '';
  reason.textContent = model.notFitted == null ? '' : t('modelNotFitted', { reason: message(model.notFittedCode, model.notFitted) });
  reason.title = getLang() === 'zh' && model.notFitted != null ? String(model.notFitted) : '';

  modelTable(model, pub, hasAmount(s));
  // (only BG/NBD gives one-time buyers P(alive) = 1)
  $('#palive-note').hidden = kind != null && kind !== 'bgnbd';
  const auto = $('#model-auto');
  auto.hidden = !model.auto?.why;
  auto.textContent = model.auto?.why ? t('modelAutoWhy', { why: message(model.auto.whyCode, model.auto.why) }) : '';
  const risk = $('#model-risk');
  risk.textContent = riskText(s.churn?.method, s.churn?.methodCode, s.churn?.decidedBy);
  risk.dataset.value = s.churn?.method ?? '';
  for (const k of ['rules', 'model', 'both']) {
    const v = s.churn?.decidedBy?.[k];
    if (v == null) delete risk.dataset[k];
    else risk.dataset[k] = String(v);
  }

  const source = $('#model-source');
  source.textContent = '';
  source.hidden = !pub;
  if (pub) {
    const link = (href, key) => h('a', { href, target: '_blank', rel: 'noopener', text: t(key) });
    source.append(
      `${t('modelSourceCdnow')} `,
      link('data/cdnow/README.md', 'linkReadme'),
      ' · ',
      link('data/cdnow/LICENSE-lifetimes-MIT.txt', 'linkLicense'),
    );
  }

  $('#palive-box').hidden = !fitted;
  if (fitted) renderPalive();
  else disposeChart(el.paliveChart);
  renderHoldout(fitted ? s : null);
}
