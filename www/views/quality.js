// The data quality card: what was read, rejected and excluded, the detected formats and columns.

import { t, label, message } from '../i18n.js';
import { $, h, setValue } from '../lib/dom.js';
import { fmtInt } from '../lib/format.js';

function columnText(ref) {
  if (ref == null || ref === '') return null;
  if (typeof ref === 'number') return t('index', { i: ref });
  return String(ref);
}

function delimiterText(d) {
  switch (d) {
    case ',':
      return t('delimiterComma');
    case ';':
      return t('delimiterSemicolon');
    case '\t':
    case 'tab':
      return t('delimiterTab');
    case '|':
      return t('delimiterPipe');
    case 'whitespace':
      return t('delimiterWhitespace');
    default:
      return d == null ? '—' : String(d);
  }
}

export function renderQuality(s) {
  const input = s.input || {};
  const reasons = rejectionReasons(input.rejected || {});
  renderCounts(input, reasons);
  renderFormats(input, s.analysisDate);
  renderColumns(input.columns || {});
  renderModelLine(s.model || {});
  renderAmbiguous(input.dateFormat || {});
  renderRejected(reasons);
  renderWarnings(s.warnings, s.warningCodes);
}

/** The rejection reasons with at least one row, in the order rows are checked: [[reason, { count, examples }]]. */
function rejectionReasons(rejected) {
  const order = ['malformed_row', 'repeated_header', 'missing_customer', 'bad_date', 'bad_amount'];
  const rank = (r) => (order.includes(r) ? order.indexOf(r) : order.length);
  return Object.entries(rejected)
    .filter(([, v]) => v && v.count > 0)
    .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : 1));
}

/** Rows read, used, rejected and excluded (with the excluded rows by cause). */
function renderCounts(input, reasons) {
  setValue($('#dq-rows'), input.rows, fmtInt(input.rows));
  setValue($('#dq-used'), input.used, fmtInt(input.used));
  const rejectedTotal = reasons.reduce((n, [, v]) => n + (v.count || 0), 0);
  setValue($('#dq-rejected'), rejectedTotal, fmtInt(rejectedTotal));

  const ex = input.excluded || {};
  const exAfter = ex.afterAnalysisDate || 0;
  const exIgnored = ex.ignoredReturns || 0;
  const exNoPurchase = ex.returnsWithoutPurchase || 0;
  const exTotal = exAfter + exIgnored + exNoPurchase;
  const exNode = $('#dq-excluded');
  setValue(exNode, exTotal, fmtInt(exTotal));
  const parts = [
    ['dq-excluded-after', exAfter, 'dqExcludedAfter'],
    ['dq-excluded-ignored', exIgnored, 'dqExcludedIgnored'],
    ['dq-excluded-no-purchase', exNoPurchase, 'dqExcludedNoPurchase'],
  ].filter(([, n]) => n > 0);
  for (const [id, n, key] of parts) {
    exNode.append(
      h('span', { class: 'sub', id, 'data-testid': id, 'data-value': n }, `${fmtInt(n)} ${t(key)}`),
    );
  }
}

/** The sheet read and the workbook's sheets, for a workbook (input.workbook). */
function renderWorkbook(wb) {
  $('#dq-workbook-row').hidden = !wb;
  const node = $('#dq-workbook');
  node.textContent = '';
  node.dataset.value = wb ? wb.sheet : '';
  if (!wb) return;
  node.append(h('code', { text: wb.sheet }));
  const all = (wb.sheets || []).map((s) => `"${s}"`).join(', ');
  node.append(h('span', { class: 'sub', text: t('dqWorkbookSheets', { format: wb.format, sheets: all }) }));
}

/** Encoding, delimiter, header, date format and analysis date. */
function renderFormats(input, analysisDate) {
  renderWorkbook(input.workbook);
  $('#dq-encoding').textContent = input.encoding ?? '—';
  $('#dq-encoding').dataset.value = input.encoding ?? '';
  $('#dq-delimiter').textContent = delimiterText(input.delimiter);
  $('#dq-delimiter').dataset.value = input.delimiter ?? '';
  // a header below title rows is named by its row (title rows are listed in the warnings)
  $('#dq-header').textContent =
    input.header == null ? '—' : !input.header ? t('no') : input.headerRow > 1 ? t('dqHeaderRow', { row: input.headerRow }) : t('yes');
  $('#dq-header').dataset.value = input.header == null ? '' : String(Boolean(input.header));

  const df = input.dateFormat || {};
  const dfNode = $('#dq-date-format');
  dfNode.textContent = '';
  dfNode.dataset.value = df.format ?? '';
  dfNode.append(h('code', { text: df.format ?? '—' }));
  if (df.ambiguous && df.order) dfNode.append(h('span', { class: 'sub', text: String(df.order) }));
  setValue($('#dq-analysis-date'), analysisDate, analysisDate ?? '—');
}

/** The column mapping: which column plays which role. */
function renderColumns(cols) {
  const colNode = $('#dq-columns');
  colNode.textContent = '';
  const roles = [
    ['customer', 'roleCustomer'],
    ['date', 'roleDate'],
    ['amount', 'roleAmount'],
    ['quantity', 'roleQuantity'],
    ['unitPrice', 'roleUnitPrice'],
    ['order', 'roleOrder'],
    ['category', 'roleCategory'],
  ];
  const wrap = h('div', { class: 'col-map' });
  for (const [role, key] of roles) {
    const text = columnText(cols[role]);
    if (text == null) continue;
    wrap.append(h('span', { class: 'chip role', 'data-role': role }, `${t(key)} → `, h('b', { text })));
  }
  const signals = Array.isArray(cols.signals) ? cols.signals.map(columnText).filter(Boolean) : [];
  if (signals.length) {
    wrap.append(h('span', { class: 'chip role', 'data-role': 'signals' }, `${t('roleSignals')} → `, h('b', { text: signals.join(', ') })));
  }
  colNode.append(wrap);
}

/** The purchase model in one line (its parameters are in the model card). */
function renderModelLine(model) {
  const modelNode = $('#dq-model');
  if (model.notFitted != null) {
    modelNode.textContent = t('dqModelNotFitted', { reason: message(model.notFittedCode, model.notFitted) });
  } else if (model.bgnbd) {
    modelNode.textContent = t('dqModelFitted', {
      customers: fmtInt(model.customers),
      repeat: fmtInt(model.repeatBuyers),
    });
  } else {
    modelNode.textContent = '—';
  }
}

/** The note on ambiguous dates (shown only when the date order had to be guessed). */
function renderAmbiguous(df) {
  const amb = $('#dq-ambiguous');
  if (df.ambiguous) {
    const samples = Array.isArray(df.samples) ? df.samples.slice(0, 3).join(', ') : '';
    const orderKey = { mdy: 'optDateOrderMdy', dmy: 'optDateOrderDmy', ymd: 'optDateOrderYmd' }[df.order];
    amb.textContent = t('dqAmbiguous', { samples, order: orderKey ? t(orderKey) : (df.order ?? '') });
    amb.hidden = false;
  } else {
    amb.hidden = true;
  }
}

/** Rejected rows by reason, with the first examples. */
function renderRejected(reasons) {
  const detail = $('#dq-rejected-detail');
  detail.textContent = '';
  if (!reasons.length) return;
  const table = h('table', { class: 'data-table compact', 'data-testid': 'dq-rejected-table' });
  table.append(
    h('thead', null, h('tr', null,
      h('th', { scope: 'col', text: t('dqReason') }),
      h('th', { scope: 'col', class: 'num', text: t('dqCount') }),
      h('th', { scope: 'col', text: t('dqExamples') }))),
  );
  const body = h('tbody');
  for (const [reason, info] of reasons) {
    const examples = (info.examples || []).slice(0, 3).map((x) =>
      h('div', { class: 'mono small', title: message(x.messageCode, x.message) || null }, t('dqExample', {
        row: x.row ?? '?',
        column: columnText(x.column) ?? '—',
        value: JSON.stringify(x.value ?? ''),
      })),
    );
    body.append(
      h('tr', { 'data-reason': reason },
        h('td', { text: label('reason', reason) }),
        h('td', { class: 'num', 'data-value': info.count, text: fmtInt(info.count) }),
        h('td', null, examples)),
    );
  }
  table.append(body);
  detail.append(h('div', { class: 'table-scroll rejects' }, table));
}

/** The core's warnings, if any, in the page's language (from their codes; the English text as given
 *  when a warning has no code). */
function renderWarnings(list, codes) {
  const warnNode = $('#dq-warnings');
  warnNode.textContent = '';
  const texts = Array.isArray(list) ? list : [];
  const warnings = texts.map((w, i) => message(codes?.[i], w)).filter(Boolean);
  if (warnings.length) {
    warnNode.append(h('strong', { text: t('dqWarnings') }), h('ul', null, warnings.map((w) => h('li', { text: String(w) }))));
    warnNode.hidden = false;
  } else {
    warnNode.hidden = true;
  }
}
