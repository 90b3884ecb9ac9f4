// The bytes an analysis reads: the input itself, or, for a workbook, a sheet converted to CSV by the
// workbook module and kept for the requests that follow on the same file and sheet (re-runs, the
// analyze after an inspect, the review's passes). `forgetSheet` drops it (the `free` request).

import { Cancelled } from './errors.js';
import { convertWorkbook, workbookContainer } from './workbook.js';
import { sameInput } from './inspect.js';

let kept = null; // { input, sheet, converted }: the last workbook sheet converted

/** Drop the kept sheet. */
export function forgetSheet() {
  kept = null;
}

/**
 * The CSV bytes to analyse: the input itself, or, for a workbook, its sheet `options.sheet` converted by
 * the workbook module (kept for re-runs of the same input and sheet).
 */
export async function sourceOf(input, options, run) {
  const container = await workbookContainer(input);
  if (!container) return { source: input, workbook: null };
  const sheet = options?.sheet ?? null;
  if (!(kept && sameInput(kept.input, input) && kept.sheet === sheet)) {
    kept = null;
    self.postMessage({
      type: 'progress',
      id: run.id,
      pass: 1,
      stage: 'workbook',
      bytesRead: 0,
      totalBytes: input.file ? input.file.size : input.bytes.byteLength,
      rows: 0,
      elapsedMs: performance.now() - run.received,
    });
    kept = { input, sheet, converted: await convertWorkbook(input, container, sheet) };
    if (run.cancelled) throw new Cancelled();
    return { source: { bytes: kept.converted.csv }, workbook: kept.converted, workbookMs: kept.converted.ms };
  }
  return { source: { bytes: kept.converted.csv }, workbook: kept.converted, workbookMs: 0 };
}
