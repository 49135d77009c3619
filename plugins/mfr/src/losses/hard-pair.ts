import * as tf from '@tensorflow/tfjs-core';
import { definePlugin, z, type DomainEmbeddings, type Loss } from '@metadg/core';
import { strictlyAbove } from '../ops.js';
import { PLUGIN_VERSION } from '../version.js';
import { checkAligned, meanOf, pairEmbeddings } from '@metadg/meta';

/** The hard-pair attention loss of one domain and its two terms. */
export interface HardPairTerms {
  /** L_hp = positive − negative. */
  readonly value: tf.Scalar;
  /** 1/(2|P|) Σ_{i} ‖Fg_i − Fp_i‖² (pull matching pairs together). */
  readonly positive: tf.Scalar;
  /** 1/(2|N|) Σ_{(i,j)∈N} ‖Fg_i − Fp_j‖², 0 when N is empty (push hard negatives apart). */
  readonly negative: tf.Scalar;
  /** |N|, the number of hard negatives mined (no gradient). */
  readonly hardNegatives: tf.Scalar;
}

/**
 * MFR's hard-pair attention loss for one domain (Guo et al. 2020, eq. 1):
 * M = Fg·Fpᵀ, positives P = {(i, i)}, hard negatives
 * N = {(i, j) : M_ij > τ, i ≠ j} (strict), and
 *
 *   L_hp = 1/(2|P|) Σ_P ‖Fg_i − Fp_i‖² − 1/(2|N|) Σ_N ‖Fg_i − Fp_j‖².
 *
 * Mining selects pairs but carries no gradient; with N empty the negative
 * term is 0. `fg`, `fp`: B×d L2-normalised gallery/probe embeddings, row i of
 * both from the same identity.
 */
export function hardPairLoss(fg: tf.Tensor2D, fp: tf.Tensor2D, tau: number): HardPairTerms {
  return tf.tidy(() => {
    const b = fg.shape[0];
    const similarity = tf.matMul(fg, fp, false, true);
    const positive = tf.div(tf.sum(tf.square(tf.sub(fg, fp))), 2 * b) as tf.Scalar;
    // ‖g_i − p_j‖² = ‖g_i‖² + ‖p_j‖² − 2 g_i·p_j, for every (i, j) at once.
    const distances = tf.sub(
      tf.add(tf.sum(tf.square(fg), 1, true), tf.transpose(tf.sum(tf.square(fp), 1, true))),
      tf.mul(similarity, 2),
    );
    const offDiagonal = tf.sub(1, tf.eye(b));
    const mask = tf.mul(strictlyAbove(similarity, tau), offDiagonal);
    const hardNegatives = tf.sum(mask) as tf.Scalar;
    // max(|N|, 1): the numerator is exactly 0 when N is empty, so the term is 0, never 0/0.
    const negative = tf.div(tf.sum(tf.mul(mask, distances)), tf.mul(tf.maximum(hardNegatives, 1), 2)) as tf.Scalar;
    const value = tf.sub(positive, negative) as tf.Scalar;
    return { value, positive, negative, hardNegatives };
  });
}

/** Options of the `hard-pair` loss term. */
export interface HardPairOptions {
  /** Cosine threshold τ above which an off-diagonal pair is a hard negative. */
  readonly tau: number;
}

/**
 * The `hard-pair` loss term: `hardPairLoss` per domain, averaged over the
 * domains it is given. Applies in every phase; owns no parameters.
 * Parts: `hardPair`, `hardPair/positive`, `hardPair/negative`, `hardPair/hardNegatives`.
 */
export function createHardPairLoss(options: HardPairOptions): Loss {
  const name = 'hard-pair';
  return {
    name,
    params: {},
    phases: ['meta-train', 'meta-test', 'pooled'],
    compute(batches, embeddings) {
      checkAligned(name, batches, embeddings);
      return tf.tidy(() => {
        const terms = batches.map((batch, i) => {
          const { fg, fp } = pairEmbeddings(name, batch, embeddings[i] as DomainEmbeddings);
          return hardPairLoss(fg, fp, options.tau);
        });
        const value = meanOf(terms.map((t) => t.value));
        return {
          value,
          parts: {
            hardPair: value,
            'hardPair/positive': meanOf(terms.map((t) => t.positive)),
            'hardPair/negative': meanOf(terms.map((t) => t.negative)),
            'hardPair/hardNegatives': meanOf(terms.map((t) => t.hardNegatives)),
          },
        };
      });
    },
    dispose() {},
  };
}

/** Plugin `hard-pair`: MFR's hard-pair attention loss. */
export const hardPairPlugin = definePlugin({
  kind: 'loss',
  name: 'hard-pair',
  version: PLUGIN_VERSION,
  description: 'MFR hard-pair attention loss: pulls gallery/probe pairs together, pushes mined hard negatives (cosine > tau) apart.',
  hparams: z.object({
    tau: z.number().min(-1, 'must be a cosine in [-1, 1]').max(1, 'must be a cosine in [-1, 1]').default(0.3),
  }),
  hparamSources: {
    tau:
      'Not published in the paper (Guo et al. 2020). 0.3 is the value of the independent glyph-identity ' +
      'experiment reported with the MFR specification (PyTorch, B = 32, s = 16).',
  },
  hparamSpace: {
    tau: (rng) => rng.uniform(0, 0.6),
  },
  create: (h) => createHardPairLoss({ tau: h.tau }),
});
