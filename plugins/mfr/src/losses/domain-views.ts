import * as tf from '@tensorflow/tfjs-core';
import { ShapeError, type DomainBatch, type DomainEmbeddings } from '@metadg/core';

/**
 * Checks that a loss received one embedding entry per batch, of the same
 * kind, so per-domain loops can index both lists together.
 */
export function checkAligned(
  loss: string,
  batches: readonly DomainBatch[],
  embeddings: readonly DomainEmbeddings[],
): void {
  if (batches.length === 0) throw new ShapeError(`loss "${loss}": batches`, 'at least one domain', '[]');
  if (embeddings.length !== batches.length) {
    throw new ShapeError(`loss "${loss}": embeddings`, `one entry per batch (${batches.length})`, `${embeddings.length} entries`);
  }
  embeddings.forEach((e, i) => {
    if (e.kind !== batches[i]?.kind) {
      throw new ShapeError(`loss "${loss}": embeddings[${i}]`, `kind "${batches[i]?.kind}"`, `kind "${e.kind}"`);
    }
  });
}

/** Gallery/probe embeddings of a pair batch; a labelled batch is an error naming the loss and domain. */
export function pairEmbeddings(
  loss: string,
  batch: DomainBatch,
  embeddings: DomainEmbeddings,
): { readonly fg: tf.Tensor2D; readonly fp: tf.Tensor2D } {
  if (embeddings.kind !== 'pairs') {
    throw new ShapeError(`loss "${loss}": batch of domain "${batch.domain}"`, 'a gallery/probe pair batch', 'a labelled batch');
  }
  if (embeddings.gallery.shape[0] !== embeddings.probe.shape[0]) {
    throw new ShapeError(
      `loss "${loss}": probe embeddings of domain "${batch.domain}"`,
      `[${embeddings.gallery.shape[0]}, d] like the gallery`,
      embeddings.probe.shape,
    );
  }
  return { fg: embeddings.gallery, fp: embeddings.probe };
}

/** Mean of per-domain scalars (the reference cases average per-domain losses). */
export function meanOf(values: readonly tf.Scalar[]): tf.Scalar {
  return tf.div(tf.addN(values as tf.Scalar[]), values.length) as tf.Scalar;
}
