// DOM helpers: $ (one element by selector), h() (build an element) and setValue() (text + data-value).

export const $ = (sel) => document.querySelector(sel);

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
