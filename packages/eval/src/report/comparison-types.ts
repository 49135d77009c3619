import type { RocPoints } from '../verification/average-roc.js';
import type { DotChartSpec } from './dot-chart.js';
import type { LineChartSpec } from './line-chart.js';
import type { LossHistory } from './loss-history.js';
import type { ReportTable } from './report-table.js';

/**
 * The outcome of one job: an algorithm trained with one held-out (unseen)
 * domain and one seed, evaluated on that domain.
 */
export interface RunResult {
  readonly algorithm: string;
  readonly heldOutDomain: string;
  readonly seed: number;
  /**
   * Metric values by key, all finite: `auc`, `tpr@1e-3`, `accuracy10fold`,
   * `rank1`, `accuracy`, or any key of your own (see {@link MetricSpec}).
   * {@link flattenVerificationMetrics} builds them from verification metrics.
   */
  readonly metrics: Readonly<Record<string, number>>;
  /** The ROC on the held-out domain, for the ROC charts. */
  readonly roc?: RocPoints;
  /** Training losses, for the loss charts. */
  readonly lossHistory?: LossHistory;
}

/** How a metric is labelled, compared and printed in tables. */
export interface MetricSpec {
  /** The key in {@link RunResult.metrics}. */
  readonly key: string;
  /** Column heading (escaped); default from the built-in list, else the key. */
  readonly label?: string;
  /** Whether larger is better, which decides the bold "best" cell (default `true`). */
  readonly higherIsBetter?: boolean;
  /** Decimal places (default 4). */
  readonly digits?: number;
}

/**
 * A free-form section of a report: a heading, paragraphs, tables, charts
 * and/or preformatted text (all escaped), rendered in that order.
 */
export interface ReportSection {
  readonly title: string;
  readonly paragraphs?: readonly string[];
  readonly tables?: readonly ReportTable[];
  /** Line charts (e.g. a metric against images seen), side by side. */
  readonly lineCharts?: readonly LineChartSpec[];
  /** Dot-and-whisker charts (e.g. a metric per ablation variant), side by side. */
  readonly dotCharts?: readonly DotChartSpec[];
  readonly preformatted?: string;
}

/**
 * Everything a comparison report shows: algorithms × held-out domains ×
 * seeds, each run with metrics, ROC and loss history, plus free text.
 */
export interface ComparisonReport {
  readonly title: string;
  /** Shown under the title, e.g. an ISO date; omitted by default so reports are reproducible byte for byte. */
  readonly generatedAt?: string;
  /** Paragraphs under the title. */
  readonly notes?: readonly string[];
  readonly runs: readonly RunResult[];
  /** Which metrics to tabulate, in order, and how; default every metric found, built-in ones first. */
  readonly metrics?: readonly MetricSpec[];
  /** Sections before the results tables (e.g. the summary of an ablation study). */
  readonly leadSections?: readonly ReportSection[];
  /** Extra sections, after the tables and charts. */
  readonly sections?: readonly ReportSection[];
  /** Run configuration, shown as pretty-printed JSON at the end. */
  readonly config?: unknown;
}
