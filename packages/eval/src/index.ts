/**
 * @metadg/eval — evaluation that knows nothing about training: scores,
 * embeddings or logits in; verification metrics (ROC, AUC, TPR@FPR, 10-fold
 * accuracy), identification rank-1, classification accuracy, and
 * self-contained HTML/SVG comparison reports out. Pure TypeScript on plain
 * arrays, no tensor library.
 *
 * @packageDocumentation
 */
export { EvaluationError, type EvaluationErrorCode } from './errors.js';
export { parseEvalJson, stringifyEvalJson } from './json.js';
export { mean, standardDeviation } from './stats.js';
export type { DenseMatrix, MatrixLike } from './matrix.js';
export type { GalleryProbeEmbeddings } from './gallery-probe.js';

export type { ScoredPairs } from './verification/pairs-input.js';
export { roc, rocAuc, type RocCurve } from './verification/roc.js';
export { FPR_TARGETS, reportedFprTargets, tprAtFpr, type FprTargetKey } from './verification/tpr-at-fpr.js';
export { kFoldAccuracy, type KFoldAccuracy, type KFoldOptions } from './verification/kfold-accuracy.js';
export {
  computeVerificationMetrics,
  type TprAtReportedFprs,
  type VerificationMetrics,
} from './verification/verification-metrics.js';
export { metricsFromScoresFile, metricsFromScoresJson, verificationMetricsToJson } from './verification/scores-file.js';
export { allPairsByIdentity, pairCosineScores } from './verification/cosine.js';

export { rank1Accuracy, type Rank1Result } from './identification/rank1.js';
export { classificationAccuracy, type ClassificationResult } from './classification/classification-accuracy.js';
export { averageRocs, type RocPoints } from './verification/average-roc.js';

export type { ComparisonReport, MetricSpec, ReportSection, RunResult } from './report/comparison-types.js';
export {
  summarise,
  type ComparisonSummary,
  type SummaryAverage,
  type SummaryCell,
  type SummaryStat,
} from './report/summarise.js';
export { BUILT_IN_METRICS, flattenVerificationMetrics } from './report/metric-specs.js';
export { renderComparisonHtml, renderSection } from './report/comparison-report.js';
export { renderComparisonTable, formatStat } from './report/comparison-table.js';
export { renderLineChart, type LineChartSpec, type LineSeries } from './report/line-chart.js';
export { renderDotChart, type DotChartSpec, type DotChartRow } from './report/dot-chart.js';
export { renderReportTable, type ReportTable } from './report/report-table.js';
export { renderRocChart, type RocChartSpec } from './report/roc-chart.js';
export { renderLossChart, type LossChartSpec } from './report/loss-chart.js';
export { lossHistoryFromSteps, type LossHistory, type StepLossRecord } from './report/loss-history.js';
export { renderHtmlPage } from './report/page.js';
export { SERIES_COLORS, seriesColor } from './report/palette.js';
export { SafeHtml, escapeHtml, html, type HtmlValue } from './report/html.js';
