import * as tf from '@tensorflow/tfjs-core';
import { savedAt, singleDy } from './grad_util.js';

/**
 * Gradient of MaxPoolGrad, missing in stock tfjs (maxPool failed at second
 * order). MaxPoolGrad(dy) = Jᵀ·dy routes each window's gradient to its argmax,
 * so ∂/∂dy = J·g picks g at each window's argmax; the max positions are
 * piecewise constant in the input and output (zero gradient).
 */
export const maxPoolGradGradConfig: tf.GradConfig = {
  kernelName: tf.MaxPoolGrad,
  inputsToSave: ['dy', 'input', 'output'],
  gradFunc: (upstream, saved, attrs) => {
    const g = singleDy(upstream, tf.MaxPoolGrad);
    const dy = savedAt(saved, 0, tf.MaxPoolGrad);
    const input = savedAt(saved, 1, tf.MaxPoolGrad) as tf.Tensor4D;
    const output = savedAt(saved, 2, tf.MaxPoolGrad);
    const { filterSize, strides, pad } = attrs as unknown as tf.MaxPoolGradAttrs;
    return {
      dy: () => {
        if (typeof pad === 'object') {
          throw new Error('MaxPoolGrad gradient: explicit padding is not supported at second order');
        }
        const { indexes } = tf.maxPoolWithArgmax(input, filterSize, strides, pad, true);
        if (indexes === undefined || !tf.util.arraysEqual(indexes.shape, dy.shape)) {
          throw new Error(`MaxPoolGrad gradient: argmax shape [${indexes?.shape ?? []}] differs from dy [${dy.shape}]`);
        }
        return tf.reshape(tf.gather(tf.reshape(g, [-1]), tf.reshape(indexes, [-1])), dy.shape);
      },
      input: () => tf.zeros(input.shape, 'float32'),
      output: () => tf.zeros(output.shape, 'float32'),
    };
  },
};
