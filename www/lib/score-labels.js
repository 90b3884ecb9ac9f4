// What each RFM score means in the dimension's own unit, from summary.cutPoints (docs/scores.md): the
// value range per score, so that an axis can say "R5: ≤ 12" (days) or "F3: 3–4" (orders).
// Pure functions (no DOM), tested in tests/score-labels.test.mjs.

/**
 * The value range of each score 1 … k of one dimension, as { score, lo, hi, empty } with `lo` / `hi`
 * inclusive bounds (null = unbounded), or null for a mode whose cuts are not values (`rank`).
 * @param {{mode: string, cuts: number[], counts: number[]}} cp  summary.cutPoints.r / .f / .m
 * @param {{reversed?: boolean, integer?: boolean}} how  reversed: recency (the highest score holds
 *   the smallest values); integer: the values are whole numbers (days, counts), so bounds are whole too
 */
export function scoreRanges(cp, { reversed = false, integer = false } = {}) {
  if (!cp || !Array.isArray(cp.cuts) || !Array.isArray(cp.counts)) return null;
  if (cp.mode === 'rank') return null;
  const k = cp.counts.length;
  const cuts = cp.cuts;
  if (k < 1 || cuts.length !== k - 1) return null;
  const halfOpen = cp.mode === 'rfm-r'; // bins [b(j−1), b(j)); other modes (c(j−1), c(j)]
  const out = [];
  for (let bin = 1; bin <= k; bin++) {
    const below = bin > 1 ? cuts[bin - 2] : null; // the bin's lower edge
    const above = bin < k ? cuts[bin - 1] : null; // its upper edge
    let lo;
    let hi;
    if (halfOpen) {
      lo = below == null ? null : integer ? Math.ceil(below) : below;
      hi = above == null ? null : integer ? Math.ceil(above) - 1 : above;
    } else {
      lo = below == null ? null : integer ? Math.floor(below) + 1 : below;
      hi = above == null ? null : integer ? Math.floor(above) : above;
    }
    const empty = lo != null && hi != null && (integer ? lo > hi : halfOpen ? lo >= hi : lo >= hi);
    // recency: bin 1 (smallest values) is score k
    out.push({ score: reversed ? k + 1 - bin : bin, lo, hi, empty });
  }
  return out.sort((a, b) => a.score - b.score);
}

/**
 * A short text for one range: "≤ 12", "≥ 40", "3–4", "1", or "—" for an empty bin; `fmt` formats a
 * bound (money, days).
 */
export function rangeText(r, fmt = String) {
  if (!r) return '';
  if (r.empty) return '—';
  if (r.lo == null && r.hi == null) return '';
  if (r.lo == null) return `≤ ${fmt(r.hi)}`;
  if (r.hi == null) return `≥ ${fmt(r.lo)}`;
  if (r.lo === r.hi) return fmt(r.lo);
  return `${fmt(r.lo)}–${fmt(r.hi)}`;
}

/** Axis labels for scores 1 … k: "R5: ≤ 12", or just "R5" when the ranges are unknown. */
export function scoreLabels(letter, cp, how, fmt) {
  const k = Array.isArray(cp?.counts) ? cp.counts.length : 0;
  const ranges = scoreRanges(cp, how);
  const labels = [];
  for (let s = 1; s <= k; s++) {
    const text = ranges ? rangeText(ranges[s - 1], fmt) : '';
    labels.push(text ? `${letter}${s}: ${text}` : `${letter}${s}`);
  }
  return labels;
}
