// The dashboard example (../dashboard/) as a bundle: the same code, the package resolved by esbuild
// from node_modules. `node build.mjs` writes out/main.js (this, the components and ECharts) and
// out/worker.js (the package's worker, `tierwise/worker`), and copies the wasm files beside them.
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

$('#sample').addEventListener('click', async () => {
  const res = await fetch(new URL('./sample.csv', import.meta.url));
  const result = await tw.analyze(await res.blob(), { analysisDate: '2024-12-31' });
  $('#status').textContent = `${result.customerCount} customers`;
});
$('#sample').disabled = false; // the client is ready
