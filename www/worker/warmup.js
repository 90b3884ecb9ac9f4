// Warming the core up once it has loaded (docs/speed.md#cold-start). A browser runs a new WebAssembly
// module's functions first from quickly made baseline code and makes optimised code only for those that
// turn out hot; the worker's own JavaScript is likewise compiled as it runs. So the first analysis in a
// new page ran ~1.3–2× slower than the same one again. This runs a small made-up file (about 3,000
// rows, 600 customers: ~40 ms) through the paths a real file takes — inspect, the streaming analyzer,
// the summary, the preview rows, the models — while the page is idle, and frees it. Nothing is posted.

import { freeQuietly, toPlain } from './core-values.js';
import { sliceColumns } from './slice.js';

/** A made-up transactions file: ISO dates, order ids, amounts with cents, a few returns. */
export function warmUpCsv(rows = 3000) {
  const lines = ['order_id,customer_id,order_date,amount'];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < rows; i++) {
    const customer = `C${String(Math.floor(next() * 600)).padStart(4, '0')}`;
    const month = 1 + Math.floor(next() * 12);
    const day = 1 + Math.floor(next() * 28);
    const amount = (next() < 0.03 ? -1 : 1) * (5 + Math.floor(next() * 50000) / 100);
    lines.push(`O${i},${customer},2024-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')},${amount.toFixed(2)}`);
  }
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

/**
 * Runs the warm-up with the core's exports (`Analyzer`, `inspect`) and the worker's column names.
 * Never throws: a warm-up that fails only leaves the first analysis as slow as before.
 */
export function warmUp({ Analyzer, inspect }, columnNames) {
  let analyzer = null;
  let handle = null;
  try {
    const bytes = warmUpCsv();
    inspect(bytes, undefined, true);
    analyzer = new Analyzer(undefined);
    for (let at = 0; at < bytes.length; at += 32 * 1024) analyzer.push(bytes.subarray(at, at + 32 * 1024));
    handle = analyzer.finishDeferred();
    freeQuietly(analyzer);
    analyzer = null;
    toPlain(handle.summary());
    const current = { handle, customerCount: Number(handle.customerCount), cache: new Map() };
    sliceColumns(current, columnNames, 0, 100);
    handle.fitModels();
    toPlain(handle.summary());
  } catch {
    // (see above)
  } finally {
    freeQuietly(analyzer);
    freeQuietly(handle);
  }
}

/** The same for a range reader (../range-worker.js): its path is forRange, push, endRange. */
export function warmUpRange(Analyzer) {
  let analyzer = null;
  try {
    const bytes = warmUpCsv();
    analyzer = Analyzer.forRange(undefined, bytes);
    for (let at = 0; at < bytes.length; at += 32 * 1024) analyzer.push(bytes.subarray(at, at + 32 * 1024));
    analyzer.endRange();
  } catch {
    // (see warmUp)
  } finally {
    freeQuietly(analyzer);
  }
}
