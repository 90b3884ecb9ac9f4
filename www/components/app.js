// <tierwise-app>: the whole workbench (drop a file, map its columns, options, results, charts, the
// quarterly review, the customer list, exports) in a shadow root. The demo page is this element.
//
// Attributes: lang="en|zh" (follows the language toggle inside), samples (show the two sample-data
// buttons), manage-page (keep document.title and <html lang> in the workbench's language: for a page
// that is only the workbench). Events: tierwise-result (detail: { summary, customerCount }) after each analysis,
// tierwise-select (lib/events.js selectDetail) when a segment, grade, cell or bar is clicked.
// One per page: the workbench's state and worker are the page's (a second one says so and stays empty).

import { appCtx, configureApp, withContext } from '../lib/context.js';
import { loadCatalog } from '../i18n.js';
import { loadEcharts } from '../lib/echarts.js';
import { adoptStyles } from './styles.js';
import { APP_TEMPLATE } from './template-app.js';

let instance = null;

/**
 * The language to start in: the element's `lang`, else (for a page that is only the workbench,
 * `manage-page`) `?lang=` of the page's address, else English.
 */
function startLang(el) {
  const attr = (el.getAttribute('lang') || '').toLowerCase();
  if (attr) return attr.startsWith('zh') ? 'zh' : 'en';
  if (!el.hasAttribute('manage-page')) return 'en';
  return new URLSearchParams(globalThis.location?.search ?? '').get('lang') === 'zh' ? 'zh' : 'en';
}

/** The workbench element. */
export class TierwiseApp extends HTMLElement {
  static observedAttributes = ['lang', 'samples'];

  #wiring = null;
  #ready = null;
  #resolveReady = () => {};

  /**
   * Resolves once the workbench is wired (its catalog, ECharts or the lack of it, and its controls):
   * from then on a chosen or dropped file is analysed. A file chosen earlier is analysed then.
   */
  get ready() {
    this.#ready ??= new Promise((resolve) => (this.#resolveReady = resolve));
    return this.#ready;
  }

  connectedCallback() {
    if (instance === this) return; // moved within the page
    const shadow = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    if (instance) {
      shadow.innerHTML = '<p class="notice" part="notice">only one &lt;tierwise-app&gt; per page</p>';
      adoptStyles(shadow);
      return;
    }
    instance = this;
    // a fresh workbench each time it is put in a page (its state and worker are the page's and stay)
    shadow.innerHTML = APP_TEMPLATE;
    adoptStyles(shadow); // after the markup: a fallback <style> element would be replaced by it
    this.#showSamples();
    configureApp({ root: shadow, host: this });
    // the catalog (the core's messages in both languages) and ECharts, then the wiring
    Promise.all([loadCatalog(), loadEcharts(), import('../app.js')]).then(([, , wiring]) => {
      if (instance !== this) return; // removed meanwhile
      this.#wiring = wiring;
      withContext(appCtx(), () => wiring.startWorkbench(startLang(this)));
      void this.ready;
      this.#resolveReady();
    });
  }

  disconnectedCallback() {
    // removed (a route change of a single-page app): another <tierwise-app> may take its place
    if (instance === this) instance = null;
    this.#wiring = null;
    this.#ready = null; // put back in the page, it is wired again
  }

  attributeChangedCallback(name, before, after) {
    if (before === after) return;
    if (name === 'samples') this.#showSamples();
    // (before the wiring has started, it starts in the language the attribute says then)
    if (name === 'lang' && after && this.#wiring) {
      withContext(appCtx(), () => this.#wiring.switchLanguage(after.startsWith('zh') ? 'zh' : 'en'));
    }
  }

  #showSamples() {
    for (const b of this.shadowRoot?.querySelectorAll('#load-sample, #load-cdnow') ?? []) b.hidden = !this.hasAttribute('samples');
  }
}
