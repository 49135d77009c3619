import * as tf from '@tensorflow/tfjs-core';
import { DataError, type DomainDataset, type SampleRef, type SampleShape } from '@metadg/core';
import { assertSameShape, type Image } from '../image/image.js';

/** Stacks same-shaped images into a float32 NHWC batch `[n, ...shape]`. */
export function imagesToBatch(images: readonly Image[], shape: SampleShape): tf.Tensor4D {
  const size = shape[0] * shape[1] * shape[2];
  const data = new Float32Array(images.length * size);
  images.forEach((image, i) => {
    assertSameShape(image, shape, `sample ${i} of batch`);
    data.set(image.data, i * size);
  });
  return tf.tensor4d(data, [images.length, shape[0], shape[1], shape[2]], 'float32');
}

/** Splits an NHWC batch into images (reads the tensor; does not dispose it). */
export async function batchToImages(batch: tf.Tensor4D): Promise<Image[]> {
  const [n, height, width, channels] = batch.shape;
  const data = (await batch.data()) as Float32Array;
  const size = height * width * channels;
  const images: Image[] = [];
  for (let i = 0; i < n; i++) images.push({ height, width, channels, data: data.slice(i * size, (i + 1) * size) });
  return images;
}

/** `dataset/domain/identity#index`, how errors name one sample. */
export function describeRef(datasetName: string, ref: SampleRef): string {
  return `${datasetName}/${ref.domain}/${ref.identity}#${ref.index}`;
}

/** A stable string key for a sample (cache keys, duplicate detection). */
export function refKey(ref: SampleRef): string {
  return `${ref.domain}\u0000${ref.identity}\u0000${ref.index}`;
}

/**
 * Sample counts by domain → identity, built once from a dataset's
 * `identities()`; used to validate refs with errors that name the ref.
 */
export class SampleCounts {
  private readonly counts = new Map<string, Map<string, number>>();

  constructor(private readonly dataset: DomainDataset) {}

  /** Samples of `identity` in `domain`, or 0 if it is absent there. */
  count(domain: string, identity: string): number {
    let byId = this.counts.get(domain);
    if (!byId) {
      byId = new Map(this.dataset.identities(domain).map((i) => [i.id, i.samples] as const));
      this.counts.set(domain, byId);
    }
    return byId.get(identity) ?? 0;
  }

  /** Throws a `DataError` naming the ref unless it addresses an existing sample. */
  check(ref: SampleRef): void {
    const where = describeRef(this.dataset.name, ref);
    if (!this.dataset.domains.includes(ref.domain)) {
      throw new DataError(where, `unknown domain "${ref.domain}" (domains: ${this.dataset.domains.join(', ')})`);
    }
    const n = this.count(ref.domain, ref.identity);
    if (n === 0) throw new DataError(where, `identity "${ref.identity}" is not in domain "${ref.domain}"`);
    if (!Number.isInteger(ref.index) || ref.index < 0 || ref.index >= n) {
      throw new DataError(where, `sample index ${ref.index} out of range (identity has ${n} samples)`);
    }
  }
}

/** Throws a `DataError` for a domain the dataset does not have. */
export function checkDomain(dataset: { name: string; domains: readonly string[] }, domain: string): void {
  if (!dataset.domains.includes(domain)) {
    throw new DataError(`${dataset.name}/${domain}`, `unknown domain "${domain}" (domains: ${dataset.domains.join(', ')})`);
  }
}
