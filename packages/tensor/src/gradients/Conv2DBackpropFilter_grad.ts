import * as tf from '@tensorflow/tfjs-core';
import { runKernel, savedAt, singleDy } from './grad_util.js';

/**
 * Gradient of Conv2DBackpropFilter (dW = BF(x, dy)), which stock tfjs lacks:
 * differentiating a conv layer's weight gradient — the inner step of MAML/MFR —
 * threw "gradient function not found for Conv2DBackpropFilter".
 *
 * BF is bilinear and ⟨G, BF(x, dy)⟩ = ⟨dy, conv2d(x, G)⟩, so for an upstream
 * G = ∂L/∂dW: ∂L/∂x = conv2DBackpropInput(dy, G) and ∂L/∂dy = conv2d(x, G),
 * with the forward convolution's strides, padding and rounding.
 */
export const conv2DBackpropFilterGradConfig: tf.GradConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  inputsToSave: ['x', 'dy'],
  gradFunc: (upstream, saved, attrs) => {
    const g = singleDy(upstream, tf.Conv2DBackpropFilter) as tf.Tensor4D;
    const x = savedAt(saved, 0, tf.Conv2DBackpropFilter) as tf.Tensor4D;
    const dy = savedAt(saved, 1, tf.Conv2DBackpropFilter) as tf.Tensor4D;
    const { strides, pad, dataFormat, dimRoundingMode } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    return {
      x: () =>
        runKernel(tf.Conv2DBackpropInput, { dy, filter: g }, { strides, pad, dataFormat, dimRoundingMode, inputShape: x.shape }),
      dy: () => tf.conv2d(x, g, strides, pad, dataFormat, 1, dimRoundingMode),
    };
  },
};
