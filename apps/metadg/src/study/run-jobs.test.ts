import { describe, expect, it } from 'vitest';
import { oversubscription } from './run-jobs.js';

describe('oversubscription', () => {
  it('warns when the jobs running at once times their threads exceed the cores', () => {
    expect(oversubscription(2, [2, 2, 2], 2)).toBe('2 job(s) at a time × 2 threads each on 2 cores: the threads compete for the cores (lower compare.workers or threads)');
    // In-process jobs (workers 0) run one at a time.
    expect(oversubscription(0, [2, 2], 2)).toBeUndefined();
    expect(oversubscription(0, [3], 2)).toMatch(/1 job\(s\) at a time × 3 threads each on 2 cores/);
  });
  it('is silent for single-threaded jobs, for no jobs and when the cores suffice', () => {
    expect(oversubscription(2, [1, 1], 2)).toBeUndefined();
    expect(oversubscription(2, [], 2)).toBeUndefined();
    expect(oversubscription(2, [2, 2], 4)).toBeUndefined();
    expect(oversubscription(4, [2], 2)).toBeUndefined();
  });
});
