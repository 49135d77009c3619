import * as tf from '@tensorflow/tfjs-core';
import { savedAt, singleDy } from './grad_util.js';
import { poolWindows, zeroPaddedAvgPool } from './pool_util.js';

/**
 * Gradient of the AvgPoolGrad kernel, missing in stock tfjs (avgPool failed at
 * second order). The kernel spreads each dy over its window divided by the
 * filter area, so its adjoint sums g over each window divided by that area: an
 * average pool that counts padding as zeros. The input only supplies a shape.
 */
export const avgPoolGradGradConfig: tf.GradConfig = {
  kernelName: tf.AvgPoolGrad,
  inputsToSave: ['input'],
  gradFunc: (upstream, saved, attrs) => {
    const g = singleDy(upstream, tf.AvgPoolGrad) as tf.Tensor4D;
    const input = savedAt(saved, 0, tf.AvgPoolGrad);
    const { filterSize, strides, pad } = attrs as unknown as tf.AvgPoolGradAttrs;
    return {
      dy: () => zeroPaddedAvgPool(g, poolWindows(input.shape, filterSize, strides, pad)),
      input: () => tf.zeros(input.shape, 'float32'),
    };
  },
};
