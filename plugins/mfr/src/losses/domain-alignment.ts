import * as tf from '@tensorflow/tfjs-core';
import { definePlugin, z, type Loss } from '@metadg/core';
import { PLUGIN_VERSION } from '../version.js';
import { checkAligned } from '@metadg/meta';

/** Normalised gallery/probe embeddings (B×d each) of one domain's pair batch. */
export interface PairEmbeddings {
  readonly fg: tf.Tensor2D;
  readonly fp: tf.Tensor2D;
}

/**
 * MFR's domain alignment loss over the n meta-train domains (Guo et al. 2020):
 *
 *   c_j = 1/B Σ_i (Fg_i + Fp_i)/2,  c_mtr = 1/n Σ_j c_j,  L_da = 1/n Σ_j ‖ s · (c_j − c_mtr) ‖².
 *
 * `scale` is s; it sits inside the norm, so the term grows with s².
 */
export function domainAlignmentLoss(domains: readonly PairEmbeddings[], scale: number): tf.Scalar {
  return tf.tidy(() => centreAlignmentLoss(domains.map((d) => domainCentre(d.fg, d.fp)), scale));
}

/**
 * Centre of one domain's batch: the mean of its normalised embeddings over
 * the given tensors (gallery and probe of a pair batch, or one plain batch).
 */
export function domainCentre(...embeddings: readonly tf.Tensor2D[]): tf.Tensor1D {
  return tf.tidy(() => tf.div(tf.addN(embeddings.map((e) => tf.mean(e, 0))), embeddings.length) as tf.Tensor1D);
}

/** 1/n Σ_j ‖ s · (c_j − mean_k c_k) ‖² over domain centres `c_j` (the core of `domainAlignmentLoss`). */
export function centreAlignmentLoss(centres: readonly tf.Tensor1D[], scale: number): tf.Scalar {
  // One domain is its own mean: the term is exactly 0 (no ops needed).
  if (centres.length < 2) return tf.scalar(0);
  return tf.tidy(() => {
    const stacked = tf.stack(centres as tf.Tensor1D[]);
    const mean = tf.mean(stacked, 0, true);
    return tf.mean(tf.sum(tf.square(tf.mul(tf.sub(stacked, mean), scale)), 1)) as tf.Scalar;
  });
}

/** Options of the `domain-alignment` loss term. */
export interface DomainAlignmentOptions {
  /** Scale s_da inside the norm (the paper uses the classifier's s). */
  readonly scale: number;
}

/**
 * The `domain-alignment` loss term: `domainAlignmentLoss` over the domains it
 * is given (a labelled batch's centre is its row mean). Applies in the
 * meta-train and pooled phases only: it compares several domains, and the
 * meta-test phase has one. Part: `domainAlign`.
 */
export function createDomainAlignmentLoss(options: DomainAlignmentOptions): Loss {
  const name = 'domain-alignment';
  return {
    name,
    params: {},
    phases: ['meta-train', 'pooled'],
    compute(batches, embeddings) {
      checkAligned(name, batches, embeddings);
      return tf.tidy(() => {
        const centres = embeddings.map((e) => (e.kind === 'pairs' ? domainCentre(e.gallery, e.probe) : domainCentre(e.x)));
        const value = centreAlignmentLoss(centres, options.scale);
        return { value, parts: { domainAlign: value } };
      });
    },
    dispose() {},
  };
}

/** Plugin `domain-alignment`: MFR's alignment of meta-train domain centres. */
export const domainAlignmentPlugin = definePlugin({
  kind: 'loss',
  name: 'domain-alignment',
  version: PLUGIN_VERSION,
  description: "MFR domain alignment loss: pulls each meta-train domain's embedding centre towards their mean (meta-train and pooled phases).",
  hparams: z.object({
    scale: z.number().positive('must be > 0').default(16),
  }),
  hparamSources: {
    scale:
      "The paper (Guo et al. 2020) uses the classifier's scale s inside the norm; 16 equals the soft-classification " +
      'default. The glyph experiment reported with the MFR specification found this term (s² = 256 on centre ' +
      'distances) dominating L_S early: lower `scale` or the loss weight λ_da if it does.',
  },
  hparamSpace: {
    scale: (rng) => 2 ** rng.uniform(-1, 4),
  },
  create: (h) => createDomainAlignmentLoss({ scale: h.scale }),
});
