// Counting a numeric column into bins for the `histogram` request (only the counts leave the worker).

/**
 * Counts `values` in `bins` bins over [min, max] (defaults: 20 bins, the column's smallest and largest
 * value). NaN values are `missing`, values outside [min, max] `outside`.
 */
export function histogram(values, { bins: binsWanted, min, max }) {
  const bins = Math.min(1000, Math.max(1, Math.floor(Number(binsWanted)) || 20));
  let lo = Number.isFinite(min) ? min : Infinity;
  let hi = Number.isFinite(max) ? max : -Infinity;
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    for (const v of values) {
      if (Number.isNaN(v)) continue;
      if (!Number.isFinite(min) && v < lo) lo = v;
      if (!Number.isFinite(max) && v > hi) hi = v;
    }
  }
  const counts = new Array(bins).fill(0);
  let missing = 0;
  let outside = 0;
  const width = hi > lo ? (hi - lo) / bins : 1;
  for (const v of values) {
    if (Number.isNaN(v)) missing++;
    else if (!(v >= lo && v <= hi)) outside++;
    else counts[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
  }
  const finite = Number.isFinite(lo) && Number.isFinite(hi);
  return { min: finite ? lo : null, max: finite ? hi : null, counts, missing, outside };
}
