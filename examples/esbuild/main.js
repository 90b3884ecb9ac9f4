// The dashboard example (../dashboard/) as a bundle: the same code, the package resolved by esbuild
// from node_modules. `node build.mjs` writes out/main.js (this, the components and ECharts) and
// out/worker.js and out/range-worker.js (the package's workers, `tierwise/worker` and
// `tierwise/range-worker`), and copies the wasm files beside them.
import { createTierwise } from 'tierwise';
import 'tierwise/components';

const tw = await createTierwise();
const $ = (sel) => document.querySelector(sel);
const segments = $('tierwise-segments');
const customers = $('tierwise-customers');
segments.client = tw;
customers.client = tw;
segments.addEventListener('tierwise-select', (ev) => {
  $('#picked').textContent = ev.detail.segment ?? String(ev.detail.value);
  customers.filter = ev.detail.filters;
});

async function analyze(input) {
  $('#status').textContent = 'analysing…';
  try {
    const result = await tw.analyze(input, { analysisDate: '2024-12-31' });
    $('#status').textContent = `${result.customerCount} customers`;
    // a file of 8 MiB or more is read on every core: result.ranges says how (null: one reader)
    $('#status').dataset.readers = String(result.ranges?.merged ? result.ranges.readers : 1);
  } catch (e) {
    $('#status').textContent = e.message; // a TierwiseError: e.code says which
  }
}

$('#file').addEventListener('change', (ev) => ev.target.files[0] && analyze(ev.target.files[0]));
$('#sample').addEventListener('click', async () => {
  const res = await fetch(new URL('./sample.csv', import.meta.url));
  analyze(await res.blob());
});
$('#sample').disabled = false; // the client is ready
