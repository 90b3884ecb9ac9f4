// Calendar quarters for the quarterly review: the default earlier date is the last day of the calendar
// quarter before the one the analysis date falls in (docs/compare.md). Used by the page and the worker.

/** The last day (YYYY-MM-DD) of the calendar quarter before the one `date` (YYYY-MM-DD) falls in. */
export function previousQuarterEnd(date) {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const q = Math.floor((m - 1) / 3); // 0 … 3
  if (q === 0) return `${String(y - 1).padStart(4, '0')}-12-31`;
  const endMonth = q * 3; // 3, 6, 9
  const endDay = new Date(Date.UTC(2000, endMonth, 0)).getUTCDate(); // 31, 30, 30
  return `${String(y).padStart(4, '0')}-${String(endMonth).padStart(2, '0')}-${endDay}`;
}
