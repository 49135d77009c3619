import * as tf from '@tensorflow/tfjs-core';
import { expectShape, KernelCalls, shape4D } from '../kernel_calls.js';

/**
 * DepthwiseConv2dNativeBackpropFilter for wasm (absent from tfjs-backend-wasm).
 *
 * dW[i, j, c, m] = Σ_{n, oh, ow} xPad[n, oh·s + i·d, ow·s + j·d, c] · dy[n, oh, ow, c·M + m].
 * Each filter tap (i, j) reads one strided slice of the padded input, so the
 * taps are stacked (im2col, FH·FW slices) and contracted with dy by a single
 * batched matMul over channels: [C, FH·FW, P] × [C, P, M] with P = n·oh·ow.
 */
export const depthwiseConv2dNativeBackpropFilterWasmConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const name = `wasm ${tf.DepthwiseConv2dNativeBackpropFilter}`;
    const { x, dy } = inputs;
    if (x === undefined || dy === undefined) throw new Error(`${name}: inputs x and dy are required`);
    const { strides, dilations, pad, dimRoundingMode, filterShape } =
      attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
    const info = tf.backend_util.computeConv2DInfo(
      shape4D(x, name, 'x'),
      filterShape,
      strides,
      dilations,
      pad,
      dimRoundingMode,
      true,
    );
    expectShape(shape4D(dy, name, 'dy'), info.outShape, name, 'dy');
    const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw, padInfo } = info;
    const { batchSize: n, outHeight: oh, outWidth: ow, filterHeight: fh, filterWidth: fw, inChannels: c } = info;
    const m = filterShape[3];
    const p = n * oh * ow;
    const k = new KernelCalls(backend, 'wasm', name);
    try {
      const height = (oh - 1) * sh + (fh - 1) * dh + 1;
      const width = (ow - 1) * sw + (fw - 1) * dw + 1;
      const window = k.window(x, padInfo.top, height, padInfo.left, width);
      const taps: tf.TensorInfo[] = [];
      for (let i = 0; i < fh; i++) {
        for (let j = 0; j < fw; j++) {
          const tap = k.run(tf.StridedSlice, { x: window }, {
            begin: [0, i * dh, j * dw, 0],
            end: [n, i * dh + (oh - 1) * sh + 1, j * dw + (ow - 1) * sw + 1, c],
            strides: [1, sh, sw, 1],
            beginMask: 0,
            endMask: 0,
            ellipsisMask: 0,
            newAxisMask: 0,
            shrinkAxisMask: 0,
          });
          taps.push(k.run(tf.Reshape, { x: tap }, { shape: [1, p, c] }));
        }
      }
      const stacked = taps.length === 1 ? (taps[0] as tf.TensorInfo) : k.run(tf.Concat, taps, { axis: 0 });
      const patches = k.run(tf.Transpose, { x: stacked }, { perm: [2, 0, 1] }); // [c, fh·fw, p]
      const dy3 = k.run(tf.Reshape, { x: dy }, { shape: [p, c, m] });
      const dyT = k.run(tf.Transpose, { x: dy3 }, { perm: [1, 0, 2] }); // [c, p, m]
      const prod = k.run(tf.BatchMatMul, { a: patches, b: dyT }, { transposeA: false, transposeB: false }); // [c, fh·fw, m]
      const taps3 = k.run(tf.Transpose, { x: prod }, { perm: [1, 0, 2] }); // [fh·fw, c, m]
      return k.keep(k.run(tf.Reshape, { x: taps3 }, { shape: [fh, fw, c, m] }));
    } finally {
      k.dispose();
    }
  },
};
