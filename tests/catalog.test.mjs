// The core's catalog (www/pkg/catalog.js, written by the build from `tierwise catalog`) against the core
// itself: every message has a Chinese template with the same parameters; the page's renderer
// (www/lib/messages.js) gives exactly the core's English text for every coded message the fixtures
// produce (warnings, rejection examples, "not fitted" reasons, risk method, fatal errors); and the column
// table, the wasm getters, the published TypeScript types and the CSV header all name the same columns.
// Needs the build (scripts/build.sh).

import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const pkg = path.join(root, 'www/pkg');
const { CATALOG } = await import(pathToFileURL(path.join(pkg, 'catalog.js')).href);
const { renderMessage } = await import(pathToFileURL(path.join(root, 'www/lib/messages.js')).href);
const core = await import(pathToFileURL(path.join(pkg, 'tierwise.js')).href);
await core.default({ module_or_path: fs.readFileSync(path.join(pkg, 'tierwise_bg.wasm')) });

const HAN = /[\u4e00-\u9fff]/;
const paramsOf = (template) => [...template.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]).sort();

/** Every coded message inside a summary, with the English text the core wrote beside it. */
function codedPairs(s) {
  const out = [];
  (s.warnings ?? []).forEach((w, i) => out.push([s.warningCodes[i], w, 'warning']));
  for (const [reason, stat] of Object.entries(s.input?.rejected ?? {})) {
    for (const x of stat.examples) out.push([x.messageCode, x.message, `example of ${reason}`]);
  }
  if (s.model?.notFitted != null) out.push([s.model.notFittedCode, s.model.notFitted, 'model.notFitted']);
  const gg = s.model?.gammaGamma;
  if (gg?.notFitted != null) out.push([gg.notFittedCode, gg.notFitted, 'gammaGamma.notFitted']);
  if (gg?.note != null) out.push([gg.noteCode, gg.note, 'gammaGamma.note']);
  out.push([s.churn.methodCode, s.churn.method, 'churn.method']);
  return out;
}

/** The codes used in a coded message, nested ones included. */
function codesIn(m, into = new Set()) {
  if (Array.isArray(m)) m.forEach((x) => codesIn(x, into));
  else if (m && typeof m === 'object' && typeof m.code === 'string') {
    into.add(m.code);
    Object.values(m.params ?? {}).forEach((p) => codesIn(p, into));
  }
  return into;
}

test('every message code has an English and a Chinese template with the same parameters', () => {
  const codes = Object.keys(CATALOG.messages);
  assert.ok(codes.length >= 80, `only ${codes.length} codes`);
  for (const [code, { en, zh }] of Object.entries(CATALOG.messages)) {
    assert.match(code, /^[a-z0-9_]+$/, code);
    assert.ok(en.length > 0, `${code}: no English`);
    assert.deepEqual(paramsOf(zh), paramsOf(en), `${code}: parameters differ`);
    // the Chinese text is Chinese (the two pieces of other messages excepted: "0", and the parser's own words)
    if (!['limit_zero'].includes(code)) assert.match(zh, HAN, `${code}: no Chinese in ${JSON.stringify(zh)}`);
  }
  for (const [kind, entries] of Object.entries(CATALOG.labels)) {
    for (const e of entries) assert.match(e.zh, HAN, `${kind}.${e.code}: no Chinese name`);
  }
});

test('the renderer follows the rules: nested messages, lists, unknown parameters and codes', () => {
  const templates = {
    outer: { en: 'A {inner}; {list} {missing}', zh: '甲{inner}{list}{missing}' },
    inner: { en: 'b={n}', zh: '乙={n}' },
  };
  const m = {
    code: 'outer',
    params: { inner: { code: 'inner', params: { n: 3 } }, list: [{ code: 'inner', params: { n: 1 } }, { code: 'inner', params: { n: 2 } }] },
  };
  assert.equal(renderMessage(m, 'en', templates), 'A b=3; b=1; b=2 {missing}');
  assert.equal(renderMessage(m, 'zh', templates), '甲乙=3乙=1；乙=2{missing}');
  assert.equal(renderMessage({ code: 'nope', params: {} }, 'en', templates), null);
  assert.equal(renderMessage(null, 'en', templates), null);
});

test('the page renders every coded message of the fixtures exactly as the core wrote it in English', () => {
  const dirs = ['tests/fixtures/ingest', 'tests/fixtures/small', 'tests/fixtures/cdnow'];
  const files = dirs.flatMap((d) =>
    fs.readdirSync(path.join(root, d)).filter((f) => /\.(csv|txt|tsv)$/.test(f)).map((f) => path.join(root, d, f)),
  );
  files.push(path.join(root, 'www/sample.csv'));
  const option_sets = [
    undefined,
    { labels: 'zh', rfm: { bins: 4 }, segments: { rules: [{ name: 'x', m: [1, 2] }] } },
    { model: { enabled: false }, dateOrder: 'dmy' },
  ];
  const seen = new Set();
  let checked = 0;
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    for (const opts of option_sets) {
      let s;
      try {
        const a = core.analyze(bytes, opts);
        s = a.summary();
        a.free();
      } catch (e) {
        // a fatal error: the coded message must give the same text, in English and in Chinese
        assert.equal(typeof e.code, 'string', `${file}: error without a code: ${e.message}`);
        const coded = { code: e.code, params: e.params };
        assert.equal(renderMessage(coded, 'en', CATALOG.messages), e.message, file);
        const zh = renderMessage(coded, 'zh', CATALOG.messages);
        assert.match(zh, HAN, `${file}: ${zh}`);
        codesIn(coded, seen);
        checked++;
        continue;
      }
      for (const [coded, text, where] of codedPairs(s)) {
        assert.ok(coded && typeof coded.code === 'string', `${file} ${where}: no code for ${JSON.stringify(text)}`);
        assert.equal(renderMessage(coded, 'en', CATALOG.messages), text, `${file} ${where}`);
        const zh = renderMessage(coded, 'zh', CATALOG.messages);
        assert.ok(zh && !/\{[a-z_]+\}/.test(zh), `${file} ${where}: ${zh}`);
        codesIn(coded, seen);
        checked++;
      }
    }
  }
  assert.ok(checked > 300, `only ${checked} messages checked`);
  // the fixtures reach a good part of the catalog (the rest is walked on the Chinese page)
  assert.ok(seen.size >= 30, `only ${seen.size} codes seen: ${[...seen].join(', ')}`);
});

test('option errors are coded too', () => {
  const cases = [
    [{ rfm: { bins: 12 } }, 'invalid option rfm.bins: must be between 3 and 10, got 12'],
    [{ grades: { abc: [0.9, 0.5] } }, 'invalid option grades.abc: need 0 < a < b <= 1, got [0.9, 0.5]'],
    [{ analysisDate: '2024-13-01' }, 'invalid option analysisDate: expected YYYY-MM-DD, got "2024-13-01"'],
    // each window is named by its own key
    [{ activity: { windowDays: 0 } }, 'invalid option activity.windowDays: windows must be at least 1 day'],
    [{ churn: { windowDays: 0 } }, 'invalid option churn.windowDays: windows must be at least 1 day'],
  ];
  for (const [opts, text] of cases) {
    let err;
    try {
      core.analyze(new TextEncoder().encode('customer_id,order_date\nA,2024-01-01\n'), opts);
    } catch (e) {
      err = e;
    }
    assert.ok(err, JSON.stringify(opts));
    assert.equal(err.message, text);
    assert.equal(err.code, 'invalid_option');
    assert.equal(renderMessage({ code: err.code, params: err.params }, 'en', CATALOG.messages), text);
    assert.match(renderMessage({ code: err.code, params: err.params }, 'zh', CATALOG.messages), /^选项 /);
  }
});

test('lintRules checks its bins before any cast (261 is not 5)', () => {
  for (const bins of [261, 2, 3.5, -1]) {
    let err;
    try {
      core.lintRules([{ name: 'all' }], bins);
    } catch (e) {
      err = e;
    }
    assert.ok(err, `bins ${bins} accepted`);
    assert.equal(err.message, `invalid option bins: must be between 3 and 10, got ${bins}`);
    assert.equal(err.code, 'invalid_option');
  }
  assert.equal(core.lintRules([{ name: 'all' }], 4).combinations, 64);
});

test('the column table, the wasm getters, the published types and the CSV header agree', () => {
  const table = core.columns();
  assert.deepEqual(
    table.map((c) => c.js),
    CATALOG.columns.map((c) => c.js),
    'catalog.js and the wasm module disagree',
  );
  const tsType = { text: 'string[]', int32: 'Int32Array', float64: 'Float64Array', uint8: 'Uint8Array' };
  const dts = fs.readFileSync(path.join(pkg, 'tierwise.d.ts'), 'utf8');
  const cls = dts.slice(dts.indexOf('export class Analysis'));
  const a = core.analyze(
    new TextEncoder().encode('customer_id,order_date,amount\nA,2024-01-01,10\nB,2024-01-05,20\nA,2024-02-01,5\n'),
    undefined,
  );
  try {
    for (const c of table) {
      const declared = cls.match(new RegExp(`readonly ${c.js}: ([^;]+);`));
      assert.ok(declared, `tierwise.d.ts declares no getter ${c.js}`);
      assert.equal(declared[1].trim(), tsType[c.type], `${c.js}: declared ${declared[1]}`);
      const v = a[c.js];
      assert.equal(v.length, a.customerCount, c.js);
      if (c.type === 'text') assert.ok(Array.isArray(v) && v.every((x) => typeof x === 'string'), c.js);
      else assert.equal(v.constructor.name, tsType[c.type], c.js);
      // the slice carries the same column under the same name
      assert.ok(c.js in a.slice(0, 1), `slice lacks ${c.js}`);
    }
    const header = new TextDecoder().decode(a.toCsv()).replace(/^\ufeff/, '').split('\n')[0];
    assert.deepEqual(header.split(','), table.map((c) => c.csv));
  } finally {
    a.free();
  }
  // the page's table shows columns of the core only
  const state = fs.readFileSync(path.join(root, 'www/lib/state.js'), 'utf8');
  const list = state.slice(state.indexOf('TABLE_COLUMNS'), state.indexOf('];', state.indexOf('TABLE_COLUMNS')));
  const names = [...list.matchAll(/'(\w+)'/g)].map((m) => m[1]);
  assert.ok(names.length > 5);
  for (const n of names) assert.ok(n === 'churnReasons' || table.some((c) => c.js === n), `TABLE_COLUMNS has ${n}`);
});
