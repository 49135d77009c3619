import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError } from '../errors.js';

/**
 * Scales `x` to unit L2 length along `axis`: x / sqrt(max(Σ x², epsilon)),
 * TensorFlow's `tf.math.l2_normalize` formula. Safe at 0 (a zero vector stays
 * zero, with finite gradients) and differentiable twice (rsqrt, maximum and
 * the comparison inside maximum's gradient are all covered by the fixes).
 *
 * @param x float tensor of rank ≥ 1.
 * @param axis axis to normalise (default −1, the last: one embedding per row).
 * @param epsilon lower bound on the squared norm (default 1e-12, as TensorFlow).
 */
export function l2Normalize<T extends tf.Tensor>(x: T, axis = -1, epsilon = 1e-12): T {
  if (x.rank === 0) throw new ArgumentError('l2Normalize: x', 'must have rank ≥ 1, got a scalar');
  if (!Number.isInteger(axis) || axis < -x.rank || axis >= x.rank) {
    throw new ArgumentError('l2Normalize: axis', `${axis} is outside [${-x.rank}, ${x.rank - 1}] for shape [${x.shape}]`);
  }
  if (!(epsilon > 0) || !Number.isFinite(epsilon)) {
    throw new ArgumentError('l2Normalize: epsilon', `must be a positive finite number, got ${epsilon}`);
  }
  return tf.tidy(() => {
    const squared = tf.sum(tf.square(x), axis, true);
    return tf.mul(x, tf.rsqrt(tf.maximum(squared, epsilon))) as T;
  });
}
