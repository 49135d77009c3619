import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PluginError,
  PluginRegistry,
  Rng,
  buildTask,
  instantiate,
  memoryLogger,
  parseRunConfig,
  validateHparams,
  type PluginContext,
} from '@metadg/core';
import { facesFixturePlugin, imageFolderPlugin, metadgPlugins } from '../src/index.js';
import { tempDir, useCpuBackend, writeFolder } from './helpers.js';

beforeAll(useCpuBackend);
let root: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir());
  await writeFolder(root, ['a', 'b'], ['p', 'q'], 2);
});
afterAll(async () => cleanup());

function context(log = memoryLogger()): PluginContext & { log: ReturnType<typeof memoryLogger> } {
  return {
    rng: new Rng(5),
    log,
    config: undefined as never, // dataset plugins do not read the run config
    baseDir: process.cwd(),
    get: () => Promise.reject(new Error('not needed')),
    losses: async () => [],
  };
}

describe('metadgPlugins', () => {
  it('registers two dataset plugins', () => {
    const registry = new PluginRegistry().register(metadgPlugins);
    expect(metadgPlugins.packageName).toBe('@metadg/data');
    expect(registry.list('dataset').map((e) => e.manifest.name)).toEqual(['faces-fixture', 'image-folder']);
  });

  it('fills defaults and names a bad or unknown hyper-parameter', () => {
    expect(validateHparams(imageFolderPlugin, { root: '/x' })).toMatchObject({
      root: '/x',
      imageSize: 112,
      channels: 3,
      strict: false,
      cacheBytes: 256 * 1024 * 1024,
      derived: [],
    });
    expect(() => validateHparams(imageFolderPlugin, { root: '/x', imagesize: 64 })).toThrow(PluginError);
    expect(() => validateHparams(imageFolderPlugin, {})).toThrow(/hparams\.root/);
    expect(() => validateHparams(imageFolderPlugin, { root: '/x', derived: [{ name: 'n', from: 'a' }] })).toThrow(/exactly one of/);
    expect(() => validateHparams(facesFixturePlugin, { domains: ['clean', 'sepia'] })).toThrow(/hparams\.domains/);
    expect(validateHparams(facesFixturePlugin, {})).toMatchObject({ imageSize: 150, domains: ['clean', 'nir', 'low-res', 'occluded'] });
  });
});

describe('image-folder plugin', () => {
  it('opens the folder, prints its statistics, and adds derived domains', async () => {
    const ctx = context();
    const ds = await instantiate(imageFolderPlugin, {
      root,
      imageSize: 16,
      derived: [
        { name: 'a-nir', from: 'a', preset: 'nir' },
        { name: 'b-dark', from: 'b', transforms: [{ kind: 'gamma', gamma: 3 }] },
      ],
    }, ctx);
    expect(ds.domains).toEqual(['a', 'b', 'a-nir', 'b-dark']);
    expect(ds.identities('b-dark')).toEqual(ds.identities('b'));
    expect(ctx.log.lines.some((l) => l.startsWith('info: dataset ') && l.includes('identities shared'))).toBe(true);
    const t = await ds.load([{ domain: 'a-nir', identity: 'q', index: 1 }]);
    const v = await t.data();
    expect(v[0]).toBe(v[1]);
    t.dispose();
  });

  it('applies a merge map (relative to the config directory) before deriving domains', async () => {
    writeFileSync(
      join(root, '..', 'merge.json'),
      JSON.stringify({ kind: 'metadg-id-merge-map', version: 1, mapping: { q: 'p' } }),
    );
    const ctx = { ...context(), baseDir: join(root, '..') };
    const ds = await instantiate(imageFolderPlugin, {
      root,
      imageSize: 8,
      mergeMap: 'merge.json',
      derived: [{ name: 'a-nir', from: 'a', preset: 'nir' }],
    }, ctx);
    expect(ds.identities('a').map((i) => [i.id, i.samples])).toEqual([['p', 4]]);
    expect(ds.identities('a-nir').map((i) => i.id)).toEqual(['p']);
    await expect(
      instantiate(imageFolderPlugin, { root, imageSize: 8, mergeMap: 'nope.json' }, ctx),
    ).rejects.toThrow(/nope\.json: cannot read merge map/);
  });

  it('works as the dataset of a run: held-out domain and label space', async () => {
    const ds = await instantiate(imageFolderPlugin, { root, imageSize: 8 }, context());
    const config = parseRunConfig({
      dataset: { name: 'image-folder', hparams: { root } },
      split: { heldOut: ['b'] },
      backbone: { name: 'x' },
      losses: [{ name: 'x' }],
      sampler: { name: 'x' },
      algorithm: { name: 'x' },
    });
    const task = buildTask(ds, config);
    expect(task.sourceDomains).toEqual(['a']);
    expect(task.labels.identities).toEqual(['p', 'q']);
  });
});

describe('faces-fixture plugin', () => {
  it('creates the multi-domain face fixture', async () => {
    const ds = await instantiate(facesFixturePlugin, { imageSize: 24, domains: ['clean', 'blur'] }, context());
    expect(ds.domains).toEqual(['clean', 'blur']);
    expect(ds.sampleShape).toEqual([24, 24, 3]);
    expect(ds.identities('blur')).toHaveLength(5);
  });
});
