// The summary download: the analysis' summary JSON (docs/outputs.md#summary-json, the same object the
// CLI writes with --summary), pretty-printed UTF-8, named after the analysis date.

import { h } from './dom.js';
import { state } from './state.js';

/**
 * The summary JSON file's contents: `summary` pretty-printed (two spaces) with a final line end, as
 * UTF-8. Shared by the page's button and the package's client (`export('json')`), so both give the
 * same bytes.
 */
export function summaryJsonBlob(summary) {
  return new Blob([`${JSON.stringify(summary, null, 2)}\n`], { type: 'application/json' });
}

/** The page's "Summary JSON" button: downloads the last analysis' summary (nothing before one). */
export function exportSummaryJson() {
  const summary = state.result?.summary;
  if (!summary) return;
  const blob = summaryJsonBlob(summary);
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: `tierwise-summary-${summary.analysisDate ?? 'analysis'}.json`, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
