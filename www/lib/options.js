// The options form: the analysis options it sets (only those that differ from the defaults).

import { el } from './elements.js';
import { optionsWithDimensions } from './dimensions.js';

function columnRef(text) {
  const v = text.trim();
  if (!v) return undefined;
  return /^\d+$/.test(v) ? Number(v) : v;
}

export function collectOptions() {
  const f = el.optionsForm.elements;
  const o = {};
  if (f.dateOrder.value !== 'auto') o.dateOrder = f.dateOrder.value;
  if (f.analysisDate.value) o.analysisDate = f.analysisDate.value;
  if (f.rfmMode.value !== 'quantile') o.rfm = { mode: f.rfmMode.value };
  if (f.frequency.value !== 'orders') o.frequency = f.frequency.value;
  if (f.returns.value !== 'net') o.returns = f.returns.value;
  const sheet = columnRef(f.sheet.value); // a workbook's sheet: name or 0-based index
  if (sheet !== undefined) o.sheet = sheet;
  const columns = {};
  const c = columnRef(f.colCustomer.value);
  const d = columnRef(f.colDate.value);
  const a = columnRef(f.colAmount.value);
  if (c !== undefined) columns.customer = c;
  if (d !== undefined) columns.date = d;
  if (a !== undefined) columns.amount = a;
  if (Object.keys(columns).length) o.columns = columns;
  return optionsWithDimensions(Object.keys(o).length ? o : undefined);
}

/** The page's options with those a built-in sample insists on (`source.options`) merged over them. */
export function optionsFor(source) {
  const o = collectOptions();
  if (!source?.options) return o;
  return { ...(o || {}), ...source.options };
}
