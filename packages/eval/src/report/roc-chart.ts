import type { RocPoints } from '../verification/average-roc.js';
import type { SafeHtml } from './html.js';
import { renderLineChart } from './line-chart.js';

/** Input of {@link renderRocChart}: one named curve per algorithm. */
export interface RocChartSpec {
  readonly title: string;
  readonly curves: readonly (RocPoints & { readonly name: string; readonly color?: string })[];
  /**
   * Log-scaled FPR axis (default `true`: face verification is judged at low
   * FPR). The axis starts at the decade below the smallest positive FPR of
   * any curve, and FPR = 0 is drawn on that left edge.
   */
  readonly logFpr?: boolean;
  readonly width?: number;
  readonly height?: number;
}

/**
 * ROC curves (TPR against FPR) as an inline SVG chart, one
 * `<path class="series">` per curve.
 */
export function renderRocChart(spec: RocChartSpec): SafeHtml {
  const log = spec.logFpr ?? true;
  return renderLineChart({
    title: spec.title,
    xLabel: log ? 'False positive rate (log scale)' : 'False positive rate',
    yLabel: 'True positive rate',
    series: spec.curves.map((c) => ({ name: c.name, x: c.fpr, y: c.tpr, color: c.color })),
    xScale: log ? 'log' : 'linear',
    xDomain: log ? undefined : [0, 1],
    yDomain: [0, 1],
    width: spec.width,
    height: spec.height,
  });
}
