// The chart library: ECharts, pinned and served from the project (www/vendor/, copied from npm by
// scripts/build.sh). A page that loaded vendor/echarts.min.js as a classic script (the demo page, the
// single file) has it as the global `echarts`, used when its major version is the one the charts are
// written for; anywhere else (the npm package's components, a bundle, a page with another ECharts)
// loadEcharts() imports the ES module build next to it, once. Until it has loaded, chartsAvailable() (charts.js) is false and
// the cards show their data tables.

let loaded = null;
let pending = null;

/** The page's global ECharts when it is the major version the charts are written for (6). */
function pageEcharts() {
  const ec = globalThis.echarts;
  return ec && String(ec.version ?? '').split('.')[0] === '6' ? ec : null;
}

/** The ECharts namespace (init, getInstanceByDom, …), or null while it is not loaded. */
export function echartsLib() {
  return loaded ?? pageEcharts();
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
