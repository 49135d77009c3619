// The same networks on the wasm backend: identical forward results to cpu, and
// first- and second-order gradients (which need the conv-backprop kernels and
// gradient fixes that @metadg/tensor installs for wasm).
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@metadg/core';
import { initBackend } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkDirectionalDerivative, checkHessianVectorProduct, createReferenceCnn, createSmallCnn, randomDirection, type NetworkBackbone } from '../src/index.js';
import { paramsOf, seededBatch, smoothObjective } from './helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

const small = (activation: 'gelu' | 'softplus'): NetworkBackbone =>
  createSmallCnn([12, 12, 3], { channels: [8, 16], groups: 4, activation, embeddingSize: 8 }, new Rng(3));

describe('on wasm', () => {
  it('gives the same embeddings as cpu (GroupNorm + GELU small-cnn, reference-cnn)', async () => {
    const nets = [small('gelu'), createReferenceCnn(new Rng(1))];
    const inputs = nets.map((n, i) => seededBatch(2, n.inputShape, i));
    const onWasm = nets.map((n, i) => tf.tidy(() => n.embed(inputs[i] as tf.Tensor4D).arraySync()));
    await initBackend({ backend: 'cpu', log: () => {} });
    const onCpu = nets.map((n, i) => tf.tidy(() => n.embed(inputs[i] as tf.Tensor4D).arraySync()));
    await initBackend({ backend: 'wasm', log: () => {} });
    expect(tf.getBackend()).toBe('wasm');
    onWasm.forEach((rows, n) =>
      rows.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - (onCpu[n]?.[i]?.[j] as number)), `net ${n}`).toBeLessThan(1e-4))),
    );
    nets.forEach((n) => n.dispose());
    tf.dispose(inputs);
  });

  it('first-order gradients match finite differences (reference-cnn)', () => {
    const net = createReferenceCnn(new Rng(2));
    const x = seededBatch(2, [64, 64, 3], 5);
    const params = paramsOf(net);
    const check = checkDirectionalDerivative(smoothObjective(net, x), params, randomDirection(params, new Rng(6)), 1e-2);
    for (const [k, n] of Object.entries(check.gradientNorms)) expect(n, k).toBeGreaterThan(1e-6);
    expect(check.relError).toBeLessThan(5e-3);
    net.dispose();
    x.dispose();
  });

  it('second-order Hessian-vector products match finite differences (small-cnn, reference-cnn)', () => {
    for (const net of [small('softplus'), createReferenceCnn(new Rng(4))]) {
      const x = seededBatch(1, net.inputShape, 7);
      const params = paramsOf(net);
      const check = checkHessianVectorProduct(smoothObjective(net, x), params, randomDirection(params, new Rng(8)), 1e-2);
      expect(check.analyticNorm, net.name).toBeGreaterThan(1e-3);
      expect(check.relError, net.name).toBeLessThan(5e-3);
      net.dispose();
      x.dispose();
    }
  });
});
