// Where the files the package loads at run time are: the worker (which loads the wasm next to it) and
// the two sample data sets, resolved from the package's root folder (this module's own address). They
// are named here, at the root, and not in lib/: in a bundle every module shares the bundle's
// import.meta.url, so a bundle placed where the package root was (with worker.js, the pkg*/ folders and
// the samples beside it, as README "Use from a bundler" shows) finds them the same way.

/** The analysis worker (worker.js, a module worker). */
export const WORKER_URL = new URL('./worker.js', import.meta.url);

/** The bundled sample data set (scripts/generate-sample.mjs). */
export const SAMPLE_URL = new URL('./sample.csv', import.meta.url);

/** The CDNOW sample (data/cdnow/, with its attribution). */
export const CDNOW_URL = new URL('./data/cdnow/CDNOW_sample.txt', import.meta.url);
