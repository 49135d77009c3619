import * as tf from '@tensorflow/tfjs-core';
import { NumericalError } from '@metadg/core';
import { buildParamSpace, createOuterOptimizer } from '@metadg/meta';
import { algorithmTestbed, relError, snapshot } from '@metadg/meta/testing';
import { initBackend } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErmOptimizer } from './erm.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const sgd = { optimizer: 'sgd', lr: 0.1, momentum: 0, nesterov: false, weightDecay: 0 } as const;

function erm(bed: ReturnType<typeof algorithmTestbed>) {
  const space = buildParamSpace(bed.backbone, [bed.loss]);
  return new ErmOptimizer({ backbone: bed.backbone, losses: [bed.loss], space }, createOuterOptimizer(space.variables, sgd));
}

describe('ErmOptimizer', () => {
  it('takes θ ← θ − lr·∇L(θ) on the pooled batches of every domain', async () => {
    const bed = algorithmTestbed(3);
    const before = snapshot(bed.theta);
    // Independent reference: gradient of the pooled objective, written without @metadg/meta.
    const keys = Object.keys(bed.theta);
    const grads = tf.grads((...xs: tf.Tensor[]) =>
      bed.objective(bed.episode.batches as never, Object.fromEntries(keys.map((k, i) => [k, xs[i]!]))),
    )(keys.map((k) => bed.theta[k]!));
    const expected = Object.fromEntries(keys.map((k, i) => [k, before[k]!.map((v, j) => v - 0.1 * grads[i]!.dataSync()[j]!)]));
    const metrics = await erm(bed).step(bed.episode);
    for (const k of keys) expect(relError(Array.from(bed.theta[k]!.dataSync()), expected[k]!)).toBeLessThan(1e-5);
    expect(metrics.images).toBe(3 * 2 * 3);
    expect(metrics.parts['pooled/pair']).toBeCloseTo(metrics.loss, 6);
    tf.dispose(grads);
    bed.dispose();
  });

  it('lowers the loss over steps and keeps the tensor count flat', async () => {
    const bed = algorithmTestbed(4);
    const algo = erm(bed);
    const first = await algo.step(bed.episode);
    const count = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 20; i++) last = await algo.step(bed.episode);
    expect(tf.memory().numTensors).toBe(count);
    expect(last.loss).toBeLessThan(first.loss);
    algo.dispose();
    bed.dispose();
  });

  it('refuses to update on a NaN, naming the loss, and leaves θ untouched', async () => {
    const bed = algorithmTestbed(5);
    bed.theta['loss/smooth-pair/s']!.assign(tf.scalar(Number.NaN));
    const before = snapshot(bed.theta);
    await expect(erm(bed).step(bed.episode)).rejects.toThrow(NumericalError);
    await expect(erm(bed).step(bed.episode)).rejects.toThrow(/smooth-pair/);
    expect(snapshot(bed.theta)).toEqual(before);
    bed.dispose();
  });

  it('needs a loss of the pooled phase', () => {
    const bed = algorithmTestbed(6);
    const metaOnly = { ...bed.loss, phases: ['meta-train'] as const };
    const space = buildParamSpace(bed.backbone, [metaOnly]);
    expect(() => new ErmOptimizer({ backbone: bed.backbone, losses: [metaOnly], space }, createOuterOptimizer(space.variables, sgd))).toThrow(
      'losses: no configured loss applies in the pooled phase, which the "erm" algorithm needs',
    );
    bed.dispose();
  });
});
