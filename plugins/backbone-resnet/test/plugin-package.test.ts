// The package as a user meets it: registered and built by core's composition root.
import { composeRun, definePlugin, definePluginPackage, parseRunConfig, PluginRegistry, silentLogger, z } from '@metadg/core';
import { initBackend } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { metadgPlugins } from '../src/index.js';
import { shapeOnlyDataset } from './helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const unused = (): never => {
  throw new Error('not used by these tests');
};
const stubs = definePluginPackage({
  packageName: '@metadg-test/stubs',
  version: '0.0.0',
  plugins: [
    definePlugin({ kind: 'dataset', name: 'faces-112', version: '0.0.0', description: '112×112×3', hparams: z.object({}), create: () => shapeOnlyDataset([112, 112, 3]) }),
    definePlugin({ kind: 'loss', name: 'stub-loss', version: '0.0.0', description: '', hparams: z.object({}), create: unused }),
    definePlugin({ kind: 'sampler', name: 'stub-sampler', version: '0.0.0', description: '', hparams: z.object({}), create: unused }),
    definePlugin({ kind: 'meta-optimizer', name: 'stub-algo', version: '0.0.0', description: '', hparams: z.object({}), create: unused }),
  ],
});

describe('@metadg/backbone-resnet plugin package', () => {
  it('provides the resnet backbone, built from a run config with the dataset input shape', async () => {
    expect(metadgPlugins.packageName).toBe('@metadg/backbone-resnet');
    const registry = new PluginRegistry().register(metadgPlugins).register(stubs);
    expect(registry.list('backbone').map((p) => p.manifest.name)).toEqual(['resnet']);
    const config = parseRunConfig({
      dataset: { name: 'faces-112' },
      split: { heldOut: ['b'] },
      backbone: { name: 'resnet', hparams: { blocksPerStage: [1, 1, 1, 1], embeddingSize: 256 } },
      losses: [{ name: 'stub-loss' }],
      sampler: { name: 'stub-sampler' },
      algorithm: { name: 'stub-algo' },
    });
    const run = await composeRun(config, { registry, log: silentLogger });
    const backbone = await run.get('backbone');
    expect(backbone.inputShape).toEqual([112, 112, 3]);
    expect(backbone.embeddingSize).toBe(256);
    expect(Object.keys(backbone.params)).toContain('stage4/block1/proj/kernel');
    backbone.dispose();
  });
});
