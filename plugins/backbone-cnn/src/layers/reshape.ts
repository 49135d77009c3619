import * as tf from '@tensorflow/tfjs-core';
import { requireMap } from './checks.js';
import { sizeOf, type FeatureShape, type Layer } from './layer.js';

/** `[N, ...]` → `[N, D]`, keeping each sample's elements in row-major (NHWC) order. */
export function flatten(x: tf.Tensor): tf.Tensor2D {
  return tf.reshape(x, [x.shape[0] ?? 1, sizeOf(x.shape.slice(1))]);
}

/** `[N, H, W, C]` → `[N, C]`: the mean of each channel over all positions. */
export function globalAvgPool(x: tf.Tensor4D): tf.Tensor2D {
  return tf.mean(x, [1, 2]);
}

/** Flattens each sample to a vector (no parameters, no arithmetic). */
export function flattenLayer(name: string, inputShape: FeatureShape): Layer {
  return {
    name,
    kind: 'flatten',
    inputShape,
    outputShape: [sizeOf(inputShape)],
    params: [],
    flops: 0,
    apply: (x) => flatten(x),
  };
}

/** Global average pooling of a feature map `[H, W, C]` → `[C]`. */
export function globalAvgPoolLayer(name: string, inputShape: FeatureShape): Layer {
  const [, , c] = requireMap(name, inputShape);
  return {
    name,
    kind: 'global-avg-pool',
    inputShape,
    outputShape: [c],
    params: [],
    flops: sizeOf(inputShape),
    apply: (x) => globalAvgPool(x as tf.Tensor4D),
  };
}
