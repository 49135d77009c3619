import { Rng, validateHparams, type PluginContext } from '@metadg/core';
import { describe, expect, it } from 'vitest';
import type { ClassDomainDataset } from './class-dataset.js';
import { coloredMnistPlugin, metadgPlugins, rotatedMnistPlugin } from './plugin.js';

const ctx = (seed: number): PluginContext => ({ rng: new Rng(seed) }) as unknown as PluginContext;

describe('MNIST plugins', () => {
  it('exports rotated-mnist and colored-mnist dataset plugins', () => {
    expect(metadgPlugins.packageName).toBe('@metadg/dataset-mnist');
    expect(metadgPlugins.plugins.map((p) => `${p.kind}:${p.name}`)).toEqual(['dataset:rotated-mnist', 'dataset:colored-mnist']);
  });

  it("defaults to DomainBed's environments and rejects unknown hyper-parameters", () => {
    expect(validateHparams(rotatedMnistPlugin, {})).toEqual({ angles: [0, 15, 30, 45, 60, 75] });
    expect(validateHparams(coloredMnistPlugin, {})).toEqual({ environments: [0.1, 0.2, 0.9], labelNoise: 0.25 });
    expect(() => validateHparams(rotatedMnistPlugin, { angle: [0] })).toThrow(/angle/);
    expect(() => validateHparams(coloredMnistPlugin, { labelNoise: 2 })).toThrow(/labelNoise/);
  });

  it('creates datasets seeded by the run stream unless a seed is given', async () => {
    const h = validateHparams(coloredMnistPlugin, {});
    const a = (await coloredMnistPlugin.create(h, ctx(1))) as ClassDomainDataset;
    const b = (await coloredMnistPlugin.create(h, ctx(2))) as ClassDomainDataset;
    const sig = (ds: ClassDomainDataset): string => ds.domains.map((d) => ds.identities(d).map((i) => i.samples).join('/')).join(' ');
    expect(sig(a)).not.toBe(sig(b));
    const fixed = validateHparams(coloredMnistPlugin, { seed: 3 });
    expect(sig((await coloredMnistPlugin.create(fixed, ctx(1))) as ClassDomainDataset)).toBe(
      sig((await coloredMnistPlugin.create(fixed, ctx(2))) as ClassDomainDataset),
    );
    const r = (await rotatedMnistPlugin.create(validateHparams(rotatedMnistPlugin, { angles: [0, 90] }), ctx(1))) as ClassDomainDataset;
    expect(r.domains).toEqual(['0', '90']);
  });
});
