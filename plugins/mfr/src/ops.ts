import * as tf from '@tensorflow/tfjs-core';

/**
 * 1 where `x > threshold` (strictly), else 0, as float32, carrying no gradient:
 * `step`'s registered gradient is zero (at every order), so selecting by it
 * is mining, not a path for gradients. For IEEE floats `x − t > 0 ⇔ x > t`.
 */
export function strictlyAbove(x: tf.Tensor, threshold: number): tf.Tensor {
  return tf.tidy(() => tf.step(tf.sub(x, threshold)));
}
