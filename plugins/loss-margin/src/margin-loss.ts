import * as tf from '@tensorflow/tfjs-core';
import { pairClassificationLoss, type ClassifierLogits } from '@metadg/meta';
import { arcFaceLogits, cosFaceLogits, type ArcFaceOptions, type CosFaceOptions } from './margin-logits.js';

/** Margin logits of normalised embeddings `[N, d]` against W `[C, d]` for int32 labels `[N]`. */
export type MarginLogits = ClassifierLogits;

/**
 * The mean of the gallery and the probe cross-entropies of margin logits,
 * as MFR's soft classification loss (Guo et al. 2020) with its cosine
 * logits replaced (@metadg/meta's `pairClassificationLoss`).
 */
export const marginPairLoss = pairClassificationLoss;

/** ArcFace loss of one pair batch: mean of gallery and probe cross-entropies of {@link arcFaceLogits}. */
export function arcFaceLoss(fg: tf.Tensor2D, fp: tf.Tensor2D, labels: tf.Tensor1D, weights: tf.Tensor2D, options: ArcFaceOptions): tf.Scalar {
  return marginPairLoss(fg, fp, labels, weights, (e, w, y) => arcFaceLogits(e, w, y, options));
}

/** CosFace loss of one pair batch: mean of gallery and probe cross-entropies of {@link cosFaceLogits}. */
export function cosFaceLoss(fg: tf.Tensor2D, fp: tf.Tensor2D, labels: tf.Tensor1D, weights: tf.Tensor2D, options: CosFaceOptions): tf.Scalar {
  return marginPairLoss(fg, fp, labels, weights, (e, w, y) => cosFaceLogits(e, w, y, options));
}
