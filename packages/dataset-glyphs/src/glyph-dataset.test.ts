import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DataError, type SampleRef } from '@metadg/core';
import { initBackend } from '@metadg/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GLYPH_DOMAINS, referenceWeight } from './domains.js';
import { createGlyphDataset } from './glyph-dataset.js';
import { renderGlyph } from './preview.js';
import { NO_JITTER } from './render/pose.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const refsFor = (domains: readonly string[], ids: readonly string[], n: number): SampleRef[] =>
  domains.flatMap((domain) => ids.flatMap((identity) => Array.from({ length: n }, (_, index) => ({ domain, identity, index }))));

describe('glyphs dataset', () => {
  const ds = createGlyphDataset({ seed: 42 });

  it('has 5 font-style domains × ≥ 450 identities, sorted, with the configured sample count', () => {
    expect(ds.name).toBe('glyphs');
    expect(ds.domains).toEqual(['serif', 'sans', 'mono', 'handwriting', 'display']);
    expect(ds.sampleShape).toEqual([32, 32, 1]);
    for (const d of ds.domains) {
      const ids = ds.identities(d);
      expect(ids.length).toBeGreaterThanOrEqual(450);
      expect(ids.every((i) => i.samples === 20)).toBe(true);
      const keys = ids.map((i) => i.id);
      expect(keys).toEqual([...keys].sort());
    }
    expect(ds.members('U+0041')).toEqual([0x41, 0x410]);
  });

  it('loads float32 NHWC images in [0, 1]: white glyph on a black background', async () => {
    const refs = refsFor(['serif', 'handwriting'], ['U+0041', 'U+0436'], 2);
    const x = await ds.load(refs);
    expect(x.shape).toEqual([8, 32, 32, 1]);
    expect(x.dtype).toBe('float32');
    const v = (await x.data()) as Float32Array;
    x.dispose();
    let min = Infinity;
    let max = -Infinity;
    for (const a of v) {
      min = Math.min(min, a);
      max = Math.max(max, a);
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    for (let i = 0; i < refs.length; i++) {
      const img = v.subarray(i * 1024, (i + 1) * 1024);
      expect(img[0]).toBe(0); // corner: background
      let ink = 0;
      for (const a of img) ink += a;
      expect(ink).toBeGreaterThan(15); // a real glyph, not a blank
      expect(ink).toBeLessThan(0.5 * 1024); // mostly background
    }
  });

  it('same seed ⇒ identical bytes (fresh instances); another seed ⇒ different renders', async () => {
    const refs = refsFor(ds.domains, ['U+0026', 'U+0046', 'U+0444', 'U+1EA0'], 3);
    const a = await createGlyphDataset({ seed: 7 }).load(refs);
    const b = await createGlyphDataset({ seed: 7 }).load(refs);
    const c = await createGlyphDataset({ seed: 8 }).load(refs);
    const [va, vb, vc] = await Promise.all([a.data(), b.data(), c.data()]);
    tf.dispose([a, b, c]);
    expect(Buffer.from(va.buffer).equals(Buffer.from(vb.buffer))).toBe(true);
    expect(Buffer.from(va.buffer).equals(Buffer.from(vc.buffer))).toBe(false);
    // The same ref loaded alone or in a batch gives the same image.
    const one = ds.renderBytes([refs[5] as SampleRef]);
    const batch = ds.renderBytes(refs);
    expect(Buffer.from(one).equals(Buffer.from(batch.subarray(5 * 1024, 6 * 1024)))).toBe(true);
  });

  it('samples differ within an identity (jitter, family, weight) and families take turns', () => {
    const specs = Array.from({ length: 20 }, (_, index) => ds.describeSample({ domain: 'mono', identity: 'U+0067', index }));
    const perFamily = new Map<string, number>();
    for (const s of specs) perFamily.set(s.family.id, (perFamily.get(s.family.id) ?? 0) + 1);
    expect([...perFamily.values()].sort()).toEqual([6, 7, 7]);
    for (const s of specs) {
      expect(s.family.weights).toContain(s.weight);
      expect(GLYPH_DOMAINS.find((d) => d.name === 'mono')!.families).toContain(s.family);
    }
    expect(new Set(specs.map((s) => s.pose.rotation)).size).toBe(20);
    const bytes = ds.renderBytes(specs.map((s) => ({ domain: s.domain, identity: s.identity, index: s.index })));
    const distinct = new Set(Array.from({ length: 20 }, (_, i) => Buffer.from(bytes.subarray(i * 1024, (i + 1) * 1024)).toString('base64')));
    expect(distinct.size).toBe(20);
  });

  it('without jitter a sample is exactly the canonical render of its family', () => {
    const plain = createGlyphDataset({ seed: 1, jitter: NO_JITTER, weightJitter: false });
    const ref = { domain: 'display', identity: 'U+0052', index: 4 };
    const spec = plain.describeSample(ref);
    expect(spec.weight).toBe(referenceWeight(spec.family));
    const direct = renderGlyph('R', { family: spec.family });
    const got = Float32Array.from(plain.renderBytes([ref]), (v) => v / 255);
    expect(got).toEqual(direct.data);
  });

  it('keeps the tensor count flat across loads', async () => {
    const refs = refsFor(['sans'], ['U+0030', 'U+0031'], 4);
    (await ds.load(refs)).dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) (await ds.load(refs)).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad refs and options with typed errors naming the field', async () => {
    await expect(ds.load([{ domain: 'gothic', identity: 'U+0041', index: 0 }])).rejects.toThrow(/refs\[0\]\.domain: unknown domain "gothic"/);
    await expect(ds.load([{ domain: 'sans', identity: 'A', index: 0 }])).rejects.toThrow(DataError);
    await expect(ds.load([{ domain: 'sans', identity: 'U+0041', index: 20 }])).rejects.toThrow(/refs\[0\]\.index: 20 is outside \[0, 20\)/);
    expect(() => ds.identities('gothic')).toThrow(DataError);
    expect(() => createGlyphDataset({ samplesPerIdentity: 0 })).toThrow(ConfigError);
    expect(() => createGlyphDataset({ imageSize: 4 })).toThrow(/imageSize/);
    expect(() => createGlyphDataset({ jitter: { rotation: -1 } })).toThrow(/jitter\.rotation/);
    expect(() => createGlyphDataset({ domains: [{ name: 'a', families: [] }] })).toThrow(/domains\[0\]\.families/);
  });

  it('honours imageSize, samplesPerIdentity and maxIdentities', async () => {
    const small = createGlyphDataset({ seed: 3, imageSize: 20, samplesPerIdentity: 5, maxIdentities: 50 });
    expect(small.sampleShape).toEqual([20, 20, 1]);
    expect(small.identities('serif')).toHaveLength(50);
    expect(small.identities('serif')[0]).toEqual({ id: 'U+0021', samples: 5 });
    const id = small.identities('serif')[10]!.id;
    const x = await small.load([{ domain: 'serif', identity: id, index: 4 }]);
    expect(x.shape).toEqual([1, 20, 20, 1]);
    x.dispose();
  });
});

describe('on-disk render cache', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'glyph-cache-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is off by default, writes one file per (domain, identity), and serves identical bytes', () => {
    const refs = refsFor(['serif', 'mono'], ['U+0041', 'U+0042'], 3);
    const fresh = createGlyphDataset({ seed: 5, samplesPerIdentity: 4 }).renderBytes(refs);
    const writer = createGlyphDataset({ seed: 5, samplesPerIdentity: 4, cacheDir: dir });
    expect(Buffer.from(writer.renderBytes(refs)).equals(Buffer.from(fresh))).toBe(true);
    const [key] = readdirSync(dir);
    expect(readdirSync(join(dir, key!, 'serif')).sort()).toEqual(['U%2B0041.u8', 'U%2B0042.u8']);
    // A truncated file is re-rendered, not trusted.
    writeFileSync(join(dir, key!, 'serif', 'U%2B0041.u8'), new Uint8Array(10));
    const reader = createGlyphDataset({ seed: 5, samplesPerIdentity: 4, cacheDir: dir });
    expect(Buffer.from(reader.renderBytes(refs)).equals(Buffer.from(fresh))).toBe(true);
    // Another seed gets its own cache directory.
    createGlyphDataset({ seed: 6, samplesPerIdentity: 4, cacheDir: dir }).renderBytes(refs.slice(0, 1));
    expect(readdirSync(dir)).toHaveLength(2);
  });
});
