import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, Rng, ShapeError } from '@metadg/core';
import { initBackend } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { activate, activationLayer } from './activation.js';
import { conv2d, conv2dLayer, type Padding } from './conv2d.js';
import { dense, denseLayer } from './dense.js';
import { initialParams, initialValues } from './init.js';
import type { ParamReader } from './layer.js';
import { flatten, globalAvgPool } from './reshape.js';
import { NetworkBuilder, sequential } from './sequential.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

/** Reads parameters from a map of freshly initialised tensors. */
function readerFor(specs: readonly { name: string; shape: readonly number[] }[], seed: number): ParamReader {
  const rng = new Rng(seed);
  const map = new Map(specs.map((s) => [s.name, tf.tensor(rng.normalArray(s.shape.reduce((a, b) => a * b, 1)), [...s.shape])]));
  return (name) => map.get(name) as tf.Tensor;
}

describe('conv2d', () => {
  it('pads symmetrically (PyTorch padding=1), hand-computed 4×4 case', () => {
    // x = 1..16 row-major, 3×3 kernel of ones, stride 2, pad 1: windows centred on (0,0), (0,2), (2,0), (2,2).
    const y = tf.tidy(() =>
      conv2d(tf.tensor4d(Array.from({ length: 16 }, (_, i) => i + 1), [1, 4, 4, 1]), tf.ones([3, 3, 1, 1]), tf.tensor1d([0.5]), 2, 1).arraySync(),
    );
    expect(y[0]?.map((row) => row.map((c) => c[0]))).toEqual([
      [1 + 2 + 5 + 6 + 0.5, 2 + 3 + 4 + 6 + 7 + 8 + 0.5],
      [5 + 6 + 9 + 10 + 13 + 14 + 0.5, 6 + 7 + 8 + 10 + 11 + 12 + 14 + 15 + 16 + 0.5],
    ]);
  });

  it('declares the output shape the op actually produces', () => {
    const paddings: Padding[] = [0, 1, 2, 'same', 'valid'];
    for (const size of [5, 6, 7, 9])
      for (const k of [1, 3, 5])
        for (const stride of [1, 2])
          for (const padding of paddings) {
            if (k > size) continue;
            const layer = conv2dLayer('c', [size, size + 1, 2], { filters: 3, kernelSize: k, stride, padding });
            const actual = tf.tidy(() => layer.apply(tf.zeros([1, size, size + 1, 2]), readerFor(layer.params, 1)).shape);
            expect(actual.slice(1), `size ${size} k ${k} s ${stride} pad ${String(padding)}`).toEqual(layer.outputShape);
          }
  });

  it('names its parameters <layer>/kernel and <layer>/bias, He-initialised by default', () => {
    const layer = conv2dLayer('conv1', [8, 8, 3], { filters: 4, kernelSize: 3, stride: 2 });
    expect(layer.params).toEqual([
      { name: 'conv1/kernel', shape: [3, 3, 3, 4], init: { kind: 'he-normal', fanIn: 27 } },
      { name: 'conv1/bias', shape: [4], init: { kind: 'zeros' } },
    ]);
    expect(conv2dLayer('c', [8, 8, 3], { filters: 4, kernelSize: 3, bias: false }).params.map((p) => p.name)).toEqual(['c/kernel']);
  });

  it('rejects bad options with errors naming the layer field', () => {
    expect(() => conv2dLayer('conv2', [8, 8, 3], { filters: 4, kernelSize: 4 })).toThrow(ConfigError);
    expect(() => conv2dLayer('conv2', [8, 8, 3], { filters: 4, kernelSize: 4 })).toThrow(/conv2\.kernelSize: must be odd/);
    expect(() => conv2dLayer('conv2', [8, 8, 3], { filters: 0, kernelSize: 3 })).toThrow(/conv2\.filters/);
    expect(() => conv2dLayer('conv2', [8, 8, 3], { filters: 4, kernelSize: 3, stride: 1.5 })).toThrow(/conv2\.stride/);
    expect(() => conv2dLayer('conv2', [2, 2, 3], { filters: 4, kernelSize: 3, padding: 'valid' })).toThrow(ShapeError);
    expect(() => conv2dLayer('conv2', [64], { filters: 4, kernelSize: 3 })).toThrow(/layer "conv2" input: expected shape \[H, W, C\]/);
  });
});

describe('dense, flatten, pooling', () => {
  it('dense matches a hand-computed product', () => {
    const y = tf.tidy(() => dense(tf.tensor2d([[1, 2]]), tf.tensor2d([[1, 2, 3], [4, 5, 6]]), tf.tensor1d([0.5, 0, -1])).arraySync());
    expect(y).toEqual([[1 + 8 + 0.5, 2 + 10, 3 + 12 - 1]]);
  });

  it('dense layer: Glorot by default, parameters <layer>/kernel [D, U] and <layer>/bias', () => {
    const layer = denseLayer('embed', [1024], { units: 128 });
    expect(layer.params.map((p) => [p.name, p.shape, p.init.kind])).toEqual([
      ['embed/kernel', [1024, 128], 'glorot-uniform'],
      ['embed/bias', [128], 'zeros'],
    ]);
    expect(() => denseLayer('embed', [4, 4, 64], { units: 128 })).toThrow(/layer "embed" input: expected shape \[D\] \(a vector; flatten or pool first\), got \[4, 4, 64\]/);
  });

  it('flatten keeps NHWC row-major order; global average pooling averages H and W', () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]);
    expect(tf.tidy(() => flatten(x).arraySync())).toEqual([[1, 2, 3, 4, 5, 6, 7, 8]]);
    expect(tf.tidy(() => globalAvgPool(x).arraySync())).toEqual([[(1 + 3 + 5 + 7) / 4, (2 + 4 + 6 + 8) / 4]]);
    x.dispose();
  });
});

describe('activations', () => {
  it('compute their reference values', () => {
    const x = tf.tensor1d([-1, 0, 1, 2]);
    const at = (name: Parameters<typeof activate>[1]): number[] => tf.tidy(() => Array.from(activate(x, name).dataSync()));
    expect(at('relu')).toEqual([0, 0, 1, 2]);
    const softplus = at('softplus');
    [Math.log(1 + Math.exp(-1)), Math.log(2), Math.log(1 + Math.E), Math.log(1 + Math.exp(2))].forEach((v, i) =>
      expect(softplus[i]).toBeCloseTo(v, 6),
    );
    at('tanh').forEach((v, i) => expect(v).toBeCloseTo(Math.tanh([-1, 0, 1, 2][i] as number), 6));
    // GELU, tanh approximation; reference values from PyTorch gelu(approximate='tanh').
    const gelu = at('gelu');
    expect(gelu[0]).toBeCloseTo(-0.158808, 5);
    expect(gelu[1]).toBe(0);
    expect(gelu[2]).toBeCloseTo(0.841192, 5);
    expect(gelu[3]).toBeCloseTo(1.954598, 5);
    x.dispose();
  });

  it('counts one FLOP per element (GELU: its nine elementwise ops)', () => {
    expect(activationLayer('a', [4, 4, 2], 'softplus').flops).toBe(32);
    expect(activationLayer('a', [4, 4, 2], 'gelu').flops).toBe(9 * 32);
  });
});

describe('initialisation', () => {
  it('is bit-identical for the same seed and differs for another', () => {
    const specs = conv2dLayer('conv1', [8, 8, 3], { filters: 8, kernelSize: 3 }).params;
    const a = initialParams(specs, new Rng(42)).get('conv1/kernel');
    const b = initialParams(specs, new Rng(42)).get('conv1/kernel');
    const c = initialParams(specs, new Rng(43)).get('conv1/kernel');
    expect(Buffer.from((a as Float32Array).buffer).equals(Buffer.from((b as Float32Array).buffer))).toBe(true);
    expect(a).not.toEqual(c);
  });

  it('draws each parameter from its own stream, so adding a layer changes no other weights', () => {
    const one = new NetworkBuilder([8, 8, 1]).conv2d('conv1', { filters: 4, kernelSize: 3 }).flatten().dense('embed', { units: 3 }).build('n');
    const two = new NetworkBuilder([8, 8, 1])
      .conv2d('conv1', { filters: 4, kernelSize: 3 })
      .conv2d('conv2', { filters: 4, kernelSize: 3 })
      .flatten()
      .dense('embed', { units: 3 })
      .build('n');
    expect(initialParams(two.params, new Rng(1)).get('conv1/kernel')).toEqual(initialParams(one.params, new Rng(1)).get('conv1/kernel'));
  });

  it('He normal has standard deviation √(2 / fanIn); Glorot uniform stays within ±√(6 / (fanIn + fanOut))', () => {
    const he = initialValues({ kind: 'he-normal', fanIn: 50 }, [20000], new Rng(3));
    const mean = he.reduce((s, v) => s + v, 0) / he.length;
    const std = Math.sqrt(he.reduce((s, v) => s + (v - mean) ** 2, 0) / he.length);
    expect(std).toBeGreaterThan(0.97 * Math.sqrt(2 / 50));
    expect(std).toBeLessThan(1.03 * Math.sqrt(2 / 50));
    const limit = Math.sqrt(6 / (30 + 20));
    const glorot = initialValues({ kind: 'glorot-uniform', fanIn: 30, fanOut: 20 }, [20000], new Rng(4));
    expect(Math.max(...glorot)).toBeLessThanOrEqual(limit);
    expect(Math.min(...glorot)).toBeGreaterThanOrEqual(-limit);
    expect(Math.max(...glorot)).toBeGreaterThan(0.99 * limit);
    expect(initialValues({ kind: 'ones' }, [3], new Rng(1))).toEqual(new Float32Array([1, 1, 1]));
  });
});

describe('sequential / NetworkBuilder', () => {
  it('tracks shapes, parameters and FLOPs of its layers', () => {
    const net = new NetworkBuilder([8, 8, 2])
      .conv2d('conv1', { filters: 4, kernelSize: 3, stride: 2 })
      .groupNorm('gn1', { groups: 2 })
      .activation('act1', 'relu')
      .flatten()
      .dense('embed', { units: 5 })
      .build('net');
    expect(net.outputShape).toEqual([5]);
    expect(net.children?.map((l) => [l.name, l.outputShape])).toEqual([
      ['conv1', [4, 4, 4]],
      ['gn1', [4, 4, 4]],
      ['act1', [4, 4, 4]],
      ['flatten', [64]],
      ['embed', [5]],
    ]);
    expect(net.params.map((p) => p.name)).toEqual(['conv1/kernel', 'conv1/bias', 'gn1/gamma', 'gn1/beta', 'embed/kernel', 'embed/bias']);
    expect(net.flops).toBe((net.children ?? []).reduce((s, l) => s + l.flops, 0));
    const y = tf.tidy(() => net.apply(tf.zeros([3, 8, 8, 2]), readerFor(net.params, 2)).shape);
    expect(y).toEqual([3, 5]);
  });

  it('rejects layers whose shapes do not chain, and duplicate parameter names', () => {
    const a = conv2dLayer('conv1', [8, 8, 2], { filters: 4, kernelSize: 3, stride: 2 });
    const b = conv2dLayer('conv2', [8, 8, 4], { filters: 4, kernelSize: 3 });
    expect(() => sequential('net', [a, b])).toThrow(/layer "conv2" input \(after "conv1"\): expected shape \[4, 4, 4\], got \[8, 8, 4\]/);
    const c = conv2dLayer('conv1', [4, 4, 4], { filters: 4, kernelSize: 3 });
    expect(() => sequential('net', [a, c])).toThrow(/parameter name "conv1\/kernel" is used twice/);
    expect(() => sequential('net', [])).toThrow(ConfigError);
  });
});
