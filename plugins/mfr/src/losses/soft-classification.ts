import * as tf from '@tensorflow/tfjs-core';
import { definePlugin, z, type Loss, type Rng } from '@metadg/core';
import { classifierHeadFrom, createClassifierLoss, pairClassificationLoss } from '@metadg/meta';
import { l2Normalize } from '@metadg/tensor';
import { PLUGIN_VERSION } from '../version.js';

/**
 * Cosine-classifier logits s · F · Wnᵀ, Wn = W with L2-normalised rows:
 * each logit is s times the cosine between an embedding and a class centre.
 */
export function cosineLogits(embeddings: tf.Tensor2D, weights: tf.Tensor2D, scale: number): tf.Tensor2D {
  return tf.tidy(() => tf.mul(tf.matMul(embeddings, l2Normalize(weights), false, true), scale));
}

/**
 * MFR's soft classification loss for one domain (Guo et al. 2020):
 *
 *   L_cls = 1/(2B) Σ_i [ CE(y_i, s·Fg_i·Wnᵀ) + CE(y_i, s·Fp_i·Wnᵀ) ],
 *
 * i.e. the mean of the gallery and the probe cross-entropies of a cosine
 * classifier W (C×d, rows normalised here) with scale s. `fg`, `fp`: B×d
 * normalised embeddings; `labels`: int32 class indices in [0, C).
 */
export function softClassificationLoss(
  fg: tf.Tensor2D,
  fp: tf.Tensor2D,
  labels: tf.Tensor1D,
  weights: tf.Tensor2D,
  scale: number,
): tf.Scalar {
  return pairClassificationLoss(fg, fp, labels, weights, (e, w) => cosineLogits(e, w, scale));
}

/** Options of the `soft-classification` loss term. */
export interface SoftClassificationOptions {
  /** Number of classes C (the training label space's size). */
  readonly classes: number;
  /** Embedding width d (the backbone's). */
  readonly embeddingSize: number;
  /** Logit scale s. */
  readonly scale: number;
  /** Initial W (C×d). Default: N(0, 1/d) draws from `rng`. The variable keeps its own reference: the caller may dispose `init`. */
  readonly init?: tf.Tensor2D;
  /** Stream for the default initialisation. */
  readonly rng?: Rng;
}

/**
 * The `soft-classification` loss term: a cosine classifier W (C×d, a variable
 * this loss owns, param key `W`) with scale s. Per domain: for a pair batch
 * `softClassificationLoss`, for a labelled batch the mean cross-entropy of its
 * rows; averaged over domains. Applies in every phase. Part: `softCls`.
 */
export function createSoftClassificationLoss(options: SoftClassificationOptions): Loss {
  const { scale, ...classifier } = options;
  return createClassifierLoss({ ...classifier, name: 'soft-classification', part: 'softCls', logits: (e, w) => cosineLogits(e, w, scale) });
}

/** Plugin `soft-classification`: MFR's cosine-classifier cross-entropy over all training identities. */
export const softClassificationPlugin = definePlugin({
  kind: 'loss',
  name: 'soft-classification',
  version: PLUGIN_VERSION,
  description:
    'MFR soft classification loss: cross-entropy of a scaled cosine classifier (C = task.labels.size, d = backbone.embeddingSize) on gallery and probe.',
  hparams: z.object({
    scale: z.number().positive('must be > 0').default(16),
  }),
  hparamSources: {
    scale:
      'Not published in the paper (Guo et al. 2020). 16 is the value of the independent glyph-identity ' +
      'experiment reported with the MFR specification (462 classes, 32×32 glyphs).',
  },
  hparamSpace: {
    scale: (rng) => 2 ** rng.uniform(3, 6),
  },
  async create(h, ctx) {
    return createSoftClassificationLoss({ ...(await classifierHeadFrom(ctx)), scale: h.scale });
  },
});
