import * as tf from '@tensorflow/tfjs-core';
import { crossEntropyWithLogits } from '@metadg/tensor';
import { Rng, ShapeError, type DomainEmbeddings, type Loss } from '@metadg/core';
import { checkAligned, checkLabels, meanOf } from './domain-batches.js';
import { marginPairLoss, type MarginLogits } from './margin-loss.js';

/** What every margin loss term needs: the classifier's size and where its initial W comes from. */
export interface ClassifierOptions {
  /** Number of classes C (the training label space's size, `task.labels.size`). */
  readonly classes: number;
  /** Embedding width d (the backbone's `embeddingSize`). */
  readonly embeddingSize: number;
  /** Initial W (C×d). Default: N(0, 1/d) draws from `rng`. The variable keeps its own copy: the caller may dispose `init`. */
  readonly init?: tf.Tensor2D;
  /** Stream for the default initialisation (default `new Rng(0)`). */
  readonly rng?: Rng;
}

/** Options of {@link createMarginLoss}. */
export interface MarginLossOptions extends ClassifierOptions {
  /** Loss name (errors, logs, parameter keys). */
  readonly name: string;
  /** Name of the single part reported in `LossResult.parts`. */
  readonly part: string;
  readonly logits: MarginLogits;
}

/**
 * A classification loss term over a classifier W (C×d, a variable this loss
 * owns, param key `W`, rows normalised when used) with margin logits — the
 * `Loss` contract exactly as MFR's `soft-classification`: per domain, for a
 * pair batch the mean of the gallery and probe cross-entropies, for a
 * labelled batch the mean cross-entropy of its rows; averaged over domains;
 * every phase. `params.W` (functional form) replaces the variable.
 */
export function createMarginLoss(options: MarginLossOptions): Loss {
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
          if (e.probe.rank !== 2 || e.probe.shape[0] !== e.gallery.shape[0] || e.probe.shape[1] !== d) {
            throw new ShapeError(`loss "${name}": probe embeddings of domain "${batch.domain}"`, `[${e.gallery.shape[0]}, ${d}] like the gallery`, e.probe.shape);
          }
          return marginPairLoss(e.gallery, e.probe, batch.labels, weights, logits);
        });
        const value = meanOf(terms);
        return { value, parts: { [part]: value } };
      });
    },
    dispose: () => W.dispose(),
  };
}
