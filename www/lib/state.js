// The state the views read and change: one object per component (the workbench's, and one per single
// card, www/components/), reached through `state`, which stands for the state of the current render
// context (lib/context.js). Also the size of a page of customers.

import { appCtx, current } from './context.js';

export const PAGE_SIZE = 100;
export const TABLE_COLUMNS = [
  'customerId', 'lastDate', 'recencyDays', 'frequency', 'monetary', 'rScore', 'fScore', 'mScore',
  'segmentRfm11', 'segmentCn8', 'gradeAbc', 'gradeLadder', 'lifecycle', 'pAlive', 'expectedPurchases', 'predictedClv',
  'churnFlags',
];

/** A fresh state: no run, no result, the list unfiltered, the RFM 11 preset. */
export function createState() {
  return {
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
    heatMetric: 'customers', // the R×F heatmap's measure: 'customers' or 'revenue' (views/charts.js)
  };
}

const appState = createState();
if (!appCtx().state) appCtx().state = appState;

const target = () => current().state ?? appState;

/** The current component's state (a stand-in object: reads and writes go to that component's own). */
export const state = new Proxy(appState, {
  get: (_, key) => target()[key],
  set: (_, key, value) => {
    target()[key] = value;
    return true;
  },
  has: (_, key) => key in target(),
  ownKeys: () => Reflect.ownKeys(target()),
  getOwnPropertyDescriptor: (_, key) => Reflect.getOwnPropertyDescriptor(target(), key),
});
