import { describe, expect, it } from 'vitest';
import { toyBackbone, toyLoss, toyPackage } from '../../test/toy-plugins.js';
import { PluginError } from '../errors.js';
import { definePlugin, z } from '../index.js';
import { PluginRegistry, validateHparams } from './registry.js';

function pluginError(fn: () => unknown): PluginError {
  try {
    fn();
  } catch (err) {
    if (err instanceof PluginError) return err;
    throw err;
  }
  throw new Error('expected a PluginError');
}

describe('PluginRegistry', () => {
  it('registers a package and finds plugins by kind and name', () => {
    const r = new PluginRegistry().register(toyPackage);
    expect(r.get('backbone', 'toy-linear').description).toMatch(/dense/);
    expect(r.list('loss').map((p) => p.manifest.name)).toEqual(['toy-ce']);
    expect(r.list().map((p) => p.manifest.kind)).toEqual(['dataset', 'backbone', 'loss', 'sampler', 'meta-optimizer']);
  });

  it('refuses two plugins providing the same name, naming both packages', () => {
    const r = new PluginRegistry().register(toyPackage);
    const e = pluginError(() => r.add(toyBackbone, '@someone/other'));
    expect(e.code).toBe('PLUGIN_DUPLICATE');
    expect(e.message).toBe(
      'plugin "toy-linear": backbone provided twice, by "@metadg-test/toy" (1.0.0) and by "@someone/other" (1.0.0)',
    );
  });

  it('accepts the same package version twice, but not two versions of it', () => {
    const r = new PluginRegistry().register(toyPackage).register(toyPackage);
    expect(r.list('backbone')).toHaveLength(1);
    expect(() => r.add({ ...toyBackbone, version: '2.0.0' }, '@metadg-test/toy')).toThrow(
      /provided twice, by "@metadg-test\/toy" \(1\.0\.0\) and by "@metadg-test\/toy" \(2\.0\.0\)/,
    );
  });

  it('allows the same name for different kinds', () => {
    const r = new PluginRegistry().add(toyLoss, 'a').add({ ...toyBackbone, name: 'toy-ce' }, 'b');
    expect(r.has('loss', 'toy-ce') && r.has('backbone', 'toy-ce')).toBe(true);
  });

  it('names a missing plugin and lists the available ones', () => {
    const r = new PluginRegistry().register(toyPackage);
    const e = pluginError(() => r.get('backbone', 'resnet'));
    expect(e.code).toBe('PLUGIN_NOT_FOUND');
    expect(e.message).toMatch(/^plugin "resnet": no backbone plugin with this name is registered \(available: toy-linear\)/);
  });

  it('rejects malformed manifests', () => {
    const bad = { ...toyLoss, version: 'one' };
    expect(() => new PluginRegistry().add(bad, 'pkg')).toThrow(/version must be semver \(e\.g\. 1\.0\.0\) \(package "pkg"\)/);
    const badKind = { ...toyLoss, kind: 'optimizer' } as unknown as typeof toyLoss;
    expect(() => new PluginRegistry().add(badKind, 'pkg')).toThrow(/kind must be one of/);
  });
});

describe('validateHparams', () => {
  it('fills defaults', () => {
    expect(validateHparams(toyBackbone, {})).toEqual({ width: 3 });
    expect(validateHparams(toyBackbone, undefined)).toEqual({ width: 3 });
  });

  it('names an unknown hyper-parameter', () => {
    const e = pluginError(() => validateHparams(toyBackbone, { widht: 4 }));
    expect(e.field).toBe('widht');
    expect(e.message).toBe('plugin "toy-linear", hparams.widht: unknown hyper-parameter');
  });

  it('names a wrong type', () => {
    const e = pluginError(() => validateHparams(toyBackbone, { width: '4' }));
    expect(e.field).toBe('width');
    expect(e.message).toBe('plugin "toy-linear", hparams.width: Expected number, received string');
  });

  it('names an out-of-range value', () => {
    const sampler = definePlugin({
      kind: 'sampler',
      name: 's',
      version: '0.1.0',
      description: '',
      hparams: z.object({ batchSize: z.number().int().positive().default(8) }),
      create: () => ({ name: 's', sample: () => Promise.reject(new Error('unused')) }),
    });
    const e = pluginError(() => validateHparams(sampler, { batchSize: -4 }));
    expect(e.message).toBe('plugin "s", hparams.batchSize: Number must be greater than 0');
  });
});
