// A typed example of the npm package as a Node project sees it (moduleResolution node16: the exports map's
// "node" condition, node.d.ts). Type-checked, never run, by tests/package.test.mjs (tsconfig.node.json).

import { createTierwise, TierwiseError, type AnalysisResult, type Tierwise } from 'tierwise';
import type { WorkerLike } from 'tierwise';

const tw: Tierwise = await createTierwise({ workerUrl: './node_modules/tierwise/worker.js' });
const bytes = new Uint8Array([65, 10]);
const result: AnalysisResult = await tw.analyze(bytes, { labels: 'en' });
const customers: number = result.summary.customers;
const err: TierwiseError | null = null;
tw.dispose();

declare const made: WorkerLike;
await createTierwise({ worker: made });
// @ts-expect-error: Node's workerUrl is a path or URL, not a number
await createTierwise({ workerUrl: 42 });

export const used = [customers, err];
