// The worker's `inspect` request (the page's mapping step, docs/input.md#inspect): reads only the head
// of a text file (its first MiB, plus one byte so the core knows the file goes on), or the sheet of a
// workbook converted by the workbook module (kept by the worker, so the analyze that follows reuses
// it), and answers with the core's inspection in its lenient form: a file without a recognisable
// customer or date column still gets its preview and columns, the missing role in `missing`.

import { inputOf } from './stream.js';
import { toPlain } from './core-values.js';
import { workbookContainer } from './workbook.js';

/** Bytes of a text file handed to the core's inspect: its head (HEAD_BYTES, 1 MiB) and one more. */
export const INSPECT_BYTES = 1024 * 1024 + 1;

/**
 * Whether two inputs of the worker ({ file } or { bytes }) are the same file: the same object, or two
 * copies of one File posted twice (a File is cloned on each postMessage), told by name, size, type
 * and modification time.
 */
export function sameInput(a, b) {
  if (!a || !b) return false;
  if (a === b) return true;
  if (a.bytes || b.bytes) return a.bytes != null && a.bytes === b.bytes;
  const f = a.file;
  const g = b.file;
  return (
    f != null && g != null && f.name === g.name && f.size === g.size && f.type === g.type && f.lastModified === g.lastModified
  );
}

/**
 * Answers `{ type: 'inspect', id, file | bytes, options }` with `{ type: 'inspection', id, inspection }`.
 * `inspect` is the wasm package's inspect(bytes, options, lenient); `sheetOf(input, sheet)` converts
 * (or reuses) a workbook's sheet: worker.js's sourceOf, whose `workbook` is { csv, workbook: { format,
 * sheet, sheets } }.
 */
export async function handleInspect(msg, inspect, sheetOf) {
  if (msg.file == null && msg.bytes == null) throw new Error('inspect: give a file or bytes');
  const input = inputOf(msg, null);
  const options = msg.options ?? undefined;
  let head;
  let workbook = null;
  if (await workbookContainer(input)) {
    const converted = (await sheetOf(input, options?.sheet ?? null)).workbook;
    workbook = converted.workbook;
    head = converted.csv.subarray(0, INSPECT_BYTES);
  } else if (input.file) {
    head = new Uint8Array(await input.file.slice(0, INSPECT_BYTES).arrayBuffer());
  } else {
    head = input.bytes.subarray(0, INSPECT_BYTES);
  }
  // a sheet's text is UTF-8 whatever options.encoding says (as in the CLI and the analysis)
  const opts = workbook ? { ...options, encoding: 'utf-8' } : options;
  const inspection = toPlain(inspect(head, opts, true));
  if (workbook) {
    inspection.kind = workbook.format;
    inspection.sheet = workbook.sheet;
    inspection.sheets = workbook.sheets;
  }
  self.postMessage({ type: 'inspection', id: msg.id, inspection });
}
