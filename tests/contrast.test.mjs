// Text colours of the page's style sheets (www/style.css, www/styles/*.css) against the backgrounds they
// sit on reach the WCAG 2 contrast ratio of 4.5:1 for text. Every rule that sets `color` is checked
// against the background(s) the same rule sets (each colour of a gradient; a translucent colour laid
// over white), or, when it sets none, against the backgrounds listed for it in ON below, else the page's
// surfaces (card white, page grey, the table rows' hover tint). The ratio itself is checked against
// values published by WebAIM, so a broken formula is noticed.
//
//   node --test tests/contrast.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WWW = path.resolve(fileURLToPath(new URL('../www/', import.meta.url)));
const MIN = 4.5;
const SURFACES = ['#ffffff', '#f4f6fa', '#f8f9fd']; // --card, --bg, tr:hover

// Rules whose text sits on a background set by another rule (selector → backgrounds).
const ON = {
  '.kpi-accent .kpi-label,\n.kpi-accent .kpi-sub': ['#4361c2', '#4a67c9'],
  '.btn-primary': ['#4361c2'],
};

/** [r, g, b, a] of a CSS colour (hex, rgb(), rgba(), white, black), or null. */
export function parseColor(text) {
  const s = text.trim().toLowerCase();
  if (s === 'white') return [255, 255, 255, 1];
  if (s === 'black') return [0, 0, 0, 1];
  let m = s.match(/^#([0-9a-f]{3,8})$/);
  if (m) {
    let h = m[1];
    if (h.length === 3 || h.length === 4) h = [...h].map((c) => c + c).join('');
    const n = (i) => parseInt(h.slice(i, i + 2), 16);
    return [n(0), n(2), n(4), h.length === 8 ? n(6) / 255 : 1];
  }
  m = s.match(/^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/);
  if (m) {
    const a = m[4] == null ? 1 : m[4].endsWith('%') ? parseFloat(m[4]) / 100 : parseFloat(m[4]);
    return [Number(m[1]), Number(m[2]), Number(m[3]), a];
  }
  return null;
}

const over = (fg, bg) => [0, 1, 2].map((i) => fg[i] * fg[3] + bg[i] * (1 - fg[3])).concat(1);

function luminance([r, g, b]) {
  const lin = (c) => {
    const x = c / 255;
    return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG 2 contrast ratio of text colour `fg` on background `bg` (CSS colour strings). */
export function contrast(fg, bg) {
  const b = over(parseColor(bg), [255, 255, 255, 1]);
  const f = over(parseColor(fg), b);
  const [hi, lo] = [luminance(f), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

function sheets() {
  const files = [path.join(WWW, 'style.css')];
  const dir = path.join(WWW, 'styles');
  if (existsSync(dir)) for (const f of readdirSync(dir).sort()) if (f.endsWith('.css')) files.push(path.join(dir, f));
  return files.map((f) => ({ name: path.relative(WWW, f), text: readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '') }));
}

/** Every rule that sets a text colour: { sheet, selector, color, backgrounds }. */
export function textRules(css, sheet, vars) {
  const resolve = (v) => v.replace(/var\((--[\w-]+)\)/g, (m, k) => vars[k] ?? m).trim();
  const out = [];
  for (const m of css.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    const selector = m[1].trim();
    if (selector.startsWith('@') || selector === ':root' || selector === ':host') continue;
    const decls = m[2];
    const color = decls.match(/(?:^|;)\s*color\s*:\s*([^;]+)/);
    if (!color) continue;
    const fg = resolve(color[1]);
    if (!parseColor(fg)) continue; // inherit, currentColor, transparent
    const bgDecl = decls.match(/(?:^|;)\s*background(?:-color)?\s*:\s*([^;]+)/);
    let backgrounds = null;
    if (bgDecl) {
      const bg = resolve(bgDecl[1]);
      const found = bg.match(/#[0-9a-fA-F]{3,8}\b|rgba?\([^)]*\)|\bwhite\b/g);
      if (found) backgrounds = found;
    }
    out.push({ sheet, selector, color: fg, backgrounds: backgrounds ?? ON[selector] ?? SURFACES });
  }
  return out;
}

/** The theme's custom properties: set on :host (the components' shadow roots) or :root. */
function rootVars(allCss) {
  const vars = {};
  for (const m of allCss.matchAll(/(?::root|:host)\s*\{([^}]*)\}/g)) {
    for (const d of m[1].matchAll(/(--[\w-]+)\s*:\s*([^;]+)/g)) vars[d[1]] = d[2].trim();
  }
  return vars;
}

test('the contrast formula gives the published ratios', () => {
  // WebAIM contrast checker: #777777 on white 4.47:1 (just fails), #767676 on white 4.54:1, black on white 21:1
  assert.equal(contrast('#777777', '#ffffff').toFixed(2), '4.48');
  assert.equal(contrast('#767676', '#ffffff').toFixed(2), '4.54');
  assert.equal(contrast('#000', '#fff'), 21);
  assert.equal(contrast('#fff', '#fff'), 1);
  // a translucent colour is laid over its background first
  assert.ok(contrast('rgba(0, 0, 0, 0.5)', '#fff') < contrast('#000', '#fff'));
});

test('the rule finder sees colours, backgrounds and variables (and would flag a pale grey)', () => {
  const css = ':root { --muted: #a0a7b5; }\n.a { color: var(--muted); }\n.b { color: #fff; background: #4361c2; }\n.c { color: inherit; }';
  const rules = textRules(css, 'x.css', rootVars(css));
  assert.deepEqual(rules.map((r) => [r.selector, r.color, r.backgrounds]), [
    ['.a', '#a0a7b5', SURFACES],
    ['.b', '#fff', ['#4361c2']],
  ]);
  assert.ok(contrast('#a0a7b5', '#ffffff') < MIN, 'the pale grey of empty rows fails');
});

test(`every text colour of the style sheets has a contrast of at least ${MIN}:1`, () => {
  const all = sheets();
  const vars = rootVars(all.map((s) => s.text).join('\n'));
  const rules = all.flatMap((s) => textRules(s.text, s.name, vars));
  assert.ok(rules.length > 30, `found ${rules.length} rules with a text colour`);
  const failing = [];
  for (const r of rules) {
    for (const bg of r.backgrounds) {
      const c = contrast(r.color, bg);
      if (c < MIN) failing.push(`${r.sheet} ${r.selector.replace(/\s+/g, ' ')}: ${r.color} on ${bg} = ${c.toFixed(2)}:1`);
    }
  }
  assert.deepEqual(failing, []);
});
