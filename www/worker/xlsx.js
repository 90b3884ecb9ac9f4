// The Excel export in the worker (docs/outputs.md#the-excel-workbook): the `exportXlsx` request turns the
// current analysis (its per-customer CSV, its summary, its options) and the last quarterly review made
// for it into sheets, in English or Chinese (`labels`), and has the writer module (../pkg-xlsx/, the
// workbook crate built with `xlsx-writer`, loaded on the first export) write the .xlsx file. Texts come from the page's table ../i18n/review.js and the
// core's catalog (../pkg/catalog.js); the core's names (segments, grades) from the summary's name/nameZh.
//
// Protocol (listed in ./protocol.md):
//   { type: 'exportXlsx', id, labels? }     labels 'en' (default) or 'zh': the language of the sheets
//   → { type: 'xlsx', id, bytes }   ArrayBuffer (transferred): sheets Customers (the per-customer CSV as
//       typed cells), Summary, Segments, Grades, Options, and Review when a compare was run for this
//       analysis.

import { REVIEW } from '../i18n/review.js';
import { renderMessage } from '../lib/messages.js';
import { reviewHeader, reviewRows } from '../lib/review-rows.js';
import { columns } from '../pkg/tierwise.js';
import { toPlain } from './core-values.js';
import { comparisonFor } from './review.js';

// the columns whose text comes from the file or the options: guarded against formulas in the CSV
const FREE_TEXT = new Set(['customer_id', 'segment_custom', 'grade_ladder', 'grade_absolute', 'action']);
const DATES = new Set(['first_date', 'last_date']);

let writer = null; // promise of the writer module (../pkg-xlsx/), loaded on the first export

/** The Excel writer module (the workbook crate built with its `xlsx-writer` feature). */
function writerModule() {
  if (!writer) {
    writer = import('../pkg-xlsx/tierwise_xlsx.js').then(async (module) => {
      await module.default();
      return module;
    });
    writer.catch(() => {
      writer = null;
    });
  }
  return writer;
}

let catalog = null;
async function loadCatalog() {
  if (!catalog) {
    try {
      catalog = (await import('../pkg/catalog.js')).CATALOG;
    } catch {
      catalog = { messages: {}, labels: {} };
    }
  }
  return catalog;
}

/** One letter per CSV column for the workbook module: g guarded text, t text, n number, d date. */
export function columnKinds(columnTable) {
  return columnTable
    .map((c) => {
      if (DATES.has(c.csv)) return 'd';
      if (c.type !== 'text') return 'n';
      return FREE_TEXT.has(c.csv) ? 'g' : 't';
    })
    .join('');
}

/** `{role: …}` flattened to [key, value] pairs: `rfm.bins` → 5; lists of scalars or lists as JSON text. */
export function flattenOptions(value, prefix = '') {
  if (value === null || value === undefined) return [[prefix, 'null']];
  if (Array.isArray(value)) return [[prefix, JSON.stringify(value)]];
  if (typeof value === 'object') {
    const keys = Object.keys(value).sort();
    if (!keys.length) return [[prefix, '{}']];
    return keys.flatMap((k) => flattenOptions(value[k], prefix ? `${prefix}.${k}` : k));
  }
  if (typeof value === 'number') return [[prefix, value]];
  return [[prefix, String(value)]];
}

const num = (x) => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/** The sheets (other than the customers) for `summary` and `comparison` in `lang`. */
export function buildTables(summary, comparison, lang, cat) {
  const table = REVIEW[lang === 'zh' ? 'zh' : 'en'];
  const text = (key, vars) => {
    let s = table[key] ?? REVIEW.en[key] ?? key;
    if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
    return s;
  };
  const zh = lang === 'zh';
  const catLabel = (kind, code) => {
    const e = (cat.labels?.[kind] || []).find((x) => x.code === code || x.en === code);
    return e ? (zh ? e.zh : e.en) : code;
  };
  const entryName = (e) => (zh && e.nameZh ? e.nameZh : e.name);
  const s = summary;
  const k = s.kpis || {};
  const input = s.input || {};

  const summaryRows = [[text('xlsxItem'), text('xlsxValue')]];
  const add = (key, value, vars) => summaryRows.push([text(key, vars), value ?? null]);
  add('xlsxAnalysisDate', s.analysisDate);
  add('xlsxCustomers', num(s.customers));
  add('xlsxOrdersTotal', num(k.orders));
  add('xlsxRevenue', num(k.revenue));
  add('xlsxAov', num(k.aov));
  add('xlsxRepeatRate', num(k.repeatRate));
  if (k.retention) {
    const vars = { from: k.retention.from, to: k.retention.to };
    add('xlsxRetention', num(k.retention.retention), vars);
    add('xlsxChurn', num(k.retention.churn), vars);
  }
  add('xlsxPareto80', num(s.pareto?.customerShareFor80));
  add('xlsxTop20', num(s.pareto?.top20RevenueShare));
  add('xlsxRows', num(input.rows));
  add('xlsxUsed', num(input.used));
  const rejected = Object.entries(input.rejected || {});
  add('xlsxRejected', rejected.reduce((n, [, r]) => n + (r?.count || 0), 0));
  for (const [reason, r] of rejected) add('xlsxRejectedReason', num(r?.count), { reason: catLabel('reason', reason) });
  add('xlsxExcludedAfter', num(input.excluded?.afterAnalysisDate));
  add('xlsxExcludedIgnored', num(input.excluded?.ignoredReturns));
  add('xlsxExcludedNoPurchase', num(input.excluded?.returnsWithoutPurchase));
  add('xlsxEncoding', input.encoding);
  add('xlsxDelimiter', input.delimiter === '\t' ? 'TAB' : input.delimiter);
  add('xlsxDateFormat', input.dateFormat ? `${input.dateFormat.column}: ${input.dateFormat.format}` : null);
  for (const [role, col] of Object.entries(input.columns || {})) {
    if (col == null || (Array.isArray(col) && !col.length)) continue;
    add('xlsxColumn', Array.isArray(col) ? col.join(', ') : typeof col === 'number' ? col : String(col), { role });
  }
  const codes = Array.isArray(s.warningCodes) ? s.warningCodes : [];
  (s.warnings || []).forEach((w, i) => {
    add('xlsxWarning', renderMessage(codes[i], lang, cat.messages) ?? String(w));
  });
  if (comparison) add('xlsxReviewPeriod', `${comparison.from} → ${comparison.to}`);

  const groupHead = [
    text('xlsxKind'), text('xlsxName'), text('xlsxCustomers'), text('xlsxShare'), text('xlsxRevenue'),
    text('xlsxRevenueShare'), text('xlsxOrders'), text('xlsxAvgRecency'), text('xlsxAvgFrequency'),
    text('xlsxAvgMonetary'), text('xlsxAction'),
  ];
  const groupRows = (kindText, list) =>
    (Array.isArray(list) ? list : []).map((e) => [
      kindText, entryName(e), num(e.customers), num(e.share), num(e.revenue), num(e.revenueShare),
      num(e.orders), num(e.avgRecency), num(e.avgFrequency), num(e.avgMonetary),
      (zh ? e.actionZh : e.action) || e.action || null,
    ]);
  const segments = [
    groupHead,
    ...groupRows(text('xlsxSegRfm11'), s.segments?.rfm11),
    ...groupRows(text('xlsxSegCn8'), s.segments?.cn8),
    ...groupRows(text('xlsxSegCustom'), s.segments?.custom),
  ];
  const grades = [
    groupHead,
    ...groupRows(text('xlsxGradeAbc'), s.grades?.abc),
    ...groupRows(text('xlsxGradeLadder'), s.grades?.ladder),
    ...groupRows(text('xlsxGradeAbsolute'), s.grades?.absolute),
  ];
  const options = [[text('xlsxOption'), text('xlsxValue')], ...flattenOptions(s.options || {})];

  const tables = [
    { name: text('xlsxSheetSummary'), rows: summaryRows },
    { name: text('xlsxSheetSegments'), rows: segments },
    { name: text('xlsxSheetGrades'), rows: grades },
    { name: text('xlsxSheetOptions'), rows: options },
  ];
  if (comparison) {
    const maps = {
      ladder: new Map((s.grades?.ladder || []).map((e) => [e.name, e])),
      abc: new Map((s.grades?.abc || []).map((e) => [e.name, e])),
    };
    const name = (kind, v) => {
      const e = maps[kind]?.get(v);
      return e ? entryName(e) : kind === 'abc' ? catLabel('abc', v) : v;
    };
    tables.push({ name: text('xlsxSheetReview'), rows: [reviewHeader(text), ...reviewRows(comparison, text, name)] });
  }
  return { tables, text };
}

/**
 * The `exportXlsx` request for `current`, worker.js's current analysis ({ handle, summary }: the summary
 * as the page got it).
 */
export async function handleExportXlsx(msg, current) {
  if (!current) throw new Error('no analysis: analyze a file first');
  if (msg.labels != null && msg.labels !== 'en' && msg.labels !== 'zh') {
    throw new Error(`exportXlsx: labels must be "en" or "zh", got ${JSON.stringify(msg.labels)}`);
  }
  const lang = msg.labels === 'zh' ? 'zh' : 'en';
  const summary = current.summary ?? toPlain(current.handle.summary());
  const comparison = comparisonFor(current.handle);
  const cat = await loadCatalog();
  const { tables, text } = buildTables(summary, comparison, lang, cat);
  // The customers' labels in the workbook's language (the page's), whatever the analysis' `labels`.
  const csv = current.handle.toCsvWith({ labels: lang });
  const module = await writerModule();
  const out = module.writeXlsx(
    csv,
    { name: text('xlsxSheetCustomers'), kinds: columnKinds(toPlain(columns())), delimiter: ',' },
    tables,
  );
  const bytes = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? out.buffer : out.slice().buffer;
  self.postMessage({ type: 'xlsx', id: msg.id, bytes }, [bytes]);
}
