import * as tf from '@tensorflow/tfjs-core';
import { crossEntropyWithLogits, l2Normalize } from '@metadg/tensor';
import {
  DataError,
  Rng,
  ShapeError,
  definePlugin,
  z,
  type DomainBatch,
  type DomainEmbeddings,
  type Loss,
} from '@metadg/core';
import { PLUGIN_VERSION } from '../version.js';
import { checkAligned, meanOf, pairEmbeddings } from './domain-views.js';

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
  return tf.tidy(() => {
    const gallery = crossEntropyWithLogits(cosineLogits(fg, weights, scale), labels);
    const probe = crossEntropyWithLogits(cosineLogits(fp, weights, scale), labels);
    return tf.div(tf.add(gallery, probe), 2) as tf.Scalar;
  });
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
  const name = 'soft-classification';
  const { classes, embeddingSize: d, scale } = options;
  if (!Number.isInteger(classes) || classes < 1) throw new ShapeError(`loss "${name}": classes`, 'a positive integer', String(classes));
  if (!Number.isInteger(d) || d < 1) throw new ShapeError(`loss "${name}": embeddingSize`, 'a positive integer', String(d));
  if (options.init && (options.init.shape[0] !== classes || options.init.shape[1] !== d)) {
    throw new ShapeError(`loss "${name}": init`, `[${classes}, ${d}]`, options.init.shape);
  }
  const rng = options.rng ?? new Rng(0);
  // tidy releases the drawn initial tensor; the variable keeps its own reference to the data.
  const W = tf.tidy(() =>
    tf.variable(options.init ?? tf.tensor2d(rng.normalArray(classes * d, 1 / Math.sqrt(d)), [classes, d]), true),
  );
  const checkedLabels = new WeakSet<tf.Tensor>();

  const checkLabels = (batch: DomainBatch, rows: number): void => {
    const { labels } = batch;
    if (checkedLabels.has(labels)) return;
    if (labels.dtype !== 'int32' || labels.rank !== 1 || labels.shape[0] !== rows) {
      throw new ShapeError(`loss "${name}": labels of domain "${batch.domain}"`, `int32 [${rows}]`, `${labels.dtype} [${labels.shape.join(', ')}]`);
    }
    // Checked once per batch tensor, so the error names the domain and the classifier.
    const bad = Array.from(labels.dataSync()).find((y) => y < 0 || y >= classes);
    if (bad !== undefined) {
      throw new DataError(
        `labels of domain "${batch.domain}"`,
        `class index ${bad} is outside [0, ${classes}) of the "${name}" classifier (task.labels.size = ${classes})`,
      );
    }
    checkedLabels.add(labels);
  };

  return {
    name,
    params: { W },
    phases: ['meta-train', 'meta-test', 'pooled'],
    compute(batches, embeddings, params) {
      checkAligned(name, batches, embeddings);
      const weights = (params['W'] ?? W) as tf.Tensor2D;
      if (weights.rank !== 2 || weights.shape[0] !== classes || weights.shape[1] !== d) {
        throw new ShapeError(`loss "${name}": params.W`, `[${classes}, ${d}]`, weights.shape);
      }
      return tf.tidy(() => {
        const terms = batches.map((batch, i) => {
          const e = embeddings[i] as DomainEmbeddings;
          const rows = e.kind === 'pairs' ? e.gallery : e.x;
          if (rows.shape[1] !== d) {
            throw new ShapeError(`loss "${name}": embeddings of domain "${batch.domain}"`, `[n, ${d}]`, rows.shape);
          }
          checkLabels(batch, rows.shape[0]);
          if (e.kind === 'labelled') return crossEntropyWithLogits(cosineLogits(e.x, weights, scale), batch.labels);
          const { fg, fp } = pairEmbeddings(name, batch, e);
          return softClassificationLoss(fg, fp, batch.labels, weights, scale);
        });
        const value = meanOf(terms);
        return { value, parts: { softCls: value } };
      });
    },
    dispose: () => W.dispose(),
  };
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
    const task = await ctx.get('task');
    const backbone = await ctx.get('backbone');
    return createSoftClassificationLoss({
      classes: task.labels.size,
      embeddingSize: backbone.embeddingSize,
      scale: h.scale,
      rng: ctx.rng.fork('W'),
    });
  },
});
