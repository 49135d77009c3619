import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { measure } from './measure.js';

describe('measure', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: () => {} });
  });

  it('runs the warm-ups, then the timed runs, and counts tensors around them', async () => {
    let calls = 0;
    const kept: tf.Tensor[] = [];
    const m = await measure(
      async () => {
        calls++;
        // State created lazily by the first run (like optimizer slots) is not a leak.
        if (kept.length === 0) kept.push(tf.scalar(1));
        tf.tidy(() => {
          tf.add(tf.ones([4]), 1);
        });
      },
      { warmup: 2, runs: 5, budgetS: 1e6 },
    );
    expect(calls).toBe(7);
    expect(m.warmupMs).toHaveLength(2);
    expect(m.wallMs?.samples).toHaveLength(5);
    expect(m.cpuMs?.samples).toHaveLength(5);
    expect(m.tensors.after).toBe(m.tensors.before);
    expect(m.tensors.before).toBe(m.tensors.initial + 1);
    expect(m.skipped).toBeUndefined();
    tf.dispose(kept);
  });

  it('reports a leak as after > before', async () => {
    const leaked: tf.Tensor[] = [];
    const m = await measure(async () => void leaked.push(tf.scalar(2)), { warmup: 1, runs: 3, budgetS: 1e6 });
    expect(m.tensors.after - m.tensors.before).toBe(3);
    tf.dispose(leaked);
  });

  it('skips the timed runs when the first run shows they cannot fit the budget', async () => {
    let calls = 0;
    const m = await measure(async () => void calls++, { warmup: 2, runs: 5, budgetS: 1e-12 });
    expect(calls).toBe(1);
    expect(m.wallMs).toBeUndefined();
    expect(m.skipped).toMatch(/5 timed runs would exceed the 1e-12 s budget/);
  });
});
