// "Export as SQL" on the page (docs/sql.md): the script the page downloads for the bundled sample is
// byte for byte the one the native CLI writes for the same file and options (`tierwise sql`), in each
// dialect and with both cut sources; the control follows the language. (The client's exportSql is in
// tests/package.test.mjs; that the script computes the core's labels is tests/sql/verify.py's job.)
//
//   TIERWISE_BIN=$PWD/target/release/tierwise node --test tests/e2e/sql.test.mjs
//
// Needs what page.test.mjs needs (scripts/build.sh, the CLI, Debian chromium).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { WWW, checkSiteBuilt, cliPath, openPageSession, waitForRunOf, assertNoProblemsIn, foreignRequests } from './helpers.mjs';

const TIMEOUT = 120_000;
let session;
let origin;
let page;
const requests = [];
const problems = [];

before(async () => {
  checkSiteBuilt();
  session = await openPageSession({ requests, problems, acceptDownloads: true });
  ({ origin, page } = session);
  await page.click('#load-sample');
  await waitForRunOf(page);
}, { timeout: TIMEOUT });

after(async () => {
  await session?.close();
});

function cliSql(dialect, cuts) {
  return execFileSync(cliPath(), ['sql', path.join(WWW, 'sample.csv'), '--dialect', dialect, '--cuts', cuts], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 16 * 1024 * 1024,
  });
}

test('the page exports the same SQL script as the CLI, in every dialect and with both cut sources', { timeout: TIMEOUT }, async () => {
  assert.equal(await page.isEnabled('[data-testid="export-sql"]'), true);
  for (const [dialect, cuts] of [['duckdb', 'fitted'], ['postgres', 'sql'], ['bigquery', 'fitted'], ['spark', 'sql']]) {
    await page.selectOption('#export-sql-dialect', dialect);
    await page.selectOption('#export-sql-cuts', cuts);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-sql"]')]);
    assert.equal(download.suggestedFilename(), `tierwise-2024-12-31-${dialect}${cuts === 'sql' ? '-refit' : ''}.sql`);
    const got = readFileSync(await download.path(), 'utf8');
    assert.equal(got, cliSql(dialect, cuts), `${dialect} ${cuts}`);
    assert.match(got, /\nFROM tw_out\nORDER BY [^\n]+;\n$/);
  }
  assert.equal(await page.getAttribute('#status', 'data-state'), 'done');
});

test('the SQL controls follow the language', { timeout: TIMEOUT }, async () => {
  await page.click('#lang-zh');
  assert.equal(await page.textContent('[data-testid="export-sql"]'), '导出为 SQL');
  assert.match(await page.textContent('[data-testid="export-sql-cuts"]'), /沿用本次分析/);
  await page.click('#lang-en');
  assert.equal(await page.textContent('[data-testid="export-sql"]'), 'Export as SQL');
});

test('every request stayed on the page\'s own origin', () => {
  assert.deepEqual(foreignRequests(requests, origin), []);
  assertNoProblemsIn(problems);
});
