import { Rng } from '@metadg/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { awayFromZero, BACKENDS, directionLike, distinct, expectClose, randn, useBackend, values } from '../../test/support.js';
import { type Params } from '../functional.js';
import { checkGradient } from '../testing/gradient_check.js';
import { MISSING_GRADIENTS, registerGradientFixes } from './register_gradients.js';

const run = (name: string, inputs: tf.NamedTensorMap, attrs: object): tf.Tensor =>
  tf.engine().runKernel<tf.Tensor>(name, inputs, attrs as tf.NamedAttrMap);

/**
 * A kernel whose gradient config is under test, as f(params) = Σ r ⊙ kernel(params):
 * its autodiff directional derivative must match finite differences.
 */
interface KernelCase {
  readonly inputs: (rng: Rng) => Record<string, tf.Tensor>;
  readonly fixed?: (rng: Rng) => Record<string, tf.Tensor>;
  readonly kernel: (all: Params) => tf.Tensor;
  /**
   * ‖εv‖ of the finite differences. These kernels are linear or bilinear in
   * their inputs, so the five-point stencil is exact for any step and a large
   * one keeps float32 round-off small; EluGrad is bilinear only on each side
   * of y = 0, so its step stays below the inputs' distance to 0.
   */
  readonly stepNorm?: number;
}

const conv = (stride: number, pad: 'same' | 'valid', size: number) => ({ strides: [stride, stride], pad, dataFormat: 'NHWC', size });
const convOut = (size: number, stride: number, pad: 'same' | 'valid') => (pad === 'same' ? Math.ceil(size / stride) : Math.floor((size - 3) / stride) + 1);

function backpropFilterCase(stride: number, pad: 'same' | 'valid', size: number): KernelCase {
  const o = convOut(size, stride, pad);
  const { strides } = conv(stride, pad, size);
  return {
    inputs: (r) => ({ x: randn(r, [2, size, size, 3]), dy: randn(r, [2, o, o, 4]) }),
    kernel: (p) => run(tf.Conv2DBackpropFilter, { x: p['x'] as tf.Tensor, dy: p['dy'] as tf.Tensor }, { strides, pad, dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] }),
  };
}

function backpropInputCase(stride: number, pad: 'same' | 'valid', size: number): KernelCase {
  const o = convOut(size, stride, pad);
  const { strides } = conv(stride, pad, size);
  return {
    inputs: (r) => ({ dy: randn(r, [2, o, o, 4]), filter: randn(r, [3, 3, 3, 4]) }),
    kernel: (p) =>
      run(tf.Conv2DBackpropInput, { dy: p['dy'] as tf.Tensor, filter: p['filter'] as tf.Tensor }, { strides, pad, dataFormat: 'NHWC', inputShape: [2, size, size, 3] }),
  };
}

const KERNELS: Record<string, KernelCase> = {
  'Conv2DBackpropFilter stride 1 same': backpropFilterCase(1, 'same', 5),
  'Conv2DBackpropFilter stride 2 same (odd size)': backpropFilterCase(2, 'same', 7),
  'Conv2DBackpropFilter stride 2 valid': backpropFilterCase(2, 'valid', 7),
  'Conv2DBackpropInput (stock) stride 1 valid': backpropInputCase(1, 'valid', 5),
  'Conv2DBackpropInput (stock) stride 2 same': backpropInputCase(2, 'same', 6),
  'DepthwiseConv2dNativeBackpropFilter stride 2 same, multiplier 2': {
    inputs: (r) => ({ x: randn(r, [2, 6, 6, 3]), dy: randn(r, [2, 3, 3, 6]) }),
    kernel: (p) =>
      run(tf.DepthwiseConv2dNativeBackpropFilter, { x: p['x'] as tf.Tensor, dy: p['dy'] as tf.Tensor }, { strides: [2, 2], dilations: [1, 1], pad: 'same', filterShape: [3, 3, 3, 2] }),
  },
  'DepthwiseConv2dNativeBackpropInput stride 1 valid, multiplier 2': {
    inputs: (r) => ({ dy: randn(r, [2, 3, 3, 6]), filter: randn(r, [3, 3, 3, 2]) }),
    kernel: (p) =>
      run(tf.DepthwiseConv2dNativeBackpropInput, { dy: p['dy'] as tf.Tensor, filter: p['filter'] as tf.Tensor }, { strides: [1, 1], dilations: [1, 1], pad: 'valid', inputShape: [2, 5, 5, 3] }),
  },
  EluGrad: {
    inputs: (r) => ({ dy: randn(r, [3, 4]), y: awayFromZero(r, [3, 4], 0.3, 0.9) }),
    stepNorm: 0.05,
    kernel: (p) => run(tf.EluGrad, { dy: p['dy'] as tf.Tensor, y: p['y'] as tf.Tensor }, {}),
  },
  'AvgPoolGrad 3×3 stride 2 same': {
    inputs: (r) => ({ dy: randn(r, [2, 3, 3, 2]) }),
    fixed: (r) => ({ input: randn(r, [2, 5, 5, 2]) }),
    kernel: (p) => run(tf.AvgPoolGrad, { dy: p['dy'] as tf.Tensor, input: p['input'] as tf.Tensor }, { filterSize: 3, strides: 2, pad: 'same' }),
  },
  'AvgPoolGrad 2×2 stride 1 valid': {
    inputs: (r) => ({ dy: randn(r, [2, 4, 4, 2]) }),
    fixed: (r) => ({ input: randn(r, [2, 5, 5, 2]) }),
    kernel: (p) => run(tf.AvgPoolGrad, { dy: p['dy'] as tf.Tensor, input: p['input'] as tf.Tensor }, { filterSize: 2, strides: 1, pad: 'valid' }),
  },
  'MaxPoolGrad 3×3 stride 2 same, negative inputs': {
    inputs: (r) => ({ dy: randn(r, [2, 3, 3, 3]) }),
    fixed: (r) => {
      const input = distinct(r, [2, 5, 5, 3], -3, -1);
      return { input, output: tf.maxPool(input as tf.Tensor4D, 3, 2, 'same') };
    },
    kernel: (p) =>
      run(tf.MaxPoolGrad, { dy: p['dy'] as tf.Tensor, input: p['input'] as tf.Tensor, output: p['output'] as tf.Tensor }, { filterSize: 3, strides: 2, pad: 'same' }),
  },
  'MaxPoolGrad 2×2 stride 2': {
    inputs: (r) => ({ dy: randn(r, [2, 2, 2, 3]) }),
    fixed: (r) => {
      const input = distinct(r, [2, 4, 4, 3], -2, 2);
      return { input, output: tf.maxPool(input as tf.Tensor4D, 2, 2, 'valid') };
    },
    kernel: (p) =>
      run(tf.MaxPoolGrad, { dy: p['dy'] as tf.Tensor, input: p['input'] as tf.Tensor, output: p['output'] as tf.Tensor }, { filterSize: 2, strides: 2, pad: 'valid' }),
  },
};

describe.each(BACKENDS)('gradient fixes on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(Object.keys(KERNELS))('%s: gradient matches finite differences', (name) => {
    const rng = new Rng(`grad/${name}`);
    const c = KERNELS[name] as KernelCase;
    const relativeError = tf.tidy(() => {
      const params = c.inputs(rng);
      const fixed = c.fixed?.(rng) ?? {};
      const r = randn(rng, c.kernel({ ...params, ...fixed }).shape);
      const f = (p: Params) => tf.sum(tf.mul(r, c.kernel({ ...p, ...fixed }))) as tf.Scalar;
      return checkGradient(f, params, directionLike(rng, params), { stepNorm: c.stepNorm ?? 1 }).relativeError;
    });
    expect(relativeError).toBeLessThan(1e-5);
  });

  // Stock first-order bugs: avgPool 'same' divided by the filter area at the
  // borders (cpu and wasm); wasm's maxPool gradient dropped all-negative windows.
  // avgPool is linear (any step is exact); maxPool's step must stay below the
  // inputs' spacing, which leaves float32 round-off near 2e-4 (the bugs were 5–6 %).
  const pooling: Record<string, { x: (r: Rng) => tf.Tensor; op: (x: tf.Tensor4D) => tf.Tensor; stepNorm: number; tol: number }> = {
    'avgPool 3×3 stride 2 same': { x: (r) => randn(r, [2, 5, 5, 2]), op: (x) => tf.avgPool(x, 3, 2, 'same'), stepNorm: 1, tol: 1e-5 },
    'avgPool 2×2 stride 2 same, odd size': { x: (r) => randn(r, [1, 5, 5, 2]), op: (x) => tf.avgPool(x, 2, 2, 'same'), stepNorm: 1, tol: 1e-5 },
    'maxPool 3×3 stride 2 same, negative inputs': {
      x: (r) => distinct(r, [2, 5, 5, 3], -3, -1),
      op: (x) => tf.maxPool(x, 3, 2, 'same'),
      stepNorm: 0.01,
      tol: 1e-3,
    },
  };
  it.each(Object.keys(pooling))('%s: first-order gradient is exact', (name) => {
    const c = pooling[name] as (typeof pooling)[string];
    const rng = new Rng(`pool/${name}`);
    const relativeError = tf.tidy(() => {
      const x = c.x(rng);
      const r = randn(rng, c.op(x as tf.Tensor4D).shape);
      const f = (p: Params) => tf.sum(tf.mul(r, c.op(p['x'] as tf.Tensor4D))) as tf.Scalar;
      return checkGradient(f, { x }, directionLike(rng, { x }), { stepNorm: c.stepNorm }).relativeError;
    });
    expect(relativeError).toBeLessThan(c.tol);
  });

  // Each mask is piecewise constant, so d/dx Σ x ⊙ mask(x) is exactly the mask.
  const x = [-1.5, -0.5, 0, 0.5, 1, 2];
  const c = [-1.5, 0, 0, 1, 1, 0];
  const masks: Record<string, { op: (x: tf.Tensor, c: tf.Tensor) => tf.Tensor; expected: number[] }> = {
    Greater: { op: (a, b) => tf.greater(a, b), expected: [0, 0, 0, 0, 0, 1] },
    Less: { op: (a, b) => tf.less(a, b), expected: [0, 1, 0, 1, 0, 0] },
    LessEqual: { op: (a, b) => tf.lessEqual(a, b), expected: [1, 1, 1, 1, 1, 0] },
    Equal: { op: (a, b) => tf.equal(a, b), expected: [1, 0, 1, 0, 1, 0] },
    NotEqual: { op: (a, b) => tf.notEqual(a, b), expected: [0, 1, 0, 1, 0, 1] },
    LogicalAnd: { op: (a, b) => tf.logicalAnd(tf.greater(a, -1), tf.lessEqual(a, b)), expected: [0, 1, 1, 1, 1, 0] },
    LogicalOr: { op: (a, b) => tf.logicalOr(tf.less(a, -1), tf.greater(a, b)), expected: [1, 0, 0, 0, 0, 1] },
    LogicalNot: { op: (a, b) => tf.logicalNot(tf.greater(a, b)), expected: [1, 1, 1, 1, 1, 0] },
  };
  it.each(Object.keys(masks))('%s has a zero gradient (masks built from x differentiate)', (name) => {
    const { op, expected } = masks[name] as (typeof masks)[string];
    tf.tidy(() => {
      const [gx, gc] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(a, tf.cast(op(a, b), 'float32'))))([tf.tensor1d(x), tf.tensor1d(c)]);
      expect(values(gx as tf.Tensor)).toEqual(expected);
      expect(values(gc as tf.Tensor)).toEqual([0, 0, 0, 0, 0, 0]);
    });
  });

  it('a comparison gradient has the shape of each (broadcast) input', () => {
    tf.tidy(() => {
      const [ga, gb] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(a, tf.cast(tf.greater(a, b), 'float32'))))([
        tf.tensor2d([[1, -1, 2], [0.5, 3, -2]]),
        tf.tensor1d([0, 0, 1]),
      ]);
      expect(values(ga as tf.Tensor)).toEqual([1, 0, 1, 1, 1, 0]);
      expect((gb as tf.Tensor).shape).toEqual([3]);
    });
  });

  it('gather with indices computed from the parameters (argMax mining) differentiates', () => {
    tf.tidy(() => {
      const xs = tf.tensor2d([[0.1, 0.9, 0.3], [0.7, 0.2, 0.4]]);
      const g = tf.grad((x: tf.Tensor) => {
        const picked = tf.add(tf.argMax(x, 1), tf.tensor1d([0, 3], 'int32'));
        return tf.sum(tf.square(tf.gather(tf.reshape(x, [-1]), picked)));
      })(xs);
      expectClose(values(g), [0, 1.8, 0, 1.4, 0, 0], 1e-6);
    });
  });
});

describe('stack of a single tensor at second order (Unpack gradient fix)', () => {
  beforeAll(async () => {
    registerGradientFixes();
  });
  it.each(BACKENDS)('%s: the Hessian-vector product through tf.stack([x]) matches the stack-free function', async (backend) => {
    await useBackend(backend);
    tf.tidy(() => {
      const x = tf.tensor1d([0.3, -0.2, 0.5]);
      const v = tf.tensor1d([1, -2, 0.5]);
      const hv = (f: (t: tf.Tensor) => tf.Scalar) => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.grad(f)(t), v)))(x);
      const withStack = hv((t) => tf.sum(tf.square(tf.stack([tf.tanh(t)]))) as tf.Scalar);
      const plain = hv((t) => tf.sum(tf.square(tf.tanh(t))) as tf.Scalar);
      // d²/dx² tanh(x)² = 2(1 − tanh²)(1 − 3 tanh²), diagonal: independent of tfjs.
      const expected = [0.3, -0.2, 0.5].map((a, i) => {
        const t = Math.tanh(a);
        return 2 * (1 - t * t) * (1 - 3 * t * t) * ([1, -2, 0.5][i] as number);
      });
      expectClose(values(withStack), expected, 1e-5);
      expectClose(values(plain), expected, 1e-5);
    });
  });
});

describe('registerGradientFixes', () => {
  it('registers each missing gradient once and keeps the GatherV2 wrapper stable', () => {
    registerGradientFixes();
    const gather = tf.getGradient(tf.GatherV2);
    registerGradientFixes();
    expect(tf.getGradient(tf.GatherV2)).toBe(gather);
    for (const config of MISSING_GRADIENTS) expect(tf.getGradient(config.kernelName)).toBe(config);
  });
});
