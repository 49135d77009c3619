import * as tf from '@tensorflow/tfjs-core';
import { runKernel, savedAt, singleDy } from './grad_util.js';

/**
 * Gradient of DepthwiseConv2dNativeBackpropFilter (dW = DBF(x, dy)), missing
 * in stock tfjs. DBF is bilinear and ⟨G, DBF(x, dy)⟩ = ⟨dy, depthwise(x, G)⟩:
 * ∂/∂x = depthwiseBackpropInput(dy, G), ∂/∂dy = depthwiseConv2d(x, G).
 */
export const depthwiseConv2dNativeBackpropFilterGradConfig: tf.GradConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  inputsToSave: ['x', 'dy'],
  gradFunc: (upstream, saved, attrs) => {
    const name = tf.DepthwiseConv2dNativeBackpropFilter;
    const g = singleDy(upstream, name) as tf.Tensor4D;
    const x = savedAt(saved, 0, name) as tf.Tensor4D;
    const dy = savedAt(saved, 1, name) as tf.Tensor4D;
    const { strides, dilations, pad, dimRoundingMode } = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
    return {
      x: () =>
        runKernel(
          tf.DepthwiseConv2dNativeBackpropInput,
          { dy, filter: g },
          { strides, dilations, pad, dimRoundingMode, inputShape: x.shape },
        ),
      dy: () => runKernel(tf.DepthwiseConv2dNative, { x, filter: g }, { strides, pad, dataFormat: 'NHWC', dilations, dimRoundingMode }),
    };
  },
};
