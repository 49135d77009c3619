import * as tf from '@tensorflow/tfjs-core';
import type { Backbone, DomainDataset, SampleRef } from '@metadg/core';
import { l2Normalize } from '@metadg/tensor';

/** Row-major float32 embeddings, one row per sample, L2-normalised. */
export interface EmbeddingMatrix {
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

/**
 * Embeds `refs` with the backbone's current parameters in batches of
 * `batchSize`, L2-normalising each row (cosine similarity = dot product).
 */
export async function embedRefs(
  backbone: Backbone,
  dataset: DomainDataset,
  refs: readonly SampleRef[],
  batchSize: number,
): Promise<EmbeddingMatrix> {
  const cols = backbone.embeddingSize;
  const data = new Float32Array(refs.length * cols);
  for (let start = 0; start < refs.length; start += batchSize) {
    const chunk = refs.slice(start, start + batchSize);
    const x = await dataset.load(chunk);
    try {
      const e = tf.tidy(() => l2Normalize(backbone.embed(x)));
      data.set(await e.data(), start * cols);
      e.dispose();
    } finally {
      x.dispose();
    }
  }
  return { data, rows: refs.length, cols };
}

/** Row `i` of a matrix as a view. */
export function row(m: EmbeddingMatrix, i: number): Float32Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/** Dot product of two rows (cosine similarity of normalised embeddings). */
export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (a[k] as number) * (b[k] as number);
  return s;
}
