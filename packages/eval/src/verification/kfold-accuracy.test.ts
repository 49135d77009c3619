import { describe, expect, it } from 'vitest';
import { bruteForceKFold, randomPairs } from '../../test/reference.js';
import { contiguousFoldBounds, kFoldAccuracy } from './kfold-accuracy.js';

describe('kFoldAccuracy', () => {
  it('matches a hand-computed 2-fold case', () => {
    // Fold 0 = pairs 0..2: 0.9(+) 0.8(+) 0.7(−); fold 1 = pairs 3..5: 0.6(+) 0.55(−) 0.4(−).
    // Held-out fold 0: training 0.6(+) 0.55(−) 0.4(−) is perfect when accepting 0.6 only,
    //   threshold (0.6 + 0.55)/2 = 0.575; on fold 0, 0.7(−) is accepted → 2/3.
    // Held-out fold 1: training 0.9(+) 0.8(+) 0.7(−) is perfect at (0.8 + 0.7)/2 = 0.75;
    //   on fold 1, 0.6(+) is rejected → 2/3.
    const r = kFoldAccuracy({ scores: [0.9, 0.8, 0.7, 0.6, 0.55, 0.4], labels: [1, 1, 0, 1, 0, 0] }, { folds: 2 });
    expect(r.accuracies).toEqual([2 / 3, 2 / 3]);
    expect(r.thresholds[0]).toBeCloseTo(0.575, 15);
    expect(r.thresholds[1]).toBeCloseTo(0.75, 15);
    expect(r.mean).toBeCloseTo(2 / 3, 15);
    expect(r.std).toBe(0);
  });

  it('breaks ties in training accuracy toward the highest threshold; std is the population std', () => {
    // Fold 0: 0.3(+) 0.2(−); fold 1: 0.9(−) 0.1(+).
    // Held-out fold 0: on training {0.9(−), 0.1(+)} accepting nothing (+∞) and accepting
    //   everything (−∞) both get 1 of 2 right; +∞ wins the tie. On fold 0 that rejects
    //   0.3(+), keeps 0.2(−) right → 1/2.
    // Held-out fold 1: training {0.3(+), 0.2(−)} is perfect at 0.25; fold 1 gets 0.9(−)
    //   and 0.1(+) both wrong → 0. Mean 1/4, population std sqrt(((1/4)² + (1/4)²)/2) = 1/4.
    const r = kFoldAccuracy({ scores: [0.3, 0.2, 0.9, 0.1], labels: [1, 0, 0, 1] }, { folds: 2 });
    expect(r.thresholds).toEqual([Infinity, 0.25]);
    expect(r.accuracies).toEqual([0.5, 0]);
    expect(r.mean).toBe(0.25);
    expect(r.std).toBe(0.25);
  });

  it('returns −∞ when accepting every training pair is best', () => {
    // Held-out fold 1 (pair 2): training 0.2(+) 0.1(+) → accept all.
    const r = kFoldAccuracy({ scores: [0.2, 0.1, 0.5, 0.4], labels: [1, 1, 0, 0] }, { folds: 2 });
    expect(r.thresholds[1]).toBe(-Infinity);
    expect(r.accuracies[1]).toBe(0);
  });

  it('splits into contiguous folds sized like sklearn KFold', () => {
    // 23 = 3 folds of 3 + 7 folds of 2.
    expect(contiguousFoldBounds(23, 10)).toEqual([0, 3, 6, 9, 11, 13, 15, 17, 19, 21, 23]);
    expect(contiguousFoldBounds(20, 10)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
  });

  it('agrees with a brute-force threshold search on random data with ties', () => {
    for (const [seed, n, levels] of [
      [11, 200, 5],
      [12, 157, 20],
      [13, 300, 1000],
      [14, 45, 3],
    ] as const) {
      const { scores, labels } = randomPairs(seed, n, levels);
      const r = kFoldAccuracy({ scores, labels });
      const brute = bruteForceKFold(scores, labels, 10);
      expect(r.accuracies).toEqual(brute.accuracies);
      r.thresholds.forEach((t, f) => {
        if (Number.isFinite(t)) expect(t).toBeCloseTo(brute.thresholds[f] as number, 12);
        else expect(t).toBe(brute.thresholds[f]);
      });
    }
  });

  it('needs at least one pair per fold and a valid fold count', () => {
    const pairs = { scores: [0.1, 0.2, 0.3], labels: [0, 1, 1] };
    expect(() => kFoldAccuracy(pairs)).toThrow('scores: 10-fold accuracy needs at least 10 pairs, got 3');
    expect(() => kFoldAccuracy(pairs, { folds: 0 })).toThrow('folds: must be a positive integer (got 0)');
    expect(() => kFoldAccuracy(pairs, { folds: 1.5 })).toThrow('folds: must be a positive integer (got 1.5)');
    expect(kFoldAccuracy(pairs, { folds: 3 }).accuracies).toHaveLength(3);
  });
});
