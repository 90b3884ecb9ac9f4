// The markup of the whole workbench, the shadow root of <tierwise-app> (./app.js): what the demo page
// showed as its body. The cards shared with the single-card components come from ./template-cards.js.

import { CHART_CARDS, CUSTOMER_TABLE, GRADES, PAGER, SEGMENTS } from './template-cards.js';

/** The workbench's markup; .tw-root stands for the page's body (style.css). */
export const APP_TEMPLATE = `<div class="tw-root" part="root">
  <header class="site-header" part="header">
    <div class="wrap header-inner">
      <div class="brand">
        <svg class="logo" viewBox="0 0 32 32" aria-hidden="true"><rect width="32" height="32" rx="7" fill="#4361c2"/><rect x="7" y="18" width="4" height="8" rx="1" fill="#fff"/><rect x="14" y="12" width="4" height="14" rx="1" fill="#fff"/><rect x="21" y="6" width="4" height="20" rx="1" fill="#f2b36b"/></svg>
        <div>
          <h1>tierwise</h1>
          <p class="tagline" data-i18n="tagline">Customer value grading · 客户分级 — your data never leaves this page</p>
        </div>
      </div>
      <div class="lang-toggle" role="group" aria-label="Language" data-i18n-aria-label="langGroup">
        <button type="button" id="lang-en" data-testid="lang-en" data-lang="en" aria-pressed="true">EN</button>
        <button type="button" id="lang-zh" data-testid="lang-zh" data-lang="zh" aria-pressed="false" lang="zh-CN">中文</button>
      </div>
    </div>
  </header>

  <main class="wrap">
    <section part="card" class="card input-card" aria-labelledby="drop-title">
      <div id="drop-zone" class="drop-zone" data-testid="drop-zone">
        <svg class="drop-icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 16V4m0 0-4.5 4.5M12 4l4.5 4.5M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/></svg>
        <p class="drop-title" id="drop-title" data-i18n="dropTitle">Drop a CSV or Excel file here or choose one</p>
        <p class="drop-hint" data-i18n="dropHint">CSV, TSV or whitespace-aligned text in any common encoding (UTF-8, GBK, …), or an Excel/OpenDocument workbook (.xlsx, .xls, .ods). One row per order.</p>
        <div class="drop-actions">
          <label class="btn btn-primary file-label">
            <input type="file" id="file-input" data-testid="file-input" accept=".csv,.tsv,.txt,.xlsx,.xlsm,.xlsb,.xls,.ods" class="visually-hidden">
            <span data-i18n="chooseFile">Choose a file</span>
          </label>
          <button type="button" class="btn" id="load-sample" data-testid="load-sample" data-i18n="loadSample">Load sample data</button>
          <button type="button" class="btn" id="load-cdnow" data-testid="load-cdnow" data-i18n="loadCdnow" data-i18n-title="loadCdnowHint">CDNOW sample</button>
        </div>
      </div>

      <details class="options" id="options-panel" data-testid="options-panel">
        <summary data-i18n="optionsTitle">Options</summary>
        <form id="options-form" class="options-form" autocomplete="off">
          <p class="muted small" data-i18n="optsHint">Empty fields use the default shown in grey.</p>
          <div id="options-fields" class="options-fields" data-testid="options-fields"></div>
          <fieldset class="options-dims">
            <legend data-i18n="dimsLegend">Dimensions</legend>
            <label><span data-i18n="dimsColumns">Columns to filter and break down by</span>
              <input type="text" id="opt-dimensions" name="dimensions" data-testid="opt-dimensions" spellcheck="false" data-i18n-placeholder="dimsPlaceholder" data-i18n-title="dimsHint">
            </label>
          </fieldset>
          <div class="options-actions">
            <button type="submit" class="btn btn-primary" id="rerun" data-testid="rerun" data-i18n="rerun" disabled>Re-run analysis</button>
            <label class="btn file-label">
              <input type="file" id="options-load" data-testid="options-load" accept=".json,application/json" class="visually-hidden">
              <span data-i18n="optsLoad">Load options…</span>
            </label>
            <button type="button" class="btn" id="options-save" data-testid="options-save" data-i18n="optsSave">Save options</button>
            <button type="button" class="btn" id="options-reset" data-testid="options-reset" data-i18n="optsReset">Defaults</button>
            <span id="options-note" class="muted small" data-testid="options-note" role="status"></span>
          </div>
        </form>
      </details>

      <p id="status" class="status" data-testid="status" data-state="idle" role="status" aria-live="polite">Ready. Nothing is uploaded: the analysis runs inside this tab.</p>
      <div id="progress" class="progress" data-testid="progress" hidden>
        <div class="progress-main">
          <div class="progress-text">
            <span id="progress-label" class="progress-label" data-testid="progress-label"></span>
            <span id="progress-detail" class="progress-detail" data-testid="progress-detail"></span>
          </div>
          <div id="progress-bar" class="progress-track" data-testid="progress-bar" role="progressbar"
               aria-valuemin="0" aria-valuemax="100" aria-valuenow="0" aria-labelledby="progress-label"
               data-value="0"><div id="progress-fill" class="progress-fill"></div></div>
        </div>
        <button type="button" class="btn btn-small" id="cancel" data-testid="cancel" data-i18n="cancel" disabled>Cancel</button>
      </div>
      <div id="error" class="error-box" data-testid="error" role="alert" hidden></div>
      <section id="mapping-step" class="mapping-step" data-testid="mapping-step" aria-live="polite" hidden></section>
      <div id="mapping-bar" class="mapping-bar" data-testid="mapping-bar" hidden></div>
    </section>

    <section id="dim-filter-bar" class="card dim-filter-bar" data-testid="dim-filter-bar" aria-label="Filter" data-i18n-aria-label="dimsFilterTitle" hidden></section>

    <div id="results" class="results" data-testid="results" hidden>
      <section part="card" class="card report-head" id="report-head" data-testid="report-head" aria-labelledby="report-title">
        <div class="card-head">
          <div>
            <h2 id="report-title" data-i18n="reportTitle">Customer value report</h2>
            <p class="muted" id="report-meta" data-testid="report-meta"></p>
          </div>
          <div class="report-actions no-print">
            <button type="button" class="btn" id="report-view" data-testid="report-view" aria-pressed="false" data-i18n="reportView">Report view</button>
            <button type="button" class="btn btn-primary" id="report-print" data-testid="report-print" data-i18n="reportPrint">Print / PDF</button>
          </div>
        </div>
      </section>
      <section part="card" class="card" id="dq-section" data-testid="data-quality" aria-labelledby="dq-title">
        <h2 id="dq-title" data-i18n="sectionQuality">Data quality</h2>
        <div class="dq-grid">
          <dl class="facts">
            <div><dt data-i18n="dqRows">Rows read</dt><dd id="dq-rows" data-testid="dq-rows"></dd></div>
            <div><dt data-i18n="dqUsed">Rows used</dt><dd id="dq-used" data-testid="dq-used"></dd></div>
            <div><dt data-i18n="dqRejected">Rows rejected</dt><dd id="dq-rejected" data-testid="dq-rejected"></dd></div>
            <div><dt data-i18n="dqExcluded">Rows excluded</dt><dd id="dq-excluded" data-testid="dq-excluded"></dd></div>
          </dl>
          <dl class="facts">
            <div id="dq-workbook-row" hidden><dt data-i18n="dqWorkbook">Workbook sheet</dt><dd id="dq-workbook" data-testid="dq-workbook"></dd></div>
            <div><dt data-i18n="dqEncoding">Encoding</dt><dd id="dq-encoding" data-testid="dq-encoding"></dd></div>
            <div><dt data-i18n="dqDelimiter">Delimiter</dt><dd id="dq-delimiter" data-testid="dq-delimiter"></dd></div>
            <div><dt data-i18n="dqHeader">Header row</dt><dd id="dq-header" data-testid="dq-header"></dd></div>
            <div><dt data-i18n="dqDateFormat">Date format</dt><dd id="dq-date-format" data-testid="dq-date-format"></dd></div>
            <div><dt data-i18n="dqAnalysisDate">Analysis date</dt><dd id="dq-analysis-date" data-testid="dq-analysis-date"></dd></div>
          </dl>
          <dl class="facts">
            <div class="facts-wide"><dt data-i18n="dqColumns">Columns</dt><dd id="dq-columns" data-testid="dq-columns"></dd></div>
            <div class="facts-wide"><dt data-i18n="dqModel">Purchase model</dt><dd id="dq-model" data-testid="dq-model"></dd></div>
          </dl>
        </div>
        <div id="dq-ambiguous" class="notice" data-testid="dq-ambiguous" hidden></div>
        <div id="dq-rejected-detail" data-testid="dq-rejected-detail"></div>
        <div id="dq-warnings" class="notice" data-testid="dq-warnings" hidden></div>
      </section>

      <section class="kpi-grid" id="kpis" data-testid="kpis" aria-label="Key figures" data-i18n-aria-label="sectionKpis">
        <div part="card kpi" class="card kpi">
          <div class="kpi-label" data-i18n="kpiCustomers">Customers</div>
          <div class="kpi-value" id="kpi-customers" data-testid="kpi-customers"></div>
          <div class="kpi-sub" id="kpi-orders" data-testid="kpi-orders"></div>
        </div>
        <div part="card kpi" class="card kpi">
          <div class="kpi-label" data-i18n="kpiRevenue">Revenue</div>
          <div class="kpi-value" id="kpi-revenue" data-testid="kpi-revenue"></div>
          <div class="kpi-sub" id="kpi-revenue-sub"></div>
        </div>
        <div part="card kpi" class="card kpi">
          <div class="kpi-label" data-i18n="kpiAov">Average order value</div>
          <div class="kpi-value" id="kpi-aov" data-testid="kpi-aov"></div>
          <div class="kpi-sub" id="kpi-aov-sub"></div>
        </div>
        <div part="card kpi" class="card kpi">
          <div class="kpi-label" data-i18n="kpiRepeat">Repeat-purchase rate</div>
          <div class="kpi-value" id="kpi-repeat" data-testid="kpi-repeat"></div>
          <div class="kpi-sub" data-i18n="kpiRepeatSub">bought on 2 or more days</div>
        </div>
        <div part="card kpi" class="card kpi kpi-accent">
          <div class="kpi-label" data-i18n="kpiPareto80">Revenue concentration</div>
          <div class="kpi-value" id="kpi-pareto80" data-testid="kpi-pareto80"></div>
          <div class="kpi-sub"><span id="kpi-pareto80-sub" data-i18n="kpiPareto80Sub">of customers make 80% of revenue</span><br><span id="kpi-top20" data-testid="kpi-top20"></span></div>
        </div>
      </section>

      ${SEGMENTS}

      <div class="mini-grid">
        ${GRADES}
        <section part="card" class="card" aria-labelledby="life-title">
          <h2 id="life-title" data-i18n="sectionLifecycle">Lifecycle and churn</h2>
          <table class="data-table compact" id="lifecycle-table" data-testid="lifecycle-table"></table>
          <div class="churn-grid">
            <div>
              <h3 data-i18n="churnFlagsTitle">Churn warnings</h3>
              <table class="data-table compact" id="churn-flags-table" data-testid="churn-flags-table"></table>
            </div>
            <div>
              <h3 data-i18n="churnRiskTitle">Churn risk</h3>
              <table class="data-table compact" id="churn-risk-table" data-testid="churn-risk-table"></table>
            </div>
          </div>
        </section>
      </div>

      ${CHART_CARDS}
      <section part="card" class="card review" id="review-section" data-testid="review-panel" aria-labelledby="review-title"></section>
      <section part="card" class="card dim-breakdown" id="dim-grade-section" data-testid="dim-grade-breakdown" hidden>
        <div class="dim-head" id="dim-grade-head"></div>
        <div class="dim-grade-grid" id="dim-grade-breakdown"></div>
      </section>

      <section part="card" class="card" id="retention-section" data-testid="retention-panel" aria-labelledby="ret-title">
        <div class="card-head">
          <div>
            <h2 id="ret-title" data-i18n="sectionRetention">Retention and cohorts</h2>
            <p class="muted" id="ret-period" data-testid="ret-period"></p>
          </div>
        </div>
        <div class="ret-grid">
          <dl class="facts">
            <div><dt data-i18n="retRetention">Retention rate</dt><dd id="ret-retention" data-testid="ret-retention"></dd></div>
            <div><dt data-i18n="retChurn">Churn rate</dt><dd id="ret-churn" data-testid="ret-churn"></dd></div>
          </dl>
          <dl class="facts">
            <div><dt data-i18n="retStart">Active at the start (S)</dt><dd id="ret-start" data-testid="ret-start"></dd></div>
            <div><dt data-i18n="retEnd">Active at the end (E)</dt><dd id="ret-end" data-testid="ret-end"></dd></div>
            <div><dt data-i18n="retNew">New in the period (N)</dt><dd id="ret-new" data-testid="ret-new"></dd></div>
          </dl>
        </div>
        <p class="muted small" id="ret-formula" data-testid="ret-formula"></p>
        <p class="notice" id="ret-undefined" data-testid="ret-undefined" data-i18n="retUndefined" hidden>Nobody was active at the start of the period: retention and churn are not defined.</p>

        <h3 data-i18n="cohortTitle">Monthly cohorts</h3>
        <p class="muted small" data-i18n="cohortLead">Customers by month of first purchase; each cell is the share of the cohort with an order that many months later.</p>
        <p class="muted small" id="cohort-cap" data-testid="cohort-cap" hidden></p>
        <div class="table-scroll cohort-scroll">
          <table class="data-table compact cohort-table" id="cohort-table" data-testid="cohort-table"></table>
        </div>
      </section>

      <section part="card" class="card" id="model-section" data-testid="model-panel" data-state="none" aria-labelledby="model-title">
        <div class="card-head">
          <div>
            <h2 id="model-title" data-i18n="sectionModel">Purchase model</h2>
            <p class="muted" id="model-lead" data-testid="model-lead"></p>
          </div>
        </div>
        <div class="model-grid">
          <div>
            <p id="model-reason" class="notice" data-testid="model-reason" hidden></p>
            <div class="table-scroll">
              <table class="data-table compact model-table" id="model-table" data-testid="model-table"></table>
            </div>
            <p class="muted small" id="model-auto" data-testid="model-auto" hidden></p>
            <p class="muted small" id="model-risk" data-testid="model-risk"></p>
            <p class="muted small" id="model-source" data-testid="model-source" hidden></p>
          </div>
          <div id="palive-box" data-testid="palive-box">
            <h3 data-i18n="paliveTitle">P(alive) distribution</h3>
            <div id="palive-chart" class="chart" data-testid="palive-chart"></div>
            <p class="muted small" id="palive-note" data-i18n="paliveNote">Customers who bought on one day only have P(alive) = 1 in the BG/NBD model: nothing has shown yet that they dropped out.</p>
          </div>
        </div>
        <div id="holdout-box" data-testid="holdout-box" hidden>
          <h3 data-i18n="holdoutTitle">Holdout check</h3>
          <p id="holdout-verdict" data-testid="holdout-verdict"></p>
          <div class="model-grid">
            <div>
              <h3 data-i18n="holdoutTrackingTitle">Cumulative repeat purchases after the cut</h3>
              <div id="holdout-tracking" class="chart" data-testid="holdout-tracking"></div>
            </div>
            <div>
              <h3 data-i18n="holdoutByXTitle">Mean purchases after the cut, by purchases before it</h3>
              <div id="holdout-byx" class="chart" data-testid="holdout-byx"></div>
            </div>
          </div>
          <div class="table-scroll"><table class="data-table compact" id="holdout-table" data-testid="holdout-table"></table></div>
          <p><button type="button" id="holdout-export" class="btn btn-small" data-testid="holdout-export" data-i18n="holdoutExport" hidden>Download the check per customer (CSV)</button></p>
        </div>
      </section>

      <section part="card" class="card report-only" id="report-options" data-testid="report-options" aria-labelledby="report-options-title">
        <h2 id="report-options-title" data-i18n="reportOptionsTitle">Options used</h2>
        <p class="muted small" data-i18n="reportOptionsLead">Every option of this analysis, defaults filled in.</p>
        <table class="data-table compact report-options-table" id="report-options-table" data-testid="report-options-table"></table>
      </section>

      <section part="card" class="card" id="customers-section" aria-labelledby="cust-title">
        <div class="card-head">
          <div>
            <h2 id="cust-title" data-i18n="sectionCustomers">Customers</h2>
            <p class="muted" id="customer-range" data-testid="customer-range"></p>
          </div>
          <div class="export">
            <div class="export-buttons">
              <button type="button" class="btn btn-primary" id="export-csv" data-testid="export-csv" disabled>
                <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 4v11m0 0-4-4m4 4 4-4M5 19h14" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>
                <span data-i18n="exportCsv">Export CSV</span>
              </button>
              <button type="button" class="btn" id="export-xlsx" data-testid="export-xlsx" data-i18n="xlsxExport" disabled>Export Excel (.xlsx)</button>
              <button type="button" class="btn" id="export-json" data-testid="export-json" data-i18n="exportJson" data-i18n-title="exportJsonHint" disabled>Summary (JSON)</button>
            </div>
            <span class="muted small" data-i18n="exportHint">all customers, all columns, UTF-8 with BOM (opens in Excel)</span>
            <button type="button" class="btn" id="export-filtered" data-testid="export-filtered" data-i18n-title="exploreExportTheseHint" disabled>
              <span data-i18n="exploreExportThese">Export these customers</span>
            </button>
            <label class="explore-delimiter"><span data-i18n="exploreDelimiter">CSV for</span>
              <select id="export-delimiter" data-testid="export-delimiter">
                <option value="," data-i18n="exploreDelimiterComma">Excel (English), other tools: comma</option>
                <option value=";" data-i18n="exploreDelimiterSemicolon">Excel (German, French, …): semicolon, decimal comma</option>
              </select>
            </label>
            <div class="export-sql" data-testid="export-sql-box">
              <label><span data-i18n="sqlDialect">SQL for</span>
                <select id="export-sql-dialect" data-testid="export-sql-dialect">
                  <option value="duckdb">DuckDB</option>
                  <option value="postgres">PostgreSQL</option>
                  <option value="bigquery">BigQuery</option>
                  <option value="spark">Spark SQL</option>
                </select>
              </label>
              <label><span data-i18n="sqlCuts">cut points</span>
                <select id="export-sql-cuts" data-testid="export-sql-cuts">
                  <option value="fitted" data-i18n="sqlCutsFitted">as fitted here</option>
                  <option value="sql" data-i18n="sqlCutsSql">refitted on the warehouse data</option>
                </select>
              </label>
              <button type="button" class="btn" id="export-sql" data-testid="export-sql" data-i18n="sqlExport" data-i18n-title="sqlExportHint" disabled>Export as SQL</button>
            </div>
          </div>
        </div>
        <div class="explore-bar" data-testid="explore-bar">
          <div class="explore-filters" id="explore-filters" data-testid="explore-filters"></div>
          <div class="explore-inputs">
            <label class="explore-search"><span data-i18n="exploreSearch">Search customer id</span>
              <input type="search" id="explore-search" data-testid="explore-search" spellcheck="false" autocomplete="off" data-i18n-placeholder="exploreSearchPlaceholder">
            </label>
            <label><span data-i18n="explorePageSize">Per page</span>
              <select id="explore-page-size" data-testid="explore-page-size">
                <option value="25">25</option>
                <option value="50">50</option>
                <option value="100" selected>100</option>
                <option value="500">500</option>
              </select>
            </label>
          </div>
        </div>
        ${CUSTOMER_TABLE}
        ${PAGER}
      </section>
    </div>
  </main>

  <footer class="site-footer" part="footer">
    <div class="wrap">
      <p data-i18n="footerPrivacy">Everything runs in this browser tab (WebAssembly in a Web Worker). No file is uploaded, nothing is stored.</p>
      <p class="muted" id="version" data-testid="version"></p>
    </div>
  </footer>
</div>`;
