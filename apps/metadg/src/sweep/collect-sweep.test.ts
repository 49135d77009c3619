import { describe, expect, it } from 'vitest';
import type { JobSummary } from '../study/collect.js';
import { selectTrials } from './collect-sweep.js';

function job(algorithm: string, heldOut: string, seed: number, trial: number, validation: number): JobSummary {
  return {
    algorithm,
    heldOut,
    seed,
    trial,
    key: `${algorithm}-t${trial}-${heldOut}-s${seed}`,
    steps: 10,
    images: 100,
    seconds: 1,
    budget: { kind: 'steps', value: 10 },
    selection: { method: 'training-domain', step: 10, images: 100, value: validation },
    metrics: { auc: 0.5 + trial / 10 },
    evaluations: [],
  };
}

describe('selectTrials', () => {
  it('picks, per (algorithm, held-out domain, seed), the trial with the best score; ties go to the lower trial', () => {
    const jobs = [
      job('MFR', 'serif', 0, 0, 0.7),
      job('MFR', 'serif', 0, 1, 0.9),
      job('MFR', 'serif', 0, 2, 0.8),
      job('MFR', 'serif', 1, 0, 0.6),
      job('MFR', 'serif', 1, 1, 0.6),
      job('ERM', 'serif', 0, 2, 0.5),
      job('ERM', 'serif', 0, 1, 0.75),
    ];
    const choices = selectTrials(jobs, (s) => s.selection.value);
    expect(choices.map((c) => [c.algorithm, c.heldOut, c.seed, c.trial, c.score])).toEqual([
      ['MFR', 'serif', 0, 1, 0.9],
      ['MFR', 'serif', 1, 0, 0.6],
      ['ERM', 'serif', 0, 1, 0.75],
    ]);
    expect(choices[0]!.key).toBe('MFR-t1-serif-s0');
  });

  it('skips jobs without a score', () => {
    const jobs = [job('MFR', 'serif', 0, 0, 0.7), job('MFR', 'serif', 0, 1, 0.9)];
    expect(selectTrials(jobs, (s) => (s.trial === 1 ? undefined : s.selection.value)).map((c) => c.trial)).toEqual([0]);
    expect(selectTrials(jobs, () => undefined)).toEqual([]);
  });
});
