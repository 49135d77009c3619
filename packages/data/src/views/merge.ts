import type * as tf from '@tensorflow/tfjs-core';
import { DataError, type DomainDataset, type IdentityInfo, type SampleRef, type SampleShape } from '@metadg/core';
import { SampleCounts, checkDomain } from '../dataset/batch.js';
import { forwardLoaderReport } from '../provenance.js';

/**
 * How identities are relabelled: a table old → new (identities not listed
 * keep their key), or a function of the identity and its domain.
 */
export type IdentityMapping = Readonly<Record<string, string>> | ((identity: string, domain: string) => string);

/** Where the samples of one merged identity come from: base identities in order, with index offsets. */
interface MergedIdentity {
  readonly parts: readonly { readonly id: string; readonly offset: number; readonly samples: number }[];
  readonly samples: number;
}

/**
 * A view with identities relabelled by `mapping` ("ID merge": the same person
 * filed under two labels becomes one identity). When several identities of a
 * domain map to one key, its samples are theirs concatenated, in sorted order
 * of the old keys. Identities mapped to the same key in different domains are
 * thereby the same identity across domains, as the contract defines.
 */
export function mergeIdentities(dataset: DomainDataset, mapping: IdentityMapping, name?: string): DomainDataset {
  // Own properties only: an identity called "constructor" must not hit Object.prototype.
  const relabel =
    typeof mapping === 'function'
      ? mapping
      : (id: string): string => (Object.prototype.hasOwnProperty.call(mapping, id) ? (mapping[id] as string) : id);
  const merged = new Map<string, Map<string, MergedIdentity>>();
  for (const domain of dataset.domains) {
    const groups = new Map<string, IdentityInfo[]>();
    for (const info of dataset.identities(domain)) {
      const key = relabel(info.id, domain);
      if (typeof key !== 'string' || key.length === 0) {
        throw new DataError(`${dataset.name}/${domain}/${info.id}`, `identity mapping returned ${JSON.stringify(key)}; expected a non-empty string`);
      }
      const group = groups.get(key);
      if (group) group.push(info);
      else groups.set(key, [info]);
    }
    const byKey = new Map<string, MergedIdentity>();
    for (const key of [...groups.keys()].sort()) {
      let offset = 0;
      const parts = (groups.get(key) as IdentityInfo[])
        .slice()
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((info) => {
          const part = { id: info.id, offset, samples: info.samples };
          offset += info.samples;
          return part;
        });
      byKey.set(key, { parts, samples: offset });
    }
    merged.set(domain, byKey);
  }
  return new MergedView(dataset, name ?? `${dataset.name}[merged]`, merged);
}

class MergedView implements DomainDataset {
  readonly domains: readonly string[];
  readonly sampleShape: SampleShape;
  private readonly infos = new Map<string, IdentityInfo[]>();
  private readonly counts: SampleCounts;

  constructor(
    private readonly base: DomainDataset,
    readonly name: string,
    private readonly merged: ReadonlyMap<string, ReadonlyMap<string, MergedIdentity>>,
  ) {
    this.domains = base.domains;
    this.sampleShape = base.sampleShape;
    for (const [domain, byKey] of merged) {
      this.infos.set(domain, [...byKey].map(([id, m]) => ({ id, samples: m.samples })));
    }
    this.counts = new SampleCounts(this);
    forwardLoaderReport(this, base);
  }

  identities(domain: string): readonly IdentityInfo[] {
    checkDomain(this, domain);
    return this.infos.get(domain) as IdentityInfo[];
  }

  async load(refs: readonly SampleRef[]): Promise<tf.Tensor4D> {
    const baseRefs = refs.map((ref) => {
      this.counts.check(ref);
      const entry = this.merged.get(ref.domain)?.get(ref.identity) as MergedIdentity;
      const part = entry.parts.find((p) => ref.index < p.offset + p.samples) ?? entry.parts[entry.parts.length - 1];
      if (!part) throw new DataError(`${this.name}/${ref.domain}/${ref.identity}`, 'merged identity has no parts');
      return { domain: ref.domain, identity: part.id, index: ref.index - part.offset };
    });
    return this.base.load(baseRefs);
  }
}
