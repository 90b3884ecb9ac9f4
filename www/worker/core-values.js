// What the core hands back: its values turned into plain data (toPlain), its handles freed (freeQuietly).

// serde-wasm-bindgen may hand maps over as `Map` and 64-bit integers as `BigInt`; the page (and anyone
// embedding this worker) gets plain JSON-like data instead.
export function toPlain(v) {
  if (v === null || v === undefined) return v ?? null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v !== 'object') return v;
  if (v instanceof Map) {
    const o = {};
    for (const [k, val] of v) o[String(k)] = toPlain(val);
    return o;
  }
  if (Array.isArray(v)) return v.map(toPlain);
  if (ArrayBuffer.isView(v)) return Array.from(v, (x) => (typeof x === 'bigint' ? Number(x) : x));
  const o = {};
  for (const k of Object.keys(v)) o[k] = toPlain(v[k]);
  return o;
}

export function freeQuietly(obj) {
  try {
    obj?.free();
  } catch {
    /* already gone */
  }
}
