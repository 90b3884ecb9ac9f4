// tierwise analysis worker: runs the WebAssembly core off the main thread, reading files in chunks.
//
// Start it as a module worker next to the wasm package (www/pkg/):
//
//   const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
//
// ── Protocol (all messages are plain objects; `id` is any value the page chooses, echoed back) ──
//
// worker → page, once, unprompted:
//   { type: 'ready', version }                  the core is loaded; `version` is the crate version
//   { type: 'error', id: null, message, fatal: true }   the core could not be loaded (e.g. www/pkg missing)
//
// page → worker:
//   { type: 'analyze', id, file, options, preview, columns }
//   { type: 'analyze', id, bytes, options, preview, columns }
//   { type: 'analyze', id, options, preview, columns }
//       file    a Blob or File (not transferred, just posted): the worker reads it with file.stream()
//               in chunks and never holds the whole file in JavaScript or in wasm memory.
//               A workbook (.xlsx, .xlsm, .xlsb, .xls, .ods, told by its first bytes: a ZIP archive or
//               an OLE2 file, never by its name) is read whole instead: the worker then loads the
//               workbook module (./pkg-workbook/, fetched only now), converts the sheet options.sheet
//               names (default the first visible one) to CSV and analyses that like any CSV; the sheet
//               is kept for re-runs with the same sheet. Its errors are coded like the core's
//               (no_such_sheet, empty_sheet, workbook_encrypted, workbook_too_large, …).
//       bytes   ArrayBuffer (or a typed array) with the whole file; transfer it:
//               worker.postMessage(msg, [msg.bytes]). It is pushed into the core in chunks too, so wasm
//               memory does not hold a second copy of it.
//               Give neither to re-run the previous input (the worker keeps the File, or the bytes) with
//               new options; the input kept is that of the last analysis that finished or failed (a
//               cancelled request leaves the previous one in place).
//       options plain object (docs/outputs.md#options), or undefined for the defaults.
//       preview number of leading customers (sorted by customer id) to return, default 100.
//       columns optional list of column names for the preview, default all of them: the `js` names
//               of the core's column table (columns() of the wasm package, in CSV order) plus
//               churnReasons (names the core does not have are left out)
//       chunkBytes optional size of each push into the core, default 2 MiB (clamped to 64 KiB … 64 MiB).
//
//     When the core reports `needsRerun` (the first MiB of the file misled its encoding, date format or
//     decimal separator decisions), the worker reads the same input a second time into
//     Analyzer.secondPass(options, first) and answers with that exact result (`passes: 2`).
//
//   → { type: 'progress', id, pass, bytesRead, totalBytes, rows, elapsedMs }   zero or more, then:
//       pass        1, or 2 while re-reading the file for the second pass
//       bytesRead   bytes pushed into the core in this pass; totalBytes the input's size
//       rows        records read so far in this pass (the core counts from its first MiB on; before,
//                   and for smaller files, line ends − 1 with rowsEstimated: true)
//       elapsedMs   since the request was received
//     Posted after the first push of each pass, then at most every 100 ms, and at the end of each pass
//     (bytesRead = totalBytes; not repeated when the previous report already said the same). For a
//     workbook, one report with stage: 'workbook' (bytesRead 0, totalBytes the workbook's size) comes
//     before its sheet is converted; the reports after it count the bytes of the sheet's CSV.
//
//   → { type: 'result', id, summary, customerCount, offset: 0, columns, passes, timings,
//       wasmMemoryBytes, bytesRead, elapsedMs, workbookMs, workbookMemoryBytes }
//       summary      the plain summary object (docs/outputs.md#summary-json; Maps converted to objects, BigInts to numbers)
//       columns      { customerId: string[], lastDate: string[], recencyDays: Int32Array, ... }: rows
//                    0 … preview−1 of the requested columns (string[] or typed arrays, as the core gives),
//                    plus, always, one string[] per options.columns.dimensions column keyed
//                    `dim:<column name>` (Analysis.dimensionKeys(): each customer's value on most of their
//                    order rows, '' when none; summary.dimensions holds the breakdown by value)
//       passes       1, or 2 when the file had to be read twice
//       timings      the core's phase timings of the final step, { phase: milliseconds }
//       wasmMemoryBytes  size of the wasm memory after the analysis (it never shrinks)
//       bytesRead    bytes read in the (last) pass, i.e. the input's size
//       elapsedMs    from receiving the request to the summary being ready, in milliseconds
//       workbookMs, workbookMemoryBytes   for a workbook: the time the conversion took (0 when the kept
//                    sheet was reused) and the workbook module's wasm memory after it; null otherwise.
//                    summary.input.workbook is { format, sheet, sheets }, and summary.options.encoding
//                    the one given (a sheet is always read as UTF-8).
//     The new analysis replaces the previous one (freed once the new one has finished, so both are in
//     memory meanwhile; send `free` first to avoid that) and is kept for the requests below.
//
//   { type: 'cancel', id }         cancel the analyze request `id` (handled at once, not queued)
//       A running analysis stops at the next chunk (within one push, ~2 MiB; a cancel that arrives while
//       the core is in its final, single step takes effect when that step ends) and its partial state is
//       freed; a queued one never starts. The analyze request is answered with
//       → { type: 'error', id, message: 'cancelled', cancelled: true, fatal: false }
//       The previous finished analysis (and its input, for re-runs) stays usable. Without `id`, the
//       running and every queued analysis are cancelled. A cancel for a request that has already been
//       answered (or never existed) is ignored; `cancel` itself gets no answer.
//
//   { type: 'rows', id, offset, limit, columns? }   another slice of the last analysis
//   → { type: 'rows', id, offset, customerCount, columns }     (`columns` names default to the list above;
//       the `dim:<column name>` columns are always included, as in the result)
//
//   { type: 'histogram', id, column, bins, min, max }   counts of a numeric column of the last analysis
//       column  a Float64Array column, e.g. 'pAlive'; bins default 20 (1 … 1000); min / max default to the
//               column's smallest and largest value. Bin i covers [min + i·w, min + (i+1)·w), the last one
//               includes max; values outside [min, max] are left out, NaN values (not computed) counted
//               in `missing`. Only the counts cross over to the page, not the column.
//   → { type: 'histogram', id, column, min, max, counts, missing, outside }
//
//   { type: 'aggregate', id, by: [column, column?], sum?: 'monetary' }   customers grouped (./worker/aggregate.js)
//       by: js names of the core's text or score columns, or 'dim:<column>'; churnFlags puts a customer in
//       each of their flags' groups ('' without a flag). sum 'monetary' also sums their net spend.
//   → { type: 'aggregate', id, by, groups: [{ key: [value, value?], customers, sum }] }   sorted by key
//
//   { type: 'query', id, filters, search, sort, offset, limit, columns? }   the customer list
//   → { type: 'rows', id, offset, total, customerCount, indexes, columns }   the page of the `total`
//       customers matching filters [{column, value} | {column, min, max, maxInclusive?}] (AND across
//       columns, OR within one; English
//       codes/labels), search (id substring, any case), in sort {column, dir} order; rules: worker/query.js
//   { type: 'exportCsv', id, filters?, search?, sort?, labels?, delimiter?, decimal? }
//   → { type: 'csv', id, bytes, count }   ArrayBuffer (transferred): the customers CSV, UTF-8 with BOM,
//       of every customer or of those `query` selects, through Analysis.toCsvWith (docs/outputs.md)
//
//   { type: 'inspect', id, file | bytes, options }  → { type: 'inspection', id, inspection }
//       The core's lenient Inspection (docs/input.md#inspect: `missing`, `preview`) of the file's head, or of a
//       workbook's sheet, kept for the analyze that follows (worker/inspect.js). Errors as below.
//
//   { type: 'compare', id, from?, options? }  → progress (+ step, steps, date) …, then
//   → { type: 'comparison', id, comparison }  the quarterly review; cancellable (see worker/review.js)
//   { type: 'exportXlsx', id, labels? }  → { type: 'xlsx', id, bytes }  the .xlsx export (worker/xlsx.js)
//   { type: 'free', id }           release the last analysis and the kept input (File or bytes)
//   → { type: 'freed', id }
//
// Errors of any request:
//   → { type: 'error', id, message, fatal, code?, params? }
//       code, params  the coded message of the core's errors (render it with pkg/catalog.js, see
//                www/lib/messages.js)
//       message  the core's message verbatim for input errors (e.g. no customer column found); a failed
//                analysis also frees the previous one (its input is kept for a re-run with new options)
//       fatal    true when the wasm instance is unusable (a trap/panic or a failed load): terminate the
//                worker and start a new one. wasm memory never shrinks, so restarting the worker is also
//                the way to give back memory after a very large file.
//
// Requests other than `cancel` are handled one at a time, in order.
//
// The helpers live in ./worker/ (errors, the core's values, reading the input, slices, histograms);
// this file keeps the state of the analysis and answers the requests.

import init, { Analyzer, columns, inspect, version } from './pkg/tierwise.js';
import { Cancelled, isTrap, messageOf } from './worker/errors.js';
import { freeQuietly, toPlain } from './worker/core-values.js';
import { chunkSize, inputOf, streamPass, yieldToEvents } from './worker/stream.js';
import { sliceColumns } from './worker/slice.js';
import { histogram } from './worker/histogram.js';
import { aggregateReply } from './worker/aggregate.js';
import { postCsv, postQuery } from './worker/query.js';
import { forgetSheet, sourceOf } from './worker/source.js';
import { handleInspect } from './worker/inspect.js';
import { handleCompare } from './worker/review.js';
import { handleExportXlsx } from './worker/xlsx.js';
import { dimensionKeys, requestedNames } from './worker/dimensions.js';

const DEFAULT_PREVIEW = 100;
// Every column the core has (its column table, in CSV order), with churnReasons after churnFlags.
let COLUMN_NAMES = [];

let wasm = null; // the module's exports (for the memory size)
let current = null; // { handle, customerCount, cache: Map<name, column>, summary, options (as requested) }
let lastInput = null; // { file: Blob } or { bytes: Uint8Array }: the input of the last analysis
let broken = null; // message once the wasm instance is unusable
let running = null; // { id, cancelled } of the analysis in progress
const queued = new Set(); // ids of analyze requests received and not started yet
const cancelQueued = new Set(); // ids among them cancelled before they started

const ready = init().then(
  (exports) => {
    wasm = exports;
    const v = version();
    try {
      COLUMN_NAMES = toPlain(columns()).flatMap((c) => (c.js === 'churnFlags' ? [c.js, 'churnReasons'] : [c.js]));
    } catch (e) {
      broken = `could not load the analysis engine: ${messageOf(e)}`;
      self.postMessage({ type: 'error', id: null, message: broken, fatal: true });
      return null;
    }
    self.postMessage({ type: 'ready', version: v });
    return v;
  },
  (e) => {
    broken = `could not load the analysis engine: ${messageOf(e)}`;
    self.postMessage({ type: 'error', id: null, message: broken, fatal: true });
    return null;
  },
);

function freeCurrent() {
  if (current) {
    freeQuietly(current.handle);
    current = null;
  }
}

// ───────────────────────── requests ─────────────────────────

async function handleAnalyze(msg, received) {
  const run = { id: msg.id, cancelled: false, received };
  if (cancelQueued.delete(msg.id)) throw new Cancelled();
  const input = inputOf(msg, lastInput);
  const chunk = chunkSize(msg.chunkBytes);
  let options = msg.options ?? undefined;

  running = run;
  let analyzer = null;
  let first = null;
  let handle = null;
  let passes = 1;
  let bytesRead = 0;
  let workbook = null;
  let workbookMs = null;
  try {
    analyzer = new Analyzer(options); // checks the options (the sheet too) before any work
    const read = await sourceOf(input, options, run);
    const source = read.source;
    workbook = read.workbook;
    workbookMs = read.workbookMs ?? null;
    if (workbook) {
      // a sheet's text is UTF-8 whatever options.encoding says (as in the CLI)
      options = { ...options, encoding: 'utf-8' };
      freeQuietly(analyzer);
      analyzer = new Analyzer(options);
    }
    await streamPass(source, analyzer, run, 1, chunk);
    bytesRead = analyzer.bytesRead;
    first = analyzer.finish();
    freeQuietly(analyzer);
    analyzer = null;
    // the final step runs without a break: let a cancel that arrived meanwhile be seen now
    await yieldToEvents();
    if (run.cancelled) throw new Cancelled();
    if (first.needsRerun) {
      passes = 2;
      analyzer = Analyzer.secondPass(options, first); // reads the first pass's decisions
      freeQuietly(first);
      first = null;
      await streamPass(source, analyzer, run, 2, chunk);
      bytesRead = analyzer.bytesRead;
      handle = analyzer.finish();
      freeQuietly(analyzer);
      analyzer = null;
      await yieldToEvents();
      if (run.cancelled) throw new Cancelled();
    } else {
      handle = first;
      first = null;
    }
  } catch (e) {
    freeQuietly(analyzer);
    freeQuietly(first);
    freeQuietly(handle);
    if (!(e instanceof Cancelled) && !isTrap(e)) {
      // A failed analysis: the input is kept so that a re-run with other options can fix it.
      lastInput = input;
      freeCurrent();
    }
    throw e;
  } finally {
    if (running === run) running = null;
  }

  // Finished: this analysis and its input replace the previous ones.
  freeCurrent();
  lastInput = input;
  const summary = toPlain(handle.summary());
  if (workbook) {
    // as the CLI reports it: the options as given, and which sheet was read
    summary.options.encoding = msg.options?.encoding ?? 'auto';
    summary.input.workbook = workbook.workbook;
  }
  const elapsedMs = performance.now() - received;
  current = {
    handle,
    customerCount: Number(handle.customerCount),
    cache: new Map(),
    summary,
    options: msg.options,
    dimensionKeys: dimensionKeys(handle),
  };
  let timings = null;
  try {
    timings = toPlain(handle.timings());
  } catch (e) {
    if (isTrap(e)) throw e;
  }

  const preview = msg.preview == null ? DEFAULT_PREVIEW : msg.preview;
  const names = requestedNames(msg.columns, COLUMN_NAMES, current.dimensionKeys);
  const { columns, transfer } = sliceColumns(current, names, 0, preview);
  self.postMessage(
    {
      type: 'result',
      id: msg.id,
      summary,
      customerCount: current.customerCount,
      offset: 0,
      columns,
      passes,
      timings,
      wasmMemoryBytes: wasm?.memory?.buffer?.byteLength ?? null,
      bytesRead,
      elapsedMs,
      workbookMs,
      workbookMemoryBytes: workbook ? workbook.memoryBytes : null,
    },
    transfer,
  );
}

function handleRows(msg) {
  if (!current) throw new Error('no analysis: analyze a file first');
  const names = requestedNames(msg.columns, COLUMN_NAMES, current.dimensionKeys);
  const offset = msg.offset ?? 0;
  const { columns, transfer } = sliceColumns(current, names, offset, msg.limit ?? DEFAULT_PREVIEW);
  self.postMessage(
    { type: 'rows', id: msg.id, offset, customerCount: current.customerCount, columns },
    transfer,
  );
}

function handleHistogram(msg) {
  if (!current) throw new Error('no analysis: analyze a file first');
  const name = String(msg.column ?? '');
  let values;
  try {
    values = current.handle[name]; // the whole column in one copy, not cached: only counts are needed
  } catch (e) {
    if (isTrap(e)) throw e;
  }
  if (!(values instanceof Float64Array)) throw new Error(`histogram: no numeric column named ${name}`);
  const { min, max, counts, missing, outside } = histogram(values, msg);
  self.postMessage({ type: 'histogram', id: msg.id, column: name, min, max, counts, missing, outside });
}

function handleCancel(msg) {
  const all = msg.id === undefined || msg.id === null;
  if (running && (all || running.id === msg.id)) running.cancelled = true;
  if (all) for (const id of queued) cancelQueued.add(id);
  else if (queued.has(msg.id)) cancelQueued.add(msg.id);
}

let queue = Promise.resolve();

self.onmessage = (event) => {
  const received = performance.now();
  const msg = event.data || {};
  if (msg.type === 'cancel') {
    handleCancel(msg);
    return;
  }
  if (msg.type === 'analyze' || msg.type === 'compare') queued.add(msg.id);
  queue = queue.then(async () => {
    await ready;
    try {
      if (msg.type === 'analyze' || msg.type === 'compare') queued.delete(msg.id);
      if (msg.type === 'compare' && cancelQueued.delete(msg.id)) throw new Cancelled();
      if (broken) throw Object.assign(new Error(broken), { fatal: true });
      switch (msg.type) {
        case 'analyze':
          await handleAnalyze(msg, received);
          break;
        case 'rows':
          handleRows(msg);
          break;
        case 'histogram':
          handleHistogram(msg);
          break;
        case 'aggregate':
          self.postMessage(aggregateReply(current, msg));
          break;
        case 'exportCsv':
          postCsv(current, msg);
          break;
        case 'query':
          postQuery(current, msg, COLUMN_NAMES);
          break;
        case 'inspect': await handleInspect(msg, inspect, (input, sheet) => sourceOf(input, { sheet }, { id: msg.id, received })); break;
        case 'compare': await handleCompare(msg, { received, input: lastInput, current, sourceOf, setRunning: (r) => (running = r) }); break;
        case 'exportXlsx': await handleExportXlsx(msg, current); break;
        case 'free':
          freeCurrent();
          lastInput = null;
          forgetSheet();
          self.postMessage({ type: 'freed', id: msg.id });
          break;
        default:
          throw new Error(`unknown message type: ${String(msg.type)}`);
      }
    } catch (e) {
      if (msg.type === 'analyze' || msg.type === 'compare') cancelQueued.delete(msg.id);
      if (e instanceof Cancelled) {
        const id = msg.id ?? null;
        self.postMessage({ type: 'error', id, message: 'cancelled', cancelled: true, fatal: false });
        return;
      }
      let fatal = Boolean(e && e.fatal);
      if (isTrap(e)) {
        fatal = true;
        broken = `the analysis engine crashed: ${messageOf(e)}`;
        current = null;
      }
      const message = isTrap(e) ? broken : messageOf(e);
      // the core's errors carry a coded message, so the page can show them in its language
      const coded = !isTrap(e) && typeof e?.code === 'string' ? { code: e.code, params: toPlain(e.params) } : {};
      self.postMessage({ type: 'error', id: msg.id ?? null, message, fatal, ...coded });
    }
  });
};
