import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@metadg/core';
import { autodiffGradient, numericGradient, relError } from '@metadg/meta/testing';
import { softClassificationLoss } from '@metadg/plugin-mfr';
import { checkHvp, initBackend, l2Normalize, valueAndGradsOf, type Params } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { arcFaceLogits, arcFaceTarget, cosFaceLogits } from './margin-logits.js';
import { arcFaceLoss, cosFaceLoss } from './margin-loss.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());

// Hand-computed cases, C = 2, d = 2, s = 2. W = [[2, 0], [0, 3]]: rows
// normalised → Wn = I, so an embedding's cosines are its coordinates.
const W = [[2, 0], [0, 3]];
const M = 0.5;
// f = (0.6, 0.8), label 0: cos θ0 = 0.6, sin θ0 = 0.8, cos θ1 = 0.8.
//   ArcFace target: cos(θ0 + m) = 0.6·cos 0.5 − 0.8·sin 0.5 = 0.143003…
const ARC_TARGET = 0.6 * Math.cos(M) - 0.8 * Math.sin(M);
// f = (−0.95, √(1 − 0.95²)), label 0: θ0 = acos(−0.95) = 2.824 > π − m = 2.642,
//   so the insightface fallback applies: cos θ0 − m·sin(π − m) = −0.95 − 0.5·sin 0.5 = −1.189713…
const FAR = [-0.95, Math.sqrt(1 - 0.95 ** 2)];
const FALLBACK_TARGET = -0.95 - M * Math.sin(M);

describe('arcFaceLogits / cosFaceLogits (hand-computed, 2 classes, 2-D)', () => {
  it('ArcFace: s·cos(θ_y + m) at the label, s·cos θ elsewhere', () => {
    const logits = tf.tidy(() => values(arcFaceLogits(tf.tensor2d([[0.6, 0.8]]), tf.tensor2d(W), tf.tensor1d([0], 'int32'), { scale: 2, margin: M })));
    expect(logits[0]).toBeCloseTo(2 * ARC_TARGET, 6);
    expect(logits[0]).toBeCloseTo(2 * Math.cos(Math.acos(0.6) + M), 6);
    expect(logits[1]).toBeCloseTo(1.6, 6);
  });

  it('ArcFace past θ > π − m: cos θ − m·sin m (insightface "th, mm" fallback); easy margin keeps cos θ where cos θ ≤ 0', () => {
    const run = (easyMargin: boolean, f: number[], label: number) =>
      tf.tidy(() => values(arcFaceLogits(tf.tensor2d([f]), tf.tensor2d(W), tf.tensor1d([label], 'int32'), { scale: 2, margin: M, easyMargin })));
    expect(run(false, FAR, 0)[0]).toBeCloseTo(2 * FALLBACK_TARGET, 6);
    expect(run(true, FAR, 0)[0]).toBeCloseTo(2 * -0.95, 6);
    expect(run(true, [0.6, 0.8], 0)[0]).toBeCloseTo(2 * ARC_TARGET, 6);
    // Label 1 for the far point: cos θ1 = 0.3122… > 0, θ1 + m < π.
    expect(run(false, FAR, 1)).toEqual([expect.closeTo(-1.9, 6), expect.closeTo(2 * Math.cos(Math.acos(FAR[1] as number) + M), 6)]);
  });

  it('CosFace: s·(cos θ_y − m) at the label, s·cos θ elsewhere', () => {
    const logits = tf.tidy(() => values(cosFaceLogits(tf.tensor2d([[0.6, 0.8], [0.6, 0.8]]), tf.tensor2d(W), tf.tensor1d([0, 1], 'int32'), { scale: 2, margin: 0.35 })));
    expect(logits).toEqual([expect.closeTo(0.5, 6), expect.closeTo(1.6, 6), expect.closeTo(1.2, 6), expect.closeTo(0.9, 6)]);
  });

  it('losses: mean of the gallery and probe cross-entropies (hand-computed)', () => {
    // gallery (0.6, 0.8), probe (0.8, 0.6), label 0, s = 2.
    const ce = (target: number, other: number) => Math.log1p(Math.exp(2 * other - 2 * target));
    const probeArc = 0.8 * Math.cos(M) - 0.6 * Math.sin(M);
    const [arc, cos] = tf.tidy(() => {
      const g = tf.tensor2d([[0.6, 0.8]]);
      const p = tf.tensor2d([[0.8, 0.6]]);
      const y = tf.tensor1d([0], 'int32');
      return [arcFaceLoss(g, p, y, tf.tensor2d(W), { scale: 2, margin: M }), cosFaceLoss(g, p, y, tf.tensor2d(W), { scale: 2, margin: 0.35 })].map(
        (t) => t.dataSync()[0] as number,
      );
    });
    expect(arc).toBeCloseTo((ce(ARC_TARGET, 0.8) + ce(probeArc, 0.6)) / 2, 6);
    expect(cos).toBeCloseTo((ce(0.6 - 0.35, 0.8) + ce(0.8 - 0.35, 0.6)) / 2, 6);
  });
});

/** Random normalised pair embeddings, W and labels (C = 5, d = 4, B = 6). */
function randomCase(seed: number) {
  const rng = new Rng(seed);
  return {
    g: tf.tensor2d(rng.normalArray(6 * 4), [6, 4]),
    p: tf.tensor2d(rng.normalArray(6 * 4), [6, 4]),
    w: tf.tensor2d(rng.normalArray(5 * 4), [5, 4]),
    y: tf.tensor1d([0, 1, 4, 2, 3, 1], 'int32'),
  };
}

describe('margin m = 0', () => {
  it("ArcFace and CosFace with m = 0 equal MFR's soft classification loss (plain cosine softmax)", () => {
    const { g, p, w, y } = randomCase(1);
    tf.tidy(() => {
      const [gn, pn] = [l2Normalize(g), l2Normalize(p)];
      const soft = softClassificationLoss(gn, pn, y, w, 16).dataSync()[0] as number;
      expect(arcFaceLoss(gn, pn, y, w, { scale: 16, margin: 0 }).dataSync()[0]).toBeCloseTo(soft, 5);
      expect(cosFaceLoss(gn, pn, y, w, { scale: 16, margin: 0 }).dataSync()[0]).toBeCloseTo(soft, 5);
      // And a margin makes the loss strictly larger (the target logit shrinks).
      expect(arcFaceLoss(gn, pn, y, w, { scale: 16, margin: 0.3 }).dataSync()[0]).toBeGreaterThan(soft + 0.1);
      expect(cosFaceLoss(gn, pn, y, w, { scale: 16, margin: 0.3 }).dataSync()[0]).toBeGreaterThan(soft + 0.1);
    });
    tf.dispose([g, p, w, y]);
  });
});

describe('derivatives', () => {
  const losses = {
    arcface: (g: tf.Tensor2D, p: tf.Tensor2D, y: tf.Tensor1D, w: tf.Tensor2D, s: number) => arcFaceLoss(g, p, y, w, { scale: s, margin: 0.5 }),
    'arcface (easy margin)': (g: tf.Tensor2D, p: tf.Tensor2D, y: tf.Tensor1D, w: tf.Tensor2D, s: number) =>
      arcFaceLoss(g, p, y, w, { scale: s, margin: 0.5, easyMargin: true }),
    cosface: (g: tf.Tensor2D, p: tf.Tensor2D, y: tf.Tensor1D, w: tf.Tensor2D, s: number) => cosFaceLoss(g, p, y, w, { scale: s, margin: 0.35 }),
  };

  it.each(Object.entries(losses))('%s: gradient w.r.t. embeddings (through normalisation) and W matches finite differences', (_, loss) => {
    const { g, p, w, y } = randomCase(2);
    const ofG = (x: tf.Tensor) => loss(l2Normalize(x as tf.Tensor2D), l2Normalize(p), y, w, 4);
    const ofW = (x: tf.Tensor) => loss(l2Normalize(g), l2Normalize(p), y, x as tf.Tensor2D, 4);
    expect(relError(autodiffGradient(ofG, g), numericGradient(ofG, g))).toBeLessThan(2e-3);
    expect(relError(autodiffGradient(ofW, w), numericGradient(ofW, w))).toBeLessThan(2e-3);
    tf.dispose([g, p, w, y]);
  });

  it.each(Object.entries(losses))('%s: differentiates twice (nested-gradient HVP = finite differences of gradients)', (_, loss) => {
    const { g, p, w, y } = randomCase(3);
    const rng = new Rng(30);
    const f = (q: Params) => loss(l2Normalize(q['g'] as tf.Tensor2D), l2Normalize(q['p'] as tf.Tensor2D), y, q['w'] as tf.Tensor2D, 8);
    const dir = { g: tf.tensor2d(rng.normalArray(24), [6, 4]), p: tf.tensor2d(rng.normalArray(24), [6, 4]), w: tf.tensor2d(rng.normalArray(20), [5, 4]) };
    const check = checkHvp(f, { g, p, w }, dir);
    expect(check.finiteDiffNorm).toBeGreaterThan(1e-2);
    expect(check.relativeError).toBeLessThan(1e-3);
    tf.dispose([g, p, w, y, ...Object.values(dir)]);
  });

  it('ArcFace differentiates twice in the fallback region θ_y > π − m too', () => {
    // Embeddings pointing away from their class centre: cos θ_y ≈ −0.95.
    const rng = new Rng(5);
    const w = tf.tensor2d([[1, 0.1, 0], [0, 1, 0.2], [0.3, 0, 1]]);
    const g = tf.tensor2d([[-1, -0.1, 0.05], [0.1, -1, -0.2]]);
    const p = tf.tensor2d([[-0.9, -0.2, 0.1], [0, -1, -0.3]]);
    const y = tf.tensor1d([0, 1], 'int32');
    const cy = tf.tidy(() => values(tf.sum(tf.mul(tf.matMul(l2Normalize(g), l2Normalize(w), false, true), tf.oneHot(y, 3)), 1)));
    for (const c of cy) expect(c).toBeLessThan(Math.cos(Math.PI - 0.5) - 0.02);
    const f = (q: Params) => arcFaceLoss(l2Normalize(q['g'] as tf.Tensor2D), l2Normalize(q['p'] as tf.Tensor2D), y, q['w'] as tf.Tensor2D, { scale: 8, margin: 0.5 });
    const dir = { g: tf.tensor2d(rng.normalArray(6), [2, 3]), p: tf.tensor2d(rng.normalArray(6), [2, 3]), w: tf.tensor2d(rng.normalArray(9), [3, 3]) };
    expect(checkHvp(f, { g, p, w }, dir, { stepNorm: 3e-3 }).relativeError).toBeLessThan(1e-3);
    tf.dispose([w, g, p, y, ...Object.values(dir)]);
  });
});

describe('NaN guards', () => {
  it('ArcFace value, gradient and HVP stay finite with an embedding exactly on (or opposite) its class centre, where acos is singular', () => {
    const y = tf.tensor1d([0, 1], 'int32');
    const w = tf.tensor2d([[1, 0], [0, 1]]);
    // Row 0: cos θ0 = 1 exactly; row 1: cos θ1 = −1 exactly.
    const e = tf.tensor2d([[1, 0], [0, -1]]);
    const f = (q: Params) => arcFaceLoss(q['e'] as tf.Tensor2D, q['e'] as tf.Tensor2D, y, q['w'] as tf.Tensor2D, { scale: 64, margin: 0.5 });
    const { value, grads } = valueAndGradsOf(f, { e, w });
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    for (const gr of Object.values(grads)) expect(values(gr).every(Number.isFinite)).toBe(true);
    const hv = tf.tidy(() => {
      const inner = (q: Params) => {
        const gr = valueAndGradsOf(f, q).grads;
        return tf.add(tf.sum(gr['e'] as tf.Tensor), tf.sum(gr['w'] as tf.Tensor)) as tf.Scalar;
      };
      return Object.values(valueAndGradsOf(inner, { e, w }).grads).flatMap(values);
    });
    expect(hv.every(Number.isFinite)).toBe(true);
    // The textbook cos(acos(c) + m) has an infinite derivative there: what the ε guard avoids.
    const naive = tf.tidy(() => values(tf.grad((c: tf.Tensor) => tf.sum(tf.cos(tf.add(tf.acos(c), 0.5))))(tf.tensor1d([1, -1]))));
    expect(naive.some((v) => !Number.isFinite(v))).toBe(true);
    tf.dispose([y, w, e, value, ...Object.values(grads)]);
  });

  it('the target stays within [−1 − m·sin m, 1] and is monotone in cos θ away from the fallback switch', () => {
    const c = tf.linspace(-1, 1, 201) as tf.Tensor1D;
    const t = tf.tidy(() => values(arcFaceTarget(c, 0.5)));
    const th = Math.cos(Math.PI - 0.5);
    const cs = values(c);
    t.forEach((v, i) => {
      expect(v).toBeGreaterThanOrEqual(-1 - 0.5 * Math.sin(0.5) - 1e-6);
      expect(v).toBeLessThanOrEqual(1);
      if (i > 0 && Math.sign((cs[i] as number) - th) === Math.sign((cs[i - 1] as number) - th)) expect(v).toBeGreaterThan(t[i - 1] as number);
    });
    c.dispose();
  });

  it('NaN embeddings give a NaN loss (propagated, not masked to a finite value), for the algorithm\'s NaN guard to catch', () => {
    const v = tf.tidy(() => {
      const e = tf.tensor2d([[Number.NaN, 0], [0, 1]]);
      const y = tf.tensor1d([0, 1], 'int32');
      return [arcFaceLoss(e, e, y, tf.eye(2) as tf.Tensor2D, { scale: 64, margin: 0.5 }), cosFaceLoss(e, e, y, tf.eye(2) as tf.Tensor2D, { scale: 64, margin: 0.35 })].map(
        (t) => t.dataSync()[0] as number,
      );
    });
    expect(v.every(Number.isNaN)).toBe(true);
  });
});
