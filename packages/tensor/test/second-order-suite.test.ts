// The second-order op suite: for every op the plugins use, the Hessian-vector
// product from nested gradients must match finite differences of first-order
// gradients, on cpu and on wasm. Smooth heads (tanh with random weights) make
// every Hessian non-trivial; relu/abs inputs stay ≥ 0.2 away from their kink
// and max/maxPool inputs are well separated, so no step crosses a kink.
import { Rng } from '@metadg/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHvp, crossEntropyWithLogits, l2Normalize, type Params } from '../src/index.js';
import { awayFromZero, BACKENDS, directionLike, distinct, randn, uniform, useBackend } from './support.js';

/** Relative error the brief allows; measured values are ~1e-5 (see README). */
const TOLERANCE = 1e-3;

interface Case {
  readonly params: Record<string, tf.Tensor>;
  readonly f: (p: Params) => tf.Scalar;
}

/** Σ r ⊙ tanh(y) with fixed random weights r: smooth, and sensitive to any permutation or sign error. */
function head(rng: Rng, shape: readonly number[]): (y: tf.Tensor) => tf.Scalar {
  const r = randn(rng, shape);
  return (y) => tf.sum(tf.mul(r, tf.tanh(y))) as tf.Scalar;
}

const p4 = (p: Params, k: string) => p[k] as tf.Tensor4D;
const p2 = (p: Params, k: string) => p[k] as tf.Tensor2D;

function unary(rng: Rng, shape: number[], op: (x: tf.Tensor) => tf.Tensor, x = randn(rng, shape, 0.7)): Case {
  const h = head(rng, op(x).shape);
  return { params: { x }, f: (p) => h(op(p['x'] as tf.Tensor)) };
}

function binary(rng: Rng, a: tf.Tensor, b: tf.Tensor, op: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor): Case {
  const h = head(rng, op(a, b).shape);
  return { params: { a, b }, f: (p) => h(op(p['a'] as tf.Tensor, p['b'] as tf.Tensor)) };
}

function conv(rng: Rng, size: number, stride: 1 | 2, pad: 'same' | 'valid'): Case {
  const x = randn(rng, [2, size, size, 3]);
  const w = randn(rng, [3, 3, 3, 4], 0.3);
  const h = head(rng, tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad).shape);
  return { params: { x, w }, f: (p) => h(tf.conv2d(p4(p, 'x'), p4(p, 'w'), stride, pad)) };
}

/** A miniature of the MFR backbone + cosine classifier, end to end. */
function smallNetwork(rng: Rng): Case {
  const images = randn(rng, [3, 7, 7, 2]);
  const labels = tf.tensor1d([0, 2, 1], 'int32');
  const params = {
    conv1: randn(rng, [3, 3, 2, 4], 0.4),
    conv2: randn(rng, [3, 3, 4, 4], 0.3),
    dense: randn(rng, [16, 5], 0.3),
    classes: randn(rng, [3, 5]),
  };
  const f = (p: Params): tf.Scalar => {
    const h1 = tf.softplus(tf.conv2d(images as tf.Tensor4D, p4(p, 'conv1'), 2, 'same'));
    const h2 = tf.tanh(tf.conv2d(h1, p4(p, 'conv2'), 1, 'valid'));
    const emb = l2Normalize(tf.matMul(tf.reshape(h2, [3, 16]), p2(p, 'dense')));
    const cosine = tf.matMul(emb, l2Normalize(p2(p, 'classes')), false, true);
    return crossEntropyWithLogits(tf.mul(cosine, 4), labels);
  };
  return { params, f };
}

/** Op name → a seeded case. Every op the plugins use, plus those the fixes cover. */
const CASES: Record<string, (rng: Rng) => Case> = {
  matMul: (r) => binary(r, randn(r, [3, 4]), randn(r, [4, 5], 0.5), (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D)),
  'matMul (transposeB)': (r) =>
    binary(r, randn(r, [3, 4]), randn(r, [5, 4], 0.5), (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, false, true)),
  'conv2d stride 1 same': (r) => conv(r, 5, 1, 'same'),
  'conv2d stride 1 valid': (r) => conv(r, 5, 1, 'valid'),
  'conv2d stride 2 same': (r) => conv(r, 7, 2, 'same'),
  'conv2d stride 2 valid': (r) => conv(r, 7, 2, 'valid'),
  'add (broadcast)': (r) => binary(r, randn(r, [3, 4]), randn(r, [4]), tf.add),
  'mul (broadcast)': (r) => binary(r, randn(r, [3, 4]), randn(r, [4]), tf.mul),
  sub: (r) => binary(r, randn(r, [3, 4]), randn(r, [3, 4]), tf.sub),
  div: (r) => binary(r, randn(r, [3, 4]), uniform(r, [3, 4], 1, 2), tf.div),
  exp: (r) => unary(r, [3, 4], tf.exp),
  log: (r) => unary(r, [3, 4], tf.log, uniform(r, [3, 4], 0.5, 2)),
  softplus: (r) => unary(r, [3, 4], tf.softplus),
  tanh: (r) => unary(r, [3, 4], tf.tanh),
  sigmoid: (r) => unary(r, [3, 4], tf.sigmoid),
  relu: (r) => unary(r, [3, 4], tf.relu, awayFromZero(r, [3, 4], 0.2, 1.5)),
  sqrt: (r) => unary(r, [3, 4], tf.sqrt, uniform(r, [3, 4], 0.5, 2)),
  l2Normalize: (r) => unary(r, [4, 5], (x) => l2Normalize(x)),
  'sum (axis 1)': (r) => unary(r, [3, 4], (x) => tf.sum(tf.square(x), 1)),
  'mean (axis 0)': (r) => unary(r, [3, 4], (x) => tf.mean(tf.exp(x), 0)),
  logSoftmax: (r) => unary(r, [3, 5], (x) => tf.logSoftmax(x)),
  softmax: (r) => unary(r, [3, 5], (x) => tf.softmax(x)),
  reshape: (r) => unary(r, [2, 6], (x) => tf.reshape(x, [3, 4])),
  transpose: (r) => unary(r, [2, 3, 4], (x) => tf.transpose(x, [2, 0, 1])),
  slice: (r) => unary(r, [4, 5], (x) => tf.slice(x, [1, 1], [2, 3])),
  concat: (r) => binary(r, randn(r, [2, 3]), randn(r, [2, 4]), (a, b) => tf.concat([a, b], 1)),
  'gather (axis 0, repeated ids)': (r) => unary(r, [5, 3], (x) => tf.gather(x, tf.tensor1d([4, 0, 4, 2], 'int32'))),
  'gather (axis 1)': (r) => unary(r, [3, 5], (x) => tf.gather(x, tf.tensor1d([1, 3], 'int32'), 1)),
  crossEntropyWithLogits: (r) => {
    const x = randn(r, [5, 4]);
    const labels = tf.tensor1d([0, 2, 1, 2, 0], 'int32');
    return { params: { w: randn(r, [4, 3]) }, f: (p) => crossEntropyWithLogits(tf.matMul(x as tf.Tensor2D, p2(p, 'w')), labels) };
  },
  // Beyond the plugins' list: ops whose second order needed a fix.
  elu: (r) => unary(r, [3, 4], tf.elu, awayFromZero(r, [3, 4], 0.2, 1.5)),
  prelu: (r) => binary(r, awayFromZero(r, [3, 4], 0.2, 1.5), uniform(r, [4], 0.1, 0.3), (a, b) => tf.prelu(a, b)),
  abs: (r) => unary(r, [3, 4], tf.abs, awayFromZero(r, [3, 4], 0.2, 1.5)),
  'max (reduce)': (r) => unary(r, [3, 5], (x) => tf.max(x, 1), distinct(r, [3, 5], -2, 2)),
  maximum: (r) => binary(r, awayFromZero(r, [3, 4], 0.2, 1), tf.zeros([3, 4]), tf.maximum),
  'pow (x^1.5)': (r) => unary(r, [3, 4], (x) => tf.pow(x, 1.5), uniform(r, [3, 4], 0.5, 2)),
  'maxPool 2×2': (r) => unary(r, [2, 4, 4, 3], (x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid'), distinct(r, [2, 4, 4, 3], -2, 2)),
  'avgPool 3×3 stride 2 same': (r) => unary(r, [2, 5, 5, 3], (x) => tf.avgPool(x as tf.Tensor4D, 3, 2, 'same')),
  'depthwiseConv2d stride 2 same': (r) => {
    const x = randn(r, [2, 6, 6, 3]);
    const w = randn(r, [3, 3, 3, 2], 0.3);
    const h = head(r, tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same').shape);
    return { params: { x, w }, f: (p) => h(tf.depthwiseConv2d(p4(p, 'x'), p4(p, 'w'), 2, 'same')) };
  },
  'small network (conv → softplus → conv → dense → l2Normalize → cosine CE)': smallNetwork,
};

const measured: { backend: string; op: string; error: number }[] = [];

describe.each(BACKENDS)('second-order suite on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(Object.keys(CASES))('%s: nested-gradient HVP matches finite differences', (op) => {
    const rng = new Rng(`hvp/${op}`);
    const before = tf.memory().numTensors;
    const error = tf.tidy(() => {
      const { params, f } = (CASES[op] as (r: Rng) => Case)(rng);
      const result = checkHvp(f, params, directionLike(rng, params));
      expect(result.finiteDiffNorm).toBeGreaterThan(0);
      return result.relativeError;
    });
    measured.push({ backend, op, error });
    expect(error).toBeLessThanOrEqual(TOLERANCE);
    expect(tf.memory().numTensors).toBe(before);
  });
});

afterAll(() => {
  // METADG_HVP_REPORT=1 prints the measured errors (the README's table).
  if (process.env['METADG_HVP_REPORT'] === undefined) return;
  const ops = [...new Set(measured.map((m) => m.op))];
  const row = (op: string) =>
    BACKENDS.map((b) => measured.find((m) => m.op === op && m.backend === b)?.error.toExponential(1) ?? '–').join(' | ');
  console.log(['| op | cpu | wasm |', '|---|---|---|', ...ops.map((op) => `| ${op} | ${row(op)} |`)].join('\n'));
});
