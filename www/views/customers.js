// The customers table: one page of customers with their scores, segments, grades and model values.

import { t, label } from '../i18n.js';
import { $, h } from '../lib/dom.js';
import { el } from '../lib/elements.js';
import { isNum, fmtInt, fmtMoney, fmtNum, fmtShare } from '../lib/format.js';
import { updateControls } from '../lib/controls.js';
import { state } from '../lib/state.js';
import { nameMaps, displayLabel, hasAmount, modelFitted, modelsPending, unitText } from '../lib/summary.js';

function scoreCell(v) {
  const td = h('td', { class: 'num' });
  if (v) td.append(h('span', { class: `score score-${Math.min(5, v)}`, text: String(v) }));
  return td;
}

/**
 * A model column cell (hidden with the model's columns when it was not fitted); NaN shows as —, and
 * "fitting…" while the models are pending (`pending`).
 */
function numCell(raw, text, pending) {
  if (pending) return h('td', { class: 'num col-model pending', 'data-value': '', 'data-pending': 'true', text: t('modelsFitting') });
  return h('td', { class: 'num col-model', 'data-value': isNum(raw) ? raw : '', text });
}

export function renderCustomerTable() {
  const body = el.customerTable.tBodies[0];
  body.textContent = '';
  const cols = state.page.columns || {};
  // the analysis' first page may hold more rows than the page size chosen
  const ids = (cols.customerId || []).slice(0, state.list.pageSize);
  const all = state.result?.customerCount ?? 0;
  const total = state.page.total ?? all;
  // the segment column follows the RFM 11 / 8 classes toggle
  const cn8 = state.preset === 'cn8';
  const segments = cn8 ? cols.segmentCn8 : cols.segmentRfm11;
  const s = state.result?.summary || {};
  // The model's three columns only when it was fitted: otherwise they would be empty on every row.
  const pending = modelsPending(s);
  el.customerTable.classList.toggle('no-model', !modelFitted(s) && !pending);
  if (s.model?.horizon != null) {
    $('#th-expected').title = t('thExpectedHint', { horizon: s.model.horizon, unit: unitText(s.model.timeUnit) });
  }
  const maps = nameMaps(s);
  const money = hasAmount(s);
  const frag = document.createDocumentFragment();
  for (let i = 0; i < ids.length; i++) {
    const flags = String(cols.churnFlags?.[i] ?? '').split('|').filter(Boolean);
    const m = cols.monetary?.[i];
    frag.append(
      h('tr', { 'data-testid': 'customer-row' },
        h('td', { class: 'id', text: ids[i] }),
        h('td', { text: cols.lastDate?.[i] ?? '' }),
        h('td', { class: 'num', text: fmtInt(cols.recencyDays?.[i]) }),
        h('td', { class: 'num', text: fmtNum(cols.frequency?.[i], 2) }),
        h('td', { class: 'num', text: money ? fmtMoney(m) : '—' }),
        scoreCell(cols.rScore?.[i]),
        scoreCell(cols.fScore?.[i]),
        scoreCell(cols.mScore?.[i]),
        h('td', { text: displayLabel(cn8 ? maps.cn8 : maps.rfm11, segments?.[i]) }),
        h('td', { text: displayLabel(maps.abc, cols.gradeAbc?.[i]) }),
        h('td', { text: displayLabel(maps.ladder, cols.gradeLadder?.[i]) }),
        h('td', { text: displayLabel(maps.lifecycle, cols.lifecycle?.[i], 'lifecycle') }),
        numCell(cols.pAlive?.[i], fmtShare(cols.pAlive?.[i]), pending),
        numCell(cols.expectedPurchases?.[i], fmtNum(cols.expectedPurchases?.[i], 2), pending),
        numCell(cols.predictedClv?.[i], money ? fmtMoney(cols.predictedClv?.[i]) : '—', pending),
        h('td', { class: 'flags' }, h('span', { class: 'chips' }, flags.map((f) => h('span', { class: 'chip flag', title: f, text: label('flag', f) }))))),
    );
  }
  body.append(frag);
  const from = ids.length ? state.page.offset + 1 : 0;
  const to = state.page.offset + ids.length;
  const filtered = state.list.filters.length > 0 || state.list.search !== '';
  let range = '';
  const nums = { from: fmtInt(from), to: fmtInt(to), total: fmtInt(total), all: fmtInt(all) };
  if (state.result && !filtered) range = t(state.list.sort ? 'exploreRange' : 'customersRange', nums);
  else if (state.result && total === 0) range = t('exploreRangeNone', { all: fmtInt(all) });
  else if (state.result) range = t('exploreRangeFiltered', nums);
  const rangeEl = $('#customer-range');
  rangeEl.textContent = range;
  rangeEl.dataset.total = String(total);
  rangeEl.dataset.from = String(from);
  rangeEl.dataset.to = String(to);
  // counts the renders, so a test can wait for the next one
  el.customerTable.dataset.renders = String((Number(el.customerTable.dataset.renders) || 0) + 1);
  updateControls();
}
