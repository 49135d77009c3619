import { Rng } from '@metadg/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conv2DBackpropFilterRef, convOutShape, type ConvCase } from '../../../test/conv-reference.js';
import { expectClose, expectNoLeak, useBackend, values } from '../../../test/support.js';
import { ArgumentError } from '../../errors.js';
import { checkHvp } from '../../testing/hvp_check.js';
import type { Params } from '../../functional.js';
import { imageChunks, PATCH_BUFFER_LIMIT } from './conv_geometry.js';
import { conv2DBackpropFilterDilatedWasmConfig } from './Conv2DBackpropFilterDilated.js';
import { conv2DBackpropInputColumnsWasmConfig, conv2DBackpropInputPhasesWasmConfig, PHASE_MIN_CHANNELS } from './Conv2DBackpropInput.js';
import { FAST_WASM_KERNELS, registerWasmKernelFixes, replacedWasmKernel, wasmKernelSet } from './register_wasm_kernels.js';

// The fast wasm kernels (Conv2DBackpropInput, Conv2DBackpropFilter,
// BatchMatMul and Sum wrappers) against the stock/composed kernels they
// replace, the cpu backend, the definitions, and under nested gradients.


const CONV_CASES: Record<string, ConvCase> = {
  'reference layer (stride 2, pad 1)': { x: [2, 8, 8, 3], filter: [3, 3, 3, 4], strides: 2, pad: 1 },
  'stride 1 same': { x: [2, 5, 5, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  'stride 2 same, odd size': { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'same' },
  'stride 2 same, even size (asymmetric padding)': { x: [3, 6, 6, 2], filter: [3, 3, 2, 5], strides: 2, pad: 'same' },
  'stride 2 valid, odd size': { x: [2, 9, 7, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'valid' },
  'strides [2, 1] valid, one channel': { x: [1, 6, 5, 1], filter: [2, 2, 1, 2], strides: [2, 1], pad: 'valid' },
  'stride 3 same, 5×5 filter': { x: [2, 10, 8, 2], filter: [5, 5, 2, 3], strides: 3, pad: 'same' },
  '4×4 filter stride 2 valid (even filter)': { x: [1, 9, 9, 2], filter: [4, 4, 2, 3], strides: 2, pad: 'valid' },
  '1×1 filter stride 1': { x: [2, 4, 4, 3], filter: [1, 1, 3, 2], strides: 1, pad: 'valid' },
  '1×1 filter stride 2 (skipped pixels get no gradient)': { x: [1, 5, 5, 2], filter: [1, 1, 2, 3], strides: 2, pad: 'valid' },
  'explicit asymmetric pad': { x: [1, 5, 6, 2], filter: [3, 3, 2, 2], strides: 1, pad: [[0, 0], [1, 0], [0, 2], [0, 0]] },
  'explicit pad, stride 2': { x: [2, 6, 5, 2], filter: [3, 2, 2, 3], strides: 2, pad: [[0, 0], [2, 1], [1, 0], [0, 0]] },
  'filter covering the whole input': { x: [2, 3, 3, 2], filter: [3, 3, 2, 4], strides: 1, pad: 'valid' },
  // From PHASE_MIN_CHANNELS input channels the registered kernel takes the phase path.
  '16 channels, stride 2 pad 1 (phase path)': { x: [2, 8, 8, 16], filter: [3, 3, 16, 8], strides: 2, pad: 1 },
  '16 channels, stride 2 same, odd size (phase path)': { x: [1, 7, 9, 16], filter: [3, 3, 16, 5], strides: 2, pad: 'same' },
  '20 channels, stride 3 valid, 5×4 filter (phase path)': { x: [2, 11, 10, 20], filter: [5, 4, 20, 3], strides: 3, pad: 'valid' },
  '16 channels, 1×1 filter stride 2 (phases without taps)': { x: [1, 6, 5, 16], filter: [1, 1, 16, 4], strides: 2, pad: 'valid' },
  'padding wider than the filter (dy rows cropped)': { x: [1, 5, 6, 16], filter: [3, 3, 16, 2], strides: 1, pad: [[0, 0], [3, 1], [0, 4], [0, 0]] },
};

const data = (label: string, shape: readonly number[]) => new Rng(`fast-kernels/${label}`).normalArray(tf.util.sizeFromShape([...shape]));
const run = (name: string, inputs: tf.NamedTensorMap, attrs: object): tf.Tensor =>
  tf.engine().runKernel<tf.Tensor>(name, inputs, attrs as tf.NamedAttrMap);

/** Runs a kernel config directly (below the engine) and wraps its output as a tensor. */
function runConfig(config: tf.KernelConfig, inputs: tf.NamedTensorMap, attrs: object): tf.Tensor {
  const info = config.kernelFunc({ inputs, backend: tf.backend(), attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
  return tf.engine().makeTensorFromTensorInfo(info);
}

const tensors = (name: string, c: ConvCase) => ({
  x: tf.tensor(data(`${name}/x`, c.x), c.x),
  filter: tf.tensor(data(`${name}/w`, c.filter), c.filter),
  dy: tf.tensor(data(`${name}/dy`, convOutShape(c)), convOutShape(c)),
});
const inputAttrs = (c: ConvCase) => ({ strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x });
const filterAttrs = (c: ConvCase) => ({ strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter });
const backpropInput = (name: string, c: ConvCase) => () => {
  const t = tensors(name, c);
  return run(tf.Conv2DBackpropInput, { dy: t.dy, filter: t.filter }, inputAttrs(c));
};
const backpropFilter = (name: string, c: ConvCase) => () => {
  const t = tensors(name, c);
  return run(tf.Conv2DBackpropFilter, { x: t.x, dy: t.dy }, filterAttrs(c));
};
const inner = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(a, b)).dataSync()[0] as number;

interface MatMulCase {
  readonly a: number[];
  readonly b: number[];
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

const MATMUL_CASES: Record<string, MatMulCase> = {
  'transposeA (dense dW = xᵀ·dy)': { a: [6, 5], b: [6, 3], transposeA: true, transposeB: false },
  'transposeB (dense dx = dy·Wᵀ)': { a: [4, 3], b: [7, 3], transposeA: false, transposeB: true },
  'both transposed': { a: [5, 4], b: [3, 5], transposeA: true, transposeB: true },
  'rank 3 with batch 1, transposeA': { a: [1, 6, 2], b: [1, 6, 4], transposeA: true, transposeB: false },
  'rank 3 batch 1 × rank 2, transposeB': { a: [1, 4, 3], b: [5, 3], transposeA: false, transposeB: true },
  'batch 2 (stock kernel), transposeB': { a: [2, 3, 4], b: [2, 5, 4], transposeA: false, transposeB: true },
  'no transpose (stock XNNPACK path)': { a: [3, 4], b: [4, 2], transposeA: false, transposeB: false },
  'vector times matrix, transposeA': { a: [3, 1], b: [3, 4], transposeA: true, transposeB: false },
};

const matmul = (name: string, c: MatMulCase) => () =>
  tf.matMul(tf.tensor(data(`${name}/a`, c.a), c.a), tf.tensor(data(`${name}/b`, c.b), c.b), c.transposeA, c.transposeB);

const SUM_CASES: Record<string, { shape: number[]; axis: number | number[]; keepDims: boolean; dtype?: 'int32' }> = {
  'leading axes 0,1,2 of NHWC (bias gradient)': { shape: [3, 4, 5, 6], axis: [0, 1, 2], keepDims: false },
  'leading axes, keepDims': { shape: [3, 4, 5, 6], axis: [0, 1, 2], keepDims: true },
  'axis 0 of a matrix': { shape: [7, 3], axis: 0, keepDims: false },
  'negative axes given out of order': { shape: [2, 3, 4], axis: [-2, 0], keepDims: false },
  'trailing axis (stock kernel)': { shape: [3, 4, 5], axis: 2, keepDims: false },
  'middle axis (stock kernel)': { shape: [3, 4, 5], axis: 1, keepDims: true },
  'all axes (stock kernel)': { shape: [3, 4, 5], axis: [0, 1, 2], keepDims: false },
  'int32 leading axis (stock kernel)': { shape: [4, 3], axis: 0, keepDims: false, dtype: 'int32' },
};

const sum = (name: string) => () => {
  const c = SUM_CASES[name] as (typeof SUM_CASES)[string];
  const x = c.dtype === 'int32' ? tf.tensor(Int32Array.from(data(name, c.shape), (v) => Math.round(v * 10)), c.shape, 'int32') : tf.tensor(data(name, c.shape), c.shape);
  return tf.sum(x, c.axis, c.keepDims);
};

/** Cross-checks against the cpu backend, computed in beforeAll. */
const CROSS_CHECKS: Record<string, () => tf.Tensor> = {
  ...Object.fromEntries(Object.entries(CONV_CASES).map(([n, c]) => [`Conv2DBackpropInput ${n}`, backpropInput(n, c)])),
  ...Object.fromEntries(Object.entries(CONV_CASES).map(([n, c]) => [`Conv2DBackpropFilter ${n}`, backpropFilter(n, c)])),
  ...Object.fromEntries(Object.entries(MATMUL_CASES).map(([n, c]) => [`BatchMatMul ${n}`, matmul(n, c)])),
  ...Object.fromEntries(Object.keys(SUM_CASES).map((n) => [`Sum ${n}`, sum(n)])),
};

describe('fast wasm kernels', () => {
  const cpu: Record<string, { values: number[]; shape: number[]; dtype: string }> = {};
  let wasIsTest = false;

  beforeAll(async () => {
    await useBackend('cpu');
    for (const [name, compute] of Object.entries(CROSS_CHECKS)) {
      cpu[name] = tf.tidy(() => {
        const t = compute();
        return { values: values(t), shape: t.shape, dtype: t.dtype };
      });
    }
    await useBackend('wasm');
    // IS_TEST makes the engine check every kernel call for leaked data ids.
    wasIsTest = tf.env().getBool('IS_TEST');
    tf.env().set('IS_TEST', true);
  });
  afterAll(() => {
    tf.env().set('IS_TEST', wasIsTest);
  });

  it('the fast kernels are the registered ones, and the stock kernels they replaced are kept', () => {
    for (const name of Object.keys(FAST_WASM_KERNELS)) {
      const stock = replacedWasmKernel(name);
      expect(stock, name).toBeDefined();
      expect(tf.getKernel(name, 'wasm')).not.toBe(stock);
    }
  });

  it.each(Object.keys(CROSS_CHECKS))('%s: wasm matches cpu (values, shape, dtype)', (name) => {
    const wasm = tf.tidy(() => {
      const t = (CROSS_CHECKS[name] as () => tf.Tensor)();
      return { values: values(t), shape: t.shape, dtype: t.dtype };
    });
    const ref = cpu[name] as (typeof cpu)[string];
    expect(wasm.shape).toEqual(ref.shape);
    expect(wasm.dtype).toBe(ref.dtype);
    expectClose(wasm.values, ref.values, 1e-5);
  });

  it.each(Object.keys(CONV_CASES))('Conv2DBackpropInput %s: both paths match the stock wasm kernel it replaced, no leak', (name) => {
    const c = CONV_CASES[name] as ConvCase;
    const stock = replacedWasmKernel(tf.Conv2DBackpropInput) as tf.KernelConfig;
    const via = (config: tf.KernelConfig) => () => {
      const t = tensors(name, c);
      return runConfig(config, { dy: t.dy, filter: t.filter }, inputAttrs(c));
    };
    const reference = tf.tidy(() => values(via(stock)()));
    for (const config of [conv2DBackpropInputColumnsWasmConfig, conv2DBackpropInputPhasesWasmConfig]) {
      expectClose(tf.tidy(() => values(via(config)())), reference, 1e-5);
      expectNoLeak(() => tf.tidy(via(config)).dispose());
    }
    expectClose(tf.tidy(() => values(backpropInput(name, c)())), reference, 1e-5);
  });

  it('the registered Conv2DBackpropInput takes the phase path from PHASE_MIN_CHANNELS input channels', () => {
    // Observable through the kernels it launches below the engine: the phase path runs Conv2D.
    const conv = tf.getKernel(tf.Conv2D, 'wasm') as tf.KernelConfig;
    let convCalls = 0;
    tf.unregisterKernel(tf.Conv2D, 'wasm');
    tf.registerKernel({ ...conv, kernelFunc: (args) => (convCalls++, conv.kernelFunc(args)) });
    try {
      const calls = (ci: number) => {
        convCalls = 0;
        const c: ConvCase = { x: [1, 6, 6, ci], filter: [3, 3, ci, 2], strides: 2, pad: 1 };
        tf.tidy(() => backpropInput(`path/${ci}`, c)());
        return convCalls;
      };
      expect(calls(PHASE_MIN_CHANNELS)).toBe(4);
      expect(calls(PHASE_MIN_CHANNELS - 1)).toBe(0);
    } finally {
      tf.unregisterKernel(tf.Conv2D, 'wasm');
      tf.registerKernel(conv);
    }
  });

  it.each(Object.keys(CONV_CASES))('Conv2DBackpropFilter %s: matches the definition and the dilated-conv kernel, no leak', (name) => {
    const c = CONV_CASES[name] as ConvCase;
    const expected = conv2DBackpropFilterRef(data(`${name}/x`, c.x), c.x, data(`${name}/dy`, convOutShape(c)), c.filter, c.strides, c.pad);
    const [fast, dilated] = tf.tidy(() => {
      const t = tensors(name, c);
      return [values(backpropFilter(name, c)()), values(runConfig(conv2DBackpropFilterDilatedWasmConfig, { x: t.x, dy: t.dy }, filterAttrs(c)))];
    });
    expectClose(fast as number[], expected, 1e-5);
    expectClose(dilated as number[], expected, 1e-5);
    expectNoLeak(() => tf.tidy(() => backpropFilter(name, c)()).dispose());
  });

  // ⟨dy, conv(x, W)⟩ = ⟨BI(dy, W), x⟩ = ⟨BF(x, dy), W⟩ ties both kernels to wasm's own forward conv.
  it.each(Object.keys(CONV_CASES))('%s: both backprop kernels are adjoints of the forward conv2d', (name) => {
    const c = CONV_CASES[name] as ConvCase;
    tf.tidy(() => {
      const t = tensors(name, c);
      const forward = inner(t.dy, run(tf.Conv2D, { x: t.x, filter: t.filter }, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: 1 }));
      const tol = 1e-4 * Math.max(1, Math.abs(forward));
      expect(Math.abs(forward - inner(backpropInput(name, c)(), t.x))).toBeLessThan(tol);
      expect(Math.abs(forward - inner(backpropFilter(name, c)(), t.filter))).toBeLessThan(tol);
    });
  });

  it('Conv2DBackpropInput: hand-computed 1-channel example (stride 2 scatters dy over 2×2 windows)', () => {
    // 2×2 filter [[1, 2], [3, 4]], stride 2, valid, on a 4×4 input: each dy value lands on its own 2×2 block.
    const dx = tf.tidy(() =>
      values(
        run(tf.Conv2DBackpropInput, { dy: tf.tensor4d([1, 10, 100, 1000], [1, 2, 2, 1]), filter: tf.tensor4d([1, 2, 3, 4], [2, 2, 1, 1]) }, {
          strides: 2,
          pad: 'valid',
          dataFormat: 'NHWC',
          inputShape: [1, 4, 4, 1],
        }),
      ),
    );
    expect(dx).toEqual([1, 2, 10, 20, 3, 4, 30, 40, 100, 200, 1000, 2000, 300, 400, 3000, 4000]);
  });

  it('imageChunks: whole images, each chunk under the limit (one image even when it alone exceeds it)', () => {
    expect(imageChunks(5, 10, 25)).toEqual([[0, 2], [2, 2], [4, 1]]);
    expect(imageChunks(3, 100, 25)).toEqual([[0, 1], [1, 1], [2, 1]]);
    expect(imageChunks(4, 1, PATCH_BUFFER_LIMIT)).toEqual([[0, 4]]);
    expect(imageChunks(0, 10, 25)).toEqual([]);
  });

  it('a batch whose patch buffer exceeds the limit is processed in chunks, with the same results', () => {
    // 2 images with 256×256 outputs of 3×3×16 patches: 9.4 M floats each, 2^24 in all → one image per chunk.
    const c: ConvCase = { x: [2, 256, 256, 16], filter: [3, 3, 16, 4], strides: 1, pad: 'same' };
    expect(imageChunks(2, 256 * 256 * 9 * 16)).toHaveLength(2);
    const name = 'chunked';
    const stock = replacedWasmKernel(tf.Conv2DBackpropInput) as tf.KernelConfig;
    tf.tidy(() => {
      const t = tensors(name, c);
      expectClose(values(backpropInput(name, c)()), values(runConfig(stock, { dy: t.dy, filter: t.filter }, inputAttrs(c))), 1e-5);
      // Each filter entry sums 131,072 products in float32, in a different order in each kernel:
      // round-off reaches ≈ 1e-5 of the largest entry, so 1e-4 here (a wrong chunk would be off by ≈ 50 %).
      expectClose(values(backpropFilter(name, c)()), values(runConfig(conv2DBackpropFilterDilatedWasmConfig, { x: t.x, dy: t.dy }, filterAttrs(c))), 1e-4);
    });
    expectNoLeak(() => tf.dispose(tf.tidy(() => [backpropInput(name, c)(), backpropFilter(name, c)()])), 1);
  });

  it('empty batches give empty gradients of the right shape', () => {
    tf.tidy(() => {
      const dy = tf.zeros([0, 2, 2, 3]);
      const dx = run(tf.Conv2DBackpropInput, { dy, filter: tf.ones([3, 3, 2, 3]) }, { strides: 2, pad: 1, dataFormat: 'NHWC', inputShape: [0, 4, 4, 2] });
      expect(dx.shape).toEqual([0, 4, 4, 2]);
      const dw = run(tf.Conv2DBackpropFilter, { x: tf.zeros([0, 4, 4, 2]), dy }, { strides: 2, pad: 1, dataFormat: 'NHWC', filterShape: [3, 3, 2, 3] });
      expect(dw.shape).toEqual([3, 3, 2, 3]);
      expect(values(dw).every((v) => v === 0)).toBe(true);
    });
  });

  it('bad input is a one-line error naming the kernel and the input', () => {
    tf.tidy(() => {
      const filter = tf.ones([3, 3, 2, 3]);
      expect(() => run(tf.Conv2DBackpropInput, { dy: tf.ones([1, 3, 3, 3]), filter }, { strides: 2, pad: 1, dataFormat: 'NHWC', inputShape: [1, 4, 4, 2] })).toThrow(
        /wasm Conv2DBackpropInput: dy has shape \[1,3,3,3\], expected \[1,2,2,3\]/,
      );
      expect(() => run(tf.Conv2DBackpropFilter, { x: tf.ones([1, 4, 4, 2]), dy: tf.ones([1, 2, 2, 3]) }, { strides: 2, pad: 1, dataFormat: 'NCHW', filterShape: [3, 3, 2, 3] })).toThrow(
        /wasm Conv2DBackpropFilter: dataFormat NCHW is not supported/,
      );
    });
  });

  it.each(Object.keys(MATMUL_CASES))('BatchMatMul %s: no leak', (name) => {
    expectNoLeak(() => tf.tidy(matmul(name, MATMUL_CASES[name] as MatMulCase)).dispose());
  });

  it.each(Object.keys(SUM_CASES))('Sum %s: no leak', (name) => {
    expectNoLeak(() => tf.tidy(sum(name)).dispose());
  });

  it('Identity (tf.clone) shares the buffer instead of copying it; either tensor outlives the other', () => {
    const a = tf.tensor1d([1, 2, 3]);
    const buffers = tf.memory().numDataBuffers;
    const b = tf.clone(a);
    expect(tf.memory().numDataBuffers).toBe(buffers);
    a.dispose();
    expect(values(b)).toEqual([1, 2, 3]);
    const c = tf.clone(b);
    b.dispose();
    expect(values(c)).toEqual([1, 2, 3]);
    c.dispose();
    expectNoLeak(() => tf.tidy(() => tf.clone(tf.ones([2, 2]))).dispose());
  });

  it('nested gradients run through the fast kernels: conv net HVP on wasm matches finite differences and cpu', async () => {
    // conv (stride 2, same) → tanh → conv (stride 2, pad 1) → tanh → dense: every
    // second-order path goes through Conv2DBackpropInput/Filter and the
    // transposed matMuls of the dense layer, which now run the fast kernels.
    const rng = new Rng('fast-kernels/hvp');
    const shapes: Record<string, number[]> = { w1: [3, 3, 2, 4], w2: [3, 3, 4, 3], d: [12, 5] };
    const init = Object.fromEntries(Object.entries(shapes).map(([k, s]) => [k, rng.normalArray(tf.util.sizeFromShape(s), 0.4)]));
    const dir = Object.fromEntries(Object.entries(shapes).map(([k, s]) => [k, rng.normalArray(tf.util.sizeFromShape(s))]));
    const xData = rng.normalArray(3 * 7 * 7 * 2);
    const rData = rng.normalArray(3 * 5);
    const hvpOn = async (backend: string) => {
      await useBackend(backend);
      return tf.tidy(() => {
        const x = tf.tensor4d(xData, [3, 7, 7, 2]);
        const r = tf.tensor2d(rData, [3, 5]);
        const params: Params = Object.fromEntries(Object.entries(shapes).map(([k, s]) => [k, tf.tensor(init[k] as Float32Array, s)]));
        const v: Params = Object.fromEntries(Object.entries(shapes).map(([k, s]) => [k, tf.tensor(dir[k] as Float32Array, s)]));
        const f = (p: Params) => {
          const h1 = tf.tanh(tf.conv2d(x, p['w1'] as tf.Tensor4D, 2, 'same'));
          const h2 = tf.tanh(tf.conv2d(h1, p['w2'] as tf.Tensor4D, 2, [[0, 0], [1, 1], [1, 1], [0, 0]]));
          return tf.sum(tf.mul(tf.matMul(tf.reshape(h2, [3, 12]), p['d'] as tf.Tensor2D), r)) as tf.Scalar;
        };
        const check = checkHvp(f, params, v);
        return { relativeError: check.relativeError, nestedNorm: check.nestedNorm };
      });
    };
    const wasm = await hvpOn('wasm');
    const cpuCheck = await hvpOn('cpu');
    await useBackend('wasm');
    expect(wasm.relativeError).toBeLessThan(1e-3);
    expect(Math.abs(wasm.nestedNorm - cpuCheck.nestedNorm)).toBeLessThan(1e-4 * cpuCheck.nestedNorm);
  });

  it('METADG_WASM_KERNELS selects the kernel set; anything else is an ArgumentError naming the variable', () => {
    expect(wasmKernelSet(undefined)).toBe('fast');
    expect(wasmKernelSet('')).toBe('fast');
    expect(wasmKernelSet(' Fast ')).toBe('fast');
    expect(wasmKernelSet('BASELINE')).toBe('baseline');
    expect(() => wasmKernelSet('turbo')).toThrow(ArgumentError);
    expect(() => wasmKernelSet('turbo')).toThrow(/METADG_WASM_KERNELS: unknown kernel set "turbo"/);
  });

  it('the baseline set keeps the stock kernels and the dilated-conv filter gradient; fast replaces them again', () => {
    const fastKernels = Object.keys(FAST_WASM_KERNELS).map((k) => tf.getKernel(k, 'wasm') as tf.KernelConfig);
    const fastFilter = tf.getKernel(tf.Conv2DBackpropFilter, 'wasm') as tf.KernelConfig;
    try {
      for (const k of Object.keys(FAST_WASM_KERNELS)) {
        tf.unregisterKernel(k, 'wasm');
        tf.registerKernel(replacedWasmKernel(k) as tf.KernelConfig);
      }
      tf.unregisterKernel(tf.Conv2DBackpropFilter, 'wasm');
      registerWasmKernelFixes('baseline');
      for (const k of Object.keys(FAST_WASM_KERNELS)) expect(tf.getKernel(k, 'wasm')).toBe(replacedWasmKernel(k));
      expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')?.kernelFunc).toBe(conv2DBackpropFilterDilatedWasmConfig.kernelFunc);
      // Baseline kernels compute the same gradients.
      const name = 'reference layer (stride 2, pad 1)';
      const c = CONV_CASES[name] as ConvCase;
      const expected = conv2DBackpropFilterRef(data(`${name}/x`, c.x), c.x, data(`${name}/dy`, convOutShape(c)), c.filter, c.strides, c.pad);
      expectClose(tf.tidy(() => values(backpropFilter(name, c)())), expected, 1e-5);
      registerWasmKernelFixes('fast');
      for (const k of Object.keys(FAST_WASM_KERNELS)) expect(tf.getKernel(k, 'wasm')).not.toBe(replacedWasmKernel(k));
    } finally {
      // Leave exactly the kernels the rest of the suite expects.
      for (const config of [...fastKernels, fastFilter]) {
        if (tf.getKernel(config.kernelName, 'wasm') !== undefined) tf.unregisterKernel(config.kernelName, 'wasm');
        tf.registerKernel(config);
      }
    }
  });
});
