import * as tf from '@tensorflow/tfjs-core';
import { runKernel, savedAt, singleDy } from './grad_util.js';

/**
 * Gradient of DepthwiseConv2dNativeBackpropInput (dx = DBI(dy, W)), missing in
 * stock tfjs. ⟨G, DBI(dy, W)⟩ = ⟨depthwise(G, W), dy⟩: ∂/∂dy = depthwise(G, W),
 * ∂/∂W = depthwiseBackpropFilter(G, dy).
 */
export const depthwiseConv2dNativeBackpropInputGradConfig: tf.GradConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  inputsToSave: ['dy', 'filter'],
  gradFunc: (upstream, saved, attrs) => {
    const name = tf.DepthwiseConv2dNativeBackpropInput;
    const g = singleDy(upstream, name) as tf.Tensor4D;
    const dy = savedAt(saved, 0, name) as tf.Tensor4D;
    const filter = savedAt(saved, 1, name) as tf.Tensor4D;
    const { strides, dilations, pad, dimRoundingMode } = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
    return {
      dy: () => runKernel(tf.DepthwiseConv2dNative, { x: g, filter }, { strides, pad, dataFormat: 'NHWC', dilations, dimRoundingMode }),
      filter: () =>
        runKernel(
          tf.DepthwiseConv2dNativeBackpropFilter,
          { x: g, dy },
          { strides, dilations, pad, dimRoundingMode, filterShape: filter.shape },
        ),
    };
  },
};
