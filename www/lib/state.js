// The page's state: one object the modules read and change, and the size of a page of customers.

export const PAGE_SIZE = 100;
export const TABLE_COLUMNS = [
  'customerId', 'lastDate', 'recencyDays', 'frequency', 'monetary', 'rScore', 'fScore', 'mScore',
  'segmentRfm11', 'segmentCn8', 'gradeAbc', 'gradeLadder', 'lifecycle', 'pAlive', 'expectedPurchases', 'predictedClv',
  'churnFlags',
];

export const state = {
  runToken: 0,
  busy: false, // a short request (export, paging) is in flight
  run: null, // the analysis in flight: { id, token, source, cancelling }
  progress: null, // last progress message of the run: { pass, bytesRead, totalBytes, rows, elapsedMs, passStartMs }
  version: null,
  workerHasFile: false,
  source: null, // { name, size, options?, reference? }: options a built-in sample insists on
  status: { state: 'idle', key: 'statusIdle', vars: null },
  error: null, // { key?, vars?, message? }
  result: null, // { summary, customerCount, elapsedMs, passes, reference, palive }
  page: { offset: 0, columns: null, total: null }, // total: customers matching the list's filters
  // the customer list's view (views/explore.js): filters [{ column, value } | { column, min, max, … }], search, sort
  list: { filters: [], search: '', sort: null, pageSize: PAGE_SIZE },
  preset: 'rfm11',
};
