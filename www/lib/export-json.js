// The summary download: the analysis' summary JSON (docs/outputs.md#summary-json, the same object the
// CLI writes with --summary), pretty-printed UTF-8, named after the analysis date.

import { downloadBlob } from './download.js';
import { state } from './state.js';
import { summaryJsonBlob } from './summary-json.js';

// the file's bytes come from ./summary-json.js, shared with the package's client (export('json'))
export { summaryJsonBlob };

/** The page's "Summary JSON" button: downloads the last analysis' summary (nothing before one). */
export function exportSummaryJson() {
  const summary = state.result?.summary;
  if (!summary) return;
  downloadBlob(summaryJsonBlob(summary), `tierwise-summary-${summary.analysisDate ?? 'analysis'}.json`);
}
