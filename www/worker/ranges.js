// Reading a large file in byte ranges at once (docs/speed.md#ranges): the analysis worker reads the
// first range itself while helper workers (../range-worker.js, one core each) read the others; it then
// absorbs their parts in file order (Analyzer.absorb). The result is exactly that of one reader, or the
// merge is refused (a quoted line break across a cut, text that is not plain UTF-8) and the caller reads
// the file alone. No SharedArrayBuffer: each helper has its own copy of the core and posts its part as
// bytes, so any static host will do.

import { RANGE_WORKER_URL } from '../worker-assets.js';
import { messageOf } from './errors.js';

/** Bytes of the file's head the core decides from (tierwise::HEAD_BYTES). */
export const HEAD_BYTES = 1 << 20;
/** The shortest range worth a reader of its own (tierwise::MIN_RANGE_BYTES). */
export const MIN_RANGE_BYTES = 4 << 20;
/** Most readers of one file (the first is the analysis worker itself). */
export const MAX_READERS = 8;
/** A helper whose wasm memory grew past this after a part is stopped, so that memory is given back. */
const KEEP_HELPER_BYTES = 64 << 20;
/** A helper that has not loaded the core by then is given up (its range is read by the caller). */
const READY_TIMEOUT_MS = 20_000;
/** Bytes looked at after a cut for the line feed that ends its record. */
const LINE_LOOKAHEAD = 64 << 10;

const helpers = []; // { worker, ready: Promise<boolean>, busy }
let nextId = 1;

/** Readers to use by default: one per core, as many as MAX_READERS. */
export function defaultReaders() {
  const cores = Number(globalThis.navigator?.hardwareConcurrency) || 1;
  return Math.max(1, Math.min(MAX_READERS, cores));
}

/** True where a worker can start workers of its own (browsers; not Node's worker_threads). */
export function canSpawn() {
  return typeof Worker === 'function';
}

function spawn() {
  let worker;
  try {
    worker = new Worker(RANGE_WORKER_URL, { type: 'module' });
  } catch {
    return null;
  }
  const helper = { worker, busy: false, dead: false, settle: null };
  helper.ready = new Promise((resolve) => {
    setTimeout(() => resolve(false), READY_TIMEOUT_MS);
    const onMessage = (e) => {
      if (e.data?.type === 'ready' || (e.data?.type === 'failed' && e.data.id === null)) {
        worker.removeEventListener('message', onMessage);
        if (e.data.type !== 'ready') helper.dead = true;
        resolve(e.data.type === 'ready');
      }
    };
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', () => {
      helper.dead = true;
      resolve(false);
      helper.settle?.(null); // (a range it was reading: read by the caller)
    });
  });
  return helper;
}

/** Starts helpers ahead of need (up to `count`), so that the first large file finds them loaded. */
export function warmHelpers(count) {
  if (!canSpawn()) return;
  while (helpers.filter((h) => !h.dead).length < count) {
    const h = spawn();
    if (!h) return;
    helpers.push(h);
  }
}

function retire(helper) {
  helper.dead = true;
  helper.worker.terminate();
  const i = helpers.indexOf(helper);
  if (i !== -1) helpers.splice(i, 1);
}

/**
 * Where the ranges of `file` start, for up to `readers` readers: [0, s1, …, size], each cut just after
 * the first line feed at or after size·k/readers, no range shorter than MIN_RANGE_BYTES and the second
 * after the head (tierwise::range_starts_with, the same rule).
 */
export async function rangeStarts(file, readers) {
  const len = file.size;
  const starts = [0];
  // only plain UTF-8 merges: a head that is not (GBK, UTF-16, Latin-1 …) is read alone from the start
  if (len >= 2 * MIN_RANGE_BYTES && !(await plainUtf8Head(file))) return [0, len];
  for (let k = 1; k < readers; k++) {
    const nominal = Math.floor((len * k) / readers);
    const from = Math.max(nominal, HEAD_BYTES, starts[starts.length - 1] + MIN_RANGE_BYTES);
    if (from >= len) break;
    const view = new Uint8Array(await file.slice(from, Math.min(len, from + LINE_LOOKAHEAD)).arrayBuffer());
    const lf = view.indexOf(10);
    if (lf === -1) break; // (a very long line: fewer ranges)
    const s = from + lf + 1;
    if (s + MIN_RANGE_BYTES > len) break;
    starts.push(s);
  }
  starts.push(len);
  return starts;
}

/**
 * True when the file's first MiB is UTF-8 (a character cut by its end allowed) with no byte-order mark
 * other than UTF-8's: the files whose ranges can merge (docs/speed.md#ranges). A file in a legacy
 * encoding almost always shows it in its head; one that shows it only later is refused at the merge.
 */
async function plainUtf8Head(file) {
  const head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * Has helpers read ranges 1… of `file` (cut at `starts`) while the caller reads range 0: returns
 * { parts: Promise<Array<{ part, memoryBytes } | null>>, progress(): { bytes, rows }, cancel() }. A null
 * part (a helper failed or could not start) means the file must be read alone.
 */
export function readRanges(file, starts, options, chunkBytes) {
  const n = starts.length - 1;
  warmHelpers(n - 1);
  const seen = new Array(n).fill(null).map(() => ({ bytes: 0, rows: 0 }));
  const jobs = [];
  const pending = new Set(); // settle functions of the parts not in yet
  for (let k = 1; k < n; k++) {
    const helper = helpers.find((h) => !h.busy && !h.dead);
    if (!helper) {
      jobs.push(Promise.resolve(null));
      continue;
    }
    helper.busy = true;
    const id = nextId++;
    jobs.push(
      new Promise((resolve) => {
        let onMessage = null;
        const settle = (value) => {
          if (!pending.delete(settle)) return;
          helper.settle = null;
          if (onMessage) helper.worker.removeEventListener('message', onMessage);
          helper.busy = false;
          if (value === null || value.memoryBytes > KEEP_HELPER_BYTES) retire(helper);
          resolve(value);
        };
        settle.helper = helper;
        helper.settle = settle;
        pending.add(settle);
        helper.ready.then((ok) => {
          if (!ok) return settle(null);
          if (!pending.has(settle)) return; // (cancelled meanwhile)
          onMessage = (e) => {
            const m = e.data;
            if (m?.id !== id) return;
            if (m.type === 'progress') seen[k] = { bytes: m.bytesRead, rows: m.rows };
            else if (m.type === 'part') settle({ part: m.part, memoryBytes: m.memoryBytes });
            else if (m.type === 'failed') {
              console.warn(`tierwise: a range reader failed (${messageOf(m.message)}); reading alone`);
              settle(null);
            }
          };
          helper.worker.addEventListener('message', onMessage);
          helper.worker.postMessage({ type: 'read', id, file, options, start: starts[k], end: starts[k + 1], chunkBytes });
        });
      }),
    );
  }
  return {
    parts: Promise.all(jobs),
    progress() {
      let bytes = 0;
      let rows = 0;
      for (const s of seen) {
        bytes += s.bytes;
        rows += s.rows;
      }
      return { bytes, rows };
    },
    /** Stops the helpers still reading (they are replaced when next needed); their parts become null. */
    cancel() {
      for (const settle of [...pending]) {
        retire(settle.helper);
        settle(null);
      }
    },
  };
}
