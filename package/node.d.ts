// Types of the npm package's Node entry (node.js, the "node" export condition): the same API as the
// browser client (client.d.ts), with the worker run in a worker_threads thread.

import type { Tierwise } from './client.js';

export * from './client.js';

/** The web Worker interface the client needs, for a worker made by the caller. */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: unknown[]): void;
  terminate(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: { message?: string; preventDefault?(): void }) => void) | null;
  onmessageerror: ((event: { data: unknown }) => void) | null;
}

/** How the Node client's worker is made. */
export interface NodeCreateOptions {
  /** Another copy of this package's worker.js (a file: URL, or a path relative to the working directory). */
  workerUrl?: string | URL;
  /** A worker made by the caller; once lost it is not replaced. */
  worker?: WorkerLike;
}

/** Starts the analysis worker in a worker_threads thread; resolves once its core is loaded. */
export declare function createTierwise(opts?: NodeCreateOptions): Promise<Tierwise>;
