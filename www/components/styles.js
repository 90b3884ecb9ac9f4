// The components' styles: the workbench's sheets (generated into ./styles.css.js by scripts/styles.mjs)
// as one constructed style sheet, shared by every shadow root that adopts it. Nothing is added to the
// page's own styles, and the page's styles do not reach inside (only inherited properties and the
// custom properties of the theme do, by design: see style.css, :host).

import { CSS } from './styles.css.js';

let sheet = null;

/** Give `shadow` the components' styles (a shared constructed sheet; a <style> element where unsupported). */
export function adoptStyles(shadow) {
  if ('adoptedStyleSheets' in Document.prototype && typeof CSSStyleSheet.prototype.replaceSync === 'function') {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
    }
    if (!shadow.adoptedStyleSheets.includes(sheet)) shadow.adoptedStyleSheets = [...shadow.adoptedStyleSheets, sheet];
  } else {
    const style = document.createElement('style');
    style.textContent = CSS;
    shadow.prepend(style);
  }
}
