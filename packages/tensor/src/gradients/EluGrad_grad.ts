import * as tf from '@tensorflow/tfjs-core';
import { runKernel, savedAt, singleDy } from './grad_util.js';

/**
 * Gradient of EluGrad, which stock tfjs lacks (so `tf.elu` failed at second
 * order). EluGrad(dy, y) = dy where y ≥ 0, dy·(y + 1) where y < 0, hence
 * ∂/∂dy = EluGrad(g, y) and ∂/∂y = g·dy where y < 0, else 0.
 */
export const eluGradGradConfig: tf.GradConfig = {
  kernelName: tf.EluGrad,
  inputsToSave: ['dy', 'y'],
  gradFunc: (upstream, saved) => {
    const g = singleDy(upstream, tf.EluGrad);
    const dy = savedAt(saved, 0, tf.EluGrad);
    const y = savedAt(saved, 1, tf.EluGrad);
    return {
      dy: () => runKernel(tf.EluGrad, { dy: g, y }, {}),
      y: () => tf.mul(tf.mul(g, dy), tf.cast(tf.less(y, 0), 'float32')),
    };
  },
};
