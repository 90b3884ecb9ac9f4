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
  #held = null; // while a file-backed Blob is read: the promise the later messages wait behind

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
    // (an early `result` whose models are pending is answered by the `models` message that follows)
    else if (data.type !== 'progress' && !(data.type === 'result' && data.modelsPending)) this.#waiting.delete(data.id);
    if (this.#ready && this.#waiting.size === 0) this.#thread.unref();
  }

  postMessage(msg, transfer = []) {
    if (msg && msg.type !== 'cancel' && msg.id != null) {
      this.#waiting.add(msg.id);
      this.#thread.ref();
    }
    if (this.#held) {
      this.#hold(() => this.#post(msg, transfer)); // keep the order behind a file being read
      return;
    }
    try {
      this.#thread.postMessage(msg, transfer);
    } catch (e) {
      // Node cannot pass a file-backed Blob (fs.openAsBlob) to a thread: read it here, send its bytes
      if (!(typeof Blob !== 'undefined' && msg?.file instanceof Blob) || e?.code !== 'ERR_INVALID_STATE') throw e;
      const { file, ...rest } = msg;
      this.#hold(() =>
        file.arrayBuffer().then(
          (bytes) => this.#post({ ...rest, bytes }, [bytes]),
          (err) => this.#fail(msg.id, `could not read the file: ${err?.message ?? err}`),
        ),
      );
    }
  }

  /** Runs `task` after the ones held before it; messages posted meanwhile wait behind them. */
  #hold(task) {
    const p = (this.#held ?? Promise.resolve()).then(task);
    this.#held = p;
    p.then(() => {
      if (this.#held === p) this.#held = null;
    });
  }

  #post(msg, transfer) {
    if (this.#terminated) return;
    try {
      this.#thread.postMessage(msg, transfer);
    } catch (e) {
      this.#fail(msg?.id, `could not send the request to the worker: ${e?.message ?? e}`);
    }
  }

  /** Answers request `id` with an error, as the worker would. */
  #fail(id, message) {
    if (id == null) return;
    const data = { type: 'error', id, message, fatal: false };
    this.#answered(data);
    this.onmessage?.({ data });
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
