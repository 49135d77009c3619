import { describe, expect, it } from 'vitest';
import type { KernelTiming } from './kernels.js';
import { bestOf, compareKernels, formatColumns, formatReport, ms, spread } from './report.js';
import { RESULT_SCHEMA, type BackendResult, type CaseResult } from './results.js';
import { summarize } from './stats.js';

const caseResult = (over: Partial<CaseResult>): CaseResult => ({
  network: 'reference',
  case: 'forward',
  variant: 'single thread',
  title: 'forward',
  what: 'x',
  images: 64,
  flops: 2e9,
  wallMs: summarize([100, 110, 90, 95, 105]),
  warmupMs: [130],
  gflopsPerS: 20,
  tensors: { initial: 10, before: 10, after: 10 },
  ...over,
});

const result = (cases: CaseResult[]): BackendResult => ({
  schema: RESULT_SCHEMA,
  date: '2025-01-02T03:04:05.000Z',
  backend: 'wasm',
  backendDescription: 'wasm (SIMD, 1 thread)',
  kernelSet: 'fast',
  machine: { cpus: 2, cpuModel: 'Test CPU', totalMemoryGB: 8, node: 'v20', platform: 'linux-x64', loadAverageStart: [0.5, 0, 0], loadAverageEnd: [0.7, 0, 0] },
  settings: { warmup: 2, runs: 5, budgetS: 240 },
  networks: [{ id: 'reference', title: 'the reference network', setup: 's', forwardFlopsPerImage: 1 }],
  cases,
  peakRssMB: 321,
  durationS: 10,
});

describe('report', () => {
  it('formats milliseconds and spreads', () => {
    expect(ms(12.345)).toBe('12.3');
    expect(ms(1234.6)).toBe('1,235');
    expect(spread(summarize([3, 1, 2]))).toBe('2.0 [1.0–3.0]');
  });

  it('aligns columns', () => {
    expect(formatColumns([['a', 'bb'], ['ccc', 'd']])).toBe('a    bb\nccc  d');
  });

  it('prints one row per case with median [min–max], GFLOP/s, skipped cases, leaks, RSS, load and unavailable backends', () => {
    const text = formatReport(
      [
        result([
          caseResult({}),
          caseResult({ case: 'mfr-second-order', title: 'MFR meta-step, 2nd order', tensors: { initial: 10, before: 10, after: 12 } }),
          caseResult({ case: 'erm-step', title: 'ERM step', wallMs: undefined, gflopsPerS: undefined, skipped: 'too slow', warmupMs: [250000] }),
        ]),
      ],
      [{ backend: 'tensorflow', reason: '@tensorflow/tfjs-node is not installed' }],
    );
    expect(text).toContain('reference: the reference network');
    expect(text).toMatch(/forward\s+100 \[90\.0–110\]\s+20\.0/);
    expect(text).toMatch(/MFR meta-step, 2nd order\s+100 \[90\.0–110\] ⚠ tensors \+2/);
    expect(text).toMatch(/ERM step\s+skipped \(1 run: 250,000\)/);
    expect(text).toContain('peak RSS: wasm (fast kernels) 321 MB');
    expect(text).toContain('wasm (fast kernels) 0.5→0.7');
    expect(text).toContain('tensorflow: unavailable (@tensorflow/tfjs-node is not installed)');
  });

  it('pairs fast and baseline kernel timings: speedup and checksum agreement', () => {
    const timing = (id: string, median: number, checksum: number): KernelTiming => ({
      id,
      kernel: 'Conv2DBackpropInput',
      shape: 's',
      flops: 1e9,
      checksum,
      wallMs: summarize([median, median]),
    });
    const [k] = compareKernels([timing('a', 10, 100)], [timing('a', 80, 100.001)]);
    expect(k?.speedup).toBe(8);
    expect(k?.checksumRelativeDifference).toBeCloseTo(1e-5, 8);
    expect(compareKernels([timing('b', 10, 1)], undefined)[0]?.baseline).toBeUndefined();
  });

  it('bestOf keeps, per kernel, the run with the lowest median', () => {
    const t = (id: string, median: number): KernelTiming => ({ id, kernel: 'Sum', shape: 's', flops: 1, checksum: 1, wallMs: summarize([median]) });
    const best = bestOf([
      [t('a', 5), t('b', 9)],
      [t('a', 7), t('b', 3)],
    ]);
    expect(best.map((k) => [k.id, k.wallMs?.median])).toEqual([
      ['a', 5],
      ['b', 3],
    ]);
  });
});
