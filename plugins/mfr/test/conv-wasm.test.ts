// The MFR meta-step with a convolutional backbone on the wasm backend: second
// order through conv layers (Conv2DBackpropFilter/Input gradients, wasm
// backprop kernels from @metadg/tensor) and no tensor leak over many steps.
import * as tf from '@tensorflow/tfjs-core';
import { Rng, type Episode, type PairBatch } from '@metadg/core';
import { initBackend } from '@metadg/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildParamSpace, createOuterOptimizer, phaseObjective, type ObjectiveModel } from '@metadg/meta';
import {
  MfrMetaOptimizer,
  createDomainAlignmentLoss,
  createHardPairLoss,
  createSoftClassificationLoss,
  mfrMetaGradient,
} from '../src/index.js';
import { convBackbone, disposeBatch, randomPairBatch, relError, values } from './helpers.js';

const SHAPE = [8, 8, 1] as const;
let batches: PairBatch[] = [];
let episode: Episode;

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
  const rng = new Rng(21);
  batches = [randomPairBatch('a', [0, 1, 2, 3], SHAPE, rng), randomPairBatch('b', [4, 5, 0, 1], SHAPE, rng), randomPairBatch('c', [2, 3, 4, 5], SHAPE, rng)];
  episode = { step: 0, batches, splits: [{ metaTrain: batches.slice(0, 2), metaTest: batches.slice(2) }] };
});
afterAll(() => batches.forEach(disposeBatch));

function model(activation: 'relu' | 'tanh'): ObjectiveModel {
  const backbone = convBackbone(SHAPE, 8, { activation });
  const losses = [
    createHardPairLoss({ tau: 0.3 }),
    createSoftClassificationLoss({ classes: 6, embeddingSize: 8, scale: 8, rng: new Rng(3) }),
    createDomainAlignmentLoss({ scale: 1 }),
  ];
  return { backbone, losses, space: buildParamSpace(backbone, losses) };
}

function release(m: ObjectiveModel): void {
  m.losses.forEach((l) => l.dispose());
  m.backbone.dispose();
}

describe('MFR with a conv backbone on wasm', () => {
  it('exact second-order meta-gradient agrees with the finite-difference Hessian (tanh convs)', () => {
    const m = model('tanh');
    const lossS = (p: Record<string, tf.Tensor>): tf.Scalar => phaseObjective(m, episode.splits[0]!.metaTrain, p, 'meta-train');
    const lossT = (p: Record<string, tf.Tensor>): tf.Scalar => phaseObjective(m, episode.splits[0]!.metaTest, p, 'meta-test');
    const base = { alpha: 0.5, gamma: 0, order: 2 as const, fdStep: 1e-3 };
    const exact = mfrMetaGradient(lossS, lossT, m.space.variables, { ...base, hessian: 'exact' });
    const fd = mfrMetaGradient(lossS, lossT, m.space.variables, { ...base, hessian: 'finite-difference' });
    const first = mfrMetaGradient(lossS, lossT, m.space.variables, { ...base, order: 1, hessian: 'exact' });
    for (const key of ['backbone/k1', 'backbone/k2', 'backbone/dense']) {
      // Measured ≈ 3e-4 (the finite-difference Hessian's own float32 error).
      expect(relError(values(exact[key]!), values(fd[key]!))).toBeLessThan(2e-3);
      // …and the Hessian term is not negligible here, so the agreement means something.
      expect(relError(values(first[key]!), values(exact[key]!))).toBeGreaterThan(5e-2);
    }
    tf.dispose([...Object.values(exact), ...Object.values(fd), ...Object.values(first)]);
    release(m);
  });

  it('keeps tf.memory().numTensors flat over 200 second-order steps', async () => {
    const m = model('relu');
    const algorithm = new MfrMetaOptimizer(
      m,
      { alpha: 0.05, gamma: 0.5, order: 2, hessian: 'exact', fdStep: 1e-3 },
      createOuterOptimizer(m.space.variables, { optimizer: 'momentum', lr: 0.01, momentum: 0.9, nesterov: false, weightDecay: 5e-4 }),
    );
    const first = await algorithm.step(episode);
    const before = tf.memory().numTensors;
    let last = first;
    for (let i = 1; i < 200; i++) last = await algorithm.step({ ...episode, step: i });
    expect(tf.memory().numTensors).toBe(before);
    // Training on one fixed episode must make progress.
    expect(last.loss).toBeLessThan(first.loss);
    algorithm.dispose();
    release(m);
  });
});
