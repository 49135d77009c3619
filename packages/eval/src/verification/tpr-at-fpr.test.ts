import { describe, expect, it } from 'vitest';
import { bruteForceRoc, randomPairs } from '../../test/reference.js';
import { roc } from './roc.js';
import { reportedFprTargets, tprAtFpr } from './tpr-at-fpr.js';

describe('tprAtFpr', () => {
  // Points (fpr, tpr): (0,0) (0,1/3) (0,2/3) (1/3,2/3) (1/3,1) (2/3,1) (1,1).
  const curve = roc({ scores: [0.9, 0.8, 0.7, 0.6, 0.55, 0.4], labels: [1, 1, 0, 1, 0, 0] });

  it('takes the largest TPR among points with FPR ≤ target (hand-computed)', () => {
    expect(tprAtFpr(curve, 0)).toBe(2 / 3); // points with fpr 0 reach tpr 2/3
    expect(tprAtFpr(curve, 0.2)).toBe(2 / 3); // 1/3 > 0.2 excludes the rest
    expect(tprAtFpr(curve, 1 / 3)).toBe(1); // FPR exactly at the target qualifies
    expect(tprAtFpr(curve, 1)).toBe(1);
  });

  it('returns 0 when no point qualifies', () => {
    expect(tprAtFpr({ fpr: [0.5, 1], tpr: [0.8, 1] }, 0.1)).toBe(0);
    // Every negative outscores every positive: only (0,0) is under 1e-3.
    expect(tprAtFpr(roc({ scores: [0, 1], labels: [1, 0] }), 1e-3)).toBe(0);
  });

  it('agrees with a brute-force scan on random data', () => {
    const { scores, labels } = randomPairs(7, 400, 50);
    const brute = bruteForceRoc(scores, labels);
    const c = roc({ scores, labels });
    for (const target of [0, 1e-3, 1e-2, 0.05, 0.1, 0.3, 1]) {
      const expected = Math.max(...brute.tpr.filter((_, i) => (brute.fpr[i] as number) <= target));
      expect(tprAtFpr(c, target)).toBe(expected);
    }
  });

  it('rejects targets outside [0, 1]', () => {
    expect(() => tprAtFpr(curve, -0.1)).toThrow('target: FPR target must be a number in [0, 1] (got -0.1)');
    expect(() => tprAtFpr(curve, NaN)).toThrow('target: FPR target must be a number in [0, 1] (got NaN)');
    expect(() => tprAtFpr(curve, 2)).toThrow(/target/);
  });
});

describe('reportedFprTargets', () => {
  it('adds 1e-4 only from 10 000 negatives on', () => {
    expect(reportedFprTargets(9999)).toEqual(['1e-1', '1e-2', '1e-3']);
    expect(reportedFprTargets(10000)).toEqual(['1e-1', '1e-2', '1e-3', '1e-4']);
  });
});
