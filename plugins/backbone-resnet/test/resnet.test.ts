import * as tf from '@tensorflow/tfjs-core';
import { memoryLogger, PluginError, Rng, ShapeError, validateHparams } from '@metadg/core';
import {
  checkDirectionalDerivative,
  checkHessianVectorProduct,
  countFlops,
  countParams,
  randomDirection,
  traceFlops,
  type NetworkBackbone,
} from '@metadg/backbone-cnn';
import { initBackend } from '@metadg/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResNet, resnetHparams, resnetNetwork, resnetPlugin, type ResNetOptions } from '../src/index.js';
import { contextFor, paramsOf, seededBatch, smoothObjective } from './helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

/** The small configuration the hand counts below are made for: 16×16×3 → [1, 1] blocks of 4, 8 channels → 5-d. */
const SMALL: Partial<ResNetOptions> = { blocksPerStage: [1, 1], baseChannels: 4, stemStride: 1, groups: 2, embeddingSize: 5 };
const tiny = (activation: ResNetOptions['activation'] = 'softplus', extra: Partial<ResNetOptions> = {}, seed = 1): NetworkBackbone =>
  createResNet([16, 16, 3], { ...SMALL, activation, ...extra }, new Rng(seed));

describe('resnet architecture', () => {
  it('defaults: ResNet-18 layout at half width, stride-2 stem, 112 px crops → 4×4×256 → 128', () => {
    const net = resnetNetwork([112, 112, 3], resnetHparams.parse({}));
    expect(net.children?.map((l) => `${l.name}:${l.outputShape.join('x')}`)).toEqual([
      'stem:56x56x32', 'stem-gn:56x56x32', 'stem-act:56x56x32',
      'stage1/block1:28x28x32', 'stage1/block2:28x28x32',
      'stage2/block1:14x14x64', 'stage2/block2:14x14x64',
      'stage3/block1:7x7x128', 'stage3/block2:7x7x128',
      'stage4/block1:4x4x256', 'stage4/block2:4x4x256',
      'flatten:4096', 'embed:128',
    ]);
    // Only the first block of a stage downsamples and projects.
    expect(net.params.filter((p) => p.name.endsWith('proj/kernel')).map((p) => p.name)).toEqual([
      'stage1/block1/proj/kernel', 'stage2/block1/proj/kernel', 'stage3/block1/proj/kernel', 'stage4/block1/proj/kernel',
    ]);
    expect(net.params.some((p) => p.name.endsWith('/bias') && !p.name.startsWith('embed'))).toBe(false);
  });

  it('parameter count matches a hand count', () => {
    // stem 3·3·3·4 + GN 2·4; stage1/block1 (4→4, stride 2): 2 convs 3·3·4·4, 1×1 projection 4·4, three GNs of 2·4;
    // stage2/block1 (4→8): 3·3·4·8 + 3·3·8·8 + 4·8 + three GNs of 2·8; embed (4·4·8 = 128) → 5: 128·5 + 5.
    const hand = 108 + 8 + (144 + 144 + 16 + 3 * 8) + (288 + 576 + 32 + 3 * 16) + (128 * 5 + 5);
    expect(hand).toBe(2033);
    const b = tiny();
    expect(countParams(b)).toBe(hand);
    expect(countParams(b.network)).toBe(hand);
    b.dispose();
  });

  it('forward FLOPs match a hand count, and the traced kernel count', async () => {
    // conv: 2 per MAC; GroupNorm: 7 per element + 2 per group; each activation, the residual add: 1 per element.
    const stem = 2 * (16 * 16 * 4) * 27 + (7 * 1024 + 2 * 2) + 1024;
    const e1 = 8 * 8 * 4;
    const block1 = 2 * e1 * 36 + 2 * e1 * 36 + 2 * e1 * 4 + 3 * (7 * e1 + 4) + 3 * e1;
    const e2 = 4 * 4 * 8;
    const block2 = 2 * e2 * 36 + 2 * e2 * 72 + 2 * e2 * 4 + 3 * (7 * e2 + 4) + 3 * e2;
    const embed = 2 * 128 * 5 + 5;
    const hand = stem + block1 + block2 + embed;
    const b = tiny('relu');
    expect(countFlops(b).perSample).toBe(hand);
    expect((await traceFlops(b, 2)).total).toBe(2 * hand);
    b.dispose();
  });

  it('gap head pools to baseChannels · 2^(stages − 1) before the embedding', () => {
    const net = resnetNetwork([16, 16, 3], resnetHparams.parse({ ...SMALL, head: 'gap' }));
    expect(net.children?.slice(-2).map((l) => [l.name, l.outputShape])).toEqual([
      ['gap', [8]],
      ['embed', [5]],
    ]);
  });
});

describe('resnet plugin', () => {
  const created: NetworkBackbone[] = [];
  afterAll(() => created.forEach((b) => b.dispose()));

  it('reads its input from the task, embeds [N, d], logs its size, and is seeded', async () => {
    const log = memoryLogger();
    const make = async (seed: number): Promise<NetworkBackbone> => {
      const b = (await resnetPlugin.create(validateHparams(resnetPlugin, { ...SMALL, stemStride: 2 }), contextFor([32, 32, 1], seed, log))) as NetworkBackbone;
      created.push(b);
      return b;
    };
    const [a, b, c] = [await make(3), await make(3), await make(4)];
    expect(a.inputShape).toEqual([32, 32, 1]);
    expect(tf.tidy(() => a.embed(seededBatch(3, [32, 32, 1], 1)).shape)).toEqual([3, 5]);
    expect(log.lines[0]).toMatch(/resnet: \[32, 32, 1\] → 5-d, .* M params, .* GFLOP\/sample/);
    for (const k of Object.keys(a.params)) {
      const bytes = (x: NetworkBackbone): Buffer => Buffer.from((x.params[k] as tf.Variable).dataSync().buffer);
      expect(bytes(a).equals(bytes(b)), k).toBe(true);
    }
    expect(Array.from((a.params['stage2/block1/conv2/kernel'] as tf.Variable).dataSync())).not.toEqual(
      Array.from((c.params['stage2/block1/conv2/kernel'] as tf.Variable).dataSync()),
    );
  });

  it('rejects hyper-parameters it cannot use, naming the field', () => {
    expect(() => createResNet([32, 32, 3], { baseChannels: 12, groups: 8 }, new Rng(1))).toThrow(PluginError);
    expect(() => createResNet([32, 32, 3], { baseChannels: 12, groups: 8 }, new Rng(1))).toThrow(
      /plugin "resnet", hparams\.groups: baseChannels = 12 is not divisible by groups = 8/,
    );
    expect(() => validateHparams(resnetPlugin, { blocksPerStage: [] })).toThrow(/hparams\.blocksPerStage/);
    expect(() => validateHparams(resnetPlugin, { blocksPerStage: [2, 0] })).toThrow(/hparams\.blocksPerStage\[1\]/);
    expect(() => validateHparams(resnetPlugin, { stemStride: 3 })).toThrow(/hparams\.stemStride/);
    expect(() => validateHparams(resnetPlugin, { head: 'attention' })).toThrow(/hparams\.head/);
    expect(() => validateHparams(resnetPlugin, { depth: 18 })).toThrow(/hparams\.depth: unknown hyper-parameter/);
  });

  it('every hparamSpace draw builds a valid network', () => {
    const rng = new Rng(9);
    for (let i = 0; i < 20; i++) {
      const raw = Object.fromEntries(Object.entries(resnetPlugin.hparamSpace ?? {}).map(([k, draw]) => [k, draw?.(rng)]));
      const h = resnetHparams.parse(raw);
      expect(resnetNetwork([112, 112, 3], h).outputShape).toEqual([h.embeddingSize]);
    }
  });
});

describe('resnet backbone', () => {
  it('throws a ShapeError naming the backbone and both shapes for a wrong input', () => {
    const b = tiny();
    expect(() => b.embed(tf.zeros([1, 32, 32, 3]) as tf.Tensor4D)).toThrow(ShapeError);
    expect(() => b.embed(tf.zeros([1, 32, 32, 3]) as tf.Tensor4D)).toThrow(
      'backbone "resnet" input: expected shape float32 [N, 16, 16, 3], got float32 [1, 32, 32, 3]',
    );
    b.dispose();
  });

  it('functional form: variables as params give identical output; perturbed params change it', () => {
    const b = tiny('relu');
    const x = seededBatch(2, [16, 16, 3], 2);
    const [own, same, perturbed] = tf.tidy(() => {
      const p = paramsOf(b);
      const key = 'stage1/block1/proj/kernel';
      return [b.embed(x).arraySync(), b.embed(x, p).arraySync(), b.embed(x, { [key]: tf.add(p[key] as tf.Tensor, 0.1) }).arraySync()];
    });
    expect(same).toEqual(own);
    expect(perturbed).not.toEqual(own);
    b.dispose();
    x.dispose();
  });

  it('keeps the tensor count flat over repeated embed calls', () => {
    const b = tiny('relu');
    const x = seededBatch(2, [16, 16, 3], 3);
    const run = (): void => tf.tidy(() => void b.embed(x, paramsOf(b)));
    run();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) run();
    expect(tf.memory().numTensors).toBe(before);
    b.dispose();
    x.dispose();
  });

  it('has a non-zero gradient for every parameter, matching finite differences (softplus)', () => {
    const b = tiny('softplus');
    const x = seededBatch(2, [16, 16, 3], 4);
    const f = smoothObjective(b, x);
    const params = paramsOf(b);
    const all = checkDirectionalDerivative(f, params, randomDirection(params, new Rng(5)), 1e-2);
    expect(Object.keys(all.gradientNorms)).toHaveLength(Object.keys(b.params).length);
    for (const [k, n] of Object.entries(all.gradientNorms)) expect(n, k).toBeGreaterThan(1e-6);
    expect(all.relError).toBeLessThan(5e-3);
    // Per stage, so an error confined to one kind of block cannot hide in the total.
    for (const prefix of ['stem', 'stage1/', 'stage2/', 'embed']) {
      const keys = Object.keys(params).filter((k) => k.startsWith(prefix));
      const v = randomDirection(Object.fromEntries(keys.map((k) => [k, params[k] as tf.Tensor])), new Rng(prefix));
      const check = checkDirectionalDerivative(f, params, v, 1e-2);
      expect(check.relError, prefix).toBeLessThan(5e-3);
      tf.dispose(Object.values(v));
    }
    b.dispose();
  });

  it('second order: nested-gradient Hessian-vector products match finite differences of gradients', () => {
    for (const activation of ['softplus', 'gelu'] as const) {
      const b = tiny(activation);
      const x = seededBatch(2, [16, 16, 3], 6);
      const params = paramsOf(b);
      const check = checkHessianVectorProduct(smoothObjective(b, x), params, randomDirection(params, new Rng(7)), 1e-2);
      expect(check.analyticNorm, activation).toBeGreaterThan(1e-3);
      expect(check.relError, activation).toBeLessThan(5e-3);
      b.dispose();
    }
  });
});
