// The quarterly review as rows (docs/compare.md#on-the-page): one row per customer in any list (moved
// up, moved down, upgrade candidate, downgrade warning) with the list's name and its details. Used by the
// page's review CSV and by the worker's Review sheet, so it depends on no page state: the texts come
// through `text(key, vars)` and the core's names through `name(kind, value)`.

/** The review's column headers, in `text`'s language. */
export function reviewHeader(text) {
  return [
    text('reviewColList'),
    text('reviewColCustomer'),
    text('reviewColFrom'),
    text('reviewColTo'),
    text('reviewColDetail'),
    text('reviewColQ3'),
    text('reviewColQ2'),
    text('reviewColQ1'),
  ];
}

/** An upgrade candidate's trigger in words: spend growth and/or the new categories. */
export function triggerText(c, text) {
  const parts = [];
  if (c.spendGrowth) parts.push(text('reviewTriggerSpend'));
  if (c.newCategories?.length) {
    parts.push(text('reviewTriggerCategory', { categories: c.newCategories.join(', ') }));
  }
  return parts.join(text('reviewJoin'));
}

/**
 * The rows (arrays of strings and numbers; null where a cell is empty) of `comparison`. `name(kind,
 * value)` names a grade of the ladder ('ladder'), or of ABC ('abc') when the ladder is empty.
 */
export function reviewRows(comparison, text, name) {
  const c = comparison;
  const gradeKind = c.ladder && c.ladder.labels.length > 1 ? 'ladder' : 'abc';
  const grade = (g) => name(gradeKind, g);
  const rows = [];
  for (const m of c.movedUp || []) {
    rows.push([text('reviewListUp'), m.customerId, grade(m.from), grade(m.to), null, null, null, null]);
  }
  for (const m of c.movedDown || []) {
    rows.push([text('reviewListDown'), m.customerId, grade(m.from), grade(m.to), null, null, null, null]);
  }
  for (const u of c.upgradeCandidates || []) {
    const q = Array.isArray(u.quarters) ? u.quarters : [null, null, null];
    rows.push([text('reviewListCandidate'), u.customerId, null, null, triggerText(u, text), ...q]);
  }
  for (const id of c.downgradeWarnings || []) {
    rows.push([text('reviewListWarning'), id, null, null, text('reviewWarningDetail'), null, null, null]);
  }
  return rows;
}

/** A CSV field: quoted when needed; text Excel would read as a formula gets a leading apostrophe. */
function csvField(v) {
  if (v == null) return '';
  let s = typeof v === 'number' ? String(v) : String(v);
  if (typeof v !== 'number' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The review as CSV text (UTF-8 with BOM once encoded, `\n` line ends). */
export function reviewCsv(comparison, text, name) {
  const lines = [reviewHeader(text), ...reviewRows(comparison, text, name)].map((r) => r.map(csvField).join(','));
  return `\ufeff${lines.join('\n')}\n`;
}
