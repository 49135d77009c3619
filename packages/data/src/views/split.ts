import { ConfigError, DataError, Rng, type DomainDataset } from '@metadg/core';
import { restrictIdentities } from './restrict.js';

/** Options of `splitIdentities`. */
export interface IdentitySplitOptions {
  /** Fraction of identities held out for testing, in (0, 1). */
  readonly testFraction: number;
  /** Fraction of identities for validation, in [0, 1) (default 0: no validation part). */
  readonly valFraction?: number;
  /** Seed of the shuffle; the same seed always gives the same split. */
  readonly seed: number | string;
}

/** Identity lists of a split, each sorted. */
export interface IdentityAssignment {
  readonly train: readonly string[];
  readonly val: readonly string[];
  readonly test: readonly string[];
}

/** Disjoint views of one dataset: no identity appears in two of them, in any domain. */
export interface IdentitySplit {
  readonly train: DomainDataset;
  /** Present when `valFraction > 0`. */
  readonly val: DomainDataset | undefined;
  readonly test: DomainDataset;
  readonly identities: IdentityAssignment;
}

/**
 * Splits the identities of `dataset` (the union over all its domains) into
 * train / (val) / test views. An identity goes wholly to one part, in every
 * domain, so test identities are never seen in training. Deterministic per
 * seed; each requested part gets at least one identity.
 */
export function splitIdentities(dataset: DomainDataset, options: IdentitySplitOptions): IdentitySplit {
  const { testFraction, valFraction = 0, seed } = options;
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new ConfigError('testFraction', `must be in (0, 1), got ${testFraction}`);
  }
  if (!(valFraction >= 0 && valFraction < 1)) throw new ConfigError('valFraction', `must be in [0, 1), got ${valFraction}`);
  if (testFraction + valFraction >= 1) {
    throw new ConfigError('valFraction', `testFraction + valFraction must be < 1 (got ${testFraction + valFraction})`);
  }
  const all = new Set<string>();
  for (const domain of dataset.domains) for (const info of dataset.identities(domain)) all.add(info.id);
  const sorted = [...all].sort();
  const parts = valFraction > 0 ? 3 : 2;
  if (sorted.length < parts) {
    throw new DataError(dataset.name, `cannot split ${sorted.length} identities into ${parts} non-empty parts`);
  }
  // Sorting first makes the split independent of domain and directory order.
  const shuffled = new Rng(seed).fork('split-identities').shuffle(sorted);
  const n = shuffled.length;
  const nTest = Math.max(1, Math.round(testFraction * n));
  const nVal = valFraction > 0 ? Math.max(1, Math.round(valFraction * n)) : 0;
  if (nTest + nVal > n - 1) {
    throw new DataError(dataset.name, `split leaves no training identities (${n} identities, ${nTest} test, ${nVal} val)`);
  }
  const test = shuffled.slice(0, nTest).sort();
  const val = shuffled.slice(nTest, nTest + nVal).sort();
  const train = shuffled.slice(nTest + nVal).sort();
  return {
    train: restrictIdentities(dataset, train, `${dataset.name}[train]`),
    val: nVal > 0 ? restrictIdentities(dataset, val, `${dataset.name}[val]`) : undefined,
    test: restrictIdentities(dataset, test, `${dataset.name}[test]`),
    identities: { train, val, test },
  };
}
