import * as tf from '@tensorflow/tfjs-core';

/**
 * Unpack (`tf.unstack`) with a single output. The engine hands a gradient
 * function one tensor, not a list, when its kernel has one output, but the
 * stock Unpack gradient passes what it gets straight to `tf.stack`, which
 * then throws "must be a `Tensor[]`". Unpack is Pack's gradient, so every
 * second-order derivative through `tf.stack([x])` (a stack of one tensor —
 * e.g. a per-domain statistic when a batch has one domain) failed.
 */
export const unpackGradConfig: tf.GradConfig = {
  kernelName: tf.Unpack,
  gradFunc: (upstream, _saved, attrs) => {
    const { axis } = attrs as unknown as tf.UnpackAttrs;
    const parts = Array.isArray(upstream) ? upstream : [upstream];
    return { value: () => tf.stack(parts, axis) };
  },
};
