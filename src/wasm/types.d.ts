/** A parameter of a coded message: text, an integer, a nested message, or a list of messages. */
export type MessageParam = string | number | Message | Message[];
/** A coded message (see docs/outputs.md#messages): render it in English or Chinese with the templates
 *  of `CATALOG.messages` in pkg/catalog.js (written by the build from `tierwise catalog`): `{name}` in
 *  a template is replaced by `params[name]`; a nested message is rendered in the same language, a list
 *  joined with "; " (English) or "；" (Chinese). */
export interface Message { code: string; params: Record<string, MessageParam> }
/** An `Error` thrown by the core: `message` is the English text, `code` and `params` the coded message. */
export interface TierwiseError extends Error { code: string; params: Record<string, MessageParam> }
/** One per-customer output column (the column table; see docs/outputs.md#customerscsv). */
export interface ColumnInfo {
  /** CSV header name. */ csv: string;
  /** Getter and slice key on `Analysis`. */ js: string;
  /** `text` → string[], `int32` → Int32Array, `float64` → Float64Array, `uint8` → Uint8Array. */
  type: "text" | "int32" | "float64" | "uint8";
  description: string;
}

/** A dialect of `exportSql` (docs/sql.md#dialects). */
export type SqlDialect = "duckdb" | "postgres" | "bigquery" | "spark";
/** Where `exportSql`'s cut points come from: the analysis' own (`fitted`, the default) or fitted by the script on the table's customers (`sql`); docs/sql.md#cut-points. */
export type SqlCuts = "fitted" | "sql";

/** Settings of `Analysis.toCsvWith` (docs/outputs.md#exports-in-another-language-or-for-european-excel). */
export interface CsvExportOptions {
  /** Language of the label columns and actions; default the analysis' own `labels`. */
  labels?: "en" | "zh";
  /** Field delimiter; default ",". */
  delimiter?: "," | ";" | "\t";
  /** "." (default) or "," (numbers with a decimal comma, for Excel in a German or French locale; not with ","). */
  decimal?: "." | ",";
  /** Customer indexes (0 … customerCount − 1) to write, in this order; default every customer. */
  rows?: Uint32Array;
}

/** A column reference: header name or 0-based index. */
export type ColumnRef = string | number;

/** The options object (docs/outputs.md). Every key is optional; unknown keys are errors. */
export interface AnalyzeOptions {
  columns?: {
    customer?: ColumnRef | null; date?: ColumnRef | null; amount?: ColumnRef | null;
    quantity?: ColumnRef | null; unitPrice?: ColumnRef | null; order?: ColumnRef | null;
    category?: ColumnRef | null; signals?: ColumnRef[];
    /** Dimension columns (at most 8): each customer gets the value on most of their order rows. */
    dimensions?: ColumnRef[];
  };
  /** Cancellation prefix of order ids (default "C"); null disables. */
  cancelPrefix?: string | null;
  /** "auto" (default) or a WHATWG encoding label such as "gbk", "big5", "shift_jis", "windows-1252". */
  encoding?: string;
  dateOrder?: "auto" | "mdy" | "dmy" | "ymd";
  /** Decimal separator of the amount, quantity and unit price columns; default "auto" (per column). */
  decimal?: "auto" | "." | ",";
  /** Where the header is: "auto" (default; title rows above it are skipped), "none", or the 1-based
   *  row number (1–100) as a spreadsheet shows it; the rows above it are skipped as title rows. */
  headerRow?: "auto" | "none" | number;
  /** Workbook sheet (.xlsx/.xls/.ods) by name or 0-based index; default the first. Ignored for text. */
  sheet?: string | number | null;
  /** YYYY-MM-DD; default the latest day in the data. */
  analysisDate?: string | null;
  returns?: "net" | "ignore" | "keep";
  frequency?: "orders" | "days" | "rows";
  labels?: "en" | "zh";
  rfm?: { bins?: number; mode?: "quantile" | "rfm-r" | "rank" | "thresholds";
          thresholds?: { r?: number[]; f?: number[]; m?: number[] } };
  segments?: { presets?: ("cn8" | "rfm11")[];
               rules?: { name: string; r?: [number, number]; f?: [number, number]; m?: [number, number] }[];
               cn8Split?: "mean" | "median" };
  grades?: { abc?: [number, number]; ladder?: [string, number][]; absolute?: [string, number][] | null;
             windowDays?: number };
  activity?: { windowDays?: number; high?: number; low?: number };
  churn?: { inactiveDays?: number; overdueFactor?: number; highValueLapsedDays?: number;
            windowDays?: number; declineRatio?: number };
  lifecycle?: { newDays?: number; lapsedDays?: number; matureDays?: number };
  kpis?: { activeDays?: number };
  model?: { enabled?: boolean; kind?: ModelKind; timeUnit?: "day" | "week"; horizon?: number; discountRate?: number;
            /** The holdout check: the last N time units (1–1000), or the calibration period's last date (docs/models.md#holdout). */
            holdout?: number | string | null };
  /** Recommended-action overrides keyed by English segment, grade or stage name. */
  actions?: Record<string, string | { en?: string; zh?: string }>;
  /** Row filter (at most 8 columns, 1,000 values each): column (header name, or a 0-based index as
   *  digits) → values kept; only rows whose trimmed value is one of them in every named column are
   *  analysed, the others counted in `summary.input.excluded.filteredOut`. */
  filter?: Record<string, string[]>;
}

export interface RejectExample { row: number; column: string | null; value: string; reason: string; message: string;
                                 /** The message, coded (`at_row`). */ messageCode: Message }
/** A transition matrix: counts[from][to] over labels (the last one, "—", = absent on that date). */
export interface Transitions { labels: string[]; counts: number[][] }
/** Movement between two analysis dates (docs/compare.md). */
export interface Comparison {
  from: string; to: string;
  abc: Transitions | null; ladder: Transitions | null; rfm11: Transitions | null; cn8: Transitions | null;
  movedUp: { customerId: string; from: string; to: string }[];
  movedDown: { customerId: string; from: string; to: string }[];
  downgradeWarnings: string[];
  /** Net spend grew ≥ 20 % in each of the last two quarters (`spendGrowth`), or a category was first
   *  bought in the last quarter by a customer of before (`newCategories`); quarters oldest first,
   *  null without an amount column. */
  upgradeCandidates: { customerId: string; quarters: [number, number, number] | null;
                       spendGrowth: boolean; newCategories: string[] }[];
}
/** A score combination in a rule lint (`m` absent when checked without an amount). */
export interface Combination { r: number; f: number; m?: number; rules?: string[] }
/** Custom segment rules checked against every score combination (docs/segments.md). */
export interface RuleLint { combinations: number; uncovered: Combination[]; overlaps: Combination[] }
export interface GroupSummary {
  name: string; nameZh: string; customers: number; share: number; revenue: number; revenueShare: number;
  orders: number; avgRecency: number; avgFrequency: number; avgMonetary: number; action: string; actionZh: string;
}
export interface CutPoints { mode: string; cuts: number[]; counts: number[]; ties: string }

/** A title row skipped above the header. */
export interface TitleRow { row: number; text: string }
/** What a column may be: the analysis roles, plus `signal` and `dimension` (suggestions unless
 *  `columns.signals` / `columns.dimensions` name the column). */
export type GuessRole = "customer" | "date" | "amount" | "quantity" | "unitPrice" | "order" | "category"
  | "signal" | "dimension";
/** One column as `inspect` reports it (docs/input.md#column-roles). */
export interface ColumnGuess {
  index: number; name: string | null; samples: string[];
  role: GuessRole | null; confidence: "high" | "medium" | "low" | null; reason: Message | null;
  /** True when `analyze` maps the column to `role` (signals and dimensions only when the options name them). */
  mapped: boolean; filled: number; distinct: number;
}
/** The result of `inspect(bytes, options)`. */
export interface Inspection {
  kind: "csv" | "xlsx" | "xls" | "ods"; sheets: string[]; sheet: string | null;
  encoding: string; delimiter: string; header: boolean; headerRow: number | null; titleRows: TitleRow[];
  rowsSampled: number; columns: ColumnGuess[];
  mapping: { customer: ColumnRef | null; date: ColumnRef | null; amount: ColumnRef | null;
             quantity: ColumnRef | null; unitPrice: ColumnRef | null; order: ColumnRef | null;
             category: ColumnRef | null; signals: ColumnRef[]; dimensions: ColumnRef[] };
  dateFormat: string | null; datesAmbiguous: boolean;
  warnings: string[]; warningCodes: Message[];
  /** The first records as read (at most 20; title rows and the header included), cells trimmed and
   *  cut to 100 characters (a longer cell ends with `…`). */
  preview: PreviewRow[];
  /** `inspect(bytes, options, true)` only: the error `analyze` would give for a missing customer or
   *  date column (that role is then absent from `mapping`); null otherwise. */
  missing: Message | null;
}
/** One record of `Inspection.preview`: its row number as a spreadsheet shows it, and its cells. */
export interface PreviewRow { row: number; kind: "title" | "header" | "data"; cells: string[] }

/** One month of `kpis.monthly` (docs/kpis.md#months). */
export interface MonthlyKpi {
  /** `YYYY-MM`. */
  month: string;
  /** Net revenue of the rows dated in the month, as in the monetary total; null without an amount. */
  revenue: number | null;
  /** Frequency units whose earliest row falls in the month. */
  orders: number;
  /** Customers with an order in the month. */
  activeCustomers: number;
  /** Customers whose first order is in the month. */
  newCustomers: number;
}

/** The summary object returned by `Analysis.summary()` (docs/outputs.md). */
export interface Summary {
  version: string;
  options: AnalyzeOptions;
  input: {
    rows: number; used: number; encoding: string; delimiter: string; header: boolean;
    /** The header's row (present when there is a header); title rows above it are listed. */
    headerRow?: number; titleRows?: TitleRow[];
    columns: { customer: ColumnRef | null; date: ColumnRef | null; amount: ColumnRef | null;
               quantity: ColumnRef | null; unitPrice: ColumnRef | null; order: ColumnRef | null;
               category: ColumnRef | null; signals: ColumnRef[]; dimensions: ColumnRef[] };
    dateFormat: { column: ColumnRef; format: string; ambiguous: boolean; samples: string[];
                  order: "mdy" | "dmy" | "ymd" | null } | null;
    rejected: Partial<Record<"malformed_row" | "repeated_header" | "missing_customer" | "bad_date" | "bad_amount",
                             { count: number; examples: RejectExample[] }>>;
    excluded: { afterAnalysisDate: number; ignoredReturns: number; returnsWithoutPurchase: number;
                /** Rows left out by `options.filter`. */ filteredOut: number };
    /** Which sheet was read, only when the input was a workbook (the CLI and the page's worker set
     *  it; `analyze` itself reads text tables only). */
    workbook?: { format: "xlsx" | "xlsb" | "xls" | "ods"; sheet: string; sheets: string[] };
  };
  customers: number;
  analysisDate: string;
  cutPoints: { r: CutPoints; f: CutPoints; m: CutPoints | null };
  segments: { cn8: GroupSummary[] | null; cn8Split: { recency: number; frequency: number; monetary: number } | null;
              rfm11: GroupSummary[] | null; custom: GroupSummary[] | null; customLint: RuleLint | null };
  grades: { abc: GroupSummary[] | null; ladder: GroupSummary[] | null; absolute: GroupSummary[] | null };
  pareto: { points: [number, number][]; customerShareFor80: number; top20RevenueShare: number; customers: number } | null;
  kpis: { customers: number; orders: number; revenue: number | null; aov: number | null; repeatRate: number;
          retention: { from: string; to: string; activeAtStart: number; activeAtEnd: number; new: number;
                       retention: number | null; churn: number | null };
          /** Cohorts of the last 120 months; older first purchases are counted in cohortsOmitted. */
          cohorts: { month: string; customers: number; active: number[] }[]; cohortsOmitted: number;
          /** One entry per calendar month, earliest counted month to the analysis month (the last 120
           *  months at most; monthlyOmitted counts the months left out before them). */
          monthly: MonthlyKpi[]; monthlyOmitted: number };
  lifecycle: GroupSummary[];
  /** `risk` (and `decidedBy`) is `{}` and `methodCode.code` is `"risk_pending"` while the models are pending
   *  (`Analyzer.finishDeferred`, docs/models.md#later). */
  churn: { flags: Record<string, number>; risk: { high: number; medium: number; low: number } | { high?: undefined; medium?: undefined; low?: undefined };
           /** Which band set each customer's level: the higher of the rule band and the model band (docs/churn.md#risk-level). */
           decidedBy: { rules?: number; model?: number; both?: number };
           method: string; methodCode: Message };
  model: ModelSummary;
  /** Per `columns.dimensions` column: its values and the segment and grade breakdown (docs/outputs.md#summarydimensions). */
  dimensions: DimensionSummary[];
  /** Warnings in English. */
  warnings: string[];
  /** The same warnings, coded, in the same order. */
  warningCodes: Message[];
}
/** The purchase model family (docs/models.md#families); `auto` fits all three and keeps the lowest BIC. */
export type ModelKind = "bgnbd" | "mbgnbd" | "paretonbd" | "auto";
/** Pareto/NBD parameters (α and β in time units). */
export interface ParetoNbdFit { r: number; alpha: number; s: number; beta: number; logLikelihood: number;
                                converged: boolean; iterations: number }
/** `summary.model.auto`: every family's fit, the chosen one and why. */
export interface AutoChoice {
  chosen: "bgnbd" | "mbgnbd" | "paretonbd" | null;
  candidates: { kind: "bgnbd" | "mbgnbd" | "paretonbd"; logLikelihood?: number; bic?: number;
                notUsable?: string; notUsableCode?: Message }[];
  why: string | null; whyCode: Message | null;
}
/** `summary.model.holdout` (docs/models.md#holdout): the calibration fit's predictions for the
 *  holdout against what happened, or why the check could not run. */
export type HoldoutCheck =
  | { cut: string; end: string; periods: number; timeUnit: "day" | "week"; customers: number; repeatBuyers: number;
      kind: "bgnbd" | "mbgnbd" | "paretonbd"; fit: BgNbdFit | ParetoNbdFit;
      /** Cumulative repeat purchases by the end of each holdout period. */
      tracking: { actual: number[]; predicted: number[] };
      /** Mean holdout purchases by calibration purchases x ("0" … "6", "7+"). */
      byPurchases: { x: string; customers: number; actual: number | null; predicted: number | null }[];
      actualTotal: number; predictedTotal: number; mae: number; totalErrorPct: number | null;
      verdict: string; verdictCode: Message }
  | { cut: string; notComputed: string; notComputedCode: Message };
/** BG/NBD (and MBG/NBD) parameters (α in time units). */
export interface BgNbdFit { r: number; alpha: number; a: number; b: number; logLikelihood: number;
                            converged: boolean; iterations: number }
/** Gamma-Gamma parameters (γ in money). */
export interface GammaGammaFit { p: number; q: number; gamma: number; logLikelihood: number; converged: boolean;
                                 iterations: number; customers: number; populationMeanSpend: number | null;
                                 /** Present when q ≤ 1. */ note?: string; noteCode?: Message }
/** `summary.model` (docs/models.md): the fits, or why there are none (`bgnbd` then holds a failed fit, if any). */
export type ModelSummary =
  | { kind: "bgnbd" | "mbgnbd" | "paretonbd"; timeUnit: "day" | "week"; horizon: number; customers: number;
      repeatBuyers: number;
      /** The fitted families' parameters: the chosen one's, and under `auto` the others' too. */
      bgnbd?: BgNbdFit; mbgnbd?: BgNbdFit; paretonbd?: ParetoNbdFit; auto?: AutoChoice;
      /** With `model.holdout`. */
      holdout?: HoldoutCheck;
      gammaGamma: GammaGammaFit | { notFitted: string; notFittedCode: Message };
      clv: { months: number; discountRate: number } }
  | { notFitted: string; notFittedCode: Message; timeUnit?: "day" | "week"; bgnbd?: BgNbdFit; mbgnbd?: BgNbdFit;
      paretonbd?: ParetoNbdFit; auto?: AutoChoice }
  /** Not fitted yet: an analysis from `Analyzer.finishDeferred` before `Analysis.fitModels()`. */
  | { pending: true };
/** Customers per label (the segment or grade name as the per-customer column holds it). */
export type LabelCounts = Record<string, number>;
/** One dimension column in the summary: values by customers descending (ties by value), at most 50. */
export interface DimensionSummary {
  /** Header name, or `column N` without a header; the per-customer key is `dim:` + this. */
  column: string; index: number;
  values: { value: string; customers: number; revenue: number | null;
            segments: { rfm11?: LabelCounts; cn8?: LabelCounts };
            grades: { abc?: LabelCounts; ladder?: LabelCounts };
            /** The revenue of the same cells (absent without an amount). */
            segmentRevenue?: { rfm11?: Record<string, number>; cn8?: Record<string, number> };
            gradeRevenue?: { abc?: Record<string, number>; ladder?: Record<string, number> } }[];
  /** The values past the first 50, summed. */
  omitted: { values: number; customers: number; revenue: number | null };
}
