import { Rng } from '@metadg/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, directionLike, expectClose, expectNoLeak, randn, useBackend, values } from '../test/support.js';
import { ArgumentError, ShapeError } from './errors.js';
import {
  combineParams,
  disposeParams,
  dotParams,
  hvp,
  hvpFiniteDiff,
  paramsNorm,
  sgdAdapt,
  valueAndGradsOf,
  type Params,
} from './functional.js';
import { crossEntropyWithLogits } from './ops/cross_entropy_with_logits.js';
import { l2Normalize } from './ops/l2_normalize.js';
import { checkGradient } from './testing/gradient_check.js';

/** f(θ) = ½ θᵀAθ + bᵀθ: ∇f = Aθ + b, H·v = A·v exactly. */
const A = [
  [2, 1, 0],
  [1, 3, -1],
  [0, -1, 4],
];
const quadratic = (p: Params): tf.Scalar => {
  const t = tf.reshape(p['t'] as tf.Tensor, [3, 1]);
  const quad = tf.mul(0.5, tf.sum(tf.mul(t, tf.matMul(tf.tensor2d(A), t))));
  return tf.add(quad, tf.sum(tf.mul(tf.tensor1d([1, -2, 0.5]), p['t'] as tf.Tensor))) as tf.Scalar;
};
const matVec = (v: number[]) => A.map((row) => row.reduce((s, a, j) => s + a * (v[j] as number), 0));

/** A tiny embedding network with a cosine-softmax head, smooth everywhere. */
function smallModel(rng: Rng) {
  const x = randn(rng, [6, 5]);
  const labels = tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32');
  const params = { w1: randn(rng, [5, 4], 0.5), w2: randn(rng, [4, 3], 0.5) };
  const f = (p: Params): tf.Scalar => {
    const emb = l2Normalize(tf.tanh(tf.matMul(x as tf.Tensor2D, p['w1'] as tf.Tensor2D)));
    return crossEntropyWithLogits(tf.mul(tf.matMul(emb, p['w2'] as tf.Tensor2D), 3), labels);
  };
  return { params, f };
}

describe('parameter-map helpers', () => {
  beforeAll(() => useBackend('cpu'));

  it('valueAndGradsOf returns the value, every key, and zeros for unused parameters', () => {
    tf.tidy(() => {
      const t = tf.tensor1d([1, 0, -1]);
      const unused = tf.ones([2, 2]);
      const { value, grads } = valueAndGradsOf(quadratic, { t, unused });
      expectClose(values(value), [0.5 * (2 + 4) + 1 - 0.5], 1e-6);
      expectClose(values(grads['t'] as tf.Tensor), matVec([1, 0, -1]).map((g, i) => g + ([1, -2, 0.5][i] as number)), 1e-6);
      expect(values(grads['unused'] as tf.Tensor)).toEqual([0, 0, 0, 0]);
    });
  });

  it('sgdAdapt, combineParams, dotParams and paramsNorm follow their formulas', () => {
    tf.tidy(() => {
      const p = { a: tf.tensor1d([1, 2]), b: tf.tensor1d([3]) };
      const g = { a: tf.tensor1d([10, -10]) };
      const adapted = sgdAdapt(p, g, 0.1);
      expect(values(adapted['a'] as tf.Tensor)).toEqual([0, 3]);
      expect(adapted['b']).toBe(p.b);
      const combined = combineParams(2, p, -1, { a: tf.tensor1d([1, 1]) });
      expect(values(combined['a'] as tf.Tensor)).toEqual([1, 3]);
      expect(values(combined['b'] as tf.Tensor)).toEqual([6]);
      expect(values(dotParams(p, { a: tf.tensor1d([1, 1]), c: tf.ones([4]) }))).toEqual([3]);
      expect(paramsNorm(p)).toBeCloseTo(Math.sqrt(14), 6);
    });
  });

  it('disposeParams frees all but the kept tensors', () => {
    const keep = tf.ones([2]);
    const other = tf.zeros([2]);
    disposeParams({ keep, other }, { keep });
    expect(keep.isDisposed).toBe(false);
    expect(other.isDisposed).toBe(true);
    keep.dispose();
  });
});

describe.each(BACKENDS)('Hessian-vector products on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it('hvp is exact on a quadratic (H·v = A·v)', () => {
    tf.tidy(() => {
      const v = [0.5, -1, 2];
      const got = hvp(quadratic, { t: tf.tensor1d([0.3, -0.2, 0.9]) }, { t: tf.tensor1d(v) })['t'] as tf.Tensor;
      expectClose(values(got), matVec(v), 1e-6);
    });
  });

  it('hvpFiniteDiff (default ‖εv‖ = 1e-3) agrees with the nested-gradient HVP', () => {
    const rng = new Rng(`hvp-fd/${backend}`);
    tf.tidy(() => {
      const quad = hvpFiniteDiff(quadratic, { t: tf.tensor1d([0.3, -0.2, 0.9]) }, { t: tf.tensor1d([0.5, -1, 2]) })['t'] as tf.Tensor;
      expectClose(values(quad), matVec([0.5, -1, 2]), 1e-3);
      const { params, f } = smallModel(rng);
      const v = directionLike(rng, params);
      const nested = hvp(f, params, v);
      const central = hvpFiniteDiff(f, params, v);
      const fivePoint = hvpFiniteDiff(f, params, v, { stencil: 'five-point', stepNorm: 1e-2 });
      const diff = (a: Params, b: Params) => paramsNorm(combineParams(1, a, -1, b)) / paramsNorm(b);
      expect(diff(central, nested)).toBeLessThan(1e-3);
      expect(diff(fivePoint, nested)).toBeLessThan(2e-4);
    });
  });

  it('hvpFiniteDiff: ε = stepNorm/‖v‖, linear in v, zero for v = 0', () => {
    const rng = new Rng(`hvp-fd-eps/${backend}`);
    tf.tidy(() => {
      const { params, f } = smallModel(rng);
      const v = directionLike(rng, params);
      const byDefault = hvpFiniteDiff(f, params, v);
      const explicit = hvpFiniteDiff(f, params, v, { epsilon: 1e-3 / paramsNorm(v) });
      expectClose(values(byDefault['w1'] as tf.Tensor), values(explicit['w1'] as tf.Tensor), 0);
      // Scaling v by 4 scales the product by 4 (ε shrinks so ‖εv‖ stays 1e-3).
      const scaled = hvpFiniteDiff(f, params, combineParams(4, v, 0, {}));
      expectClose(values(scaled['w2'] as tf.Tensor), values(tf.mul(byDefault['w2'] as tf.Tensor, 4)), 1e-4);
      const zero = hvpFiniteDiff(f, params, { w1: tf.zeros([5, 4]) });
      expect(values(zero['w2'] as tf.Tensor).every((x) => x === 0)).toBe(true);
    });
  });

  it('rejects a direction with unknown keys, wrong shapes, or a bad step', () => {
    tf.tidy(() => {
      const params = { t: tf.tensor1d([1, 2, 3]) };
      expect(() => hvpFiniteDiff(quadratic, params, { u: tf.ones([3]) })).toThrow(ArgumentError);
      expect(() => hvpFiniteDiff(quadratic, params, { u: tf.ones([3]) })).toThrow('hvpFiniteDiff: v.u: is not a parameter');
      expect(() => hvp(quadratic, params, { t: tf.ones([4]) })).toThrow(ShapeError);
      expect(() => hvp(quadratic, params, { t: tf.ones([4]) })).toThrow('hvp: v.t: expected shape [3], got [4]');
      expect(() => hvpFiniteDiff(quadratic, params, params, { stepNorm: 0 })).toThrow(/stepNorm/);
      expect(() => hvpFiniteDiff(quadratic, params, params, { epsilon: -1 })).toThrow(/epsilon/);
    });
  });

  it('keeps the tensor count flat across repeated products', () => {
    const rng = new Rng(`hvp-memory/${backend}`);
    const { params, f } = smallModel(rng);
    const v = directionLike(rng, params);
    expectNoLeak(() => {
      tf.dispose(hvp(f, params, v));
      tf.dispose(hvpFiniteDiff(f, params, v));
    });
  });

  it('second-order meta-gradient ∇θ L_T(θ − α∇L_S(θ)) matches finite differences of the meta-loss', () => {
    // The MFR / MAML meta-step: differentiating through the inner SGD step.
    const rng = new Rng(`meta-gradient/${backend}`);
    const source = smallModel(rng.fork('source'));
    const target = smallModel(rng.fork('target'));
    const alpha = 0.5;
    const metaLoss = (p: Params): tf.Scalar => target.f(sgdAdapt(p, valueAndGradsOf(source.f, p).grads, alpha));
    const params = source.params;
    const { relativeError, analytic } = checkGradient(metaLoss, params, directionLike(rng, params));
    expect(Math.abs(analytic)).toBeGreaterThan(1e-3);
    expect(relativeError).toBeLessThan(1e-3);
    // The first-order approximation (Hessian term dropped) is measurably different.
    const firstOrder = tf.tidy(() => {
      const adapted = sgdAdapt(params, valueAndGradsOf(source.f, params).grads, alpha);
      const { grads } = valueAndGradsOf(target.f, adapted);
      const full = valueAndGradsOf(metaLoss, params).grads;
      return paramsNorm(combineParams(1, full, -1, grads)) / paramsNorm(full);
    });
    expect(firstOrder).toBeGreaterThan(1e-2);
  });
});
