import { describe, expect, it } from 'vitest';
import { quantile, summarize } from './stats.js';

describe('stats', () => {
  it('summarize: median, extremes and quartiles of a hand-computed sample', () => {
    // sorted: 1 2 3 4 10 → median 3; q1 at position 1 → 2; q3 at position 3 → 4.
    const s = summarize([10, 2, 4, 1, 3]);
    expect(s).toEqual({ median: 3, min: 1, max: 10, q1: 2, q3: 4, samples: [10, 2, 4, 1, 3] });
  });

  it('quantile interpolates between neighbours (numpy linear)', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([7], 0.9)).toBe(7);
  });

  it('rejects empty or non-finite samples and q outside [0, 1]', () => {
    expect(() => summarize([])).toThrow(/no samples/);
    expect(() => summarize([1, Number.NaN])).toThrow(/non-finite/);
    expect(() => quantile([1], 1.5)).toThrow(/q must be in \[0, 1\]/);
  });
});
