import * as tf from '@tensorflow/tfjs-core';
import { countFlops, createSmallCnn } from '@metadg/backbone-cnn';
import { Rng } from '@metadg/core';
import { initBackend } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { launchFlops, totalFlops } from './flops.js';

describe('flops', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: () => {} });
  });

  it('backward convolutions count the forward convolution’s multiply-adds (hand-computed)', () => {
    // dy [2, 4, 4, 8], filter 3×3×5×8: 2·(2·4·4·8)·(3·3·5) = 23,040.
    expect(launchFlops({ name: 'Conv2DBackpropInput', inputShapes: [[2, 4, 4, 8], [3, 3, 5, 8]], outputShapes: [[2, 8, 8, 5]] })).toBe(23040);
    expect(launchFlops({ name: 'Conv2DBackpropFilter', inputShapes: [[2, 8, 8, 5], [2, 4, 4, 8]], outputShapes: [[3, 3, 5, 8]] })).toBe(23040);
    expect(launchFlops({ name: 'DepthwiseConv2dNativeBackpropInput', inputShapes: [[1, 2, 2, 6], [3, 3, 3, 2]], outputShapes: [[1, 4, 4, 3]] })).toBe(2 * 24 * 9);
    // Everything else follows @metadg/backbone-cnn's kernelFlops: a 2×3 · 3×4 product is 2·2·3·4.
    expect(launchFlops({ name: 'BatchMatMul', inputShapes: [[2, 3], [3, 4]], outputShapes: [[2, 4]] })).toBe(48);
    expect(launchFlops({ name: 'Reshape', inputShapes: [[6]], outputShapes: [[2, 3]] })).toBe(0);
  });

  it('a traced conv gradient: each backward kernel costs what the forward conv costs', async () => {
    const x = tf.randomNormal([2, 6, 6, 3]) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 3, 4]) as tf.Tensor4D;
    const info = await tf.profile(() => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')))([x, w]));
    tf.dispose(info.result as tf.Tensor[]);
    const of = (name: string) => info.kernels.filter((k) => k.name === name).map(launchFlops);
    const forward = of('Conv2D');
    expect(forward).toEqual([2 * (2 * 3 * 3 * 4) * (3 * 3 * 3)]);
    expect(of('Conv2DBackpropInput')).toEqual(forward);
    expect(of('Conv2DBackpropFilter')).toEqual(forward);
    tf.dispose([x, w]);
  });

  it('totalFlops of a traced forward pass equals the architecture count', async () => {
    const backbone = createSmallCnn([16, 16, 1], { channels: [8, 8], groups: 4, embeddingSize: 16 }, new Rng(3));
    const x = tf.zeros([3, 16, 16, 1]) as tf.Tensor4D;
    const info = await tf.profile(() => tf.tidy(() => backbone.embed(x)));
    tf.dispose(info.result as tf.Tensor);
    expect(totalFlops(info.kernels)).toBe(countFlops(backbone, 3).total);
    x.dispose();
    backbone.dispose();
  });
});
