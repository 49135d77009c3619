import { describe, expect, it } from 'vitest';
import { runSuite } from './suite.js';
import { CASE_IDS } from './workloads.js';

describe('runSuite', () => {
  it('records backend, machine and settings; once a case exceeds the budget the costlier ones are not started', async () => {
    const lines: string[] = [];
    const out = await runSuite({
      backend: 'wasm',
      networks: ['app'],
      cases: [...CASE_IDS],
      timing: { warmup: 1, runs: 5, budgetS: 1e-9 },
      kernelsOnly: false,
      threads: [1],
      log: (line) => lines.push(line),
    });
    const r = out.result;
    expect(r.backend).toBe('wasm');
    expect(r.kernelSet).toBe('fast');
    expect(r.settings).toEqual({ warmup: 1, runs: 5, budgetS: 1e-9 });
    expect(r.machine.cpus).toBeGreaterThan(0);
    expect(r.machine.loadAverageStart).toHaveLength(3);
    expect(r.peakRssMB).toBeGreaterThan(0);
    expect(r.networks.map((n) => n.id)).toEqual(['app']);
    expect(r.cases.map((c) => c.case)).toEqual([...CASE_IDS]);
    const [forward, ...rest] = r.cases;
    expect(forward?.skipped).toMatch(/5 timed runs would exceed the 1e-9 s budget/);
    expect(forward?.warmupMs).toHaveLength(1);
    for (const c of rest) {
      expect(c.skipped).toBe('not run: the cheaper case "forward" already exceeded the budget');
      expect(c.wallMs).toBeUndefined();
    }
    expect(lines[0]).toMatch(/^metadg: tensor backend wasm/);
  });
});

describe('runSuite with the backbone sharded over threads', () => {
  it('times each case once per thread count, labels the variant, and keeps the single-thread FLOPs and a flat tensor count', async () => {
    const out = await runSuite({
      backend: 'wasm',
      networks: ['app'],
      cases: ['first-order-step'],
      timing: { warmup: 1, runs: 1, budgetS: 120 },
      kernelsOnly: false,
      threads: [1, 2],
      log: () => {},
    });
    const [single, sharded] = out.result.cases;
    expect(single?.variant).toBe('single thread');
    expect(sharded?.variant).toBe('2 threads (sharded backbone)');
    expect(sharded?.wallMs?.median).toBeGreaterThan(0);
    expect(sharded?.flops).toBe(single?.flops);
    expect(sharded?.tensors.after).toBe(sharded?.tensors.before);
    expect(out.result.networks.map((n) => n.id)).toEqual(['app']);
  }, 120_000);
});
