import * as tf from '@tensorflow/tfjs-core';
import { PluginError, Rng, ShapeError, validateHparams, type DomainBatch, type DomainEmbeddings } from '@metadg/core';
import { initBackend, l2Normalize } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { autodiffGradient, numericGradient, relError, values } from '../../test/helpers.js';
import { createHardPairLoss, hardPairLoss, hardPairPlugin } from './hard-pair.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

// Hand-computed case, B = 2, d = 2:
//   g0 = (1, 0), g1 = (0, 1);  p0 = (1, 0), p1 = (0.6, 0.8)
//   M = [[1, 0.6], [0, 0.8]]
//   positive = (‖g0−p0‖² + ‖g1−p1‖²) / (2·2) = (0 + 0.36 + 0.04) / 4 = 0.1
//   ‖g0−p1‖² = 0.16 + 0.64 = 0.8;  ‖g1−p0‖² = 1 + 1 = 2
const fg = (): tf.Tensor2D => tf.tensor2d([[1, 0], [0, 1]]);
const fp = (): tf.Tensor2D => tf.tensor2d([[1, 0], [0.6, 0.8]]);

function terms(tau: number): { value: number; positive: number; negative: number; hardNegatives: number } {
  return tf.tidy(() => {
    const t = hardPairLoss(fg(), fp(), tau);
    return {
      value: t.value.dataSync()[0] as number,
      positive: t.positive.dataSync()[0] as number,
      negative: t.negative.dataSync()[0] as number,
      hardNegatives: t.hardNegatives.dataSync()[0] as number,
    };
  });
}

describe('hardPairLoss', () => {
  it('τ = 0.5: one hard negative (0,1): L = 0.1 − 0.8/2 = −0.3', () => {
    const t = terms(0.5);
    expect(t.positive).toBeCloseTo(0.1, 6);
    expect(t.hardNegatives).toBe(1);
    expect(t.negative).toBeCloseTo(0.4, 6);
    expect(t.value).toBeCloseTo(-0.3, 6);
  });

  it('τ = −0.5: both off-diagonal pairs: L = 0.1 − (0.8 + 2)/4 = −0.6', () => {
    const t = terms(-0.5);
    expect(t.hardNegatives).toBe(2);
    expect(t.value).toBeCloseTo(-0.6, 6);
  });

  it('τ = −1 never counts the diagonal (M_00 = 1 > −1 is a positive, not a negative)', () => {
    expect(terms(-1).hardNegatives).toBe(2);
  });

  it('the threshold is strict: M_01 = 0.6 is not > τ = 0.6, so N is empty and L = positive = 0.1', () => {
    const t = terms(0.6);
    expect(t.hardNegatives).toBe(0);
    expect(t.negative).toBe(0);
    expect(t.value).toBeCloseTo(0.1, 6);
  });

  it('mining carries no gradient: ∂L/∂g, ∂L/∂p match the formula with N fixed', () => {
    // τ = 0.5, N = {(0,1)}, B = 2:
    //   ∂L/∂g0 = (g0−p0)/B − (g0−p1)/|N| = (0,0) − (0.4,−0.8) = (−0.4, 0.8)
    //   ∂L/∂g1 = (g1−p1)/B = (−0.3, 0.1)
    //   ∂L/∂p0 = (p0−g0)/B = (0, 0)
    //   ∂L/∂p1 = (p1−g1)/B − (p1−g0)/|N| = (0.3,−0.1) − (−0.4, 0.8) = (0.7, −0.9)
    const [dg, dp] = tf.tidy(() => tf.grads((g: tf.Tensor, p: tf.Tensor) => hardPairLoss(g as tf.Tensor2D, p as tf.Tensor2D, 0.5).value)([fg(), fp()]).map(values));
    expect(relError(dg as number[], [-0.4, 0.8, -0.3, 0.1])).toBeLessThan(1e-6);
    expect(relError(dp as number[], [0, 0, 0.7, -0.9])).toBeLessThan(1e-6);
  });

  it('with no hard negative (τ = 0.99) the loss and its gradient are finite', () => {
    const rng = new Rng(1);
    const g = tf.tensor2d(rng.normalArray(8 * 4), [8, 4]);
    const p = tf.tensor2d(rng.normalArray(8 * 4), [8, 4]);
    const f = (x: tf.Tensor): tf.Scalar => hardPairLoss(l2Normalize(x as tf.Tensor2D), l2Normalize(p), 0.99).value;
    tf.tidy(() => {
      expect(hardPairLoss(l2Normalize(g), l2Normalize(p), 0.99).hardNegatives.dataSync()[0]).toBe(0);
      expect(Number.isFinite(f(g).dataSync()[0])).toBe(true);
      expect(values(tf.grad(f)(g)).every(Number.isFinite)).toBe(true);
    });
    tf.dispose([g, p]);
  });

  it('matches finite differences through the L2 normalisation (mask stable under the probe)', () => {
    const rng = new Rng(2);
    const g = tf.tensor2d(rng.normalArray(4 * 3), [4, 3]);
    const p = tf.tensor2d(rng.normalArray(4 * 3), [4, 3]);
    // τ = 0.1 is more than 0.05 away from every similarity here, so ±1e-2 probes keep N fixed.
    const m = tf.tidy(() => values(tf.matMul(l2Normalize(g), l2Normalize(p), false, true)));
    expect(Math.min(...m.map((x) => Math.abs(x - 0.1)))).toBeGreaterThan(0.05);
    const f = (x: tf.Tensor): tf.Scalar => hardPairLoss(l2Normalize(x as tf.Tensor2D), l2Normalize(p), 0.1).value;
    expect(relError(autodiffGradient(f, g), numericGradient(f, g))).toBeLessThan(1e-3);
    tf.dispose([g, p]);
  });
});

describe('hard-pair loss term', () => {
  const pairs = (g: tf.Tensor2D, p: tf.Tensor2D): DomainEmbeddings => ({ kind: 'pairs', gallery: g, probe: p });
  const batch = (domain: string): DomainBatch =>
    ({ kind: 'pairs', domain, identities: [] }) as unknown as DomainBatch;

  it('averages per-domain values and names its parts', () => {
    const loss = createHardPairLoss({ tau: 0.5 });
    tf.tidy(() => {
      const a = pairs(fg(), fp());
      const b = pairs(fp(), fp()); // identical pairs: positive 0; off-diagonal similarity 0.6 > 0.5 both ways
      const single = hardPairLoss(fp(), fp(), 0.5).value.dataSync()[0] as number;
      const r = loss.compute([batch('a'), batch('b')], [a, b], {}, 'meta-train');
      expect(r.value.dataSync()[0]).toBeCloseTo((-0.3 + single) / 2, 6);
      expect(Object.keys(r.parts).sort()).toEqual(['hardPair', 'hardPair/hardNegatives', 'hardPair/negative', 'hardPair/positive']);
      expect(r.parts['hardPair/hardNegatives']?.dataSync()[0]).toBe(1.5);
    });
    expect(loss.phases).toEqual(['meta-train', 'meta-test', 'pooled']);
  });

  it('rejects a labelled batch, naming the loss and domain', () => {
    const loss = createHardPairLoss({ tau: 0.5 });
    const x = tf.zeros([2, 2]) as tf.Tensor2D;
    expect(() => loss.compute([{ ...batch('d1'), kind: 'labelled' } as DomainBatch], [{ kind: 'labelled', x }], {}, 'pooled')).toThrow(
      new ShapeError('loss "hard-pair": batch of domain "d1"', 'a gallery/probe pair batch', 'a labelled batch'),
    );
    x.dispose();
  });

  it('validates τ ∈ [−1, 1] with a PluginError naming the field', () => {
    expect(validateHparams(hardPairPlugin, {})).toEqual({ tau: 0.3 });
    for (const tau of [1.5, -1.01]) {
      expect(() => validateHparams(hardPairPlugin, { tau })).toThrow(
        new PluginError('PLUGIN_HPARAMS_INVALID', 'hard-pair', 'must be a cosine in [-1, 1]', 'tau'),
      );
    }
    expect(() => validateHparams(hardPairPlugin, { tau: 0.3, tua: 1 })).toThrow(/hparams.tua: unknown hyper-parameter/);
  });
});
