import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '@metadg/core';
import { classCentres, type EmbeddingSet } from './label-embeddings.js';
import { findIdMerges, type IdMergePair } from './find-merges.js';
import { NearestTwo } from './nearest.js';
import { autoThreshold, otsuSplit, quantile } from './threshold.js';
import { formatIdMergeReport } from './format.js';

/** An embedding set from `{ 'domain/identity': rows }` (rows need not be unit length). */
function embeddings(labels: Record<string, number[][]>): EmbeddingSet {
  const entries = Object.entries(labels);
  const dim = (entries[0]?.[1][0] ?? []).length;
  return {
    embeddingSize: dim,
    labels: entries.map(([key, rows]) => {
      const [domain, identity] = key.split('/') as [string, string];
      return { domain, identity, vectors: Float32Array.from(rows.flat()) };
    }),
  };
}

const deg = (a: number): number[] => [Math.cos((a * Math.PI) / 180), Math.sin((a * Math.PI) / 180)];
const cosd = (a: number): number => Math.cos((a * Math.PI) / 180);
const pairKeys = (pairs: readonly IdMergePair[]): string[] => pairs.map((p) => `${p.a.domain}/${p.a.identity}~${p.b.domain}/${p.b.identity}`);

describe('classCentres', () => {
  it('is the normalised mean of the normalised rows (hand-computed)', () => {
    // Rows [3, 4] and [0, 2] normalise to [0.6, 0.8] and [0, 1]; mean [0.3, 0.9]; norm √0.9.
    const [c] = classCentres(embeddings({ 'd/x': [[3, 4], [0, 2]] }));
    expect(c?.samples).toBe(2);
    expect(c?.centre[0]).toBeCloseTo(0.3 / Math.sqrt(0.9), 6);
    expect(c?.centre[1]).toBeCloseTo(0.9 / Math.sqrt(0.9), 6);
  });

  it('rejects bad embeddings with a DataError naming the label and row', () => {
    const one = (vectors: Float32Array, embeddingSize = 2): EmbeddingSet => ({ embeddingSize, labels: [{ domain: 'd', identity: 'x', vectors }] });
    expect(() => classCentres(one(Float32Array.from([1, 2, 3])))).toThrow(/embeddings\/d\/x: 3 values is not a positive multiple of embeddingSize 2/);
    expect(() => classCentres(one(new Float32Array(0)))).toThrow(DataError);
    expect(() => classCentres(one(Float32Array.from([1, 0, Number.NaN, 1])))).toThrow(/embeddings\/d\/x#1: embedding value 0 is NaN/);
    expect(() => classCentres(one(Float32Array.from([1, 0, 0, 0])))).toThrow(/d\/x#1: embedding is all zeros/);
    expect(() => classCentres(one(Float32Array.from([1, 0, -1, 0])))).toThrow(/d\/x: the 2 sample embeddings cancel out/);
    expect(() => classCentres(one(Float32Array.from([1, 0]), 0))).toThrow(ConfigError);
    expect(() => classCentres({ embeddingSize: 2, labels: [] })).toThrow(/no labels/);
    const twice = { embeddingSize: 2, labels: [0, 1].map(() => ({ domain: 'd', identity: 'x', vectors: Float32Array.from([1, 0]) })) };
    expect(() => classCentres(twice)).toThrow(/d\/x: label listed twice/);
  });
});

describe('NearestTwo', () => {
  it('keeps the best label and the best label of another identity', () => {
    const n = new NearestTwo();
    n.offer(0, 'K1', 0.5);
    n.offer(1, 'K2', 0.8); // new best of another key: 0.5 becomes the runner-up
    n.offer(2, 'K2', 0.9); // same key as the best: replaces it, runner-up unchanged
    expect([n.best, n.bestSimilarity, n.runnerUpSimilarity]).toEqual([2, 0.9, 0.5]);
    n.offer(3, 'K1', 0.95); // K1 overtakes: the old best (K2, 0.9) is the runner-up
    expect([n.best, n.bestSimilarity, n.runnerUpSimilarity]).toEqual([3, 0.95, 0.9]);
    n.offer(4, 'K3', 0.9); // ties do not displace
    expect([n.best, n.runnerUpSimilarity]).toEqual([3, 0.9]);
  });
});

describe('findIdMerges', () => {
  it('reports mutual nearest centres only: a one-sided nearest is not a pair', () => {
    // a1 0°, a2 90° | b1 30°, b2 10°. b1's nearest is a1, but a1's nearest is b2;
    // a2's nearest is b1, but b1's is a1. Only a1 ~ b2 is mutual.
    const report = findIdMerges(embeddings({ 'A/a1': [deg(0)], 'A/a2': [deg(90)], 'B/b1': [deg(30)], 'B/b2': [deg(10)] }), { threshold: -1 });
    expect(pairKeys(report.pairs)).toEqual(['A/a1~B/b2']);
    const [p] = report.pairs;
    expect(p?.similarity).toBeCloseTo(cosd(10), 6);
    // Runner-ups: a1's second in B is b1 (cos 30°); b2's second in A is a2 (cos 80°).
    expect(p?.margin).toBeCloseTo(cosd(10) - cosd(30), 6);
    expect(p?.a).toEqual({ domain: 'A', identity: 'a1', source: 'A', samples: 1 });
    expect(p?.b).toEqual({ domain: 'B', identity: 'b2', source: 'B', samples: 1 });
    expect(report.belowThreshold).toEqual([]);
    expect(report.sources).toEqual(['A', 'B']);
    expect(report.labels).toBe(4);
  });

  it('includes a pair exactly at the threshold and excludes it just above', () => {
    const set = embeddings({ 'A/x': [[1, 0]], 'B/y': [[0.6, 0.8]] });
    const s = findIdMerges(set, { threshold: -1 }).pairs[0]?.similarity as number;
    expect(s).toBeCloseTo(0.6, 7);
    const at = findIdMerges(set, { threshold: s });
    expect(pairKeys(at.pairs)).toEqual(['A/x~B/y']);
    expect(at.threshold).toEqual({ value: s, mode: 'given', impostors: null, split: null });
    const above = findIdMerges(set, { threshold: s + 1e-12 });
    expect(above.pairs).toEqual([]);
    expect(pairKeys(above.belowThreshold)).toEqual(['A/x~B/y']);
    expect(above.belowThreshold[0]?.margin).toBeNull(); // no second identity anywhere
  });

  it('breaks ties towards the earlier label, deterministically', () => {
    const report = findIdMerges(embeddings({ 'A/a': [[1, 0]], 'B/b1': [[1, 0]], 'B/b2': [[1, 0]] }), { threshold: 0.5 });
    expect(pairKeys(report.pairs)).toEqual(['A/a~B/b1']);
    expect(report.pairs[0]?.margin).toBe(0); // b2 is just as close: no confidence at all
  });

  it('derives the auto threshold from the within-source nearest other identity (hand-computed quantiles)', () => {
    // Source A: nearest-impostor similarities √½, √½, √½; source B: 0.8, 0.8.
    const set = embeddings({
      'A/a1': [[1, 0, 0]],
      'A/a2': [[0, 1, 0]],
      'A/a3': [[1, 1, 0]],
      'B/b1': [[0, 0, 1]],
      'B/b2': [[0.6, 0, 0.8]],
    });
    const r = Math.SQRT1_2;
    const auto = findIdMerges(set);
    expect(auto.threshold.mode).toBe('auto');
    // q 0.99 of [r, r, r, .8, .8]: h = 3.96 → between two 0.8s; no pair above it, so the tail is the threshold.
    expect(auto.threshold.value).toBeCloseTo(0.8, 6);
    expect(auto.threshold.split).toBeNull();
    expect(auto.threshold.impostors).toMatchObject({ labels: 5, quantile: 0.99 });
    expect(auto.threshold.impostors?.median).toBeCloseTo(r, 6);
    expect(auto.threshold.impostors?.max).toBeCloseTo(0.8, 6);
    const q60 = findIdMerges(set, { autoQuantile: 0.6 });
    expect(q60.threshold.value).toBeCloseTo(r + 0.4 * (0.8 - r), 6); // h = 2.4
    // The only mutual pair is a1 ~ b2 at 0.6 (b2's nearest is a1, not a3 at 0.6·√½), below either threshold.
    expect(auto.pairs).toEqual([]);
    expect(pairKeys(auto.belowThreshold)).toEqual(['A/a1~B/b2']);
    expect(auto.belowThreshold[0]?.similarity).toBeCloseTo(0.6, 6);
    // A given threshold still reports the impostor statistics as context.
    expect(findIdMerges(set, { threshold: 0.3 }).threshold).toMatchObject({ value: 0.3, mode: 'given', impostors: { labels: 5 } });
    expect(pairKeys(findIdMerges(set, { threshold: 0.3 }).pairs)).toEqual(['A/a1~B/b2']);
  });

  it('treats labels sharing an identity key as one person: counted as known matches, never impostors', () => {
    // Domains d1 and d2 list the same two people; d3 holds z, a near copy of x.
    const set = embeddings({
      'd1/x': [[1, 0, 0]],
      'd1/y': [[0, 1, 0]],
      'd2/x': [[0.99, 0.1, 0.1]],
      'd2/y': [[0.1, 0.99, 0]],
      'd3/z': [[0.98, 0, 0.2]],
      'd3/w': [[0, 0, 1]],
    });
    const bySource = findIdMerges(set, { threshold: 0.9, sources: { d1: 'S', d2: 'S' } });
    expect(bySource.sources).toEqual(['S', 'd3']);
    expect(bySource.knownMatches).toEqual({ total: 0, confirmed: 0 });
    // z's nearest in S is d2/x (0.990, vs 0.980 for d1/x); x ~ z is the only pair.
    expect(pairKeys(bySource.pairs)).toEqual(['d2/x~d3/z']);
    // The runner-up of z in S is y (another key), not the other x: the margin is large.
    expect(bySource.pairs[0]?.margin).toBeGreaterThan(0.5);
    // Same-key labels are not impostors: S's nearest other identity is x vs y (~0.1-0.2), d3's is z vs w (~0.2).
    expect(bySource.threshold.impostors?.max).toBeLessThan(0.25);

    const byDomain = findIdMerges(set, { threshold: 0.9 });
    expect(byDomain.sources).toEqual(['d1', 'd2', 'd3']);
    expect(byDomain.knownMatches).toEqual({ total: 2, confirmed: 2 }); // d1~d2: x and y
    expect(pairKeys(byDomain.pairs).sort()).toEqual(['d1/x~d3/z', 'd2/x~d3/z']);
    expect(formatIdMergeReport(byDomain)).toMatch(/already sharing an identity across sources: 2\/2 confirmed/);
  });

  it('sorts pairs by decreasing similarity and lists the pair from the earlier source first', () => {
    const set = embeddings({ 'B/p': [deg(0)], 'B/q': [deg(90)], 'A/r': [deg(85)], 'A/s': [deg(20)] });
    const report = findIdMerges(set, { threshold: 0 });
    expect(report.sources).toEqual(['B', 'A']);
    expect(pairKeys(report.pairs)).toEqual(['B/q~A/r', 'B/p~A/s']);
    expect(report.pairs.map((p) => p.similarity)).toEqual([expect.closeTo(cosd(5), 6), expect.closeTo(cosd(20), 6)]);
    expect(formatIdMergeReport(report)).toMatch(/2 suspected duplicate\(s\)[\s\S]*0\.996[\s\S]*B\/q \(1\)\s+~\s+A\/r \(1\)/);
  });

  it('limits the review list of pairs below the threshold', () => {
    const set = embeddings({ 'A/p': [deg(0)], 'A/q': [deg(90)], 'B/r': [deg(80)], 'B/s': [deg(20)] });
    expect(findIdMerges(set, { threshold: 1 }).belowThreshold).toHaveLength(2);
    expect(pairKeys(findIdMerges(set, { threshold: 1, reviewLimit: 1 }).belowThreshold)).toEqual(['A/q~B/r']);
    expect(findIdMerges(set, { threshold: 1, reviewLimit: 0 }).belowThreshold).toEqual([]);
  });

  it('rejects bad options with a ConfigError naming the field', () => {
    const set = embeddings({ 'A/x': [[1, 0]], 'B/y': [[0, 1]] });
    expect(() => findIdMerges(set, { threshold: 1.5 })).toThrow(/threshold: must be a cosine similarity in \[-1, 1\] or "auto", got 1.5/);
    expect(() => findIdMerges(set, { threshold: Number.NaN })).toThrow(ConfigError);
    expect(() => findIdMerges(set)).toThrow(/threshold: "auto" needs a source with at least two identities/);
    expect(() => findIdMerges(set, { autoQuantile: 0 })).toThrow(/autoQuantile: must be in \(0, 1\]/);
    expect(() => findIdMerges(set, { threshold: 0, reviewLimit: -1 })).toThrow(/reviewLimit/);
    expect(() => findIdMerges(set, { threshold: 0, sources: { A: 'S', B: 'S' } })).toThrow(/sources: all labels belong to one source \("S"\)/);
    expect(() => findIdMerges(set, { threshold: 0, sources: (d) => (d === 'A' ? '' : d) })).toThrow(/sources\.A: expected a non-empty source name/);
  });
});

describe('autoThreshold', () => {
  it("splits the tail and the pairs above it by Otsu's method (hand-computed)", () => {
    // [0, 1, 2, 10]: n₁n₂(μ₁−μ₂)² = 56.3, 121, 243 for k = 1, 2, 3 → 10 stands apart.
    expect(otsuSplit([0, 1, 2, 10])).toBe(3);
    // [0, 0.1, 0.9, 1]: k = 2 (2·2·0.8² = 2.56 vs 3·0.6² = 1.08 at k = 1 and 3).
    expect(otsuSplit([0, 0.1, 0.9, 1])).toBe(2);
    expect(otsuSplit([5, 5])).toBe(1);
    expect(() => otsuSplit([1])).toThrow(RangeError);
    // A tail of 0.3, a look-alike just above it, two duplicates well above: threshold in the middle of the gap.
    expect(autoThreshold(0.3, [0.1, 0.31, 0.9, 0.95])).toEqual({ value: (0.31 + 0.9) / 2, split: { below: 0.31, above: 0.9 } });
    // One pair above the tail: between the tail and it.
    expect(autoThreshold(0.3, [0.2, 0.5])).toEqual({ value: 0.4, split: { below: 0.3, above: 0.5 } });
    // Nothing above the tail: the tail.
    expect(autoThreshold(0.3, [0.1, 0.29])).toEqual({ value: 0.3, split: null });
  });

  it('is used by findIdMerges: copies stand apart, a look-alike just above the impostor tail does not', () => {
    // Source A: x 0°, y 90°, w 180°. Source B: xc and yc, near copies of x and y (3° off), and v at 140°,
    // a look-alike of w (40° off) — mutual nearest with w, and more similar than B's own yc and v (47° apart).
    const set = embeddings({
      'A/x': [deg(0)],
      'A/y': [deg(90)],
      'A/w': [deg(180)],
      'B/xc': [deg(3)],
      'B/yc': [deg(93)],
      'B/v': [deg(140)],
    });
    const report = findIdMerges(set);
    // Nearest other identity in one's own source: 0, 0, 0 (A), 0, cos 47°, cos 47° (B): the q99 tail is cos 47°.
    expect(report.threshold.impostors?.atQuantile).toBeCloseTo(cosd(47), 6);
    // Tail and candidates [cos 47°, cos 40°, cos 3°, cos 3°] split by Otsu between cos 40° and cos 3°
    // (n₁n₂(μ₁−μ₂)² = 0.171, 0.302, 0.101 for k = 1, 2, 3).
    expect(report.threshold.split?.below).toBeCloseTo(cosd(40), 6);
    expect(report.threshold.split?.above).toBeCloseTo(cosd(3), 6);
    expect(report.threshold.value).toBeCloseTo((cosd(40) + cosd(3)) / 2, 6);
    expect(pairKeys(report.pairs)).toEqual(['A/x~B/xc', 'A/y~B/yc']);
    expect(pairKeys(report.belowThreshold)).toEqual(['A/w~B/v']);
    expect(formatIdMergeReport(report)).toMatch(/threshold 0\.882 \(auto, in the gap between 0\.766 and 0\.999\)/);
  });
});

describe('quantile', () => {
  it('interpolates between order statistics (R type 7)', () => {
    expect(quantile([4, 1, 3, 2], 0)).toBe(1);
    expect(quantile([4, 1, 3, 2], 1)).toBe(4);
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([10], 0.3)).toBe(10);
    expect(() => quantile([], 0.5)).toThrow(RangeError);
  });
});
