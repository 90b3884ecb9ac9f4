// The npm package's Node entry (its "node" export condition; types in node.d.ts): the same
// createTierwise() as client.js, with the very same worker (worker.js) run in a worker_threads thread
// through ./node-worker.js, which gives it the few browser globals it uses. One protocol, one
// implementation: `await (await createTierwise()).analyze(fs.readFileSync(file))` works in a script.

import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { onlyWorker, start, TierwiseError } from './lib/client-core.js';

export { TierwiseError };

/**
 * A worker_threads thread with the web Worker interface the client uses (postMessage, onmessage,
 * onerror, onmessageerror, terminate). The thread keeps the process alive only while a request is
 * unanswered, so a script that forgets dispose() still ends.
 */
class ThreadWorker {
  #thread;
  #waiting = new Set(); // ids of requests not answered yet
  #ready = false;
  #terminated = false;

  constructor(workerUrl) {
    this.onmessage = null;
    this.onerror = null;
    this.onmessageerror = null;
    this.#thread = new Worker(new URL('./node-worker.js', import.meta.url), { workerData: { workerUrl } });
    this.#thread.on('message', (data) => {
      this.#answered(data);
      this.onmessage?.({ data });
    });
    this.#thread.on('error', (error) => this.#failed(`the analysis worker thread failed: ${error?.message ?? error}`));
    this.#thread.on('messageerror', (error) => this.onmessageerror?.({ data: error }));
    this.#thread.on('exit', (code) => {
      if (!this.#terminated) this.#failed(`the analysis worker thread stopped (exit code ${code})`);
    });
  }

  #failed(message) {
    if (this.#terminated) return;
    this.onerror?.({ message, preventDefault() {} });
  }

  #answered(data) {
    if (!data || typeof data !== 'object') return;
    if (data.type === 'ready') this.#ready = true;
    else if (data.type !== 'progress') this.#waiting.delete(data.id);
    if (this.#ready && this.#waiting.size === 0) this.#thread.unref();
  }

  postMessage(msg, transfer = []) {
    if (msg && msg.type !== 'cancel' && msg.id != null) {
      this.#waiting.add(msg.id);
      this.#thread.ref();
    }
    this.#thread.postMessage(msg, transfer);
  }

  terminate() {
    this.#terminated = true;
    this.#thread.terminate();
  }
}

/**
 * Starts the worker in a worker_threads thread and resolves with a `Tierwise` client once the core is
 * loaded (rejects with a TierwiseError of code 'engine' when it cannot load). `opts.workerUrl` runs
 * another copy of worker.js (a file: URL or path); `opts.worker` uses a web-Worker-like object made by
 * the caller.
 */
export async function createTierwise(opts = {}) {
  const { workerUrl, worker } = opts ?? {};
  if (worker != null) return start(onlyWorker(worker));
  const url = workerUrl == null ? new URL('./worker.js', import.meta.url).href : new URL(workerUrl, pathToFileURL(`${process.cwd()}/`)).href;
  return start(() => new ThreadWorker(url));
}
