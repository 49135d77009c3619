import * as tf from '@tensorflow/tfjs-core';
import { expectShape, KernelCalls, shape4D } from '../kernel_calls.js';

/**
 * DepthwiseConv2dNativeBackpropInput for wasm (absent from tfjs-backend-wasm).
 *
 * The transpose of a depthwise convolution is a stride-1 depthwise
 * convolution of dy — first spread by the stride (zeros between rows and
 * columns) and padded by (FH−1)·d − padTop — with the spatially flipped
 * filter, one channel per (c, m); summing the M results of channel c gives
 * dx[…, c]. It ends in one XNNPACK depthwise convolution.
 */
export const depthwiseConv2dNativeBackpropInputWasmConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const name = `wasm ${tf.DepthwiseConv2dNativeBackpropInput}`;
    const { dy, filter } = inputs;
    if (dy === undefined || filter === undefined) throw new Error(`${name}: inputs dy and filter are required`);
    const { strides, dilations, pad, dimRoundingMode, inputShape } =
      attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
    const filterShape = shape4D(filter, name, 'filter');
    const info = tf.backend_util.computeConv2DInfo(inputShape, filterShape, strides, dilations, pad, dimRoundingMode, true);
    expectShape(shape4D(dy, name, 'dy'), info.outShape, name, 'dy');
    const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw, padInfo } = info;
    const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
    const { filterHeight: fh, filterWidth: fw } = info;
    const m = filterShape[3];
    const k = new KernelCalls(backend, 'wasm', name);
    try {
      // Spread dy by the stride: [n, oh, 1, ow, 1, cm] padded to [n, oh, sh, ow, sw, cm].
      let spread: tf.TensorInfo = dy;
      if (sh > 1 || sw > 1) {
        const six = k.run(tf.Reshape, { x: dy }, { shape: [n, oh, 1, ow, 1, c * m] });
        const paddings = [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]];
        const padded = k.run(tf.PadV2, { x: six }, { paddings, constantValue: 0 });
        spread = k.run(tf.Reshape, { x: padded }, { shape: [n, oh * sh, ow * sw, c * m] });
      }
      // Full-correlation window: dx[h] = Σ_a P[h + a·d] · Wflip[a] with P[i] = spread[i − top'].
      const window = k.window(spread, (fh - 1) * dh - padInfo.top, h + (fh - 1) * dh, (fw - 1) * dw - padInfo.left, w + (fw - 1) * dw);
      const flipped = k.run(tf.Reverse, { x: filter }, { dims: [0, 1] });
      const perChannel = k.run(tf.Reshape, { x: flipped }, { shape: [fh, fw, c * m, 1] });
      const conv = k.run(
        tf.DepthwiseConv2dNative,
        { x: window, filter: perChannel },
        { strides: [1, 1], pad: 'valid', dilations: [dh, dw], dataFormat: 'NHWC' },
      );
      if (m === 1) return k.keep(conv);
      const split = k.run(tf.Reshape, { x: conv }, { shape: [n, h, w, c, m] });
      return k.keep(k.run(tf.Sum, { x: split }, { axis: [4], keepDims: false }));
    } finally {
      k.dispose();
    }
  },
};
