import type * as tf from '@tensorflow/tfjs-core';
import { DataError, Rng, type DomainDataset, type IdentityInfo, type SampleRef } from '@metadg/core';

/** A closed-set validation split: a training view without the held-back samples, and those samples. */
export interface SampleHoldout {
  /** The dataset minus the validation samples (indices renumbered 0 … n − k − 1 per identity). */
  readonly train: DomainDataset;
  /** The validation samples of `domain`, addressed in the original dataset. */
  validation(domain: string): readonly SampleRef[];
}

/**
 * Holds back `fraction` of every identity's samples in every domain (rounded,
 * at least one when the identity has two or more; none when it has one), for
 * closed-set datasets whose classes are shared by all domains, so that
 * validation cannot be a split of identities. The choice is a pure function
 * of (`seed`, domain, identity).
 */
export function holdOutSamples(dataset: DomainDataset, fraction: number, seed: number | string): SampleHoldout {
  const rng = new Rng(seed).fork('holdout-samples');
  const kept = new Map<string, { train: number[]; val: number[] }>();
  const partsOf = (domain: string, info: IdentityInfo) => {
    const key = `${domain}\u0000${info.id}`;
    let parts = kept.get(key);
    if (!parts) {
      const k = info.samples < 2 ? 0 : Math.min(info.samples - 1, Math.max(1, Math.round(fraction * info.samples)));
      const order = rng.fork(key).shuffle(Array.from({ length: info.samples }, (_, i) => i));
      parts = { val: order.slice(0, k).sort((a, b) => a - b), train: order.slice(k).sort((a, b) => a - b) };
      kept.set(key, parts);
    }
    return parts;
  };
  const train: DomainDataset = {
    name: `${dataset.name}[train samples]`,
    domains: dataset.domains,
    sampleShape: dataset.sampleShape,
    identities: (domain) => dataset.identities(domain).map((info) => ({ id: info.id, samples: partsOf(domain, info).train.length })),
    async load(refs: readonly SampleRef[]): Promise<tf.Tensor4D> {
      return dataset.load(
        refs.map((ref) => {
          const info = dataset.identities(ref.domain).find((i) => i.id === ref.identity);
          const index = info ? partsOf(ref.domain, info).train[ref.index] : undefined;
          if (index === undefined) {
            throw new DataError(train.name, `no training sample ${ref.index} of identity "${ref.identity}" in domain "${ref.domain}"`);
          }
          return { ...ref, index };
        }),
      );
    },
  };
  return {
    train,
    validation: (domain) =>
      dataset.identities(domain).flatMap((info) => partsOf(domain, info).val.map((index) => ({ domain, identity: info.id, index }))),
  };
}
