// tierwise analysis worker: runs the WebAssembly core off the main thread.
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
//   { type: 'analyze', id, bytes, options, preview, columns }
//       bytes   ArrayBuffer (or a typed array) with the whole file; transfer it:
//               worker.postMessage(msg, [msg.bytes]). Omit `bytes` to re-run the previous file with new
//               options (the worker keeps the last input bytes for this).
//       options plain object per SPEC §11, or undefined for the defaults.
//       preview number of leading customers (sorted by customer id) to return, default 100.
//       columns optional list of column names for the preview, default all of them:
//               customerId, firstDate, lastDate, recencyDays, frequency, monetary, aov, rScore,
//               fScore, mScore, rfmCode, segmentCn8, segmentRfm11, segmentCustom, gradeAbc,
//               gradeLadder, gradeAbsolute, activity, lifecycle, churnFlags, churnReasons, risk,
//               pAlive, expectedPurchases, predictedClv, action
//               (each column read is copied out of wasm once per analysis, so ask only for what you show;
//               names the core does not have are left out)
//   → { type: 'result', id, summary, customerCount, offset: 0, columns, elapsedMs }
//       summary      the plain summary object (SPEC §11; Maps converted to objects, BigInts to numbers)
//       columns      { customerId: string[], lastDate: string[], recencyDays: Int32Array, ... }: rows
//                    0 … preview−1 of the requested columns (string[] or typed arrays, as the core gives)
//       elapsedMs    time spent in the core (analysis + summary), in milliseconds
//     The previous analysis is freed before a new one starts; the new one is kept for the requests below.
//
//   { type: 'rows', id, offset, limit, columns? }   another slice of the last analysis
//   → { type: 'rows', id, offset, customerCount, columns }     (`columns` names default to the list above)
//
//   { type: 'exportCsv', id }
//   → { type: 'csv', id, bytes }   ArrayBuffer (transferred): the per-customer CSV, UTF-8 with BOM
//
//   { type: 'free', id }           release the last analysis and the kept input bytes
//   → { type: 'freed', id }
//
// Errors of any request:
//   → { type: 'error', id, message, fatal }
//       message  the core's message verbatim for input errors (e.g. no customer column found)
//       fatal    true when the wasm instance is unusable (a trap/panic or a failed load): terminate the
//                worker and start a new one. wasm memory never shrinks, so restarting the worker is also
//                the way to give back memory after a very large file.
//
// Requests are handled one at a time, in order.

import init, { analyze, version } from './pkg/tierwise.js';

const DEFAULT_PREVIEW = 100;
const COLUMN_NAMES = [
  'customerId', 'firstDate', 'lastDate', 'recencyDays', 'frequency', 'monetary', 'aov',
  'rScore', 'fScore', 'mScore', 'rfmCode', 'segmentCn8', 'segmentRfm11', 'segmentCustom',
  'gradeAbc', 'gradeLadder', 'gradeAbsolute', 'activity', 'lifecycle', 'churnFlags', 'churnReasons', 'risk',
  'pAlive', 'expectedPurchases', 'predictedClv', 'action',
];

let current = null; // { handle, customerCount, cache: Map<name, column> }
let lastBytes = null; // Uint8Array of the last analysed file
let broken = null; // message once the wasm instance is unusable

const ready = init().then(
  () => {
    const v = version();
    self.postMessage({ type: 'ready', version: v });
    return v;
  },
  (e) => {
    broken = `could not load the analysis engine: ${messageOf(e)}`;
    self.postMessage({ type: 'error', id: null, message: broken, fatal: true });
    return null;
  },
);

function messageOf(e) {
  if (e == null) return 'unknown error';
  if (typeof e === 'string') return e;
  if (typeof e.message === 'string' && e.message) return e.message;
  try {
    return String(e);
  } catch {
    return 'unknown error';
  }
}

function isTrap(e) {
  return typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError;
}

// serde-wasm-bindgen may hand maps over as `Map` and 64-bit integers as `BigInt`; the page (and anyone
// embedding this worker) gets plain JSON-like data instead.
function toPlain(v) {
  if (v === null || v === undefined) return v ?? null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v !== 'object') return v;
  if (v instanceof Map) {
    const o = {};
    for (const [k, val] of v) o[String(k)] = toPlain(val);
    return o;
  }
  if (Array.isArray(v)) return v.map(toPlain);
  if (ArrayBuffer.isView(v)) return Array.from(v, (x) => (typeof x === 'bigint' ? Number(x) : x));
  const o = {};
  for (const k of Object.keys(v)) o[k] = toPlain(v[k]);
  return o;
}

function freeCurrent() {
  if (current) {
    try {
      current.handle.free();
    } catch {
      /* already gone */
    }
    current = null;
  }
}

function column(name) {
  if (!current) throw new Error('no analysis: analyze a file first');
  if (!current.cache.has(name)) {
    let col;
    try {
      col = current.handle[name];
    } catch (e) {
      if (isTrap(e)) throw e;
      col = undefined;
    }
    current.cache.set(name, col);
  }
  return current.cache.get(name);
}

function slice(names, offset, limit) {
  const out = {};
  const transfer = [];
  const start = Math.max(0, Math.floor(offset) || 0);
  const end = Math.min(current.customerCount, start + Math.max(0, Math.floor(limit) || 0));
  for (const name of names) {
    const col = column(name);
    if (col == null || typeof col.slice !== 'function') continue;
    const part = col.slice(start, end);
    if (ArrayBuffer.isView(part)) transfer.push(part.buffer);
    out[name] = part;
  }
  return { columns: out, transfer };
}

function handleAnalyze(msg) {
  let bytes;
  if (msg.bytes != null) {
    if (msg.bytes instanceof ArrayBuffer) bytes = new Uint8Array(msg.bytes);
    else if (ArrayBuffer.isView(msg.bytes)) {
      bytes = new Uint8Array(msg.bytes.buffer, msg.bytes.byteOffset, msg.bytes.byteLength);
    } else throw new Error('analyze: bytes must be an ArrayBuffer or a typed array');
    lastBytes = bytes;
  } else if (lastBytes) {
    bytes = lastBytes;
  } else {
    throw new Error('analyze: no file given');
  }

  freeCurrent();
  const t0 = performance.now();
  const handle = analyze(bytes, msg.options ?? undefined);
  const summary = toPlain(handle.summary());
  const elapsedMs = performance.now() - t0;
  current = { handle, customerCount: Number(handle.customerCount), cache: new Map() };

  const preview = msg.preview == null ? DEFAULT_PREVIEW : msg.preview;
  const names = Array.isArray(msg.columns) && msg.columns.length ? msg.columns : COLUMN_NAMES;
  const { columns, transfer } = slice(names, 0, preview);
  self.postMessage(
    {
      type: 'result',
      id: msg.id,
      summary,
      customerCount: current.customerCount,
      offset: 0,
      columns,
      elapsedMs,
    },
    transfer,
  );
}

function handleRows(msg) {
  if (!current) throw new Error('no analysis: analyze a file first');
  const names = Array.isArray(msg.columns) && msg.columns.length ? msg.columns : COLUMN_NAMES;
  const offset = msg.offset ?? 0;
  const { columns, transfer } = slice(names, offset, msg.limit ?? DEFAULT_PREVIEW);
  self.postMessage(
    { type: 'rows', id: msg.id, offset, customerCount: current.customerCount, columns },
    transfer,
  );
}

function handleExport(msg) {
  if (!current) throw new Error('no analysis: analyze a file first');
  const u8 = current.handle.toCsv();
  // Own the bytes in a buffer of exactly the right size, then hand it over without a copy.
  const bytes =
    u8.byteOffset === 0 && u8.byteLength === u8.buffer.byteLength ? u8.buffer : u8.slice().buffer;
  self.postMessage({ type: 'csv', id: msg.id, bytes }, [bytes]);
}

let queue = Promise.resolve();

self.onmessage = (event) => {
  const msg = event.data || {};
  queue = queue.then(async () => {
    await ready;
    try {
      if (broken) throw Object.assign(new Error(broken), { fatal: true });
      switch (msg.type) {
        case 'analyze':
          handleAnalyze(msg);
          break;
        case 'rows':
          handleRows(msg);
          break;
        case 'exportCsv':
          handleExport(msg);
          break;
        case 'free':
          freeCurrent();
          lastBytes = null;
          self.postMessage({ type: 'freed', id: msg.id });
          break;
        default:
          throw new Error(`unknown message type: ${String(msg.type)}`);
      }
    } catch (e) {
      let fatal = Boolean(e && e.fatal);
      if (isTrap(e)) {
        fatal = true;
        broken = `the analysis engine crashed: ${messageOf(e)}`;
        current = null;
      }
      if (!fatal && msg.type === 'analyze') freeCurrent();
      const message = isTrap(e) ? broken : messageOf(e);
      self.postMessage({ type: 'error', id: msg.id ?? null, message, fatal });
    }
  });
};
