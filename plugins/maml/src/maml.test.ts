import * as tf from '@tensorflow/tfjs-core';
import { PluginError, validateHparams, type PairBatch, type ParamMap } from '@metadg/core';
import { buildParamSpace, createOuterOptimizer } from '@metadg/meta';
import { algorithmTestbed, numericGradientOfMap, relError, snapshot } from '@metadg/meta/testing';
import { initBackend } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { MamlOptimizer, mamlPlugin, type MamlOptions } from './maml.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const sgd = { optimizer: 'sgd', lr: 0.1, momentum: 0, nesterov: false, weightDecay: 0 } as const;
const base: MamlOptions = { alpha: 0.3, innerSteps: 2, order: 2, hessian: 'exact', fdStep: 1e-3 };

function maml(bed: ReturnType<typeof algorithmTestbed>, options: MamlOptions) {
  const space = buildParamSpace(bed.backbone, [bed.loss]);
  return new MamlOptimizer({ backbone: bed.backbone, losses: [bed.loss], space }, options, createOuterOptimizer(space.variables, sgd));
}

/** F(θ) = L_query(θ_K) with θ_{k+1} = θ_k − α∇L_support(θ_k), written from the paper. */
function mamlObjective(bed: ReturnType<typeof algorithmTestbed>, alpha: number, steps: number) {
  const [support, query] = [bed.episode.splits[0]!.metaTrain, bed.episode.splits[0]!.metaTest] as [PairBatch[], PairBatch[]];
  return (params: ParamMap): tf.Scalar =>
    tf.tidy(() => {
      const keys = Object.keys(params);
      let p: ParamMap = params;
      for (let k = 0; k < steps; k++) {
        const current = p;
        const g = tf.grads((...xs: tf.Tensor[]) => bed.objective(support, Object.fromEntries(keys.map((key, i) => [key, xs[i]!]))))(
          keys.map((key) => current[key]!),
        );
        p = Object.fromEntries(keys.map((key, i) => [key, tf.sub(current[key]!, tf.mul(alpha, g[i]!))]));
      }
      return bed.objective(query, p);
    });
}

async function updateOf(bed: ReturnType<typeof algorithmTestbed>, options: MamlOptions): Promise<Record<string, number[]>> {
  const before = snapshot(bed.theta);
  await maml(bed, options).step(bed.episode);
  const after = snapshot(bed.theta);
  return Object.fromEntries(Object.keys(before).map((k) => [k, before[k]!.map((v, j) => (v - after[k]![j]!) / sgd.lr)]));
}

describe('MamlOptimizer', () => {
  for (const hessian of ['exact', 'finite-difference'] as const) {
    it(`second order through 2 inner steps (${hessian} Hessian) matches finite differences of L_query(θ_K(θ))`, async () => {
      const bed = algorithmTestbed(11);
      const numeric = numericGradientOfMap(mamlObjective(bed, base.alpha, 2), bed.theta);
      const g = await updateOf(bed, { ...base, hessian });
      for (const k of Object.keys(numeric)) expect(relError(g[k]!, numeric[k]!)).toBeLessThan(5e-3);
      bed.dispose();
    });
  }

  it('first order (FOMAML) uses ∇L_query at θ_K and differs measurably', async () => {
    const bed = algorithmTestbed(12);
    const numeric = numericGradientOfMap(mamlObjective(bed, base.alpha, 2), bed.theta);
    const g = await updateOf(bed, { ...base, order: 1 });
    const worst = Math.max(...Object.keys(numeric).map((k) => relError(g[k]!, numeric[k]!)));
    expect(worst).toBeGreaterThan(1e-2);
    bed.dispose();
  });

  it('reports the query loss and keeps the tensor count flat', async () => {
    const bed = algorithmTestbed(13);
    const algo = maml(bed, base);
    const m = await algo.step(bed.episode);
    expect(m.loss).toBe(m.parts['metaTest/total']);
    const count = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) await algo.step(bed.episode);
    expect(tf.memory().numTensors).toBe(count);
    algo.dispose();
    bed.dispose();
  });

  it('names bad hyper-parameters', () => {
    expect(validateHparams(mamlPlugin, {}).innerSteps).toBe(1);
    expect(() => validateHparams(mamlPlugin, { innerSteps: 0 })).toThrow(
      new PluginError('PLUGIN_HPARAMS_INVALID', 'maml', 'must be ≥ 1', 'innerSteps'),
    );
  });
});
