// Screenshots of the page's main views for the README (docs/screenshots/*.png), from the bundled sample
// and the CDNOW file: the results in English and Chinese, the mapping step, the charts, the quarterly
// review, the customer list and the report view. Needs the built site (scripts/build.sh) and chromium.
//
//   node scripts/screenshots.mjs

import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { openPageSession, waitForRunOf } from '../tests/e2e/helpers.mjs';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const OUT = path.join(ROOT, 'docs/screenshots');

const requests = [];
const problems = [];
const session = await openPageSession({ requests, problems });
const { page } = session;
await page.setViewportSize({ width: 1280, height: 900 });

/** Screenshot of the element `selector` (its whole box) into docs/screenshots/NAME.png. */
async function shot(name, selector) {
  const el = await page.$(selector);
  if (!el) throw new Error(`no ${selector}`);
  await el.scrollIntoViewIfNeeded();
  await page.waitForTimeout(600); // chart animations
  await el.screenshot({ path: path.join(OUT, `${name}.png`) });
  console.log(`docs/screenshots/${name}.png`);
}

try {
  // the mapping step, on a headerless whitespace-aligned file (CDNOW)
  await page.setInputFiles('#file-input', path.join(ROOT, 'www/data/cdnow/CDNOW_sample.txt'));
  await page.waitForSelector('#mapping-step:not([hidden])', { timeout: 60_000 });
  await shot('mapping', '#mapping-step');

  await page.click('#load-sample');
  await waitForRunOf(page);
  await page.waitForSelector('#chart-cards[data-state="done"]', { timeout: 60_000 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(OUT, 'results-en.png'), clip: { x: 0, y: 0, width: 1280, height: 1500 } });
  console.log('docs/screenshots/results-en.png');
  await shot('charts', '#charts-section');
  await page.click('#review-run');
  await page.waitForSelector('[data-testid="review-status"][data-state="done"]', { timeout: 120_000 });
  await shot('review', '#review-section');
  await shot('customers', '#customers-section');

  await page.click('#lang-zh');
  await page.waitForTimeout(800);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(OUT, 'results-zh.png'), clip: { x: 0, y: 0, width: 1280, height: 1500 } });
  console.log('docs/screenshots/results-zh.png');
  await page.click('#lang-en');
  await page.click('#report-view');
  await page.waitForTimeout(800);
  await page.screenshot({ path: path.join(OUT, 'report.png'), clip: { x: 0, y: 0, width: 1280, height: 1800 } });
  console.log('docs/screenshots/report.png');
  if (problems.length) throw new Error(problems.join('\n'));
} finally {
  await session.close();
}
