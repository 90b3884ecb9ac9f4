// Saving a file the page made (a CSV, a workbook, JSON): a temporary link to a blob: URL, clicked.
// Nothing is requested; the URL is revoked a minute later (the download has started by then).

import { h } from './dom.js';

/** Offer `blob` as a download named `name`. */
export function downloadBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
