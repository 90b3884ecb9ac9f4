// The summary download: the analysis' summary JSON (docs/outputs.md#summary-json, the same object the
// CLI writes with --summary), pretty-printed UTF-8, named after the analysis date.

import { h } from './dom.js';
import { state } from './state.js';
import { summaryJsonBlob } from './summary-json.js';

// the file's bytes come from ./summary-json.js, shared with the package's client (export('json'))
export { summaryJsonBlob };

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
