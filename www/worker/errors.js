// The worker's errors: a cancelled analysis (Cancelled), a wasm trap (isTrap), and the message of any
// thrown value (messageOf).

export function messageOf(e) {
  if (e == null) return 'unknown error';
  if (typeof e === 'string') return e;
  if (typeof e.message === 'string' && e.message) return e.message;
  try {
    return String(e);
  } catch {
    return 'unknown error';
  }
}

export function isTrap(e) {
  return typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError;
}

export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.cancelled = true;
  }
}
