import { describe, expect, it } from 'vitest';
import { DataError } from '@metadg/core';
import { InMemoryDataset, makeIdentificationSplit, makeVerificationPairs, type VerificationPair } from '../src/index.js';

/** Domain "x": identity k has counts[k] samples of 1×1×1 (values irrelevant here). */
function dataset(counts: readonly number[]): InMemoryDataset {
  const x: Record<string, Float32Array> = {};
  counts.forEach((n, k) => (x[`id${k}`] = new Float32Array(n)));
  return new InMemoryDataset({ name: 'p', sampleShape: [1, 1, 1], samples: { x, y: x } });
}

const key = (p: VerificationPair): string => {
  const a = `${p.gallery.identity}#${p.gallery.index}`;
  const b = `${p.probe.identity}#${p.probe.index}`;
  return a < b ? `${a}|${b}` : `${b}|${a}`;
};

describe('makeVerificationPairs', () => {
  const ds = dataset([5, 4, 1, 6, 3]);

  it('gives the requested balanced counts with correct labels, distinct samples and no repeated pair', () => {
    const pairs = makeVerificationPairs(ds, 'x', { positives: 20, seed: 1 });
    expect(pairs).toHaveLength(40);
    expect(pairs.filter((p) => p.label === 1)).toHaveLength(20);
    for (const p of pairs) {
      expect(p.gallery.domain).toBe('x');
      expect(p.probe.domain).toBe('x');
      expect(p.label === 1).toBe(p.gallery.identity === p.probe.identity);
      if (p.label === 1) expect(p.gallery.index).not.toBe(p.probe.index);
      for (const r of [p.gallery, p.probe]) {
        const n = ds.identities('x').find((i) => i.id === r.identity)!.samples;
        expect(r.index >= 0 && r.index < n).toBe(true);
      }
    }
    expect(new Set(pairs.map(key)).size).toBe(40);
  });

  it('spreads positives over identities (round-robin) and skips single-sample identities', () => {
    const pairs = makeVerificationPairs(ds, 'x', { positives: 8, negatives: 0, seed: 2 });
    const perId = new Map<string, number>();
    for (const p of pairs) perId.set(p.gallery.identity, (perId.get(p.gallery.identity) ?? 0) + 1);
    expect(perId.has('id2')).toBe(false);
    expect([...perId.values()]).toEqual([2, 2, 2, 2]);
  });

  it('can exhaust every positive pair exactly', () => {
    const all = 10 + 6 + 15 + 3; // C(5,2) + C(4,2) + C(6,2) + C(3,2)
    const pairs = makeVerificationPairs(ds, 'x', { positives: all, negatives: 0, seed: 3 });
    expect(new Set(pairs.map(key)).size).toBe(all);
    expect(() => makeVerificationPairs(ds, 'x', { positives: all + 1, negatives: 0, seed: 3 })).toThrow(/only 34 exist/);
  });

  it('can exhaust every negative pair exactly (dense case enumerates)', () => {
    const small = dataset([2, 1, 2]);
    const all = (5 * 5 - (4 + 1 + 4)) / 2; // 8
    const pairs = makeVerificationPairs(small, 'x', { positives: 0, negatives: all, seed: 4 });
    expect(new Set(pairs.map(key)).size).toBe(8);
    expect(() => makeVerificationPairs(small, 'x', { positives: 0, negatives: 9, seed: 4 })).toThrow(DataError);
  });

  it('is deterministic per seed and differs across seeds', () => {
    const a = makeVerificationPairs(ds, 'x', { positives: 10, seed: 'a' });
    const b = makeVerificationPairs(ds, 'x', { positives: 10, seed: 'a' });
    const c = makeVerificationPairs(ds, 'x', { positives: 10, seed: 'b' });
    expect(a).toEqual(b);
    expect(a.map(key)).not.toEqual(c.map(key));
  });

  it('validates its arguments', () => {
    expect(() => makeVerificationPairs(ds, 'zz', { positives: 1, seed: 1 })).toThrow(/unknown domain/);
    expect(() => makeVerificationPairs(ds, 'x', { positives: -1, seed: 1 })).toThrow(/positives/);
    expect(() => makeVerificationPairs(ds, 'x', { positives: 1.5, seed: 1 })).toThrow(/positives/);
  });
});

describe('makeIdentificationSplit', () => {
  const ds = dataset([5, 4, 1, 6, 3]);

  it('puts one sample per identity in the gallery and every other sample in the probes', () => {
    const { gallery, probes } = makeIdentificationSplit(ds, 'x', { seed: 1 });
    expect(gallery.map((r) => r.identity)).toEqual(['id0', 'id1', 'id2', 'id3', 'id4']);
    expect(probes).toHaveLength(19 - 5);
    const all = new Set([...gallery, ...probes].map((r) => `${r.identity}#${r.index}`));
    expect(all.size).toBe(19);
    expect(probes.some((r) => r.identity === 'id2')).toBe(false);
  });

  it('is deterministic per seed and supports several gallery samples', () => {
    const a = makeIdentificationSplit(ds, 'x', { seed: 5, galleryPerIdentity: 2 });
    expect(a).toEqual(makeIdentificationSplit(ds, 'x', { seed: 5, galleryPerIdentity: 2 }));
    expect(a.gallery).toHaveLength(2 + 2 + 1 + 2 + 2);
    const galleries = new Set([1, 2, 3, 4, 5].map((seed) => JSON.stringify(makeIdentificationSplit(ds, 'x', { seed }).gallery)));
    expect(galleries.size).toBeGreaterThan(1);
    expect(() => makeIdentificationSplit(ds, 'x', { seed: 1, galleryPerIdentity: 0 })).toThrow(/galleryPerIdentity/);
  });
});
