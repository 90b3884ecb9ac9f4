// The string tables of the page's larger features, each { en: { key: text }, zh: { key: text } }, kept
// next to their feature instead of in en.js / zh.js. i18n.js merges them over the base tables (a key
// defined twice is a bug: tests/e2e/messages.test.mjs checks that every part has both languages).
// Add a feature's table with one import line and one entry below.

import { MAPPING } from './mapping.js';
import { REPORT } from './report.js';
import { CHARTS } from './charts.js';
import { REVIEW } from './review.js';
import { EXPLORE } from './explore.js';
import { DIMENSIONS } from './dimensions.js';

export const PARTS = [MAPPING, REPORT, CHARTS, REVIEW, EXPLORE, DIMENSIONS];
