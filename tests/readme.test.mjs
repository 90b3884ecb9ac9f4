// Runs the README's examples and compares what they print with the README's output blocks.
// A block is marked by an HTML comment right before it: `<!-- readme-example: NAME -->` for the code and
// `<!-- readme-output: NAME -->` for the expected output.
//   js   runs in Node against the built www/pkg (init is given the wasm bytes instead of fetching them)
//   cli  runs with `tierwise` replaced by the built binary (TIERWISE_BIN), in a scratch directory
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const bin = process.env.TIERWISE_BIN || path.join(root, 'target/release/tierwise');

function block(kind, name) {
  const re = new RegExp(`<!-- readme-${kind}: ${name} -->\\s*\`\`\`[a-z]*\\n([\\s\\S]*?)\`\`\``);
  const m = readme.match(re);
  assert.ok(m, `README has no ${kind} block named ${name}`);
  return m[1];
}

test('README JavaScript example prints what the README says', () => {
  const code = block('example', 'js');
  const expected = block('output', 'js');
  const pkg = pathToFileURL(path.join(root, 'www/pkg/tierwise.js')).href;
  const wasm = path.join(root, 'www/pkg/tierwise_bg.wasm');
  assert.ok(code.includes("from './pkg/tierwise.js'") && code.includes('await init();'), 'example shape changed');
  const runnable = code
    .replace("from './pkg/tierwise.js'", `from '${pkg}'`)
    .replace('await init();', `await init({ module_or_path: (await import('node:fs')).readFileSync(${JSON.stringify(wasm)}) });`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tierwise-readme-'));
  const file = path.join(dir, 'example.mjs');
  fs.writeFileSync(file, runnable);
  const out = execFileSync(process.execPath, [file], { encoding: 'utf8' });
  assert.equal(out, expected);
});

test('README CLI example prints what the README says', () => {
  const cmd = block('example', 'cli').trim();
  const expected = block('output', 'cli');
  const args = cmd.split(/\s+/);
  assert.equal(args[0], 'tierwise');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tierwise-readme-cli-'));
  fs.symlinkSync(path.join(root, 'tests'), path.join(dir, 'tests'));
  const r = spawnSync(bin, args.slice(1), { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, expected);
  const csv = fs.readFileSync(path.join(dir, 'customers.csv'), 'utf8');
  assert.ok(csv.startsWith('\ufeffcustomer_id,first_date,last_date,'));
  assert.equal(csv.trim().split('\n').length, 2358);
  const summary = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
  assert.equal(summary.customers, 2357);
});

test('README SQL example prints what the README says, and the committed example scripts are current', () => {
  const cmd = block('example', 'cli-sql').trim();
  const expected = block('output', 'cli-sql').replace(/^ +/gm, '');
  const args = cmd.split(/\s+/);
  assert.equal(args[0], 'tierwise');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tierwise-readme-sql-'));
  fs.symlinkSync(path.join(root, 'www'), path.join(dir, 'www'));
  const r = spawnSync(bin, args.slice(1), { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, expected);
  const script = fs.readFileSync(path.join(dir, 'grading.sql'), 'utf8');
  assert.equal(script, fs.readFileSync(path.join(root, 'examples/sql/sample-duckdb.sql'), 'utf8'), 'examples/sql/sample-duckdb.sql is stale');
  const refit = spawnSync(bin, ['sql', 'www/sample.csv', '--dialect', 'bigquery', '--cuts', 'sql'], { cwd: root, encoding: 'utf8' });
  assert.equal(refit.stdout, fs.readFileSync(path.join(root, 'examples/sql/sample-bigquery-refit.sql'), 'utf8'), 'examples/sql/sample-bigquery-refit.sql is stale');
});

test('README inspect example prints what the README says', () => {
  const cmd = block('example', 'cli-inspect').trim();
  const expected = block('output', 'cli-inspect');
  const args = cmd.split(/\s+/);
  assert.equal(args[0], 'tierwise');
  const r = spawnSync(bin, args.slice(1), { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, expected);
});

test('README Rust streaming example is the doctest in src/lib.rs (run by cargo test)', () => {
  const code = block('example', 'rust-stream');
  const lib = fs.readFileSync(path.join(root, 'src/lib.rs'), 'utf8');
  // the doctest: lines of the second ``` block of the crate docs, without `//! ` and hidden `# ` lines
  const docs = lib
    .split('\n')
    .filter((l) => l.startsWith('//!'))
    .map((l) => l.replace(/^\/\/! ?/, ''));
  const fences = docs.reduce((acc, l, i) => (l.startsWith('```') ? [...acc, i] : acc), []);
  assert.ok(fences.length >= 4, 'src/lib.rs lost its streaming doctest');
  const doctest = docs
    .slice(fences[2] + 1, fences[3])
    .filter((l) => !l.startsWith('# '))
    .join('\n');
  assert.equal(code.trimEnd(), doctest.trimEnd());
});
