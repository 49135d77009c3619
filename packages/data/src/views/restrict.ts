import type * as tf from '@tensorflow/tfjs-core';
import { DataError, type DomainDataset, type IdentityInfo, type SampleRef, type SampleShape } from '@metadg/core';
import { SampleCounts, checkDomain } from '../dataset/batch.js';
import { forwardLoaderReport } from '../provenance.js';

/**
 * A view with only `domains` of `dataset` (in the given order). Unknown
 * domains are a `DataError`. Nothing is copied.
 */
export function restrictDomains(dataset: DomainDataset, domains: readonly string[], name?: string): DomainDataset {
  for (const d of domains) checkDomain(dataset, d);
  if (domains.length === 0) throw new DataError(dataset.name, 'restrictDomains: no domains given');
  const kept = [...domains];
  const view: DomainDataset = {
    name: name ?? `${dataset.name}[${kept.join(',')}]`,
    domains: kept,
    sampleShape: dataset.sampleShape,
    identities(domain: string): readonly IdentityInfo[] {
      checkDomain(view, domain);
      return dataset.identities(domain);
    },
    async load(refs: readonly SampleRef[]): Promise<tf.Tensor4D> {
      for (const ref of refs) checkDomain(view, ref.domain);
      return dataset.load(refs);
    },
  };
  return forwardLoaderReport(view, dataset);
}

/**
 * A view with only the identities in `keep` (in every domain). Domains left
 * without identities are dropped. Sample indices are unchanged.
 */
export function restrictIdentities(dataset: DomainDataset, keep: Iterable<string>, name: string): DomainDataset {
  const allowed = new Set(keep);
  const infos = new Map<string, readonly IdentityInfo[]>();
  for (const domain of dataset.domains) {
    const ids = dataset.identities(domain).filter((i) => allowed.has(i.id));
    if (ids.length > 0) infos.set(domain, ids);
  }
  if (infos.size === 0) throw new DataError(name, 'no identity of the view is present in any domain');
  return new IdentitySubsetView(dataset, name, infos);
}

class IdentitySubsetView implements DomainDataset {
  readonly domains: readonly string[];
  readonly sampleShape: SampleShape;
  private readonly counts: SampleCounts;

  constructor(
    private readonly base: DomainDataset,
    readonly name: string,
    private readonly infos: ReadonlyMap<string, readonly IdentityInfo[]>,
  ) {
    this.domains = [...infos.keys()];
    this.sampleShape = base.sampleShape;
    this.counts = new SampleCounts(this);
    forwardLoaderReport(this, base);
  }

  identities(domain: string): readonly IdentityInfo[] {
    checkDomain(this, domain);
    return this.infos.get(domain) as readonly IdentityInfo[];
  }

  async load(refs: readonly SampleRef[]): Promise<tf.Tensor4D> {
    for (const ref of refs) this.counts.check(ref);
    return this.base.load(refs);
  }
}
