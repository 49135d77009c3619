import * as tf from '@tensorflow/tfjs-core';
import { NumericalError, Rng, ShapeError, weightLoss, type Backbone, type PairBatch } from '@metadg/core';
import { initBackend, valueAndGradsOf } from '@metadg/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { denseBackbone, disposeBatch, numericGradient, randomPairBatch, relError, values } from '../test/helpers.js';
import { createDomainAlignmentLoss } from './losses/domain-alignment.js';
import { createHardPairLoss } from './losses/hard-pair.js';
import { createSoftClassificationLoss } from './losses/soft-classification.js';
import { embedBatches, phaseObjective, type ObjectiveModel, buildParamSpace, StepRecorder } from '@metadg/meta';

const SHAPE = [2, 2, 1] as const;
let backbone: Backbone;
let model: ObjectiveModel;
let batches: PairBatch[];

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
  backbone = denseBackbone(SHAPE, 5, 3);
  const losses = [
    createHardPairLoss({ tau: 0.2 }),
    weightLoss(createSoftClassificationLoss({ classes: 4, embeddingSize: 3, scale: 4, rng: new Rng(1) }), 0.5),
    weightLoss(createDomainAlignmentLoss({ scale: 2 }), 0.25),
  ];
  model = { backbone, losses, space: buildParamSpace(backbone, losses) };
  const rng = new Rng(9);
  batches = [randomPairBatch('a', [0, 1, 2], SHAPE, rng), randomPairBatch('b', [3, 1, 0], SHAPE, rng)];
});

afterAll(() => {
  batches.forEach(disposeBatch);
  model.losses.forEach((l) => l.dispose());
  backbone.dispose();
});

describe('embedBatches', () => {
  it('returns unit-length rows, gallery and probe in order', () => {
    tf.tidy(() => {
      const [e] = embedBatches(backbone, [batches[0]!]);
      if (e?.kind !== 'pairs') throw new Error('expected pairs');
      const norms = values(tf.norm(tf.concat([e.gallery, e.probe]), 'euclidean', 1));
      for (const n of norms) expect(n).toBeCloseTo(1, 5);
      const direct = backbone.embed(batches[0]!.probe);
      const unit = tf.div(direct, tf.norm(direct, 'euclidean', 1, true));
      expect(relError(values(e.probe), values(unit))).toBeLessThan(1e-6);
    });
  });

  it('names the domain and backbone when images do not fit the backbone', () => {
    const bad = { ...batches[0]!, gallery: tf.zeros([3, 3, 3, 1]) as tf.Tensor4D, probe: tf.zeros([3, 3, 3, 1]) as tf.Tensor4D };
    expect(() => embedBatches(backbone, [bad])).toThrow(
      new ShapeError('images of domain "a" for backbone "test-dense"', '[n, 2, 2, 1]', [6, 3, 3, 1]),
    );
    tf.dispose([bad.gallery, bad.probe]);
  });
});

describe('phaseObjective', () => {
  it('sums the weighted losses of the phase and records their raw parts by phase', async () => {
    const recorder = new StepRecorder();
    const [total, parts] = tf.tidy(() => {
      const t = phaseObjective(model, batches, model.space.variables, 'meta-train', recorder).dataSync()[0] as number;
      const e = embedBatches(backbone, batches);
      const raw = model.losses.map((l) => l.compute(batches, e, model.space.lossParams(model.losses.indexOf(l), model.space.variables), 'meta-train').value.dataSync()[0] as number);
      return [t, raw];
    });
    // weightLoss already scaled the values: total = L_hp + 0.5·L_cls + 0.25·L_da.
    expect(total).toBeCloseTo((parts as number[]).reduce((a, b) => a + b, 0), 5);
    const logged = await recorder.read();
    expect(logged['metaTrain/total']).toBeCloseTo(total as number, 5);
    expect(logged['metaTrain/softCls']).toBeCloseTo((parts as number[])[1]! / 0.5, 4);
    expect(logged['metaTrain/domainAlign']).toBeCloseTo((parts as number[])[2]! / 0.25, 4);
    expect(Object.keys(logged).sort()).toEqual([
      'metaTrain/domainAlign',
      'metaTrain/hardPair',
      'metaTrain/hardPair/hardNegatives',
      'metaTrain/hardPair/negative',
      'metaTrain/hardPair/positive',
      'metaTrain/softCls',
      'metaTrain/total',
    ]);
  });

  it('leaves out losses that do not apply in the phase (no domain alignment in meta-test)', async () => {
    const recorder = new StepRecorder();
    tf.tidy(() => phaseObjective(model, batches.slice(0, 1), model.space.variables, 'meta-test', recorder));
    const logged = await recorder.read();
    expect(Object.keys(logged).some((k) => k.includes('domainAlign'))).toBe(false);
    expect(logged['metaTest/total']).toBeCloseTo(logged['metaTest/hardPair']! + 0.5 * logged['metaTest/softCls']!, 5);
  });

  it('is differentiable: ∇θ L_S matches finite differences (smooth backbone)', () => {
    const key = 'backbone/W1';
    const theta = model.space.variables;
    const f = (x: tf.Tensor): tf.Scalar => phaseObjective(model, batches, { ...theta, [key]: x }, 'meta-train');
    const auto = tf.tidy(() => values(valueAndGradsOf((p) => phaseObjective(model, batches, p, 'meta-train'), theta).grads[key]!));
    expect(relError(auto, numericGradient(f, theta[key]!))).toBeLessThan(2e-3);
  });

  it('guards embeddings first: NaN images are reported as the embeddings of their domain and phase', async () => {
    const nan = { ...batches[0]!, gallery: tf.fill([3, 2, 2, 1], Number.NaN) as tf.Tensor4D };
    const recorder = new StepRecorder();
    tf.tidy(() => phaseObjective(model, [nan, batches[1]!], model.space.variables, 'meta-train', recorder));
    await expect(recorder.read()).rejects.toThrow(
      new NumericalError('embeddings of domain "a" (meta-train)', 'NaN value; no parameter was updated'),
    );
    nan.gallery.dispose();
  });
});
