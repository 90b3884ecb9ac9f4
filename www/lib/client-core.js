// The npm package's client object (docs: package/README.md; types: www/client.d.ts): `Tierwise`, promise
// methods over one analysis worker (www/worker.js), cancelling by AbortSignal, 'progress' and 'result'
// events, and every failure as a TierwiseError with a code. The protocol itself is spoken by
// ./worker-client.js, the page's own client; www/client.js (browsers) and the package's node.js (Node's
// worker_threads) only say how the worker is made.

import { createWorkerClient } from './worker-client.js';
import { summaryJsonBlob } from './summary-json.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DISPOSED = 'this tierwise client was disposed: create a new one with createTierwise()';
const ENGINE_LOST = 'the analysis worker failed: it could not be loaded, or it stopped';

/**
 * Every failure of the client: `code` is the core's message code when there is one (render it with
 * the catalog in pkg/catalog.js), else 'cancelled', 'engine' (worker lost or not loadable), 'disposed',
 * 'no_analysis' (a request that needs an analysis before any) or 'invalid_argument'; `params` the coded
 * message's parameters; `cancelled` true for a cancel; `fatal` true when the worker had to be stopped.
 */
export class TierwiseError extends Error {
  constructor(message, { code, params = {}, cancelled = false, fatal = false } = {}) {
    super(message);
    this.name = 'TierwiseError';
    this.code = code;
    this.params = params ?? {};
    this.cancelled = cancelled;
    this.fatal = fatal;
  }
}

const invalid = (message) => new TierwiseError(message, { code: 'invalid_argument' });
const cancelledError = () => new TierwiseError('cancelled', { code: 'cancelled', cancelled: true });

const unsent = new WeakSet(); // errors of requests that never reached the worker

/** A worker's (or worker client's) error as a TierwiseError; `disposed` when the client was disposed. */
function asTierwiseError(e, disposed) {
  if (e instanceof TierwiseError) return e;
  if (disposed) return new TierwiseError(DISPOSED, { code: 'disposed', fatal: true });
  const message = typeof e?.message === 'string' && e.message ? e.message : String(e);
  // the worker's answers carry a boolean `fatal` (./worker-client.js); anything else was thrown here,
  // e.g. by postMessage for a value it cannot copy (its `code`, if any, is not the core's)
  if (typeof e?.fatal !== 'boolean') {
    const err = invalid(`could not send the request to the worker: ${message}`);
    unsent.add(err);
    return err;
  }
  if (e.cancelled) return cancelledError();
  if (typeof e.code === 'string') {
    return new TierwiseError(message, { code: e.code, params: e.params ?? {}, fatal: Boolean(e.fatal) });
  }
  if (e.fatal) return new TierwiseError(message, { code: 'engine', fatal: true });
  if (/^no analysis\b/.test(message)) return new TierwiseError(message, { code: 'no_analysis' });
  return invalid(message); // the worker's own checks (unknown column, wrong input)
}

const describe = (v) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

/**
 * The input part of an analyze or inspect request: a Blob is posted as it is (the worker streams it);
 * bytes are copied once into a buffer of their own that is transferred, so the caller's buffer stays
 * usable (a Node Buffer often shares its ArrayBuffer with others).
 */
function inputPart(input, what) {
  if (typeof Blob !== 'undefined' && input instanceof Blob) return { fields: { file: input }, transfer: [] };
  if (input instanceof ArrayBuffer) {
    const copy = input.slice(0);
    return { fields: { bytes: copy }, transfer: [copy] };
  }
  if (ArrayBuffer.isView(input)) {
    const copy = new Uint8Array(input.buffer, input.byteOffset, input.byteLength).slice();
    return { fields: { bytes: copy.buffer }, transfer: [copy.buffer] };
  }
  throw invalid(`${what}: the input must be a Blob, an ArrayBuffer or a typed array, got ${describe(input)}`);
}

/** A message without its `type` and `id`: what the client's methods return. */
function withoutEnvelope(msg) {
  const { type: _type, id: _id, ...rest } = msg;
  return rest;
}

/** Calls a user's callback; an exception in it is reported as uncaught, not taken as the request's. */
function safely(fn, arg) {
  try {
    fn(arg);
  } catch (e) {
    setTimeout(() => {
      throw e;
    });
  }
}

const starting = new WeakMap(); // Tierwise → promise of its worker's `ready`, until start() took it

/**
 * The client object. Made by `start(makeWorker)` only; `makeWorker()` returns a new worker with the web
 * Worker interface (postMessage, onmessage, onerror, onmessageerror, terminate).
 */
class Tierwise extends EventTarget {
  #client;
  #version = null;
  #result = null;
  #disposed = false;

  constructor(makeWorker) {
    super();
    let settle = null;
    starting.set(
      this,
      new Promise((resolve, reject) => {
        settle = { resolve, reject };
      }),
    );
    const make = () => {
      try {
        return makeWorker();
      } catch (e) {
        if (e instanceof TierwiseError) throw e;
        throw new TierwiseError(`could not start the analysis worker: ${e?.message ?? e}`, { code: 'engine', fatal: true });
      }
    };
    this.#client = createWorkerClient(make, {
      onReady: (version) => {
        this.#version = version;
        settle?.resolve();
        settle = null;
      },
      onReset: (message) => {
        this.#clear(new TierwiseError(message || ENGINE_LOST, { code: 'engine', fatal: true })); // the worker (and the analysis it held) is gone
        settle?.reject(new TierwiseError(message || ENGINE_LOST, { code: 'engine', fatal: true }));
        settle = null;
      },
      onIdleFailure: () => {},
      engineError: () => ENGINE_LOST,
    });
    try {
      this.#client.start();
    } catch (e) {
      settle.reject(e); // a TierwiseError (make)
      settle = null;
    }
  }

  /** The last analysis is gone (a failed analysis freed it, or the worker was lost): 'cleared' says why. */
  #clear(error) {
    if (!this.#result) return;
    this.#result = null;
    this.dispatchEvent(new CustomEvent('cleared', { detail: { error } }));
  }

  /** The core's version (the crate version), as the worker reported it. */
  get version() {
    return this.#version;
  }

  /** The last analysis' result, or null (before any, after a failed analysis, or once the worker was lost). */
  get result() {
    return this.#result;
  }

  /** Sends `msg`; settles with the answer, or a TierwiseError. */
  #run(msg, transfer = [], { onProgress = null, signal = null, cancellable = false, onEarly = null } = {}) {
    if (this.#disposed) return Promise.reject(new TierwiseError(DISPOSED, { code: 'disposed', fatal: true }));
    if (signal?.aborted) return Promise.reject(cancelledError());
    const progress = (p) => {
      const detail = withoutEnvelope(p);
      if (onProgress) safely(onProgress, detail);
      this.dispatchEvent(new CustomEvent('progress', { detail }));
    };
    const req = this.#client.request(msg, { transfer, onProgress: progress, onEarly });
    let onAbort = null;
    let answer = req.promise;
    if (signal) {
      // analyze and compare are stopped by the worker, which then answers `cancelled`; the other
      // requests cannot be stopped there, so their promise is rejected at once and the answer dropped
      const local = new Promise((_, reject) => {
        onAbort = () => (cancellable ? req.cancel() : reject(cancelledError()));
      });
      signal.addEventListener('abort', onAbort, { once: true });
      answer = Promise.race([req.promise, local]);
    }
    return answer
      .catch((e) => {
        throw asTierwiseError(e, this.#disposed);
      })
      .finally(() => {
        if (onAbort) signal.removeEventListener('abort', onAbort);
      });
  }

  #needsAnalysis(what) {
    if (this.#disposed) throw new TierwiseError(DISPOSED, { code: 'disposed', fatal: true });
    if (!this.#result) throw new TierwiseError(`no analysis: ${what} needs a finished analyze() first`, { code: 'no_analysis' });
  }

  /**
   * Analyses a file (Blob) or bytes; the complete result (models included) replaces the previous one
   * and is announced as 'result'. `onEarly(early)` (and the event 'early') gets the result without the
   * models first, as soon as the scores, segments and grades are ready (`modelsPending: true`);
   * `deferModels: false` fits the models before any result.
   */
  async analyze(input, options, { onProgress, signal, preview, onEarly, deferModels } = {}) {
    const { fields, transfer } = inputPart(input, 'analyze');
    const early = (msg) => {
      const detail = withoutEnvelope(msg);
      if (onEarly) safely(onEarly, detail);
      this.dispatchEvent(new CustomEvent('early', { detail }));
    };
    let answer;
    try {
      const msg = { type: 'analyze', ...fields, options, preview };
      if (deferModels === false) msg.deferModels = false;
      answer = await this.#run(msg, transfer, { onProgress, signal, cancellable: true, onEarly: early });
    } catch (e) {
      // a failed analysis frees the previous one in the worker; a cancelled one (or one the worker
      // never received) leaves it in place
      if (!e.cancelled && !unsent.has(e)) this.#clear(e);
      throw e;
    }
    const result = withoutEnvelope(answer);
    this.#result = result;
    this.dispatchEvent(new CustomEvent('result', { detail: result }));
    return result;
  }

  /** What the core makes of a file's head: encoding, delimiter, header, the columns' roles. */
  async inspect(input, options, { signal } = {}) {
    const { fields, transfer } = inputPart(input, 'inspect');
    return (await this.#run({ type: 'inspect', ...fields, options }, transfer, { signal })).inspection;
  }

  /** The quarterly review of the last analysis' input (docs/compare.md): as of `from` against its date. */
  async compare({ from, options } = {}, { onProgress, signal } = {}) {
    this.#needsAnalysis('compare');
    const msg = { type: 'compare', from, options };
    return (await this.#run(msg, [], { onProgress, signal, cancellable: true })).comparison;
  }

  /** A page of the last analysis' customers matching `filter` and `search`, in `sort` order. */
  async rows({ offset = 0, limit = 100, filter = [], sort = null, search = '', columns } = {}) {
    this.#needsAnalysis('rows');
    if (!Array.isArray(filter)) throw invalid(`rows: filter must be an array of filters, got ${describe(filter)}`);
    const msg = { type: 'query', offset, limit, filters: filter, search, sort, columns };
    return withoutEnvelope(await this.#run(msg));
  }

  /** Counts of a numeric column of the last analysis in `bins` equal bins (docs in www/worker.js). */
  async histogram(column, { bins, min, max } = {}) {
    this.#needsAnalysis('histogram');
    return withoutEnvelope(await this.#run({ type: 'histogram', column, bins, min, max }));
  }

  /** The last analysis' customers grouped by one or two columns, with their summed spend on request. */
  async aggregate(by, { sum } = {}) {
    this.#needsAnalysis('aggregate');
    if (!Array.isArray(by)) throw invalid(`aggregate: by must be a list of one or two column names, got ${describe(by)}`);
    return withoutEnvelope(await this.#run({ type: 'aggregate', by, sum }));
  }

  /**
   * The last analysis as a file: the customers CSV, the Excel workbook, the summary JSON, or the
   * holdout check per customer (CSV; rejects when the analysis has no computed check).
   */
  async export(kind, { labels, delimiter, decimal, filter, search, sort } = {}) {
    if (kind !== 'csv' && kind !== 'xlsx' && kind !== 'json' && kind !== 'holdout') {
      throw invalid(`export: kind must be 'csv', 'xlsx', 'json' or 'holdout', got ${typeof kind === 'string' ? `'${kind}'` : describe(kind)}`);
    }
    this.#needsAnalysis('export');
    if (kind === 'json') return summaryJsonBlob(this.#result.summary);
    if (kind === 'holdout') {
      const answer = await this.#run({ type: 'exportHoldoutCsv', delimiter, decimal });
      return new Blob([answer.bytes], { type: 'text/csv;charset=utf-8' });
    }
    if (kind === 'xlsx') {
      const answer = await this.#run({ type: 'exportXlsx', labels });
      return new Blob([answer.bytes], { type: XLSX_TYPE });
    }
    const answer = await this.#run({ type: 'exportCsv', filters: filter, search, sort, labels, delimiter, decimal });
    return new Blob([answer.bytes], { type: 'text/csv;charset=utf-8' });
  }

  /**
   * The last analysis' grading as one SQL script (docs/sql.md) for `dialect` ('duckdb', 'postgres',
   * 'bigquery', 'spark'), with `cuts` 'fitted' (default: this analysis' cut points) or 'sql'.
   */
  async exportSql(dialect, { cuts } = {}) {
    this.#needsAnalysis('exportSql');
    if (typeof dialect !== 'string') throw invalid(`exportSql: dialect must be 'duckdb', 'postgres', 'bigquery' or 'spark', got ${describe(dialect)}`);
    const answer = await this.#run({ type: 'exportSql', dialect, cuts });
    return answer.script;
  }

  /** Stops the worker (its memory is given back); every call after rejects with code 'disposed'. */
  dispose() {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#client.reset(DISPOSED);
  }
}

/**
 * A Tierwise client over the workers `makeWorker()` makes (one at a time; a new one after the previous
 * was lost), resolved once the first said `ready`, rejected with code 'engine' when it cannot load.
 */
export async function start(makeWorker) {
  const tw = new Tierwise(makeWorker);
  const started = starting.get(tw);
  starting.delete(tw);
  await started;
  return tw;
}

/** A `makeWorker` for one given worker: it can be started once; once lost, the client cannot go on. */
export function onlyWorker(worker) {
  if (!worker || typeof worker.postMessage !== 'function' || typeof worker.terminate !== 'function') {
    throw invalid(`createTierwise: worker must be a Worker (with postMessage and terminate), got ${describe(worker)}`);
  }
  let left = worker;
  return () => {
    if (!left) throw new TierwiseError('the worker given to createTierwise has stopped: create a new client', { code: 'engine', fatal: true });
    const w = left;
    left = null;
    return w;
  };
}
