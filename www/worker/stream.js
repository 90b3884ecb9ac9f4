// Reading the input: takes the File or bytes of an analyze request and pushes them into the core in
// chunks, posting progress and checking for a cancel between pushes.

import { Cancelled } from './errors.js';

const DEFAULT_CHUNK = 2 * 1024 * 1024; // 256 KiB–4 MiB measured alike, 64 KiB slower (README)
const MIN_CHUNK = 64 * 1024;
const MAX_CHUNK = 64 * 1024 * 1024;
const PROGRESS_EVERY_MS = 100;

/** The size of each push: the request's `chunkBytes`, clamped, or the default. */
export function chunkSize(chunkBytes) {
  return Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, Math.floor(Number(chunkBytes)) || DEFAULT_CHUNK));
}

// Lets queued messages (a `cancel`) run between two chunks. A MessageChannel task, unlike setTimeout,
// is not clamped to 4 ms when nested.
const yieldChannel = new MessageChannel();
const yieldWaiters = [];
yieldChannel.port1.onmessage = () => yieldWaiters.shift()?.();
export function yieldToEvents() {
  return new Promise((resolve) => {
    yieldWaiters.push(resolve);
    yieldChannel.port2.postMessage(null);
  });
}

/** The input of an analyze request: its file, its bytes, or else `lastInput` (a re-run). */
export function inputOf(msg, lastInput) {
  if (msg.file != null) {
    if (typeof Blob === 'undefined' || !(msg.file instanceof Blob)) {
      throw new Error('analyze: file must be a Blob or a File');
    }
    return { file: msg.file };
  }
  if (msg.bytes != null) {
    if (msg.bytes instanceof ArrayBuffer) return { bytes: new Uint8Array(msg.bytes) };
    if (ArrayBuffer.isView(msg.bytes)) {
      return { bytes: new Uint8Array(msg.bytes.buffer, msg.bytes.byteOffset, msg.bytes.byteLength) };
    }
    throw new Error('analyze: bytes must be an ArrayBuffer or a typed array');
  }
  if (lastInput) return lastInput;
  throw new Error('analyze: no file given');
}

const sizeOf = (input) => (input.file ? input.file.size : input.bytes.byteLength);

/**
 * Streams `input` into `analyzer` in pushes of `chunk` bytes, posting progress and checking for a
 * cancel between pushes. `extra` (optional) is added to every progress message (a compare's step).
 * `shared` (optional): the input is the first byte range of a file that range readers read at the same
 * time (./ranges.js): `{ totalBytes, others() → { bytes, rows } }`, added into the progress reported.
 */
export async function streamPass(input, analyzer, run, pass, chunk, extra = null, shared = null) {
  const totalBytes = shared ? shared.totalBytes : sizeOf(input);
  let lastReport = -Infinity;
  let last = null; // [bytesRead, rows] of the last report
  let pushes = 0;
  // line ends seen while the core does not count rows yet (it starts after the first MiB): a figure
  // for the progress of small files, the header line left out
  let lineEnds = 0;
  const report = (end) => {
    const now = performance.now();
    if (!end && pushes > 1 && now - lastReport < PROGRESS_EVERY_MS) return;
    const others = shared ? shared.others() : { bytes: 0, rows: 0 };
    const bytesRead = analyzer.bytesRead + others.bytes;
    const counted = analyzer.rowsRead + others.rows;
    const rows = counted || Math.max(0, lineEnds - 1);
    if (end && last && last[0] === bytesRead && last[1] === rows) return; // the last report was the end
    lastReport = now;
    last = [bytesRead, rows];
    self.postMessage({
      type: 'progress',
      id: run.id,
      pass,
      bytesRead,
      totalBytes,
      rows,
      rowsEstimated: !counted && rows > 0,
      elapsedMs: now - run.received,
      ...extra,
    });
  };
  const push = async (part) => {
    if (!analyzer.rowsRead) for (let i = part.indexOf(10); i !== -1; i = part.indexOf(10, i + 1)) lineEnds++;
    analyzer.push(part);
    pushes++;
    report(false);
    await yieldToEvents();
    if (run.cancelled) throw new Cancelled();
  };

  if (input.bytes) {
    const bytes = input.bytes;
    for (let off = 0; off < bytes.byteLength; off += chunk) {
      await push(bytes.subarray(off, Math.min(bytes.byteLength, off + chunk)));
    }
  } else {
    // Blob streams hand over small pieces (64 KiB in Chromium): gather them into one reused buffer.
    const reader = input.file.stream().getReader();
    const buf = new Uint8Array(Math.min(chunk, Math.max(1, totalBytes)));
    let fill = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (run.cancelled) throw new Cancelled();
        if (done) break;
        let v = value;
        while (v.byteLength) {
          if (fill === 0 && v.byteLength >= buf.byteLength) {
            const n = Math.min(v.byteLength, chunk);
            await push(v.subarray(0, n));
            v = v.subarray(n);
            continue;
          }
          const n = Math.min(buf.byteLength - fill, v.byteLength);
          buf.set(v.subarray(0, n), fill);
          fill += n;
          v = v.subarray(n);
          if (fill === buf.byteLength) {
            fill = 0;
            await push(buf);
          }
        }
      }
      if (fill) await push(buf.subarray(0, fill));
    } finally {
      reader.cancel().catch(() => {});
    }
  }
  report(true);
}
