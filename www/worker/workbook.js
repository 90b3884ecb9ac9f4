// Workbooks in the worker: tells an .xlsx/.xls/.ods file by its first bytes (a ZIP archive or an OLE2
// file, as the CLI does; never by its name), loads the workbook module (../pkg-workbook/) on first use
// only, and converts the chosen sheet to CSV bytes for the usual analysis. A CSV never loads the module.

import { isTrap, messageOf } from './errors.js';
import { WORKBOOK_MODULE_URL } from '../worker-assets.js';

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
// wasm memory never shrinks: after a conversion that grew the module's memory past this, the instance is
// dropped (a fresh one is loaded for the next workbook) so the memory can be given back
const KEEP_MEMORY_BYTES = 256 * 1024 * 1024;

async function headOf(input) {
  if (input.file) return new Uint8Array(await input.file.slice(0, 8).arrayBuffer());
  return input.bytes.subarray(0, 8);
}

const startsWith = (head, magic) => magic.every((b, i) => head[i] === b);

/** 'zip' or 'ole2' when the input's first bytes are those of a workbook's container, else null. */
export async function workbookContainer(input) {
  const head = await headOf(input);
  if (startsWith(head, ZIP)) return 'zip';
  if (startsWith(head, OLE2)) return 'ole2';
  return null;
}

let loading = null; // promise of { module, exports } of the loaded workbook module
let instances = 0;

/** The workbook module, loaded (fetched, compiled, instantiated) on first use. */
function workbookModule() {
  if (!loading) {
    // a new URL gives a fresh instance after the previous one was dropped: a fragment, which names a
    // new module without changing what is fetched (a query would not do in a data: URL, as in the
    // one-file build, scripts/single-file.mjs)
    instances += 1;
    const url = new URL(WORKBOOK_MODULE_URL);
    if (instances > 1) url.hash = `instance=${instances}`;
    loading = import(url.href).then(async (module) => ({ module, exports: await module.default() }));
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

/** The coded `workbook_unreadable` error, for a workbook module that stopped (a trap) or failed to load. */
function unreadable(format, detail) {
  const text = `could not read the workbook (${format}): ${detail}`; // the catalog's English template
  return Object.assign(new Error(text), { code: 'workbook_unreadable', params: { format, detail } });
}

/**
 * Converts the sheet `sheet` (a name, a 0-based index, or undefined for the first visible one) of the
 * workbook `input` ({ file } or { bytes }) to CSV. Returns { csv: Uint8Array, workbook: { format, sheet,
 * sheets }, memoryBytes, ms }. Throws the workbook module's coded errors (no_such_sheet, empty_sheet,
 * workbook_too_large, …).
 */
export async function convertWorkbook(input, container, sheet) {
  const t0 = performance.now();
  const format = container === 'ole2' ? '.xls' : 'ZIP';
  let loaded;
  try {
    loaded = await workbookModule();
  } catch (e) {
    throw unreadable(format, `the workbook module could not be loaded (${messageOf(e)})`);
  }
  const { module, exports } = loaded;
  if (input.file) module.checkFileSize(input.file.size); // before reading the whole file
  const bytes = input.file ? new Uint8Array(await input.file.arrayBuffer()) : input.bytes;
  let out;
  try {
    out = module.sheetToCsv(bytes, sheet ?? undefined);
  } catch (e) {
    if (!isTrap(e)) throw e;
    // the module's instance is unusable (out of memory on a hostile file, or a bug): drop it; the
    // analysis module is a separate instance and stays usable
    loading = null;
    throw unreadable(format, `the workbook reader stopped (${messageOf(e)})`);
  }
  const memoryBytes = exports.memory.buffer.byteLength;
  if (memoryBytes > KEEP_MEMORY_BYTES) loading = null;
  return {
    csv: out.csv,
    workbook: { format: out.format, sheet: out.sheet, sheets: out.sheets },
    memoryBytes,
    ms: performance.now() - t0,
  };
}
