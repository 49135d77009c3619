import { describe, expect, it } from 'vitest';
import type { RunResult } from './comparison-types.js';
import { summarise } from './summarise.js';

const run = (algorithm: string, heldOutDomain: string, seed: number, auc: number): RunResult => ({ algorithm, heldOutDomain, seed, metrics: { auc } });

describe('summarise', () => {
  it('aggregates mean ± sample std per domain and over domains per seed (hand-computed)', () => {
    const s = summarise([
      run('erm', 'A', 0, 0.8),
      run('erm', 'A', 1, 0.9),
      run('erm', 'B', 0, 0.6),
      run('erm', 'B', 1, 0.7),
      run('mfr', 'A', 0, 0.95),
      run('mfr', 'B', 0, 0.75),
      run('mfr', 'B', 1, 0.85), // seed 1 lacks domain A: not in mfr's average
    ]);
    expect(s.algorithms).toEqual(['erm', 'mfr']);
    expect(s.heldOutDomains).toEqual(['A', 'B']);
    expect(s.metrics).toEqual(['auc']);
    const cell = (a: string, d: string) => s.cells.find((c) => c.algorithm === a && c.heldOutDomain === d);
    // erm on A: mean(0.8, 0.9) = 0.85, sample std = √((0.05² + 0.05²)/1) = 0.0707…
    expect(cell('erm', 'A')).toMatchObject({ n: 2, seeds: [0, 1] });
    expect(cell('erm', 'A')!.mean).toBeCloseTo(0.85, 15);
    expect(cell('erm', 'A')!.std).toBeCloseTo(Math.SQRT2 * 0.05, 15);
    expect(cell('mfr', 'A')).toMatchObject({ mean: 0.95, std: 0, n: 1, seeds: [0] });
    // erm average: seed 0 → (0.8 + 0.6)/2 = 0.7, seed 1 → (0.9 + 0.7)/2 = 0.8 → 0.75 ± 0.0707.
    const ermAvg = s.averages.find((a) => a.algorithm === 'erm')!;
    expect(ermAvg.mean).toBeCloseTo(0.75, 15);
    expect(ermAvg.std).toBeCloseTo(Math.SQRT2 * 0.05, 15);
    // mfr average: only seed 0 covers both domains → (0.95 + 0.75)/2 = 0.85, n = 1.
    const mfrAvg = s.averages.find((a) => a.algorithm === 'mfr')!;
    expect(mfrAvg.mean).toBeCloseTo(0.85, 15);
    expect(mfrAvg).toMatchObject({ n: 1, seeds: [0], std: 0 });
  });

  it('omits the average when no seed covers every domain, and keeps metrics that only some runs have', () => {
    const s = summarise([
      { algorithm: 'x', heldOutDomain: 'A', seed: 0, metrics: { auc: 0.9, 'tpr@1e-4': 0.2 } },
      { algorithm: 'x', heldOutDomain: 'B', seed: 1, metrics: { auc: 0.8 } },
    ]);
    expect(s.metrics).toEqual(['auc', 'tpr@1e-4']);
    expect(s.averages).toEqual([]);
    expect(s.cells.filter((c) => c.metric === 'tpr@1e-4')).toHaveLength(1);
  });

  it('rejects malformed runs, naming the run', () => {
    expect(() => summarise([run('a', 'A', 0, 0.5), run('a', 'A', 0, 0.6)])).toThrow(
      'runs[1]: same algorithm "a", held-out domain "A" and seed 0 as runs[0]',
    );
    expect(() => summarise([run('a', 'A', 0, NaN)])).toThrow('runs[0].metrics.auc: not a finite number (got NaN)');
    expect(() => summarise([run('', 'A', 0, 0.5)])).toThrow('runs[0].algorithm: expected a non-empty string, got ""');
    expect(() => summarise([run('a', 'A', 0.5, 0.5)])).toThrow('runs[0].seed: expected an integer, got 0.5');
  });
});
