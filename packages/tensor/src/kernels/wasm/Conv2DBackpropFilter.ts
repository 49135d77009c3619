import * as tf from '@tensorflow/tfjs-core';
import { expectShape, KernelCalls, shape4D } from '../kernel_calls.js';
import { convGeometry, imageChunks } from './conv_geometry.js';
import { im2colTransposed, patchColumns } from './conv_loops.js';

/**
 * Conv2DBackpropFilter for wasm, which ships no such kernel (so even
 * first-order conv training failed there).
 *
 * dW[(i, j, ci), co] = Σ_m P[m, (i, j, ci)] · dy[m, co] over the N·OH·OW
 * output pixels m, P being the im2col patch matrix of x. P is written
 * transposed (FH·FW·CI rows) straight from x in JavaScript on the wasm heap,
 * so dW = Pᵀ · dy is one plain matrix product, which tfjs-backend-wasm runs
 * through XNNPACK, and its [FH·FW·CI, CO] result already is the filter
 * layout. Same multiply-adds as the forward convolution, any stride and
 * padding; batches whose patches exceed `PATCH_BUFFER_LIMIT` go in chunks of
 * whole images, summed.
 *
 * The gather (`im2colTransposed`) goes through a channel-planar copy of each
 * image. Against the direct NHWC gather, medians of 25 alternating runs on
 * the reference layers (batch 64, 3×3 stride 2 pad 1), ms: conv1 8.6 → 7.1,
 * conv2 29.5 → 23.3, conv3 14.7 → 12.1, conv4 4.1 → 3.3 with the same dy
 * every call; with a fresh dy per call, as in training, 17.4 → 15.9,
 * 39.5 → 32.4, 16.9 → 13.7, 4.8 → 3.7. A fresh dy costs more because
 * XNNPACK packs the right operand for each new tensor (tfjs caches the
 * packing per tensor id).
 * Slower: one dilated XNNPACK convolution (the baseline kernel); per-phase
 * planes copied as whole rows of a patch matrix padded to (OH+1)·(OW+1)
 * pixels per image (conv1 ≈ 2× slower: more multiply-adds and a fresh,
 * larger dy to pack).
 */
export const conv2DBackpropFilterWasmConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const name = `wasm ${tf.Conv2DBackpropFilter}`;
    const { x, dy } = inputs;
    if (x === undefined || dy === undefined) throw new Error(`${name}: inputs x and dy are required`);
    const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const { geometry: g, outShape } = convGeometry(shape4D(x, name, 'x'), a.filterShape, a, name);
    expectShape(shape4D(dy, name, 'dy'), outShape, name, 'dy');
    const co = a.filterShape[3];
    const columns = patchColumns(g);
    const pixels = g.outHeight * g.outWidth;
    const imageSize = g.inHeight * g.inWidth * g.inChannels;
    const k = new KernelCalls(backend, 'wasm', name);
    try {
      if (g.batch === 0 || pixels === 0 || columns === 0 || co === 0) {
        const zero = k.allocate(a.filterShape);
        k.view(zero).fill(0);
        return k.keep(zero);
      }
      let sum: tf.TensorInfo | undefined;
      for (const [start, count] of imageChunks(g.batch, pixels * columns)) {
        const patchesT = k.allocate([1, columns, count * pixels]);
        im2colTransposed(k.view(x).subarray(start * imageSize, (start + count) * imageSize), { ...g, batch: count }, k.view(patchesT));
        const dyChunk = count === g.batch ? dy : k.run(tf.Slice, { x: dy }, { begin: [start, 0, 0, 0], size: [count, -1, -1, -1] });
        const part = k.run(tf.BatchMatMul, { a: patchesT, b: k.run(tf.Reshape, { x: dyChunk }, { shape: [1, count * pixels, co] }) }, { transposeA: false, transposeB: false });
        k.release(patchesT);
        sum = sum === undefined ? part : k.run(tf.Add, { a: sum, b: part });
      }
      return k.keep(k.run(tf.Reshape, { x: sum as tf.TensorInfo }, { shape: a.filterShape }));
    } finally {
      k.dispose();
    }
  },
};
