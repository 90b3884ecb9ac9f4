// The mapping remembered per header signature in localStorage: a file whose header has the same column
// names (normalised as the core compares them: trimmed, lower-case, without spaces, `_`, `-`, `.`)
// gets the mapping chosen last time. Only column names, roles and reading choices are stored, never a
// value of the file; a file without a header row is never remembered (its "names" would be data).

const PREFIX = 'tierwise.mapping.';

/** The name as the core normalises header names (docs/input.md#detection-from-header-names). */
export function normaliseName(name) {
  return String(name ?? '')
    .trim()
    .toLowerCase()
    .replace(/[\s_\-.\u3000]/g, '');
}

/**
 * The header signature of an inspection: a hash (FNV-1a, 64 bits as 16 hex digits) of its normalised
 * column names in order; null when the file has no header.
 */
export function headerSignature(inspection) {
  if (!inspection?.header) return null;
  const text = inspection.columns.map((c) => normaliseName(c.name)).join('\u0001');
  let h = 0xcbf29ce484222325n;
  const bytes = new TextEncoder().encode(text);
  for (const b of bytes) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null; // storage blocked (private mode, a sandboxed frame): nothing is remembered
  }
}

/** The remembered mapping for `signature`: { columns, headerRow?, dateOrder?, decimal? } or null. */
export function recall(signature) {
  if (!signature) return null;
  try {
    const raw = storage()?.getItem(PREFIX + signature);
    const v = raw ? JSON.parse(raw) : null;
    return v && typeof v === 'object' && v.columns && typeof v.columns === 'object' ? v : null;
  } catch {
    return null;
  }
}

/** Remember `mapping` (column names and roles, reading choices) for `signature`. */
export function remember(signature, mapping) {
  if (!signature) return false;
  try {
    storage()?.setItem(PREFIX + signature, JSON.stringify(mapping));
    return true;
  } catch {
    return false;
  }
}

/** Forget the mapping of `signature`. */
export function forget(signature) {
  try {
    if (signature) storage()?.removeItem(PREFIX + signature);
  } catch {
    /* nothing stored */
  }
}
