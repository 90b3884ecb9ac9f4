// A typed usage example of the published package (www/pkg/tierwise.js + tierwise.d.ts, whose hand-written
// part is src/types.d.ts). It is type-checked, never run: `tsc -p tests/types` in scripts/test.sh, after
// scripts/build.sh. Every published type is used with explicit annotations, so a renamed or retyped
// field in the package (or a wrong one here) fails the check.
//
// The worker protocol's types (www/worker.d.ts) and the npm package's client are checked by
// tests/package.test.mjs (tests/package/typed-example.ts).

import init, {
  analyze,
  Analysis,
  Analyzer,
  compare,
  exportSql,
  inspect,
  lintRules,
  version,
  type AnalyzeOptions,
  type BgNbdFit,
  type ColumnRef,
  type ColumnGuess,
  type Inspection,
  type TitleRow,
  type Combination,
  type Comparison,
  type CutPoints,
  type DimensionSummary,
  type LabelCounts,
  type GammaGammaFit,
  type HoldoutCheck,
  type ModelKind,
  type ParetoNbdFit,
  type GroupSummary,
  type InitOutput,
  type ModelSummary,
  type RejectExample,
  type RuleLint,
  type SqlCuts,
  type SqlDialect,
  type Summary,
  type Transitions,
} from "../../www/pkg/tierwise.js";

const wasm: InitOutput = await init({ module_or_path: new URL("../../www/pkg/tierwise_bg.wasm", import.meta.url) });
const memory: WebAssembly.Memory = wasm.memory;
const crateVersion: string = version();

// ── Options: every key of AnalyzeOptions ───────────────────────────────────────────────────────────
const customRules: { name: string; r?: [number, number]; f?: [number, number]; m?: [number, number] }[] = [
  { name: "Champions", r: [4, 5], f: [4, 5], m: [4, 5] },
  { name: "Others", r: [1, 5] },
];
const options: AnalyzeOptions = {
  columns: {
    customer: "customer_id", date: 1, amount: "amount", quantity: null, unitPrice: null, order: "invoice",
    category: "category", signals: ["coupon", 7], dimensions: ["country", 9],
  },
  cancelPrefix: "C",
  encoding: "auto",
  dateOrder: "dmy",
  analysisDate: "2024-12-31",
  returns: "net",
  frequency: "orders",
  labels: "zh",
  rfm: { bins: 5, mode: "thresholds", thresholds: { r: [30, 90, 180, 365], f: [2, 3, 5, 8], m: [100, 500, 1000, 5000] } },
  segments: { presets: ["cn8", "rfm11"], rules: customRules, cn8Split: "median" },
  grades: { abc: [0.7, 0.9], ladder: [["VIP", 0.05], ["Gold", 0.2]], absolute: [["Big", 10000], ["Small", 0]], windowDays: 365 },
  activity: { windowDays: 90, high: 3, low: 1 },
  churn: { inactiveDays: 180, overdueFactor: 2, highValueLapsedDays: 90, windowDays: 90, declineRatio: 0.5 },
  lifecycle: { newDays: 30, lapsedDays: 180, matureDays: 365 },
  kpis: { activeDays: 90 },
  model: { enabled: true, timeUnit: "week", horizon: 52, discountRate: 0.1 },
  actions: { Champions: "Reward them", "At risk": { en: "Win them back", zh: "挽回" } },
  filter: { country: ["DE", "AT"], "9": ["web"] },
};

// ── analyze: the summary and the per-customer columns ──────────────────────────────────────────────
const bytes = new TextEncoder().encode("customer_id,order_date,amount\nA,2024-01-01,10\n");
const analysis: Analysis = analyze(bytes, options);
const defaults: Analysis = analyze(bytes, undefined);
defaults.free();

function groups(list: GroupSummary[] | null): string[] {
  return (list ?? []).map((g: GroupSummary) => {
    const counts: number[] = [g.customers, g.share, g.revenue, g.revenueShare, g.orders];
    const averages: number[] = [g.avgRecency, g.avgFrequency, g.avgMonetary];
    const texts: string[] = [g.name, g.nameZh, g.action, g.actionZh];
    return `${texts.join("/")}: ${counts.join(",")} ${averages.join(",")}`;
  });
}

function cuts(c: CutPoints | null): string {
  if (c === null) return "-";
  const mode: string = c.mode;
  const points: number[] = c.cuts;
  const counts: number[] = c.counts;
  const ties: string = c.ties;
  return `${mode} ${points.join(",")} ${counts.join(",")} ${ties}`;
}

function column(c: ColumnRef | null): string {
  return c === null ? "-" : typeof c === "number" ? `#${c}` : c;
}

function bgnbd(fit: BgNbdFit): number[] {
  const converged: boolean = fit.converged;
  return [fit.r, fit.alpha, fit.a, fit.b, fit.logLikelihood, fit.iterations, converged ? 1 : 0];
}

function gammaGamma(fit: GammaGammaFit | { notFitted: string }): string {
  if ("notFitted" in fit) return fit.notFitted;
  const converged: boolean = fit.converged;
  const values: number[] = [fit.p, fit.q, fit.gamma, fit.logLikelihood, fit.iterations, fit.customers,
    fit.populationMeanSpend ?? Number.NaN];
  const note: string | undefined = fit.noteCode ? `${fit.note} (${fit.noteCode.code})` : undefined;
  return `${values.join(",")} ${converged} ${note ?? ""}`;
}

function model(m: ModelSummary): string {
  if ("pending" in m) return "pending"; // an early result: the models are being fitted
  if ("notFitted" in m) {
    const unit: "day" | "week" | undefined = m.timeUnit;
    const failed: BgNbdFit | undefined = m.bgnbd;
    return `${m.notFitted} ${unit ?? ""} ${failed ? bgnbd(failed).join(",") : ""}`;
  }
  const unit: "day" | "week" = m.timeUnit;
  const numbers: number[] = [m.horizon, m.customers, m.repeatBuyers, m.clv.months, m.clv.discountRate];
  // the chosen family's parameters sit under its own key
  const pareto: ParetoNbdFit | undefined = m.paretonbd;
  const fit = m.kind === "paretonbd" && pareto ? [pareto.r, pareto.alpha, pareto.s, pareto.beta] : bgnbd((m.kind === "mbgnbd" ? m.mbgnbd : m.bgnbd)!);
  const why: string = m.auto?.why ?? "";
  return `${unit} ${numbers.join(",")} ${fit.join(",")} ${gammaGamma(m.gammaGamma)} ${why} ${holdout(m.holdout)}`;
}

function holdout(h: HoldoutCheck | undefined): string {
  if (!h) return "";
  if ("notComputed" in h) return `${h.cut}: ${h.notComputed}`;
  const last: number = h.tracking.predicted[h.tracking.predicted.length - 1] - h.tracking.actual[h.tracking.actual.length - 1];
  const rows: string[] = h.byPurchases.map((r) => `${r.x}:${r.customers}:${r.actual ?? "-"}:${r.predicted ?? "-"}`);
  return `${h.cut}..${h.end} ${h.periods} ${h.kind} ${h.mae} ${h.totalErrorPct ?? "-"} ${last} ${rows.join(" ")} ${h.verdict}`;
}

const kinds: ModelKind[] = ["bgnbd", "mbgnbd", "paretonbd", "auto"];
const withHoldout: AnalyzeOptions = { model: { kind: kinds[3], holdout: 39 } };
const withCut: AnalyzeOptions = { model: { holdout: "1997-09-30" } };
void [withHoldout, withCut];

function describe(s: Summary): string[] {
  const out: string[] = [s.version, s.analysisDate, `${s.customers}`, JSON.stringify(s.options satisfies AnalyzeOptions)];

  const input = s.input;
  const sizes: number[] = [input.rows, input.used];
  const layout: string[] = [input.encoding, input.delimiter, `${input.header satisfies boolean}`];
  const cols = input.columns;
  const named: (ColumnRef | null)[] = [cols.customer, cols.date, cols.amount, cols.quantity, cols.unitPrice, cols.order,
    cols.category];
  const signals: ColumnRef[] = cols.signals;
  out.push(sizes.join(","), layout.join(","), named.map(column).join(","), signals.map(column).join(","));
  const df = input.dateFormat;
  if (df !== null) {
    const order: "mdy" | "dmy" | "ymd" | null = df.order;
    const samples: string[] = df.samples;
    out.push(`${column(df.column)} ${df.format} ${df.ambiguous satisfies boolean} ${order ?? "-"} ${samples.join(",")}`);
  }
  for (const reason of ["malformed_row", "repeated_header", "missing_customer", "bad_date", "bad_amount"] as const) {
    const rejected: { count: number; examples: RejectExample[] } | undefined = input.rejected[reason];
    for (const e of rejected?.examples ?? []) {
      const where: string | null = e.column;
      out.push(`${reason} ${rejected?.count}: row ${e.row} ${where ?? "-"} ${e.value} ${e.reason} ${e.message}`);
    }
  }
  const ex = input.excluded;
  out.push([ex.afterAnalysisDate, ex.ignoredReturns, ex.returnsWithoutPurchase, ex.filteredOut].join(","));
  const dimensionColumns: ColumnRef[] = cols.dimensions;
  out.push(dimensionColumns.map(column).join(","));
  if (input.workbook) out.push(`${input.workbook.format}: ${input.workbook.sheet} of ${input.workbook.sheets.join(", ")}`);

  out.push(cuts(s.cutPoints.r), cuts(s.cutPoints.f), cuts(s.cutPoints.m));

  const seg = s.segments;
  out.push(...groups(seg.cn8), ...groups(seg.rfm11), ...groups(seg.custom));
  if (seg.cn8Split !== null) out.push([seg.cn8Split.recency, seg.cn8Split.frequency, seg.cn8Split.monetary].join(","));
  if (seg.customLint !== null) out.push(lint(seg.customLint));

  out.push(...groups(s.grades.abc), ...groups(s.grades.ladder), ...groups(s.grades.absolute));

  if (s.pareto !== null) {
    const points: [number, number][] = s.pareto.points;
    out.push(`${points.length} ${s.pareto.customerShareFor80} ${s.pareto.top20RevenueShare} ${s.pareto.customers}`);
  }

  const k = s.kpis;
  const money: (number | null)[] = [k.revenue, k.aov];
  out.push([k.customers, k.orders, k.repeatRate, ...money].join(","));
  const ret = k.retention;
  const rates: (number | null)[] = [ret.retention, ret.churn];
  out.push(`${ret.from}..${ret.to} ${[ret.activeAtStart, ret.activeAtEnd, ret.new].join(",")} ${rates.join(",")}`);
  for (const c of k.cohorts) {
    const active: number[] = c.active;
    out.push(`${c.month} ${c.customers} ${active.join(",")}`);
  }
  for (const m of k.monthly) {
    const revenue: number | null = m.revenue;
    out.push(`${m.month} ${revenue ?? "-"} ${m.orders} ${m.activeCustomers} ${m.newCustomers}`);
  }
  const omitted: number = k.monthlyOmitted;
  out.push(String(omitted));

  out.push(...groups(s.lifecycle));
  const flags: Record<string, number> = s.churn.flags;
  const risk = s.churn.risk;
  // withheld ({}) while the models are pending
  const levels: string = risk.high === undefined ? "pending" : `${risk.high}/${risk.medium}/${risk.low}`;
  out.push(`${Object.keys(flags).join(",")} ${levels} ${s.churn.method}`);
  out.push(model(s.model));
  for (const d of s.dimensions satisfies DimensionSummary[]) {
    const values: string[] = d.values.map((v) => {
      const counts: (LabelCounts | undefined)[] = [v.segments.rfm11, v.segments.cn8, v.grades.abc, v.grades.ladder];
      const revenue: (Record<string, number> | undefined)[] = [v.segmentRevenue?.rfm11, v.gradeRevenue?.ladder];
      return `${v.value}: ${v.customers} ${v.revenue ?? "-"} ${counts.length} ${revenue.length}`;
    });
    const omitted: number[] = [d.omitted.values, d.omitted.customers, d.omitted.revenue ?? Number.NaN];
    out.push(`${d.column}#${d.index} ${values.join("; ")} ${omitted.join(",")}`);
  }
  const warnings: string[] = s.warnings;
  out.push(...warnings);
  return out;
}

function lint(l: RuleLint): string {
  const show = (c: Combination): string => {
    const m: number | undefined = c.m;
    const rules: string[] | undefined = c.rules;
    return `${c.r}${c.f}${m ?? ""}:${(rules ?? []).join("+")}`;
  };
  return `${l.combinations}: uncovered ${l.uncovered.map(show).join(" ")}; overlaps ${l.overlaps.map(show).join(" ")}`;
}

const summary: Summary = analysis.summary();
const lines: string[] = describe(summary);

// every per-customer column, with the type the package gives it
const count: number = analysis.customerCount;
const needsRerun: boolean = analysis.needsRerun;
const texts: string[][] = [
  analysis.customerId, analysis.firstDate, analysis.lastDate, analysis.rfmCode, analysis.segmentCn8,
  analysis.segmentRfm11, analysis.segmentCustom, analysis.gradeAbc, analysis.gradeLadder, analysis.gradeAbsolute,
  analysis.activity, analysis.lifecycle, analysis.churnFlags, analysis.churnReasons, analysis.risk, analysis.action,
];
const recency: Int32Array = analysis.recencyDays;
const floats: Float64Array[] = [
  analysis.frequency, analysis.monetary, analysis.aov, analysis.pAlive, analysis.expectedPurchases,
  analysis.predictedClv,
];
const scores: Uint8Array[] = [analysis.rScore, analysis.fScore, analysis.mScore];
const dimensionKeys: string[] = analysis.dimensionKeys();
const countries: string[] = analysis.dimensionValues(0);
const csv: Uint8Array = analysis.toCsv();
const euro: Uint8Array = analysis.toCsvWith({ labels: 'zh', delimiter: ';', decimal: ',', rows: Uint32Array.from([1, 0]) });
const same: Uint8Array = analysis.toCsvWith(undefined);
const dialects: SqlDialect[] = ["duckdb", "postgres", "bigquery", "spark"];
const refit: SqlCuts = "sql";
const script: string = analysis.exportSql(dialects[0], refit);
const scriptFitted: string = analysis.exportSql("postgres", undefined);
const fromBytes: string = exportSql(new TextEncoder().encode("customer_id,order_date,amount\nA,2024-01-01,10\n"), undefined, "bigquery", undefined);
const holdoutColumns: Float64Array[] = [analysis.holdoutActual, analysis.holdoutPredicted];
const holdoutCsv: Uint8Array | undefined = analysis.holdoutCsv(undefined);
const stagesEn: string[] = analysis.labelColumn('lifecycle', 'en');
const page: unknown = analysis.slice(0, 100); // typed `any` by the package
const timings: unknown = analysis.timings(); // typed `any` by the package
analysis.free();

// ── streaming, with the second pass a misleading first MiB needs ───────────────────────────────────
async function stream(file: Blob, opts: AnalyzeOptions | undefined): Promise<Analysis> {
  const read = async (a: Analyzer): Promise<Analysis> => {
    const reader = file.stream().getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      a.push(value);
      const progress: [number, number] = [a.bytesRead, a.rowsRead];
      console.debug(progress);
    }
    return a.finish();
  };
  const first: Analysis = await read(new Analyzer(opts));
  if (!first.needsRerun) return first;
  const second: Analyzer = Analyzer.secondPass(opts, first);
  first.free();
  return read(second);
}
const streamed: Analysis = await stream(new Blob([bytes]), { labels: "en" });
const streamedSummary: Summary = streamed.summary();
streamed.free();

// ── compare two analysis dates ─────────────────────────────────────────────────────────────────────
const comparison: Comparison = compare(bytes, { ...options, analysisDate: "2024-06-30" }, options);
const matrices: (Transitions | null)[] = [comparison.abc, comparison.ladder, comparison.rfm11, comparison.cn8];
for (const t of matrices) {
  if (t === null) continue;
  const labels: string[] = t.labels;
  const counts: number[][] = t.counts;
  lines.push(`${labels.join(",")} ${counts.flat().join(",")}`);
}
for (const move of [...comparison.movedUp, ...comparison.movedDown]) {
  lines.push(`${move.customerId}: ${move.from} → ${move.to}`);
}
const warnings: string[] = comparison.downgradeWarnings;
for (const u of comparison.upgradeCandidates) {
  const quarters: [number, number, number] | null = u.quarters;
  const growth: boolean = u.spendGrowth;
  const categories: string[] = u.newCategories;
  lines.push(`${u.customerId} ${quarters?.join(",") ?? "-"} ${growth} ${categories.join(",")}`);
}
lines.push(`${comparison.from} → ${comparison.to}`, ...warnings);

// ── lint custom segment rules ──────────────────────────────────────────────────────────────────────
const ruleLint: RuleLint = lintRules(customRules, 5, true);
const withDefaults: RuleLint = lintRules(customRules);
lines.push(lint(ruleLint), lint(withDefaults));

console.log(memory.buffer.byteLength, crateVersion, count, needsRerun, texts, recency, floats, scores, csv, page,
  timings, streamedSummary, lines, euro, same, stagesEn, dimensionKeys, countries, script, scriptFitted, fromBytes,
  holdoutColumns, holdoutCsv);

// inspect: the head of a file, per column the role guessed
export function mappingStep(bytes: Uint8Array): string[] {
  const opts: AnalyzeOptions = { headerRow: 3, sheet: null };
  const i: Inspection = inspect(bytes, opts);
  const titles: TitleRow[] = i.titleRows;
  const row: number | null = i.headerRow;
  const cols: ColumnGuess[] = i.columns;
  const weak: string[] = cols
    .filter((c) => c.confidence === "low" && c.mapped)
    .map((c) => `${c.name ?? c.index}: ${c.reason?.code ?? ""} ${c.samples.join(", ")}`);
  const customer: ColumnRef | null = i.mapping.customer;
  // the lenient form for a mapping step: a missing customer or date column is reported, not thrown
  const lenient: Inspection = inspect(bytes, { decimal: "," }, true);
  const missing: string = lenient.missing?.code ?? "";
  const preview: string[] = lenient.preview.filter((p) => p.kind !== "title").map((p) => `${p.row}: ${p.cells.join("|")}`);
  const dims: ColumnRef[] = i.mapping.dimensions;
  return [String(titles.length), String(row), String(customer), String(dims.length), ...weak,
    ...i.warningCodes.map((w) => w.code), missing, ...preview];
}
