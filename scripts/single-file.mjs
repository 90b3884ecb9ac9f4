#!/usr/bin/env node
// The one-file offline build (issue 12, item 4): writes dist/tierwise.html, the whole page in one HTML
// file that works from file:// with no server and no network, and prints its size (raw and gzipped),
// failing above scripts/single-file-budget.txt. Called at the end of scripts/build.sh; on its own:
//
//   node scripts/single-file.mjs [--www www] [--out dist/tierwise.html]
//
// It is driven by www/index.html alone, so it follows the page as the page changes:
// - each <link rel=stylesheet href> becomes a <style> (the sheet bundled by esbuild: @import and url()
//   files inlined);
// - each classic <script src> (ECharts) becomes an inline <script>;
// - each <script type=module src> (or inline module script importing files) is bundled by esbuild, with
//   its dynamic imports, into one inline module script; a CSS module script it imports (`with { type:
//   'css' }`) becomes a module making that CSSStyleSheet;
// - the Content-Security-Policy meta tag is replaced by SINGLE_FILE_CSP.
//
// Inside bundled code, every `new URL('<literal>', import.meta.url)` is rewritten before esbuild reads the
// module (the build's esbuild plugin, `plugin`: an onLoad text rewrite, `rewriteNewUrls`):
// - a .js target is bundled by esbuild on its own. With no exports it is something to run on its own (a
//   worker, www/worker.js): it is bundled as a classic script and becomes a blob: URL, started as a
//   classic worker (scripts/single-file-runtime.js says why not a module worker); with exports it is a
//   module to import (the workbook reader, www/worker/workbook.js) and becomes a data: URL module;
// - any other file (the wasm modules used by wasm-bindgen's init, sample.csv, data/cdnow/…) becomes a
//   data: URL, gzip-compressed when the page only fetches it (FETCHED_ONLY) and that saves a quarter,
//   and held once in the file though the page and its worker both use it (see `dataRef`).
// The notices next to inlined files (README*, *LICENSE* in their folders: the ECharts licence, the CDNOW
// attribution) are copied into a comment at the top of the file.

import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const RUNTIME = path.join(ROOT, 'scripts/single-file-runtime.js');
const BUDGET_FILE = path.join(ROOT, 'scripts/single-file-budget.txt');
const GZIP_MARK = ';enc=gzip'; // the same as GZIP_MARK in scripts/single-file-runtime.js

/**
 * The one file's Content-Security-Policy: inline scripts and styles, workers from blob: URLs, modules,
 * fetches, images and styles from data: URLs (fetches and images from blob: too: object URLs the page
 * makes itself), wasm compiled from bytes; nothing from the network, nor from file: (default-src 'none').
 */
export const SINGLE_FILE_CSP = [
  "default-src 'none'",
  "script-src 'unsafe-inline' 'wasm-unsafe-eval' data:",
  'worker-src blob:',
  'connect-src data: blob:',
  'img-src data: blob:',
  "style-src 'unsafe-inline' data:",
  'font-src data:',
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

// Files the page only ever reads with fetch() (so they may be stored gzip-compressed: the runtime's
// fetch decompresses them). A file used any other way (a style sheet, an image) must not be listed here.
const FETCHED_ONLY = /\.(wasm|csv|tsv|txt)$/i;

const MEDIA_TYPES = {
  '.wasm': 'application/wasm',
  '.csv': 'text/csv',
  '.tsv': 'text/tab-separated-values',
  '.txt': 'text/plain',
  '.json': 'application/json',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.md': 'text/markdown',
};

// `new URL('<literal>', import.meta.url)`, the form bundlers recognise (a template or a variable is left
// alone, and then fails the build: see `bundle`)
const NEW_URL = /new\s+URL\(\s*(['"])([^'"\n]+)\1\s*,\s*import\.meta\.url\s*\)/g;

/** A data: URL of the file `file`; gzip-compressed (GZIP_MARK) when it is FETCHED_ONLY and that pays. */
function dataUrlOfFile(file) {
  const bytes = readFileSync(file);
  const type = MEDIA_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  if (FETCHED_ONLY.test(file)) {
    const gz = gzipSync(bytes, { level: 9 });
    if (gz.length <= bytes.length * 0.75) return `data:${type}${GZIP_MARK};base64,${gz.toString('base64')}`;
  }
  return `data:${type};base64,${bytes.toString('base64')}`;
}

/**
 * A data: URL module of the JavaScript text `code`, percent-escaped where a URL needs it (%, #, and the
 * tabs and line breaks a URL parser drops) rather than base64 (a third larger).
 */
function dataUrlOfModule(code) {
  return `data:text/javascript,${code.replace(/[%#\t\n\r]/g, (c) => encodeURIComponent(c))}`;
}

/** One build of the one file: the bundles made so far and the files inlined, for the notices. */
class SingleFileBuild {
  constructor(www) {
    this.www = www;
    this.scripts = new Map(); // .js target → promise of its bundle: { module: data: URL } or { classic, data }
    this.inlined = new Set(); // every file put in the one file
    this.dataUrls = new Map(); // file → its data: URL; its number is its place in this map
  }

  // A bundle is made in a context { chain, classic, data }: the .js targets it is made for (outermost
  // first: a target met again would never end), whether it is a classic worker script, and for one, the
  // numbers of the files it needs. A module (the page, a data: URL module) imports each file's data: URL
  // from a module of its own (`single-file-data:<file>`, so esbuild puts it in once); a classic worker
  // reads it from the table `self.__singleFileData` the page hands it with its code (classicScriptUrl),
  // so that a file the page and its worker both use (the analysis wasm) is in the one file once.

  /**
   * The esbuild plugin of this build, for a bundle made in the context `ctx`. It rewrites
   * `new URL('<literal>', import.meta.url)` in every module it loads (`rewriteNewUrls`), makes the
   * `single-file-data:<file>` modules, and turns a CSS module script (`import sheet from './x.css'
   * with { type: 'css' }`, which esbuild does not bundle) into a module making that CSSStyleSheet.
   */
  plugin(ctx) {
    return {
      name: 'tierwise-single-file',
      setup: (build) => {
        build.onLoad({ filter: /\.m?js$/ }, async (args) => {
          const source = readFileSync(args.path, 'utf8');
          this.inlined.add(args.path);
          return { contents: await this.rewriteNewUrls(source, args.path, ctx), loader: 'js' };
        });
        build.onResolve({ filter: /^single-file-data:/ }, (args) => ({
          path: args.path.slice('single-file-data:'.length),
          namespace: 'single-file-data',
        }));
        build.onLoad({ filter: /.*/, namespace: 'single-file-data' }, (args) => ({
          contents: `export default ${JSON.stringify(this.dataUrls.get(args.path))};`,
          loader: 'js',
        }));
        // a classic worker's code, imported by every site that starts it (the page's engine and the
        // package client both start worker.js): in the bundle once
        build.onResolve({ filter: /^single-file-script:/ }, (args) => ({
          path: args.path.slice('single-file-script:'.length),
          namespace: 'single-file-script',
        }));
        build.onLoad({ filter: /.*/, namespace: 'single-file-script' }, async (args) => ({
          contents: `export default ${JSON.stringify((await [...this.scripts.values()][Number(args.path)]).classic)};`,
          loader: 'js',
        }));
        // the ES module build of ECharts (lib/echarts.js, for pages without the classic script): the one
        // file has the classic script inlined (index.html), so the module is never loaded; left out
        build.onResolve({ filter: /vendor\/echarts\.esm\.min\.mjs$/ }, (args) => ({ path: args.path, external: true }));
        build.onResolve({ filter: /\.css$/ }, (args) =>
          args.with?.type === 'css' ? { path: path.resolve(args.resolveDir, args.path), namespace: 'css-module' } : undefined,
        );
        build.onLoad({ filter: /.*/, namespace: 'css-module' }, async (args) => {
          const css = await this.styleSheet(args.path);
          const contents = `const sheet = new CSSStyleSheet();\nsheet.replaceSync(${JSON.stringify(css)});\nexport default sheet;\n`;
          return { contents, loader: 'js' };
        });
      },
    };
  }

  /**
   * `source` (the module at `file`) with each `new URL('<literal>', import.meta.url)` replaced by an
   * expression giving a URL object of the inlined target (see the top of this file), and the imports
   * that expression needs. Occurrences on comment lines (starting with //, /* or *) are left alone:
   * www/worker.js shows its own use in a comment.
   */
  async rewriteNewUrls(source, file, ctx) {
    const edits = [];
    for (const m of source.matchAll(NEW_URL)) {
      const lineStart = source.lastIndexOf('\n', m.index) + 1;
      if (/^\s*(\/\/|\/\*|\*)/.test(source.slice(lineStart, m.index))) continue;
      const target = path.resolve(path.dirname(file), m[2]);
      if (!existsSync(target)) {
        throw new Error(`${path.relative(ROOT, file)}: new URL('${m[2]}', import.meta.url) names a missing file (${target})`);
      }
      edits.push({ at: m.index, length: m[0].length, expr: await this.urlExpression(target, ctx) });
    }
    if (!edits.length) return source;
    let out = '';
    let pos = 0;
    for (const e of edits) {
      out += source.slice(pos, e.at) + e.expr;
      pos = e.at + e.length;
    }
    out += source.slice(pos);
    const imports = [];
    if (/__singleFileScriptUrl/.test(out)) {
      imports.push(`import { classicScriptUrl as __singleFileScriptUrl } from ${JSON.stringify(RUNTIME)};`);
    }
    const files = [...this.dataUrls.keys()];
    for (const n of new Set([...out.matchAll(/\b__singleFileData_(\d+)\b/g)].map((m) => Number(m[1])))) {
      imports.push(`import __singleFileData_${n} from ${JSON.stringify(`single-file-data:${files[n]}`)};`);
    }
    for (const n of new Set([...out.matchAll(/\b__singleFileScript_(\d+)\b/g)].map((m) => Number(m[1])))) {
      imports.push(`import __singleFileScript_${n} from ${JSON.stringify(`single-file-script:${n}`)};`);
    }
    return [...imports, out].join('\n');
  }

  /** The expression for the data: URL of the file numbered `n` in a bundle made in the context `ctx`. */
  dataRef(n, ctx) {
    if (!ctx.classic) return `__singleFileData_${n}`; // imported by rewriteNewUrls
    ctx.data.add(n);
    return `self.__singleFileData[${n}]`;
  }

  /** The expression standing for `new URL(target, import.meta.url)` in a bundle made in the context `ctx`. */
  async urlExpression(target, ctx) {
    this.inlined.add(target);
    if (!/\.m?js$/.test(target)) {
      if (!this.dataUrls.has(target)) this.dataUrls.set(target, dataUrlOfFile(target));
      return `new URL(${this.dataRef([...this.dataUrls.keys()].indexOf(target), ctx)})`;
    }
    if (ctx.chain.includes(target)) {
      const names = [...ctx.chain, target].map((f) => path.relative(ROOT, f)).join(' → ');
      throw new Error(`${path.relative(ROOT, target)} refers to itself through new URL(…): ${names}`);
    }
    if (!this.scripts.has(target)) this.scripts.set(target, this.bundleTarget(target, [...ctx.chain, target]));
    const script = await this.scripts.get(target);
    if (script.module) return `new URL(${JSON.stringify(script.module)})`;
    const table = [...script.data].map((n) => `${n}: ${this.dataRef(n, ctx)}`).join(', ');
    const code = ctx.classic ? JSON.stringify(script.classic) : `__singleFileScript_${[...this.scripts.keys()].indexOf(target)}`;
    return `new URL(__singleFileScriptUrl(${code}, { ${table} }))`;
  }

  /**
   * A .js target bundled on its own: { module } (a data: URL module, when it has exports) or { classic,
   * data } (a classic script, and the numbers of the files it reads from its table).
   */
  async bundleTarget(target, chain) {
    const asModule = await this.bundle(target, 'esm', { chain, classic: false });
    if (asModule.exports.length) return { module: dataUrlOfModule(asModule.code) };
    const ctx = { chain, classic: true, data: new Set() };
    const { code } = await this.bundle(target, 'iife', ctx);
    return { classic: code, data: ctx.data };
  }

  /**
   * `entry` (a file, or esbuild's `stdin` { contents, resolveDir, sourcefile } for an inline module script
   * already through `rewriteNewUrls`) and everything it imports (dynamic imports too) as one script in
   * `format` ('esm' or 'iife') in the context `ctx`, with the runtime's `fetch` and `Worker` injected. Returns { code, exports }
   * (the names it exports). Any esbuild warning, and any `import.meta` left (a `new URL` this build did
   * not recognise), fails the build: it would otherwise break only in the browser.
   */
  async bundle(entry, format, ctx = { chain: [entry], classic: false }) {
    const result = await esbuild.build({
      ...(typeof entry === 'string' ? { entryPoints: [entry] } : { stdin: entry }),
      bundle: true,
      write: false,
      outfile: path.join(ROOT, 'dist/.bundle.js'), // not written; names the output in the metafile
      format,
      platform: 'browser',
      minify: true,
      legalComments: 'none', // the notices go once into the file's head comment (see `notices`)
      inject: [RUNTIME],
      plugins: [this.plugin(ctx)],
      metafile: true,
      logLevel: 'silent',
    });
    if (result.warnings.length) {
      const text = await esbuild.formatMessages(result.warnings, { kind: 'warning' });
      throw new Error(`esbuild warned while bundling ${nameOf(entry)} (${format}):\n${text.join('\n')}`);
    }
    if (result.outputFiles.length !== 1) {
      // e.g. a plain `import './x.css'`, which esbuild puts in a .css file of its own
      const extra = result.outputFiles.slice(1).map((f) => path.basename(f.path)).join(', ');
      throw new Error(
        `bundling ${nameOf(entry)} made more than one file (${extra}): the one file holds only the script; ` +
          "import a style sheet with { type: 'css' } or link it from index.html",
      );
    }
    const code = result.outputFiles[0].text;
    // (in the iife format esbuild warns about it; in esm it would be left for the browser, meaningless)
    if (/\bimport\.meta\b/.test(code)) {
      throw new Error(
        `${nameOf(entry)} or a module it imports uses import.meta other than in ` +
          "new URL('<literal>', import.meta.url), which the one file cannot follow",
      );
    }
    const [output] = Object.values(result.metafile.outputs);
    return { code, exports: output.exports };
  }

  /** A style sheet and the files it refers to (@import, url()) as one minified sheet. */
  async styleSheet(file) {
    this.inlined.add(file);
    const result = await esbuild.build({
      entryPoints: [file],
      bundle: true,
      write: false,
      outfile: path.join(ROOT, 'dist/.bundle.css'),
      minify: true,
      loader: { '.png': 'dataurl', '.svg': 'dataurl', '.woff2': 'dataurl', '.woff': 'dataurl', '.jpg': 'dataurl', '.gif': 'dataurl' },
      metafile: true,
      logLevel: 'silent',
    });
    for (const input of Object.keys(result.metafile.inputs)) this.inlined.add(path.resolve(ROOT, input));
    return result.outputFiles[0].text;
  }

  /**
   * The files inlined as data: URLs taking the most room in `html`: [{ file, bytes, copies }], largest
   * first (a file used by the page and by its worker is there twice), for the build log.
   */
  largest(html, count = 5) {
    const rows = [...this.dataUrls].map(([file, url]) => {
      let copies = 0;
      for (let at = html.indexOf(url); at >= 0; at = html.indexOf(url, at + url.length)) copies++;
      return { file: path.relative(this.www, file), bytes: url.length, copies };
    });
    return rows.sort((a, b) => b.bytes * b.copies - a.bytes * a.copies).slice(0, count);
  }

  /** The README and licence files next to the inlined files, to travel with them. */
  notices() {
    const dirs = new Set([...this.inlined].map((f) => path.dirname(f)));
    const files = [];
    for (const dir of [...dirs].sort()) {
      for (const name of readdirSync(dir).sort()) {
        if (/^readme|licen[cs]e/i.test(name)) files.push(path.join(dir, name));
      }
    }
    return files.map((f) => `=== ${path.relative(this.www, f)} ===\n${readFileSync(f, 'utf8').trim()}`);
  }
}

/** A bundle entry's name for messages. */
const nameOf = (entry) => path.relative(ROOT, typeof entry === 'string' ? entry : path.join(entry.resolveDir, entry.sourcefile));

/** `text`, checked to be safe inside an HTML <script> or <style> element of kind `tag`. */
function inlineText(text, tag, what) {
  // esbuild already writes `</script` in strings as `<\/script`; what remains cannot be escaped blindly
  const bad = new RegExp(`</${tag}|<!--`, 'i').exec(text);
  if (bad) throw new Error(`${what} holds "${bad[0]}", which would end or confuse its inline <${tag}> element`);
  return text;
}

/** The attributes of an HTML start tag, lower-cased names: `<link rel="x" href=y defer>` → {rel, href, defer}. */
function attributesOf(tag) {
  const attrs = {};
  for (const m of tag.matchAll(/\s([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    attrs[m[1].toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? '';
  }
  return attrs;
}

/**
 * Builds the one file from `www`/index.html and writes it to `out`; returns { out, bytes, gzipBytes,
 * largest } (largest: see SingleFileBuild.largest).
 * Used by this script's command line (the build) and by tests/e2e/single-file.test.mjs on a fixture site.
 */
export async function buildSingleFile({ www = path.join(ROOT, 'www'), out = path.join(ROOT, 'dist/tierwise.html') } = {}) {
  const build = new SingleFileBuild(www);
  const indexFile = path.join(www, 'index.html');
  let html = readFileSync(indexFile, 'utf8');
  const parts = []; // inline elements, put in after the check for left-over references
  const slot = (element) => `\u0000${parts.push(element) - 1}\u0000`;
  const local = (ref, tag) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(ref) || ref.startsWith('//')) {
      throw new Error(`index.html: ${tag} refers to ${ref}, which the one file cannot inline (only files of the site can be)`);
    }
    const file = path.resolve(www, ref.split(/[?#]/)[0]);
    if (!existsSync(file)) throw new Error(`index.html: ${tag} refers to ${ref}, which is not in ${www}`);
    return file;
  };

  html = html.replace(/<meta\s[^>]*http-equiv\s*=\s*["']?Content-Security-Policy[^>]*>\s*/gi, '');
  const csp = `<meta http-equiv="Content-Security-Policy" content="${SINGLE_FILE_CSP}">`;
  if (!/<meta\s+charset[^>]*>/i.test(html)) throw new Error('index.html has no <meta charset> to put the CSP after');
  html = html.replace(/<meta\s+charset[^>]*>/i, (m) => `${m}\n  ${slot(csp)}`);

  const pending = [];
  html = html.replace(/<link\s[^>]*>/gi, (tag) => {
    const a = attributesOf(tag);
    if (!/(^|\s)stylesheet(\s|$)/i.test(a.rel ?? '') || a.href?.startsWith('data:')) return tag;
    const index = parts.push(null) - 1;
    const media = a.media ? ` media="${a.media}"` : '';
    pending.push(build.styleSheet(local(a.href, tag)).then((css) => {
      parts[index] = `<style${media}>${inlineText(css, 'style', a.href)}</style>`;
    }));
    return `\u0000${index}\u0000`;
  });
  html = html.replace(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi, (tag, attrs, body) => {
    const a = attributesOf(` ${attrs}`);
    if (a.src === undefined) {
      // an inline module script may import files of the site: bundled like a file (relative to the page)
      if (a.type !== 'module' || !/\bimport\b/.test(body)) return tag;
      const index = parts.push(null) - 1;
      const resolveDir = www;
      const ctx = { chain: [indexFile], classic: false };
      pending.push(
        build
          .rewriteNewUrls(body, indexFile, ctx)
          .then((contents) => build.bundle({ contents, resolveDir, sourcefile: 'index.html' }, 'esm', ctx))
          .then(({ code }) => {
            parts[index] = `<script type="module">${inlineText(code, 'script', 'an inline module script')}</script>`;
          }),
      );
      return `\u0000${index}\u0000`;
    }
    const file = local(a.src, tag);
    const index = parts.push(null) - 1;
    if (a.type === 'module') {
      pending.push(build.bundle(file, 'esm').then(({ code }) => {
        parts[index] = `<script type="module">${inlineText(code, 'script', a.src)}</script>`;
      }));
    } else {
      if (a.type && !/^(text|application)\/(java|ecma)script$/i.test(a.type)) {
        throw new Error(`index.html: ${tag} has a type the one file does not know`);
      }
      build.inlined.add(file);
      // inline classic scripts run at once (defer and async apply to src only): the page's one, ECharts,
      // defines a global and touches no element, and still runs before the (deferred) module script
      parts[index] = `<script>${inlineText(readFileSync(file, 'utf8'), 'script', a.src)}</script>`;
    }
    return `\u0000${index}\u0000`;
  });
  await Promise.all(pending);

  // Anything else loading a file of the site would fail (or reach the network) in the one file.
  const LOADING = /<(?:link|script|img|iframe|source|audio|video|embed|object)\s[^>]*\b(?:src|href|data)\s*=\s*["']?(?!data:|#)[^"'\s>]+/i;
  const leftover = LOADING.exec(html);
  if (leftover) throw new Error(`index.html: the one file cannot load ${leftover[0]}: inline it or leave it out`);

  const notices = build.notices().map((n) => n.replace(/--/g, '- -'));
  const held = notices.length ? ` It holds these files' notices:\n\n${notices.join('\n\n')}` : '';
  const head =
    '<!--\ntierwise, the one-file offline build of the page (scripts/single-file.mjs): works from file:// with\n' +
    `no server and no network.${held}\n-->\n`;
  html = html.replace(/^(<!doctype html>\s*)?/i, (m) => `${m || '<!doctype html>\n'}${head}`);
  html = html.replace(/\u0000(\d+)\u0000/g, (_, i) => parts[Number(i)]);

  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, html);
  const bytes = Buffer.byteLength(html);
  return { out, bytes, gzipBytes: gzipSync(html, { level: 9 }).length, largest: build.largest(html) };
}

/** The byte budget in `file` (comment lines start with #). */
export function readBudget(file = BUDGET_FILE) {
  const text = readFileSync(file, 'utf8').split('\n').filter((l) => !/^\s*#/.test(l)).join('').trim();
  if (!/^\d+$/.test(text)) throw new Error(`${file} holds no byte count`);
  return Number(text);
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? path.resolve(args[i + 1]) : undefined;
  };
  const { out, bytes, gzipBytes, largest } = await buildSingleFile({ www: opt('--www'), out: opt('--out') });
  const rel = path.relative(process.cwd(), out);
  const kb = (n) => Math.round(n / 1024);
  console.error(`[build] single file: ${kb(bytes)} KB raw, ${kb(gzipBytes)} KB gzipped (${rel})`);
  const parts = largest.map((r) => `${r.file} ${kb(r.bytes)} KB${r.copies === 1 ? '' : ` ×${r.copies}`}`);
  console.error(`[build] single file, largest data: URLs: ${parts.join(', ')}`);
  const budget = readBudget();
  if (bytes > budget) {
    const budgetFile = path.relative(process.cwd(), BUDGET_FILE);
    console.error(`[build] FAILED: ${rel} is ${bytes} bytes, over the budget of ${budget} bytes (${budgetFile}) by ${bytes - budget} bytes.`);
    console.error('[build] Shrink it, or raise the budget in the commit that needs it and say why in its message.');
    process.exit(1);
  }
  console.error(`[build] single file budget: ${bytes} of ${budget} bytes (${Math.round((bytes * 100) / budget)}%)`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`[build] single file: ${e.message}`);
    process.exit(1);
  });
}
