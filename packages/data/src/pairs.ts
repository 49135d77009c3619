import { ConfigError, DataError, Rng, type DomainDataset, type IdentityInfo, type SampleRef } from '@metadg/core';
import { checkDomain } from './dataset/batch.js';

/** One verification pair: a gallery and a probe sample, `label` 1 if they show the same identity. */
export interface VerificationPair {
  readonly gallery: SampleRef;
  readonly probe: SampleRef;
  readonly label: 0 | 1;
}

/** Options of `makeVerificationPairs`. */
export interface VerificationPairOptions {
  /** Same-identity pairs wanted. */
  readonly positives: number;
  /** Different-identity pairs wanted (default: as many as positives, a balanced list). */
  readonly negatives?: number;
  readonly seed: number | string;
}

/**
 * Gallery/probe pairs from one domain for verification (LFW style): distinct
 * samples of one identity labelled 1, samples of two identities labelled 0.
 * No pair occurs twice (in either order); positives are spread over
 * identities round-robin so no identity dominates. Deterministic per seed;
 * the list is shuffled. Asking for more pairs than exist is a `DataError`
 * that says how many do.
 */
export function makeVerificationPairs(
  dataset: DomainDataset,
  domain: string,
  options: VerificationPairOptions,
): VerificationPair[] {
  checkDomain(dataset, domain);
  const { positives, seed } = options;
  const negatives = options.negatives ?? positives;
  for (const [field, v] of [['positives', positives], ['negatives', negatives]] as const) {
    if (!(Number.isInteger(v) && v >= 0)) throw new ConfigError(field, `must be an integer >= 0, got ${v}`);
  }
  const infos = dataset.identities(domain);
  const rng = new Rng(seed).fork(`pairs/${domain}`);
  const where = `${dataset.name}/${domain}`;
  const pos = drawPositives(infos, positives, rng.fork('positives'), where);
  const neg = drawNegatives(infos, negatives, rng.fork('negatives'), where);
  const pairs: VerificationPair[] = [
    ...pos.map(([a, b]) => ({ gallery: a, probe: b, label: 1 as const })),
    ...neg.map(([a, b]) => ({ gallery: a, probe: b, label: 0 as const })),
  ];
  const ordered = rng.fork('order').shuffle(pairs);
  return ordered.map((p) => ({ ...p, gallery: { ...p.gallery, domain }, probe: { ...p.probe, domain } }));
}

type Ref = { readonly domain: string; readonly identity: string; readonly index: number };

const pairsOf = (n: number): number => (n * (n - 1)) / 2;

function drawPositives(infos: readonly IdentityInfo[], wanted: number, rng: Rng, where: string): [Ref, Ref][] {
  const eligible = infos.filter((i) => i.samples >= 2);
  const available = eligible.reduce((s, i) => s + pairsOf(i.samples), 0);
  if (wanted > available) {
    throw new DataError(where, `asked for ${wanted} positive pairs; only ${available} exist (identities with >= 2 samples: ${eligible.length})`);
  }
  const used = new Map<string, Set<number>>();
  const out: [Ref, Ref][] = [];
  let order = rng.shuffle(eligible);
  // Round-robin over identities; the availability check above guarantees termination.
  while (out.length < wanted && order.length > 0) {
    const next: IdentityInfo[] = [];
    for (const info of order) {
      if (out.length >= wanted) break;
      const seen = used.get(info.id) ?? new Set<number>();
      used.set(info.id, seen);
      const pair = drawDistinctPair(info.samples, seen, rng);
      if (pair === undefined) continue; // this identity is exhausted
      const [a, b] = pair;
      out.push([{ domain: '', identity: info.id, index: a }, { domain: '', identity: info.id, index: b }]);
      next.push(info);
    }
    order = next;
  }
  return out;
}

/** A new unordered pair {a, b}, a ≠ b, of [0, n), not in `seen` (encoded a·n + b, a < b); undefined when exhausted. */
function drawDistinctPair(n: number, seen: Set<number>, rng: Rng): [number, number] | undefined {
  const total = pairsOf(n);
  if (seen.size >= total) return undefined;
  if (seen.size < total / 2) {
    // Sparse: rejection sampling hits a fresh pair with probability > 1/2.
    for (;;) {
      const a = rng.int(n);
      const b = rng.int(n);
      if (a === b) continue;
      const key = Math.min(a, b) * n + Math.max(a, b);
      if (seen.has(key)) continue;
      seen.add(key);
      return [a, b];
    }
  }
  // Dense: enumerate what is left and pick one.
  const free: number[] = [];
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) if (!seen.has(a * n + b)) free.push(a * n + b);
  const key = rng.pick(free);
  seen.add(key);
  return [Math.floor(key / n), key % n];
}

function drawNegatives(infos: readonly IdentityInfo[], wanted: number, rng: Rng, where: string): [Ref, Ref][] {
  if (wanted === 0) return [];
  const total = infos.reduce((s, i) => s + i.samples, 0);
  const sameId = infos.reduce((s, i) => s + i.samples * i.samples, 0);
  const available = (total * total - sameId) / 2;
  if (wanted > available) {
    throw new DataError(where, `asked for ${wanted} negative pairs; only ${available} exist (${infos.length} identities)`);
  }
  if (wanted > available / 2) return enumerateNegatives(infos, wanted, rng);
  const seen = new Set<string>();
  const out: [Ref, Ref][] = [];
  while (out.length < wanted) {
    const [i, j] = rng.sample(infos, 2) as [IdentityInfo, IdentityInfo];
    const a = { domain: '', identity: i.id, index: rng.int(i.samples) };
    const b = { domain: '', identity: j.id, index: rng.int(j.samples) };
    const key = i.id < j.id ? `${i.id}#${a.index}|${j.id}#${b.index}` : `${j.id}#${b.index}|${i.id}#${a.index}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push([a, b]);
  }
  return out;
}

function enumerateNegatives(infos: readonly IdentityInfo[], wanted: number, rng: Rng): [Ref, Ref][] {
  const all: [Ref, Ref][] = [];
  for (let x = 0; x < infos.length; x++) {
    for (let y = x + 1; y < infos.length; y++) {
      const i = infos[x] as IdentityInfo;
      const j = infos[y] as IdentityInfo;
      for (let a = 0; a < i.samples; a++) {
        for (let b = 0; b < j.samples; b++) {
          all.push([{ domain: '', identity: i.id, index: a }, { domain: '', identity: j.id, index: b }]);
        }
      }
    }
  }
  return rng.sample(all, wanted);
}

/** Gallery and probe lists for closed-set identification (rank-1 accuracy). */
export interface IdentificationSplit {
  /** `galleryPerIdentity` samples of every identity. */
  readonly gallery: readonly SampleRef[];
  /** All other samples; identities with no sample left appear only in the gallery (distractors). */
  readonly probes: readonly SampleRef[];
}

/**
 * Splits one domain for identification: `galleryPerIdentity` (default 1)
 * randomly chosen enrolment samples per identity, every other sample a
 * probe. Deterministic per seed.
 */
export function makeIdentificationSplit(
  dataset: DomainDataset,
  domain: string,
  options: { readonly seed: number | string; readonly galleryPerIdentity?: number },
): IdentificationSplit {
  checkDomain(dataset, domain);
  const k = options.galleryPerIdentity ?? 1;
  if (!(Number.isInteger(k) && k >= 1)) throw new ConfigError('galleryPerIdentity', `must be an integer >= 1, got ${k}`);
  const rng = new Rng(options.seed).fork(`identification/${domain}`);
  const gallery: SampleRef[] = [];
  const probes: SampleRef[] = [];
  for (const info of dataset.identities(domain)) {
    const indices = rng.fork(info.id).shuffle(Array.from({ length: info.samples }, (_, i) => i));
    const enrol = new Set(indices.slice(0, k));
    for (let index = 0; index < info.samples; index++) {
      (enrol.has(index) ? gallery : probes).push({ domain, identity: info.id, index });
    }
  }
  return { gallery, probes };
}
