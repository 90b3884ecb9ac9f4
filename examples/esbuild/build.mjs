// Bundle the example with esbuild: out/main.js from main.js, out/worker.js from the package's worker.
// The package resolves what it loads at run time from its root (tierwise/assets.js: worker.js, the
// samples; tierwise/worker-assets.js: the workbook reader) and the wasm-bindgen glue from the wasm
// file's name next to it, so the bundles go in one folder with the .wasm files, pkg-workbook/ and the
// sample copied beside them.
import * as esbuild from 'esbuild';
import { copyFileSync, cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.dirname(fileURLToPath(import.meta.resolve('tierwise/package.json')));
const out = path.join(here, 'out');
mkdirSync(out, { recursive: true });

await esbuild.build({
  absWorkingDir: here,
  // the analysis worker and the range reader it starts for large files, both at the package root
  entryPoints: { main: 'main.js', worker: 'tierwise/worker', 'range-worker': 'tierwise/range-worker' },
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  outdir: out,
  logLevel: 'warning',
});
for (const f of ['pkg/tierwise_bg.wasm', 'pkg-xlsx/tierwise_xlsx_bg.wasm', 'sample.csv']) {
  copyFileSync(path.join(pkg, f), path.join(out, path.basename(f)));
}
// the workbook reader is imported by address (tierwise/worker-assets.js), so its folder goes along whole
cpSync(path.join(pkg, 'pkg-workbook'), path.join(out, 'pkg-workbook'), { recursive: true });
console.log(`bundled into ${out}`);
