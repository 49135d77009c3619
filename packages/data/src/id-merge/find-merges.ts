import { ConfigError } from '@metadg/core';
import { classCentres, cosine, type ClassCentre, type EmbeddingSet, type IdLabel } from './label-embeddings.js';
import { NearestTwo } from './nearest.js';
import { sourceResolver, type SourceGrouping } from './sources.js';
import {
  AUTO_THRESHOLD_QUANTILE,
  autoThreshold,
  checkQuantile,
  checkThreshold,
  impostorStats,
  nearestImpostorSimilarities,
  type ImpostorStats,
  type ThresholdSplit,
} from './threshold.js';

/** Options of `findIdMerges`. */
export interface FindIdMergesOptions {
  /**
   * Minimum cosine similarity of two class centres, in [-1, 1], or `'auto'`
   * (default): start from the impostor tail — the `autoQuantile` quantile of
   * the within-source nearest-impostor similarities (see
   * `nearestImpostorSimilarities`) — and put the threshold in the gap that
   * separates the pairs above it into two clusters (see `autoThreshold`).
   * A pair exactly at the threshold is reported.
   */
  readonly threshold?: number | 'auto';
  /** Quantile used by `threshold: 'auto'` (default `AUTO_THRESHOLD_QUANTILE`, 0.99). */
  readonly autoQuantile?: number;
  /** Which source each domain belongs to (default: each domain is its own source). Only labels of different sources are compared. */
  readonly sources?: SourceGrouping;
  /** How many mutual-nearest pairs below the threshold to list for review (default 10). */
  readonly reviewLimit?: number;
}

/** One label of a reported pair. */
export interface IdMergeLabel extends IdLabel {
  readonly source: string;
  /** Samples its centre was computed from. */
  readonly samples: number;
}

/** Two labels from different sources that are each other's nearest class centre. */
export interface IdMergePair {
  /** The label from the earlier source (in `IdMergeReport.sources` order). */
  readonly a: IdMergeLabel;
  readonly b: IdMergeLabel;
  /** Cosine similarity of the two class centres. */
  readonly similarity: number;
  /**
   * `similarity` minus the larger runner-up similarity: a's second-nearest
   * identity in b's source, or b's in a's source. Small margins mean the
   * match is barely preferred over another identity. `null` when neither
   * source has a second identity.
   */
  readonly margin: number | null;
}

/** How the threshold was chosen. */
export interface ThresholdChoice {
  readonly value: number;
  readonly mode: 'auto' | 'given';
  /** The within-source nearest-impostor similarities (also shown for a given threshold, as context); `null` when no source has two identities. */
  readonly impostors: ImpostorStats | null;
  /** For `'auto'`: the two observed similarities the threshold lies between; `null` when it is the impostor tail itself or given. */
  readonly split: ThresholdSplit | null;
}

/** What `findIdMerges` found; plain data, serialisable as JSON. */
export interface IdMergeReport {
  /** Sources in order of first appearance among the labels. */
  readonly sources: readonly string[];
  /** Number of (domain, identity) labels compared. */
  readonly labels: number;
  readonly threshold: ThresholdChoice;
  /** Suspected duplicates: mutual-nearest pairs with different identity keys at or above the threshold, most similar first. */
  readonly pairs: readonly IdMergePair[];
  /** The most similar mutual-nearest pairs below the threshold (up to `reviewLimit`), for a human to look at. */
  readonly belowThreshold: readonly IdMergePair[];
  /**
   * Label pairs across sources that already share an identity key (the same
   * person by the dataset's contract): how many there are, and how many of
   * them the model confirms (mutual nearest at or above the threshold). A
   * low ratio says the embedding or threshold is not to be trusted here.
   */
  readonly knownMatches: { readonly total: number; readonly confirmed: number };
}

/**
 * ID-merge detection: finds (domain, identity) labels from different sources
 * that are probably the same person. Each label's samples are averaged into a
 * class centre; two labels of sources S ≠ T are reported when each is the
 * other's nearest centre among the other source's labels (mutual nearest
 * neighbours, which makes a person absent from T unlikely to be paired with a
 * mere look-alike) and their cosine similarity is at least the threshold.
 * Pairs whose identity keys are equal are already one identity and are only
 * counted (`knownMatches`). Deterministic: ties go to the earlier label.
 *
 * Cost: O(L² · d) for L labels of width d, in plain JS; memory O(L · d).
 */
export function findIdMerges(embeddings: EmbeddingSet, options: FindIdMergesOptions = {}): IdMergeReport {
  const autoQuantile = checkQuantile(options.autoQuantile ?? AUTO_THRESHOLD_QUANTILE);
  const given = options.threshold ?? 'auto';
  if (given !== 'auto') checkThreshold(given);
  const reviewLimit = options.reviewLimit ?? 10;
  if (!Number.isInteger(reviewLimit) || reviewLimit < 0) throw new ConfigError('reviewLimit', `must be a non-negative integer, got ${reviewLimit}`);

  const centres = classCentres(embeddings);
  const resolve = sourceResolver(options.sources);
  const sourceOf = centres.map((c) => resolve(c.domain));
  const sources = [...new Set(sourceOf)];
  if (sources.length < 2) {
    throw new ConfigError('sources', `all labels belong to one source ("${sources[0] ?? ''}"): ID-merge compares labels of different sources`);
  }

  const impostors = impostorStats(nearestImpostorSimilarities(centres, sourceOf), autoQuantile);
  if (given === 'auto' && impostors === null) {
    throw new ConfigError('threshold', '"auto" needs a source with at least two identities (to see how similar different people look); give a number');
  }
  const members = sources.map((s) => centres.map((_, i) => i).filter((i) => sourceOf[i] === s));
  const mutual: IdMergePair[] = [];
  const known: number[] = [];
  let knownTotal = 0;
  for (let s = 0; s < sources.length; s++) {
    for (let t = s + 1; t < sources.length; t++) {
      const inS = members[s] as number[];
      const inT = members[t] as number[];
      knownTotal += countSharedKeys(centres, inS, inT);
      for (const m of mutualNearest(centres, inS, inT)) {
        const a = centres[m.a] as ClassCentre;
        const b = centres[m.b] as ClassCentre;
        if (a.identity === b.identity) {
          known.push(m.similarity);
          continue;
        }
        mutual.push({
          a: { domain: a.domain, identity: a.identity, source: sources[s] as string, samples: a.samples },
          b: { domain: b.domain, identity: b.identity, source: sources[t] as string, samples: b.samples },
          similarity: m.similarity,
          margin: m.margin,
        });
      }
    }
  }
  let threshold: ThresholdChoice;
  if (given === 'auto') {
    const auto = autoThreshold((impostors as ImpostorStats).atQuantile, mutual.map((p) => p.similarity));
    threshold = { value: auto.value, mode: 'auto', impostors, split: auto.split };
  } else {
    threshold = { value: given, mode: 'given', impostors, split: null };
  }
  mutual.sort(byDecreasingSimilarity);
  return {
    sources,
    labels: centres.length,
    threshold,
    pairs: mutual.filter((p) => p.similarity >= threshold.value),
    belowThreshold: mutual.filter((p) => p.similarity < threshold.value).slice(0, reviewLimit),
    knownMatches: { total: knownTotal, confirmed: known.filter((k) => k >= threshold.value).length },
  };
}

interface MutualPair {
  readonly a: number;
  readonly b: number;
  readonly similarity: number;
  readonly margin: number | null;
}

/** Mutual nearest pairs between the labels `inS` and `inT` (indices into `centres`). */
function mutualNearest(centres: readonly ClassCentre[], inS: readonly number[], inT: readonly number[]): MutualPair[] {
  const nearestInT = inS.map(() => new NearestTwo());
  const nearestInS = inT.map(() => new NearestTwo());
  // One pass over the S × T block serves both directions.
  inS.forEach((i, si) => {
    const a = centres[i] as ClassCentre;
    inT.forEach((j, tj) => {
      const b = centres[j] as ClassCentre;
      const s = cosine(a.centre, b.centre);
      (nearestInT[si] as NearestTwo).offer(tj, b.identity, s);
      (nearestInS[tj] as NearestTwo).offer(si, a.identity, s);
    });
  });
  const out: MutualPair[] = [];
  nearestInT.forEach((fromA, si) => {
    const fromB = nearestInS[fromA.best] as NearestTwo;
    if (fromB.best !== si) return;
    const runnerUp = Math.max(fromA.runnerUpSimilarity, fromB.runnerUpSimilarity);
    out.push({
      a: inS[si] as number,
      b: inT[fromA.best] as number,
      similarity: fromA.bestSimilarity,
      margin: runnerUp === -Infinity ? null : fromA.bestSimilarity - runnerUp,
    });
  });
  return out;
}

/** Number of (S label, T label) pairs that share an identity key. */
function countSharedKeys(centres: readonly ClassCentre[], inS: readonly number[], inT: readonly number[]): number {
  const inTByKey = new Map<string, number>();
  for (const j of inT) {
    const key = (centres[j] as ClassCentre).identity;
    inTByKey.set(key, (inTByKey.get(key) ?? 0) + 1);
  }
  let n = 0;
  for (const i of inS) n += inTByKey.get((centres[i] as ClassCentre).identity) ?? 0;
  return n;
}

function compareText(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

function byDecreasingSimilarity(p: IdMergePair, q: IdMergePair): number {
  return (
    q.similarity - p.similarity ||
    compareText(p.a.domain, q.a.domain) ||
    compareText(p.a.identity, q.a.identity) ||
    compareText(p.b.domain, q.b.domain) ||
    compareText(p.b.identity, q.b.identity)
  );
}
