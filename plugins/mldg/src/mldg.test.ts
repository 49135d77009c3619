import * as tf from '@tensorflow/tfjs-core';
import { PluginError, validateHparams, type PairBatch, type ParamMap } from '@metadg/core';
import { buildParamSpace, createOuterOptimizer } from '@metadg/meta';
import { algorithmTestbed, numericGradientOfMap, relError, snapshot } from '@metadg/meta/testing';
import { initBackend } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { MldgOptimizer, mldgPlugin, type MldgOptions } from './mldg.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const sgd = { optimizer: 'sgd', lr: 0.1, momentum: 0, nesterov: false, weightDecay: 0 } as const;
const base: MldgOptions = { alpha: 0.3, beta: 0.7, order: 1, hessian: 'exact', fdStep: 1e-3 };

function mldg(bed: ReturnType<typeof algorithmTestbed>, options: MldgOptions) {
  const space = buildParamSpace(bed.backbone, [bed.loss]);
  return new MldgOptimizer({ backbone: bed.backbone, losses: [bed.loss], space }, options, createOuterOptimizer(space.variables, sgd));
}

/** The MLDG objective F(θ) = L_train(θ) + β L_test(θ − α∇L_train(θ)), written from the paper. */
function mldgObjective(bed: ReturnType<typeof algorithmTestbed>, alpha: number, beta: number) {
  const [train, test] = [bed.episode.splits[0]!.metaTrain, bed.episode.splits[0]!.metaTest] as [PairBatch[], PairBatch[]];
  return (params: ParamMap): tf.Scalar =>
    tf.tidy(() => {
      const keys = Object.keys(params);
      const g = tf.grads((...xs: tf.Tensor[]) => bed.objective(train, Object.fromEntries(keys.map((k, i) => [k, xs[i]!]))))(
        keys.map((k) => params[k]!),
      );
      const adapted = Object.fromEntries(keys.map((k, i) => [k, tf.sub(params[k]!, tf.mul(alpha, g[i]!))]));
      return tf.add(bed.objective(train, params), tf.mul(beta, bed.objective(test, adapted))) as tf.Scalar;
    });
}

async function updateOf(bed: ReturnType<typeof algorithmTestbed>, options: MldgOptions): Promise<Record<string, number[]>> {
  const before = snapshot(bed.theta);
  await mldg(bed, options).step(bed.episode);
  const after = snapshot(bed.theta);
  return Object.fromEntries(Object.keys(before).map((k) => [k, before[k]!.map((v, j) => (v - after[k]![j]!) / sgd.lr)]));
}

describe('MldgOptimizer', () => {
  it('second order: the update is the gradient of L_train(θ) + β L_test(θ − α∇L_train(θ)) (vs. finite differences)', async () => {
    const bed = algorithmTestbed(7);
    const numeric = numericGradientOfMap(mldgObjective(bed, base.alpha, base.beta), bed.theta);
    const g = await updateOf(bed, { ...base, order: 2 });
    for (const k of Object.keys(numeric)) expect(relError(g[k]!, numeric[k]!)).toBeLessThan(5e-3);
    bed.dispose();
  });

  it('first order (DomainBed): ∇L_train(θ) + β∇θ′L_test(θ′), which differs from second order', async () => {
    const bed = algorithmTestbed(8);
    const [train, test] = [bed.episode.splits[0]!.metaTrain, bed.episode.splits[0]!.metaTest] as [PairBatch[], PairBatch[]];
    const keys = Object.keys(bed.theta);
    const gradAt = (batches: PairBatch[], params: ParamMap) =>
      tf.grads((...xs: tf.Tensor[]) => bed.objective(batches, Object.fromEntries(keys.map((k, i) => [k, xs[i]!]))))(
        keys.map((k) => params[k]!),
      );
    const expected = tf.tidy(() => {
      const gTrain = gradAt(train, bed.theta);
      const adapted = Object.fromEntries(keys.map((k, i) => [k, tf.sub(bed.theta[k]!, tf.mul(base.alpha, gTrain[i]!))]));
      const gTest = gradAt(test, adapted);
      return Object.fromEntries(keys.map((k, i) => [k, Array.from(tf.add(gTrain[i]!, tf.mul(base.beta, gTest[i]!)).dataSync())]));
    });
    const numericSecond = numericGradientOfMap(mldgObjective(bed, base.alpha, base.beta), bed.theta);
    const g = await updateOf(bed, base);
    let differs = 0;
    for (const k of keys) {
      expect(relError(g[k]!, expected[k]!)).toBeLessThan(1e-4);
      differs = Math.max(differs, relError(g[k]!, numericSecond[k]!));
    }
    expect(differs).toBeGreaterThan(1e-2);
    bed.dispose();
  });

  it('reports L_train + β·L_test and keeps the tensor count flat', async () => {
    const bed = algorithmTestbed(9);
    const algo = mldg(bed, { ...base, order: 2 });
    const m = await algo.step(bed.episode);
    expect(m.loss).toBeCloseTo(m.parts['metaTrain/total']! + base.beta * m.parts['metaTest/total']!, 5);
    const count = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) await algo.step(bed.episode);
    expect(tf.memory().numTensors).toBe(count);
    algo.dispose();
    bed.dispose();
  });

  it('defaults to first order with β = 1 and names bad hyper-parameters', () => {
    const h = validateHparams(mldgPlugin, {});
    expect([h.order, h.beta]).toEqual([1, 1]);
    expect(() => validateHparams(mldgPlugin, { beta: -1 })).toThrow(new PluginError('PLUGIN_HPARAMS_INVALID', 'mldg', 'must be ≥ 0', 'beta'));
  });
});
