// DOM helpers: $ and $$ (elements by selector, in the current render context's root: the shadow root of
// the component being drawn, lib/context.js), h() (build an element) and setValue() (text + data-value).

import { current } from './context.js';

/** The first element matching `sel` in the current root, or null. */
export const $ = (sel) => current().root.querySelector(sel);

/** Every element matching `sel` in the current root. */
export const $$ = (sel) => [...current().root.querySelectorAll(sel)];

/** The element events of the current component are sent from (its host element). */
export const host = () => current().host;

/** Send `name` with `detail` from the current component's host (bubbles, crosses shadow roots). */
export function emit(name, detail) {
  host().dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v == null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k === 'dataset') Object.assign(node.dataset, v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

/** Set a value element: formatted text plus the raw value in data-value. */
export function setValue(node, raw, text) {
  node.dataset.value = raw == null || (typeof raw === 'number' && !Number.isFinite(raw)) ? '' : String(raw);
  node.textContent = text;
}
