import * as tf from '@tensorflow/tfjs-core';
import { crossEntropyWithLogits } from '@metadg/tensor';
import { arcFaceLogits, cosFaceLogits, type ArcFaceOptions, type CosFaceOptions } from './margin-logits.js';

/** Margin logits of normalised embeddings `[N, d]` against W `[C, d]` for int32 labels `[N]`. */
export type MarginLogits = (embeddings: tf.Tensor2D, weights: tf.Tensor2D, labels: tf.Tensor1D) => tf.Tensor2D;

/**
 * The mean of the gallery and the probe cross-entropies of margin logits,
 * as MFR's soft classification loss (Guo et al. 2020) with its cosine
 * logits replaced: L = 1/(2B) Σ_i [CE(y_i, logits(Fg_i)) + CE(y_i, logits(Fp_i))].
 */
export function marginPairLoss(fg: tf.Tensor2D, fp: tf.Tensor2D, labels: tf.Tensor1D, weights: tf.Tensor2D, logits: MarginLogits): tf.Scalar {
  return tf.tidy(() => {
    const gallery = crossEntropyWithLogits(logits(fg, weights, labels), labels);
    const probe = crossEntropyWithLogits(logits(fp, weights, labels), labels);
    return tf.div(tf.add(gallery, probe), 2) as tf.Scalar;
  });
}

/** ArcFace loss of one pair batch: mean of gallery and probe cross-entropies of {@link arcFaceLogits}. */
export function arcFaceLoss(fg: tf.Tensor2D, fp: tf.Tensor2D, labels: tf.Tensor1D, weights: tf.Tensor2D, options: ArcFaceOptions): tf.Scalar {
  return marginPairLoss(fg, fp, labels, weights, (e, w, y) => arcFaceLogits(e, w, y, options));
}

/** CosFace loss of one pair batch: mean of gallery and probe cross-entropies of {@link cosFaceLogits}. */
export function cosFaceLoss(fg: tf.Tensor2D, fp: tf.Tensor2D, labels: tf.Tensor1D, weights: tf.Tensor2D, options: CosFaceOptions): tf.Scalar {
  return marginPairLoss(fg, fp, labels, weights, (e, w, y) => cosFaceLogits(e, w, y, options));
}
