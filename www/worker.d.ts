// Types of the analysis worker's protocol (www/worker.js; www/worker/protocol.md is the reference,
// this file its typed form): the requests a page posts (`WorkerRequest`) and the messages the
// worker posts back (`WorkerMessage`), both discriminated by `type`. The core's own shapes (options,
// summary, inspection, comparison) are imported from the wasm package's published types.
//
// The package exports it as `tierwise/worker` (type-only: the module itself is a worker entry).

import type { AnalyzeOptions, Comparison, Inspection, Message, MessageParam, Summary } from './pkg/tierwise.js';

export type { AnalyzeOptions, Comparison, Inspection, Message, MessageParam, Summary };

/** The per-customer columns of the core's column table (docs/outputs.md#customerscsv), by JS name. */
export interface CustomerColumnMap {
  customerId: string[];
  firstDate: string[];
  lastDate: string[];
  recencyDays: Int32Array;
  frequency: Float64Array;
  monetary: Float64Array;
  aov: Float64Array;
  rScore: Uint8Array;
  fScore: Uint8Array;
  mScore: Uint8Array;
  rfmCode: string[];
  segmentCn8: string[];
  segmentRfm11: string[];
  segmentCustom: string[];
  gradeAbc: string[];
  gradeLadder: string[];
  gradeAbsolute: string[];
  activity: string[];
  lifecycle: string[];
  churnFlags: string[];
  risk: string[];
  pAlive: Float64Array;
  expectedPurchases: Float64Array;
  predictedClv: Float64Array;
  action: string[];
  /** The churn flags' reasons in the label language, `; `-separated (not a CSV column). */
  churnReasons: string[];
}

/** A mapped dimension's per-customer values (`options.columns.dimensions`): `dim:<column name>`. */
export type DimensionKey = `dim:${string}`;

/** The columns of numbers with a fraction (Float64Array): what a histogram counts. */
export type Float64ColumnName = {
  [K in keyof CustomerColumnMap]: CustomerColumnMap[K] extends Float64Array ? K : never;
}[keyof CustomerColumnMap];

/** The columns customers can be grouped by: the text and score columns, and mapped dimensions. */
export type GroupColumnName =
  | {
      [K in keyof CustomerColumnMap]: CustomerColumnMap[K] extends string[] | Uint8Array ? K : never;
    }[keyof CustomerColumnMap]
  | DimensionKey;

/** A column name a request may give: one of the core's columns, or a mapped dimension. */
export type ColumnName = keyof CustomerColumnMap | DimensionKey;

/** Columns of some customers: those requested (all by default), plus every mapped dimension. */
export type CustomerColumns = Partial<CustomerColumnMap> & { [key: DimensionKey]: string[] };

/** A filter of the customer list (www/worker/query.js): a value, or a range [min, max) / [min, max]. */
export type Filter =
  | { column: ColumnName; value: string | number }
  | { column: ColumnName; min?: number | string; max?: number | string; maxInclusive?: boolean };

/** The order of the customer list: numbers numerically, text by code point, missing values last. */
export interface Sort {
  column: ColumnName;
  dir: 'asc' | 'desc';
}

// ───────────────────────── page → worker ─────────────────────────

/** Analyse a file (`file`, streamed), bytes (`bytes`, transfer them), or neither (re-run the last input). */
export interface AnalyzeRequest {
  type: 'analyze';
  id: unknown;
  file?: Blob;
  bytes?: ArrayBuffer | ArrayBufferView;
  options?: AnalyzeOptions;
  /** Leading customers (by customer id) returned in the result's columns; default 100. */
  preview?: number;
  /** The columns of the preview; default all of them. */
  columns?: ColumnName[];
  /** Size of each push into the core; default 2 MiB (clamped to 64 KiB … 64 MiB). */
  chunkBytes?: number;
  /**
   * Default true: answer with a `result` as soon as the scores, segments and grades are ready
   * (`modelsPending: true`), then fit the models and post a `ModelsMessage`. false: one complete
   * `result` after the fit.
   */
  deferModels?: boolean;
  /**
   * Readers of a large file (a File of 8 MiB or more, not a workbook): this worker reads its first
   * byte range while helper workers read the others, and the parts are merged exactly
   * (docs/speed.md#ranges). Default: one per core (`navigator.hardwareConcurrency`), at most 8; 1
   * reads the file alone.
   */
  readers?: number;
}
/** Cancel the analyze or compare request `id` (every one without `id`); it gets no answer itself. */
export interface CancelRequest {
  type: 'cancel';
  id?: unknown;
}
/** Another slice (by customer id order) of the last analysis. */
export interface RowsRequest {
  type: 'rows';
  id: unknown;
  offset?: number;
  limit?: number;
  columns?: ColumnName[];
}
/** Counts of a numeric (Float64Array) column in `bins` equal bins (1 … 1000, default 20). */
export interface HistogramRequest {
  type: 'histogram';
  id: unknown;
  column: Float64ColumnName;
  bins?: number;
  min?: number;
  max?: number;
}
/** Customers grouped by one or two columns; `sum: 'monetary'` also sums their net spend. */
export interface AggregateRequest {
  type: 'aggregate';
  id: unknown;
  by: [GroupColumnName] | [GroupColumnName, GroupColumnName];
  sum?: 'monetary';
}
/** A page of the customer list: filters AND across columns, OR within one; search in the customer id. */
export interface QueryRequest {
  type: 'query';
  id: unknown;
  filters?: Filter[];
  search?: string;
  sort?: Sort | null;
  offset?: number;
  /** At most 100,000; default 100. */
  limit?: number;
  columns?: ColumnName[];
}
/** The customers CSV (UTF-8 with BOM) of everyone, or of those `query` would select. */
export interface ExportCsvRequest {
  type: 'exportCsv';
  id: unknown;
  filters?: Filter[];
  search?: string;
  sort?: Sort | null;
  labels?: 'en' | 'zh';
  delimiter?: ',' | ';' | '\t';
  decimal?: '.' | ',';
}
/**
 * The model's holdout check per customer (docs/models.md#holdout-per-customer), answered with a
 * `csv` message; an error when the last analysis has no computed check.
 */
export interface ExportHoldoutCsvRequest {
  type: 'exportHoldoutCsv';
  id: unknown;
  delimiter?: ',' | ';' | '\t';
  decimal?: '.' | ',';
}
/** The last analysis' grading as one SQL script (docs/sql.md), answered with a `sql` message. */
export interface ExportSqlRequest {
  type: 'exportSql';
  id: unknown;
  dialect: 'duckdb' | 'postgres' | 'bigquery' | 'spark';
  /** 'fitted' (default) or 'sql'. */
  cuts?: 'fitted' | 'sql';
}
/** The core's lenient inspection of a file's head (or of a workbook's sheet). */
export interface InspectRequest {
  type: 'inspect';
  id: unknown;
  file?: Blob;
  bytes?: ArrayBuffer | ArrayBufferView;
  options?: AnalyzeOptions;
}
/** The quarterly review of the last analysis' input: as of `from` (default the previous quarter's end). */
export interface CompareRequest {
  type: 'compare';
  id: unknown;
  from?: string;
  options?: AnalyzeOptions;
  chunkBytes?: number;
}
/** The Excel workbook of the last analysis (and its last review), in English or Chinese. */
export interface ExportXlsxRequest {
  type: 'exportXlsx';
  id: unknown;
  labels?: 'en' | 'zh';
}
/** Release the last analysis and the kept input. */
export interface FreeRequest {
  type: 'free';
  id: unknown;
}

/** Every message a page may post to the worker. */
export type WorkerRequest =
  | AnalyzeRequest
  | CancelRequest
  | RowsRequest
  | HistogramRequest
  | AggregateRequest
  | QueryRequest
  | ExportCsvRequest
  | ExportHoldoutCsvRequest
  | ExportSqlRequest
  | InspectRequest
  | CompareRequest
  | ExportXlsxRequest
  | FreeRequest;

// ───────────────────────── worker → page ─────────────────────────

/** Posted once, unprompted, when the core is loaded. */
export interface ReadyMessage {
  type: 'ready';
  /** The crate version. */
  version: string;
}

/** Progress of an analyze (or compare, or a workbook's conversion) request. */
export interface ProgressMessage {
  type: 'progress';
  id: unknown;
  /** 1, or 2 while re-reading the input for the second pass. */
  pass: 1 | 2;
  bytesRead: number;
  totalBytes: number;
  /** Records read so far in this pass (estimated from line ends when `rowsEstimated`). */
  rows: number;
  rowsEstimated?: boolean;
  elapsedMs: number;
  /** 'workbook' for the one report before a workbook's sheet is converted. */
  stage?: 'workbook';
  /** A compare's step (1 … steps) and the analysis date being read. */
  step?: number;
  steps?: number;
  date?: string;
}

/** The answer to `analyze`. */
export interface ResultMessage {
  type: 'result';
  id: unknown;
  /** The summary object (docs/outputs.md#summary-json). */
  summary: Summary;
  customerCount: number;
  offset: 0;
  /** Rows 0 … preview − 1 of the requested columns, plus every mapped dimension. */
  columns: CustomerColumns;
  /** 1, or 2 when the input had to be read twice. */
  passes: 1 | 2;
  /** The core's phase timings of the final step, in milliseconds (null when not available). */
  timings: Record<string, number> | null;
  /** The wasm memory's size after the analysis (it never shrinks), or null. */
  wasmMemoryBytes: number | null;
  /** Bytes read in the last pass: the input's size (a workbook's sheet as CSV). */
  bytesRead: number;
  /** From the request's arrival to the summary being ready. */
  elapsedMs: number;
  /** For a workbook: the conversion's time (0 when the kept sheet was reused); null otherwise. */
  workbookMs: number | null;
  /** For a workbook: the workbook module's wasm memory; null otherwise. */
  workbookMemoryBytes: number | null;
  /** How the file was read in byte ranges (docs/speed.md#ranges); null when it was read alone. */
  ranges: RangesReport | null;
  /**
   * True when the models are still being fitted (`deferModels`, the default): `summary.model` is
   * `{ pending: true }`, `summary.churn.risk` is `{}`, the model columns are NaN and `risk` is ''
   * (withheld) until the `ModelsMessage` with the same id.
   */
  modelsPending: boolean;
}

/**
 * The models of the analysis just answered with `modelsPending: true`, fitted: posted before the
 * worker handles any other request.
 */
export interface ModelsMessage {
  type: 'models';
  id: unknown;
  /** The complete summary (equal to a `deferModels: false` result's). */
  summary: Summary;
  /** Rows 0 … preview − 1 of the requested model columns (risk, pAlive, expectedPurchases, predictedClv). */
  columns: Partial<Pick<CustomerColumnMap, 'risk' | 'pAlive' | 'expectedPurchases' | 'predictedClv'>>;
  /** From the request's arrival to the models being fitted. */
  elapsedMs: number;
  /** The fit alone. */
  modelMs: number;
  /** The core's phase timings, the model phase included (null when not available). */
  timings: Record<string, number> | null;
}

/** The answer to `rows`: a slice by customer id order. */
export interface SliceMessage {
  type: 'rows';
  id: unknown;
  offset: number;
  customerCount: number;
  columns: CustomerColumns;
}

/** The answer to `query`: one page of the `total` customers that match. */
export interface QueryMessage {
  type: 'rows';
  id: unknown;
  /** The page's first position in the matching list (moved back onto the last page when past it). */
  offset: number;
  /** Customers matching the filters and the search. */
  total: number;
  customerCount: number;
  /** The page's customers as indexes into the analysis (customer id order). */
  indexes: Uint32Array;
  columns: CustomerColumns;
}

/** The answer to `histogram`. */
export interface HistogramMessage {
  type: 'histogram';
  id: unknown;
  column: string;
  /** The range binned (null when the column has no number). */
  min: number | null;
  max: number | null;
  counts: number[];
  /** NaN values (not computed). */
  missing: number;
  /** Values outside [min, max]. */
  outside: number;
}

/** One group of an aggregate: its key (one value per `by` column), customers, summed spend. */
export interface AggregateGroup {
  key: [string | number] | [string | number, string | number];
  customers: number;
  /** Summed net spend with `sum: 'monetary'` (null without it, or without an amount column). */
  sum: number | null;
}
/** The answer to `aggregate`: groups sorted by key. */
export interface AggregateMessage {
  type: 'aggregate';
  id: unknown;
  by: GroupColumnName[];
  groups: AggregateGroup[];
}

/** The answer to `exportSql`. */
export interface SqlMessage {
  type: 'sql';
  id: unknown;
  /** The script (docs/sql.md#contract). */
  script: string;
}

/** The answer to `exportCsv` and `exportHoldoutCsv`. */
export interface CsvMessage {
  type: 'csv';
  id: unknown;
  /** The CSV file, UTF-8 with BOM. */
  bytes: ArrayBuffer;
  /** Customers written. */
  count: number;
}
/** The answer to `exportXlsx`. */
export interface XlsxMessage {
  type: 'xlsx';
  id: unknown;
  bytes: ArrayBuffer;
}
/** The answer to `inspect`. */
export interface InspectionMessage {
  type: 'inspection';
  id: unknown;
  inspection: Inspection;
}
/** The answer to `compare`. */
export interface ComparisonMessage {
  type: 'comparison';
  id: unknown;
  comparison: Comparison;
  elapsedMs: number;
}
/** The answer to `free`. */
export interface FreedMessage {
  type: 'freed';
  id: unknown;
}
/**
 * A request failed (`id` null: the core could not be loaded). `code` and `params` are the core's coded
 * message when there is one; `fatal` means the worker must be replaced.
 */
export interface ErrorMessage {
  type: 'error';
  id: unknown;
  message: string;
  fatal: boolean;
  cancelled?: boolean;
  code?: string;
  params?: Record<string, MessageParam>;
}

/** Every message the worker posts. */
export type WorkerMessage =
  | ReadyMessage
  | ProgressMessage
  | ResultMessage
  | ModelsMessage
  | SliceMessage
  | QueryMessage
  | HistogramMessage
  | AggregateMessage
  | CsvMessage
  | SqlMessage
  | XlsxMessage
  | InspectionMessage
  | ComparisonMessage
  | FreedMessage
  | ErrorMessage;

/** How a large file was read in byte ranges (`ResultMessage.ranges`). */
export interface RangesReport {
  /** Ranges, this worker's included (one reader each). */
  readers: number;
  /** The parts merged into exactly the result of one reader; false: the worker read on alone. */
  merged: boolean;
  /** Why the merge was refused (a quoted line break across a cut, text not plain UTF-8, …). */
  refused?: string;
  /** Each helper's wasm memory after its range (null for one that failed): add it to `wasmMemoryBytes` for the total. */
  helperMemoryBytes: Array<number | null>;
}
