// The summary JSON file (docs/outputs.md#summary-json, the object the CLI writes with --summary): its
// bytes, shared by the page's "Summary JSON" button (./export-json.js) and the package's client
// (`export('json')`, ./client-core.js). No page imports here, so the client (and Node) need none.

/**
 * The summary JSON file's contents: `summary` pretty-printed (two spaces) with a final line end, as
 * UTF-8, so the page and the client give the same bytes.
 */
export function summaryJsonBlob(summary) {
  return new Blob([`${JSON.stringify(summary, null, 2)}\n`], { type: 'application/json' });
}
