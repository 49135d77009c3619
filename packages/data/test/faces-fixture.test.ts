import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Rng } from '@metadg/core';
import {
  DOMAIN_PRESETS,
  FACES_FIXTURE_DOMAINS,
  batchToImages,
  buildTransform,
  datasetStats,
  facesFixtureRoot,
  formatStats,
  loaderReportOf,
  makeVerificationPairs,
  openFacesFixture,
  writeContactSheet,
  type Image,
} from '../src/index.js';
import { maxAbsDiff, tempDir, useCpuBackend } from './helpers.js';

beforeAll(useCpuBackend);
let cleanup: (() => Promise<void>) | undefined;
afterAll(async () => cleanup?.());

const PEOPLE = ['John_Salley', 'John_Savage', 'John_Schneider', 'John_Shimkus', 'John_Simm'];

async function loadOne(ds: Awaited<ReturnType<typeof openFacesFixture>>, domain: string, identity: string, index: number): Promise<Image> {
  const t = await ds.load([{ domain, identity, index }]);
  const [image] = await batchToImages(t);
  t.dispose();
  return image as Image;
}

describe('the bundled face fixture', () => {
  it('holds 55 JPEGs of 5 people (11 each) and an attribution note quoting the licence', () => {
    const root = facesFixtureRoot();
    expect(readdirSync(join(root, 'clean')).sort()).toEqual(PEOPLE);
    for (const p of PEOPLE) expect(readdirSync(join(root, 'clean', p)).filter((f) => f.endsWith('.jpg'))).toHaveLength(11);
    const note = readFileSync(join(root, 'ATTRIBUTION.md'), 'utf8');
    expect(note).toMatch(/Files: examples\/\*/);
    expect(note).toMatch(/License: Creative-Commons-Public-Domain/);
    expect(note).toMatch(/libdlib19\.1/);
  });

  it('loads through the image-folder loader as 4 domains × 5 identities × 11 samples of 150×150×3', async () => {
    const ds = await openFacesFixture();
    expect(ds.name).toBe('faces-johns');
    expect(ds.domains).toEqual(['clean', 'nir', 'low-res', 'occluded']);
    expect(ds.sampleShape).toEqual([150, 150, 3]);
    for (const d of ds.domains) expect(ds.identities(d)).toEqual(PEOPLE.map((id) => ({ id, samples: 11 })));
    const report = loaderReportOf(ds);
    expect(report?.root).toBe(facesFixtureRoot());
    expect(report?.images).toBe(55);
    expect(report?.skipped).toEqual([]);
    const stats = datasetStats(ds);
    expect(stats.samples).toBe(220);
    expect(stats.identitiesInAllDomains).toBe(5);
    expect(formatStats(stats)).toMatch(/clean\s+5\s+55\s+11/);
  });

  it('clean samples are the photos themselves (150×150, no resampling)', async () => {
    const ds = await openFacesFixture({ domains: ['clean'] });
    const file = join(facesFixtureRoot(), 'clean', 'John_Simm', readdirSync(join(facesFixtureRoot(), 'clean', 'John_Simm')).sort()[2]!);
    const raw = await sharp(file).removeAlpha().raw().toBuffer();
    const image = await loadOne(ds, 'clean', 'John_Simm', 2);
    expect(maxAbsDiff(image.data, Array.from(raw, (v) => v / 255))).toBeLessThan(1e-6);
  });

  it('derived domains are the preset transforms of the clean photos', async () => {
    const ds = await openFacesFixture({ domains: ['clean', 'nir', 'occluded', 'low-res'] });
    const clean = await loadOne(ds, 'clean', 'John_Savage', 4);
    const nir = await loadOne(ds, 'nir', 'John_Savage', 4);
    const expected = await buildTransform(DOMAIN_PRESETS['nir']!)(clean, new Rng(0));
    expect(maxAbsDiff(nir.data, expected.data)).toBeLessThan(1e-6);
    for (let i = 0; i < nir.data.length; i += 3) expect(nir.data[i]).toBe(nir.data[i + 1]); // monochrome
    const occluded = await loadOne(ds, 'occluded', 'John_Savage', 4);
    // Band rows round(0.22·150) = 33 … round(0.38·150) − 1 = 56 are filled; rows outside are untouched.
    const row = (im: Image, y: number) => im.data.subarray(y * 450, (y + 1) * 450);
    expect(maxAbsDiff(row(occluded, 33), new Array(450).fill(0.05))).toBeLessThan(1e-6);
    expect(maxAbsDiff(row(occluded, 56), new Array(450).fill(0.05))).toBeLessThan(1e-6);
    expect(maxAbsDiff(row(occluded, 32), row(clean, 32))).toBe(0);
    expect(maxAbsDiff(row(occluded, 57), row(clean, 57))).toBe(0);
    const low = await loadOne(ds, 'low-res', 'John_Savage', 4);
    // High-frequency energy: squared horizontal second differences.
    const detail = (im: Image): number => {
      let s = 0;
      const at = (y: number, x: number, c: number): number => im.data[(y * im.width + x) * 3 + c] as number;
      for (let y = 0; y < im.height; y++) {
        for (let x = 1; x < im.width - 1; x++) {
          for (let c = 0; c < 3; c++) s += (at(y, x - 1, c) - 2 * at(y, x, c) + at(y, x + 1, c)) ** 2;
        }
      }
      return s;
    };
    expect(detail(low)).toBeLessThan(0.2 * detail(clean));
  });

  it('smaller sizes, grey, other domains and order; unknown domains are ConfigErrors', async () => {
    const ds = await openFacesFixture({ imageSize: 48, channels: 1, domains: ['jpeg', 'clean', 'dark'] });
    expect(ds.domains).toEqual(['jpeg', 'clean', 'dark']);
    const t = await ds.load([{ domain: 'jpeg', identity: 'John_Simm', index: 0 }, { domain: 'dark', identity: 'John_Simm', index: 0 }]);
    expect(t.shape).toEqual([2, 48, 48, 1]);
    t.dispose();
    expect(FACES_FIXTURE_DOMAINS).toContain('greyscale');
    await expect(openFacesFixture({ domains: ['clean', 'sepia'] })).rejects.toThrow(ConfigError);
    await expect(openFacesFixture({ domains: ['clean', 'clean'] })).rejects.toThrow(/twice/);
  });

  it('gives balanced verification pairs and keeps the tensor count flat over loads', async () => {
    const ds = await openFacesFixture({ imageSize: 32 });
    const pairs = makeVerificationPairs(ds, 'nir', { positives: 30, seed: 1 });
    expect(pairs).toHaveLength(60);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) {
      const g = await ds.load(pairs.slice(i * 15, i * 15 + 15).map((p) => p.gallery));
      const p = await ds.load(pairs.slice(i * 15, i * 15 + 15).map((q) => q.probe));
      tf.dispose([g, p]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('writeContactSheet', () => {
  it('writes a PNG grid: a row per domain, the same person down each column, tiles at their places', async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    const ds = await openFacesFixture({ imageSize: 40 });
    const file = join(t.dir, 'sub', 'sheet.png');
    // No labels: tiles then sit at x = 4 + c·(64 + 4), y = r·(80 + 4) … with 40 px tiles enlarged ×2 to 80 px.
    const info = await writeContactSheet(ds, file, { perDomain: 5, seed: 3, labels: false, minTileSize: 64 });
    expect(existsSync(file)).toBe(true);
    const meta = await sharp(file).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', info.width, info.height]);
    expect(info.width).toBe(4 + 5 * (80 + 4));
    expect(info.height).toBe(4 * (80 + 4) + 4);
    expect(info.grid).toHaveLength(4);
    for (let c = 0; c < 5; c++) expect(new Set(info.grid.map((row) => row[c]!.identity)).size).toBe(1);
    expect(new Set(info.grid[0]!.map((r) => r.identity)).size).toBe(5);
    const { data } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const sample = await loadOne(ds, info.grid[2]![3]!.domain, info.grid[2]![3]!.identity, info.grid[2]![3]!.index);
    // Pixel (y = 10, x = 7) of that sample is drawn at 2× zoom.
    const sx = 4 + 3 * 84 + 14;
    const sy = 2 * 84 + 20;
    const sheetPixel = data[(sy * info.width + sx) * 3];
    expect(sheetPixel).toBe(Math.round((sample.data[(10 * 40 + 7) * 3] as number) * 255));
  });

  it('labels rows and captions tiles when asked, within the same layout budget', async () => {
    const t = await tempDir();
    const ds = await openFacesFixture({ imageSize: 40, domains: ['clean', 'low-res'] });
    const info = await writeContactSheet(ds, join(t.dir, 's.png'), { perDomain: 3 });
    expect(info.width).toBeGreaterThan(4 + 3 * 84);
    await t.cleanup();
    await expect(writeContactSheet(ds, join(t.dir, 'x.png'), { perDomain: 0 })).rejects.toThrow(/perDomain/);
  });
});
