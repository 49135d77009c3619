import * as tf from '@tensorflow/tfjs-core';
import { l2Normalize } from '@metadg/tensor';

/**
 * Lower bound on sin²θ inside ArcFace: sin θ = sqrt(max(1 − cos²θ, ε)).
 * Keeps the first and second derivatives finite when an embedding sits on
 * its class centre (cos θ = ±1, where d√x/dx is infinite); ε = 1e-6 means
 * θ is treated as ≥ 1e-3 rad, below float32's resolution of 1 − cos²θ there.
 */
export const SIN_EPSILON = 1e-6;

/** Cosines between normalised embeddings `[N, d]` and the L2-normalised rows of W `[C, d]`: `[N, C]`. */
export function cosineMatrix(embeddings: tf.Tensor2D, weights: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(embeddings, l2Normalize(weights), false, true));
}

/**
 * Replaces each row's target-class cosine c_y by `target(c_y)` and scales
 * by s: logits = s·(cos + onehot(y) ⊙ (target(c_y) − c_y)). The margin is
 * computed for the N target entries only, not for all N·C.
 */
export function withTargetLogit(
  cosines: tf.Tensor2D,
  labels: tf.Tensor1D,
  scale: number,
  target: (cy: tf.Tensor1D) => tf.Tensor1D,
): tf.Tensor2D {
  return tf.tidy(() => {
    const classes = cosines.shape[1];
    const mask = tf.cast(tf.oneHot(tf.cast(labels, 'int32') as tf.Tensor1D, classes), 'float32');
    const cy = tf.sum(tf.mul(cosines, mask), 1) as tf.Tensor1D;
    const delta = tf.sub(target(cy), cy);
    return tf.mul(tf.add(cosines, tf.mul(mask, tf.expandDims(delta, 1))), scale) as tf.Tensor2D;
  });
}

/** Options of {@link arcFaceLogits}. */
export interface ArcFaceOptions {
  /** Logit scale s (feature scale of the normalised hypersphere). */
  readonly scale: number;
  /** Additive angular margin m, in radians. */
  readonly margin: number;
  /**
   * Where cos(θ + m) stops decreasing in θ (θ + m > π): `false` (insightface's
   * default) uses cos θ − m·sin m once θ > π − m; `true` ("easy margin")
   * applies the margin only where cos θ > 0 and uses cos θ elsewhere.
   */
  readonly easyMargin?: boolean;
}

/**
 * ArcFace's target logit (Deng et al., CVPR 2019) as a function of the
 * target cosine c = cos θ_y, in the insightface formulation
 * (recognition/arcface_torch/losses.py `ArcFace`: cos_m, sin_m, th = cos(π − m) — `theta`
 * there —, mm = sin(π − m)·m — `sinmm`):
 *
 *   cos(θ + m) = c·cos m − sin θ·sin m,  sin θ = sqrt(max(1 − c², ε))   when c > th
 *   c − mm                                                              otherwise
 *
 * No `acos`: it is singular at c = ±1 and MFR differentiates the loss twice.
 */
export function arcFaceTarget(cy: tf.Tensor1D, margin: number, easyMargin = false): tf.Tensor1D {
  return tf.tidy(() => {
    const sin = tf.sqrt(tf.maximum(tf.sub(1, tf.square(cy)), SIN_EPSILON));
    const phi = tf.sub(tf.mul(cy, Math.cos(margin)), tf.mul(sin, Math.sin(margin))) as tf.Tensor1D;
    if (easyMargin) return tf.where(tf.greater(cy, 0), phi, cy);
    const th = Math.cos(Math.PI - margin);
    const mm = Math.sin(Math.PI - margin) * margin;
    return tf.where(tf.greater(cy, th), phi, tf.sub<tf.Tensor1D>(cy, mm));
  });
}

/**
 * ArcFace logits `[N, C]`: s·cos(θ_y + m) for each row's label y (see
 * {@link arcFaceTarget}), s·cos θ_j for the other classes. `embeddings`:
 * L2-normalised `[N, d]`; `weights`: class centres W `[C, d]` (rows are
 * normalised here); `labels`: int32 `[N]` in [0, C).
 */
export function arcFaceLogits(embeddings: tf.Tensor2D, weights: tf.Tensor2D, labels: tf.Tensor1D, options: ArcFaceOptions): tf.Tensor2D {
  return tf.tidy(() =>
    withTargetLogit(cosineMatrix(embeddings, weights), labels, options.scale, (cy) => arcFaceTarget(cy, options.margin, options.easyMargin)),
  );
}

/** Options of {@link cosFaceLogits}. */
export interface CosFaceOptions {
  /** Logit scale s. */
  readonly scale: number;
  /** Additive cosine margin m. */
  readonly margin: number;
}

/**
 * CosFace / large-margin cosine logits `[N, C]` (Wang et al., CVPR 2018):
 * s·(cos θ_y − m) for each row's label y, s·cos θ_j for the other classes.
 * Same inputs as {@link arcFaceLogits}.
 */
export function cosFaceLogits(embeddings: tf.Tensor2D, weights: tf.Tensor2D, labels: tf.Tensor1D, options: CosFaceOptions): tf.Tensor2D {
  return tf.tidy(() => withTargetLogit(cosineMatrix(embeddings, weights), labels, options.scale, (cy) => tf.sub(cy, options.margin)));
}
