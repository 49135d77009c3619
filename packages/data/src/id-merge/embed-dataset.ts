import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, NumericalError, Rng, ShapeError, type Backbone, type DomainDataset, type Logger, type SampleRef } from '@metadg/core';
import { checkDomain } from '../dataset/batch.js';
import type { EmbeddingSet, LabelEmbeddings } from './label-embeddings.js';

/** What `embedDataset` needs of a model: a `Backbone` qualifies. */
export type EmbeddingModel = Pick<Backbone, 'name' | 'inputShape' | 'embeddingSize' | 'embed'>;

/** Options of `embedDataset`. */
export interface EmbedDatasetOptions {
  /** Domains to embed, in this order (default: all). */
  readonly domains?: readonly string[];
  /** Images per forward pass (default 64). */
  readonly batchSize?: number;
  /** At most this many samples per label, drawn without replacement with the seeded `Rng` (default: all). */
  readonly maxPerIdentity?: number;
  /** Seed of the per-label draws when `maxPerIdentity` applies (default 0). */
  readonly seed?: number | string;
  readonly log?: Logger;
}

/**
 * Embeds every sample of every (domain, identity) label with `model` (its
 * current parameters), L2-normalising each row — the input `findIdMerges`
 * takes. Batches may span labels; every tensor is disposed. Throws a
 * `ShapeError` when the dataset's sample shape is not the model's input
 * shape or the model returns the wrong width, and a `NumericalError` naming
 * the label if an embedding is not finite.
 */
export async function embedDataset(dataset: DomainDataset, model: EmbeddingModel, options: EmbedDatasetOptions = {}): Promise<EmbeddingSet> {
  const batchSize = options.batchSize ?? 64;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ConfigError('batchSize', `must be a positive integer, got ${batchSize}`);
  const cap = options.maxPerIdentity;
  if (cap !== undefined && (!Number.isInteger(cap) || cap < 1)) throw new ConfigError('maxPerIdentity', `must be a positive integer, got ${cap}`);
  const domains = options.domains ?? dataset.domains;
  for (const d of domains) checkDomain(dataset, d);
  if (dataset.sampleShape.some((v, i) => v !== model.inputShape[i])) {
    throw new ShapeError(`${dataset.name} samples for ${model.name}`, `[${model.inputShape.join(', ')}] (the model's input)`, dataset.sampleShape);
  }
  const dim = model.embeddingSize;
  const rng = new Rng(options.seed ?? 0);

  // Every sample to embed, and where its row goes.
  const labels: { domain: string; identity: string; vectors: Float32Array }[] = [];
  const jobs: { ref: SampleRef; label: number; row: number }[] = [];
  for (const domain of domains) {
    for (const info of dataset.identities(domain)) {
      const all = Array.from({ length: info.samples }, (_, i) => i);
      const chosen = cap !== undefined && cap < all.length ? rng.fork(`${domain}/${info.id}`).sample(all, cap).sort((x, y) => x - y) : all;
      const label = labels.length;
      labels.push({ domain, identity: info.id, vectors: new Float32Array(chosen.length * dim) });
      chosen.forEach((index, row) => jobs.push({ ref: { domain, identity: info.id, index }, label, row }));
    }
  }
  options.log?.info(`id-merge: embedding ${jobs.length} samples of ${labels.length} labels with ${model.name}`);

  for (let start = 0; start < jobs.length; start += batchSize) {
    const chunk = jobs.slice(start, start + batchSize);
    const x = await dataset.load(chunk.map((j) => j.ref));
    let rows: tf.Tensor2D;
    try {
      rows = tf.tidy(() => {
        const e = model.embed(x);
        if (e.rank !== 2 || e.shape[0] !== chunk.length || e.shape[1] !== dim) {
          throw new ShapeError(`${model.name}.embed output`, `[${chunk.length}, ${dim}]`, e.shape);
        }
        // x / sqrt(max(Σx², 1e-12)): TensorFlow's l2_normalize, as in @metadg/tensor (a zero row stays zero).
        return tf.mul(e, tf.rsqrt(tf.maximum(tf.sum(tf.square(e), 1, true), 1e-12)));
      });
    } finally {
      x.dispose();
    }
    const values = (await rows.data()) as Float32Array;
    rows.dispose();
    chunk.forEach((job, r) => {
      const row = values.subarray(r * dim, (r + 1) * dim);
      if (!row.every(Number.isFinite)) {
        throw new NumericalError(`${model.name} on ${dataset.name}/${job.ref.domain}/${job.ref.identity}#${job.ref.index}`, 'embedding is not finite');
      }
      (labels[job.label] as LabelEmbeddings).vectors.set(row, job.row * dim);
    });
  }
  return { embeddingSize: dim, labels };
}
