// The render context: which shadow root the views look their elements up in, which element their
// events are sent from, whose state they read, which worker they ask and in which language they write.
//
// The views (www/views/) are shared by the whole workbench (<tierwise-app>) and by the single cards
// (<tierwise-segments>, <tierwise-grades>, …, www/components/): one implementation of each table and
// chart. A card renders by running the same view functions inside `withContext(its context, …)`; the
// workbench's context is the default one. Rendering is synchronous, so swapping the current context
// around a call is enough; work that resumes later (a click, an answer of the worker) runs in the
// context it was registered in through `bound(fn)` / `current()` captured before the `await`.

/** @typedef {{ root: Document | ShadowRoot, host: EventTarget, state: object | null, engine: object | null, lang: string | null }} RenderContext */

/** The workbench's context; its root and host are set when <tierwise-app> connects. */
const appContext = { root: document, host: document, state: null, engine: null, lang: null };
let active = appContext;

/** The context the views render in now. */
export function current() {
  return active;
}

/** The workbench's own context (its state, its engine). */
export function appCtx() {
  return appContext;
}

/** Point the workbench's context at its shadow root and host element (and its state, engine). */
export function configureApp(parts) {
  Object.assign(appContext, parts);
}

/** Run `fn` with `ctx` as the current context; returns what `fn` returns. */
export function withContext(ctx, fn) {
  const previous = active;
  active = ctx;
  try {
    return fn();
  } finally {
    active = previous;
  }
}

/** `fn` bound to the context current now (for event handlers and callbacks that run later). */
export function bound(fn) {
  const ctx = active;
  if (ctx === appContext) return fn;
  return (...args) => withContext(ctx, () => fn(...args));
}
