// The worker client: starts www/worker.js, sends it requests and settles each one's promise with the
// answer (progress messages go to a callback; a request can be cancelled). It knows nothing of the page:
// what to do when the worker is ready or lost is given as hooks.

/**
 * A client of the module worker at `url` (or of the worker a function `url()` returns, for a worker made
 * another way: one given by the embedding page, or Node's worker_threads adapter). Hooks:
 *   onReady(version)   the core is loaded
 *   onReset(message)   the worker was terminated (every request in flight has been rejected as fatal
 *                      with `message`)
 *   onIdleFailure()    the worker failed to start or crashed while no request was in flight
 *   engineError()      the message of a fatal error that has none of its own
 */
export function createWorkerClient(url, { onReady, onReset, onIdleFailure, engineError }) {
  let worker = null;
  let seq = 0;
  const pending = new Map(); // id → { resolve, reject, onProgress, onEarly, early }

  /** The worker, started on first use. */
  function start() {
    if (worker) return worker;
    const w = typeof url === 'function' ? url() : new Worker(url, { type: 'module' });
    w.onmessage = (ev) => onMessage(ev.data);
    w.onerror = (ev) => {
      ev.preventDefault?.();
      const idle = pending.size === 0;
      reset(engineError());
      if (idle) onIdleFailure();
    };
    w.onmessageerror = () => reset(engineError());
    worker = w;
    return w;
  }

  /** Terminate the worker and reject every request in flight with a fatal error carrying `message`. */
  function reset(message) {
    if (worker) worker.terminate();
    worker = null;
    const all = [...pending.values()];
    pending.clear();
    for (const p of all) p.reject(Object.assign(new Error(message), { fatal: true }));
    onReset(message);
  }

  function onMessage(msg) {
    if (!msg || typeof msg !== 'object') return;
    if (msg.type === 'ready') {
      onReady(msg.version);
      return;
    }
    if (msg.type === 'error' && msg.id == null) {
      reset(msg.message || engineError());
      return;
    }
    const p = pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'progress') {
      p.onProgress?.(msg);
      return;
    }
    if (msg.type === 'result' && msg.modelsPending) {
      // the early result (www/worker/protocol.md, deferModels): the request settles with `models`
      p.early = msg;
      p.onEarly?.(msg);
      return;
    }
    pending.delete(msg.id);
    if (msg.type === 'models' && p.early) {
      p.resolve(completeResult(p.early, msg));
      return;
    }
    if (msg.type === 'error') {
      const err = Object.assign(new Error(msg.message), {
        fatal: Boolean(msg.fatal),
        cancelled: Boolean(msg.cancelled),
        code: msg.code,
        params: msg.params,
      });
      if (msg.fatal) reset(msg.message);
      p.reject(err);
    } else {
      p.resolve(msg);
    }
  }

  /**
   * Send a request; `onProgress` receives its progress messages and `onEarly` an analyze request's
   * early `result` (models pending), whose promise settles with the complete result once the `models`
   * message came. Returns its `id`, the `promise` of the answer and `cancel()`, which asks the worker
   * to stop it (the promise then rejects with `cancelled`).
   */
  function request(msg, { transfer = [], onProgress = null, onEarly = null } = {}) {
    const id = ++seq;
    const promise = new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, onProgress, onEarly, early: null });
      try {
        start().postMessage({ ...msg, id }, transfer);
      } catch (e) {
        pending.delete(id);
        reject(e);
      }
    });
    return { id, promise, cancel: () => cancel(id) };
  }

  /** Send a request and return the promise of its answer. */
  function call(msg, transfer = []) {
    return request(msg, { transfer }).promise;
  }

  /** Ask the worker to stop request `id` (nothing to do when no worker is running). */
  function cancel(id) {
    worker?.postMessage({ type: 'cancel', id });
  }

  return { start, reset, request, call, cancel };
}

/**
 * The complete `result` of an analyze request answered in two steps: the early `result` with the
 * summary, timings, elapsed time and model columns of its `models` message (the same members as a
 * one-step `result`).
 */
export function completeResult(early, models) {
  return {
    ...early,
    summary: models.summary,
    columns: { ...early.columns, ...models.columns },
    timings: models.timings,
    elapsedMs: models.elapsedMs,
    modelsPending: false,
  };
}
