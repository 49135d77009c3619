import { describe, expect, it } from 'vitest';
import { mean, standardDeviation } from './stats.js';

describe('stats', () => {
  it('computes mean and population/sample std (hand-computed)', () => {
    // [2, 4, 4, 4, 5, 5, 7, 9]: mean 5, squared deviations sum 32 → pop. var 4, sample var 32/7.
    const x = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(x)).toBe(5);
    expect(standardDeviation(x, 0)).toBe(2);
    expect(standardDeviation(x, 1)).toBeCloseTo(Math.sqrt(32 / 7), 15);
  });

  it('reports no spread for a single value', () => {
    expect(standardDeviation([0.9], 1)).toBe(0);
    expect(standardDeviation([0.9], 0)).toBe(0);
  });
});
