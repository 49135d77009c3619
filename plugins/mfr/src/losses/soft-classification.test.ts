import * as tf from '@tensorflow/tfjs-core';
import { DataError, PluginError, Rng, ShapeError, validateHparams, type DomainBatch } from '@metadg/core';
import { initBackend, l2Normalize } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { autodiffGradient, numericGradient, relError } from '../../test/helpers.js';
import { createSoftClassificationLoss, softClassificationLoss, softClassificationPlugin } from './soft-classification.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

// Hand-computed case, C = 2, d = 2, s = 2, one pair of identity 0:
//   W = [[2, 0], [0, 3]] → rows normalised: Wn = I
//   gallery (1, 0): logits (2, 0), CE = −log(e²/(e²+1)) = log(1 + e⁻²) = 0.126928011…
//   probe   (0, 1): logits (0, 2), CE = −log(1/(1+e²))  = log(1 + e²)  = 2.126928011…
//   L_cls = (0.126928 + 2.126928) / 2 = 1.126928011…
const EXPECTED = (Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(2))) / 2;

describe('softClassificationLoss', () => {
  it('is the mean of gallery and probe cross-entropies of the scaled cosine classifier (hand-computed)', () => {
    const v = tf.tidy(() =>
      softClassificationLoss(
        tf.tensor2d([[1, 0]]),
        tf.tensor2d([[0, 1]]),
        tf.tensor1d([0], 'int32'),
        tf.tensor2d([[2, 0], [0, 3]]),
        2,
      ).dataSync()[0],
    );
    expect(v).toBeCloseTo(EXPECTED, 6);
  });

  it('does not depend on the length of W rows (they are normalised)', () => {
    const rng = new Rng(3);
    const [a, b] = tf.tidy(() => {
      const g = l2Normalize(tf.tensor2d(rng.normalArray(12), [4, 3]));
      const p = l2Normalize(tf.tensor2d(rng.normalArray(12), [4, 3]));
      const y = tf.tensor1d([0, 1, 4, 2], 'int32');
      const w = tf.tensor2d(rng.normalArray(15), [5, 3]);
      const scaled = tf.mul(w, tf.tensor2d([[1], [5], [0.1], [2], [9]]));
      return [softClassificationLoss(g, p, y, w, 8).dataSync()[0], softClassificationLoss(g, p, y, scaled as tf.Tensor2D, 8).dataSync()[0]];
    });
    expect(a).toBeCloseTo(b as number, 5);
  });

  it('matches finite differences w.r.t. the embeddings (through normalisation) and W', () => {
    const rng = new Rng(4);
    const g = tf.tensor2d(rng.normalArray(3 * 4), [3, 4]);
    const p = tf.tensor2d(rng.normalArray(3 * 4), [3, 4]);
    const w = tf.tensor2d(rng.normalArray(5 * 4), [5, 4]);
    const y = tf.tensor1d([1, 3, 0], 'int32');
    const ofG = (x: tf.Tensor): tf.Scalar => softClassificationLoss(l2Normalize(x as tf.Tensor2D), l2Normalize(p), y, w, 4);
    const ofW = (x: tf.Tensor): tf.Scalar => softClassificationLoss(l2Normalize(g), l2Normalize(p), y, x as tf.Tensor2D, 4);
    expect(relError(autodiffGradient(ofG, g), numericGradient(ofG, g))).toBeLessThan(1e-3);
    expect(relError(autodiffGradient(ofW, w), numericGradient(ofW, w))).toBeLessThan(1e-3);
    tf.dispose([g, p, w, y]);
  });
});

describe('soft-classification loss term', () => {
  const pairBatch = (domain: string, labels: number[]): DomainBatch => ({
    kind: 'pairs',
    domain,
    gallery: tf.zeros([labels.length, 1, 1, 1]) as tf.Tensor4D,
    probe: tf.zeros([labels.length, 1, 1, 1]) as tf.Tensor4D,
    labels: tf.tensor1d(labels, 'int32'),
    identities: labels.map(String),
  });

  it('owns W (C×d) as a variable, reads it from params, and averages domains', () => {
    const init = tf.tensor2d([[2, 0], [0, 3]]);
    const loss = createSoftClassificationLoss({ classes: 2, embeddingSize: 2, scale: 2, init });
    init.dispose();
    expect(loss.params['W']?.shape).toEqual([2, 2]);
    const batches = [pairBatch('a', [0]), pairBatch('b', [1])];
    tf.tidy(() => {
      const e1 = { kind: 'pairs' as const, gallery: tf.tensor2d([[1, 0]]), probe: tf.tensor2d([[0, 1]]) };
      // Domain b: identity 1 with the same embeddings → the roles of the two CEs swap; same value.
      const r = loss.compute(batches, [e1, e1], {}, 'meta-train');
      expect(r.value.dataSync()[0]).toBeCloseTo(EXPECTED, 6);
      expect(Object.keys(r.parts)).toEqual(['softCls']);
      // A functional W in params replaces the variable.
      const swapped = loss.compute(batches, [e1, e1], { W: tf.tensor2d([[0, 3], [2, 0]]) }, 'meta-test');
      expect(swapped.value.dataSync()[0]).toBeCloseTo(EXPECTED, 6);
    });
    for (const b of batches) if (b.kind === 'pairs') tf.dispose([b.gallery, b.probe, b.labels]);
    loss.dispose();
  });

  it('rejects labels outside [0, C) with a DataError naming the domain', () => {
    const loss = createSoftClassificationLoss({ classes: 2, embeddingSize: 2, scale: 2, rng: new Rng(1) });
    const b = pairBatch('dom-x', [0, 2]);
    const e = tf.tidy(() => ({ kind: 'pairs' as const, gallery: tf.ones([2, 2]) as tf.Tensor2D, probe: tf.ones([2, 2]) as tf.Tensor2D }));
    expect(() => loss.compute([b], [e], {}, 'pooled')).toThrow(
      new DataError('labels of domain "dom-x"', 'class index 2 is outside [0, 2) of the "soft-classification" classifier (task.labels.size = 2)'),
    );
    const wide = tf.ones([2, 3]) as tf.Tensor2D;
    expect(() => loss.compute([b], [{ kind: 'pairs', gallery: wide, probe: wide }], {}, 'pooled')).toThrow(
      new ShapeError('loss "soft-classification": embeddings of domain "dom-x"', '[n, 2]', [2, 3]),
    );
    if (b.kind === 'pairs') tf.dispose([b.gallery, b.probe, b.labels]);
    tf.dispose([e.gallery, e.probe, wide]);
    loss.dispose();
  });

  it('validates s > 0 with a PluginError naming the field', () => {
    expect(validateHparams(softClassificationPlugin, {})).toEqual({ scale: 16 });
    for (const scale of [0, -3]) {
      expect(() => validateHparams(softClassificationPlugin, { scale })).toThrow(
        new PluginError('PLUGIN_HPARAMS_INVALID', 'soft-classification', 'must be > 0', 'scale'),
      );
    }
  });
});
