// What the one-file build (scripts/single-file.mjs) adds to every bundle it makes: esbuild's `inject`
// puts these exports in place of the globals `fetch` and `Worker` wherever the bundled code uses them, so
// the page's own code stays as it is on the site. Nothing here runs on the site itself.
//
// - `fetch`: the build stores the larger inlined files gzip-compressed, as data: URLs whose media type
//   carries `;enc=gzip` (data:application/wasm;enc=gzip;base64,…). Such a fetch is answered by the
//   browser's own data: URL decoding piped through DecompressionStream, with the plain media type, so
//   wasm-bindgen's `fetch(new URL('…_bg.wasm', import.meta.url))` still gets an application/wasm
//   Response for WebAssembly.instantiateStreaming. Any other request goes to the browser's fetch untouched.
// - `Worker`: Chromium cannot start a module worker from a blob: URL in a file:// page (the module script
//   fetch from the page's opaque origin fails, and a data: URL worker is limited to about 2 MB), so every
//   worker of the one file is bundled as a classic script, put in a blob: URL by `classicScriptUrl`, and
//   started as a classic worker even where the page asks for `{ type: 'module' }`.

/** Marker in an inlined data: URL's media type: the bytes are gzip-compressed (see `fetch`). */
export const GZIP_MARK = ';enc=gzip';

const classicScripts = new Set(); // hrefs of the blob: URLs made by classicScriptUrl

/**
 * A blob: URL holding `code`, a worker bundled as a classic script by the one-file build, after the table
 * `data` ({ number: data: URL } of the files it uses, which the page's bundle holds: a file the page uses
 * too is in the one file once) as `self.__singleFileData`; the `Worker` below starts it as a classic
 * worker. Kept for the page's lifetime (a worker can be restarted).
 */
export function classicScriptUrl(code, data = {}) {
  const table = `self.__singleFileData = ${JSON.stringify(data)};\n`;
  const href = URL.createObjectURL(new Blob([table, code], { type: 'text/javascript' }));
  classicScripts.add(href);
  return href;
}

/** `Worker`, starting the one file's inlined workers (classicScriptUrl) as classic scripts. */
const NativeWorker = globalThis.Worker;
export const Worker = NativeWorker
  ? class SingleFileWorker extends NativeWorker {
      constructor(url, options) {
        super(url, classicScripts.has(String(url)) ? { ...options, type: 'classic' } : options);
      }
    }
  : undefined;

/** `fetch`, with the one file's gzip-compressed data: URLs (GZIP_MARK) decompressed on the way. */
export async function fetch(input, init) {
  const response = await globalThis.fetch(input, init);
  const type = response.headers.get('content-type') || '';
  if (!type.includes(GZIP_MARK) || !String(input?.url ?? input).startsWith('data:')) return response;
  const body = response.body.pipeThrough(new DecompressionStream('gzip'));
  return new Response(body, { headers: { 'content-type': type.replace(GZIP_MARK, '') } });
}
