#!/usr/bin/env node
// Tiny dependency-free static file server for the tierwise demo site.
//
//   node scripts/serve.mjs [--root www] [--port 8080] [--host 127.0.0.1]
//
// --port 0 picks a free port. When ready it prints exactly one line:
//   serving http://127.0.0.1:PORT/
//
// Library use (tests):
//   import { startServer } from './scripts/serve.mjs';
//   const { url, close } = await startServer({ root: 'www', port: 0 });
//   ...; await close();
//
// Only GET and HEAD. Every response carries `Cache-Control: no-store`. Paths that escape the root
// (`..`, encoded slashes, NUL bytes, symlinks pointing outside) are refused; anything else that is not
// a regular file (or a directory with an index.html) is a 404.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.tsv': 'text/tab-separated-values; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.md': 'text/markdown; charset=utf-8',
};

export function contentType(file) {
  return MIME_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

function send(res, status, body, headers = {}) {
  const buf = Buffer.from(body, 'utf8');
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': buf.length,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : buf);
}

function isInside(root, p) {
  return p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/**
 * Resolve a request path to a file inside root, or return {status} for refusals.
 * @returns {Promise<{file: string, stat: fs.Stats} | {status: number}>}
 */
async function resolveRequest(realRoot, rawUrl) {
  let pathname;
  try {
    pathname = new URL(rawUrl, 'http://localhost').pathname;
  } catch {
    return { status: 400 };
  }
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { status: 400 };
  }
  // Encoded separators or NUL bytes have no business in a static path.
  if (decoded.includes('\0') || /%2f|%5c/i.test(pathname) || decoded.includes('\\')) {
    return { status: 403 };
  }
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..')) return { status: 403 };
  let file = path.resolve(realRoot, '.' + path.posix.normalize('/' + decoded));
  if (!isInside(realRoot, file)) return { status: 403 };

  let stat;
  try {
    stat = await fs.promises.stat(file);
    if (stat.isDirectory()) {
      file = path.join(file, 'index.html');
      stat = await fs.promises.stat(file);
    }
  } catch {
    return { status: 404 };
  }
  if (!stat.isFile()) return { status: 404 };
  // Symlinks must not lead out of the root either.
  let real;
  try {
    real = await fs.promises.realpath(file);
  } catch {
    return { status: 404 };
  }
  if (!isInside(realRoot, real)) return { status: 403 };
  return { file: real, stat };
}

/**
 * Start the server.
 * @param {{root?: string, port?: number, host?: string}} [opts]
 * @returns {Promise<{url: string, port: number, host: string, server: http.Server, close: () => Promise<void>}>}
 */
export async function startServer({ root = 'www', port = 8080, host = '127.0.0.1' } = {}) {
  const absRoot = path.resolve(root);
  const realRoot = await fs.promises.realpath(absRoot).catch(() => {
    throw new Error(`serve: root directory not found: ${absRoot}`);
  });
  if (!(await fs.promises.stat(realRoot)).isDirectory()) {
    throw new Error(`serve: root is not a directory: ${absRoot}`);
  }

  const server = http.createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
        return;
      }
      const r = await resolveRequest(realRoot, req.url || '/');
      if (!r.file) {
        const text = { 400: 'bad request\n', 403: 'forbidden\n', 404: 'not found\n' }[r.status];
        send(res, r.status, text || 'error\n');
        return;
      }
      res.writeHead(200, {
        'Content-Type': contentType(r.file),
        'Content-Length': r.stat.size,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      const stream = fs.createReadStream(r.file);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    } catch {
      if (!res.headersSent) send(res, 500, 'internal error\n');
      else res.destroy();
    }
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const addr = server.address();
  const actualPort = typeof addr === 'object' && addr ? addr.port : port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${actualPort}/`;

  let closing = null;
  const close = () => {
    if (!closing) {
      closing = new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
    }
    return closing;
  };
  return { url, port: actualPort, host, server, close };
}

function parseArgs(argv) {
  const opts = { root: 'www', port: 8080, host: '127.0.0.1' };
  const usage = 'usage: node scripts/serve.mjs [--root www] [--port 8080] [--host 127.0.0.1]';
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let value;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const take = () => {
      if (value !== undefined) return value;
      if (i + 1 >= argv.length) throw new Error(`missing value for ${arg}\n${usage}`);
      return argv[++i];
    };
    switch (arg) {
      case '--root':
        opts.root = take();
        break;
      case '--port': {
        const v = take();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n > 65535) throw new Error(`invalid port: ${v}\n${usage}`);
        opts.port = n;
        break;
      }
      case '--host':
        opts.host = take();
        break;
      case '-h':
      case '--help':
        process.stdout.write(usage + '\n');
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument: ${arg}\n${usage}`);
    }
  }
  return opts;
}

function isMain() {
  if (!process.argv[1]) return false;
  try {
    const self = fs.realpathSync(fileURLToPath(import.meta.url));
    return self === fs.realpathSync(process.argv[1]);
  } catch {
    return import.meta.url === pathToFileURL(process.argv[1]).href;
  }
}

if (isMain()) {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
  startServer(opts).then(
    ({ url, close }) => {
      process.stdout.write(`serving ${url}\n`);
      const stop = () => close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
    (e) => {
      process.stderr.write(`serve: ${e.message}\n`);
      process.exit(1);
    },
  );
}
