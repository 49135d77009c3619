import * as tf from '@tensorflow/tfjs-core';
import {
  DataError,
  PluginError,
  Rng,
  ShapeError,
  buildLabelSpace,
  instantiate,
  pluginTestContext,
  validateHparams,
  type Backbone,
  type DomainBatch,
  type DomainEmbeddings,
  type TrainingTask,
} from '@metadg/core';
import { denseBackbone, memoryDataset } from '@metadg/meta/testing';
import { createSoftClassificationLoss } from '@metadg/plugin-mfr';
import { initBackend, l2Normalize } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { arcfacePlugin, createArcFaceLoss } from './arcface.js';
import { cosfacePlugin, createCosFaceLoss } from './cosface.js';
import { metadgPlugins } from './index.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const pairBatch = (domain: string, labels: number[]): DomainBatch => ({
  kind: 'pairs',
  domain,
  gallery: tf.zeros([labels.length, 1, 1, 1]) as tf.Tensor4D,
  probe: tf.zeros([labels.length, 1, 1, 1]) as tf.Tensor4D,
  labels: tf.tensor1d(labels, 'int32'),
  identities: labels.map(String),
});
const labelledBatch = (domain: string, labels: number[]): DomainBatch => ({
  kind: 'labelled',
  domain,
  x: tf.zeros([labels.length, 1, 1, 1]) as tf.Tensor4D,
  labels: tf.tensor1d(labels, 'int32'),
  identities: labels.map(String),
});
const disposeBatch = (b: DomainBatch) => tf.dispose(b.kind === 'pairs' ? [b.gallery, b.probe, b.labels] : [b.x, b.labels]);

const MAKERS = {
  arcface: (init: tf.Tensor2D, margin: number) => createArcFaceLoss({ classes: 2, embeddingSize: 2, scale: 2, margin, init }),
  cosface: (init: tf.Tensor2D, margin: number) => createCosFaceLoss({ classes: 2, embeddingSize: 2, scale: 2, margin, init }),
};

describe.each(Object.entries(MAKERS))('%s loss term', (name, make) => {
  it('owns W (C×d) as a variable, applies in every phase, reads W from params, averages domains (hand-computed)', () => {
    const init = tf.tensor2d([[2, 0], [0, 3]]);
    const loss = make(init, 0.3);
    init.dispose();
    expect(loss.name).toBe(name);
    expect(loss.phases).toEqual(['meta-train', 'meta-test', 'pooled']);
    expect(Object.keys(loss.params)).toEqual(['W']);
    expect(loss.params['W']?.shape).toEqual([2, 2]);
    // Wn = I. Domain a: pair of identity 0, gallery (0.6, 0.8), probe (0.8, 0.6). Domain b: one labelled row (0.8, 0.6) of identity 1.
    const target = (c: number) => (name === 'arcface' ? c * Math.cos(0.3) - Math.sqrt(1 - c * c) * Math.sin(0.3) : c - 0.3);
    const ce = (t: number, other: number) => Math.log1p(Math.exp(2 * other - 2 * target(t)));
    const expected = ((ce(0.6, 0.8) + ce(0.8, 0.6)) / 2 + ce(0.6, 0.8)) / 2;
    const batches = [pairBatch('a', [0]), labelledBatch('b', [1])];
    tf.tidy(() => {
      const e: DomainEmbeddings[] = [
        { kind: 'pairs', gallery: tf.tensor2d([[0.6, 0.8]]), probe: tf.tensor2d([[0.8, 0.6]]) },
        { kind: 'labelled', x: tf.tensor2d([[0.8, 0.6]]) },
      ];
      const r = loss.compute(batches, e, {}, 'meta-train');
      expect(r.value.dataSync()[0]).toBeCloseTo(expected, 5);
      expect(Object.keys(r.parts)).toEqual([name]);
      // A functional W in params replaces the variable: swapping the rows swaps the classes.
      const swapped = loss.compute(batches, e, { W: tf.tensor2d([[0, 3], [2, 0]]) }, 'meta-test');
      const expectedSwapped = ((ce(0.8, 0.6) + ce(0.6, 0.8)) / 2 + ce(0.8, 0.6)) / 2;
      expect(swapped.value.dataSync()[0]).toBeCloseTo(expectedSwapped, 5);
    });
    batches.forEach(disposeBatch);
    loss.dispose();
  });

  it("with m = 0 equals MFR's soft-classification term on pair and labelled batches of several domains", () => {
    const rng = new Rng(9);
    const init = tf.tensor2d(rng.normalArray(2 * 2), [2, 2]);
    const ours = make(init, 0);
    const soft = createSoftClassificationLoss({ classes: 2, embeddingSize: 2, scale: 2, init });
    init.dispose();
    const batches = [pairBatch('a', [0, 1, 1]), labelledBatch('b', [1, 0]), pairBatch('c', [1, 0, 0])];
    tf.tidy(() => {
      const rows = (n: number) => l2Normalize(tf.tensor2d(rng.normalArray(2 * n), [n, 2]));
      const e: DomainEmbeddings[] = [
        { kind: 'pairs', gallery: rows(3), probe: rows(3) },
        { kind: 'labelled', x: rows(2) },
        { kind: 'pairs', gallery: rows(3), probe: rows(3) },
      ];
      expect(ours.compute(batches, e, {}, 'pooled').value.dataSync()[0]).toBeCloseTo(soft.compute(batches, e, {}, 'pooled').value.dataSync()[0] as number, 5);
    });
    batches.forEach(disposeBatch);
    ours.dispose();
    soft.dispose();
  });

  it('rejects labels outside [0, C) with a DataError naming the domain, and wrong shapes with ShapeErrors', () => {
    const loss = make(tf.tidy(() => tf.eye(2) as tf.Tensor2D), 0.2);
    const b = pairBatch('dom-x', [0, 2]);
    const ones = tf.ones([2, 2]) as tf.Tensor2D;
    expect(() => loss.compute([b], [{ kind: 'pairs', gallery: ones, probe: ones }], {}, 'pooled')).toThrow(
      new DataError('labels of domain "dom-x"', `class index 2 is outside [0, 2) of the "${name}" classifier (task.labels.size = 2)`),
    );
    const wide = tf.ones([2, 3]) as tf.Tensor2D;
    expect(() => loss.compute([b], [{ kind: 'pairs', gallery: wide, probe: wide }], {}, 'pooled')).toThrow(
      new ShapeError(`loss "${name}": embeddings of domain "dom-x"`, '[n, 2]', [2, 3]),
    );
    const ok = pairBatch('dom-y', [0, 1]);
    expect(() => loss.compute([ok], [{ kind: 'pairs', gallery: ones, probe: tf.ones([1, 2]) as tf.Tensor2D }], {}, 'pooled')).toThrow(
      new ShapeError(`loss "${name}": probe embeddings of domain "dom-y"`, '[2, 2] like the gallery', [1, 2]),
    );
    expect(() => loss.compute([ok], [{ kind: 'pairs', gallery: ones, probe: ones }], { W: tf.ones([3, 2]) }, 'pooled')).toThrow(
      new ShapeError(`loss "${name}": params.W`, '[2, 2]', [3, 2]),
    );
    expect(() => loss.compute([ok], [{ kind: 'labelled', x: ones }], {}, 'pooled')).toThrow(
      new ShapeError(`loss "${name}": embeddings[0]`, 'kind "pairs"', 'kind "labelled"'),
    );
    [b, ok].forEach(disposeBatch);
    tf.dispose([ones, wide]);
    loss.dispose();
  });

  it('keeps the tensor count flat over repeated computations', () => {
    const loss = make(tf.tidy(() => tf.eye(2) as tf.Tensor2D), 0.2);
    const b = pairBatch('a', [0, 1]);
    const e = tf.tidy(() => ({ kind: 'pairs' as const, gallery: l2Normalize(tf.tensor2d([[1, 2], [3, -1]])), probe: l2Normalize(tf.tensor2d([[2, 1], [-1, 3]])) }));
    const once = () => tf.tidy(() => loss.compute([b], [e], {}, 'meta-train').value.dataSync());
    once();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) once();
    expect(tf.memory().numTensors).toBe(before);
    disposeBatch(b);
    tf.dispose([e.gallery, e.probe]);
    loss.dispose();
  });
});

describe('plugins arcface, cosface', () => {
  const task = (): TrainingTask => {
    const dataset = memoryDataset({ domains: ['a', 'b'], identities: 7, shape: [2, 2, 1] });
    return { dataset, sourceDomains: ['a', 'b'], heldOutDomains: [], labels: buildLabelSpace(dataset, ['a', 'b']) };
  };

  it('are exported by the package', () => {
    expect(metadgPlugins.packageName).toBe('@metadg/loss-margin');
    expect(metadgPlugins.plugins.map((p) => `${p.kind}:${p.name}`)).toEqual(['loss:arcface', 'loss:cosface']);
  });

  it('default to the papers\' hyper-parameters, each with a source', () => {
    expect(validateHparams(arcfacePlugin, {})).toEqual({ scale: 64, margin: 0.5, easyMargin: false });
    expect(validateHparams(cosfacePlugin, {})).toEqual({ scale: 64, margin: 0.35 });
    for (const p of [arcfacePlugin, cosfacePlugin]) {
      for (const key of Object.keys(validateHparams(p as typeof arcfacePlugin, {}))) expect(p.hparamSources?.[key as 'scale']).toBeTruthy();
    }
  });

  it('validate s and m with PluginErrors naming the field', () => {
    expect(() => validateHparams(arcfacePlugin, { margin: 2 })).toThrow(new PluginError('PLUGIN_HPARAMS_INVALID', 'arcface', 'must be in [0, π/2]', 'margin'));
    expect(() => validateHparams(cosfacePlugin, { margin: -0.1 })).toThrow(new PluginError('PLUGIN_HPARAMS_INVALID', 'cosface', 'must be in [0, 1]', 'margin'));
    for (const p of [arcfacePlugin, cosfacePlugin]) {
      expect(() => validateHparams(p as typeof arcfacePlugin, { scale: 0 })).toThrow(new PluginError('PLUGIN_HPARAMS_INVALID', p.name, 'must be > 0', 'scale'));
      expect(() => validateHparams(p as typeof arcfacePlugin, { s: 3 })).toThrow(PluginError);
    }
    expect(() => createArcFaceLoss({ classes: 2, embeddingSize: 2, scale: 1, margin: Number.NaN })).toThrow(
      new PluginError('PLUGIN_HPARAMS_INVALID', 'arcface', 'must be in [0, π/2], got NaN', 'margin'),
    );
    expect(() => createCosFaceLoss({ classes: 2, embeddingSize: 2, scale: -1, margin: 0.1 })).toThrow(
      new PluginError('PLUGIN_HPARAMS_INVALID', 'cosface', 'must be > 0, got -1', 'scale'),
    );
  });

  it('draw valid hyper-parameters from their search space', () => {
    const rng = new Rng(4);
    for (let i = 0; i < 20; i++) {
      const arc = { scale: arcfacePlugin.hparamSpace?.scale?.(rng), margin: arcfacePlugin.hparamSpace?.margin?.(rng) };
      const cos = { scale: cosfacePlugin.hparamSpace?.scale?.(rng), margin: cosfacePlugin.hparamSpace?.margin?.(rng) };
      expect(validateHparams(arcfacePlugin, arc)).toMatchObject(arc);
      expect(validateHparams(cosfacePlugin, cos)).toMatchObject(cos);
      expect(arc.scale).toBeGreaterThanOrEqual(16);
      expect(arc.scale).toBeLessThanOrEqual(64);
    }
  });

  it.each([arcfacePlugin, cosfacePlugin])('$name sizes W from the task (C) and the backbone (d), seeded by ctx.rng', async (plugin) => {
    const backbone: Backbone = denseBackbone([2, 2, 1], 3, 5);
    const ctx = (seed: number) => pluginTestContext({ seed, components: { task: task(), backbone } });
    const a = await instantiate(plugin, {}, ctx(1));
    const b = await instantiate(plugin, {}, ctx(1));
    const c = await instantiate(plugin, {}, ctx(2));
    expect(a.params['W']?.shape).toEqual([7, 5]);
    expect(Array.from(a.params['W']?.dataSync() ?? [])).toEqual(Array.from(b.params['W']?.dataSync() ?? []));
    expect(Array.from(a.params['W']?.dataSync() ?? [])).not.toEqual(Array.from(c.params['W']?.dataSync() ?? []));
    [a, b, c, backbone].forEach((x) => x.dispose());
  });
});
