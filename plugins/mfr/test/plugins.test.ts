// The package as a user meets it: registered in a PluginRegistry and composed
// from a run config next to a dataset and a backbone plugin.
import * as tf from '@tensorflow/tfjs-core';
import {
  PluginError,
  PluginRegistry,
  Rng,
  composeRun,
  definePlugin,
  definePluginPackage,
  parseRunConfig,
  silentLogger,
  validateHparams,
  z,
  type Loss,
  type RunConfigInput,
} from '@metadg/core';
import { crossEntropyWithLogits, initBackend } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { metadgPlugins } from '../src/index.js';
import { denseBackbone, memoryDataset } from './helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

/** Test-only dataset, backbone and an alternative classification loss. */
const testPackage = definePluginPackage({
  packageName: '@metadg-test/mfr-host',
  version: '1.0.0',
  plugins: [
    definePlugin({
      kind: 'dataset',
      name: 'mem',
      version: '1.0.0',
      description: '4 domains × 12 identities × 3 samples of 2×2×1',
      hparams: z.object({}),
      create: () => memoryDataset({ domains: ['d0', 'd1', 'd2', 'd3'], identities: 12 }),
    }),
    definePlugin({
      kind: 'backbone',
      name: 'dense',
      version: '1.0.0',
      description: 'tanh MLP',
      hparams: z.object({ width: z.number().int().default(6) }),
      create: (h) => denseBackbone([2, 2, 1], 8, h.width),
    }),
    definePlugin({
      kind: 'loss',
      name: 'plain-softmax',
      version: '1.0.0',
      description: 'a linear softmax classifier on the gallery embeddings (stands in for any classification loss)',
      hparams: z.object({}),
      async create(_h, ctx): Promise<Loss> {
        const task = await ctx.get('task');
        const backbone = await ctx.get('backbone');
        const W = tf.variable(tf.zeros([backbone.embeddingSize, task.labels.size]));
        return {
          name: 'plain-softmax',
          params: { W },
          phases: ['meta-train', 'meta-test', 'pooled'],
          compute(batches, embeddings, params) {
            const terms = embeddings.map((e, i) =>
              e.kind === 'pairs' ? crossEntropyWithLogits(tf.matMul(e.gallery, (params['W'] ?? W) as tf.Tensor2D), batches[i]!.labels) : tf.scalar(0),
            );
            const value = tf.div(tf.addN(terms), terms.length) as tf.Scalar;
            return { value, parts: { softmax: value } };
          },
          dispose: () => W.dispose(),
        };
      },
    }),
  ],
});

const registry = (): PluginRegistry => new PluginRegistry().register(testPackage).register(metadgPlugins);

const baseConfig: RunConfigInput = {
  seed: 3,
  dataset: { name: 'mem' },
  split: { heldOut: ['d3'] },
  backbone: { name: 'dense' },
  losses: [
    { name: 'hard-pair', hparams: { tau: 0.3 } },
    { name: 'soft-classification', hparams: { scale: 8 } },
    { name: 'domain-alignment', weight: 0.1, hparams: { scale: 2 } },
  ],
  sampler: { name: 'mfr-sampler', hparams: { batchSize: 4 } },
  algorithm: { name: 'mfr', hparams: { lr: 0.05, alpha: 0.1 } },
  train: { steps: 30, logEvery: 100 },
};

async function train(config: RunConfigInput) {
  const run = await composeRun(parseRunConfig(config), { registry: registry(), log: silentLogger });
  const trainer = await run.trainer();
  await trainer.train({ to: 1 });
  const tensors = tf.memory().numTensors;
  const history = await trainer.train({ from: 1 });
  const leaked = tf.memory().numTensors - tensors;
  trainer.algorithm.dispose();
  (await run.losses()).forEach((l) => l.dispose());
  (await run.get('backbone')).dispose();
  return { history, leaked };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('@metadg/plugin-mfr in a composed run', () => {
  it('registers its five plugins', () => {
    expect(registry().list().filter((p) => p.packageName === '@metadg/plugin-mfr').map((p) => `${p.manifest.kind}:${p.manifest.name}`)).toEqual([
      'loss:domain-alignment',
      'loss:hard-pair',
      'loss:soft-classification',
      'sampler:mfr-sampler',
      'meta-optimizer:mfr',
    ]);
  });

  it('gives every hyper-parameter a default with a source, and search draws that validate', () => {
    const rng = new Rng(8);
    for (const plugin of metadgPlugins.plugins) {
      const defaults = validateHparams(plugin, {});
      const sources = (plugin.hparamSources ?? {}) as Record<string, string | undefined>;
      for (const key of Object.keys(defaults)) expect(sources[key], `${plugin.name}.${key}`).toBeTruthy();
      for (let i = 0; i < 10; i++) {
        const draw = Object.fromEntries(
          Object.entries(plugin.hparamSpace ?? {}).map(([k, f]) => [k, (f as (r: Rng) => unknown)(rng)]),
        );
        expect(() => validateHparams(plugin, draw)).not.toThrow();
      }
    }
  });

  it('trains from a run config: loss goes down, weights λ apply, tensors stay flat, runs repeat exactly', async () => {
    const a = await train(baseConfig);
    expect(a.leaked).toBe(0);
    const losses = a.history.map((m) => m.loss);
    expect(mean(losses.slice(-5))).toBeLessThan(mean(losses.slice(0, 5)));
    for (const m of a.history) {
      // λ_da = 0.1 is applied by core to the term; parts stay unweighted.
      expect(m.parts['metaTrain/total']).toBeCloseTo(m.parts['metaTrain/hardPair']! + m.parts['metaTrain/softCls']! + 0.1 * m.parts['metaTrain/domainAlign']!, 4);
      expect(m.images).toBe(3 * 2 * 4);
    }
    const b = await train(baseConfig);
    expect(b.history.map((m) => m.loss)).toEqual(losses);
  });

  it('swaps one loss for another by name in the config', async () => {
    const { history } = await train({
      ...baseConfig,
      losses: [{ name: 'hard-pair' }, { name: 'plain-softmax' }],
      train: { steps: 5, logEvery: 100 },
    });
    expect(Object.keys(history[0]!.parts)).toContain('metaTest/softmax');
    expect(Object.keys(history[0]!.parts)).not.toContain('metaTrain/softCls');
  });

  it('fails before any work on invalid hyper-parameters, naming plugin and field', async () => {
    await expect(
      composeRun(parseRunConfig({ ...baseConfig, sampler: { name: 'mfr-sampler', hparams: { batchSize: 1 } } }), { registry: registry() }),
    ).rejects.toThrow(new PluginError('PLUGIN_HPARAMS_INVALID', 'mfr-sampler', 'must be ≥ 2 (hard negatives need two pairs)', 'batchSize'));
    await expect(
      composeRun(parseRunConfig({ ...baseConfig, algorithm: { name: 'mfr', hparams: { gamma: 2 } } }), { registry: registry() }),
    ).rejects.toThrow('plugin "mfr", hparams.gamma: must be in [0, 1]');
  });
});
