import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type Params } from '@metadg/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relError, values } from '../test/helpers.js';
import { mfrMetaGradient, type MetaGradientOptions } from './meta-gradient.js';

// A problem with a closed-form meta-gradient, θ = (x ∈ R², y ∈ R):
//   L_S(θ) = x1² + x1·x2 + 1.5·x2² + x1 − x2 = ½xᵀAx + bᵀx,  A = [[2, 1], [1, 3]], b = (1, −1)
//   L_T(θ) = ½‖x − c‖² + y²,  c = (1, 1)            (y is used by L_T only)
//   ∇L_S = (Ax + b, 0);  x' = x − α(Ax + b);  y' = y
//   second order: ∇θ L_T(θ') = ((I − αA)(x' − c), 2y);  first order: (x' − c, 2y)
const lossS = (p: Params): tf.Scalar =>
  tf.tidy(() => {
    const [x1, x2] = tf.unstack(p['x'] as tf.Tensor1D);
    const quad = tf.addN([tf.square(x1!), tf.mul(x1!, x2!), tf.mul(tf.square(x2!), 1.5), x1!, tf.neg(x2!)]);
    return quad as tf.Scalar;
  });
const lossT = (p: Params): tf.Scalar =>
  tf.tidy(() => tf.add(tf.mul(tf.sum(tf.square(tf.sub(p['x'] as tf.Tensor, tf.tensor1d([1, 1])))), 0.5), tf.sum(tf.square(p['y'] as tf.Tensor))) as tf.Scalar);

function expected(x: [number, number], y: number, alpha: number, gamma: number, order: 1 | 2): { x: number[]; y: number[] } {
  const gs = [2 * x[0] + x[1] + 1, x[0] + 3 * x[1] - 1];
  const xa = [x[0] - alpha * gs[0]!, x[1] - alpha * gs[1]!];
  const d = [xa[0]! - 1, xa[1]! - 1];
  const gt = order === 1 ? d : [d[0]! - alpha * (2 * d[0]! + d[1]!), d[1]! - alpha * (d[0]! + 3 * d[1]!)];
  return { x: [gamma * gs[0]! + (1 - gamma) * gt[0]!, gamma * gs[1]! + (1 - gamma) * gt[1]!], y: [(1 - gamma) * 2 * y] };
}

let theta: Record<string, tf.Variable>;

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
  theta = { x: tf.variable(tf.tensor1d([0.5, -1])), y: tf.variable(tf.tensor1d([2])) };
});
afterAll(() => tf.dispose(Object.values(theta)));

const cases: { name: string; options: MetaGradientOptions; order: 1 | 2 }[] = [
  { name: 'second order, exact', order: 2, options: { alpha: 0.1, gamma: 0.5, order: 2, hessian: 'exact', fdStep: 1e-3 } },
  { name: 'second order, finite-difference Hessian', order: 2, options: { alpha: 0.1, gamma: 0.3, order: 2, hessian: 'finite-difference', fdStep: 1e-3 } },
  { name: 'first order', order: 1, options: { alpha: 0.1, gamma: 0.5, order: 1, hessian: 'exact', fdStep: 1e-3 } },
];

describe('mfrMetaGradient', () => {
  for (const { name, options, order } of cases) {
    it(`${name}: matches the closed form`, () => {
      const before = tf.memory().numTensors;
      const g = mfrMetaGradient(lossS, lossT, theta, options);
      const want = expected([0.5, -1], 2, options.alpha, options.gamma, order);
      expect(relError(values(g['x']!), want.x)).toBeLessThan(1e-4);
      expect(relError(values(g['y']!), want.y)).toBeLessThan(1e-6);
      tf.dispose(Object.values(g));
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('second and first order differ by the Hessian term, which grows with α', () => {
    const gap = (alpha: number): number => {
      const two = mfrMetaGradient(lossS, lossT, theta, { ...cases[0]!.options, alpha });
      const one = mfrMetaGradient(lossS, lossT, theta, { ...cases[2]!.options, alpha });
      const r = relError(values(two['x']!), values(one['x']!));
      tf.dispose([...Object.values(two), ...Object.values(one)]);
      return r;
    };
    expect(gap(0.01)).toBeLessThan(gap(0.3));
    expect(gap(0.3)).toBeGreaterThan(0.1);
  });

  it('γ = 1 is plain gradient descent on L_S; γ = 0 is pure meta-test', () => {
    const plain = mfrMetaGradient(lossS, lossT, theta, { ...cases[0]!.options, gamma: 1 });
    expect(relError(values(plain['x']!), [2 * 0.5 - 1 + 1, 0.5 - 3 - 1])).toBeLessThan(1e-6);
    expect(values(plain['y']!)).toEqual([0]);
    const meta = mfrMetaGradient(lossS, lossT, theta, { ...cases[0]!.options, gamma: 0 });
    expect(relError(values(meta['x']!), expected([0.5, -1], 2, 0.1, 0, 2).x)).toBeLessThan(1e-5);
    tf.dispose([...Object.values(plain), ...Object.values(meta)]);
  });

  it('never modifies the variables', () => {
    const g = mfrMetaGradient(lossS, lossT, theta, cases[0]!.options);
    tf.dispose(Object.values(g));
    expect(values(theta['x']!)).toEqual([0.5, -1]);
    expect(values(theta['y']!)).toEqual([2]);
  });
});
