import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type Params } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { relError } from './testing.js';
import { metaGradient, type MetaGradientOptions } from './meta-gradient.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

// Quadratic inner objective L_train(θ) = ½θᵀAθ − bᵀθ (∇ = Aθ − b, H = A) and
// outer L_test(θ) = ½‖θ − c‖². Then θ_K = Mᴷθ + Σ_{j<K} Mʲ αb with M = I − αA,
// and ∇θ L_test(θ_K) = Mᴷ(θ_K − c) (M symmetric): a closed form to check against.
const A = [
  [2, 0.5],
  [0.5, 1],
];
const b = [1, -0.5];
const c = [0.3, 0.7];
const lossTrain = (p: Params) =>
  tf.tidy(() => {
    const t = p['t'] as tf.Tensor1D;
    const at = tf.squeeze(tf.matMul(tf.tensor2d(A), tf.reshape(t, [2, 1])));
    return tf.sub(tf.mul(0.5, tf.sum(tf.mul(t, at))), tf.sum(tf.mul(tf.tensor1d(b), t))) as tf.Scalar;
  });
const lossTest = (p: Params) => tf.mul(0.5, tf.sum(tf.square(tf.sub(p['t'] as tf.Tensor, tf.tensor1d(c))))) as tf.Scalar;

const matVec = (m: number[][], v: number[]) => m.map((row) => row[0]! * v[0]! + row[1]! * v[1]!);

function closedForm(theta: number[], alpha: number, steps: number, wTrain: number, wTest: number, order: 1 | 2): number[] {
  const M = A.map((row, i) => row.map((a, j) => (i === j ? 1 : 0) - alpha * a));
  let t = theta;
  for (let k = 0; k < steps; k++) t = matVec(M, t).map((x, i) => x + alpha * b[i]!);
  let v = t.map((x, i) => x - c[i]!);
  if (order === 2) for (let k = 0; k < steps; k++) v = matVec(M, v);
  const gTrain = matVec(A, theta).map((x, i) => x - b[i]!);
  return gTrain.map((g, i) => wTrain * g + wTest * v[i]!);
}

const base: MetaGradientOptions = { alpha: 0.2, trainWeight: 0.5, testWeight: 0.5, order: 2, hessian: 'exact', fdStep: 1e-3 };

describe('metaGradient', () => {
  for (const [name, options] of [
    ['second order, exact, 1 step (MFR weights)', { ...base }],
    ['second order, exact, 3 steps, MAML weights', { ...base, innerSteps: 3, trainWeight: 0, testWeight: 1 }],
    ['second order, finite differences, 3 steps', { ...base, innerSteps: 3, hessian: 'finite-difference' }],
    ['first order, 2 steps, MLDG weights', { ...base, innerSteps: 2, order: 1, trainWeight: 1, testWeight: 0.7 }],
  ] as const) {
    it(`matches the closed form: ${name}`, () => {
      const theta = { t: tf.tensor1d([0.4, -0.2]) };
      const g = metaGradient(lossTrain, lossTest, theta, options as MetaGradientOptions);
      const o = options as MetaGradientOptions;
      const want = closedForm([0.4, -0.2], o.alpha, o.innerSteps ?? 1, o.trainWeight, o.testWeight, o.order);
      expect(relError(Array.from(g['t']!.dataSync()), want)).toBeLessThan(1e-4);
      g['t']!.dispose();
      theta.t.dispose();
    });
  }

  it('differentiates through several non-quadratic inner steps (vs. finite differences of the whole map)', () => {
    // L_train has a θ-dependent Hessian, so each inner step's curvature differs.
    const train = (p: Params) => tf.sum(tf.log(tf.cosh(tf.mul(p['t'] as tf.Tensor, tf.tensor1d([1.5, -0.7, 1]))))) as tf.Scalar;
    const test = (p: Params) => tf.sum(tf.tanh(tf.mul(p['t'] as tf.Tensor, tf.tensor1d([0.3, 1.1, -0.8])))) as tf.Scalar;
    const alpha = 0.4;
    const steps = 2;
    const start = [0.5, -0.3, 0.9];
    // F(θ) = L_test(θ_K(θ)) evaluated forward only, differenced numerically in float64-ish steps.
    const F = (t: number[]) =>
      tf.tidy(() => {
        let p: Params = { t: tf.tensor1d(t) };
        for (let k = 0; k < steps; k++) {
          const g = tf.grad((x: tf.Tensor) => train({ t: x }))(p['t'] as tf.Tensor);
          p = { t: tf.sub(p['t'] as tf.Tensor, tf.mul(alpha, g)) };
        }
        return test(p).dataSync()[0]!;
      });
    const h = 1e-2;
    const numeric = start.map((_, i) => {
      const up = [...start];
      const down = [...start];
      up[i]! += h;
      down[i]! -= h;
      return (F(up) - F(down)) / (2 * h);
    });
    const theta = { t: tf.tensor1d(start) };
    const options = { ...base, alpha, innerSteps: steps, trainWeight: 0, testWeight: 1 };
    const exact = metaGradient(train, test, theta, options);
    const fd = metaGradient(train, test, theta, { ...options, hessian: 'finite-difference' });
    const first = metaGradient(train, test, theta, { ...options, order: 1 });
    const [e, f, o] = [exact, fd, first].map((g) => Array.from(g['t']!.dataSync()));
    expect(relError(e!, numeric)).toBeLessThan(2e-3);
    expect(relError(f!, e!)).toBeLessThan(1e-3);
    // The Hessian terms matter here: first order is measurably different.
    expect(relError(o!, e!)).toBeGreaterThan(0.05);
    for (const g of [exact, fd, first]) g['t']!.dispose();
    theta.t.dispose();
  });

  it('leaves no tensors behind and rejects a bad step count', () => {
    const theta = { t: tf.tensor1d([0.4, -0.2]) };
    const before = tf.memory().numTensors;
    for (const hessian of ['exact', 'finite-difference'] as const) {
      const g = metaGradient(lossTrain, lossTest, theta, { ...base, innerSteps: 2, hessian });
      g['t']!.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(() => metaGradient(lossTrain, lossTest, theta, { ...base, innerSteps: 0 })).toThrow(/innerSteps must be a positive integer/);
    theta.t.dispose();
  });
});
