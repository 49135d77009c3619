// End-to-end ID-merge on datasets with identities duplicated on purpose:
// embed → find → merge map → apply. The embedding is a fixed random
// projection of standardised pixels (no trained model is needed to spot
// near-copies, and the data package must not depend on a backbone plugin).
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng, type DomainDataset, type SampleShape } from '@metadg/core';
import { useCpuBackend } from '../../test/helpers.js';
import { batchToImages } from '../dataset/batch.js';
import { InMemoryDataset } from '../dataset/in-memory.js';
import { openFacesFixture } from '../faces-fixture.js';
import type { Image } from '../image/image.js';
import { gammaLighting } from '../transforms/colour.js';
import { gaussianBlur } from '../transforms/degradation.js';
import { embedDataset, type EmbeddingModel } from './embed-dataset.js';
import { findIdMerges, type FindIdMergesOptions, type IdMergeReport } from './find-merges.js';
import { formatIdMergeReport } from './format.js';
import { applyMergeMap, buildMergeMap, parseMergeMap, serializeMergeMap } from './merge-map.js';

beforeAll(useCpuBackend);

/**
 * x ↦ W · standardise(flatten(x)), W fixed Gaussian [H·W·C, dim] / √(H·W·C):
 * a Johnson–Lindenstrauss sketch of the pixels' correlation, so cosine
 * similarity ≈ correlation of the two images (brightness and contrast removed).
 */
function randomProjection(shape: SampleShape, dim: number, seed: number): EmbeddingModel & { dispose(): void } {
  const size = shape[0] * shape[1] * shape[2];
  const w = tf.tensor2d(new Rng(seed).normalArray(size * dim, 1 / Math.sqrt(size)), [size, dim]);
  return {
    name: `projection(seed ${seed})`,
    inputShape: shape,
    embeddingSize: dim,
    embed: (x) =>
      tf.tidy(() => {
        const flat = tf.reshape(x, [x.shape[0], size]);
        const { mean, variance } = tf.moments(flat, 1, true);
        return tf.matMul(tf.div(tf.sub(flat, mean), tf.sqrt(tf.add(variance, 1e-6))), w);
      }),
    dispose: () => w.dispose(),
  };
}

/** The identity pairs a report found, as sorted `a~b` strings of identity keys. */
const foundPairs = (report: IdMergeReport): string[] => [...new Set(report.pairs.map((p) => [p.a.identity, p.b.identity].sort().join('~')))].sort();

/** Distinct identity keys over all domains. */
const identityCount = (ds: DomainDataset): number => new Set(ds.domains.flatMap((d) => ds.identities(d).map((i) => i.id))).size;

const pack = (images: readonly Image[]): Float32Array => {
  const size = images[0]?.data.length ?? 0;
  const out = new Float32Array(images.length * size);
  images.forEach((im, i) => out.set(im.data, i * size));
  return out;
};

/** The whole pipeline as a user (or the CLI) would run it. */
async function detect(ds: DomainDataset, seed: number, options: FindIdMergesOptions = {}): Promise<IdMergeReport> {
  const model = randomProjection(ds.sampleShape, 256, seed);
  try {
    return findIdMerges(await embedDataset(ds, model, { batchSize: 16 }), options);
  } finally {
    model.dispose();
  }
}

describe('ID merge on synthetic identities with two planted duplicates', () => {
  const S = 16;
  // Source "archive" (domains vis and nir) holds p01…p08; source "web" holds new
  // people q01…q06 plus web-17 and web-42: re-filed copies of p03 and p06.
  /** An identity's face stand-in: mildly smoothed white noise, rescaled to [0.1, 0.9]. */
  function prototype(rng: Rng): Float32Array {
    const noise: Image = { height: S, width: S, channels: 1, data: rng.normalArray(S * S) };
    const smooth = gaussianBlur(noise, { sigma: 0.7 }).data;
    const lo = Math.min(...smooth);
    const hi = Math.max(...smooth);
    return smooth.map((v) => 0.1 + (0.8 * (v - lo)) / (hi - lo));
  }
  function samplesOf(proto: Float32Array, rng: Rng, n: number): Image[] {
    return Array.from({ length: n }, () => {
      const shift = rng.uniform(-0.1, 0.1);
      const data = proto.map((v) => Math.min(1, Math.max(0, v + shift + rng.normal() * 0.06)));
      return { height: S, width: S, channels: 1, data };
    });
  }
  function build(planted: boolean): InMemoryDataset {
    const rng = new Rng('planted-synthetic');
    const people = Array.from({ length: 8 }, (_, k) => `p0${k + 1}`);
    const vis = new Map(people.map((p) => [p, samplesOf(prototype(rng.fork(p)), rng.fork(`${p}/samples`), 6)]));
    const nirOf = (im: Image): Image => gammaLighting(im, { gamma: 1.8 });
    // The web source is another camera: softer, brighter.
    const webOf = (im: Image): Image => gaussianBlur(gammaLighting(im, { gamma: 0.7 }), { sigma: 0.8 });
    const web: Record<string, Float32Array> = {};
    for (let k = 1; k <= 6; k++) web[`q0${k}`] = pack(samplesOf(prototype(rng.fork(`q${k}`)), rng.fork(`q${k}/samples`), 5).map(webOf));
    if (planted) {
      web['web-17'] = pack((vis.get('p03') as Image[]).map(webOf));
      web['web-42'] = pack((vis.get('p06') as Image[]).slice(0, 4).map(webOf));
    }
    return new InMemoryDataset({
      name: 'planted',
      sampleShape: [S, S, 1],
      samples: {
        vis: Object.fromEntries(people.map((p) => [p, pack(vis.get(p) as Image[])])),
        nir: Object.fromEntries(people.map((p) => [p, pack((vis.get(p) as Image[]).map(nirOf))])),
        web,
      },
    });
  }
  const SOURCES = { vis: 'archive', nir: 'archive', web: 'web' };

  it('finds exactly the planted pairs, with a merge map that removes two identities', async () => {
    const ds = build(true);
    const report = await detect(ds, 1, { sources: SOURCES });
    expect(report.sources).toEqual(['archive', 'web']);
    expect(report.threshold.mode).toBe('auto');
    expect(foundPairs(report)).toEqual(['p03~web-17', 'p06~web-42']);
    for (const p of report.pairs) {
      expect(p.a.source).toBe('archive');
      expect(p.similarity).toBeGreaterThanOrEqual(report.threshold.value);
      expect(p.margin).toBeGreaterThan(0);
    }
    expect(report.pairs.find((p) => p.b.identity === 'web-42')?.b.samples).toBe(4);

    const map = parseMergeMap(JSON.parse(serializeMergeMap(buildMergeMap(report))));
    expect(map.mapping).toEqual({ 'web-17': 'p03', 'web-42': 'p06' });
    expect(map.threshold).toBe(report.threshold.value);
    const merged = applyMergeMap(ds, map);
    expect(identityCount(ds)).toBe(16);
    expect(identityCount(merged)).toBe(16 - 2);
    expect(merged.identities('web').map((i) => i.id)).toEqual(['p03', 'p06', 'q01', 'q02', 'q03', 'q04', 'q05', 'q06']);
  });

  it('with every domain its own source: the same two merges, and vis/nir confirmed as one set of people', async () => {
    const report = await detect(build(true), 2);
    expect(report.sources).toEqual(['vis', 'nir', 'web']);
    expect(foundPairs(report)).toEqual(['p03~web-17', 'p06~web-42']);
    expect(report.knownMatches).toEqual({ total: 8, confirmed: 8 });
    expect(buildMergeMap(report).mapping).toEqual({ 'web-17': 'p03', 'web-42': 'p06' });
  });

  it('reports nothing when nothing is planted', async () => {
    const report = await detect(build(false), 1, { sources: SOURCES });
    expect(report.pairs).toEqual([]);
    expect(buildMergeMap(report).mapping).toEqual({});
  });
});

describe('ID merge on the face fixture with two planted duplicates', () => {
  const S = 32;
  let photos: Map<string, Image[]>;
  let people: string[];

  beforeAll(async () => {
    const faces = await openFacesFixture({ imageSize: S, channels: 1, domains: ['clean'] });
    people = faces.identities('clean').map((i) => i.id);
    photos = new Map();
    for (const p of people) {
      const batch = await faces.load(Array.from({ length: 11 }, (_, index) => ({ domain: 'clean', identity: p, index })));
      photos.set(p, await batchToImages(batch));
      batch.dispose();
    }
  });

  /**
   * Source "archive": the first three people. Source "scraped" (another
   * camera: darker, softer): the other two people, and — if planted — the
   * first two people's photos filed again as "dup-x" and "dup-y".
   */
  function build(planted: boolean): InMemoryDataset {
    const [p0, p1, p2, p3, p4] = people as [string, string, string, string, string];
    const camera = (im: Image): Image => gaussianBlur(gammaLighting(im, { gamma: 1.6 }), { sigma: 1 });
    const scraped = (p: string): Float32Array => pack((photos.get(p) as Image[]).map(camera));
    return new InMemoryDataset({
      name: 'faces-planted',
      sampleShape: [S, S, 1],
      samples: {
        archive: Object.fromEntries([p0, p1, p2].map((p) => [p, pack(photos.get(p) as Image[])])),
        scraped: { [p3]: scraped(p3), [p4]: scraped(p4), ...(planted ? { 'dup-x': scraped(p0), 'dup-y': scraped(p1) } : {}) },
      },
    });
  }

  it.each([1, 2, 3])('finds the planted duplicates and no others (projection seed %i)', async (seed) => {
    const ds = build(true);
    const report = await detect(ds, seed);
    expect(report.pairs.map((p) => `${p.a.identity}~${p.b.identity}`).sort()).toEqual([`${people[0]}~dup-x`, `${people[1]}~dup-y`]);
    expect(report.pairs.every((p) => p.a.domain === 'archive' && p.b.domain === 'scraped')).toBe(true);
    // The threshold separates the copies from every other pair of people.
    expect(report.threshold.split).not.toBeNull();
    const map = buildMergeMap(report);
    expect(map.mapping).toEqual({ 'dup-x': people[0], 'dup-y': people[1] });
    expect(identityCount(ds)).toBe(7);
    expect(identityCount(applyMergeMap(ds, map))).toBe(5);
  });

  it.each([1, 2, 3])('finds nothing when nobody is duplicated (projection seed %i)', async (seed) => {
    const report = await detect(build(false), seed);
    expect(report.pairs).toEqual([]);
    expect(formatIdMergeReport(report)).toMatch(/no suspected duplicates/);
  });
});
