// The page's JavaScript modules (www/, without the built www/pkg, www/vendor and www/data): their
// relative imports resolve and form no cycle, each module starts with a comment saying its one job, and
// each stays small (app.js, only the wiring, under 250 lines; every other module at most 400).
// The checks are tried on small made-up inputs too, so that a check that cannot fail is noticed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WWW = path.resolve(fileURLToPath(new URL('../www/', import.meta.url)));
const SKIPPED_DIRS = new Set(['pkg', 'pkg-workbook', 'pkg-xlsx', 'vendor', 'data']); // build outputs and copied data, not our modules
const APP_MAX_LINES = 249; // app.js: under 250
const MODULE_MAX_LINES = 400;

/** The specifiers a module imports: `import … from '…'`, `import '…'`, `export … from '…'`, `import('…')`. */
function importsOf(source) {
  const found = [];
  const patterns = [
    /^[ \t]*import\s+(?:[\w$*{}\s,]+?\s+from\s+)?['"]([^'"]+)['"]/gm,
    /^[ \t]*export\s+(?:\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s+from\s+['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) found.push(m[1]);
  return found;
}

/** A cycle of `graph` (Map: node → nodes it imports) as [a, b, …, a], or null when there is none. */
function findCycle(graph) {
  const state = new Map(); // node → 'open' while on the current path, 'done' once fully explored
  const stack = [];
  const visit = (node) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) || []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    if (!state.has(node)) {
      const cycle = visit(node);
      if (cycle) return cycle;
    }
  }
  return null;
}

/** Messages for the modules ({ name, lines }) over their size limit. */
function sizeProblems(modules) {
  const problems = [];
  for (const { name, lines } of modules) {
    const max = name === 'app.js' ? APP_MAX_LINES : MODULE_MAX_LINES;
    if (lines > max) problems.push(`${name}: ${lines} lines (at most ${max})`);
  }
  return problems;
}

const lineCount = (text) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

/** Every module of www/ as { name (relative to www/, with /), file, source }. */
function wwwModules(dir = WWW) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (dir === WWW && SKIPPED_DIRS.has(entry.name)) continue;
      out.push(...wwwModules(file));
    } else if (/\.m?js$/.test(entry.name)) {
      out.push({ name: path.relative(WWW, file).split(path.sep).join('/'), file, source: readFileSync(file, 'utf8') });
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The import graph of `modules` (names relative to www/); imports into www/pkg etc. are leaves. */
function importGraph(modules) {
  const graph = new Map();
  const unresolved = [];
  for (const m of modules) {
    const targets = [];
    for (const spec of importsOf(m.source)) {
      if (!spec.startsWith('./') && !spec.startsWith('../')) continue;
      const target = path.resolve(path.dirname(m.file), spec);
      const name = path.relative(WWW, target).split(path.sep).join('/');
      if (SKIPPED_DIRS.has(name.split('/')[0])) continue;
      if (!existsSync(target)) unresolved.push(`${m.name} imports ${spec}: no such file`);
      targets.push(name);
    }
    graph.set(m.name, targets);
  }
  return { graph, unresolved };
}

// ───────────────────────── the checks on made-up inputs ─────────────────────────

test('findCycle reports a cycle, a self-import, and nothing for an acyclic graph', () => {
  const g = (o) => new Map(Object.entries(o));
  assert.deepEqual(findCycle(g({ a: ['b'], b: ['c'], c: ['a'] })), ['a', 'b', 'c', 'a']);
  assert.deepEqual(findCycle(g({ app: ['x'], x: ['y', 'z'], y: ['z'], z: ['x'] })), ['x', 'y', 'z', 'x']);
  assert.deepEqual(findCycle(g({ a: ['a'] })), ['a', 'a']);
  assert.equal(findCycle(g({ a: ['b', 'c'], b: ['c'], c: [] })), null);
  assert.equal(findCycle(g({ a: ['b', 'c'], b: ['d'], c: ['d'], d: [] })), null, 'a diamond is no cycle');
});

test('importsOf reads one-line, multi-line, bare, re-export and dynamic imports', () => {
  const src = [
    "// import nothing from './comment.js' (a comment, not an import)",
    "import init, { Analyzer } from './pkg/tierwise.js';",
    'import {',
    '  a,',
    '  b,',
    "} from '../lib/multi.js';",
    "import * as ns from './ns.js';",
    "import './side-effect.js';",
    "export { x } from './re.js';",
    "export * from './star.js';",
    "const later = await import('./dynamic.js');",
    "const s = 'import x from \"./in-a-string.js\"';",
  ].join('\n');
  assert.deepEqual(
    importsOf(src).sort(),
    ['../lib/multi.js', './dynamic.js', './ns.js', './pkg/tierwise.js', './re.js', './side-effect.js', './star.js'],
  );
});

test('sizeProblems holds app.js under 250 lines and other modules to 400', () => {
  assert.deepEqual(sizeProblems([{ name: 'app.js', lines: 249 }, { name: 'views/x.js', lines: 400 }]), []);
  assert.equal(sizeProblems([{ name: 'app.js', lines: 250 }]).length, 1);
  assert.equal(sizeProblems([{ name: 'worker.js', lines: 401 }]).length, 1);
  assert.equal(lineCount('a\nb\n'), 2);
  assert.equal(lineCount('a\nb'), 2);
});

// ───────────────────────── the checks on www/ ─────────────────────────

test('www has app.js, worker.js and the modules they import, every import resolving to a file', () => {
  const modules = wwwModules();
  const names = modules.map((m) => m.name);
  for (const needed of ['components.js', 'app.js', 'worker.js', 'i18n.js', 'charts.js']) assert.ok(names.includes(needed), needed);
  assert.ok(names.length > 10, `expected the page split into modules, found ${names.join(', ')}`);
  const { graph, unresolved } = importGraph(modules);
  assert.deepEqual(unresolved, []);
  assert.ok(graph.get('app.js').length > 0, 'app.js imports its modules');
  // every module is reached from an entry: the components (components.js, the page), the workbench's
  // wiring (app.js, imported by components/app.js), the worker, the range readers it starts
  // (range-worker.js, a worker of its own) or the package's client: nothing left behind
  const reached = new Set();
  const walk = (n) => {
    if (reached.has(n)) return;
    reached.add(n);
    for (const next of graph.get(n) || []) walk(next);
  };
  for (const entry of ['components.js', 'app.js', 'worker.js', 'range-worker.js', 'client.js']) {
    assert.ok(graph.has(entry), `the entry ${entry} exists`);
    walk(entry);
  }
  assert.deepEqual(names.filter((n) => !reached.has(n)), [], 'modules nothing imports');
});

test('the www modules import each other without a cycle', () => {
  const { graph } = importGraph(wwwModules());
  const cycle = findCycle(graph);
  assert.equal(cycle, null, `import cycle: ${cycle?.join(' → ')}`);
});

test('app.js is under 250 lines and every other www module at most 400', () => {
  const modules = wwwModules().map((m) => ({ name: m.name, lines: lineCount(m.source) }));
  assert.deepEqual(sizeProblems(modules), []);
});

test('every www module starts with a comment saying its job', () => {
  const missing = wwwModules()
    .filter((m) => !/^\/\/ \S.{10,}/.test(m.source))
    .map((m) => m.name);
  assert.deepEqual(missing, []);
});
