import * as tf from '@tensorflow/tfjs-core';
import { PluginError, Rng, type Backbone } from '@metadg/core';
import { initBackend } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { countFlops, createSmallCnn, formatSummary, kernelFlops, smallCnnNetwork, summarizeNetwork, traceFlops } from '../src/index.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('kernelFlops', () => {
  it('counts 2 per multiply-accumulate for convolutions and matrix products', () => {
    // Output 4×4×8 per sample, 3×3×2 taps each.
    expect(kernelFlops('Conv2D', [[1, 8, 8, 2], [3, 3, 2, 8]], [[1, 4, 4, 8]])).toBe(2 * 128 * 18);
    expect(kernelFlops('FusedConv2D', [[1, 8, 8, 2], [3, 3, 2, 8]], [[1, 4, 4, 8]])).toBe(2 * 128 * 18 + 128);
    expect(kernelFlops('DepthwiseConv2dNative', [[1, 8, 8, 2], [3, 3, 2, 1]], [[1, 4, 4, 2]])).toBe(2 * 32 * 9);
    // [5, 7] · [7, 3]: K = 7; batched [2, 5, 7] · [2, 7, 3] likewise.
    expect(kernelFlops('BatchMatMul', [[5, 7], [7, 3]], [[5, 3]])).toBe(2 * 15 * 7);
    expect(kernelFlops('BatchMatMul', [[2, 5, 7], [2, 7, 3]], [[2, 5, 3]])).toBe(2 * 30 * 7);
  });

  it('counts elementwise ops per output, reductions per input, data movement as free', () => {
    expect(kernelFlops('Softplus', [[2, 3]], [[2, 3]])).toBe(6);
    expect(kernelFlops('Add', [[2, 3], [3]], [[2, 3]])).toBe(6);
    expect(kernelFlops('Mean', [[4, 5]], [[4]])).toBe(20);
    expect(kernelFlops('Reshape', [[4, 5]], [[20]])).toBe(0);
  });
});

describe('countFlops / traceFlops', () => {
  it('analytic and traced counts agree for a GroupNorm + GELU network', async () => {
    const b = createSmallCnn([12, 12, 3], { channels: [8, 16], groups: 4, activation: 'gelu', embeddingSize: 10 }, new Rng(1));
    const traced = await traceFlops(b, 3);
    const counted = countFlops(b, 3);
    expect(traced.total).toBe(counted.total);
    expect(counted.perSample).toBe(b.network.flops);
    expect(counted.byLayer.map((l) => l.name)).toEqual(['conv1', 'gn1', 'act1', 'conv2', 'gn2', 'act2', 'flatten', 'embed']);
    // GroupNorm: 7 per element + 2 per group (here 6×6×8 elements, 4 groups).
    expect(counted.byLayer[1]?.flops).toBe(7 * 6 * 6 * 8 + 2 * 4);
    b.dispose();
  });

  it('traceFlops works for any backbone; countFlops explains when it cannot', async () => {
    const w = tf.variable(tf.ones([12, 4]));
    const plain: Backbone = {
      name: 'plain',
      inputShape: [2, 2, 3],
      embeddingSize: 4,
      params: { w },
      embed: (x) => tf.matMul(tf.reshape(x, [x.shape[0], 12]), w),
      dispose: () => w.dispose(),
    };
    expect((await traceFlops(plain, 5)).total).toBe(5 * 2 * 12 * 4);
    expect(() => countFlops(plain)).toThrow(PluginError);
    expect(() => countFlops(plain)).toThrow(/plugin "plain": countFlops needs a backbone built from @metadg\/backbone-cnn layers; use traceFlops/);
    expect(() => countFlops(plain as never, 0)).toThrow(/batchSize/);
    const before = tf.memory().numTensors;
    await traceFlops(plain, 2);
    expect(tf.memory().numTensors).toBe(before);
    plain.dispose();
  });
});

describe('summary', () => {
  it('lists every layer with output shape, parameters and FLOPs, and totals', () => {
    const net = smallCnnNetwork([16, 16, 1], { channels: [8], kernelSize: 3, stride: 2, groups: 4, eps: 1e-5, activation: 'relu', embeddingSize: 4 });
    const rows = summarizeNetwork(net);
    expect(rows.map((r) => [r.name, r.params])).toEqual([
      ['conv1', 9 * 8 + 8],
      ['gn1', 16],
      ['act1', 0],
      ['flatten', 0],
      ['embed', 8 * 8 * 8 * 4 + 4],
    ]);
    const text = formatSummary(net);
    expect(text.split('\n')[0]).toMatch(/^layer\s+kind\s+output\s+params\s+FLOPs\/sample$/);
    expect(text).toMatch(/total\s+\[4\]\s+2,148\s/);
  });
});
