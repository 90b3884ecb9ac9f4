// Every message the core can produce is shown in Chinese on the Chinese page: the page renders the core's
// coded messages ({ code, params }) and labels from the catalog (www/pkg/catalog.js), never by matching
// English text. Walks every code of the catalog on the page, then checks real warnings, rejections, a
// "not fitted" reason and a fatal error in both languages.
//
//   node --test tests/e2e/messages.test.mjs
//
// Needs what page.test.mjs needs (scripts/build.sh, the CLI, Debian chromium).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { checkSiteBuilt, runCli, openPageSession, waitForRunOf, assertNoProblemsIn } from './helpers.mjs';

const TIMEOUT = 120_000;
const HAN = /[\u4e00-\u9fff]/;

// No amount column (a warning), a repeated header and a bad date (rejections), three customers (the
// model is not fitted: too few customers).
const WARN_CSV =
  'customer_id,order_date\nA,2024-01-05\nB,2024-02-10\ncustomer_id,order_date\nA,2024-03-01\nC,2024-13-45\nC,2024-03-02\n';
const NO_DATE_CSV = 'customer_id,amount\nA,10\nB,20\n';

let session;
let page;
let tmp;
let cli;
const requests = [];
const problems = [];

before(async () => {
  checkSiteBuilt();
  tmp = mkdtempSync(path.join(tmpdir(), 'tierwise-messages-'));
  const file = path.join(tmp, 'warn.csv');
  writeFileSync(file, WARN_CSV);
  cli = runCli(file, tmp);
  session = await openPageSession({ requests, problems });
  ({ page } = session);
}, { timeout: TIMEOUT });

after(async () => {
  await session?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const load = async (name, text) => {
  await page.setInputFiles('#file-input', { name, mimeType: 'text/csv', buffer: Buffer.from(text) });
};

test('every message code and every label renders in Chinese on the Chinese page', { timeout: TIMEOUT }, async () => {
  await page.click('#lang-zh');
  const bad = await page.evaluate(async () => {
    const i18n = await import('/i18n.js');
    const { CATALOG } = await import('/pkg/catalog.js');
    const han = /[\u4e00-\u9fff]/;
    const out = [];
    let walked = 0;
    for (const [code, { en }] of Object.entries(CATALOG.messages)) {
      const params = {};
      for (const m of en.matchAll(/\{([^{}]*)\}/g)) params[m[1]] = `p${Object.keys(params).length}`;
      const text = i18n.message({ code, params }, 'ENGLISH FALLBACK');
      walked++;
      // a message that is only a piece of another ("0") is exempt from the Chinese check
      if (text === 'ENGLISH FALLBACK' || /\{[a-z_]+\}/.test(text) || (!han.test(text) && code !== 'limit_zero')) {
        out.push(`${code}: ${text}`);
      }
      for (const p of Object.values(params)) if (!text.includes(p)) out.push(`${code}: parameter ${p} not shown`);
    }
    for (const [kind, entries] of Object.entries(CATALOG.labels)) {
      for (const e of entries) {
        walked++;
        if (!han.test(i18n.label(kind, e.code))) out.push(`label ${kind}.${e.code}: ${i18n.label(kind, e.code)}`);
      }
    }
    return { out, walked };
  });
  assert.deepEqual(bad.out, []);
  assert.ok(bad.walked > 100, `walked ${bad.walked}`);
});

test('warnings, rejections and the model reason of a real file follow the language', { timeout: TIMEOUT }, async () => {
  const s = cli.summary;
  assert.ok(s.warnings.some((w) => w.startsWith('no amount column found')), s.warnings.join('\n'));
  assert.equal(s.model.notFittedCode.code, 'too_few_customers');
  await page.click('#lang-zh');
  await load('warn.csv', WARN_CSV);
  await waitForRunOf(page);
  const warnings = (await page.textContent('#dq-warnings')).trim();
  assert.match(warnings, /未找到金额列/);
  assert.ok(!/no amount column/.test(warnings), warnings);
  // every warning line is Chinese
  const items = await page.$$eval('#dq-warnings li', (lis) => lis.map((li) => li.textContent));
  assert.equal(items.length, s.warnings.length);
  for (const w of items) assert.match(w, HAN, w);
  const reasons = await page.$$eval('[data-testid="dq-rejected-table"] tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
  assert.deepEqual(reasons.sort(), ['日期无效或缺失', '重复的表头'].sort());
  const titles = await page.$$eval('[data-testid="dq-rejected-table"] [title]', (els) => els.map((e) => e.title));
  assert.ok(titles.some((t) => t.startsWith('第 4 行：表头重复出现')), titles.join(' | '));
  assert.ok(titles.some((t) => t.startsWith('第 6 行：无法按 YYYY-MM-DD 解析日期“2024-13-45”')), titles.join(' | '));
  assert.match(await page.textContent('#dq-model'), /客户太少，无法拟合购买模型：3 位（至少需要 10 位）/);

  await page.click('#lang-en');
  const english = await page.$$eval('#dq-warnings li', (lis) => lis.map((li) => li.textContent));
  assert.deepEqual(english, s.warnings, 'the English page shows the core text verbatim');
  assert.match(await page.textContent('#dq-model'), new RegExp(s.model.notFitted.replace(/[()/]/g, '\\$&')));
  assertNoProblemsIn(problems);
});

test('a fatal error is shown in the page language', { timeout: TIMEOUT }, async () => {
  await page.click('#lang-zh');
  await load('no-date.csv', NO_DATE_CSV);
  await page.waitForSelector('#error:not([hidden]) .error-message', { timeout: 60_000 });
  const zh = (await page.textContent('#error .error-message')).trim();
  assert.match(zh, /^未找到日期列/);
  await page.click('#lang-en');
  const en = (await page.textContent('#error .error-message')).trim();
  assert.match(en, /^no date column found: expected a header such as InvoiceDate/);
  assert.ok(!requests.some((u) => !u.startsWith(session.origin)), 'no request leaves the origin');
});
