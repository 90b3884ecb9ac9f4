// Two cards and a customer list sharing one client: a click on a segment (or a grade) in one card
// filters the customer list, through the `tierwise-select` event.
import { createTierwise } from 'tierwise';
import 'tierwise/components';

const tw = await createTierwise();
const $ = (sel) => document.querySelector(sel);
const segments = $('tierwise-segments');
const grades = $('tierwise-grades');
const customers = $('tierwise-customers');
for (const card of [segments, grades, customers]) card.client = tw; // each draws every result of tw

for (const card of [segments, grades]) {
  card.addEventListener('tierwise-select', (ev) => {
    $('#picked').textContent = ev.detail.segment ?? ev.detail.grade ?? String(ev.detail.value);
    customers.filter = ev.detail.filters;
  });
}
$('#clear').addEventListener('click', () => {
  $('#picked').textContent = 'none';
  customers.filter = [];
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
  const res = await fetch(new URL('./node_modules/tierwise/sample.csv', location.href));
  analyze(await res.blob());
});
$('#sample').disabled = false; // the client is ready
