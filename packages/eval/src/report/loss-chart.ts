import { EvaluationError } from '../errors.js';
import type { SafeHtml } from './html.js';
import { renderLineChart, type LineSeries } from './line-chart.js';
import type { LossHistory } from './loss-history.js';
import { seriesColor, seriesDash } from './palette.js';

/** Input of {@link renderLossChart}. */
export interface LossChartSpec {
  readonly title: string;
  /** One entry per run (algorithm or job); each gets a colour, each loss part a dash pattern. */
  readonly runs: readonly { readonly name: string; readonly history: LossHistory; readonly color?: string }[];
  /** Log-scaled loss axis (default `false`). */
  readonly logLoss?: boolean;
  readonly width?: number;
  readonly height?: number;
}

/**
 * Loss against step as an inline SVG chart: one line per (run, part), the
 * run's colour and the part's dash pattern (parts keep the same pattern
 * across runs), named `run · part` when there is more than one part.
 *
 * @throws EvaluationError when a part's length differs from its run's steps.
 */
export function renderLossChart(spec: LossChartSpec): SafeHtml {
  const partNames = [...new Set(spec.runs.flatMap((r) => Object.keys(r.history.parts)))];
  const series: LineSeries[] = [];
  spec.runs.forEach((run, i) => {
    for (const [part, values] of Object.entries(run.history.parts)) {
      if (values.length !== run.history.steps.length) {
        throw new EvaluationError(
          'EVAL_INPUT_INVALID',
          `${run.name}.lossHistory.parts.${part}`,
          `length ${values.length} differs from steps length ${run.history.steps.length}`,
        );
      }
      series.push({
        name: partNames.length > 1 ? `${run.name} · ${part}` : run.name,
        x: run.history.steps,
        y: values,
        color: run.color ?? seriesColor(i),
        dash: seriesDash(partNames.indexOf(part)),
      });
    }
  });
  return renderLineChart({
    title: spec.title,
    xLabel: 'Step',
    yLabel: spec.logLoss ? 'Loss (log scale)' : 'Loss',
    series,
    yScale: spec.logLoss ? 'log' : 'linear',
    width: spec.width,
    height: spec.height,
  });
}
