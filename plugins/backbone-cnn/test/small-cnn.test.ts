import * as tf from '@tensorflow/tfjs-core';
import { memoryLogger, MetaDGError, PluginError, Rng, ShapeError, validateHparams } from '@metadg/core';
import { initBackend } from '@metadg/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkDirectionalDerivative,
  checkHessianVectorProduct,
  countParams,
  createSmallCnn,
  randomDirection,
  smallCnnHparams,
  smallCnnNetwork,
  smallCnnPlugin,
  type NetworkBackbone,
} from '../src/index.js';
import { contextFor, paramsOf, seededBatch, smoothObjective } from './helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

/** A tiny smooth variant for gradient checks: 8×8×2 → [4, 8] channels → 6-d. */
function tiny(activation: 'softplus' | 'tanh' | 'gelu' | 'relu' = 'softplus', seed = 2): NetworkBackbone {
  return createSmallCnn([8, 8, 2], { channels: [4, 8], groups: 2, activation, embeddingSize: 6 }, new Rng(seed));
}

describe('small-cnn plugin', () => {
  const created: NetworkBackbone[] = [];
  const make = async (hparams: object, shape: readonly [number, number, number] = [32, 32, 1], seed = 1) => {
    const b = (await smallCnnPlugin.create(validateHparams(smallCnnPlugin, hparams), contextFor(shape, seed))) as NetworkBackbone;
    created.push(b);
    return b;
  };
  afterAll(() => created.forEach((b) => b.dispose()));

  it('reads its input shape from the task and embeds to [N, 128] by default', async () => {
    const b = await make({});
    expect(b.name).toBe('small-cnn');
    expect(b.inputShape).toEqual([32, 32, 1]);
    expect(b.embeddingSize).toBe(128);
    const y = tf.tidy(() => b.embed(seededBatch(5, [32, 32, 1], 1)).shape);
    expect(y).toEqual([5, 128]);
  });

  it('has the documented default architecture and stable parameter names', async () => {
    const b = await make({});
    expect(b.network.children?.map((l) => `${l.name}:${l.outputShape.join('x')}`)).toEqual([
      'conv1:16x16x32', 'gn1:16x16x32', 'act1:16x16x32',
      'conv2:8x8x64', 'gn2:8x8x64', 'act2:8x8x64',
      'conv3:4x4x64', 'gn3:4x4x64', 'act3:4x4x64',
      'conv4:2x2x64', 'gn4:2x2x64', 'act4:2x2x64',
      'flatten:256', 'embed:128',
    ]);
    expect(Object.keys(b.params).slice(0, 4)).toEqual(['conv1/kernel', 'conv1/bias', 'gn1/gamma', 'gn1/beta']);
    // conv: k·k·Cin·Cout + Cout, GroupNorm: 2·C, dense: 256·128 + 128.
    const expected =
      9 * 1 * 32 + 32 + 2 * 32 + (9 * 32 * 64 + 64 + 2 * 64) + 2 * (9 * 64 * 64 + 64 + 2 * 64) + (256 * 128 + 128);
    expect(countParams(b)).toBe(expected);
    expect(countParams(b.network)).toBe(expected);
  });

  it('logs its size', async () => {
    const log = memoryLogger();
    const b = (await smallCnnPlugin.create(validateHparams(smallCnnPlugin, {}), contextFor([28, 28, 1], 1, log))) as NetworkBackbone;
    created.push(b);
    expect(log.lines.join('\n')).toMatch(/small-cnn: \[28, 28, 1\] → 128-d, .* M params, .* MFLOP\/sample/);
  });

  it('gives bit-identical weights for the same seed and different weights for another', async () => {
    const a = await make({}, [32, 32, 1], 7);
    const b = await make({}, [32, 32, 1], 7);
    const c = await make({}, [32, 32, 1], 8);
    for (const k of Object.keys(a.params)) {
      const va = Buffer.from((a.params[k] as tf.Variable).dataSync().buffer);
      expect(va.equals(Buffer.from((b.params[k] as tf.Variable).dataSync().buffer)), k).toBe(true);
    }
    expect(Array.from((a.params['conv2/kernel'] as tf.Variable).dataSync())).not.toEqual(Array.from((c.params['conv2/kernel'] as tf.Variable).dataSync()));
  });

  it('rejects hyper-parameters GroupNorm cannot use, naming the field', async () => {
    await expect(make({ channels: [32, 12], groups: 8 })).rejects.toThrow(PluginError);
    await expect(make({ channels: [32, 12], groups: 8 })).rejects.toThrow(/plugin "small-cnn", hparams\.groups: channels\[1\] = 12 is not divisible by groups = 8/);
    expect(() => validateHparams(smallCnnPlugin, { kernelSize: 4 })).toThrow(/hparams\.kernelSize: must be odd/);
    expect(() => validateHparams(smallCnnPlugin, { channels: [] })).toThrow(/hparams\.channels/);
    expect(() => validateHparams(smallCnnPlugin, { activation: 'swish' })).toThrow(/hparams\.activation/);
    expect(() => validateHparams(smallCnnPlugin, { chanels: [8] })).toThrow(/hparams\.chanels: unknown hyper-parameter/);
    expect(() => createSmallCnn([32, 32, 1], { groups: 0 }, new Rng(1))).toThrow(/hparams\.groups/);
  });

  it('every hparamSpace draw builds a valid network', () => {
    const rng = new Rng(5);
    for (let i = 0; i < 20; i++) {
      const raw = Object.fromEntries(Object.entries(smallCnnPlugin.hparamSpace ?? {}).map(([k, draw]) => [k, draw?.(rng)]));
      const h = smallCnnHparams.parse(raw);
      expect(smallCnnNetwork([32, 32, 3], h).outputShape).toEqual([h.embeddingSize]);
    }
  });
});

describe('small-cnn backbone', () => {
  it('throws a ShapeError naming the backbone and both shapes for a wrong input', () => {
    const b = tiny();
    const wrong = tf.zeros([2, 8, 8, 3]) as tf.Tensor4D;
    expect(() => b.embed(wrong)).toThrow(ShapeError);
    expect(() => b.embed(wrong)).toThrow('backbone "small-cnn" input: expected shape float32 [N, 8, 8, 2], got float32 [2, 8, 8, 3]');
    expect(() => b.embed(tf.zeros([8, 8, 2]) as unknown as tf.Tensor4D)).toThrow(/got float32 \[8, 8, 2\]/);
    expect(() => b.embed(tf.zeros([2, 8, 8, 2], 'int32') as tf.Tensor4D)).toThrow(/got int32 \[2, 8, 8, 2\]/);
    const badParam = { 'conv1/kernel': tf.zeros([3, 3, 2, 5]) };
    expect(() => b.embed(tf.zeros([1, 8, 8, 2]) as tf.Tensor4D, badParam)).toThrow(
      'backbone "small-cnn" params["conv1/kernel"]: expected shape [3, 3, 2, 4], got [3, 3, 2, 5]',
    );
    b.dispose();
  });

  it('functional form: the variables as params give identical output; perturbed params change it', () => {
    const b = tiny();
    const x = seededBatch(3, [8, 8, 2], 3);
    const [own, same, partial, perturbed, extraKeys] = tf.tidy(() => {
      const p = paramsOf(b);
      const shifted = Object.fromEntries(Object.entries(p).map(([k, t]) => [k, tf.add(t, 0.05)]));
      return [
        b.embed(x).arraySync(),
        b.embed(x, p).arraySync(),
        b.embed(x, { 'embed/bias': tf.add(p['embed/bias'] as tf.Tensor, 1) }).arraySync(),
        b.embed(x, shifted).arraySync(),
        b.embed(x, { ...p, 'classifier/W': tf.zeros([6, 10]) }).arraySync(),
      ];
    });
    expect(same).toEqual(own);
    expect(extraKeys).toEqual(own);
    // Only the embedding bias replaced: every output moves by exactly +1, the rest falls back to the variables.
    partial.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo((own[i]?.[j] as number) + 1, 5)));
    expect(perturbed).not.toEqual(own);
    b.dispose();
    x.dispose();
  });

  it('keeps the tensor count flat over repeated embed calls', () => {
    const b = tiny('relu');
    const x = seededBatch(2, [8, 8, 2], 4);
    const run = (): void => {
      tf.tidy(() => {
        b.embed(x);
        b.embed(x, paramsOf(b));
      });
    };
    run();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) run();
    expect(tf.memory().numTensors).toBe(before);
    b.dispose();
    // Disposing releases every variable; using it afterwards is a clear error.
    expect(tf.memory().numTensors).toBe(before - countTensors(b));
    expect(() => b.embed(x)).toThrow(/small-cnn.*embed\(\) called after dispose\(\)/);
    expect(() => b.embed(x)).toThrow(MetaDGError);
    x.dispose();
  });

  it('has a non-zero gradient for every parameter, matching finite differences (softplus)', () => {
    const b = tiny('softplus');
    const x = seededBatch(3, [8, 8, 2], 5);
    const f = smoothObjective(b, x);
    const params = paramsOf(b);
    const rng = new Rng(6);
    for (const key of Object.keys(params)) {
      // One random direction per parameter tensor: checks that tensor's gradient.
      const v = randomDirection({ [key]: params[key] as tf.Tensor }, rng.fork(key));
      const check = checkDirectionalDerivative(f, params, v, 1e-2);
      expect(Math.abs(check.analytic), key).toBeGreaterThan(1e-4);
      expect(check.relError, key).toBeLessThan(5e-3);
      Object.values(v).forEach((t) => t.dispose());
    }
    b.dispose();
  });

  it('second order: nested-gradient Hessian-vector products match finite differences of gradients', () => {
    for (const activation of ['softplus', 'relu'] as const) {
      const b = tiny(activation);
      const x = seededBatch(3, [8, 8, 2], 7);
      const params = paramsOf(b);
      const v = randomDirection(params, new Rng(8));
      const check = checkHessianVectorProduct(smoothObjective(b, x), params, v, 1e-2);
      expect(check.analyticNorm, activation).toBeGreaterThan(1e-3);
      expect(check.relError, activation).toBeLessThan(5e-3);
      b.dispose();
    }
  });

  it('second order through tanh and GELU (their gradients reuse their outputs)', () => {
    for (const activation of ['tanh', 'gelu'] as const) {
      const b = tiny(activation);
      const x = seededBatch(3, [8, 8, 2], 9);
      const params = paramsOf(b);
      const check = checkHessianVectorProduct(smoothObjective(b, x), params, randomDirection(params, new Rng(10)), 1e-2);
      expect(check.relError, activation).toBeLessThan(5e-3);
      b.dispose();
    }
  });
});

function countTensors(b: NetworkBackbone): number {
  return Object.keys(b.params).length;
}
