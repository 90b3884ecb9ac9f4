// The worker_threads side of the package's Node entry (node.js): gives www/worker.js the browser worker
// globals it uses (self, postMessage, onmessage) over the thread's parentPort, a fetch that reads file:
// URLs from disk (wasm-bindgen's init fetches the .wasm next to its module; Node's fetch has no file:
// support) and a MessageChannel that yields through setImmediate (see below), then loads the worker
// itself, unchanged.

import { parentPort, workerData } from 'node:worker_threads';
import { readFile } from 'node:fs/promises';

const TYPES = { '.wasm': 'application/wasm', '.js': 'text/javascript', '.json': 'application/json' };
const networkFetch = globalThis.fetch;

globalThis.fetch = async (input, init) => {
  const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input?.url;
  if (typeof href === 'string' && href.startsWith('file:')) {
    const url = new URL(href);
    let bytes;
    try {
      bytes = await readFile(url);
    } catch (e) {
      return new Response(null, { status: 404, statusText: `cannot read ${url.pathname}: ${e.code ?? e.message}` });
    }
    const ext = url.pathname.slice(url.pathname.lastIndexOf('.'));
    return new Response(bytes, { status: 200, headers: { 'Content-Type': TYPES[ext] ?? 'application/octet-stream' } });
  }
  return networkFetch(input, init);
};
// The worker yields between two pushes into the core with a MessageChannel ping (worker/stream.js), so
// that a `cancel` is seen. A Node MessagePort drains its queue, messages posted meanwhile included,
// before the event loop goes on, so that ping-pong would hold the parentPort's messages (the cancel)
// back until the analysis ends; setImmediate runs after the loop's I/O (the parentPort) every time.
class ImmediateChannel {
  constructor() {
    const port = () => ({ onmessage: null, peer: null, postMessage(data) { const peer = this.peer; setImmediate(() => peer.onmessage?.({ data })); } });
    this.port1 = port();
    this.port2 = port();
    this.port1.peer = this.port2;
    this.port2.peer = this.port1;
  }
}
globalThis.MessageChannel = ImmediateChannel;
globalThis.self = globalThis;
globalThis.postMessage = (msg, transfer) => parentPort.postMessage(msg, transfer);
parentPort.on('message', (data) => globalThis.onmessage?.({ data }));

await import(workerData?.workerUrl ?? new URL('./worker.js', import.meta.url).href);
