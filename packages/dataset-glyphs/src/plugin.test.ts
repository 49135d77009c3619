import { Rng, validateHparams, type PluginContext } from '@metadg/core';
import { describe, expect, it } from 'vitest';
import type { GlyphDataset } from './glyph-dataset.js';
import { glyphsPlugin, metadgPlugins } from './plugin.js';

const fakeContext = (seed: number): PluginContext =>
  ({
    rng: new Rng(seed),
    log: { info: () => {}, warn: () => {}, debug: () => {}, error: () => {} },
  }) as unknown as PluginContext;

describe('glyphs plugin', () => {
  it('is exported as a dataset plugin of @metadg/dataset-glyphs', () => {
    expect(metadgPlugins.packageName).toBe('@metadg/dataset-glyphs');
    expect(metadgPlugins.plugins.map((p) => [p.kind, p.name])).toEqual([['dataset', 'glyphs']]);
  });

  it('fills defaults and rejects unknown or out-of-range hyper-parameters', () => {
    const parsed = glyphsPlugin.hparams.safeParse({});
    expect(parsed.success).toBe(true);
    if (parsed.success) {
      expect(parsed.data).toMatchObject({ imageSize: 32, samplesPerIdentity: 20, rotation: 10, weightJitter: true });
      expect(parsed.data.seed).toBeUndefined();
      expect(parsed.data.cacheDir).toBeUndefined();
    }
    expect(glyphsPlugin.hparams.safeParse({ imageSzie: 32 }).success).toBe(false);
    expect(glyphsPlugin.hparams.safeParse({ imageSize: 4 }).success).toBe(false);
    expect(() => validateHparams(glyphsPlugin, { samplesPerIdentity: 0 })).toThrow(/samplesPerIdentity/);
  });

  it('creates the dataset, seeded by the run stream unless a seed is given', async () => {
    const h = glyphsPlugin.hparams.safeParse({ samplesPerIdentity: 3, maxIdentities: 20 });
    if (!h.success) throw new Error('defaults must parse');
    const a = (await glyphsPlugin.create(h.data, fakeContext(1))) as GlyphDataset;
    const b = (await glyphsPlugin.create(h.data, fakeContext(2))) as GlyphDataset;
    expect(a.identities('sans')).toHaveLength(20);
    const ref = { domain: 'sans', identity: a.identities('sans')[3]!.id, index: 1 };
    expect(a.describeSample(ref)).not.toEqual(b.describeSample(ref));
    const fixed = glyphsPlugin.hparams.safeParse({ seed: 9 });
    if (!fixed.success) throw new Error('seed must parse');
    const c = (await glyphsPlugin.create(fixed.data, fakeContext(1))) as GlyphDataset;
    const d = (await glyphsPlugin.create(fixed.data, fakeContext(2))) as GlyphDataset;
    expect(c.describeSample(ref)).toEqual(d.describeSample(ref));
  });
});
