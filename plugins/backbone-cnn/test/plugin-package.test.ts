// The package as a user meets it: registered in a PluginRegistry and built by
// core's composition root from a run config.
import * as tf from '@tensorflow/tfjs-core';
import { composeRun, definePlugin, definePluginPackage, parseRunConfig, PluginRegistry, silentLogger, z, type Backbone } from '@metadg/core';
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
// The other components a run config needs; created lazily, so never built here.
const stubs = definePluginPackage({
  packageName: '@metadg-test/stubs',
  version: '0.0.0',
  plugins: [
    definePlugin({ kind: 'dataset', name: 'glyph-shaped', version: '0.0.0', description: '28×28×1', hparams: z.object({}), create: () => shapeOnlyDataset([28, 28, 1]) }),
    definePlugin({ kind: 'loss', name: 'stub-loss', version: '0.0.0', description: '', hparams: z.object({}), create: unused }),
    definePlugin({ kind: 'sampler', name: 'stub-sampler', version: '0.0.0', description: '', hparams: z.object({}), create: unused }),
    definePlugin({ kind: 'meta-optimizer', name: 'stub-algo', version: '0.0.0', description: '', hparams: z.object({}), create: unused }),
  ],
});

async function backboneFromConfig(backbone: object, seed = 1): Promise<Backbone> {
  const registry = new PluginRegistry().register(metadgPlugins).register(stubs);
  const config = parseRunConfig({
    seed,
    dataset: { name: 'glyph-shaped' },
    split: { heldOut: ['b'] },
    backbone,
    losses: [{ name: 'stub-loss' }],
    sampler: { name: 'stub-sampler' },
    algorithm: { name: 'stub-algo' },
  });
  const run = await composeRun(config, { registry, log: silentLogger });
  return run.get('backbone');
}

describe('@metadg/backbone-cnn plugin package', () => {
  it('provides small-cnn and reference-cnn backbones', () => {
    expect(metadgPlugins.packageName).toBe('@metadg/backbone-cnn');
    const registry = new PluginRegistry().register(metadgPlugins);
    expect(registry.list('backbone').map((p) => p.manifest.name)).toEqual(['reference-cnn', 'small-cnn']);
  });

  it('builds small-cnn from a run config, shaped by the dataset, reproducibly per seed', async () => {
    const a = await backboneFromConfig({ name: 'small-cnn', hparams: { channels: [16, 32], embeddingSize: 64 } }, 5);
    const b = await backboneFromConfig({ name: 'small-cnn', hparams: { channels: [16, 32], embeddingSize: 64 } }, 5);
    const c = await backboneFromConfig({ name: 'small-cnn', hparams: { channels: [16, 32], embeddingSize: 64 } }, 6);
    expect(a.inputShape).toEqual([28, 28, 1]);
    expect(a.embeddingSize).toBe(64);
    const kernel = (x: Backbone): number[] => Array.from((x.params['conv1/kernel'] as tf.Variable).dataSync());
    expect(kernel(a)).toEqual(kernel(b));
    expect(kernel(a)).not.toEqual(kernel(c));
    [a, b, c].forEach((x) => x.dispose());
  });

  it('reports a misspelt hyper-parameter before building anything', async () => {
    await expect(backboneFromConfig({ name: 'small-cnn', hparams: { channel: [8] } })).rejects.toThrow(/small-cnn.*channel: unknown hyper-parameter/);
  });
});
