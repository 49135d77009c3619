import * as tf from '@tensorflow/tfjs-core';
import { countParams } from '@metadg/backbone-cnn';
import { initBackend } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { kernelCases } from './kernels.js';
import { appWorkload, CASE_IDS, referenceSetup, referenceWorkload } from './workloads.js';

describe('bench workloads', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: () => {} });
  });

  it('the reference setup is the fixed network of TFJS-NOTES, seeded (two builds are identical)', () => {
    const a = referenceSetup();
    const b = referenceSetup();
    try {
      expect(countParams(a.backbone)).toBe(224_448);
      expect(a.backbone.network.flops).toBe(17_475_712);
      expect(a.metaTrain.x.shape).toEqual([64, 64, 64, 3]);
      expect(a.metaTest.x.shape).toEqual([64, 64, 64, 3]);
      expect(a.model.space.keys).toContain('loss/soft-classification/W');
      expect((a.model.space.variables['loss/soft-classification/W'] as tf.Variable).shape).toEqual([100, 128]);
      for (const key of a.model.space.keys) {
        expect(Array.from((a.model.space.variables[key] as tf.Variable).dataSync())).toEqual(Array.from((b.model.space.variables[key] as tf.Variable).dataSync()));
      }
      expect(Array.from(a.metaTest.labels.dataSync())).toEqual(Array.from(b.metaTest.labels.dataSync()));
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('the reference workload has the five cases, with the images the issue specifies', () => {
    const w = referenceWorkload();
    try {
      expect(w.cases.map((c) => c.id)).toEqual([...CASE_IDS]);
      expect(w.cases.map((c) => [c.id, c.images])).toEqual([
        ['forward', 64],
        ['first-order-step', 64],
        ['erm-step', 128],
        ['mfr-first-order', 128],
        ['mfr-second-order', 128],
      ]);
    } finally {
      w.dispose();
    }
  });

  it('every app-network case runs and keeps the tensor count flat after its first run', async () => {
    const w = appWorkload();
    try {
      expect(w.cases.map((c) => c.images)).toEqual([96, 96, 96, 96, 96]);
      for (const c of w.cases) {
        await c.run(); // creates optimizer slots once
        const before = tf.memory().numTensors;
        await c.run();
        expect(tf.memory().numTensors, c.id).toBe(before);
      }
    } finally {
      w.dispose();
    }
  });

  it('kernel micro-benchmark cases: FLOPs of the reference layers (hand-computed for conv2)', () => {
    const byId = Object.fromEntries(kernelCases().map((c) => [c.id, c]));
    // conv2: 64 images × 16·16 outputs × 64 filters × 3·3·32 taps × 2.
    const conv2 = 2 * 64 * 16 * 16 * 64 * 9 * 32;
    expect(byId['Conv2DBackpropInput/conv2']?.flops).toBe(conv2);
    expect(byId['Conv2DBackpropFilter/conv2']?.flops).toBe(conv2);
    expect(byId['Conv2D/conv2']?.flops).toBe(conv2);
    expect(byId['BatchMatMul/dense-dW']?.attrs).toEqual({ transposeA: true, transposeB: false });
  });
});
