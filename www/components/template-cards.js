// The markup of the cards the workbench (<tierwise-app>, ./template-app.js) and the single-card
// components (./parts.js) share: one copy of each, so a card looks and behaves the same in both. The
// views (www/views/) fill them; data-i18n attributes are translated by i18n.js applyStatic().

/** The segment chart, the Pareto curve beside it and the segment table (views/segments.js). */
export const SEGMENTS = `
<div class="chart-grid">
  <section part="card" class="card" aria-labelledby="seg-title">
    <div class="card-head">
      <h2 id="seg-title" data-i18n="sectionSegments">Customer segments</h2>
      <div class="seg-toggle" role="group">
        <button type="button" id="seg-rfm11" data-testid="seg-rfm11" data-preset="rfm11" aria-pressed="true" data-i18n="segRfm11">RFM · 11 segments</button>
        <button type="button" id="seg-cn8" data-testid="seg-cn8" data-preset="cn8" aria-pressed="false" data-i18n="segCn8">RFM · 8 classes</button>
      </div>
    </div>
    <div id="segment-chart" class="chart chart-tall" data-testid="segment-chart"></div>
  </section>
  <section part="card" class="card" aria-labelledby="pareto-title">
    <div class="card-head"><h2 id="pareto-title" data-i18n="sectionPareto">Pareto curve</h2></div>
    <div id="pareto-chart" class="chart chart-tall" data-testid="pareto-chart"></div>
  </section>
</div>

<section part="card" class="card" aria-labelledby="seg-title">
  <div class="table-scroll">
    <table class="data-table" id="segment-table" data-testid="segment-table"></table>
  </div>
  <div id="dim-segment-breakdown" class="dim-breakdown" data-testid="dim-segment-breakdown" hidden></div>
</section>`;

/** The value grades: ABC and ladder tables (views/grades.js). */
export const GRADES = `
  <section part="card" class="card" aria-labelledby="grades-title">
    <h2 id="grades-title" data-i18n="sectionGrades">Value grades</h2>
    <h3 data-i18n="gradesAbc">ABC (share of revenue)</h3>
    <table class="data-table compact" id="grade-abc-table" data-testid="grade-abc-table"></table>
    <h3 data-i18n="gradesLadder">Ladder (share of customers)</h3>
    <table class="data-table compact" id="grade-ladder-table" data-testid="grade-ladder-table"></table>
  </section>`;

/** The chart cards (views/charts.js). */
export const CHART_CARDS = `
<section part="card" class="card" id="charts-section" data-testid="charts-section" aria-labelledby="charts-title">
  <h2 id="charts-title" data-i18n="chartsTitle">Charts</h2>
  <p class="muted small" data-i18n="chartsLead">Click a cell, bar or slice to list its customers.</p>
  <div class="chart-cards" id="chart-cards" data-testid="chart-cards"></div>
</section>`;

/** The customer table with its sortable headers (views/customers.js, views/explore.js). */
export const CUSTOMER_TABLE = `
  <div class="table-scroll table-tall">
    <table class="data-table customers" id="customer-table" data-testid="customer-table">
      <thead>
        <tr>
          <th scope="col" data-sort="customerId" aria-sort="none"><button type="button" class="sort-btn"><span data-i18n="thCustomer">Customer</span></button></th>
          <th scope="col" data-sort="lastDate" aria-sort="none"><button type="button" class="sort-btn"><span data-i18n="thLastDate">Last purchase</span></button></th>
          <th scope="col" class="num" data-sort="recencyDays" aria-sort="none"><button type="button" class="sort-btn"><span data-i18n="thRecency">Recency (days)</span></button></th>
          <th scope="col" class="num" data-sort="frequency" aria-sort="none"><button type="button" class="sort-btn"><span data-i18n="thFrequency">Frequency</span></button></th>
          <th scope="col" class="num" data-sort="monetary" aria-sort="none"><button type="button" class="sort-btn"><span data-i18n="thMonetary">Spend</span></button></th>
          <th scope="col" class="num" data-sort="rScore" aria-sort="none"><button type="button" class="sort-btn"><span data-i18n="thR">R</span></button></th>
          <th scope="col" class="num" data-sort="fScore" aria-sort="none"><button type="button" class="sort-btn"><span data-i18n="thF">F</span></button></th>
          <th scope="col" class="num" data-sort="mScore" aria-sort="none"><button type="button" class="sort-btn"><span data-i18n="thM">M</span></button></th>
          <th scope="col" data-sort="segment" aria-sort="none"><button type="button" class="sort-btn"><span data-i18n="thSegment">Segment</span></button></th>
          <th scope="col" data-sort="gradeAbc" aria-sort="none"><button type="button" class="sort-btn"><span data-i18n="thAbc">ABC</span></button></th>
          <th scope="col" data-sort="gradeLadder" aria-sort="none"><button type="button" class="sort-btn"><span data-i18n="thLadder">Grade</span></button></th>
          <th scope="col" data-sort="lifecycle" aria-sort="none"><button type="button" class="sort-btn"><span data-i18n="thLifecycle">Lifecycle</span></button></th>
          <th scope="col" class="num col-model" data-i18n-title="thPAliveHint" data-sort="pAlive" aria-sort="none"><button type="button" class="sort-btn"><span data-i18n="thPAlive">P(alive)</span></button></th>
          <th scope="col" class="num col-model" id="th-expected" data-sort="expectedPurchases" aria-sort="none"><button type="button" class="sort-btn"><span data-i18n="thExpected">Expected purchases</span></button></th>
          <th scope="col" class="num col-model" data-i18n-title="thClvHint" data-sort="predictedClv" aria-sort="none"><button type="button" class="sort-btn"><span data-i18n="thClv">Predicted CLV</span></button></th>
          <th scope="col" data-sort="churnFlags" aria-sort="none"><button type="button" class="sort-btn"><span data-i18n="thChurn">Churn warnings</span></button></th>
        </tr>
      </thead>
      <tbody></tbody>
    </table>
  </div>`;

/** The pager under the customer table. */
export const PAGER = `
  <div class="pager">
    <button type="button" class="btn btn-small" id="page-first" data-testid="page-first" data-i18n="explorePageFirst" disabled>« First</button>
    <button type="button" class="btn btn-small" id="page-prev" data-testid="page-prev" data-i18n="pagePrev" disabled>‹ Previous</button>
    <button type="button" class="btn btn-small" id="page-next" data-testid="page-next" data-i18n="pageNext" disabled>Next ›</button>
    <button type="button" class="btn btn-small" id="page-last" data-testid="page-last" data-i18n="explorePageLast" disabled>Last »</button>
  </div>`;
