import { formatStat, mean, summarise, type ComparisonSummary, type ReportSection, type SummaryStat } from '@metadg/eval';
import { collectRuns, type JobSummary, type StudyReportExtras } from '../study/collect.js';
import type { JobDescription } from '../study/job-plan.js';
import { mainMetric } from '../study/report-sections.js';
import type { AblationSpec } from './studies.js';

/** What a study's report section needs of its spec (stored in `compare.json` as `ablation`, so `report` can redraw it). */
export type AblationSummary = Pick<AblationSpec, 'study' | 'title' | 'description' | 'axis'> & {
  readonly variants: readonly { readonly label: string; readonly value?: number }[];
};

/** The part of a spec its report section needs. */
export function summariseSpec(spec: AblationSpec): AblationSummary {
  return {
    study: spec.study,
    title: spec.title,
    description: spec.description,
    ...(spec.axis ? { axis: spec.axis } : {}),
    variants: spec.variants.map((v) => ({ label: v.label, ...(v.value !== undefined ? { value: v.value } : {}) })),
  };
}

/**
 * The study's own section: a table of every variant (its metric per
 * held-out domain and averaged, mean ± std over seeds, with the steps,
 * images and seconds it spent) and a plot — the averaged metric against
 * the ablated value for studies of a number, a dot-and-whisker chart
 * (mean ± std over seeds) otherwise.
 */
export function ablationSection(spec: AblationSummary, summary: ComparisonSummary, jobs: readonly JobSummary[], metric: string): ReportSection {
  const average = (label: string) => summary.averages.find((a) => a.algorithm === label && a.metric === metric);
  const cell = (label: string, domain: string) => summary.cells.find((c) => c.algorithm === label && c.heldOutDomain === domain && c.metric === metric);
  const text = (s: SummaryStat | undefined) => (s ? formatStat(s, 4) : '—');
  const numeric = spec.axis !== undefined;
  const rows = spec.variants.map((v) => {
    const own = jobs.filter((j) => j.algorithm === v.label);
    const avg = (f: (j: JobSummary) => number) => (own.length ? mean(own.map(f)) : Number.NaN);
    return [
      v.label,
      ...summary.heldOutDomains.map((d) => text(cell(v.label, d))),
      text(average(v.label)),
      Number.isNaN(avg((j) => j.steps)) ? '—' : avg((j) => j.steps).toFixed(0),
      Number.isNaN(avg((j) => j.images)) ? '—' : avg((j) => j.images).toFixed(0),
      Number.isNaN(avg((j) => j.seconds)) ? '—' : avg((j) => j.seconds).toFixed(1),
    ];
  });
  const finished = spec.variants.filter((v) => average(v.label) !== undefined);
  const plotTitle = `${spec.title}: ${metric} (average over held-out domains)`;
  return {
    title: `Ablation: ${spec.title}`,
    paragraphs: [
      spec.description,
      `${metric} of the selected checkpoint, mean ± std over seeds; steps, images and training seconds are means per job.`,
    ],
    tables: [
      {
        caption: `${spec.title} (${spec.study})`,
        columns: ['Variant', ...summary.heldOutDomains, 'Average', 'steps', 'images', 'seconds'],
        rows,
      },
    ],
    ...(finished.length === 0
      ? {}
      : numeric
        ? {
            lineCharts: [
              {
                title: plotTitle,
                xLabel: spec.axis?.label ?? '',
                yLabel: metric,
                xScale: spec.axis?.scale ?? 'linear',
                series: [
                  {
                    name: 'average',
                    x: finished.map((v) => v.value as number),
                    y: finished.map((v) => (average(v.label) as SummaryStat).mean),
                  },
                  ...summary.heldOutDomains.map((d) => ({
                    name: d,
                    x: spec.variants.map((v) => v.value as number),
                    y: spec.variants.map((v) => cell(v.label, d)?.mean ?? Number.NaN),
                    dash: '4 3',
                  })),
                ],
              },
            ],
          }
        : {
            dotCharts: [
              {
                title: plotTitle,
                valueLabel: `${metric} (mean ± std over seeds)`,
                rows: finished.map((v) => {
                  const a = average(v.label) as SummaryStat;
                  return { label: v.label, value: a.mean, error: a.std };
                }),
              },
            ],
          }),
  };
}

/**
 * What an ablation adds to its study report — title, note, its own section
 * first, and the `ablation` entry of `compare.json` — for `ablate` and for
 * `report` alike, so a rebuilt report is the same page.
 */
export function ablationReportExtras(ablation: AblationSummary, jobs: readonly JobDescription[]): StudyReportExtras {
  const { runs, summaries } = collectRuns(jobs);
  const summary = summarise(runs);
  const metric = mainMetric(summary.metrics);
  return {
    title: `MetaDG ablation: ${ablation.title}`,
    notes: [`Variants of one MFR run, everything else equal. ${ablation.description}`],
    sections: metric ? [ablationSection(ablation, summary, summaries, metric)] : [],
    json: { ablation },
  };
}
