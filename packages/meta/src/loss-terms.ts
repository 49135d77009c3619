import * as tf from '@tensorflow/tfjs-core';
import { DataError, Rng, ShapeError, type DomainBatch, type DomainEmbeddings, type Loss, type PluginContext } from '@metadg/core';
import { crossEntropyWithLogits } from '@metadg/tensor';

/**
 * Checks that a loss received one embedding entry per batch, of the same
 * kind, so per-domain loops can index both lists together.
 */
export function checkAligned(loss: string, batches: readonly DomainBatch[], embeddings: readonly DomainEmbeddings[]): void {
  if (batches.length === 0) throw new ShapeError(`loss "${loss}": batches`, 'at least one domain', '[]');
  if (embeddings.length !== batches.length) {
    throw new ShapeError(`loss "${loss}": embeddings`, `one entry per batch (${batches.length})`, `${embeddings.length} entries`);
  }
  embeddings.forEach((e, i) => {
    if (e.kind !== batches[i]?.kind) throw new ShapeError(`loss "${loss}": embeddings[${i}]`, `kind "${batches[i]?.kind}"`, `kind "${e.kind}"`);
  });
}

/** Gallery/probe embeddings of a pair batch; a labelled batch, or a probe of another size, is an error naming the loss and domain. */
export function pairEmbeddings(
  loss: string,
  batch: DomainBatch,
  embeddings: DomainEmbeddings,
): { readonly fg: tf.Tensor2D; readonly fp: tf.Tensor2D } {
  if (embeddings.kind !== 'pairs') {
    throw new ShapeError(`loss "${loss}": batch of domain "${batch.domain}"`, 'a gallery/probe pair batch', 'a labelled batch');
  }
  if (embeddings.probe.rank !== 2 || embeddings.gallery.shape[0] !== embeddings.probe.shape[0] || embeddings.gallery.shape[1] !== embeddings.probe.shape[1]) {
    throw new ShapeError(
      `loss "${loss}": probe embeddings of domain "${batch.domain}"`,
      `[${embeddings.gallery.shape.join(', ')}] like the gallery`,
      embeddings.probe.shape,
    );
  }
  return { fg: embeddings.gallery, fp: embeddings.probe };
}

/**
 * Checks a batch's labels against a classifier of `classes` classes: int32
 * `[rows]`, every value in [0, classes). Reads each labels tensor once
 * (remembered in `checked`), so a bad label is an error naming the domain and
 * the classifier instead of a silently zero one-hot row.
 */
export function checkLabels(loss: string, classes: number, batch: DomainBatch, rows: number, checked: WeakSet<tf.Tensor>): void {
  const { labels } = batch;
  if (checked.has(labels)) return;
  if (labels.dtype !== 'int32' || labels.rank !== 1 || labels.shape[0] !== rows) {
    throw new ShapeError(`loss "${loss}": labels of domain "${batch.domain}"`, `int32 [${rows}]`, `${labels.dtype} [${labels.shape.join(', ')}]`);
  }
  const bad = Array.from(labels.dataSync()).find((y) => y < 0 || y >= classes);
  if (bad !== undefined) {
    throw new DataError(
      `labels of domain "${batch.domain}"`,
      `class index ${bad} is outside [0, ${classes}) of the "${loss}" classifier (task.labels.size = ${classes})`,
    );
  }
  checked.add(labels);
}

/** Mean of per-domain scalars (each domain weighs the same, as in MFR's losses). */
export function meanOf(values: readonly tf.Scalar[]): tf.Scalar {
  return tf.div(tf.addN(values as tf.Scalar[]), values.length) as tf.Scalar;
}

/** Classifier logits of normalised embeddings `[N, d]` against W `[C, d]` for int32 labels `[N]` (margins may use them). */
export type ClassifierLogits = (embeddings: tf.Tensor2D, weights: tf.Tensor2D, labels: tf.Tensor1D) => tf.Tensor2D;

/**
 * The mean of the gallery and the probe cross-entropies of classifier
 * logits (MFR's soft classification form, Guo et al. 2020):
 * L = 1/(2B) Σ_i [CE(y_i, logits(Fg_i)) + CE(y_i, logits(Fp_i))].
 */
export function pairClassificationLoss(
  fg: tf.Tensor2D,
  fp: tf.Tensor2D,
  labels: tf.Tensor1D,
  weights: tf.Tensor2D,
  logits: ClassifierLogits,
): tf.Scalar {
  return tf.tidy(() => {
    const gallery = crossEntropyWithLogits(logits(fg, weights, labels), labels);
    const probe = crossEntropyWithLogits(logits(fp, weights, labels), labels);
    return tf.div(tf.add(gallery, probe), 2) as tf.Scalar;
  });
}

/** Options of {@link createClassifierLoss}. */
export interface ClassifierLossOptions {
  /** Loss name (errors, logs, parameter keys). */
  readonly name: string;
  /** Name of the single part reported in `LossResult.parts`. */
  readonly part: string;
  /** Number of classes C (the training label space's size, `task.labels.size`). */
  readonly classes: number;
  /** Embedding width d (the backbone's `embeddingSize`). */
  readonly embeddingSize: number;
  readonly logits: ClassifierLogits;
  /** Initial W (C×d). Default: N(0, 1/d) draws from `rng`. The variable keeps its own copy: the caller may dispose `init`. */
  readonly init?: tf.Tensor2D;
  /** Stream for the default initialisation (default `new Rng(0)`). */
  readonly rng?: Rng;
}

/** The classifier head's size and initialisation stream as a run determines them. */
export interface ClassifierHead {
  readonly classes: number;
  readonly embeddingSize: number;
  readonly rng: Rng;
}

/**
 * A loss plugin's classifier head in a run: C = the training label space's
 * size, d = the backbone's embedding width, W drawn from the plugin's `W` stream.
 */
export async function classifierHeadFrom(ctx: PluginContext): Promise<ClassifierHead> {
  const task = await ctx.get('task');
  const backbone = await ctx.get('backbone');
  return { classes: task.labels.size, embeddingSize: backbone.embeddingSize, rng: ctx.rng.fork('W') };
}

/**
 * A classification loss term over a classifier W (C×d, a variable this loss
 * owns, param key `W`): per domain, for a pair batch the mean of the gallery
 * and probe cross-entropies (`pairClassificationLoss`), for a labelled batch
 * the mean cross-entropy of its rows; averaged over domains; every phase.
 * `params.W` (functional form) replaces the variable. MFR's
 * soft-classification (cosine logits) and ArcFace/CosFace (margin logits) are
 * this term with their own logits.
 */
export function createClassifierLoss(options: ClassifierLossOptions): Loss {
  const { name, part, classes, embeddingSize: d, logits } = options;
  if (!Number.isInteger(classes) || classes < 1) throw new ShapeError(`loss "${name}": classes`, 'a positive integer', String(classes));
  if (!Number.isInteger(d) || d < 1) throw new ShapeError(`loss "${name}": embeddingSize`, 'a positive integer', String(d));
  if (options.init && (options.init.rank !== 2 || options.init.shape[0] !== classes || options.init.shape[1] !== d)) {
    throw new ShapeError(`loss "${name}": init`, `[${classes}, ${d}]`, options.init.shape);
  }
  const rng = options.rng ?? new Rng(0);
  // tidy releases the drawn initial tensor; the variable keeps its own reference to the data.
  const W = tf.tidy(() => tf.variable(options.init ?? tf.tensor2d(rng.normalArray(classes * d, 1 / Math.sqrt(d)), [classes, d]), true));
  const checked = new WeakSet<tf.Tensor>();

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
          if (rows.rank !== 2 || rows.shape[1] !== d) {
            throw new ShapeError(`loss "${name}": embeddings of domain "${batch.domain}"`, `[n, ${d}]`, rows.shape);
          }
          checkLabels(name, classes, batch, rows.shape[0], checked);
          if (e.kind === 'labelled') return crossEntropyWithLogits(logits(e.x, weights, batch.labels), batch.labels);
          const { fg, fp } = pairEmbeddings(name, batch, e);
          return pairClassificationLoss(fg, fp, batch.labels, weights, logits);
        });
        const value = meanOf(terms);
        return { value, parts: { [part]: value } };
      });
    },
    dispose: () => W.dispose(),
  };
}
