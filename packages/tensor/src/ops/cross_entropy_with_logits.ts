import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, ShapeError } from '../errors.js';

/**
 * Mean softmax cross-entropy of integer class labels:
 * −1/N Σ_i log softmax(logits_i)[labels_i].
 *
 * Built from `tf.logSoftmax` (numerically stable, max-shifted) and a one-hot
 * mask, so it differentiates twice correctly once the tape-order fix is
 * installed — unlike `tf.losses.softmaxCrossEntropy`, whose custom gradient
 * keeps an intermediate that is invisible at second order.
 *
 * @param logits `[N, C]` float scores.
 * @param labels `[N]` int32 class indices in `[0, C)` (tensor or array).
 * @returns a scalar; its gradient w.r.t. logits is (softmax − onehot) / N.
 * @throws ShapeError on wrong ranks/sizes/dtypes, ArgumentError on a label outside `[0, C)`.
 */
export function crossEntropyWithLogits(logits: tf.Tensor, labels: tf.Tensor | readonly number[]): tf.Scalar {
  const what = 'crossEntropyWithLogits';
  if (logits.rank !== 2 || logits.shape[0] === 0 || logits.shape[1] === 0) {
    throw new ShapeError(`${what}: logits`, '[N, C] with N, C ≥ 1', logits.shape);
  }
  if (logits.dtype !== 'float32') throw new ShapeError(`${what}: logits`, 'float32 [N, C]', `dtype ${logits.dtype}`);
  const [n, c] = logits.shape as [number, number];
  const values = labelValues(labels, n, what);
  values.forEach((label, i) => {
    if (!Number.isInteger(label) || label < 0 || label >= c) {
      throw new ArgumentError(`${what}: labels[${i}]`, `${label} is not a class index in [0, ${c})`);
    }
  });
  return tf.tidy(() => {
    const ids = tf.tensor1d(values, 'int32');
    const picked = tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(ids, c, 1, 0, 'float32')), 1);
    return tf.neg(tf.mean(picked)) as tf.Scalar;
  });
}

/** Label values as numbers, after checking the labels' rank, length and dtype. */
function labelValues(labels: tf.Tensor | readonly number[], n: number, what: string): number[] {
  if (isArray(labels)) {
    if (labels.length !== n) throw new ShapeError(`${what}: labels`, `[${n}] (one per logits row)`, [labels.length]);
    return [...labels];
  }
  if (labels.rank !== 1 || labels.shape[0] !== n) throw new ShapeError(`${what}: labels`, `[${n}] (one per logits row)`, labels.shape);
  if (labels.dtype !== 'int32') throw new ShapeError(`${what}: labels`, `int32 [${n}]`, `dtype ${labels.dtype}`);
  // Labels are N small integers: reading them lets a bad label fail loudly
  // instead of silently contributing a zero one-hot row.
  return Array.from(labels.dataSync());
}

// Not `instanceof tf.Tensor`: an app may load tfjs-core twice (ESM and CJS).
function isArray(labels: tf.Tensor | readonly number[]): labels is readonly number[] {
  return Array.isArray(labels);
}
