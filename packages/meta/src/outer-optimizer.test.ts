import * as tf from '@tensorflow/tfjs-core';
import { DataError, PluginError, ShapeError, definePlugin, validateHparams, z } from '@metadg/core';
import { initBackend } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { relError, values } from './testing.js';
import { OUTER_OPTIMIZERS, createOuterOptimizer, outerOptimizerShape, type OuterOptimizerHparams } from './outer-optimizer.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const hp = (over: Partial<OuterOptimizerHparams>): OuterOptimizerHparams => ({
  optimizer: 'sgd',
  lr: 0.1,
  momentum: 0.9,
  nesterov: false,
  weightDecay: 0,
  ...over,
});

function vars(): Record<string, tf.Variable> {
  return { 'backbone/a': tf.variable(tf.tensor1d([1, 2])), 'loss/x/W': tf.variable(tf.tensor2d([[3]])) };
}

const grads = (a: number[], w: number): Record<string, tf.Tensor> => ({
  'backbone/a': tf.tensor1d(a),
  'loss/x/W': tf.tensor2d([[w]]),
});

function step(opt: ReturnType<typeof createOuterOptimizer>, a: number[], w: number): void {
  const g = grads(a, w);
  opt.apply(g);
  tf.dispose(Object.values(g));
}

describe('createOuterOptimizer', () => {
  it('sgd with weight decay: θ ← θ − lr·(g + wd·θ) (hand-computed)', () => {
    const v = vars();
    const opt = createOuterOptimizer(v, hp({ weightDecay: 0.5 }));
    step(opt, [1, -1], 2);
    // a: (1, 2) − 0.1·((1, −1) + 0.5·(1, 2)) = (1 − 0.15, 2 − 0.0) = (0.85, 2.0); W: 3 − 0.1·(2 + 1.5) = 2.65
    expect(relError(values(v['backbone/a']!), [0.85, 2])).toBeLessThan(1e-6);
    expect(v['loss/x/W']!.dataSync()[0]).toBeCloseTo(2.65, 6);
    opt.dispose();
    tf.dispose(Object.values(v));
  });

  it('momentum, two steps (hand-computed): v ← m·v + g, θ ← θ − lr·v', () => {
    const v = vars();
    const opt = createOuterOptimizer(v, hp({ optimizer: 'momentum', momentum: 0.5 }));
    step(opt, [1, 0], 0);
    step(opt, [1, 0], 0);
    // v1 = 1, θ1 = 1 − 0.1 = 0.9; v2 = 0.5 + 1 = 1.5, θ2 = 0.9 − 0.15 = 0.75
    expect(v['backbone/a']!.dataSync()[0]).toBeCloseTo(0.75, 6);
    expect(v['backbone/a']!.dataSync()[1]).toBeCloseTo(2, 6);
    opt.dispose();
    tf.dispose(Object.values(v));
  });

  it('releases every tensor it made on dispose, for every optimizer', () => {
    for (const optimizer of OUTER_OPTIMIZERS) {
      const v = vars();
      const before = tf.memory().numTensors;
      const opt = createOuterOptimizer(v, hp({ optimizer }));
      step(opt, [1, 1], 1);
      opt.dispose();
      expect(tf.memory().numTensors, optimizer).toBe(before);
      tf.dispose(Object.values(v));
    }
  });

  it('keeps the tensor count flat across updates', () => {
    const v = vars();
    const opt = createOuterOptimizer(v, hp({ optimizer: 'adam', weightDecay: 1e-3 }));
    step(opt, [1, 1], 1);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step(opt, [1, 1], 1);
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
    tf.dispose(Object.values(v));
  });

  for (const optimizer of OUTER_OPTIMIZERS) {
    it(`${optimizer}: state under stable names resumes exactly in a fresh optimizer`, async () => {
      const a = vars();
      const optA = createOuterOptimizer(a, hp({ optimizer, momentum: 0.8 }));
      step(optA, [1, -2], 0.5);
      step(optA, [0.3, 1], -1);
      const state = await optA.getState();
      const slots = { sgd: [], momentum: ['momentum'], adam: ['m', 'v'], rmsprop: ['rms', 'momentum'], adagrad: ['accumulator'] }[optimizer];
      expect(state.map((s) => s.name)).toEqual(['iter', ...slots.flatMap((s) => [`backbone/a/${s}`, `loss/x/W/${s}`])]);
      // A new run: fresh variables (other tf names) with the same values, fresh optimizer, restored state.
      const b = vars();
      b['backbone/a']!.assign(a['backbone/a']!);
      b['loss/x/W']!.assign(a['loss/x/W']!);
      const optB = createOuterOptimizer(b, hp({ optimizer, momentum: 0.8 }));
      // Entries may come back in any order (e.g. from a name-keyed checkpoint).
      await optB.setState([...state].reverse());
      tf.dispose(state.map((s) => s.tensor));
      step(optA, [-1, 2], 3);
      step(optB, [-1, 2], 3);
      // Adam rebuilds β^t with pow() instead of repeated products: float32 rounding only.
      expect(relError(values(b['backbone/a']!), values(a['backbone/a']!))).toBeLessThan(1e-6);
      expect(relError(values(b['loss/x/W']!), values(a['loss/x/W']!))).toBeLessThan(1e-6);
      optA.dispose();
      optB.dispose();
      tf.dispose([...Object.values(a), ...Object.values(b)]);
    });
  }

  it('getState hands out copies: disposing them leaves the optimizer working', async () => {
    const v = vars();
    const opt = createOuterOptimizer(v, hp({ optimizer: 'momentum' }));
    step(opt, [1, 1], 1);
    tf.dispose((await opt.getState()).map((s) => s.tensor));
    expect(() => step(opt, [1, 1], 1)).not.toThrow();
    opt.dispose();
    tf.dispose(Object.values(v));
  });

  it('setState releases the slots it replaces', async () => {
    const v = vars();
    const opt = createOuterOptimizer(v, hp({ optimizer: 'momentum' }));
    step(opt, [1, 1], 1);
    const state = await opt.getState();
    const before = tf.memory().numTensors;
    await opt.setState(state);
    await opt.setState(state);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(state.map((s) => s.tensor));
    opt.dispose();
    tf.dispose(Object.values(v));
  });

  it('rejects a state that does not fit, naming the entry', async () => {
    const v = vars();
    const opt = createOuterOptimizer(v, hp({ optimizer: 'momentum' }));
    const iter = tf.scalar(3, 'int32');
    const ok = tf.zeros([2]);
    const wrong = tf.zeros([5]);
    await expect(opt.setState([])).rejects.toThrow(new DataError('optimizer state', 'entry "iter" is missing'));
    await expect(opt.setState([{ name: 'iter', tensor: iter }, { name: 'backbone/zz/momentum', tensor: ok }])).rejects.toThrow(
      /unknown entry "backbone\/zz\/momentum"/,
    );
    await expect(opt.setState([{ name: 'iter', tensor: iter }, { name: 'backbone/a/momentum', tensor: ok }])).rejects.toThrow(
      new DataError('optimizer state', 'entry "loss/x/W/momentum" is missing'),
    );
    await expect(
      opt.setState([
        { name: 'iter', tensor: iter },
        { name: 'backbone/a/momentum', tensor: wrong },
        { name: 'loss/x/W/momentum', tensor: ok },
      ]),
    ).rejects.toThrow(new ShapeError('optimizer state "backbone/a/momentum"', '[2]', [5]));
    // A state saved before the first update (only the iteration count) is valid.
    await expect(opt.setState([{ name: 'iter', tensor: iter }])).resolves.toBeUndefined();
    tf.dispose([iter, ok, wrong]);
    opt.dispose();
    tf.dispose(Object.values(v));
  });

  it('validates its hyper-parameters with messages naming the field', () => {
    const plugin = definePlugin({
      kind: 'meta-optimizer',
      name: 'probe',
      version: '1.0.0',
      description: 'schema probe',
      hparams: z.object(outerOptimizerShape),
      create: () => {
        throw new Error('unused');
      },
    });
    expect(validateHparams(plugin, {})).toEqual({ optimizer: 'momentum', lr: 0.01, momentum: 0.9, nesterov: false, weightDecay: 5e-4 });
    expect(() => validateHparams(plugin, { lr: 0 })).toThrow(new PluginError('PLUGIN_HPARAMS_INVALID', 'probe', 'must be > 0', 'lr'));
    expect(() => validateHparams(plugin, { momentum: 1 })).toThrow(/hparams.momentum: must be in \[0, 1\)/);
    expect(() => validateHparams(plugin, { optimizer: 'lbfgs' })).toThrow(/hparams.optimizer: Invalid enum value/);
  });
});
