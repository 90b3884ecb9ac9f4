// Tests of scripts/serve.mjs (the static server the page tests and `npm start` use).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startServer } from '../../scripts/serve.mjs';
import { ROOT } from './helpers.mjs';

let dir;
let root;
let server;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tierwise-serve-'));
  root = path.join(dir, 'site');
  mkdirSync(path.join(root, 'pkg'), { recursive: true });
  mkdirSync(path.join(root, 'empty'));
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(path.join(root, 'app.js'), 'export {};');
  writeFileSync(path.join(root, 'm.mjs'), 'export {};');
  writeFileSync(path.join(root, 'pkg', 'x_bg.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  writeFileSync(path.join(root, 'sample.csv'), 'a,b\n1,2\n');
  writeFileSync(path.join(root, 'style.css'), 'body{}');
  writeFileSync(path.join(root, 'data.json'), '{}');
  writeFileSync(path.join(root, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(path.join(root, 'shot.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  writeFileSync(path.join(root, 'file with space.txt'), 'ok');
  writeFileSync(path.join(dir, 'secret.txt'), 'secret');
  symlinkSync(path.join(dir, 'secret.txt'), path.join(root, 'link.txt'));
  server = await startServer({ root, port: 0, host: '127.0.0.1' });
});

after(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Raw request: the path is sent exactly as given (no URL normalisation by the client). */
function request(rawPath, method = 'GET') {
  const { port, hostname } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path: rawPath, method }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('url and port', () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.ok(server.port > 0);
});

test('MIME types and no-store', async () => {
  const cases = {
    '/': 'text/html; charset=utf-8',
    '/index.html': 'text/html; charset=utf-8',
    '/app.js': 'text/javascript',
    '/m.mjs': 'text/javascript',
    '/pkg/x_bg.wasm': 'application/wasm',
    '/sample.csv': 'text/csv; charset=utf-8',
    '/style.css': 'text/css; charset=utf-8',
    '/data.json': 'application/json',
    '/logo.svg': 'image/svg+xml',
    '/shot.png': 'image/png',
  };
  for (const [p, type] of Object.entries(cases)) {
    const r = await request(p);
    assert.equal(r.status, 200, p);
    assert.equal(r.headers['content-type'], type, p);
    assert.equal(r.headers['cache-control'], 'no-store', p);
  }
  const csv = await request('/sample.csv');
  assert.equal(csv.body.toString(), 'a,b\n1,2\n');
  assert.equal(csv.headers['content-length'], '8');
  assert.equal((await request('/file%20with%20space.txt?x=1#y')).body.toString(), 'ok');
});

test('HEAD has headers and no body; other methods are refused', async () => {
  const r = await request('/sample.csv', 'HEAD');
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-length'], '8');
  assert.equal(r.body.length, 0);
  assert.equal((await request('/sample.csv', 'POST')).status, 405);
});

test('404 for missing files and directories without index.html', async () => {
  for (const p of ['/nope.js', '/empty', '/empty/', '/pkg/']) {
    const r = await request(p);
    assert.equal(r.status, 404, p);
    assert.equal(r.headers['cache-control'], 'no-store', p);
  }
});

test('paths escaping the root are refused', async () => {
  for (const p of [
    '/../secret.txt',
    '/pkg/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/..%5csecret.txt',
    '/%00index.html',
    '/link.txt',
  ]) {
    const r = await request(p);
    assert.ok([400, 403, 404].includes(r.status), `${p} gave ${r.status}`);
    assert.doesNotMatch(r.body.toString(), /secret/, p);
  }
});

test('the command line prints exactly one "serving" line', async () => {
  const child = execFile(process.execPath, [path.join(ROOT, 'scripts/serve.mjs'), '--root', root, '--port', '0']);
  try {
    const line = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve(out);
      });
      child.on('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    assert.match(line, /^serving http:\/\/127\.0\.0\.1:\d+\/\n$/);
    const url = line.trim().split(' ')[1];
    const res = await fetch(url + 'sample.csv');
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'a,b\n1,2\n');
  } finally {
    child.kill('SIGTERM');
  }
});
