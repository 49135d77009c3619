import { describe, expect, it } from 'vitest';
import { randomPairs } from '../../test/reference.js';
import { averageRocs } from './average-roc.js';
import { roc, rocAuc } from './roc.js';

describe('averageRocs', () => {
  it('returns a single curve unchanged (collinear repeats aside)', () => {
    const c = roc({ scores: [0.9, 0.8, 0.7, 0.6, 0.55, 0.4], labels: [1, 1, 0, 1, 0, 0] });
    // (0,0) (0,1/3) (0,2/3) …: the middle point of the vertical rise at FPR 0 is collinear.
    expect(averageRocs([c])).toEqual({ fpr: [0, 0, 1 / 3, 1 / 3, 2 / 3, 1], tpr: [0, 2 / 3, 2 / 3, 1, 1, 1] });
  });

  it('averages vertically (hand-computed)', () => {
    // Perfect curve (0,0)(0,1)(1,1) and chance diagonal (0,0)(1,1).
    // At FPR 0: the perfect curve spans TPR 0…1, the diagonal is at 0 → average 0…0.5.
    // At FPR 1: both at 1. Area: trapezoid (0.5 + 1)/2 = 0.75 = mean of 1 and 0.5.
    const avg = averageRocs([
      { fpr: [0, 0, 1], tpr: [0, 1, 1] },
      { fpr: [0, 1], tpr: [0, 1] },
    ]);
    expect(avg).toEqual({ fpr: [0, 0, 1], tpr: [0, 0.5, 1] });
    // Interpolation between a curve's points: the diagonal at FPR 0.5 is 0.5; the step curve is 1.
    expect(averageRocs([{ fpr: [0, 0.5, 1], tpr: [0, 1, 1] }, { fpr: [0, 1], tpr: [0, 1] }])).toEqual({
      fpr: [0, 0.5, 1],
      tpr: [0, 0.75, 1],
    });
  });

  it('preserves the mean AUC on random curves', () => {
    const curves = [1, 2, 3, 4].map((seed) => roc(randomPairs(seed, 150 + seed * 37, 8 + seed * 5)));
    const meanAuc = curves.reduce((s, c) => s + rocAuc(c), 0) / curves.length;
    expect(rocAuc(averageRocs(curves))).toBeCloseTo(meanAuc, 12);
  });

  it('rejects malformed input', () => {
    expect(() => averageRocs([])).toThrow('curves: no ROC curve to average');
    expect(() => averageRocs([{ fpr: [0, 1], tpr: [0] }])).toThrow('curves[0].tpr: length 1 differs from curves[0].fpr length 2');
    expect(() => averageRocs([{ fpr: [0, 0.6, 0.5], tpr: [0, 1, 1] }])).toThrow('curves[0].fpr[2]: FPR must be non-decreasing');
    expect(() => averageRocs([{ fpr: [0, NaN], tpr: [0, 1] }])).toThrow('curves[0]: point 1 is not finite');
  });
});
