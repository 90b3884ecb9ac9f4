// Where the worker finds what it loads by address at run time: the workbook reader (a wasm-bindgen
// module with its wasm beside it, imported afresh after a large workbook, worker/workbook.js) and the
// range reader (range-worker.js, the helper worker of worker/ranges.js). Named here,
// at the package root and apart from assets.js (which names the worker itself), so a bundle of the
// worker placed where the package root was resolves it the same way (README "Use from a bundler").

/** The workbook reader's module (pkg-workbook/). */
export const WORKBOOK_MODULE_URL = new URL('./pkg-workbook/tierwise_workbook.js', import.meta.url);

/** The range reader (range-worker.js, a module worker reading one byte range of a large file). */
export const RANGE_WORKER_URL = new URL('./range-worker.js', import.meta.url);
