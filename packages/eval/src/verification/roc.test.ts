import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EvaluationError } from '../errors.js';
import { bruteForceRoc, mannWhitneyAuc, randomPairs } from '../../test/reference.js';
import { roc, rocAuc } from './roc.js';

describe('roc', () => {
  it('matches a hand-computed curve', () => {
    // Sorted by score: 0.9(+) 0.8(+) 0.7(−) 0.6(+) 0.55(−) 0.4(−); P = N = 3.
    // Cumulative TP: 1 2 2 3 3 3, FP: 0 0 1 1 2 3, each after one distinct score.
    const curve = roc({ scores: [0.6, 0.9, 0.4, 0.8, 0.55, 0.7], labels: [1, 1, 0, 1, 0, 0] });
    expect(curve.thresholds).toEqual([Infinity, 0.9, 0.8, 0.7, 0.6, 0.55, 0.4]);
    expect(curve.tpr).toEqual([0, 1 / 3, 2 / 3, 2 / 3, 1, 1, 1]);
    expect(curve.fpr).toEqual([0, 0, 0, 1 / 3, 1 / 3, 2 / 3, 1]);
    // Trapezoids: [0,1/3]×2/3 + [1/3,2/3]×1 + [2/3,1]×1 = 2/9 + 3/9 + 3/9.
    // Mann–Whitney: 0.9 and 0.8 beat all 3 negatives, 0.6 beats 2 → 8 of 9.
    expect(rocAuc(curve)).toBeCloseTo(8 / 9, 15);
  });

  it('gives one point per distinct score when scores tie', () => {
    // Three pairs tie at 0.5 (2 positives, 1 negative): one diagonal step.
    const curve = roc({ scores: [0.5, 0.5, 0.5, 0.2], labels: [1, 0, 1, 0] });
    expect(curve.thresholds).toEqual([Infinity, 0.5, 0.2]);
    expect(curve.tpr).toEqual([0, 1, 1]);
    expect(curve.fpr).toEqual([0, 0.5, 1]);
    // Trapezoids 0.5×(0+1)/2 + 0.5×(1+1)/2 = 0.75; Mann–Whitney: ties ½ + ½, wins 1 + 1 → 3/4.
    expect(rocAuc(curve)).toBe(0.75);
  });

  it('handles the extremes: perfect, reversed and constant scores', () => {
    expect(rocAuc(roc({ scores: [3, 2, 1, 0], labels: [1, 1, 0, 0] }))).toBe(1);
    expect(rocAuc(roc({ scores: [0, 1, 2, 3], labels: [1, 1, 0, 0] }))).toBe(0);
    const flat = roc({ scores: [0.3, 0.3, 0.3], labels: [1, 0, 0] });
    expect(flat).toEqual({ fpr: [0, 1], tpr: [0, 1], thresholds: [Infinity, 0.3] });
    expect(rocAuc(flat)).toBe(0.5);
  });

  it('accepts typed arrays (float32 scores as a model produces them)', () => {
    const curve = roc({ scores: new Float32Array([0.25, 0.75]), labels: new Uint8Array([0, 1]) });
    expect(curve.thresholds).toEqual([Infinity, 0.75, 0.25]);
  });

  it('agrees with a brute-force ROC and the Mann–Whitney AUC on random data with many ties', () => {
    for (const [seed, levels] of [
      [1, 4],
      [2, 10],
      [3, 1000],
      [4, 2],
    ] as const) {
      const { scores, labels } = randomPairs(seed, 300, levels);
      const curve = roc({ scores, labels });
      const brute = bruteForceRoc(scores, labels);
      expect(curve.thresholds).toEqual(brute.thresholds);
      expect(curve.fpr).toEqual(brute.fpr);
      expect(curve.tpr).toEqual(brute.tpr);
      expect(rocAuc(curve)).toBeCloseTo(mannWhitneyAuc(scores, labels), 12);
    }
  });

  it('rejects bad input with errors naming the field', () => {
    const bad = (scores: unknown, labels: unknown) => () =>
      roc({ scores: scores as number[], labels: labels as number[] });
    expect(bad([0.1, 0.2, 0.3, NaN], [1, 0, 1, 0])).toThrow('scores[3]: not a finite number (got NaN)');
    expect(bad([0.1, Infinity], [1, 0])).toThrow('scores[1]: not a finite number (got Infinity)');
    expect(bad([0.1, '0.2'], [1, 0])).toThrow('scores[1]: not a finite number (got "0.2")');
    expect(bad(Array(12).fill(0), Array(10).fill(1))).toThrow('labels: length 10 differs from scores length 12');
    expect(bad([1, 2, 3], [0, 1, 2])).toThrow('labels[2]: must be 0 or 1 (got 2)');
    expect(bad([1, 2, 3], [0, 1, true])).toThrow('labels[2]: must be 0 or 1 (got boolean)');
    expect(bad('0.1,0.2', [0, 1])).toThrow('scores: expected an array of numbers, got "0.1,0.2"');
    expect(bad([1, 2], [0, 0])).toThrow('labels: no positive (label 1) pairs among 2: ROC/AUC are undefined');
    expect(bad([1, 2], [1, 1])).toThrow('labels: no negative (label 0) pairs among 2: ROC/AUC are undefined');
    expect(bad([], [])).toThrow(/no positive/);
    try {
      bad([1, 2, 3], [0, 1, 2])();
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(EvaluationError);
      expect(err).toMatchObject({ name: 'EvaluationError', code: 'EVAL_INPUT_INVALID', field: 'labels[2]' });
    }
  });
});

describe('rocAuc', () => {
  it('integrates any monotone curve and rejects malformed ones', () => {
    expect(rocAuc({ fpr: [0, 1], tpr: [0, 1] })).toBe(0.5);
    expect(rocAuc({ fpr: [0, 0, 1], tpr: [0, 1, 1] })).toBe(1);
    expect(() => rocAuc({ fpr: [0, 1], tpr: [0] })).toThrow('roc.tpr: length 1 differs from roc.fpr length 2');
    expect(() => rocAuc({ fpr: [0], tpr: [0] })).toThrow('roc.fpr: a ROC curve needs at least 2 points, got 1');
    expect(() => rocAuc({ fpr: [0, 0.5, 0.2, 1], tpr: [0, 1, 1, 1] })).toThrow('roc.fpr[2]: FPR must be non-decreasing');
  });
});

describe('roc against scikit-learn', () => {
  it('reproduces roc_curve(drop_intermediate=False) and roc_auc_score', () => {
    const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/sklearn-roc.json', import.meta.url), 'utf8')) as {
      cases: { scores: number[]; labels: number[]; fpr: number[]; tpr: number[]; thresholdsAfterFirst: number[]; auc: number }[];
    };
    expect(fixture.cases).toHaveLength(3);
    for (const c of fixture.cases) {
      const curve = roc(c);
      expect(curve.thresholds).toEqual([Infinity, ...c.thresholdsAfterFirst]);
      expect(curve.fpr).toEqual(c.fpr);
      expect(curve.tpr).toEqual(c.tpr);
      expect(rocAuc(curve)).toBeCloseTo(c.auc, 14);
    }
  });
});
