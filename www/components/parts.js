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

import { applyStatic, loadCatalog, t } from '../i18n.js';
import { withContext } from '../lib/context.js';
import { loadEcharts } from '../lib/echarts.js';
import { announce, emitFilter, selectDetail } from '../lib/events.js';
import { loadPage } from '../lib/list.js';
import { createState } from '../lib/state.js';
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
  #own = null; // the client the card made for `src`
  #analysis = null;
  #onResult = (ev) => {
    this.analysis = ev.detail;
  };

  constructor() {
    super();
    const shadow = this.attachShadow({ mode: 'open' });
    adoptStyles(shadow);
    shadow.innerHTML = `<div class="tw-root tw-part" part="root"><p class="muted small tw-part-note" data-testid="part-note" hidden></p>${this.constructor.template}</div>`;
    /** This card's render context. */
    this.ctx = { root: shadow, host: this, state: createState(), engine: NO_CLIENT, lang: null };
    // the name buttons of the tables (lib/tables.js nameCell) drill down like a click on a chart
    shadow.addEventListener('click', (ev) => {
      const b = ev.target.closest?.('button.drill');
      if (b) this.within(() => emitFilter([{ column: b.dataset.filterColumn, value: b.dataset.filterValue }]));
    });
    this.addEventListener('tierwise-filter', (ev) => this.select(ev.detail));
  }

  /** A drill-down inside the card: tell the page (tierwise-select). */
  select(detail) {
    announce(this, 'tierwise-select', selectDetail(detail));
  }

  /** The client whose results the card draws (null: none). */
  get client() {
    return this.#client;
  }

  set client(tw) {
    if (this.#client === (tw ?? null)) return;
    this.#client?.removeEventListener?.('result', this.#onResult);
    this.#client = tw ?? null;
    this.ctx.engine = tw ? engineOf(tw) : NO_CLIENT;
    tw?.addEventListener?.('result', this.#onResult);
    if (tw?.result) this.analysis = tw.result;
  }

  /** The analysis drawn: a result of the client's analyze() (null: none yet). */
  get analysis() {
    return this.#analysis;
  }

  set analysis(result) {
    this.#analysis = result ?? null;
    const state = this.ctx.state;
    // a copy: what the card asks the worker for (chart data) stays its own
    state.result = result ? { ...result, charts: null, palive: null } : null;
    state.page = { offset: 0, columns: result?.columns ?? null, total: null };
    this.render();
  }

  connectedCallback() {
    if (this.hasAttribute('src') && !this.#analysis) this.#load();
    else this.render();
  }

  disconnectedCallback() {
    if (this.#own) {
      if (this.#client === this.#own) this.client = null;
      this.#own.dispose();
      this.#own = null;
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
    ready.then(() =>
      this.within(() => {
        applyStatic();
        this.note(this.ctx.state.result ? '' : t('partEmpty'));
        try {
          this.draw(this.ctx.state.result);
        } catch (e) {
          this.note(e?.message || String(e));
        }
      }),
    );
  }

  /** Show `text` above the card ('' hides it). */
  note(text) {
    const p = this.shadowRoot.querySelector('.tw-part-note');
    p.textContent = text;
    p.hidden = !text;
  }

  /** Draw `result` (null: nothing analysed yet); each card overrides it. */
  draw() {}

  async #load() {
    const src = this.getAttribute('src');
    if (!src) return;
    this.within(() => this.note(t('partLoading')));
    try {
      let options;
      try {
        options = this.hasAttribute('options') ? JSON.parse(this.getAttribute('options')) : undefined;
      } catch (e) {
        throw new Error(`the options attribute is not JSON: ${e.message}`);
      }
      if (!this.#own) {
        const { createTierwise } = await import('../client.js');
        this.#own = await createTierwise();
        this.client = this.#own;
      }
      const res = await fetch(new URL(src, document.baseURI));
      if (!res.ok) throw new Error(`could not load ${src}: HTTP ${res.status}`);
      const result = await this.#own.analyze(await res.blob(), options);
      announce(this, 'tierwise-result', { summary: result.summary, customerCount: result.customerCount });
    } catch (e) {
      this.within(() => this.note(e?.message || String(e)));
      announce(this, 'tierwise-error', { message: e?.message || String(e), code: e?.code ?? null });
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
