// The analysis options of the page: the options panel's fields (views/options-panel.js, only what
// differs from the defaults) and the columns chosen in the mapping step (views/mapping.js).

import { readOptions } from '../views/options-panel.js';
import { mappingColumns } from '../views/mapping.js';
import { optionsWithDimensions } from './dimensions.js';

/** The options object, or undefined for all defaults (fields that cannot be read are left out). */
export function collectOptions() {
  const { options } = readOptions();
  const columns = mappingColumns();
  if (columns && Object.keys(columns).length) options.columns = columns;
  return optionsWithDimensions(Object.keys(options).length ? options : undefined);
}

/** The page's options with those a built-in sample insists on (`source.options`) merged over them. */
export function optionsFor(source) {
  const o = collectOptions();
  if (!source?.options) return o;
  return { ...(o || {}), ...source.options };
}
