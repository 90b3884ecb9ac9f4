// A typed example of the npm package as a browser or bundler project sees it: `tierwise` resolved through
// the installed package's exports map (its "types" condition: client.d.ts, worker.d.ts, pkg/tierwise.d.ts).
// Type-checked, never run: tests/package.test.mjs copies it with tsconfig.json next to a scratch install of
// the packed tarball and runs `tsc --noEmit --strict`. Every method is used with explicit annotations, and
// the wrong usages marked @ts-expect-error must stay errors (tsc fails on an unused @ts-expect-error).

import {
  createTierwise,
  TierwiseError,
  type AnalysisResult,
  type AnalyzeOptions,
  type Comparison,
  type Filter,
  type Inspection,
  type Progress,
  type RowsPage,
  type Summary,
  type Tierwise,
} from 'tierwise';
import type { WorkerMessage, WorkerRequest, ResultMessage } from 'tierwise/worker';
import { version as coreVersion, type GroupSummary } from 'tierwise/wasm';
import { ELEMENTS, type SelectDetail, type SelectFilter } from 'tierwise/components';

const tw: Tierwise = await createTierwise();
const tw2: Tierwise = await createTierwise({ workerUrl: new URL('./node_modules/tierwise/worker.js', import.meta.url) });
tw2.dispose();
const tw3: Tierwise = await createTierwise({ worker: new Worker(new URL('./node_modules/tierwise/worker.js', import.meta.url), { type: 'module' }) });
tw3.dispose();
const engineVersion: string = tw.version;
const before: AnalysisResult | null = tw.result;

const options: AnalyzeOptions = { analysisDate: '2024-03-31', columns: { order: 'order_id' }, labels: 'zh' };
const file = new File(['customer_id,order_date,amount\nA,2024-01-01,10\n'], 'orders.csv', { type: 'text/csv' });
const controller = new AbortController();
const seen: Progress[] = [];
const result: AnalysisResult = await tw.analyze(file, options, {
  onProgress: (p) => seen.push(p),
  signal: controller.signal,
  preview: 10,
});
await tw.analyze(new Uint8Array([65, 10]));
await tw.analyze(new ArrayBuffer(2), undefined, { preview: 0 });

const summary: Summary = result.summary;
const customers: number = summary.customers;
const revenue: number | null = summary.kpis.revenue;
const abc: GroupSummary[] | null = summary.grades.abc;
const ids: string[] | undefined = result.columns.customerId;
const recency: Int32Array | undefined = result.columns.recencyDays;
const pAlive: Float64Array | undefined = result.columns.pAlive;
const region: string[] = result.columns['dim:region'];
const passes: 1 | 2 = result.passes;
const bytes: number = seen[0]?.bytesRead ?? 0;

const inspection: Inspection = await tw.inspect(file, undefined, { signal: controller.signal });
const delimiter: string = inspection.delimiter;

const comparison: Comparison = await tw.compare({ from: '2023-12-31' }, { onProgress: (p) => p.step, signal: controller.signal });
const movedUp: number = comparison.movedUp.length;

const filters: Filter[] = [{ column: 'gradeAbc', value: 'A' }, { column: 'recencyDays', min: 0, max: 31 }, { column: 'dim:region', value: 'north' }];
const page: RowsPage = await tw.rows({ offset: 0, limit: 20, filter: filters, sort: { column: 'monetary', dir: 'desc' }, search: 'u1', columns: ['customerId', 'monetary'] });
const total: number = page.total;
const indexes: Uint32Array = page.indexes;
const monetary: Float64Array | undefined = page.columns.monetary;
await tw.rows();

const histogram = await tw.histogram('pAlive', { bins: 10 });
const counts: number[] = histogram.counts;
const missingValues: number = histogram.missing;
const grouped = await tw.aggregate(['rScore', 'fScore'], { sum: 'monetary' });
const groupSum: number | null = grouped.groups[0]?.sum ?? null;

const csv: Blob = await tw.export('csv', { labels: 'zh', delimiter: ';', decimal: ',', filter: filters, search: 'u', sort: null });
const xlsx: Blob = await tw.export('xlsx', { labels: 'en' });
const json: Blob = await tw.export('json');
// (rejects unless the options set model.holdout and the check was computed)
const holdout: Promise<Blob> = tw.export('holdout', { delimiter: ';', decimal: ',' });
holdout.catch(() => undefined);
const script: string = await tw.exportSql('bigquery', { cuts: 'sql' });
console.log(script.length);

tw.addEventListener('progress', (ev) => {
  const rows: number = ev.detail.rows;
  void rows;
});
tw.addEventListener('result', (ev) => {
  const n: number = ev.detail.customerCount;
  void n;
});

try {
  await tw.analyze(file, { rfm: { bins: 12 } });
} catch (e) {
  if (e instanceof TierwiseError) {
    const code: string = e.code;
    const key: unknown = e.params.key;
    const flags: [boolean, boolean] = [e.cancelled, e.fatal];
    void [code, key, flags];
  }
}

// the protocol's unions narrow on `type`
function onWorkerMessage(msg: WorkerMessage): number {
  switch (msg.type) {
    case 'result': {
      const r: ResultMessage = msg;
      return r.customerCount;
    }
    case 'progress':
      return msg.bytesRead;
    case 'error':
      return msg.fatal ? -1 : 0;
    default:
      return 0;
  }
}
const request: WorkerRequest = { type: 'query', id: 1, filters, sort: { column: 'risk', dir: 'asc' }, limit: 10 };
const cancel: WorkerRequest = { type: 'cancel', id: 1 };

tw.dispose();
const core: string = coreVersion();

// ── wrong usages: each must be a type error ──
// @ts-expect-error: 'pdf' is not an export kind
await tw.export('pdf');
// @ts-expect-error: a string is not an input (give a Blob or bytes)
await tw.analyze('customer_id,order_date\n');
// @ts-expect-error: sort directions are 'asc' and 'desc'
await tw.rows({ sort: { column: 'monetary', dir: 'up' } });
// @ts-expect-error: 'nope' is no column
await tw.rows({ filter: [{ column: 'nope', value: 'A' }] });
// @ts-expect-error: rfm.bins is a number
await tw.analyze(file, { rfm: { bins: '5' } });
// @ts-expect-error: unknown option key
await tw.analyze(file, { colour: 'red' });
// @ts-expect-error: recencyDays is an Int32Array, not a Float64Array
const wrongColumn: Float64Array | undefined = result.columns.recencyDays;
// @ts-expect-error: a worker is a Worker, not its URL
await createTierwise({ worker: 'worker.js' });
// @ts-expect-error: version is read-only
tw.version = '9.9.9';
// @ts-expect-error: the summary's customer count is a number
const wrongCustomers: string = summary.customers;
// @ts-expect-error: a worker request needs a known type
const wrongRequest: WorkerRequest = { type: 'analyse', id: 1 };
// @ts-expect-error: a histogram counts a Float64Array column, not the ids
await tw.histogram('customerId');
// @ts-expect-error: aggregate groups by text or score columns, not by spend
await tw.aggregate(['monetary']);
// @ts-expect-error: aggregate groups by one or two columns
await tw.aggregate(['rScore', 'fScore', 'mScore']);

// ── the web components (tierwise/components) ──
const segCard = document.querySelector('tierwise-segments'); // TierwiseSegments | null (HTMLElementTagNameMap)
let picked: string | undefined;
if (segCard) {
  segCard.client = tw;
  segCard.addEventListener('tierwise-select', (ev) => {
    const detail: SelectDetail = ev.detail;
    picked = detail.segment ?? detail.grade;
    listCard.filter = detail.filters;
  });
  segCard.addEventListener('tierwise-result', (ev) => console.log(ev.detail.customerCount + 1));
}
const listCard = document.createElement('tierwise-customers');
const cardFilter: SelectFilter[] = [{ column: 'gradeAbc', value: 'A' }, { column: 'pAlive', min: 0, max: 0.5 }];
listCard.filter = cardFilter;
listCard.analysis = result;
const appTag: string = ELEMENTS['tierwise-app'].name;
// @ts-expect-error: a card's client is a client, not its name
listCard.client = 'tw';
// @ts-expect-error: filter takes a list of filters
listCard.filter = 'A';
document.querySelector('tierwise-grades')?.addEventListener('tierwise-select', (ev) => {
  // @ts-expect-error: a select detail's kind is a string or null, not a number
  const wrongKind: number = ev.detail.kind;
  console.log(wrongKind);
});

export const used = [picked, appTag, tw2, engineVersion, before, customers, revenue, abc, ids, recency, pAlive, region, passes, bytes, delimiter,
  movedUp, total, indexes, monetary, counts, missingValues, groupSum, csv, xlsx, json, onWorkerMessage, request, cancel, core,
  wrongColumn, wrongCustomers, wrongRequest];
