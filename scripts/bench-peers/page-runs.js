// Functions that run inside the benchmark's pages (handed to Playwright's page.evaluate, so each is
// self-contained: no closures over this module). scripts/bench-peers/peers.mjs drives them.

/**
 * The hand-written JS loop on the chosen file: the bytes are read into memory first (readMs, not
 * timed as the job), then rfmLoop runs on them (ms). One fresh page per call.
 */
export async function jsLoopRun() {
  const { rfmLoop } = await import('./rfm-loop.js');
  const file = document.getElementById('bench-input').files[0];
  const r0 = performance.now();
  const bytes = new Uint8Array(await file.arrayBuffer());
  const readMs = performance.now() - r0;
  const t0 = performance.now();
  const res = rfmLoop(bytes);
  const ms = performance.now() - t0;
  return { ms, readMs, customers: res.ids.length, cores: navigator.hardwareConcurrency };
}

/**
 * DuckDB-wasm (the single-threaded EH bundle, served from this origin) on the chosen file: the bytes
 * are read into memory and DuckDB instantiated first (readMs, initMs, not timed as the job), then the
 * buffer is registered and the RFM query run to its Arrow result (ms).
 */
export async function duckdbRun({ sql }) {
  const duckdb = await import('./duckdb-browser.mjs');
  const file = document.getElementById('bench-input').files[0];
  const r0 = performance.now();
  const bytes = new Uint8Array(await file.arrayBuffer());
  const readMs = performance.now() - r0;
  const i0 = performance.now();
  const worker = new Worker(new URL('./duckdb-browser-eh.worker.js', location.href));
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(new URL('./duckdb-eh.wasm', location.href).href);
  const conn = await db.connect();
  // nothing may be fetched from outside this origin: no extension loading
  await conn.query('SET autoinstall_known_extensions = false');
  await conn.query('SET autoload_known_extensions = false');
  const initMs = performance.now() - i0;
  const t0 = performance.now();
  await db.registerFileBuffer('input.csv', bytes);
  const table = await conn.query(sql.replaceAll('INPUT', 'input.csv'));
  const ms = performance.now() - t0;
  const customers = table.numRows;
  await conn.close();
  await db.terminate();
  return { ms, readMs, initMs, customers, cores: navigator.hardwareConcurrency };
}

/**
 * Hooks the workbench (<tierwise-app>) so the page itself times a run: from the file input's change
 * event (caught in the capture phase, before the page's own handler) to the first result drawn (the
 * status turning `fitting`: RFM, segments and grades on screen while the models are fitted; or done
 * when there is nothing to fit), to the status turning done, to the next animation frame after it
 * (the summary drawn), and to the frame by which every chart is drawn (charts). Results land in
 * window.__benchRun.
 */
export function hookPagePath() {
  const root = document.querySelector('tierwise-app').shadowRoot;
  const run = (window.__benchRun = {});
  root.addEventListener(
    'change',
    (e) => {
      if (e.target.id === 'file-input' && run.start === undefined) run.start = performance.now();
    },
    true,
  );
  const status = root.querySelector('#status');
  new MutationObserver(() => {
    const s = status.dataset.state;
    if (run.start !== undefined && run.first === undefined && (s === 'fitting' || s === 'done')) {
      run.first = performance.now();
    }
    if (run.start !== undefined && run.done === undefined && (s === 'done' || s === 'error')) {
      run.done = performance.now();
      run.state = s;
      run.message = s === 'error' ? (root.querySelector('#error')?.textContent || status.textContent) : '';
      requestAnimationFrame(() => {
        run.drawn = performance.now();
      });
      // every chart drawn (those off screen are drawn after the first paint: www/charts.js drawChart)
      const settled = () => {
        if (root.querySelectorAll('[data-drawing]').length) requestAnimationFrame(settled);
        else run.charts = performance.now();
      };
      requestAnimationFrame(settled);
    }
  }).observe(status, { attributes: true, attributeFilter: ['data-state'] });
  run.cores = navigator.hardwareConcurrency;
}
