// The single cards of the workbench as elements of their own, for dashboards: <tierwise-segments>,
// <tierwise-grades>, <tierwise-rfm-heatmap> and <tierwise-customers>. Each draws with the same view
// modules and markup as <tierwise-app> (views/, ./template-cards.js), in its own shadow root, with its
// own state (lib/context.js).
//
// Where the analysis comes from, either:
//   el.client = tw        a client of the package (createTierwise()): the card draws each of its results
//                         and asks it for what it needs (the heatmap's cells, the customer pages);
//   el.analysis = result  one result of tw.analyze() (the customer card then shows its first rows only);
//   src="sales.csv"       the card fetches the file (same origin) and analyses it with a client of its
//                         own, with the options of its `options` attribute (JSON).
// Attributes: lang="en|zh" (default: the workbench's language, else English); <tierwise-segments
// preset="rfm11|cn8">. Events: tierwise-select (a segment, grade or cell clicked: lib/events.js),
// tierwise-result (a `src` analysis finished), tierwise-error (detail: { message, code }).

import { applyStatic, loadCatalog, message, t } from '../i18n.js';
import { appCtx, withContext } from '../lib/context.js';
import { loadEcharts } from '../lib/echarts.js';
import { announce, emitFilter, selectDetail } from '../lib/events.js';
import { loadPage } from '../lib/list.js';
import { createState } from '../lib/state.js';
import { disposeChart } from '../charts.js';
import { renderWorkbench } from '../views/charts.js';
import { renderCustomerTable } from '../views/customers.js';
import { renderSortHeaders } from '../views/explore.js';
import { renderGrades } from '../views/grades.js';
import { renderCharts, renderSegmentTable } from '../views/segments.js';
import { adoptStyles } from './styles.js';
import { CUSTOMER_TABLE, GRADES, PAGER, SEGMENTS } from './template-cards.js';

const ready = Promise.all([loadCatalog(), loadEcharts()]);

/**
 * The worker requests the views make (lib/context.js `engine.call`: aggregate and histogram for the charts,
 * query for the customer pages), answered by the card's client.
 */
function engineOf(client) {
  return {
    call(msg) {
      switch (msg.type) {
        case 'aggregate':
          return client.aggregate(msg.by, { sum: msg.sum });
        case 'histogram':
          return client.histogram(msg.column, { bins: msg.bins, min: msg.min, max: msg.max });
        case 'query':
          return client.rows({ offset: msg.offset, limit: msg.limit, filter: msg.filters, sort: msg.sort, search: msg.search, columns: msg.columns });
        default:
          return Promise.reject(new Error(`a card does not send ${msg.type} requests`));
      }
    },
  };
}

/** A card without a client cannot ask for more than its analysis holds. */
const NO_CLIENT = { call: () => Promise.reject(new Error('this card needs a client: set its `client` property')) };

/** What the cards share: shadow root, context, client / analysis / src, language, events. */
export class TierwisePart extends HTMLElement {
  static observedAttributes = ['src', 'lang', 'options'];
  /** The card's markup (inside .tw-root). */
  static template = '';

  #client = null;
  #own = null; // the client the card made for `src` (its start, a promise, while it starts)
  #analysis = null;
  #loads = 0; // the latest `src` load wins
  #reported = new WeakSet(); // errors shown already (a failed analysis is both `cleared` and a rejection)
  #problem = null; // the last failure, shown until an analysis replaces it
  #listeners = {
    result: (ev) => {
      this.analysis = ev.detail;
    },
    cleared: (ev) => {
      this.analysis = null;
      this.#fail(ev.detail?.error);
    },
    // the first analysis under way (later ones keep the last result on show until they replace it)
    progress: () => this.#analysis || this.within(() => this.note(t('partLoading'))),
  };

  constructor() {
    super();
    const shadow = this.attachShadow({ mode: 'open' });
    shadow.innerHTML = `<div class="tw-root tw-part" part="root"><p class="muted small tw-part-note" data-testid="part-note" hidden></p>${this.constructor.template}</div>`;
    adoptStyles(shadow); // after the markup: a fallback <style> element would be replaced by it
    /** This card's render context; `onError` takes what the workbench would show in its error box. */
    this.ctx = { root: shadow, host: this, state: createState(), engine: NO_CLIENT, lang: null, onError: (e) => this.#fail(e) };
    // the name buttons of the tables (lib/tables.js nameCell) drill down like a click on a chart
    shadow.addEventListener('click', (ev) => {
      const b = ev.target.closest?.('button.drill');
      if (b) this.within(() => emitFilter([{ column: b.dataset.filterColumn, value: b.dataset.filterValue }]));
    });
    this.addEventListener('tierwise-filter', (ev) => this.select(ev.detail));
    // properties a framework set before this element was defined (own properties hiding the setters)
    for (const prop of ['client', 'analysis', 'filter']) {
      if (Object.prototype.hasOwnProperty.call(this, prop)) {
        const value = this[prop];
        delete this[prop];
        this[prop] = value;
      }
    }
  }

  /** A drill-down inside the card: tell the page (tierwise-select), outside the card's context. */
  select(detail) {
    withContext(appCtx(), () => announce(this, 'tierwise-select', selectDetail(detail)));
  }

  /** The client whose results the card draws (null: none). */
  get client() {
    return this.#client;
  }

  set client(tw) {
    if (this.#client === (tw ?? null)) return;
    this.#listen(false);
    this.#client = tw ?? null;
    this.ctx.engine = tw ? engineOf(tw) : NO_CLIENT;
    if (this.isConnected) this.#listen(true);
    this.analysis = tw?.result ?? null;
  }

  /** The analysis drawn: a result of the client's analyze() (null: none yet). */
  get analysis() {
    return this.#analysis;
  }

  set analysis(result) {
    this.#analysis = result ?? null;
    if (result) this.#problem = null;
    const state = this.ctx.state;
    // a copy: what the card asks the worker for (chart data) stays its own
    state.result = result ? { ...result, charts: null, palive: null } : null;
    state.page = { offset: 0, columns: result?.columns ?? null, total: null };
    this.render();
  }

  connectedCallback() {
    this.#listen(true);
    if (this.hasAttribute('src') && !this.#own) this.#load();
    else this.render();
  }

  disconnectedCallback() {
    this.#listen(false);
    this.#loads++; // a load in flight is dropped
    for (const node of this.shadowRoot.querySelectorAll('.chart')) disposeChart(node);
    if (this.#own) {
      const own = this.#own;
      this.#own = null;
      if (this.#client === own || this.#client === null) {
        this.#client = null;
        this.ctx.engine = NO_CLIENT;
        this.#analysis = null; // reconnected, the card analyses its `src` again
        this.ctx.state.result = null;
      }
      Promise.resolve(own).then((tw) => tw?.dispose(), () => {});
    }
  }

  attributeChangedCallback(name, before, after) {
    if (before === after) return;
    if (name === 'src' || (name === 'options' && this.hasAttribute('src'))) {
      if (this.isConnected) this.#load();
    } else this.render();
  }

  /** Run `fn` in the card's context and language. */
  within(fn) {
    const lang = (this.getAttribute('lang') || '').toLowerCase();
    this.ctx.lang = lang ? (lang.startsWith('zh') ? 'zh' : 'en') : null;
    return withContext(this.ctx, fn);
  }

  /** Draw the card again (after the catalog and ECharts are loaded). */
  render() {
    ready.then(() => {
      if (!this.isConnected) return;
      this.within(() => {
        applyStatic();
        this.note(this.ctx.state.result ? '' : this.#problemText() || t('partEmpty'));
        try {
          this.draw(this.ctx.state.result);
        } catch (e) {
          this.note(e?.message || String(e));
        }
      });
    });
  }

  /** Show `text` above the card ('' hides it). */
  note(text) {
    const p = this.shadowRoot.querySelector('.tw-part-note');
    p.textContent = text;
    p.hidden = !text;
  }

  /** Draw `result` (null: nothing analysed yet); each card overrides it. */
  draw() {}

  /** Listen to the client's events (or stop). */
  #listen(on) {
    for (const [name, fn] of Object.entries(this.#listeners)) {
      if (on) this.#client?.addEventListener?.(name, fn);
      else this.#client?.removeEventListener?.(name, fn);
    }
  }

  /** A failure of the card's requests or of its `src`: shown on the card and sent as tierwise-error. */
  #fail(e) {
    if (!e || (typeof e === 'object' && this.#reported.has(e))) return;
    if (typeof e === 'object') this.#reported.add(e);
    this.#problem = e;
    this.within(() => this.note(this.#problemText()));
    withContext(appCtx(), () => announce(this, 'tierwise-error', { message: e.message || String(e), code: e.code ?? null }));
  }

  /** The last failure in the card's language (a coded message of the core through its catalog). */
  #problemText() {
    const e = this.#problem;
    if (!e) return '';
    const fallback = e.message || String(e);
    return e.code ? message({ code: e.code, params: e.params ?? {} }, fallback) : fallback;
  }

  async #load() {
    const src = this.getAttribute('src');
    if (!src) return;
    const mine = ++this.#loads;
    const current = () => mine === this.#loads && this.isConnected;
    this.within(() => this.note(t('partLoading')));
    try {
      let options;
      try {
        options = this.hasAttribute('options') ? JSON.parse(this.getAttribute('options')) : undefined;
      } catch (e) {
        throw new Error(`the options attribute is not JSON: ${e.message}`);
      }
      if (!this.#own) {
        // one client per card, however many loads overlap while it starts
        this.#own = import('../client.js').then(({ createTierwise }) => createTierwise());
        const tw = await this.#own;
        if (!this.#own) {
          tw.dispose(); // disconnected meanwhile
          return;
        }
        this.#own = tw;
        this.client = tw;
      }
      const tw = await this.#own;
      const res = await fetch(new URL(src, document.baseURI));
      if (!res.ok) throw new Error(`could not load ${src}: HTTP ${res.status}`);
      const blob = await res.blob();
      if (!current()) return;
      const result = await tw.analyze(blob, options);
      if (!current()) return;
      withContext(appCtx(), () => announce(this, 'tierwise-result', { summary: result.summary, customerCount: result.customerCount }));
    } catch (e) {
      if (current() && !e?.cancelled) this.#fail(e);
    }
  }
}

/** <tierwise-segments preset="rfm11|cn8">: the segment chart, the Pareto curve and the segment table. */
export class TierwiseSegments extends TierwisePart {
  static observedAttributes = [...TierwisePart.observedAttributes, 'preset'];
  static template = SEGMENTS;

  constructor() {
    super();
    for (const b of this.shadowRoot.querySelectorAll('.seg-toggle button')) {
      b.addEventListener('click', () => this.setAttribute('preset', b.dataset.preset));
    }
  }

  draw(result) {
    const preset = this.getAttribute('preset') === 'cn8' ? 'cn8' : 'rfm11';
    this.ctx.state.preset = preset;
    for (const b of this.shadowRoot.querySelectorAll('.seg-toggle button')) {
      b.setAttribute('aria-pressed', String(b.dataset.preset === preset));
    }
    if (!result) return;
    renderCharts(result.summary || {});
    renderSegmentTable(result.summary || {});
  }
}

/** <tierwise-grades>: the ABC and ladder grade tables. */
export class TierwiseGrades extends TierwisePart {
  static template = GRADES;

  draw(result) {
    if (result) renderGrades(result.summary || {});
  }
}

/** <tierwise-rfm-heatmap>: customers (or revenue) by R and F score; needs a client for its cells. */
export class TierwiseRfmHeatmap extends TierwisePart {
  static template = '<div class="chart-cards" id="chart-cards" data-testid="chart-cards"></div>';

  constructor() {
    super();
    this.ctx.cards = ['heatmap'];
  }

  draw(result) {
    if (result) renderWorkbench();
  }
}

/**
 * <tierwise-customers>: the customer table, paged (and sorted by a click on a column) through the
 * client; `filter` (property) = the filters of a tierwise-select detail, e.g. `el.filter = ev.detail.filters`.
 */
export class TierwiseCustomers extends TierwisePart {
  static template = `<section part="card" class="card"><p class="muted" id="customer-range" data-testid="customer-range"></p>${CUSTOMER_TABLE}${PAGER}</section>`;

  #filter = [];

  constructor() {
    super();
    const root = this.shadowRoot;
    for (const th of root.querySelectorAll('#customer-table th[data-sort]')) {
      th.querySelector('button.sort-btn')?.addEventListener('click', () => this.#sortBy(th.dataset.sort));
    }
    for (const which of ['first', 'prev', 'next', 'last']) {
      root.querySelector(`#page-${which}`)?.addEventListener('click', () => this.within(() => loadPage(this.#offset(which))));
    }
  }

  /** The list's filters ([{ column, value } | { column, min, max, maxInclusive? }], AND across columns). */
  get filter() {
    return this.#filter;
  }

  set filter(filters) {
    this.#filter = Array.isArray(filters) ? filters : [];
    this.render();
  }

  draw(result) {
    const state = this.ctx.state;
    state.list.filters = this.#filter;
    renderSortHeaders();
    if (!result) return;
    if (this.ctx.engine !== NO_CLIENT) loadPage(0);
    else renderCustomerTable(); // the analysis' first rows only
  }

  #sortBy(column) {
    this.within(() => {
      const list = this.ctx.state.list;
      const s = list.sort;
      if (!s || s.column !== column) list.sort = { column, dir: 'asc' };
      else if (s.dir === 'asc') list.sort = { column, dir: 'desc' };
      else list.sort = null;
      renderSortHeaders();
      loadPage(0);
    });
  }

  #offset(which) {
    const { list, page, result } = this.ctx.state;
    const total = page.total ?? result?.customerCount ?? 0;
    const last = total > 0 ? Math.floor((total - 1) / list.pageSize) * list.pageSize : 0;
    return { first: 0, prev: Math.max(0, page.offset - list.pageSize), next: Math.min(last, page.offset + list.pageSize), last }[which];
  }
}
