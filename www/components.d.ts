// Types of `tierwise/components` (www/components.js): the custom elements it defines.
import type { AnalysisResult, Tierwise } from './client.js';

/** A filter of the customer list, as in the drill-down contract (worker/query.js). */
export type SelectFilter =
  | { column: string; value: string | number }
  | { column: string; min: number | string; max: number | string; maxInclusive?: boolean; as?: string };

/** detail of `tierwise-select`: what was clicked (a segment, a grade, a heatmap cell, a bar …). */
export interface SelectDetail {
  /** the customers it stands for, as filters (AND across columns, OR within one) */
  filters: SelectFilter[];
  /** 'add' (combine with the filters set) or 'replace' */
  mode: 'add' | 'replace';
  /** the first filter's column (segmentRfm11, segmentCn8, gradeAbc, gradeLadder, rScore, …) */
  column: string | null;
  /** 'segment', 'grade', 'score', 'dimension', or the column name */
  kind: string | null;
  /** the first filter's value (a code as the core's column holds it), for a value filter */
  value?: string | number;
  min?: number | string;
  max?: number | string;
  /** the segment code clicked, when a segment was */
  segment?: string;
  /** the grade code clicked, when a grade was */
  grade?: string;
}

/** detail of `tierwise-result`. */
export interface ResultDetail {
  summary: AnalysisResult['summary'];
  customerCount: number;
}

/** detail of `tierwise-error`: a card's `src` could not be analysed, its client's analysis failed, or a page of customers. */
export interface ErrorDetail {
  message: string;
  code: string | null;
}

export interface TierwiseEventMap extends HTMLElementEventMap {
  'tierwise-select': CustomEvent<SelectDetail>;
  'tierwise-result': CustomEvent<ResultDetail>;
  'tierwise-error': CustomEvent<ErrorDetail>;
}

/**
 * <tierwise-app>: the whole workbench. Attributes: `lang` ("en" | "zh"), `samples` (show the sample-data
 * buttons), `manage-page` (keep document.title and <html lang> in its language). One per page.
 */
export class TierwiseApp extends HTMLElement {
  /** Resolves once the workbench is wired: a file chosen before then is analysed at that moment. */
  readonly ready: Promise<void>;
  addEventListener<K extends keyof TierwiseEventMap>(type: K, listener: (this: TierwiseApp, ev: TierwiseEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

/**
 * What the single cards share. The analysis comes from `client` (drawn on each of its results), from
 * `analysis` (one result), or from the `src` attribute (a same-origin file analysed with a client of the
 * card's own, options from the `options` attribute as JSON). Attributes: `lang` ("en" | "zh").
 */
export class TierwisePart extends HTMLElement {
  /** the client whose results the card draws; the heatmap and the customer pages need one */
  client: Tierwise | null;
  /** the analysis drawn */
  analysis: AnalysisResult | null;
  addEventListener<K extends keyof TierwiseEventMap>(type: K, listener: (this: TierwisePart, ev: TierwiseEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

/**
 * <tierwise-segments preset="rfm11|cn8">: segment chart, Pareto curve and segment table (the `preset`
 * attribute follows its toggle).
 */
export class TierwiseSegments extends TierwisePart {}
/** <tierwise-grades>: the ABC and ladder grade tables. */
export class TierwiseGrades extends TierwisePart {}
/** <tierwise-rfm-heatmap>: customers (or revenue) by R and F score. */
export class TierwiseRfmHeatmap extends TierwisePart {}
/** <tierwise-customers>: the customer table, paged and sorted through the client. */
export class TierwiseCustomers extends TierwisePart {
  /** the list's filters, e.g. the `filters` of a tierwise-select detail */
  filter: SelectFilter[];
}

/** The elements defined, by tag name. */
export const ELEMENTS: {
  'tierwise-app': typeof TierwiseApp;
  'tierwise-segments': typeof TierwiseSegments;
  'tierwise-grades': typeof TierwiseGrades;
  'tierwise-rfm-heatmap': typeof TierwiseRfmHeatmap;
  'tierwise-customers': typeof TierwiseCustomers;
};

declare global {
  interface HTMLElementTagNameMap {
    'tierwise-app': TierwiseApp;
    'tierwise-segments': TierwiseSegments;
    'tierwise-grades': TierwiseGrades;
    'tierwise-rfm-heatmap': TierwiseRfmHeatmap;
    'tierwise-customers': TierwiseCustomers;
  }
}
