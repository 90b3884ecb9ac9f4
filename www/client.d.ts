// Types of the npm package's client (www/client.js, and the Node entry through node.d.ts): createTierwise,
// the Tierwise object and TierwiseError. Shapes of the core (options, summary, …) come from the wasm
// package's published types, those of the worker's answers from ./worker.d.ts.

import type {
  AnalyzeOptions,
  Comparison,
  Inspection,
  MessageParam,
  SqlCuts,
  SqlDialect,
  Summary,
} from './pkg/tierwise.js';
import type {
  AggregateMessage,
  ColumnName,
  CustomerColumnMap,
  CustomerColumns,
  Filter,
  Float64ColumnName,
  GroupColumnName,
  HistogramMessage,
  ProgressMessage,
  QueryMessage,
  ResultMessage,
  Sort,
} from './worker.js';

export type {
  AnalyzeOptions,
  Comparison,
  Inspection,
  SqlCuts,
  SqlDialect,
  Summary,
  ColumnName,
  CustomerColumnMap,
  CustomerColumns,
  Filter,
  Float64ColumnName,
  GroupColumnName,
  Sort,
};

/**
 * A finished analysis: the worker's `result` message without `type` and `id`. The complete one (what
 * `analyze` resolves with, the 'result' event, `tw.result`) has the models (`modelsPending: false`;
 * `elapsedMs` up to the models' fit, `timings.model` the fit alone).
 */
export type AnalysisResult = Omit<ResultMessage, 'type' | 'id'>;
/**
 * The early result of `analyze` (`onEarly`, the 'early' event): scores, segments, grades, flags and
 * KPIs are final; `modelsPending` is true, `summary.model` is `{ pending: true }`, the model columns are
 * NaN and `risk` is '' until the complete result (docs/models.md#later).
 */
export type EarlyResult = Omit<ResultMessage, 'type' | 'id'>;
/** One progress report of an analyze or compare: the worker's `progress` message without `type` and `id`. */
export type Progress = Omit<ProgressMessage, 'type' | 'id'>;
/** One page of the customer list: the worker's answer to `query` without `type` and `id`. */
export type RowsPage = Omit<QueryMessage, 'type' | 'id'>;
/** Counts of a numeric column: the worker's `histogram` answer without `type` and `id`. */
export type Histogram = Omit<HistogramMessage, 'type' | 'id'>;
/** Customers grouped by one or two columns: the worker's `aggregate` answer without `type` and `id`. */
export type Aggregate = Omit<AggregateMessage, 'type' | 'id'>;

/** What `analyze` and `inspect` read: a File or Blob (streamed in the worker), or the whole file's bytes (copied). */
export type TierwiseInput = Blob | ArrayBuffer | ArrayBufferView;

/** How the client's worker is made. */
export interface CreateOptions {
  /** Where the worker script is (this package's worker.js, with its files beside it); default next to client.js. */
  workerUrl?: string | URL;
  /** A worker the page made itself; once lost it is not replaced. */
  worker?: Worker;
}

/** The codes of the client's own failures; any other code is the core's (see pkg/catalog.js). */
export type TierwiseErrorCode = 'cancelled' | 'engine' | 'disposed' | 'no_analysis' | 'invalid_argument';

/** Every failure of the client. */
export declare class TierwiseError extends Error {
  private constructor();
  /** The core's message code (e.g. 'invalid_option', 'no_customer_column'), or one of TierwiseErrorCode. */
  readonly code: TierwiseErrorCode | (string & {});
  /** The coded message's parameters ({} for the client's own codes). */
  readonly params: Record<string, MessageParam>;
  /** True when the request was cancelled (AbortSignal). */
  readonly cancelled: boolean;
  /** True when the worker had to be stopped (a crash, a failed load, dispose()). */
  readonly fatal: boolean;
}

/** Per-call settings of `analyze`. */
export interface AnalyzeCall {
  /** Called with each progress report (the 'progress' event carries the same). */
  onProgress?(progress: Progress): void;
  /** Aborting it cancels the analysis: the promise rejects with code 'cancelled', the previous result stays. */
  signal?: AbortSignal;
  /** Leading customers (by customer id) in the result's `columns`; default 100. */
  preview?: number;
  /**
   * Called with the result without the models as soon as it is ready (the 'early' event carries the
   * same); the promise still resolves with the complete result. Not called with `deferModels: false`
   * or `model.enabled: false` (nothing to fit).
   */
  onEarly?(early: EarlyResult): void;
  /** false: the worker fits the models before answering at all (no early result); default true. */
  deferModels?: boolean;
}

/** Per-call settings of `compare`. */
export interface CompareCall {
  onProgress?(progress: Progress): void;
  signal?: AbortSignal;
}

/** A page of the customer list (all optional: the first 100 customers by customer id). */
export interface RowsQuery {
  offset?: number;
  /** At most 100,000; default 100. */
  limit?: number;
  /** AND across columns, OR within one. */
  filter?: Filter[];
  sort?: Sort | null;
  /** Case-insensitive substring of the customer id. */
  search?: string;
  /** Columns to return; default all of them. */
  columns?: ColumnName[];
}

/** Settings of `export`: the CSV's language and format, and which customers (csv only). */
export interface ExportOptions {
  /** Language of the label columns (csv) or of the sheets (xlsx); default the analysis' own (csv), English (xlsx). */
  labels?: 'en' | 'zh';
  delimiter?: ',' | ';' | '\t';
  /** ',' writes numbers with a decimal comma (for Excel in such a locale; not with the ',' delimiter). */
  decimal?: '.' | ',';
  filter?: Filter[];
  search?: string;
  sort?: Sort | null;
}

/** The events of a Tierwise client. */
export interface TierwiseEventMap {
  progress: CustomEvent<Progress>;
  result: CustomEvent<AnalysisResult>;
  /** an analysis' result before its models (fired before its 'result'; see `AnalyzeCall.onEarly`) */
  early: CustomEvent<EarlyResult>;
  /** the last result is gone: a failed analysis freed it, or the worker was lost (`error` says which) */
  cleared: CustomEvent<{ error: TierwiseError }>;
}

/** A client of one analysis worker; events 'progress', 'early', 'result' and 'cleared'. */
export interface Tierwise extends EventTarget {
  /** The core's version. */
  readonly version: string;
  /** The last analysis' result, or null. */
  readonly result: AnalysisResult | null;

  /** Analyses a file or bytes with `options` (docs/outputs.md#options); replaces the previous analysis. */
  analyze(input: TierwiseInput, options?: AnalyzeOptions, opts?: AnalyzeCall): Promise<AnalysisResult>;
  /** What the core makes of a file's head: encoding, delimiter, header row, the columns' roles. */
  inspect(input: TierwiseInput, options?: AnalyzeOptions, opts?: { signal?: AbortSignal }): Promise<Inspection>;
  /** The quarterly review of the last analysis' input, as of `from` (default the previous quarter's end). */
  compare(opts?: { from?: string; options?: AnalyzeOptions }, call?: CompareCall): Promise<Comparison>;
  /** A page of the last analysis' customers. */
  rows(q?: RowsQuery): Promise<RowsPage>;
  /** Counts of a numeric column (e.g. 'pAlive') in `bins` equal bins (default 20). */
  histogram(column: Float64ColumnName, opts?: { bins?: number; min?: number; max?: number }): Promise<Histogram>;
  /** Customers grouped by one or two columns; `sum: 'monetary'` adds their net spend. */
  aggregate(by: [GroupColumnName] | [GroupColumnName, GroupColumnName], opts?: { sum?: 'monetary' }): Promise<Aggregate>;
  /**
   * The last analysis as a file: customers CSV (UTF-8 with BOM), Excel workbook, summary JSON, or
   * `'holdout'`: the holdout check per customer (CSV; rejects without a computed `model.holdout` check).
   */
  export(kind: 'csv' | 'xlsx' | 'json' | 'holdout', opts?: ExportOptions): Promise<Blob>;
  /**
   * The last analysis' grading as one SQL script (docs/sql.md): `dialect` 'duckdb', 'postgres',
   * 'bigquery' or 'spark'; `cuts` 'fitted' (default: this analysis' cut points) or 'sql' (fitted by
   * the script on the warehouse table's customers). Rejects on another dialect (code 'invalid_option').
   */
  exportSql(dialect: SqlDialect, opts?: { cuts?: SqlCuts }): Promise<string>;
  /** Stops the worker; later calls reject with code 'disposed'. */
  dispose(): void;

  addEventListener<K extends keyof TierwiseEventMap>(
    type: K,
    listener: (this: Tierwise, ev: TierwiseEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof TierwiseEventMap>(
    type: K,
    listener: (this: Tierwise, ev: TierwiseEventMap[K]) => void,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

/** Starts the analysis worker; resolves once its core is loaded (rejects with code 'engine' when it cannot load). */
export declare function createTierwise(opts?: CreateOptions): Promise<Tierwise>;
