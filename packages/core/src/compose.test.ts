import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { toyConfig, toyPackage } from '../test/toy-plugins.js';
import { composeRun } from './compose.js';
import { parseRunConfig } from './config/load-config.js';
import { ConfigError } from './errors.js';
import { memoryLogger, silentLogger } from './logger.js';
import { PluginRegistry } from './plugin/registry.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const registry = () => new PluginRegistry().register(toyPackage);

async function train(seed: number) {
  const run = await composeRun(parseRunConfig({ ...toyConfig, seed }), { registry: registry(), log: silentLogger });
  const trainer = await run.trainer();
  const history = await trainer.train();
  (await run.get('backbone')).dispose();
  trainer.algorithm.dispose();
  return history.map((m) => m.loss);
}

describe('composeRun', () => {
  it('wires dataset → task → backbone → losses → sampler → algorithm and trains', async () => {
    const run = await composeRun(parseRunConfig(toyConfig), { registry: registry(), log: silentLogger });
    const task = await run.get('task');
    expect(task.sourceDomains).toEqual(['a', 'b']);
    expect(task.heldOutDomains).toEqual(['c']);
    expect(task.labels.size).toBe(4);
    // Singletons: the algorithm and the trainer see the same backbone instance.
    expect(await run.get('backbone')).toBe(await run.get('backbone'));
    const history = await (await run.trainer()).train();
    expect(history).toHaveLength(5);
    expect(history[4]!.loss).toBeLessThan(history[0]!.loss);
    expect(history[0]!.images).toBe(2 * 2 * 2);
  });

  it('is reproducible bit for bit: same seed, same losses; other seed, other losses', async () => {
    const a = await train(3);
    const b = await train(3);
    const c = await train(4);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('keeps the tensor count flat over training', async () => {
    const run = await composeRun(parseRunConfig({ ...toyConfig, train: { steps: 30, logEvery: 100 } }), {
      registry: registry(),
      log: silentLogger,
    });
    const trainer = await run.trainer();
    await trainer.train({ to: 2 });
    const before = tf.memory().numTensors;
    await trainer.train({ from: 2, to: 30 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reports progress through the logger', async () => {
    const log = memoryLogger();
    const run = await composeRun(parseRunConfig({ ...toyConfig, train: { steps: 4, logEvery: 2 } }), {
      registry: registry(),
      log,
    });
    await (await run.trainer()).train();
    expect(log.lines.filter((l) => l.startsWith('info: step'))).toHaveLength(2);
  });

  it('hands the backbone to decorateBackbone once, and every component gets the decorated one', async () => {
    let calls = 0;
    let embedded = 0;
    const run = await composeRun(parseRunConfig(toyConfig), {
      registry: registry(),
      log: silentLogger,
      decorateBackbone: async (inner) => {
        calls++;
        return {
          ...inner,
          name: inner.name,
          embed: (x, params) => {
            embedded++;
            return inner.embed(x, params);
          },
          dispose: () => inner.dispose(),
        };
      },
    });
    const backbone = await run.get('backbone');
    expect(await run.get('backbone')).toBe(backbone);
    await (await run.trainer()).train();
    expect(calls).toBe(1);
    // The algorithm trained through the decorated backbone.
    expect(embedded).toBeGreaterThan(0);
    backbone.dispose();
    (await run.trainer()).algorithm.dispose();
  });

  it('fails before any work on a missing plugin, naming the config field', async () => {
    const config = parseRunConfig({ ...toyConfig, losses: [{ name: 'arcface' }] });
    await expect(composeRun(config, { registry: registry() })).rejects.toThrow(
      new ConfigError('losses[0].name', 'plugin "arcface": no loss plugin with this name is registered (available: toy-ce); add the package that provides it to "plugins" in the run config'),
    );
  });

  it('fails before any work on bad hyper-parameters, naming plugin and field', async () => {
    const config = parseRunConfig({ ...toyConfig, sampler: { name: 'toy-sampler', hparams: { batchSize: -2 } } });
    await expect(composeRun(config, { registry: registry() })).rejects.toThrow(
      'plugin "toy-sampler", hparams.batchSize: Number must be greater than 0',
    );
  });

  it('names an unknown held-out domain', async () => {
    const run = await composeRun(parseRunConfig({ ...toyConfig, split: { heldOut: ['z'] } }), { registry: registry() });
    await expect(run.get('task')).rejects.toThrow('split.heldOut[0]: unknown domain "z" (dataset "toy" has: a, b, c)');
  });

  it('names a plugin package that is not installed', async () => {
    const config = parseRunConfig({ ...toyConfig, plugins: ['@nobody/metadg-nothing'] });
    await expect(composeRun(config, { registry: registry(), searchFrom: ['/tmp'] })).rejects.toThrow(
      /plugin "@nobody\/metadg-nothing": package not installed .*npm install @nobody\/metadg-nothing/,
    );
  });
});
