import { ConfigError } from '@metadg/core';
import { cosine, type ClassCentre } from './label-embeddings.js';

/**
 * Default quantile of the impostor tail that `threshold: 'auto'` starts
 * from: a cross-source pair is only a candidate if its labels are more
 * similar than 99 % of identities are to their most similar *other* identity
 * within their own source.
 */
export const AUTO_THRESHOLD_QUANTILE = 0.99;

/** Summary of the within-source nearest-impostor similarities that `'auto'` derives its threshold from. */
export interface ImpostorStats {
  /** Labels that have a different identity in their own source (one value each). */
  readonly labels: number;
  readonly quantile: number;
  /** The similarity at `quantile` (linear interpolation between order statistics). */
  readonly atQuantile: number;
  readonly median: number;
  readonly max: number;
}

/**
 * For every label, the cosine similarity of its centre to the nearest centre
 * of a *different* identity in the *same* source, or `undefined` when its
 * source has no other identity. Labels of one source are asserted to be
 * different people by that source, so these values show how similar two
 * different people can look to this model, free of the unknown duplicates
 * that cross-source pairs may contain.
 */
export function nearestImpostorSimilarities(centres: readonly ClassCentre[], sourceOf: readonly string[]): (number | undefined)[] {
  const out: (number | undefined)[] = centres.map(() => undefined);
  for (let i = 0; i < centres.length; i++) {
    const a = centres[i] as ClassCentre;
    for (let j = i + 1; j < centres.length; j++) {
      const b = centres[j] as ClassCentre;
      if (sourceOf[i] !== sourceOf[j] || a.identity === b.identity) continue;
      const s = cosine(a.centre, b.centre);
      if (s > (out[i] ?? -Infinity)) out[i] = s;
      if (s > (out[j] ?? -Infinity)) out[j] = s;
    }
  }
  return out;
}

/** The `q`-quantile of `values` (R's type 7: linear interpolation between order statistics). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('quantile of no values');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be in [0, 1], got ${q}`);
  const sorted = [...values].sort((x, y) => x - y);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const below = sorted[lo] as number;
  const above = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return below + (h - lo) * (above - below);
}

/** Statistics of the nearest-impostor similarities, or `null` when no source has two identities. */
export function impostorStats(similarities: readonly (number | undefined)[], q: number): ImpostorStats | null {
  const values = similarities.filter((s): s is number => s !== undefined);
  if (values.length === 0) return null;
  return {
    labels: values.length,
    quantile: q,
    atQuantile: quantile(values, q),
    median: quantile(values, 0.5),
    max: Math.max(...values),
  };
}

/** Checks a user-given threshold (a cosine similarity). */
export function checkThreshold(value: number): number {
  if (typeof value !== 'number' || !(value >= -1 && value <= 1)) {
    throw new ConfigError('threshold', `must be a cosine similarity in [-1, 1] or "auto", got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Checks the quantile of the auto threshold. */
export function checkQuantile(q: number): number {
  if (typeof q !== 'number' || !(q > 0 && q <= 1)) throw new ConfigError('autoQuantile', `must be in (0, 1], got ${JSON.stringify(q)}`);
  return q;
}

/** Where `autoThreshold` put the threshold: the middle of the gap between two observed similarities. */
export interface ThresholdSplit {
  /** Largest similarity below the threshold (the impostor tail itself, or a candidate pair). */
  readonly below: number;
  /** Smallest similarity at or above the threshold (a candidate pair). */
  readonly above: number;
}

/**
 * The auto threshold. `tail` is the impostor reference (a high quantile of
 * the within-source nearest-impostor similarities); `candidates` are the
 * similarities of the cross-source mutual-nearest pairs. When some
 * candidates lie above the tail, the tail and those candidates are split in
 * two by Otsu's method (maximal between-class variance n₁·n₂·(μ₁ − μ₂)²;
 * N. Otsu, 1979): duplicates form a cluster of their own, well above the
 * tail, and the threshold goes in the middle of the gap that separates them
 * from the rest — never below the tail. With no candidate above the tail the
 * threshold is the tail.
 */
export function autoThreshold(tail: number, candidates: readonly number[]): { value: number; split: ThresholdSplit | null } {
  const above = candidates.filter((c) => c >= tail).sort((x, y) => x - y);
  if (above.length === 0) return { value: tail, split: null };
  const values = [tail, ...above];
  const k = otsuSplit(values);
  const below = values[k - 1] as number;
  const upper = values[k] as number;
  return { value: (below + upper) / 2, split: { below, above: upper } };
}

/**
 * Otsu's split of ascending `values` (at least 2): the index k maximising
 * n₁·n₂·(μ₁ − μ₂)² for classes values[0..k) and values[k..]; ties keep the
 * lowest k (the more inclusive threshold).
 */
export function otsuSplit(values: readonly number[]): number {
  if (values.length < 2) throw new RangeError(`otsuSplit needs at least 2 values, got ${values.length}`);
  const total = values.reduce((a, b) => a + b, 0);
  let best = 1;
  let bestScore = -Infinity;
  let lowSum = 0;
  for (let k = 1; k < values.length; k++) {
    lowSum += values[k - 1] as number;
    const n1 = k;
    const n2 = values.length - k;
    const gap = lowSum / n1 - (total - lowSum) / n2;
    const score = n1 * n2 * gap * gap;
    if (score > bestScore) {
      bestScore = score;
      best = k;
    }
  }
  return best;
}
