// The ResNet on the wasm backend: the default 112 px network runs, matches
// cpu, and differentiates twice (with the kernels @metadg/tensor installs).
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@metadg/core';
import { checkHessianVectorProduct, countFlops, randomDirection, traceFlops } from '@metadg/backbone-cnn';
import { initBackend } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { createResNet } from '../src/index.js';
import { paramsOf, seededBatch, smoothObjective } from './helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

describe('resnet on wasm', () => {
  it('runs the default network on a 112 px face crop; traced FLOPs equal the analytic count', async () => {
    const b = createResNet([112, 112, 3], {}, new Rng(1));
    const x = seededBatch(1, [112, 112, 3], 1);
    const y = tf.tidy(() => b.embed(x).arraySync());
    expect(y[0]).toHaveLength(128);
    expect(y[0]?.every(Number.isFinite)).toBe(true);
    expect((await traceFlops(b, 1)).total).toBe(countFlops(b, 1).total);
    b.dispose();
    x.dispose();
  });

  it('gives the same embeddings as cpu', async () => {
    const b = createResNet([32, 32, 3], { blocksPerStage: [1, 1, 1], baseChannels: 8, stemStride: 1, embeddingSize: 16 }, new Rng(2));
    const x = seededBatch(2, [32, 32, 3], 2);
    const onWasm = tf.tidy(() => b.embed(x).arraySync());
    await initBackend({ backend: 'cpu', log: () => {} });
    const onCpu = tf.tidy(() => b.embed(x).arraySync());
    await initBackend({ backend: 'wasm', log: () => {} });
    onWasm.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - (onCpu[i]?.[j] as number))).toBeLessThan(1e-4)));
    b.dispose();
    x.dispose();
  });

  it('second-order Hessian-vector products match finite differences', () => {
    const b = createResNet([16, 16, 3], { blocksPerStage: [1, 1], baseChannels: 4, stemStride: 1, groups: 2, activation: 'softplus', embeddingSize: 5 }, new Rng(3));
    const x = seededBatch(2, [16, 16, 3], 3);
    const params = paramsOf(b);
    const check = checkHessianVectorProduct(smoothObjective(b, x), params, randomDirection(params, new Rng(4)), 1e-2);
    expect(check.analyticNorm).toBeGreaterThan(1e-3);
    expect(check.relError).toBeLessThan(5e-3);
    b.dispose();
    x.dispose();
  });
});
