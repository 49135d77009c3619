import * as tf from '@tensorflow/tfjs-core';
import { savedAt } from './grad_util.js';

/**
 * GatherV2 with a float32 gradient for `indices`, built on the stock config
 * (passed in by the installer) for `x`. The stock config returns the int32
 * indices themselves as their "gradient", which throws ("must have 'float32'
 * dtype") as soon as the indices depend on the parameters — e.g. indices picked
 * by argMax for hard-example mining. Indices are piecewise constant: zero.
 */
export function gatherV2GradConfig(stock: tf.GradConfig): tf.GradConfig {
  return {
    kernelName: tf.GatherV2,
    inputsToSave: ['x', 'indices'],
    gradFunc: (dy, saved, attrs) => {
      const grads = stock.gradFunc(dy, saved, attrs);
      const indices = savedAt(saved, 1, tf.GatherV2);
      return { ...grads, indices: () => tf.zeros(indices.shape, 'float32') };
    },
  };
}
