// The quarterly review in the worker (docs/compare.md): the `compare` request reads the kept input once
// per analysis date it needs, streaming it like `analyze` does, and compares the analyses with the core's
// compareAnalyses. The last comparison is kept with the analysis it belongs to, for the Review sheet of
// the Excel export (./xlsx.js).
//
// Protocol (listed in ./protocol.md):
//   { type: 'compare', id, from?, options?, chunkBytes? }
//       Compares the last analysis's input as of its analysis date (the later date) with the same input
//       as of `from` ('YYYY-MM-DD', default the last day of the calendar quarter before the later date),
//       and fills the upgrade candidates from the dates 3, 6 and 9 months before the later date. The
//       kept input (File, bytes, or a workbook's converted sheet) is streamed once per distinct date,
//       never held whole; `options` default to those of the last analysis (analysisDate replaced for
//       each date). A quarter date before the first purchase counts as no spend yet (and the older ones
//       are not read); a `from` with nothing to analyse is the core's error; a `from` after the later
//       date is the coded error compare_order, before anything is read.
//   → { type: 'progress', id, pass, bytesRead, totalBytes, rows, elapsedMs, step, steps, date }
//       analyze's progress, plus which date is being read: step 1 … steps (the distinct dates, ≤ 5)
//   → { type: 'comparison', id, comparison, elapsedMs }
//       comparison  the Comparison (pkg/tierwise.d.ts): from, to, abc, ladder, rfm11, cn8 ({labels,
//                   counts}), movedUp, movedDown, downgradeWarnings, upgradeCandidates
//   Cancellable like analyze ({ type: 'cancel', id }, also while queued); the current analysis stays.

import { Analyzer, compareAnalyses, quarterDates } from '../pkg/tierwise.js';
import { Cancelled, isTrap } from './errors.js';
import { freeQuietly, toPlain } from './core-values.js';
import { chunkSize, streamPass, yieldToEvents } from './stream.js';
import { previousQuarterEnd } from '../lib/quarters.js';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

let last = null; // { handle, comparison }: the last comparison and the analysis handle it was made for

/** The last comparison made for the analysis `handle`, or null. */
export function comparisonFor(handle) {
  return last && handle && last.handle === handle ? last.comparison : null;
}

/** The coded error the core gives for dates in the wrong order (catalog code `compare_order`). */
function orderError(from, to) {
  const text = `the first date ${from} is after the second date ${to}: give the earlier date first`;
  return Object.assign(new Error(text), { code: 'compare_order', params: { from, to } });
}

/**
 * One whole analysis of `source` with `options` (a second pass when the core asks for one), as
 * `analyze` runs it; progress messages carry `extra` ({ step, steps, date }). Returns the handle.
 */
async function analyseOnce(source, options, run, chunk, track, extra) {
  let analyzer = null;
  let first = null;
  try {
    analyzer = new Analyzer(options);
    if (track) analyzer.trackCategories();
    await streamPass(source, analyzer, run, 1, chunk, extra);
    first = analyzer.finish();
    freeQuietly(analyzer);
    analyzer = null;
    await yieldToEvents();
    if (run.cancelled) throw new Cancelled();
    if (!first.needsRerun) {
      const done = first;
      first = null;
      return done;
    }
    analyzer = Analyzer.secondPass(options, first);
    if (track) analyzer.trackCategories();
    freeQuietly(first);
    first = null;
    await streamPass(source, analyzer, run, 2, chunk, extra);
    const done = analyzer.finish();
    freeQuietly(analyzer);
    analyzer = null;
    await yieldToEvents();
    if (run.cancelled) {
      freeQuietly(done);
      throw new Cancelled();
    }
    return done;
  } finally {
    freeQuietly(analyzer);
    freeQuietly(first);
  }
}

/**
 * The `compare` request. `ctx`: { received, input, current, sourceOf(input, options, run),
 * setRunning(run | null) } from worker.js (`current.options` = the options of the current analysis).
 */
export async function handleCompare(msg, ctx) {
  const { current, input } = ctx;
  if (!current || !input) throw new Error('no analysis: analyze a file first');
  const base = msg.options ?? current.options ?? {};
  if (base === null || typeof base !== 'object' || Array.isArray(base)) {
    throw new Error('compare: options must be an object');
  }
  const to = (current.summary ?? toPlain(current.handle.summary())).analysisDate;
  const from = msg.from == null || msg.from === '' ? previousQuarterEnd(to) : msg.from;
  if (typeof from !== 'string' || !ISO_DAY.test(from)) {
    throw new Error(`compare: from must be a date YYYY-MM-DD, got ${JSON.stringify(from)}`);
  }
  if (from > to) throw orderError(from, to);

  const run = { id: msg.id, cancelled: false, received: ctx.received };
  ctx.setRunning(run);
  const chunk = chunkSize(msg.chunkBytes);
  const handles = []; // every handle made, freed at the end
  try {
    const read = await ctx.sourceOf(input, base, run);
    const options = read.workbook ? { ...base, encoding: 'utf-8' } : base;
    const quarters = quarterDates(to) ?? [];
    // the dates to read, each once: the later date (with categories), the earlier one, the quarters
    const dates = [to, from, ...quarters].filter((d, i, all) => all.indexOf(d) === i);
    const byDate = new Map();
    let noneUpTo = null; // a quarter date with nobody yet: the older ones have nobody either
    for (const [k, date] of dates.entries()) {
      const quarterOnly = date !== to && date !== from;
      if (quarterOnly && noneUpTo && date <= noneUpTo) {
        byDate.set(date, null);
        continue;
      }
      const extra = { step: k + 1, steps: dates.length, date };
      const opts = { ...options, analysisDate: date };
      let handle = null;
      try {
        handle = await analyseOnce(read.source, opts, run, chunk, k === 0, extra);
      } catch (e) {
        // before the first purchase there is nothing to analyse: a quarter date with no spend yet
        if (!quarterOnly || e instanceof Cancelled || isTrap(e)) throw e;
        noneUpTo = date;
      }
      if (handle) handles.push(handle);
      byDate.set(date, handle);
    }
    // the quarter analyses that exist (a date before the first purchase has none): always the first
    // ones, since the quarter dates go back in time; the handles are only borrowed
    const later = byDate.get(to);
    const qs = quarters.map((d) => byDate.get(d) ?? null);
    const known = qs.findIndex((h) => !h);
    const comparison = toPlain(
      compareAnalyses(byDate.get(from), later, qs[0] ?? later, qs[1] ?? later, qs[2] ?? later, known < 0 ? qs.length : known),
    );
    last = { handle: current.handle, comparison };
    self.postMessage({
      type: 'comparison',
      id: msg.id,
      comparison,
      elapsedMs: performance.now() - ctx.received,
    });
  } finally {
    for (const h of handles) freeQuietly(h);
    ctx.setRunning(null);
  }
}
