import * as tf from '@tensorflow/tfjs-core';
import { DataError, ShapeError, type DomainBatch, type DomainEmbeddings } from '@metadg/core';

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

/**
 * Checks a batch's labels against a classifier of `classes` classes: int32
 * `[rows]`, every value in [0, classes). Reads each labels tensor once
 * (remembered in `checked`), so the error names the domain and the
 * classifier instead of surfacing as a silently zero one-hot row.
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
