import type * as tf from '@tensorflow/tfjs-core';
import {
  DataError,
  ShapeError,
  type DomainDataset,
  type IdentityInfo,
  type SampleRef,
  type SampleShape,
} from '@metadg/core';
import type { Image } from '../image/image.js';
import { SampleCounts, checkDomain, imagesToBatch } from './batch.js';
import { ByteLruCache, type CacheStats } from './byte-lru-cache.js';

/** Default decoded-image cache budget: 256 MiB. */
export const DEFAULT_CACHE_BYTES = 256 * 1024 * 1024;

/** Options of `LazyDataset`. */
export interface LazyDatasetOptions<S> {
  readonly name: string;
  readonly sampleShape: SampleShape;
  /** domain → identity → its samples' sources (e.g. file paths), in index order. */
  readonly index: ReadonlyMap<string, ReadonlyMap<string, readonly S[]>>;
  /** Produces the image of one source, already shaped `sampleShape`. */
  decode(source: S): Promise<Image>;
  /** How warnings and errors name a source (e.g. its path). */
  describe(source: S): string;
  /** Budget of the decoded-image cache in bytes (default 256 MiB; 0 disables it). */
  readonly cacheBytes?: number;
  /**
   * `false` (default): a source that fails to decode is reported through
   * `onBadSource`, remembered, and replaced by the next readable sample of the
   * same identity, so one bad file never stops a run. `true`: it is a `DataError`.
   */
  readonly strict?: boolean;
  /** Called once per source that failed to decode (lenient mode). */
  onBadSource?(source: S, reason: string): void;
  /** Decodes running at once (default 4). */
  readonly concurrency?: number;
}

/**
 * A `DomainDataset` that decodes samples on demand and keeps decoded images
 * in a byte-bounded LRU cache. Generic in its source type; the image-folder
 * loader uses file paths.
 */
export class LazyDataset<S> implements DomainDataset {
  readonly name: string;
  readonly domains: readonly string[];
  readonly sampleShape: SampleShape;
  private readonly infos = new Map<string, IdentityInfo[]>();
  private readonly cache: ByteLruCache<S, Image>;
  private readonly inflight = new Map<S, Promise<Image>>();
  private readonly bad = new Set<S>();
  private readonly counts: SampleCounts;

  constructor(private readonly options: LazyDatasetOptions<S>) {
    this.name = options.name;
    this.sampleShape = options.sampleShape;
    this.domains = [...options.index.keys()];
    for (const [domain, byId] of options.index) {
      const ids = [...byId.keys()].sort();
      this.infos.set(domain, ids.map((id) => ({ id, samples: (byId.get(id) as readonly S[]).length })));
    }
    this.cache = new ByteLruCache<S, Image>(options.cacheBytes ?? DEFAULT_CACHE_BYTES, (image) => image.data.byteLength);
    this.counts = new SampleCounts(this);
  }

  identities(domain: string): readonly IdentityInfo[] {
    checkDomain(this, domain);
    return this.infos.get(domain) as IdentityInfo[];
  }

  /** Cache counters (entries, bytes, hits, misses, evictions). */
  cacheStats(): CacheStats {
    return this.cache.stats();
  }

  /** Number of sources found unreadable so far (lenient mode). */
  get badSources(): number {
    return this.bad.size;
  }

  async load(refs: readonly SampleRef[]): Promise<tf.Tensor4D> {
    for (const ref of refs) this.counts.check(ref);
    const images = await mapLimit(refs, this.options.concurrency ?? 4, (ref) => this.sampleImage(ref));
    return imagesToBatch(images, this.sampleShape);
  }

  /** Decodes every sample once (fills the cache up to its budget); returns how many were unreadable. */
  async verifyAll(): Promise<number> {
    const refs: SampleRef[] = [];
    for (const domain of this.domains) {
      for (const info of this.identities(domain)) {
        for (let index = 0; index < info.samples; index++) refs.push({ domain, identity: info.id, index });
      }
    }
    await mapLimit(refs, this.options.concurrency ?? 4, (ref) => this.sampleImage(ref));
    return this.bad.size;
  }

  /** The image for `ref`, substituting the next readable sample of its identity in lenient mode. */
  private async sampleImage(ref: SampleRef): Promise<Image> {
    const sources = this.options.index.get(ref.domain)?.get(ref.identity) as readonly S[];
    for (let k = 0; k < sources.length; k++) {
      const source = sources[(ref.index + k) % sources.length] as S;
      if (this.bad.has(source)) continue;
      try {
        return await this.imageOf(source);
      } catch (err) {
        if (err instanceof ShapeError) throw err;
        const reason = err instanceof Error ? err.message : String(err);
        if (this.options.strict) throw new DataError(this.options.describe(source), `cannot decode image: ${reason}`);
        if (!this.bad.has(source)) {
          this.bad.add(source);
          this.options.onBadSource?.(source, reason);
        }
      }
    }
    throw new DataError(
      `${this.name}/${ref.domain}/${ref.identity}`,
      `none of the identity's ${sources.length} images can be decoded`,
    );
  }

  private imageOf(source: S): Promise<Image> {
    const cached = this.cache.get(source);
    if (cached) return Promise.resolve(cached);
    const pending = this.inflight.get(source);
    if (pending) return pending;
    const promise = this.options
      .decode(source)
      .then((image) => {
        const [h, w, c] = this.sampleShape;
        if (image.height !== h || image.width !== w || image.channels !== c) {
          throw new ShapeError(`decoded ${this.options.describe(source)}`, `[${h}, ${w}, ${c}]`, [image.height, image.width, image.channels]);
        }
        this.cache.set(source, image);
        return image;
      })
      .finally(() => this.inflight.delete(source));
    this.inflight.set(source, promise);
    return promise;
  }
}

/** Maps `items` through async `fn` with at most `limit` calls in flight; keeps order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
