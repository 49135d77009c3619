import { describe, expect, it } from 'vitest';
import type { JobSummary } from './collect.js';
import { budgetSection, convergenceSection, CONVERGENCE_TITLE, mainMetric } from './report-sections.js';

function job(algorithm: string, seed: number, points: [number, number, number][], seconds = 2): JobSummary {
  return {
    algorithm,
    heldOut: 'serif',
    seed,
    key: `${algorithm}-${seed}`,
    steps: points.length,
    images: points.at(-1)?.[0] ?? 0,
    seconds,
    budget: { kind: 'images', value: 100 },
    selection: { method: 'training-domain', step: 1, images: 50, value: 0.9 },
    metrics: { auc: 0.8 + seed / 100 },
    evaluations: points.map(([images, validation, heldOut], i) => ({ step: i + 1, images, seconds: i, validation, heldOut })),
  };
}

describe('report sections', () => {
  const jobs = [
    job('MFR', 0, [[50, 0.6, 0.7], [100, 0.8, 0.9]], 3),
    job('MFR', 1, [[50, 0.4, 0.5], [100, 0.6, 0.7]], 5),
    job('ERM', 0, [[64, 0.5, 0.6], [128, 0.55, 0.65]]),
  ];

  it('draw the held-out metric and the validation metric against images seen, averaged over seeds', () => {
    const [section] = convergenceSection(jobs, ['MFR', 'ERM'], 'auc');
    expect(section?.title).toBe(CONVERGENCE_TITLE);
    const chart = section!.lineCharts![0]!;
    expect(chart.xLabel).toBe('Images seen');
    expect(chart.series.map((s) => s.name)).toEqual(['MFR', 'MFR · validation', 'ERM', 'ERM · validation']);
    const mfr = chart.series[0]!;
    expect(Array.from(mfr.x)).toEqual([50, 100]);
    expect(Array.from(mfr.y)).toEqual([0.6, 0.8]);
    expect(Array.from(chart.series[1]!.y).map((v) => Number(v.toFixed(12)))).toEqual([0.5, 0.7]);
    expect(Array.from(chart.series[2]!.x)).toEqual([64, 128]);
    // An algorithm keeps one colour for both of its lines.
    expect(chart.series[0]!.color).toBe(chart.series[1]!.color);
    expect(convergenceSection(jobs.map((j) => ({ ...j, evaluations: [] })), ['MFR', 'ERM'], 'auc')).toEqual([]);
  });

  it('list steps, images and seconds per contender and per job', () => {
    const section = budgetSection(jobs, undefined);
    const [perContender, perJob] = section.tables!;
    expect(perContender!.rows[0]).toEqual(['MFR', 50, 2, 100, '4.0 ± 1.4', 1]);
    expect(perJob!.columns).toEqual(['Algorithm', 'held out', 'seed', 'steps', 'images', 'seconds', 'selected step', 'auc']);
    expect(perJob!.rows[1]).toEqual(['MFR', 'serif', 1, 2, 100, '5.0', 1, '0.8100']);
  });

  it('lead with auc, else accuracy', () => {
    expect(mainMetric(['rank1', 'auc'])).toBe('auc');
    expect(mainMetric(['accuracy'])).toBe('accuracy');
    expect(mainMetric([])).toBeUndefined();
  });
});
