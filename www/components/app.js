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

/** The language to start in: the element's `lang`, else `?lang=` of the page's address, else English. */
function startLang(el) {
  const attr = (el.getAttribute('lang') || '').toLowerCase();
  if (attr) return attr.startsWith('zh') ? 'zh' : 'en';
  return new URLSearchParams(globalThis.location?.search ?? '').get('lang') === 'zh' ? 'zh' : 'en';
}

/** The workbench element. */
export class TierwiseApp extends HTMLElement {
  static observedAttributes = ['lang', 'samples'];

  #started = false;
  #wiring = null;

  connectedCallback() {
    if (this.#started) return;
    this.#started = true;
    const shadow = this.attachShadow({ mode: 'open' });
    adoptStyles(shadow);
    if (instance && instance !== this) {
      shadow.innerHTML = '<p class="notice" part="notice">only one &lt;tierwise-app&gt; per page</p>';
      return;
    }
    instance = this;
    shadow.innerHTML = APP_TEMPLATE;
    this.#showSamples();
    configureApp({ root: shadow, host: this });
    const lang = startLang(this);
    // the catalog (the core's messages in both languages) and ECharts, then the wiring
    Promise.all([loadCatalog(), loadEcharts(), import('../app.js')]).then(([, , wiring]) => {
      this.#wiring = wiring;
      withContext(appCtx(), () => wiring.startWorkbench(lang));
    });
  }

  attributeChangedCallback(name, before, after) {
    if (!this.#wiring || before === after) return;
    if (name === 'samples') this.#showSamples();
    if (name === 'lang' && after) withContext(appCtx(), () => this.#wiring.switchLanguage(after.startsWith('zh') ? 'zh' : 'en'));
  }

  #showSamples() {
    for (const b of this.shadowRoot?.querySelectorAll('#load-sample, #load-cdnow') ?? []) b.hidden = !this.hasAttribute('samples');
  }
}
