import * as tf from '@tensorflow/tfjs-core';
import {
  DataError,
  ShapeError,
  type DomainDataset,
  type IdentityInfo,
  type SampleRef,
  type SampleShape,
} from '@metadg/core';
import { assertImageShape } from '../image/image.js';
import { SampleCounts, checkDomain } from './batch.js';

/**
 * Pixels of all samples of one identity in one domain, concatenated HWC:
 * `Uint8Array` (0–255, scaled by 1/255 on load) or `Float32Array` (already in [0, 1]).
 */
export type SamplePixels = Uint8Array | Float32Array;

/** Options of `InMemoryDataset`. */
export interface InMemoryDatasetOptions {
  readonly name: string;
  readonly sampleShape: SampleShape;
  /** domain → identity → pixels of its samples (length a multiple of H·W·C). */
  readonly samples: Readonly<Record<string, Readonly<Record<string, SamplePixels>>>>;
}

/** Options of `InMemoryDataset.fromLabelled`: per domain, one image array plus one identity per image. */
export interface LabelledArraysOptions {
  readonly name: string;
  readonly sampleShape: SampleShape;
  readonly domains: Readonly<Record<string, { readonly images: SamplePixels; readonly identities: readonly string[] }>>;
}

/**
 * A `DomainDataset` held in typed arrays (no decoding). Bytes stay bytes in
 * memory (4× smaller than floats) and are converted per batch. Validates
 * lengths and value ranges once, at construction.
 */
export class InMemoryDataset implements DomainDataset {
  readonly name: string;
  readonly domains: readonly string[];
  readonly sampleShape: SampleShape;
  private readonly store: Map<string, Map<string, SamplePixels>>;
  private readonly infos: Map<string, IdentityInfo[]>;
  private readonly counts: SampleCounts;
  private readonly sampleSize: number;

  constructor(options: InMemoryDatasetOptions) {
    const { name, sampleShape } = options;
    assertImageShape(sampleShape[0], sampleShape[1], sampleShape[2], `${name}: sampleShape`);
    this.name = name;
    this.sampleShape = [sampleShape[0], sampleShape[1], sampleShape[2]];
    this.sampleSize = sampleShape[0] * sampleShape[1] * sampleShape[2];
    this.store = new Map();
    this.infos = new Map();
    const domains = Object.keys(options.samples);
    if (domains.length === 0) throw new DataError(name, 'no domains given');
    for (const domain of domains) {
      const byId = options.samples[domain] ?? {};
      const ids = Object.keys(byId).sort();
      if (ids.length === 0) throw new DataError(`${name}/${domain}`, 'domain has no identities');
      const map = new Map<string, SamplePixels>();
      const infos: IdentityInfo[] = [];
      for (const id of ids) {
        const pixels = byId[id] as SamplePixels;
        const where = `${name}/${domain}/${id}`;
        if (!(pixels instanceof Uint8Array || pixels instanceof Float32Array)) {
          throw new DataError(where, 'samples must be a Uint8Array or a Float32Array');
        }
        if (pixels.length === 0 || pixels.length % this.sampleSize !== 0) {
          throw new ShapeError(where, `a non-zero multiple of ${this.sampleSize} values ([n, ${sampleShape.join(', ')}])`, `${pixels.length} values`);
        }
        if (pixels instanceof Float32Array) checkUnitRange(pixels, where);
        map.set(id, pixels);
        infos.push({ id, samples: pixels.length / this.sampleSize });
      }
      this.store.set(domain, map);
      this.infos.set(domain, infos);
    }
    this.domains = domains;
    this.counts = new SampleCounts(this);
  }

  /** Builds a dataset from per-domain image arrays with one identity label per image (MNIST-style). */
  static fromLabelled(options: LabelledArraysOptions): InMemoryDataset {
    const [h, w, c] = options.sampleShape;
    const size = h * w * c;
    const samples: Record<string, Record<string, SamplePixels>> = {};
    for (const [domain, { images, identities }] of Object.entries(options.domains)) {
      const where = `${options.name}/${domain}`;
      if (images.length !== identities.length * size) {
        throw new ShapeError(`${where} images`, `[${identities.length}, ${h}, ${w}, ${c}] (one per identity label)`, `${images.length} values`);
      }
      const indices = new Map<string, number[]>();
      identities.forEach((id, i) => {
        const list = indices.get(id);
        if (list) list.push(i);
        else indices.set(id, [i]);
      });
      const byId: Record<string, SamplePixels> = {};
      for (const [id, list] of indices) {
        const out = images instanceof Uint8Array ? new Uint8Array(list.length * size) : new Float32Array(list.length * size);
        list.forEach((src, k) => out.set(images.subarray(src * size, (src + 1) * size), k * size));
        byId[id] = out;
      }
      samples[domain] = byId;
    }
    return new InMemoryDataset({ name: options.name, sampleShape: options.sampleShape, samples });
  }

  identities(domain: string): readonly IdentityInfo[] {
    checkDomain(this, domain);
    return this.infos.get(domain) as IdentityInfo[];
  }

  async load(refs: readonly SampleRef[]): Promise<tf.Tensor4D> {
    const size = this.sampleSize;
    const out = new Float32Array(refs.length * size);
    refs.forEach((ref, i) => {
      this.counts.check(ref);
      const pixels = this.store.get(ref.domain)?.get(ref.identity) as SamplePixels;
      const from = ref.index * size;
      if (pixels instanceof Float32Array) {
        out.set(pixels.subarray(from, from + size), i * size);
      } else {
        for (let k = 0; k < size; k++) out[i * size + k] = (pixels[from + k] as number) / 255;
      }
    });
    const [h, w, c] = this.sampleShape;
    return tf.tensor4d(out, [refs.length, h, w, c], 'float32');
  }
}

function checkUnitRange(values: Float32Array, where: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!(v >= 0 && v <= 1)) throw new DataError(where, `float samples must lie in [0, 1]; value ${v} at offset ${i}`);
  }
}
