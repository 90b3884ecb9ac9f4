// The npm package's browser entry (`import { createTierwise } from 'tierwise'`; types in client.d.ts,
// guide in package/README.md): starts the analysis worker (./worker.js) as a module worker and hands back
// the typed client of ./lib/client-core.js. Plain ES module, served as it is; bundlers (Vite, webpack,
// esbuild) find the worker through the literal `new URL('./worker.js', import.meta.url)` below.

import { onlyWorker, start, TierwiseError } from './lib/client-core.js';

export { TierwiseError };

/**
 * Starts a worker and resolves with a `Tierwise` client once the core in it is loaded (rejects with a
 * TierwiseError of code 'engine' when it cannot load). `opts.workerUrl` loads the worker from another
 * address (it must be this package's worker.js, with its relative files beside it); `opts.worker` uses
 * a worker the page made itself (then a lost worker is not restarted).
 */
export async function createTierwise(opts = {}) {
  const { workerUrl, worker } = opts ?? {};
  let makeWorker;
  if (worker != null) makeWorker = onlyWorker(worker);
  else if (workerUrl != null) makeWorker = () => new Worker(workerUrl, { type: 'module' });
  else makeWorker = () => new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  return start(makeWorker);
}
