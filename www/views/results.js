// The results section as a whole: shows every card of an analysis, or hides them all.

import { disposeChart } from '../charts.js';
import { el } from '../lib/elements.js';
import { updateControls } from '../lib/controls.js';
import { state } from '../lib/state.js';
import { renderQuality } from './quality.js';
import { renderKpis } from './kpis.js';
import { renderCharts, renderSegmentTable } from './segments.js';
import { renderGrades } from './grades.js';
import { renderLifecycle } from './lifecycle.js';
import { renderRetention } from './retention.js';
import { renderModel } from './model.js';
import { renderCustomerTable } from './customers.js';
import { renderReport } from './report.js';
import { disposeWorkbench, renderWorkbench } from './charts.js';
import { renderReview } from './review.js';
import { renderDimensions } from './dimensions.js';

export function hideResults() {
  el.results.hidden = true;
  disposeChart(el.segmentChart);
  disposeChart(el.paretoChart);
  disposeChart(el.paliveChart);
  disposeWorkbench();
  renderReview();
  updateControls();
}

export function renderResults() {
  const s = state.result.summary || {};
  el.results.hidden = false;
  renderQuality(s);
  renderKpis(s);
  renderCharts(s);
  renderSegmentTable(s);
  renderGrades(s);
  renderDimensions(s);
  renderLifecycle(s);
  renderRetention(s);
  renderModel(s);
  renderWorkbench();
  renderCustomerTable();
  renderReport();
  renderReview();
  updateControls();
}
