// The chart library: ECharts, pinned and served from the project (www/vendor/, copied from npm by
// scripts/build.sh). A page that loaded vendor/echarts.min.js as a classic script (the demo page) has it
// as the global `echarts`; anywhere else (the npm package's components, a bundle) loadEcharts() imports
// the ES module build next to it, once. Until it has loaded, chartsAvailable() (charts.js) is false and
// the cards show their data tables.

let loaded = null;
let pending = null;

/** The ECharts namespace (init, getInstanceByDom, …), or null while it is not loaded. */
export function echartsLib() {
  return loaded ?? globalThis.echarts ?? null;
}

/** Load ECharts if the page has not; resolves to it, or to null when it cannot be loaded. */
export function loadEcharts() {
  if (echartsLib()) return Promise.resolve(echartsLib());
  pending ??= import('../vendor/echarts.esm.min.mjs').then(
    (m) => (loaded = m),
    () => null,
  );
  return pending;
}
