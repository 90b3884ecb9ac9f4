// A range reader: a helper worker the analysis worker (www/worker.js) starts to read one byte range of
// a large file at the same time as it reads the first (docs/speed.md#ranges). It has its own copy of the
// core; it reads the file's first MiB to take the same decisions, then the rows of its range, and posts
// what it read as bytes (Analyzer.endRange) for the analysis worker to absorb.
//
// It sits at the package root beside worker.js (its address is named in worker-assets.js), so a bundle of
// it placed where the package root was finds the wasm the same way (README "Use from a bundler").
//
// Protocol (./worker/ranges.js is the other side):
//   ← { type: 'read', id, file, options, start, end, chunkBytes }
//   → { type: 'progress', id, bytesRead, rows, … }  while reading (./worker/stream.js), at most every 100 ms
//   → { type: 'part', id, part, memoryBytes }       part: Uint8Array (its buffer transferred)
//   → { type: 'failed', id, message }               any failure: the analysis worker reads alone
//   ← { type: 'cancel', id }                        stop reading that range (./worker/ranges.js rather
//                                                   terminates a helper: it is started again when needed)
//   → { type: 'ready' } once, when the core is loaded; { type: 'failed', id: null, … } if it cannot be

import init, { Analyzer } from './pkg/tierwise.js';
import { Cancelled, messageOf } from './worker/errors.js';
import { freeQuietly } from './worker/core-values.js';
import { chunkSize, streamPass } from './worker/stream.js';
import { warmUpRange } from './worker/warmup.js';

/** Bytes of the file's head the core decides from (tierwise::HEAD_BYTES). */
const HEAD_BYTES = 1 << 20;

let wasm = null;
const runs = new Map(); // id → { id, cancelled, received } of the range being read

const ready = init().then(
  (exports) => {
    wasm = exports;
    warmUpRange(Analyzer);
    self.postMessage({ type: 'ready' });
  },
  (e) => self.postMessage({ type: 'failed', id: null, message: `could not load the core: ${messageOf(e)}` }),
);

async function read(msg) {
  const { id, file, options, start, end } = msg;
  const run = { id, cancelled: false, received: performance.now() };
  runs.set(id, run);
  let analyzer = null;
  try {
    await ready;
    if (!wasm) throw new Error('the core is not loaded');
    const head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
    analyzer = Analyzer.forRange(options ?? undefined, head);
    // (progress goes to the analysis worker as { type: 'progress', id, bytesRead, rows, … })
    await streamPass({ file: file.slice(start, end) }, analyzer, run, 1, chunkSize(msg.chunkBytes));
    const part = analyzer.endRange();
    self.postMessage({ type: 'part', id, part, memoryBytes: wasm.memory.buffer.byteLength }, [part.buffer]);
  } catch (e) {
    if (!(e instanceof Cancelled)) self.postMessage({ type: 'failed', id, message: messageOf(e) });
  } finally {
    runs.delete(id);
    freeQuietly(analyzer); // (already consumed by endRange when it succeeded)
  }
}

self.onmessage = (e) => {
  const msg = e.data;
  if (msg?.type === 'read') read(msg);
  else if (msg?.type === 'cancel') {
    const run = runs.get(msg.id);
    if (run) run.cancelled = true;
  }
};
