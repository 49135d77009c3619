import * as tf from '@tensorflow/tfjs-core';
import { createSmallCnn } from '@metadg/backbone-cnn';
import { Rng, type LabelledBatch } from '@metadg/core';
import { buildParamSpace, phaseObjective, type ObjectiveModel } from '@metadg/meta';
import { createSoftClassificationLoss, mfrMetaGradient } from '@metadg/plugin-mfr';
import { disposeParams, initBackend } from '@metadg/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { combineFlat, combineMetaGradient, meanFlat, ShardComputer, sliceBatch, type FlatParams } from './shard.js';

// The data-parallel decomposition of the MFR meta-step, computed in one
// thread on two shards, against mfrMetaGradient on the whole batch.

function batch(rng: Rng, domain: string, n: number): LabelledBatch {
  const ids = Array.from({ length: n }, () => rng.int(5));
  return { kind: 'labelled', domain, x: tf.tensor4d(rng.normalArray(n * 8 * 8), [n, 8, 8, 1]), labels: tf.tensor1d(ids, 'int32'), identities: ids.map(String) };
}

const maxRelative = (a: FlatParams, b: FlatParams): number => {
  let worst = 0;
  b.forEach((bi, i) => {
    const ai = a[i] as Float32Array;
    let scale = 0;
    let diff = 0;
    for (let j = 0; j < bi.length; j++) {
      scale = Math.max(scale, Math.abs(bi[j] as number));
      diff = Math.max(diff, Math.abs((ai[j] as number) - (bi[j] as number)));
    }
    worst = Math.max(worst, diff / Math.max(scale, 1e-30));
  });
  return worst;
};

describe('data-parallel meta-step shards', () => {
  const rng = new Rng('bench/shard-test');
  let model: ObjectiveModel;
  let train: LabelledBatch;
  let test: LabelledBatch;
  let shards: ShardComputer[];
  const slices: LabelledBatch[] = [];

  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: () => {} });
    const backbone = createSmallCnn([8, 8, 1], { channels: [4, 4], groups: 2, activation: 'softplus', embeddingSize: 8 }, rng.fork('net'));
    const losses = [createSoftClassificationLoss({ classes: 5, embeddingSize: 8, scale: 10, rng: rng.fork('W') })];
    model = { backbone, losses, space: buildParamSpace(backbone, losses) };
    train = batch(rng.fork('train'), 'a', 6);
    test = batch(rng.fork('test'), 'b', 6);
    slices.push(sliceBatch(train, 0, 3), sliceBatch(test, 0, 3), sliceBatch(train, 3, 3), sliceBatch(test, 3, 3));
    shards = [new ShardComputer(model, slices[0] as LabelledBatch, slices[1] as LabelledBatch), new ShardComputer(model, slices[2] as LabelledBatch, slices[3] as LabelledBatch)];
  });
  afterAll(() => {
    for (const b of [train, test, ...slices]) tf.dispose([b.x, b.labels]);
    model.losses.forEach((l) => l.dispose());
    model.backbone.dispose();
  });

  const whole = (order: 1 | 2): FlatParams =>
    tf.tidy(() => {
      const g = mfrMetaGradient(
        (p) => phaseObjective(model, [train], p, 'meta-train'),
        (p) => phaseObjective(model, [test], p, 'meta-test'),
        model.space.variables,
        { alpha: 0.1, gamma: 0.5, order, hessian: 'exact', fdStep: 1e-3 },
      );
      const flat = model.space.keys.map((k) => (g[k] as tf.Tensor).dataSync() as Float32Array);
      disposeParams(g);
      return flat;
    });

  it.each([2, 1] as const)('order %i: the mean of two shards’ passes is the whole-batch MFR meta-gradient', (order) => {
    const [s0, s1] = shards as [ShardComputer, ShardComputer];
    const gS = meanFlat(s0.gradS(), s1.gradS());
    const v = meanFlat(s0.gradTAt(gS, 0.1), s1.gradTAt(gS, 0.1));
    const h = order === 2 ? meanFlat(s0.hvpS(v), s1.hvpS(v)) : undefined;
    const parallel = combineMetaGradient(gS, v, h, { alpha: 0.1, gamma: 0.5 });
    expect(maxRelative(parallel, whole(order))).toBeLessThan(1e-4);
    // The two orders really differ here, so the check above can tell them apart.
    if (order === 2) expect(maxRelative(combineMetaGradient(gS, v, undefined, { alpha: 0.1, gamma: 0.5 }), whole(2))).toBeGreaterThan(1e-3);
  });

  it('combineFlat / meanFlat are element-wise, and mismatched lists are errors', () => {
    const a = [Float32Array.from([1, 2]), Float32Array.from([3])];
    const b = [Float32Array.from([5, 6]), Float32Array.from([7])];
    expect(combineFlat(2, a, -1, b).map((x) => Array.from(x))).toEqual([[-3, -2], [-1]]);
    expect(meanFlat(a, b).map((x) => Array.from(x))).toEqual([[3, 4], [5]]);
    expect(() => combineFlat(1, a, 1, [Float32Array.from([1, 2])])).toThrow(/2 vs 1 parameters/);
  });

  it('applySgd moves every parameter by −lr·g and keeps the tensor count flat', () => {
    const [s0] = shards as [ShardComputer];
    const before = model.space.keys.map((k) => (model.space.variables[k] as tf.Variable).dataSync().slice());
    const g = before.map((p) => new Float32Array(p.length).fill(2));
    const count = tf.memory().numTensors;
    s0.applySgd(g, 0.25);
    expect(tf.memory().numTensors).toBe(count);
    model.space.keys.forEach((k, i) => {
      const after = (model.space.variables[k] as tf.Variable).dataSync();
      const b = before[i] as Float32Array;
      for (let j = 0; j < b.length; j++) expect(after[j]).toBeCloseTo((b[j] as number) - 0.5, 5);
    });
    // Undo, so the order of the tests does not matter.
    s0.applySgd(g, -0.25);
  });
});
