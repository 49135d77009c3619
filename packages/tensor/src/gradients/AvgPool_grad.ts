import * as tf from '@tensorflow/tfjs-core';
import { runKernel, savedAt, singleDy } from './grad_util.js';
import { poolWindows, zeroPaddedAvgPool } from './pool_util.js';

/**
 * First-order fix for AvgPool with padding. The forward pass divides each
 * window by the number of *valid* pixels, but the stock gradient (the
 * AvgPoolGrad kernel, cpu and wasm alike) divides by the full filter area, so
 * 'same' pooling had wrong gradients at the borders (measured 6 % error on a
 * 5×5 input, 3×3 filter, stride 2). Scaling dy by area / count per window
 * before the kernel gives the exact gradient.
 */
export const avgPoolGradConfig: tf.GradConfig = {
  kernelName: tf.AvgPool,
  inputsToSave: ['x'],
  gradFunc: (upstream, saved, attrs) => {
    const dy = singleDy(upstream, tf.AvgPool) as tf.Tensor4D;
    const x = savedAt(saved, 0, tf.AvgPool) as tf.Tensor4D;
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.AvgPoolAttrs;
    return {
      x: () => {
        const windows = poolWindows(x.shape, filterSize, strides, pad, dimRoundingMode);
        // Share of each window inside the input (1 everywhere without padding);
        // a window entirely in the padding (share 0) reaches no input pixel.
        const share = tf.maximum(zeroPaddedAvgPool(tf.ones([1, x.shape[1], x.shape[2], 1]), windows), 1e-6);
        return runKernel(tf.AvgPoolGrad, { dy: tf.div(dy, share), input: x }, { filterSize, strides, pad });
      },
    };
  },
};
