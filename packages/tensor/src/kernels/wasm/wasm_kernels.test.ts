import { Rng } from '@metadg/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conv2DBackpropFilterRef, depthwiseBackpropFilterRef, depthwiseBackpropInputRef, convOutShape, type ConvCase, type Shape4 } from '../../../test/conv-reference.js';
import { expectClose, expectNoLeak, useBackend, values } from '../../../test/support.js';
import { BROKEN_WASM_KERNELS, MISSING_WASM_KERNELS, registerWasmKernelFixes } from './register_wasm_kernels.js';


const run = (name: string, inputs: tf.NamedTensorMap, attrs: object = {}): tf.Tensor =>
  tf.engine().runKernel<tf.Tensor>(name, inputs, attrs as tf.NamedAttrMap);

function data(label: string, shape: readonly number[]): Float32Array {
  return new Rng(`wasm-kernels/${label}`).normalArray(tf.util.sizeFromShape([...shape]));
}

/** Runs `compute` on `backend` and returns its values (used to cross-check wasm against cpu). */
async function on(backend: string, compute: () => tf.Tensor): Promise<number[]> {
  await useBackend(backend);
  return tf.tidy(() => values(compute()));
}

const CONV_CASES: Record<string, ConvCase> = {
  'stride 1 same': { x: [2, 5, 5, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  'stride 2 same, odd size': { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'same' },
  'stride 2 same, even size (asymmetric padding)': { x: [2, 6, 6, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'same' },
  'stride 2 valid': { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'valid' },
  'strides [2, 1] valid, one channel': { x: [1, 6, 5, 1], filter: [2, 2, 1, 2], strides: [2, 1], pad: 'valid' },
  '5×5 filter stride 2 same': { x: [2, 6, 6, 2], filter: [5, 5, 2, 3], strides: 2, pad: 'same' },
  '1×1 filter': { x: [1, 4, 4, 2], filter: [1, 1, 2, 3], strides: 1, pad: 'valid' },
  'numeric pad 1': { x: [1, 5, 5, 2], filter: [3, 3, 2, 2], strides: 2, pad: 1 },
  'explicit pad': { x: [1, 5, 5, 2], filter: [3, 3, 2, 2], strides: 1, pad: [[0, 0], [1, 0], [0, 2], [0, 0]] },
};

interface DepthwiseCase {
  readonly x: Shape4;
  readonly filter: Shape4;
  readonly strides: number;
  readonly dilations: number;
  readonly pad: 'same' | 'valid';
}

const DEPTHWISE_CASES: Record<string, DepthwiseCase> = {
  'multiplier 1, stride 1 same': { x: [2, 5, 5, 3], filter: [3, 3, 3, 1], strides: 1, dilations: 1, pad: 'same' },
  'multiplier 2, stride 2 same': { x: [2, 6, 6, 3], filter: [3, 3, 3, 2], strides: 2, dilations: 1, pad: 'same' },
  'multiplier 2, stride 2 valid, odd size': { x: [2, 7, 7, 2], filter: [3, 3, 2, 2], strides: 2, dilations: 1, pad: 'valid' },
  'dilation 2 same': { x: [1, 7, 7, 2], filter: [3, 3, 2, 1], strides: 1, dilations: 2, pad: 'same' },
  '1×1 filter, multiplier 3': { x: [1, 4, 4, 1], filter: [1, 1, 1, 3], strides: 1, dilations: 1, pad: 'valid' },
};

const dwOutShape = (c: DepthwiseCase) =>
  tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, c.dilations, c.pad, undefined, true).outShape as Shape4;

const backpropFilter = (name: string, c: ConvCase) => () =>
  run(tf.Conv2DBackpropFilter, { x: tf.tensor(data(`${name}/x`, c.x), c.x), dy: tf.tensor(data(`${name}/dy`, convOutShape(c)), convOutShape(c)) }, {
    strides: c.strides,
    pad: c.pad,
    dataFormat: 'NHWC',
    filterShape: c.filter,
  });

const dwAttrs = (c: DepthwiseCase) => ({ strides: c.strides, dilations: c.dilations, pad: c.pad });
const dwFilter = (name: string, c: DepthwiseCase) => () =>
  run(
    tf.DepthwiseConv2dNativeBackpropFilter,
    { x: tf.tensor(data(`${name}/x`, c.x), c.x), dy: tf.tensor(data(`${name}/dy`, dwOutShape(c)), dwOutShape(c)) },
    { ...dwAttrs(c), filterShape: c.filter },
  );
const dwInput = (name: string, c: DepthwiseCase) => () =>
  run(
    tf.DepthwiseConv2dNativeBackpropInput,
    { dy: tf.tensor(data(`${name}/dy`, dwOutShape(c)), dwOutShape(c)), filter: tf.tensor(data(`${name}/w`, c.filter), c.filter) },
    { ...dwAttrs(c), inputShape: c.x },
  );

const undilated = Object.entries(DEPTHWISE_CASES).filter(([, c]) => c.dilations === 1);

// Cross-checks against the cpu backend, for ops whose wasm kernel is replaced or composed.
const CROSS_CHECKS: Record<string, () => tf.Tensor> = {
  'unsortedSegmentSum (random)': () => tf.unsortedSegmentSum(tf.tensor(data('uss', [6, 4]), [6, 4]), tf.tensor1d([3, 0, 3, 1, 2, 3], 'int32'), 5),
  'maxPoolWithArgmax indexes (negative, same)': () =>
    tf.maxPoolWithArgmax(tf.sub(tf.abs(tf.tensor(data('mpa', [2, 5, 5, 3]), [2, 5, 5, 3])), 5) as tf.Tensor4D, 3, 2, 'same', true).indexes as tf.Tensor,
  'maxPool gradient (negative, same)': () =>
    tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(x as tf.Tensor4D, 3, 2, 'same'), tf.range(1, 28).reshape([1, 3, 3, 3]))))(
      tf.sub(tf.abs(tf.tensor(data('mpg', [1, 5, 5, 3]), [1, 5, 5, 3])), 5),
    ),
  'oneHot float32 (on 0.5, off −1)': () => tf.oneHot(tf.tensor1d([2, 0, -1, 1], 'int32'), 3, 0.5, -1, 'float32'),
  ...Object.fromEntries(Object.entries(CONV_CASES).map(([n, c]) => [`Conv2DBackpropFilter ${n}`, backpropFilter(n, c)])),
  // The cpu backprop kernels ignore dilation (tfjs's depthwise gradient allows only 1): no dilated cross-check.
  ...Object.fromEntries(undilated.map(([n, c]) => [`DepthwiseConv2dNativeBackpropFilter ${n}`, dwFilter(n, c)])),
  ...Object.fromEntries(undilated.map(([n, c]) => [`DepthwiseConv2dNativeBackpropInput ${n}`, dwInput(n, c)])),
};

/** ⟨a, b⟩ of two tensors, as a number. */
const inner = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(a, b)).dataSync()[0] as number;

describe('wasm kernel fixes', () => {
  const cpu: Record<string, number[]> = {};
  let wasIsTest = false;

  beforeAll(async () => {
    for (const [name, compute] of Object.entries(CROSS_CHECKS)) cpu[name] = await on('cpu', compute);
    await useBackend('wasm');
    // IS_TEST makes the engine check every kernel call for leaked data ids.
    wasIsTest = tf.env().getBool('IS_TEST');
    tf.env().set('IS_TEST', true);
  });
  afterAll(() => {
    tf.env().set('IS_TEST', wasIsTest);
  });

  it.each(Object.keys(CROSS_CHECKS))('%s: wasm matches cpu', (name) => {
    const wasm = tf.tidy(() => values((CROSS_CHECKS[name] as () => tf.Tensor)()));
    expectClose(wasm, cpu[name] as number[], 1e-5);
  });

  it.each(Object.keys(CONV_CASES))('Conv2DBackpropFilter %s: matches the definition, no leak', (name) => {
    const c = CONV_CASES[name] as ConvCase;
    const expected = conv2DBackpropFilterRef(data(`${name}/x`, c.x), c.x, data(`${name}/dy`, convOutShape(c)), c.filter, c.strides, c.pad);
    expectClose(tf.tidy(() => values(backpropFilter(name, c)())), expected, 1e-5);
    expectNoLeak(() => tf.tidy(() => backpropFilter(name, c)()).dispose());
  });

  // Adjoint identities tie each backward kernel to wasm's own forward kernel:
  // ⟨dy, conv(x, W)⟩ = ⟨BF(x, dy), W⟩ = ⟨x, BI(dy, W)⟩.
  it.each(Object.keys(CONV_CASES))('Conv2DBackpropFilter %s: adjoint of the forward conv2d', (name) => {
    const c = CONV_CASES[name] as ConvCase;
    tf.tidy(() => {
      const w = tf.tensor(data(`${name}/w`, c.filter), c.filter) as tf.Tensor4D;
      const x = tf.tensor(data(`${name}/x`, c.x), c.x) as tf.Tensor4D;
      const dy = tf.tensor(data(`${name}/dy`, convOutShape(c)), convOutShape(c));
      const forward = inner(dy, run(tf.Conv2D, { x, filter: w }, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: 1 }));
      const backward = inner(backpropFilter(name, c)(), w);
      expect(Math.abs(forward - backward)).toBeLessThan(1e-4 * Math.max(1, Math.abs(forward)));
    });
  });

  it.each(Object.keys(DEPTHWISE_CASES))('Depthwise backprop filter/input %s: adjoints of the forward depthwise conv', (name) => {
    const c = DEPTHWISE_CASES[name] as DepthwiseCase;
    tf.tidy(() => {
      const w = tf.tensor(data(`${name}/w`, c.filter), c.filter);
      const x = tf.tensor(data(`${name}/x`, c.x), c.x);
      const dy = tf.tensor(data(`${name}/dy`, dwOutShape(c)), dwOutShape(c));
      const forward = inner(dy, run(tf.DepthwiseConv2dNative, { x, filter: w }, { ...dwAttrs(c), dataFormat: 'NHWC' }));
      const tol = 1e-4 * Math.max(1, Math.abs(forward));
      expect(Math.abs(forward - inner(dwFilter(name, c)(), w))).toBeLessThan(tol);
      expect(Math.abs(forward - inner(x, dwInput(name, c)()))).toBeLessThan(tol);
    });
  });

  it('Conv2DBackpropFilter: hand-computed 3×3 ⋆ 2×2 example', () => {
    // dW[i, j] = x[i, j]·dy[0, 0] + x[i + 1, j + 1]·dy[1, 1] with dy = [[1, 0], [0, 1]].
    const dw = tf.tidy(() =>
      values(run(tf.Conv2DBackpropFilter, { x: tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]), dy: tf.tensor4d([1, 0, 0, 1], [1, 2, 2, 1]) }, {
        strides: 1,
        pad: 'valid',
        dataFormat: 'NHWC',
        filterShape: [2, 2, 1, 1],
      })),
    );
    expect(dw).toEqual([6, 8, 12, 14]);
  });

  it.each(Object.keys(DEPTHWISE_CASES))('Depthwise backprop filter/input %s: match the definition, no leak', (name) => {
    const c = DEPTHWISE_CASES[name] as DepthwiseCase;
    const dy = data(`${name}/dy`, dwOutShape(c));
    const filterRef = depthwiseBackpropFilterRef(data(`${name}/x`, c.x), c.x, dy, c.filter, c.strides, c.dilations, c.pad);
    const inputRef = depthwiseBackpropInputRef(dy, c.x, data(`${name}/w`, c.filter), c.filter, c.strides, c.dilations, c.pad);
    expectClose(tf.tidy(() => values(dwFilter(name, c)())), filterRef, 1e-5);
    expectClose(tf.tidy(() => values(dwInput(name, c)())), inputRef, 1e-5);
    expectNoLeak(() => tf.dispose(tf.tidy(() => [dwFilter(name, c)(), dwInput(name, c)()])));
  });

  it('unsortedSegmentSum: sums rows per id, drops ids outside [0, S), keeps int32, accepts prefix-shaped ids', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
      const ids = tf.tensor1d([1, -1, 1, 5], 'int32');
      expect(values(tf.unsortedSegmentSum(x, ids, 3))).toEqual([0, 0, 6, 8, 0, 0]);
      const xi = tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32');
      const sumInt = tf.unsortedSegmentSum(xi, tf.tensor1d([0, 0], 'int32'), 1);
      expect(sumInt.dtype).toBe('int32');
      expect(values(sumInt)).toEqual([4, 6]);
      const x3 = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 2, 3]);
      const sum2d = run(tf.UnsortedSegmentSum, { x: x3, segmentIds: tf.tensor2d([[0, 1], [1, 1]], [2, 2], 'int32') }, { numSegments: 2 });
      expect(values(sum2d)).toEqual([1, 2, 3, 4 + 7 + 10, 5 + 8 + 11, 6 + 9 + 12]);
    });
    expectNoLeak(() => tf.tidy(() => tf.unsortedSegmentSum(tf.ones([4, 3]), tf.tensor1d([0, 2, 2, -1], 'int32'), 3)).dispose());
  });

  it('oneHot: float32 and bool outputs hold the requested values (stock wrote int32 bits)', () => {
    tf.tidy(() => {
      const ids = tf.tensor1d([0, 2], 'int32');
      expect(values(tf.oneHot(ids, 3, 1, 0, 'float32'))).toEqual([1, 0, 0, 0, 0, 1]);
      expect(values(tf.oneHot(ids, 3, 0.5, -1, 'float32'))).toEqual([0.5, -1, -1, -1, -1, 0.5]);
      expect(values(tf.oneHot(ids, 3, 1, 0, 'bool'))).toEqual([1, 0, 0, 0, 0, 1]);
      expect(values(tf.oneHot(ids, 3))).toEqual([1, 0, 0, 0, 0, 1]);
    });
    expectNoLeak(() => tf.tidy(() => tf.oneHot(tf.tensor1d([1], 'int32'), 4, 2, 0.5, 'float32')).dispose());
  });

  it('maxPoolWithArgmax / maxPoolGrad: all-negative windows keep their max and gradient', () => {
    tf.tidy(() => {
      const x = tf.tensor4d([-1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12, -13, -14, -15, -16], [1, 4, 4, 1]);
      const { result, indexes } = tf.maxPoolWithArgmax(x, 3, 2, 'same', true);
      expect(values(result as tf.Tensor)).toEqual([-1, -3, -9, -11]);
      expect(values(indexes as tf.Tensor)).toEqual([0, 2, 8, 10]);
      const weights = tf.tensor4d([1, 10, 100, 1000], [1, 2, 2, 1]);
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, 3, 2, 'same'), weights)))(x);
      expect(values(g)).toEqual([1, 0, 10, 0, 0, 0, 0, 0, 100, 0, 1000, 0, 0, 0, 0, 0]);
    });
    const x = tf.tensor4d(data('mp-leak', [1, 4, 4, 2]), [1, 4, 4, 2]);
    expectNoLeak(() => tf.dispose(tf.tidy(() => [tf.grad((t: tf.Tensor) => tf.sum(tf.maxPool(t as tf.Tensor4D, 2, 2, 'same')))(x), tf.maxPoolWithArgmax(x, 2, 2, 'same').indexes as tf.Tensor])));
    x.dispose();
  });

  it('conv layers train on wasm: first-order gradients need Conv2DBackpropFilter', () => {
    tf.tidy(() => {
      const x = tf.tensor(data('train/x', [2, 6, 6, 2]), [2, 6, 6, 2]) as tf.Tensor4D;
      const w = tf.tensor(data('train/w', [3, 3, 2, 4]), [3, 3, 2, 4]) as tf.Tensor4D;
      const g = tf.grad((wt: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, wt as tf.Tensor4D, 2, 'same'))))(w);
      expect(g.shape).toEqual([3, 3, 2, 4]);
      expect(values(g).every(Number.isFinite)).toBe(true);
    });
  });

  it('registration is idempotent, wraps each broken kernel once, and never replaces a native kernel', () => {
    registerWasmKernelFixes();
    const before = [...MISSING_WASM_KERNELS, ...Object.keys(BROKEN_WASM_KERNELS).map((k) => tf.getKernel(k, 'wasm'))].map((c) =>
      tf.getKernel((c as tf.KernelConfig).kernelName, 'wasm'),
    );
    registerWasmKernelFixes();
    const after = before.map((c) => tf.getKernel((c as tf.KernelConfig).kernelName, 'wasm'));
    expect(after).toEqual(before);
    // A native kernel (a newer tfjs-backend-wasm) wins over the composed one.
    const ours = tf.getKernel(tf.Conv2DBackpropFilter, 'wasm') as tf.KernelConfig;
    const native: tf.KernelConfig = { kernelName: tf.Conv2DBackpropFilter, backendName: 'wasm', kernelFunc: ours.kernelFunc };
    tf.unregisterKernel(tf.Conv2DBackpropFilter, 'wasm');
    tf.registerKernel(native);
    registerWasmKernelFixes();
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBe(native);
    tf.unregisterKernel(tf.Conv2DBackpropFilter, 'wasm');
    tf.registerKernel(ours);
  });
});
