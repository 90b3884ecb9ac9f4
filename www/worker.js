// tierwise analysis worker: runs the WebAssembly core off the main thread, reading files in chunks.
//
// Start it as a module worker next to the wasm package (www/pkg/):
//
//   const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
//
// The protocol (every request and answer, their fields and order) is documented in
// ./worker/protocol.md; its types are in ./worker.d.ts.
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
import { postCsv, postHoldoutCsv, postQuery, postSql } from './worker/query.js';
import { forgetSheet, sourceOf } from './worker/source.js';
import { handleInspect } from './worker/inspect.js';
import { handleCompare } from './worker/review.js';
import { handleExportXlsx } from './worker/xlsx.js';
import { dimensionKeys, requestedNames } from './worker/dimensions.js';
import { warmUp } from './worker/warmup.js';
import { MIN_RANGE_BYTES, canSpawn, defaultReaders, rangeStarts, readRanges, warmHelpers } from './worker/ranges.js';

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

/**
 * Starts the range readers a large file will need (docs/speed.md#ranges) as soon as one is seen: the
 * page inspects a file before it analyses it, so they load meanwhile. Not before: on a 2-core machine
 * loading them competes with the analysis of a small file.
 */
function warmFor(msg) {
  if (canSpawn() && msg.file?.size >= 2 * MIN_RANGE_BYTES) warmHelpers(readersOf(msg) - 1);
}

/** Readers of one large file: the request's `readers` (1 … 8), else one per core. */
function readersOf(msg) {
  const n = Math.floor(Number(msg.readers));
  return n >= 1 ? Math.min(n, 8) : defaultReaders();
}

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
  let ranges = null; // { readers, merged, helperMemoryBytes, refused? } when read in byte ranges
  const defer = msg.deferModels !== false;
  const finish = (a) => (defer ? a.finishDeferred() : a.finish());
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
    // ranges merge only for UTF-8 text: an encoding named in the options other than UTF-8 reads alone
    const named = String(options?.encoding ?? 'auto').toLowerCase();
    const utf8 = ['auto', 'utf-8', 'utf8'].includes(named);
    const readers = workbook || !source.file || !canSpawn() || !utf8 ? 1 : readersOf(msg);
    const starts = readers > 1 ? await rangeStarts(source.file, readers) : [];
    if (starts.length > 2) {
      // a large file: helpers read ranges 1… while this worker reads range 0 (docs/speed.md#ranges)
      const ranged = readRanges(source.file, starts, options, msg.chunkBytes);
      run.onCancel = () => ranged.cancel();
      try {
        const shared = { totalBytes: source.file.size, others: () => ranged.progress() };
        await streamPass({ file: source.file.slice(0, starts[1]) }, analyzer, run, 1, chunk, null, shared);
      } catch (e) {
        ranged.cancel();
        throw e;
      }
      const parts = await ranged.parts;
      run.onCancel = null;
      if (run.cancelled) throw new Cancelled();
      // a refused part leaves the analyzer as it was: when nothing was absorbed yet, it has read exactly
      // the first range, as one reader does, and goes on with the rest of the file
      let refused = parts.includes(null) ? 'a range reader failed' : null;
      let absorbed = 0;
      for (let i = 0; i < parts.length && !refused; i++) {
        refused = analyzer.absorb(parts[i].part) ?? null;
        if (!refused) absorbed++;
        parts[i] = { memoryBytes: parts[i].memoryBytes }; // (the part's bytes can go)
      }
      ranges = {
        readers: starts.length - 1,
        merged: !refused,
        helperMemoryBytes: parts.map((p) => p?.memoryBytes ?? null),
      };
      if (!refused) {
        // the progress of the whole file, now that every range is in
        self.postMessage({
          type: 'progress',
          id: run.id,
          pass: 1,
          bytesRead: analyzer.bytesRead,
          totalBytes: source.file.size,
          rows: analyzer.rowsRead,
          elapsedMs: performance.now() - received,
        });
      } else if (absorbed === 0 && !analyzer.spoiled) {
        // not merged (docs/speed.md#ranges): this worker reads the rest of the file itself
        ranges.refused = refused;
        const shared = { totalBytes: source.file.size, others: () => ({ bytes: 0, rows: 0 }) };
        await streamPass({ file: source.file.slice(starts[1]) }, analyzer, run, 1, chunk, null, shared);
      } else {
        // not merged after some parts were: the file is read again by this worker alone
        ranges.refused = refused;
        freeQuietly(analyzer);
        analyzer = new Analyzer(options);
        await streamPass(source, analyzer, run, 1, chunk);
      }
    } else {
      await streamPass(source, analyzer, run, 1, chunk);
    }
    bytesRead = analyzer.bytesRead;
    first = finish(analyzer);
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
      handle = finish(analyzer);
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
  const summaryOf = () => {
    const summary = toPlain(handle.summary());
    if (workbook) {
      // as the CLI reports it: the options as given, and which sheet was read
      summary.options.encoding = msg.options?.encoding ?? 'auto';
      summary.input.workbook = workbook.workbook;
    }
    return summary;
  };
  const summary = summaryOf();
  const modelsPending = handle.modelsPending;
  const elapsedMs = performance.now() - received;
  current = {
    handle,
    customerCount: Number(handle.customerCount),
    cache: new Map(),
    summary,
    options: msg.options,
    dimensionKeys: dimensionKeys(handle),
  };
  const timingsOf = () => {
    try {
      return toPlain(handle.timings());
    } catch (e) {
      if (isTrap(e)) throw e;
      return null;
    }
  };
  const timings = timingsOf();

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
      ranges,
      modelsPending,
    },
    transfer,
  );
  if (modelsPending) fitModels(msg, { summaryOf, timingsOf, names, preview, received });
}

// The model columns: what `models` sends again once the models are fitted (the others do not change).
const MODEL_COLUMNS = ['risk', 'pAlive', 'expectedPurchases', 'predictedClv'];

/**
 * Fits the models of the analysis just answered with modelsPending (docs/models.md#later) and posts
 * `models`: the complete summary and the preview rows' model columns. Runs before the next request.
 */
function fitModels(msg, { summaryOf, timingsOf, names, preview, received }) {
  const started = performance.now();
  current.handle.fitModels();
  const modelMs = performance.now() - started;
  // the columns and the query cache copied before the fit hold the withheld values
  current.cache.clear();
  current.lastQuery = null;
  current.summary = summaryOf();
  const wanted = names.filter((n) => MODEL_COLUMNS.includes(n));
  const { columns, transfer } = sliceColumns(current, wanted, 0, preview);
  const elapsedMs = performance.now() - received;
  self.postMessage(
    { type: 'models', id: msg.id, summary: current.summary, columns, elapsedMs, modelMs, timings: timingsOf() },
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
  if (running && (all || running.id === msg.id)) {
    running.cancelled = true;
    running.onCancel?.();
  }
  if (all) for (const id of queued) cancelQueued.add(id);
  else if (queued.has(msg.id)) cancelQueued.add(msg.id);
}

// the warm-up runs first, once the core is loaded: requests arriving meanwhile wait for it (~40 ms)
let queue = ready.then(() => {
  if (!broken && wasm) warmUp({ Analyzer, inspect }, COLUMN_NAMES);
});

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
        case 'exportCsv': postCsv(current, msg); break;
        case 'exportHoldoutCsv': postHoldoutCsv(current, msg); break;
        case 'exportSql': postSql(current, msg); break;
        case 'query':
          postQuery(current, msg, COLUMN_NAMES);
          break;
        case 'inspect': warmFor(msg); await handleInspect(msg, inspect, (input, sheet) => sourceOf(input, { sheet }, { id: msg.id, received })); break;
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
