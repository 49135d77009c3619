import * as tf from '@tensorflow/tfjs-core';
import { Rng, ShapeError, validateHparams } from '@metadg/core';
import { initBackend } from '@metadg/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkDirectionalDerivative,
  countFlops,
  countParams,
  createReferenceCnn,
  randomDirection,
  referenceCnnPlugin,
  traceFlops,
  type NetworkBackbone,
} from '../src/index.js';
import { contextFor, paramsOf, seededBatch, smoothObjective } from './helpers.js';

let net: NetworkBackbone;
beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
  net = createReferenceCnn(new Rng(1));
});
afterAll(() => net.dispose());

describe('reference-cnn', () => {
  it('is exactly the documented benchmark network', () => {
    expect(Object.fromEntries(Object.entries(net.params).map(([k, v]) => [k, v.shape]))).toEqual({
      'conv1/kernel': [3, 3, 3, 32],
      'conv1/bias': [32],
      'conv2/kernel': [3, 3, 32, 64],
      'conv2/bias': [64],
      'conv3/kernel': [3, 3, 64, 64],
      'conv3/bias': [64],
      'conv4/kernel': [3, 3, 64, 64],
      'conv4/bias': [64],
      'embed/kernel': [1024, 128],
      'embed/bias': [128],
    });
    expect(net.network.children?.map((l) => `${l.name}:${l.kind}:${l.outputShape.join('x')}`)).toEqual([
      'conv1:conv2d:32x32x32', 'act1:softplus:32x32x32',
      'conv2:conv2d:16x16x64', 'act2:softplus:16x16x64',
      'conv3:conv2d:8x8x64', 'act3:softplus:8x8x64',
      'conv4:conv2d:4x4x64', 'act4:softplus:4x4x64',
      'flatten:flatten:1024', 'embed:dense:128',
    ]);
    expect(net.inputShape).toEqual([64, 64, 3]);
    expect(net.embeddingSize).toBe(128);
  });

  it('has 224,448 parameters (hand count)', () => {
    const conv = (cin: number, cout: number): number => 3 * 3 * cin * cout + cout;
    const hand = conv(3, 32) + conv(32, 64) + conv(64, 64) + conv(64, 64) + (4 * 4 * 64 * 128 + 128);
    expect(hand).toBe(224448);
    expect(countParams(net)).toBe(hand);
  });

  it('counts forward FLOPs as the hand computation', () => {
    // Per conv: 2 FLOPs per multiply-accumulate (3·3·Cin per output) + 1 bias add + 1 softplus per output element.
    const conv = (hw: number, cin: number, cout: number): number => hw * hw * cout * (2 * 9 * cin + 1 + 1);
    const hand = conv(32, 3, 32) + conv(16, 32, 64) + conv(8, 64, 64) + conv(4, 64, 64) + (2 * 1024 * 128 + 128);
    expect(hand).toBe(17_475_712);
    const count = countFlops(net, 64);
    expect(count.perSample).toBe(hand);
    expect(count.total).toBe(64 * hand);
    expect(count.byLayer.find((l) => l.name === 'conv2')?.flops).toBe(16 * 16 * 64 * (2 * 9 * 32 + 1));
    // Multiply-accumulates only: 8,683,520 MACs, i.e. 17.37 MFLOP in the 2·MAC convention.
    const macs = 32 * 32 * 32 * 27 + 16 * 16 * 64 * 288 + 8 * 8 * 64 * 576 + 4 * 4 * 64 * 576 + 1024 * 128;
    expect(macs).toBe(8_683_520);
  });

  it('the traced kernel count agrees with the analytic count', async () => {
    const traced = await traceFlops(net, 2);
    expect(traced.total).toBe(countFlops(net, 2).total);
    expect(traced.byLayer.find((k) => k.name === 'Conv2D')?.flops).toBe(2 * (32 * 32 * 32 * 27 + 16 * 16 * 64 * 288 + 8 * 8 * 64 * 576 + 4 * 4 * 64 * 576));
  });

  it('plugin: no hyper-parameters, and a clear ShapeError for a dataset that is not 64×64×3', async () => {
    expect(() => validateHparams(referenceCnnPlugin, { channels: [8] })).toThrow(/unknown hyper-parameter/);
    const ok = await referenceCnnPlugin.create({}, contextFor([64, 64, 3]));
    expect(ok.inputShape).toEqual([64, 64, 3]);
    ok.dispose();
    await expect(referenceCnnPlugin.create({}, contextFor([32, 32, 1]))).rejects.toThrow(ShapeError);
    await expect(referenceCnnPlugin.create({}, contextFor([32, 32, 1]))).rejects.toThrow(
      /reference-cnn input \(dataset "shape-only" sampleShape\): expected shape \[64, 64, 3\].*got \[32, 32, 1\]/,
    );
  });

  it('same seed, same weights: plugin and createReferenceCnn agree bit for bit', async () => {
    const ctx = contextFor([64, 64, 3], 3);
    const viaPlugin = await referenceCnnPlugin.create({}, ctx);
    const direct = createReferenceCnn(contextFor([64, 64, 3], 3).rng);
    const x = seededBatch(1, [64, 64, 3], 1);
    const [a, b] = tf.tidy(() => [viaPlugin.embed(x).dataSync(), direct.embed(x).dataSync()]);
    expect(Buffer.from((a as Float32Array).buffer).equals(Buffer.from((b as Float32Array).buffer))).toBe(true);
    viaPlugin.dispose();
    direct.dispose();
    x.dispose();
  });

  it('gradients w.r.t. every parameter are non-zero and match finite differences', () => {
    const x = seededBatch(1, [64, 64, 3], 2);
    const params = paramsOf(net);
    const f = smoothObjective(net, x);
    const check = checkDirectionalDerivative(f, params, randomDirection(params, new Rng(4)), 1e-2);
    expect(Object.keys(check.gradientNorms)).toEqual(Object.keys(params));
    for (const [k, n] of Object.entries(check.gradientNorms)) expect(n, k).toBeGreaterThan(1e-6);
    expect(check.relError).toBeLessThan(5e-3);
    x.dispose();
  });
});
