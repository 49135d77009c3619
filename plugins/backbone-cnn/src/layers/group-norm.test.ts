import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '@metadg/core';
import { initBackend } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkDirectionalDerivative, checkHessianVectorProduct, randomDirection } from '../testing/gradient-check.js';
import { Rng } from '@metadg/core';
import { groupNorm, groupNormLayer } from './group-norm.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

// One sample, H = 1, W = 2, C = 4: position 0 holds channels [1, 2, 3, 4], position 1 holds [5, 6, 7, 8].
const X = [[[[1, 2, 3, 4], [5, 6, 7, 8]]]];

describe('groupNorm', () => {
  it('matches a hand-computed case (2 groups, γ, β)', () => {
    // Group 0 = channels 0, 1 over both positions = {1, 2, 5, 6}: mean 3.5, variance (2.5² + 1.5² + 1.5² + 2.5²) / 4 = 4.25.
    // Group 1 = channels 2, 3 = {3, 4, 7, 8}: mean 5.5, variance 4.25.
    const s = Math.sqrt(4.25 + 1e-5);
    const gamma = [1, 2, 3, 4];
    const beta = [0.5, 0, -0.5, 1];
    const normed = [
      [-2.5 / s, -1.5 / s, -2.5 / s, -1.5 / s],
      [1.5 / s, 2.5 / s, 1.5 / s, 2.5 / s],
    ];
    const expected = normed.map((row) => row.map((v, c) => v * (gamma[c] as number) + (beta[c] as number)));
    const y = tf.tidy(() => groupNorm(tf.tensor4d(X), tf.tensor1d(gamma), tf.tensor1d(beta), 2, 1e-5).arraySync());
    const got = y[0]?.[0] ?? [];
    got.forEach((row, p) => row.forEach((v, c) => expect(v).toBeCloseTo(expected[p]?.[c] as number, 5)));
  });

  it('normalises each sample with its own statistics (no batch dependence)', () => {
    const alone = tf.tidy(() => groupNorm(tf.tensor4d(X), undefined, undefined, 2).arraySync());
    const withOther = tf.tidy(() => {
      const other = tf.mul(tf.tensor4d(X), -7).add(100);
      return groupNorm(tf.concat([tf.tensor4d(X), other as tf.Tensor4D]), undefined, undefined, 2).arraySync();
    });
    expect(withOther[0]).toEqual(alone[0]);
  });

  it('one group is LayerNorm over H, W, C; C groups is InstanceNorm', () => {
    const [ln, inorm] = tf.tidy(() => [
      groupNorm(tf.tensor4d(X), undefined, undefined, 1, 0).arraySync(),
      groupNorm(tf.tensor4d(X), undefined, undefined, 4, 0).arraySync(),
    ]);
    // LayerNorm: values 1..8, mean 4.5, variance (3.5² + 2.5² + 1.5² + 0.5²) · 2 / 8 = 5.25.
    expect(ln[0]?.[0]?.[0]?.[0]).toBeCloseTo(-3.5 / Math.sqrt(5.25), 5);
    expect(ln[0]?.[0]?.[1]?.[3]).toBeCloseTo(3.5 / Math.sqrt(5.25), 5);
    // InstanceNorm: channel 0 = {1, 5}: mean 3, variance 4 → −1, +1.
    expect(inorm[0]?.[0]?.[0]?.[0]).toBeCloseTo(-1, 5);
    expect(inorm[0]?.[0]?.[1]?.[0]).toBeCloseTo(1, 5);
  });

  it('maps a constant input to β without NaN (ε keeps the division finite)', () => {
    const y = tf.tidy(() => groupNorm(tf.fill([1, 2, 2, 4], 3) as tf.Tensor4D, tf.ones([4]), tf.tensor1d([1, 2, 3, 4]), 2).arraySync());
    expect(y[0]?.[1]?.[1]).toEqual([1, 2, 3, 4]);
  });

  it('rejects channels that the groups do not divide, naming the layer', () => {
    expect(() => groupNormLayer('gn3', [4, 4, 12], { groups: 8 })).toThrow(ShapeError);
    expect(() => groupNormLayer('gn3', [4, 4, 12], { groups: 8 })).toThrow(/gn3.*divisible by groups = 8.*\[4, 4, 12\]/);
    expect(() => groupNormLayer('gn3', [16], { groups: 8 })).toThrow(/gn3.*\[H, W, C\]/);
  });

  it('declares γ (ones) and β (zeros) with stable names', () => {
    const layer = groupNormLayer('gn1', [4, 4, 8], { groups: 2 });
    expect(layer.params).toEqual([
      { name: 'gn1/gamma', shape: [8], init: { kind: 'ones' } },
      { name: 'gn1/beta', shape: [8], init: { kind: 'zeros' } },
    ]);
    expect(groupNormLayer('gn1', [4, 4, 8], { groups: 2, affine: false }).params).toEqual([]);
  });

  it('differentiates once and twice correctly (finite differences)', () => {
    const rng = new Rng(11);
    const x = tf.keep(tf.tensor4d(rng.normalArray(2 * 3 * 3 * 4), [2, 3, 3, 4]));
    const w = tf.keep(tf.tensor4d(rng.normalArray(2 * 3 * 3 * 4), [2, 3, 3, 4]));
    const params = {
      x,
      gamma: tf.keep(tf.tensor1d([1, 0.5, -1, 2])),
      beta: tf.keep(tf.tensor1d([0, 0.1, 0.2, 0.3])),
    };
    // A scalar that is not linear in the output, so the Hessian is not trivially zero.
    const f = (p: Readonly<Record<string, tf.Tensor>>): tf.Scalar =>
      tf.sum(tf.square(tf.mul(groupNorm(p['x'] as tf.Tensor4D, p['gamma'] as tf.Tensor1D, p['beta'] as tf.Tensor1D, 2), w)));
    const v = randomDirection(params, new Rng(12));
    const first = checkDirectionalDerivative(f, params, v, 1e-2);
    expect(Math.abs(first.analytic)).toBeGreaterThan(1e-3);
    expect(first.relError).toBeLessThan(5e-3);
    const second = checkHessianVectorProduct(f, params, v, 1e-2);
    expect(second.analyticNorm).toBeGreaterThan(1e-3);
    expect(second.relError).toBeLessThan(5e-3);
  });
});
