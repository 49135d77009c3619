import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeak, useBackend } from '../../test/support.js';
import { ArgumentError } from '../errors.js';
import type { Params } from '../functional.js';
import { checkGradient } from './gradient_check.js';
import { checkHvp } from './hvp_check.js';

const X = [0.5, -1, 1.5, 2];
const V = [1, 0.5, -1, 0.25];

/** y = x³ with a custom gradient 3x²; `detached` computes it from a constant copy of x (first order right, second order lost). */
function cube(detached: boolean) {
  return tf.customGrad((x, save) => {
    (save as tf.GradSaveFunc)([x as tf.Tensor]);
    return {
      value: tf.pow(x as tf.Tensor, 3),
      gradFunc: (dy, saved) => {
        const s = saved[0] as tf.Tensor;
        const base = detached ? tf.tensor(s.dataSync(), s.shape) : s;
        return tf.mul(dy, tf.mul(3, tf.square(base)));
      },
    };
  });
}

describe('checkHvp and checkGradient', () => {
  beforeAll(() => useBackend('cpu'));

  it('checkHvp passes a correct second derivative and flags a dropped one', () => {
    const run = (detached: boolean) =>
      tf.tidy(() => {
        const op = cube(detached);
        const f = (p: Params) => tf.sum(op(p['x'] as tf.Tensor)) as tf.Scalar;
        return checkHvp(f, { x: tf.tensor1d(X) }, { x: tf.tensor1d(V) });
      });
    const good = run(false);
    expect(good.relativeError).toBeLessThan(1e-4);
    // H·v = 6x ⊙ v, by hand.
    expect(good.finiteDiffNorm).toBeCloseTo(Math.hypot(...X.map((x, i) => 6 * x * (V[i] as number))), 2);
    expect(good.perParam['x']).toBe(good.relativeError);
    const bad = run(true);
    expect(bad.nestedNorm).toBe(0);
    expect(bad.relativeError).toBeCloseTo(1, 6);
  });

  it('checkGradient passes a correct gradient and flags a wrong one', () => {
    const wrong = tf.customGrad((x) => ({ value: tf.pow(x as tf.Tensor, 3), gradFunc: (dy) => tf.mul(dy, tf.mul(2, x as tf.Tensor)) }));
    tf.tidy(() => {
      const params = { x: tf.tensor1d(X) };
      const direction = { x: tf.tensor1d(V) };
      const right = checkGradient((p) => tf.sum(cube(false)(p['x'] as tf.Tensor)) as tf.Scalar, params, direction);
      // ⟨∇Σx³, v⟩ = Σ 3x²v, by hand.
      expect(right.analytic).toBeCloseTo(X.reduce((s, x, i) => s + 3 * x * x * (V[i] as number), 0), 4);
      expect(right.relativeError).toBeLessThan(1e-4);
      const flagged = checkGradient((p) => tf.sum(wrong(p['x'] as tf.Tensor)) as tf.Scalar, params, direction);
      expect(flagged.relativeError).toBeGreaterThan(0.1);
    });
  });

  it('reports 0 when both products vanish and rejects a zero direction for checkGradient', () => {
    tf.tidy(() => {
      const linear = (p: Params) => tf.sum(tf.mul(p['x'] as tf.Tensor, 2)) as tf.Scalar;
      expect(checkHvp(linear, { x: tf.tensor1d(X) }, { x: tf.tensor1d(V) }).relativeError).toBe(0);
      expect(() => checkGradient(linear, { x: tf.tensor1d(X) }, { x: tf.zeros([4]) })).toThrow(ArgumentError);
    });
  });

  it('keeps the tensor count flat', () => {
    const x = tf.tensor1d(X);
    const v = tf.tensor1d(V);
    const f = (p: Params) => tf.sum(tf.tanh(p['x'] as tf.Tensor)) as tf.Scalar;
    expectNoLeak(() => {
      checkHvp(f, { x }, { x: v });
      checkGradient(f, { x }, { x: v });
    });
    tf.dispose([x, v]);
  });
});
