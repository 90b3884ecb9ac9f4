// The page's string tables (www/i18n/): every English key has a Chinese text and the other way round,
// in the base tables and in each feature's table of parts.js; no feature redefines a key of another
// table (the later one would silently win).
//
//   node --test tests/i18n.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { EN } from '../www/i18n/en.js';
import { ZH } from '../www/i18n/zh.js';
import { PARTS } from '../www/i18n/parts.js';

const missing = (a, b) => Object.keys(a).filter((k) => !(k in b));

test('the base tables have the same keys in both languages', () => {
  assert.deepEqual(missing(EN, ZH), [], 'English keys without Chinese text');
  assert.deepEqual(missing(ZH, EN), [], 'Chinese keys without English text');
});

test('each feature table has both languages, non-empty, and defines no key twice', () => {
  const seen = new Map(Object.keys(EN).map((k) => [k, 'en.js']));
  PARTS.forEach((part, i) => {
    assert.ok(part && typeof part.en === 'object' && typeof part.zh === 'object', `part ${i} has en and zh`);
    assert.deepEqual(missing(part.en, part.zh), [], `part ${i}: English keys without Chinese text`);
    assert.deepEqual(missing(part.zh, part.en), [], `part ${i}: Chinese keys without English text`);
    for (const [k, v] of Object.entries(part.en)) {
      assert.ok(!seen.has(k), `part ${i} redefines "${k}" of ${seen.get(k)}`);
      seen.set(k, `part ${i}`);
      assert.equal(typeof v, 'string', `${k} is text`);
      assert.ok(v.trim() && String(part.zh[k]).trim(), `${k} is not empty`);
    }
  });
});
