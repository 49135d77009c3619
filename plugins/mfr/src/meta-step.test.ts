import * as tf from '@tensorflow/tfjs-core';
import {
  ConfigError,
  DataError,
  NumericalError,
  PluginError,
  Rng,
  validateHparams,
  type Backbone,
  type Episode,
  type Loss,
  type PairBatch,
} from '@metadg/core';
import { initBackend } from '@metadg/tensor';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { denseBackbone, disposeBatch, randomPairBatch, relError, values } from '../test/helpers.js';
import { createDomainAlignmentLoss } from './losses/domain-alignment.js';
import { createHardPairLoss } from './losses/hard-pair.js';
import { createSoftClassificationLoss } from './losses/soft-classification.js';
import { mfrMetaGradient, type MetaGradientOptions } from './meta-gradient.js';
import { MfrMetaOptimizer, mfrPlugin } from './meta-step.js';
import { phaseObjective, type ObjectiveModel, createOuterOptimizer, type OuterOptimizerHparams, buildParamSpace } from '@metadg/meta';

const SHAPE = [2, 2, 1] as const;
const B = 3;
const OPTIONS: MetaGradientOptions = { alpha: 0.2, gamma: 0.5, order: 2, hessian: 'exact', fdStep: 1e-3 };
const SGD: OuterOptimizerHparams = { optimizer: 'sgd', lr: 0.1, momentum: 0, nesterov: false, weightDecay: 0 };

let owned: { dispose(): void }[] = [];
let batches: PairBatch[] = [];

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

afterEach(() => {
  owned.forEach((o) => o.dispose());
  batches.forEach(disposeBatch);
  owned = [];
  batches = [];
});

function setup(extraLosses: Loss[] = [], hp: OuterOptimizerHparams = SGD, options = OPTIONS) {
  const backbone: Backbone = denseBackbone(SHAPE, 4, 3);
  const losses = [
    createHardPairLoss({ tau: 0.1 }),
    createSoftClassificationLoss({ classes: 5, embeddingSize: 3, scale: 4, rng: new Rng(2) }),
    createDomainAlignmentLoss({ scale: 2 }),
    ...extraLosses,
  ];
  const space = buildParamSpace(backbone, losses);
  const model: ObjectiveModel = { backbone, losses, space };
  const algorithm = new MfrMetaOptimizer(model, options, createOuterOptimizer(space.variables, hp));
  owned.push(algorithm, backbone, ...losses);
  const rng = new Rng(11);
  batches = [randomPairBatch('a', [0, 1, 2], SHAPE, rng), randomPairBatch('b', [3, 4, 0], SHAPE, rng), randomPairBatch('c', [1, 3, 4], SHAPE, rng)];
  const episode: Episode = { step: 0, batches, splits: [{ metaTrain: batches.slice(0, 2), metaTest: batches.slice(2) }] };
  return { model, algorithm, episode };
}

const snapshot = (model: ObjectiveModel): Record<string, number[]> =>
  Object.fromEntries(Object.entries(model.space.variables).map(([k, v]) => [k, values(v)]));

function expectedDirection(model: ObjectiveModel, episode: Episode, options = OPTIONS): Record<string, number[]> {
  const per = episode.splits.map((split) => {
    const g = mfrMetaGradient(
      (p) => phaseObjective(model, split.metaTrain, p, 'meta-train'),
      (p) => phaseObjective(model, split.metaTest, p, 'meta-test'),
      model.space.variables,
      options,
    );
    const out = Object.fromEntries(Object.entries(g).map(([k, t]) => [k, values(t)]));
    tf.dispose(Object.values(g));
    return out;
  });
  return Object.fromEntries(
    Object.keys(per[0]!).map((k) => [k, per[0]![k]!.map((_, i) => per.reduce((s, g) => s + g[k]![i]!, 0) / per.length)]),
  );
}

describe('MfrMetaOptimizer', () => {
  it('updates θ ← θ − lr·g with g the MFR meta-gradient over backbone and loss parameters', async () => {
    const { model, algorithm, episode } = setup();
    const before = snapshot(model);
    const g = expectedDirection(model, episode);
    await algorithm.step(episode);
    const after = snapshot(model);
    expect(Object.keys(after)).toEqual(['backbone/W1', 'backbone/b1', 'backbone/W2', 'loss/soft-classification/W']);
    for (const k of Object.keys(after)) {
      const want = before[k]!.map((v, i) => v - 0.1 * g[k]![i]!);
      expect(relError(after[k]!, want)).toBeLessThan(1e-5);
      expect(relError(after[k]!, before[k]!)).toBeGreaterThan(1e-4);
    }
  });

  it('reports named parts, the meta objective γ·L_S + (1 − γ)·L_T and the images of the episode', async () => {
    const { algorithm, episode } = setup();
    const m = await algorithm.step(episode);
    for (const name of [
      'metaTrain/hardPair',
      'metaTrain/softCls',
      'metaTrain/domainAlign',
      'metaTrain/total',
      'metaTest/hardPair',
      'metaTest/softCls',
      'metaTest/total',
      'gradNorm',
    ]) {
      expect(Number.isFinite(m.parts[name])).toBe(true);
    }
    expect(m.parts['metaTest/domainAlign']).toBeUndefined();
    expect(m.loss).toBeCloseTo(0.5 * m.parts['metaTrain/total']! + 0.5 * m.parts['metaTest/total']!, 5);
    expect(m.images).toBe(3 * 2 * B);
  });

  it('averages the meta-gradient over every split of an all-splits episode', async () => {
    const { model, algorithm, episode } = setup();
    const [a, b, c] = batches as [PairBatch, PairBatch, PairBatch];
    const all: Episode = {
      ...episode,
      splits: [
        { metaTrain: [b, c], metaTest: [a] },
        { metaTrain: [a, c], metaTest: [b] },
        { metaTrain: [a, b], metaTest: [c] },
      ],
    };
    const before = snapshot(model);
    const g = expectedDirection(model, all);
    const single = expectedDirection(model, episode);
    expect(relError(g['backbone/W1']!, single['backbone/W1']!)).toBeGreaterThan(1e-3);
    await algorithm.step(all);
    const after = snapshot(model);
    for (const k of Object.keys(after)) expect(relError(after[k]!, before[k]!.map((v, i) => v - 0.1 * g[k]![i]!))).toBeLessThan(1e-5);
  });

  for (const options of [OPTIONS, { ...OPTIONS, order: 1 as const }, { ...OPTIONS, hessian: 'finite-difference' as const }]) {
    it(`keeps the tensor count flat across steps (order ${options.order}, ${options.hessian})`, async () => {
      const { algorithm, episode } = setup([], { ...SGD, optimizer: 'momentum', momentum: 0.9, weightDecay: 1e-3 }, options);
      await algorithm.step(episode);
      const before = tf.memory().numTensors;
      for (let i = 0; i < 5; i++) await algorithm.step(episode);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('refuses NaN embeddings with a NumericalError naming domain and phase, leaving θ unchanged', async () => {
    const { model, algorithm, episode } = setup();
    const nanProbe = tf.fill([B, ...SHAPE], Number.NaN) as tf.Tensor4D;
    const broken = { ...batches[2]!, probe: nanProbe };
    const before = snapshot(model);
    const count = tf.memory().numTensors;
    await expect(algorithm.step({ ...episode, splits: [{ metaTrain: batches.slice(0, 2), metaTest: [broken] }] })).rejects.toThrow(
      new NumericalError('embeddings of domain "c" (meta-test)', 'NaN value; no parameter was updated'),
    );
    expect(snapshot(model)).toEqual(before);
    expect(tf.memory().numTensors).toBe(count);
    nanProbe.dispose();
  });

  it('refuses a loss that goes non-finite with a NumericalError naming the loss and phase, leaving θ unchanged', async () => {
    const exploding: Loss = {
      name: 'exploding',
      params: {},
      phases: ['meta-test'],
      compute: () => {
        const value = tf.scalar(Number.POSITIVE_INFINITY);
        return { value, parts: { exploding: value } };
      },
      dispose: () => {},
    };
    const { model, algorithm, episode } = setup([exploding]);
    const before = snapshot(model);
    await expect(algorithm.step(episode)).rejects.toThrow(new NumericalError('loss "exploding" (meta-test)', 'Inf value; no parameter was updated'));
    expect(snapshot(model)).toEqual(before);
  });

  it('exposes the outer optimizer state under stable names', async () => {
    const { algorithm, episode } = setup([], { ...SGD, optimizer: 'momentum', momentum: 0.9 });
    await algorithm.step(episode);
    const state = await algorithm.getState();
    expect(state.map((s) => s.name)).toEqual([
      'iter',
      'backbone/W1/momentum',
      'backbone/b1/momentum',
      'backbone/W2/momentum',
      'loss/soft-classification/W/momentum',
    ]);
    await algorithm.setState(state);
    tf.dispose(state.map((s) => s.tensor));
  });

  it('needs a loss in each phase and a split in each episode', async () => {
    const backbone = denseBackbone(SHAPE, 4, 3);
    const onlyAlign = [createDomainAlignmentLoss({ scale: 1 })];
    const space = buildParamSpace(backbone, onlyAlign);
    expect(() => new MfrMetaOptimizer({ backbone, losses: onlyAlign, space }, OPTIONS, createOuterOptimizer(space.variables, SGD))).toThrow(
      new ConfigError('losses', 'no configured loss applies in the meta-test phase, which the "mfr" algorithm needs'),
    );
    backbone.dispose();
    const { algorithm, episode } = setup();
    await expect(algorithm.step({ ...episode, splits: [] })).rejects.toThrow(
      new DataError('episode of step 0', 'has no meta-train/meta-test split'),
    );
  });
});

describe('mfr plugin hyper-parameters', () => {
  it('has paper-style defaults', () => {
    expect(validateHparams(mfrPlugin, {})).toEqual({
      gamma: 0.5,
      alpha: 0.05,
      order: 2,
      hessian: 'exact',
      fdStep: 1e-3,
      optimizer: 'momentum',
      lr: 0.01,
      momentum: 0.9,
      nesterov: false,
      weightDecay: 5e-4,
    });
  });

  it('rejects γ outside [0, 1], naming the field', () => {
    for (const gamma of [-0.1, 1.5]) {
      expect(() => validateHparams(mfrPlugin, { gamma })).toThrow(
        new PluginError('PLUGIN_HPARAMS_INVALID', 'mfr', 'must be in [0, 1]', 'gamma'),
      );
    }
    expect(() => validateHparams(mfrPlugin, { order: 3 })).toThrow(/plugin "mfr", hparams.order: /);
    expect(() => validateHparams(mfrPlugin, { hessian: 'approx' })).toThrow(/plugin "mfr", hparams.hessian: /);
  });
});
