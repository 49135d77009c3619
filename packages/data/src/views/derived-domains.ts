import type * as tf from '@tensorflow/tfjs-core';
import { DataError, Rng, type DomainDataset, type IdentityInfo, type SampleRef, type SampleShape } from '@metadg/core';
import { SampleCounts, batchToImages, checkDomain, imagesToBatch, refKey } from '../dataset/batch.js';
import { ByteLruCache } from '../dataset/byte-lru-cache.js';
import { assertSameShape, type Image } from '../image/image.js';
import { forwardLoaderReport } from '../provenance.js';
import type { ImageTransform } from '../transforms/spec.js';

/** A domain made from another domain's samples by a transform. */
export interface DerivedDomain {
  /** Name of the new domain (must not clash with an existing one). */
  readonly name: string;
  /** Domain whose samples are transformed (identities and indices are the same). */
  readonly from: string;
  readonly transform: ImageTransform;
}

/** Options of `withDerivedDomains`. */
export interface DerivedDomainOptions {
  /** Seed of the per-sample random streams of the transforms (default 0). */
  readonly seed?: number | string;
  /** Keep the base domains in the view (default true); false gives only the derived ones. */
  readonly keepSources?: boolean;
  /** Budget for caching transformed images, in bytes (default 64 MiB; 0 disables). */
  readonly cacheBytes?: number;
  /** Name of the view (default `<base>+<derived names>`). */
  readonly name?: string;
}

/**
 * Adds domains made by transforming other domains' samples (e.g. `nir` from
 * `clean` with `simulateNir`): a way to *create* domain shift from clean
 * images. Each derived sample is a deterministic function of the seed and its
 * address (domain, identity, index), whatever batch it is loaded in.
 */
export function withDerivedDomains(
  dataset: DomainDataset,
  derived: readonly DerivedDomain[],
  options: DerivedDomainOptions = {},
): DomainDataset {
  const taken = new Set<string>(dataset.domains);
  for (const d of derived) {
    checkDomain(dataset, d.from);
    if (taken.has(d.name)) {
      throw new DataError(`${dataset.name}/${d.name}`, `derived domain "${d.name}" clashes with an existing domain`);
    }
    taken.add(d.name);
  }
  const domains = [...(options.keepSources === false ? [] : dataset.domains), ...derived.map((d) => d.name)];
  if (domains.length === 0) throw new DataError(dataset.name, 'withDerivedDomains: the view would have no domains');
  return new DerivedDomainsView(dataset, derived, options, domains);
}

class DerivedDomainsView implements DomainDataset {
  readonly name: string;
  readonly sampleShape: SampleShape;
  private readonly byName: ReadonlyMap<string, DerivedDomain>;
  private readonly rng: Rng;
  private readonly cache: ByteLruCache<string, Image>;
  private readonly counts: SampleCounts;

  constructor(
    private readonly base: DomainDataset,
    derived: readonly DerivedDomain[],
    options: DerivedDomainOptions,
    readonly domains: readonly string[],
  ) {
    this.name = options.name ?? `${base.name}+${derived.map((d) => d.name).join('+')}`;
    this.sampleShape = base.sampleShape;
    this.byName = new Map(derived.map((d) => [d.name, d] as const));
    this.rng = new Rng(options.seed ?? 0).fork('derived-domains');
    this.cache = new ByteLruCache(options.cacheBytes ?? 64 * 1024 * 1024, (image) => image.data.byteLength);
    this.counts = new SampleCounts(this);
    forwardLoaderReport(this, base);
  }

  identities(domain: string): readonly IdentityInfo[] {
    checkDomain(this, domain);
    return this.base.identities(this.byName.get(domain)?.from ?? domain);
  }

  async load(refs: readonly SampleRef[]): Promise<tf.Tensor4D> {
    for (const ref of refs) this.counts.check(ref);
    if (refs.every((r) => !this.byName.has(r.domain))) return this.base.load(refs);
    const images = new Array<Image | undefined>(refs.length);
    const needed: number[] = [];
    refs.forEach((ref, i) => {
      const cached = this.byName.has(ref.domain) ? this.cache.get(refKey(ref)) : undefined;
      if (cached) images[i] = cached;
      else needed.push(i);
    });
    if (needed.length > 0) {
      const baseRefs = needed.map((i) => this.sourceRef(refs[i] as SampleRef));
      const batch = await this.base.load(baseRefs);
      let decoded: Image[];
      try {
        decoded = await batchToImages(batch);
      } finally {
        batch.dispose();
      }
      for (let k = 0; k < needed.length; k++) {
        const i = needed[k] as number;
        const ref = refs[i] as SampleRef;
        const derived = this.byName.get(ref.domain);
        const source = decoded[k] as Image;
        if (!derived) {
          images[i] = source;
          continue;
        }
        const rng = this.rng.fork(`${ref.domain}/${ref.identity}/${ref.index}`);
        const out = await derived.transform(source, rng);
        assertSameShape(out, this.sampleShape, `transform of derived domain "${ref.domain}"`);
        this.cache.set(refKey(ref), out);
        images[i] = out;
      }
    }
    return imagesToBatch(images as Image[], this.sampleShape);
  }

  private sourceRef(ref: SampleRef): SampleRef {
    const derived = this.byName.get(ref.domain);
    return derived ? { domain: derived.from, identity: ref.identity, index: ref.index } : ref;
  }
}
