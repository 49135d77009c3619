import { formatStat, mean, seriesColor, standardDeviation, type ComparisonSummary, type LineSeries, type ReportSection, type ReportTable } from '@metadg/eval';
import type { StudyBudget } from '../budget/study-budget.js';
import type { JobSummary } from './collect.js';

/** The metric tables and curves lead with: `auc` (verification), else `accuracy`, else the first. */
export function mainMetric(metrics: readonly string[]): string | undefined {
  return metrics.includes('auc') ? 'auc' : metrics.includes('accuracy') ? 'accuracy' : metrics[0];
}

/** Title of the oracle section, worded so no reader takes it for a result. */
export const ORACLE_TITLE = 'Oracle (upper bound, not a valid model selection)';

/** Title of the convergence section. */
export const CONVERGENCE_TITLE = 'Convergence: held-out-domain metric vs images seen (oracle-style diagnostic)';

/**
 * Steps, images and seconds every job spent, next to its metric: per
 * contender (means) and per job. Seconds are training-step wall-clock time.
 */
export function budgetSection(summaries: readonly JobSummary[], budget: StudyBudget | undefined): ReportSection {
  const metric = mainMetric(Object.keys(summaries[0]?.metrics ?? {}));
  const algorithms = [...new Set(summaries.map((s) => s.algorithm))];
  const perContender: ReportTable = {
    caption: 'Per contender (means over jobs)',
    columns: ['Algorithm', 'images / step', 'outer steps', 'images seen', 'training seconds (mean ± std)', 'selected step (mean)'],
    rows: algorithms.map((a) => {
      const own = summaries.filter((s) => s.algorithm === a);
      const seconds = own.map((s) => s.seconds);
      const perStep = budget?.contenders.find((c) => c.label === a)?.imagesPerStep ?? round(mean(own.map((s) => s.images / s.steps)), 1);
      return [
        a,
        perStep,
        round(mean(own.map((s) => s.steps)), 1),
        Math.round(mean(own.map((s) => s.images))),
        `${mean(seconds).toFixed(1)} ± ${(seconds.length > 1 ? standardDeviation(seconds, 1) : 0).toFixed(1)}`,
        round(mean(own.map((s) => s.selection.step)), 1),
      ];
    }),
  };
  const perJob: ReportTable = {
    caption: 'Per job',
    columns: ['Algorithm', 'held out', 'seed', ...(summaries.some((s) => s.trial !== undefined) ? ['trial'] : []), 'steps', 'images', 'seconds', 'selected step', metric ?? 'metric'],
    rows: summaries.map((s) => [
      s.algorithm,
      s.heldOut,
      s.seed,
      ...(summaries.some((j) => j.trial !== undefined) ? [s.trial ?? ''] : []),
      s.steps,
      s.images,
      s.seconds.toFixed(1),
      s.selection.step,
      metric !== undefined && s.metrics[metric] !== undefined ? (s.metrics[metric] as number).toFixed(4) : '—',
    ]),
  };
  return {
    title: 'Budgets',
    paragraphs: [
      ...(budget ? [budget.rule] : []),
      'Seconds are wall-clock seconds of training steps on this machine (evaluation excluded); they vary with the load, steps and images do not.',
    ],
    tables: summaries.length > 0 ? [perContender, perJob] : [],
  };
}

/** The test-domain oracle's tables: what each run's best checkpoint *on the test domain* scored. */
export function oracleSection(summary: ComparisonSummary, metric: string): ReportSection {
  return {
    title: ORACLE_TITLE,
    paragraphs: [
      'For each run, the better on the full held-out evaluation of two checkpoints: the one validation selected and the one ' +
        'that scored best on the held-out-domain diagnostic during training (across trials too, in a sweep). Choosing it requires ' +
        'looking at the test domain, which a domain-generalisation method cannot do: read these numbers as an upper bound on ' +
        'what selection could gain, never as results.',
    ],
    tables: [summaryTable(summary, metric, `${metric} of the oracle checkpoint (mean ± std over seeds)`)],
  };
}

/** A mean ± std table of one metric: algorithms × held-out domains and the average. */
export function summaryTable(summary: ComparisonSummary, metric: string, caption: string): ReportTable {
  const cell = (s: { mean: number; std: number; n: number; seeds: number[] } | undefined) => (s ? formatStat(s, 4) : '—');
  return {
    caption,
    columns: ['Algorithm', ...summary.heldOutDomains, 'Average'],
    rows: summary.algorithms.map((a) => [
      a,
      ...summary.heldOutDomains.map((d) => cell(summary.cells.find((c) => c.algorithm === a && c.heldOutDomain === d && c.metric === metric))),
      cell(summary.averages.find((c) => c.algorithm === a && c.metric === metric)),
    ]),
  };
}

/**
 * Held-out-domain metric against images seen, one chart per held-out domain
 * and one line per algorithm (mean over seeds at each evaluation point),
 * with the validation metric dashed. Empty when no job traced its held-out
 * domain.
 */
export function convergenceSection(summaries: readonly JobSummary[], algorithms: readonly string[], metric: string): ReportSection[] {
  const domains = [...new Set(summaries.map((s) => s.heldOut))];
  const charts = domains.flatMap((domain) => {
    const series: LineSeries[] = [];
    algorithms.forEach((algorithm, i) => {
      const own = summaries.filter((s) => s.algorithm === algorithm && s.heldOut === domain);
      const heldOut = meanCurve(own, (p) => p.heldOut);
      const validation = meanCurve(own, (p) => p.validation);
      // The report's colour of this algorithm in every other chart.
      const color = seriesColor(i);
      if (heldOut.x.length > 0) series.push({ name: algorithm, ...heldOut, color });
      if (validation.x.length > 0) series.push({ name: `${algorithm} · validation`, ...validation, color, dash: '6 4' });
    });
    return series.length === 0 ? [] : [{ title: `${metric} vs images — held-out domain ${domain}`, xLabel: 'Images seen', yLabel: metric, series }];
  });
  if (charts.length === 0) return [];
  return [
    {
      title: CONVERGENCE_TITLE,
      paragraphs: [
        `Solid: ${metric} on the held-out domain at each evaluation point, on a small pair set, mean over seeds — it shows ` +
          'whether a run had converged when its budget ran out. It looks at the test domain, so it is a diagnostic only: it ' +
          'never selects the reported model. Dashed: the validation metric on the source domains, which does.',
      ],
      lineCharts: charts,
    },
  ];
}

/** Mean over jobs of a per-point value, by images seen (seeds of one contender share their evaluation points). */
function meanCurve(jobs: readonly JobSummary[], value: (p: JobSummary['evaluations'][number]) => number | undefined): { x: number[]; y: number[] } {
  const byImages = new Map<number, number[]>();
  for (const job of jobs) {
    for (const point of job.evaluations) {
      const v = value(point);
      if (v === undefined) continue;
      byImages.set(point.images, [...(byImages.get(point.images) ?? []), v]);
    }
  }
  const x = [...byImages.keys()].sort((a, b) => a - b);
  return { x, y: x.map((k) => mean(byImages.get(k) as number[])) };
}

function round(v: number, digits: number): number {
  return Number(v.toFixed(digits));
}
