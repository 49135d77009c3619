import * as tf from '@tensorflow/tfjs-core';
import { DataError, type DomainDataset, type IdentityInfo, type SampleRef, type SampleShape } from '@metadg/core';

/** One environment held in memory: NHWC byte images and a class id per image. */
export interface ClassDomain {
  readonly name: string;
  /** `count × h × w × c` grey levels 0…255. */
  readonly images: Uint8Array;
  /** Class id (the identity key) of each image. */
  readonly classes: readonly string[];
}

/**
 * A closed-set classification benchmark as a {@link DomainDataset}: identity
 * = class, sample `index` of identity `k` in a domain = the index-th image of
 * class k in that domain's shard (shard order). Also exposes labels for
 * classification-style evaluation (accuracy on a held-out domain).
 */
export interface ClassDomainDataset extends DomainDataset {
  /** Every class id, sorted (the label space shared by all domains). */
  readonly classes: readonly string[];
  /** Number of images in a domain. */
  size(domain: string): number;
  /** Every sample of a domain, in identity then index order, e.g. for evaluation. */
  refs(domain: string): SampleRef[];
}

/** Builds a {@link ClassDomainDataset} over images already in memory. */
export function classDomainDataset(name: string, shape: SampleShape, domains: readonly ClassDomain[]): ClassDomainDataset {
  const pixels = shape[0] * shape[1] * shape[2];
  const byName = new Map<string, { domain: ClassDomain; members: Map<string, number[]>; infos: IdentityInfo[] }>();
  const allClasses = new Set<string>();
  for (const domain of domains) {
    if (byName.has(domain.name)) throw new DataError(name, `duplicate domain "${domain.name}"`);
    if (domain.images.length !== domain.classes.length * pixels) {
      throw new DataError(name, `domain "${domain.name}": ${domain.images.length} bytes for ${domain.classes.length} images of [${shape.join(', ')}]`);
    }
    const members = new Map<string, number[]>();
    domain.classes.forEach((c, i) => {
      let list = members.get(c);
      if (!list) members.set(c, (list = []));
      list.push(i);
      allClasses.add(c);
    });
    const infos = [...members.entries()]
      .map(([id, list]) => ({ id, samples: list.length }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    byName.set(domain.name, { domain, members, infos });
  }
  const names = domains.map((d) => d.name);
  const entry = (domain: string, at?: number) => {
    const e = byName.get(domain);
    if (!e) throw new DataError(name, `${at === undefined ? '' : `refs[${at}].domain: `}unknown domain "${domain}" (domains: ${names.join(', ')})`);
    return e;
  };

  return {
    name,
    domains: names,
    sampleShape: shape,
    classes: [...allClasses].sort(),
    identities: (domain) => entry(domain).infos,
    size: (domain) => entry(domain).domain.classes.length,
    refs(domain) {
      const e = entry(domain);
      return e.infos.flatMap((info) => Array.from({ length: info.samples }, (_, index) => ({ domain, identity: info.id, index })));
    },
    async load(refs) {
      const values = new Float32Array(refs.length * pixels);
      refs.forEach((ref, i) => {
        const e = entry(ref.domain, i);
        const list = e.members.get(ref.identity);
        if (!list) throw new DataError(name, `refs[${i}].identity: unknown class "${ref.identity}" in domain "${ref.domain}"`);
        const image = list[ref.index];
        if (!Number.isInteger(ref.index) || image === undefined) {
          throw new DataError(name, `refs[${i}].index: ${ref.index} is outside [0, ${list.length}) for class "${ref.identity}" in "${ref.domain}"`);
        }
        const src = e.domain.images.subarray(image * pixels, (image + 1) * pixels);
        for (let p = 0; p < pixels; p++) values[i * pixels + p] = (src[p] as number) / 255;
      });
      return tf.tensor4d(values, [refs.length, shape[0], shape[1], shape[2]]);
    },
  };
}
