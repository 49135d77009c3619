import * as tf from '@tensorflow/tfjs-core';
import { expectShape, KernelCalls, shape4D } from '../kernel_calls.js';

/**
 * The first composed Conv2DBackpropFilter for wasm (which ships no such
 * kernel), kept as the `baseline` kernel set (`METADG_WASM_KERNELS=baseline`)
 * and as an independent cross-check of the fast kernel. Its three generic
 * transposes cost more than the convolution (≈ 55 ms for the 32×32×32 layer
 * of the reference network at batch 64, against ≈ 20 ms for im2col + GEMM).
 *
 * dW[i, j, ci, co] = Σ_{n, oh, ow} xPad[n, oh·s + i, ow·s + j, ci] · dy[n, oh, ow, co]
 * is itself a forward convolution: input xPadᵀ [ci, H', W', n], filter
 * dyᵀ [oh, ow, n, co], dilation = the forward stride, output [ci, i, j, co].
 * One XNNPACK convolution does the work (plus three transposes), instead of a
 * slow scalar loop.
 */
export const conv2DBackpropFilterDilatedWasmConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const name = `wasm ${tf.Conv2DBackpropFilter}`;
    const { x, dy } = inputs;
    if (x === undefined || dy === undefined) throw new Error(`${name}: inputs x and dy are required`);
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    if (dataFormat === 'NCHW') throw new Error(`${name}: dataFormat NCHW is not supported, use NHWC`);
    const info = tf.backend_util.computeConv2DInfo(
      shape4D(x, name, 'x'),
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
    expectShape(shape4D(dy, name, 'dy'), info.outShape, name, 'dy');
    const { strideHeight: sh, strideWidth: sw, outHeight, outWidth, filterHeight, filterWidth, padInfo } = info;
    const k = new KernelCalls(backend, 'wasm', name);
    try {
      const window = k.window(x, padInfo.top, (outHeight - 1) * sh + filterHeight, padInfo.left, (outWidth - 1) * sw + filterWidth);
      const xT = k.run(tf.Transpose, { x: window }, { perm: [3, 1, 2, 0] });
      const dyT = k.run(tf.Transpose, { x: dy }, { perm: [1, 2, 0, 3] });
      const conv = k.run(
        tf.Conv2D,
        { x: xT, filter: dyT },
        { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [sh, sw] },
      );
      return k.keep(k.run(tf.Transpose, { x: conv }, { perm: [1, 2, 0, 3] }));
    } finally {
      k.dispose();
    }
  },
};
