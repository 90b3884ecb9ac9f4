// Assembles the npm package `tierwise` in dist/npm/ and packs it into dist/tierwise-<version>.tgz (the
// last step of scripts/build.sh; needs its outputs: www/pkg*, www/vendor, www/data). The package is the
// site's www/ with its relative layout kept (so every import and `new URL(…, import.meta.url)` keeps
// working) minus the demo page's own files (index.html, page.css, and the classic-script build of ECharts,
// vendor/echarts.min.js: the components import vendor/echarts.esm.min.mjs), plus
// the Node entry (package/node.js), the types, package/README.md and the LICENSE. Version from
// Cargo.toml; no runtime dependencies (ECharts ships inside, in vendor/, with its licence).
//
//   node scripts/package.mjs            prints the tarball's path, size and file count

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const WWW = path.join(ROOT, 'www');
const DIST = path.join(ROOT, 'dist');
const OUT = path.join(DIST, 'npm');

/** The [package] version of Cargo.toml. */
export function cargoVersion(toml) {
  const section = toml.split(/^\[/m).find((s) => s.startsWith('package]'));
  const m = section && /^version\s*=\s*"([^"]+)"/m.exec(section);
  if (!m) throw new Error('package: no version in the [package] section of Cargo.toml');
  return m[1];
}

/** The relative specifiers a module imports (static, re-exports, dynamic with a literal). */
function importsOf(source) {
  const found = [];
  for (const re of [
    /^[ \t]*import\s+(?:[\w$*{}\s,]+?\s+from\s+)?['"]([^'"]+)['"]/gm,
    /^[ \t]*export\s+(?:\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s+from\s+['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ]) {
    for (const m of source.matchAll(re)) if (m[1].startsWith('.')) found.push(m[1]);
  }
  return found;
}

/** Every file under `dir` (relative paths with /). */
function filesUnder(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return filesUnder(full, base);
    return [path.relative(base, full).split(path.sep).join('/')];
  });
}

function main() {
  const version = cargoVersion(readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8'));
  const needed = ['pkg/tierwise.js', 'pkg/tierwise_bg.wasm', 'pkg/tierwise.d.ts', 'pkg/catalog.js', 'pkg-workbook/tierwise_workbook_bg.wasm',
    'pkg-xlsx/tierwise_xlsx_bg.wasm', 'vendor/echarts.esm.min.mjs', 'vendor/echarts.LICENSE.txt', 'data/cdnow/README.md', 'sample.csv'];
  const missing = needed.filter((f) => !existsSync(path.join(WWW, f)));
  if (missing.length) throw new Error(`package: missing in www/: ${missing.join(', ')}; run scripts/build.sh first`);

  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });

  // www/ without the demo page's own files, unless a packaged module imports them
  const pageOnly = new Set(['index.html', 'page.css', 'app.js']);
  const kept = readdirSync(WWW).filter((name) => !pageOnly.has(name));
  const imported = new Set();
  for (const rel of filesUnder(WWW)) {
    if (!/\.m?js$/.test(rel) || pageOnly.has(rel) || /^(pkg[^/]*|vendor|data)\//.test(rel)) continue;
    for (const spec of importsOf(readFileSync(path.join(WWW, rel), 'utf8'))) {
      imported.add(path.relative(WWW, path.resolve(WWW, path.dirname(rel), spec)).split(path.sep).join('/'));
    }
  }
  for (const name of pageOnly) if (imported.has(name)) kept.push(name);
  for (const name of kept) {
    cpSync(path.join(WWW, name), path.join(OUT, name), {
      recursive: true,
      filter: (src) => !src.endsWith('/.gitignore') && !src.endsWith('/vendor/echarts.min.js'),
    });
  }
  for (const f of ['node.js', 'node-worker.js', 'node.d.ts', 'README.md']) cpSync(path.join(ROOT, 'package', f), path.join(OUT, f));
  cpSync(path.join(ROOT, 'LICENSE'), path.join(OUT, 'LICENSE'));

  const has = (f) => existsSync(path.join(OUT, f));
  const exportsMap = {
    '.': {
      node: { types: './node.d.ts', default: './node.js' },
      types: './client.d.ts',
      default: './client.js',
    },
    './worker': { types: './worker.d.ts', default: './worker.js' },
    './range-worker': { types: './range-worker.d.ts', default: './range-worker.js' },
  };
  if (has('components.js')) {
    if (!has('components.d.ts')) throw new Error('package: www/components.js has no www/components.d.ts beside it');
    exportsMap['./components'] = { types: './components.d.ts', default: './components.js' };
  }
  exportsMap['./wasm'] = { types: './pkg/tierwise.d.ts', default: './pkg/tierwise.js' };
  exportsMap['./package.json'] = './package.json';

  // modules with side effects: the worker entries (the range reader the analysis worker starts too),
  // and whatever registers custom elements
  const sideEffects = ['./worker.js', './range-worker.js', './node-worker.js'];
  for (const rel of filesUnder(OUT)) {
    if (/^(components\.js|components\/.*\.m?js)$/.test(rel) && /customElements\s*\.\s*define\s*\(/.test(readFileSync(path.join(OUT, rel), 'utf8'))) {
      sideEffects.push(`./${rel}`);
    }
  }
  if (has('components.js') && !sideEffects.includes('./components.js')) sideEffects.push('./components.js');

  const manifest = {
    name: 'tierwise',
    version,
    description:
      'Customer value grading (客户分级), RFM scoring, churn warnings and lifecycle stages, in the browser and in Node via WebAssembly',
    license: 'MIT',
    type: 'module',
    main: './client.js',
    types: './client.d.ts',
    exports: exportsMap,
    sideEffects,
    files: readdirSync(OUT).filter((f) => f !== 'package.json').sort(),
    engines: { node: '>=20' },
    keywords: ['rfm', 'customer-segmentation', 'clv', 'churn', 'webassembly', 'web-worker'],
  };
  writeFileSync(path.join(OUT, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  mkdirSync(DIST, { recursive: true });
  // packed beside dist/ and then renamed into it, so a test installing the tarball at the same time
  // (node --test runs files side by side on more cores) never reads a half-written one
  const staging = mkdtempSync(path.join(DIST, '.pack-'));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', staging], { cwd: OUT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
  )[0];
  const tgz = path.join(DIST, packed.filename);
  renameSync(path.join(staging, packed.filename), tgz);
  rmSync(staging, { recursive: true, force: true });
  const kb = (n) => `${Math.round(n / 1024)} KB`;
  process.stderr.write(
    `[package] ${path.relative(ROOT, tgz)}: ${kb(statSync(tgz).size)} packed, ${kb(packed.unpackedSize)} unpacked, ${packed.entryCount} files\n`,
  );
  process.stdout.write(`${tgz}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
