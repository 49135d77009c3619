import type { Tensor1D, Tensor4D } from '@tensorflow/tfjs-core';

/** Height, width, channels of one sample (NHWC without the batch axis). */
export type SampleShape = readonly [height: number, width: number, channels: number];

/** One identity within one domain, and how many samples it has there. */
export interface IdentityInfo {
  /** Identity key. The same key in two domains denotes the same identity. */
  readonly id: string;
  readonly samples: number;
}

/** Address of one sample: the `index`-th sample of `identity` in `domain`. */
export interface SampleRef {
  readonly domain: string;
  readonly identity: string;
  readonly index: number;
}

/**
 * A multi-domain dataset: domains → identities → samples. Implementations
 * decode lazily; `load` returns float32 NHWC batches with values in [0, 1],
 * shaped `[refs.length, ...sampleShape]`. The caller owns (disposes) the result.
 */
export interface DomainDataset {
  readonly name: string;
  readonly domains: readonly string[];
  readonly sampleShape: SampleShape;
  /** Identities present in `domain`, sorted by id. Throws a `DataError` for an unknown domain. */
  identities(domain: string): readonly IdentityInfo[];
  load(refs: readonly SampleRef[]): Promise<Tensor4D>;
}

/**
 * B gallery/probe pairs from one domain: `gallery[i]` and `probe[i]` are two
 * different samples of identity `identities[i]`, whose class index in the
 * training label space is `labels[i]`.
 */
export interface PairBatch {
  readonly kind: 'pairs';
  readonly domain: string;
  readonly gallery: Tensor4D;
  readonly probe: Tensor4D;
  /** int32 class indices, shape [B]. */
  readonly labels: Tensor1D;
  readonly identities: readonly string[];
}

/** A plain labelled batch from one domain (classification-style training). */
export interface LabelledBatch {
  readonly kind: 'labelled';
  readonly domain: string;
  readonly x: Tensor4D;
  /** int32 class indices, shape [N]. */
  readonly labels: Tensor1D;
  readonly identities: readonly string[];
}

export type DomainBatch = PairBatch | LabelledBatch;

/** One meta-train / meta-test division of an episode's domains. */
export interface EpisodeSplit {
  readonly metaTrain: readonly DomainBatch[];
  readonly metaTest: readonly DomainBatch[];
}

/**
 * What a sampler yields for one outer step: a batch per drawn domain, and one
 * or more meta-train/meta-test splits over those batches (one for MFR's
 * default 2 + 1; every leave-one-out split in "all splits" mode). Algorithms
 * without a meta-split (ERM) use `batches` pooled.
 */
export interface Episode {
  readonly step: number;
  readonly batches: readonly DomainBatch[];
  readonly splits: readonly EpisodeSplit[];
}

/** Number of images some batches feed through the network once (a pair batch: gallery and probe). */
export function batchImages(batches: readonly DomainBatch[]): number {
  let n = 0;
  for (const b of batches) n += b.kind === 'pairs' ? 2 * b.gallery.shape[0] : b.x.shape[0];
  return n;
}

/** Number of images an episode feeds through the network once. */
export function episodeImages(episode: Episode): number {
  return batchImages(episode.batches);
}

/** Releases every tensor an episode holds. */
export function disposeEpisode(episode: Episode): void {
  for (const b of episode.batches) {
    if (b.kind === 'pairs') {
      b.gallery.dispose();
      b.probe.dispose();
    } else {
      b.x.dispose();
    }
    b.labels.dispose();
  }
}
