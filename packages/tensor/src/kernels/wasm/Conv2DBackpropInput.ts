import * as tf from '@tensorflow/tfjs-core';
import { expectShape, KernelCalls, shape4D } from '../kernel_calls.js';
import { convGeometry, imageChunks } from './conv_geometry.js';
import { col2imAdd, patchColumns, type ConvGeometry } from './conv_loops.js';
import { axisPhases, interleavePhase, phaseFilter } from './conv_phases.js';

/**
 * Input channels from which the phase decomposition beats the column
 * product: it runs several small XNNPACK convolutions whose output has CI
 * channels, inefficient for CI = 1–3 (first layers on images), where one
 * matrix product + col2im wins (measured on the reference network: conv1
 * 7.3 vs 9.6 ms, conv2 24 vs 18 ms; docs/performance.md).
 */
export const PHASE_MIN_CHANNELS = 16;

interface Prepared {
  readonly dy: tf.TensorInfo;
  readonly filter: tf.TensorInfo;
  readonly attrs: tf.Conv2DBackpropInputAttrs;
  readonly g: ConvGeometry;
  readonly co: number;
  readonly k: KernelCalls;
}

type Path = (p: Prepared) => tf.TensorInfo;

/** Checks the inputs and resolves the geometry, then runs `path` with a kernel-call scope. */
function backpropInput(name: string, path: (g: ConvGeometry) => Path): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs;
    if (dy === undefined || filter === undefined) throw new Error(`${name}: inputs dy and filter are required`);
    const a = attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const filterShape = shape4D(filter, name, 'filter');
    const { geometry: g, outShape } = convGeometry(a.inputShape, filterShape, a, name);
    expectShape(shape4D(dy, name, 'dy'), outShape, name, 'dy');
    const k = new KernelCalls(backend, 'wasm', name);
    try {
      return k.keep(path(g)({ dy, filter, attrs: a, g, co: filterShape[3], k }));
    } finally {
      k.dispose();
    }
  };
}

/**
 * dx = col2im(dy · Wᵀ): one matrix product [N·OH·OW, CO] × [CO, FH·FW·CI]
 * (XNNPACK: neither operand needs the transposed, scalar path), then the
 * scatter-add of every filter tap's column block into dx, in JavaScript on
 * the wasm heap. Batches whose columns exceed `PATCH_BUFFER_LIMIT` go in
 * chunks of whole images.
 */
const byColumns: Path = ({ dy, filter, attrs, g, co, k }) => {
  const columns = patchColumns(g);
  const pixels = g.outHeight * g.outWidth;
  const imageSize = g.inHeight * g.inWidth * g.inChannels;
  const dx = k.allocate(attrs.inputShape);
  k.view(dx).fill(0);
  if (pixels === 0 || columns === 0 || co === 0) return dx;
  // Wᵀ as [1, CO, FH·FW·CI]: small (a filter), so the generic transpose is fine.
  const w2 = k.run(tf.Reshape, { x: filter }, { shape: [columns, co] });
  const wT = k.run(tf.Reshape, { x: k.run(tf.Transpose, { x: w2 }, { perm: [1, 0] }) }, { shape: [1, co, columns] });
  for (const [start, count] of imageChunks(g.batch, pixels * columns)) {
    const dyChunk = count === g.batch ? dy : k.run(tf.Slice, { x: dy }, { begin: [start, 0, 0, 0], size: [count, -1, -1, -1] });
    const dy2 = k.run(tf.Reshape, { x: dyChunk }, { shape: [1, count * pixels, co] });
    const cols = k.run(tf.BatchMatMul, { a: dy2, b: wT }, { transposeA: false, transposeB: false });
    // Views after the last allocation of this chunk: an allocation may grow (detach) the heap.
    col2imAdd(k.view(cols), { ...g, batch: count }, k.view(dx).subarray(start * imageSize, (start + count) * imageSize));
    k.release(cols);
  }
  return dx;
};

/**
 * Sub-pixel decomposition (conv_phases.ts): for each of the s_h·s_w phases
 * of the stride, one stride-1 XNNPACK convolution of dy with that phase's
 * flipped filter taps (padding passed to the convolution, no copy of dy),
 * written into its interleaved rows and columns of dx. Exactly the forward
 * convolution's multiply-adds, no patch buffer.
 */
const byPhases: Path = ({ dy, filter, attrs, g, co, k }) => {
  const dx = k.allocate(attrs.inputShape);
  k.view(dx).fill(0);
  const rowPhases = axisPhases(g.inHeight, g.outHeight, g.filterHeight, g.strideHeight, g.padTop);
  const colPhases = axisPhases(g.inWidth, g.outWidth, g.filterWidth, g.strideWidth, g.padLeft);
  for (const ph of rowPhases) {
    for (const pw of colPhases) {
      // A phase without taps (filter smaller than the stride) leaves its pixels at zero.
      if (ph.taps === 0 || pw.taps === 0 || ph.count === 0 || pw.count === 0 || g.batch === 0 || co === 0) continue;
      const sub = k.allocate([ph.taps, pw.taps, co, g.inChannels]);
      phaseFilter(k.view(filter), g, co, ph, pw, k.view(sub));
      const padded = ph.padBefore >= 0 && ph.padAfter >= 0 && pw.padBefore >= 0 && pw.padAfter >= 0;
      // Negative padding means rows of dy outside the correlation: crop them first.
      const input = padded ? dy : k.window(dy, ph.padBefore, ph.count + ph.taps - 1, pw.padBefore, pw.count + pw.taps - 1);
      const pad = padded
        ? [
            [0, 0],
            [ph.padBefore, ph.padAfter],
            [pw.padBefore, pw.padAfter],
            [0, 0],
          ]
        : 'valid';
      const part = k.run(tf.Conv2D, { x: input, filter: sub }, { strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [1, 1] });
      interleavePhase(k.view(part), g, ph, pw, k.view(dx));
      k.release(part);
      k.release(sub);
    }
  }
  return dx;
};

const NAME = `wasm ${tf.Conv2DBackpropInput}`;

/**
 * Conv2DBackpropInput for wasm, replacing the stock kernel (a scalar loop:
 * ≈ 180 ms for the 32×32×32 layer of the reference network at batch 64,
 * against ≈ 18 ms for the forward convolution). Phase decomposition from
 * `PHASE_MIN_CHANNELS` input channels, column product + col2im below. Same
 * results as the stock kernel to float32 round-off, any stride and padding;
 * its gradients are the stock ones (conv2d for dy, Conv2DBackpropFilter for
 * the filter), so nested gradients run through it unchanged.
 */
export const conv2DBackpropInputWasmConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: backpropInput(NAME, (g) => (g.inChannels >= PHASE_MIN_CHANNELS ? byPhases : byColumns)),
};

/** The column-product path alone (tests and micro-benchmarks). */
export const conv2DBackpropInputColumnsWasmConfig: tf.KernelConfig = {
  ...conv2DBackpropInputWasmConfig,
  kernelFunc: backpropInput(NAME, () => byColumns),
};

/** The phase-decomposition path alone (tests and micro-benchmarks). */
export const conv2DBackpropInputPhasesWasmConfig: tf.KernelConfig = {
  ...conv2DBackpropInputWasmConfig,
  kernelFunc: backpropInput(NAME, () => byPhases),
};
