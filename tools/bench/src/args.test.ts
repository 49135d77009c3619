import { describe, expect, it } from 'vitest';
import { BENCH_BACKENDS, parseArgs } from './args.js';
import { CASE_IDS, NETWORK_IDS } from './workloads.js';

describe('parseArgs', () => {
  it('defaults: every backend, network and case, 7 runs after 2 warm-ups, kernels on', () => {
    const o = parseArgs([]);
    expect(o.backends).toEqual([...BENCH_BACKENDS]);
    expect(o.networks).toEqual([...NETWORK_IDS]);
    expect(o.cases).toEqual([...CASE_IDS]);
    expect([o.runs, o.warmup, o.budgetS, o.kernels, o.baseline, o.threads, o.outDir]).toEqual([7, 2, 240, true, false, 2, 'bench/results']);
  });

  it('reads every flag', () => {
    const o = parseArgs(['--backends', 'wasm', '--networks', 'reference', '--cases', 'forward,erm-step', '--runs', '5', '--warmup', '1', '--budget', '30', '--no-kernels', '--baseline', '--threads', '3', '--out', '/tmp/x']);
    expect(o).toMatchObject({ backends: ['wasm'], networks: ['reference'], cases: ['forward', 'erm-step'], runs: 5, warmup: 1, budgetS: 30, kernels: false, baseline: true, threads: 3, outDir: '/tmp/x' });
  });

  it('errors name the flag and the allowed values', () => {
    expect(() => parseArgs(['--backends', 'gpu'])).toThrow(/--backends: unknown value "gpu" \(choose from tensorflow-gpu, tensorflow, wasm, cpu\)/);
    expect(() => parseArgs(['--runs', '0'])).toThrow(/--runs: expected a positive integer, got "0"/);
    expect(() => parseArgs(['--runs'])).toThrow(/--runs: missing value/);
    expect(() => parseArgs(['--cases', ''])).toThrow(/--cases: empty list/);
    expect(() => parseArgs(['--fast'])).toThrow(/unknown option "--fast"/);
  });
});
