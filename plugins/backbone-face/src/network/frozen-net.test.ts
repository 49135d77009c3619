import * as tf from '@tensorflow/tfjs-core';
import { DataError } from '@metadg/core';
import { initBackend } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFaceWeights, type FaceWeights } from '../weights/load-face-weights.js';
import { buildFrozenNet, frozenTensors } from './frozen-net.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

function without(weights: FaceWeights, name: string, replacement?: { shape: number[]; values: Float32Array }): FaceWeights {
  const tensors = new Map(weights.tensors);
  if (replacement) tensors.set(name, replacement);
  else tensors.delete(name);
  return { dir: '/models', tensors };
}

describe('buildFrozenNet', () => {
  it('folds each scale layer into its convolution: K·w and b·w + c (hand-checked on the stem)', () => {
    const w = loadFaceWeights();
    const net = buildFrozenNet(w);
    const get = (n: string) => w.tensors.get(n)?.values as Float32Array;
    const [k, b, s, c] = ['filters', 'bias', 'weights', 'biases'].map((p) => get(`conv32_down/${p === 'filters' || p === 'bias' ? 'conv' : 'scale'}/${p}`)) as Float32Array[];
    const folded = net.stem.kernel.dataSync();
    const foldedBias = net.stem.bias.dataSync();
    // Element [0, 0, 1, 5] of a [7, 7, 3, 32] kernel is at (1·32 + 5); channel 5.
    expect(folded[37]).toBeCloseTo((k?.[37] as number) * (s?.[5] as number), 6);
    expect(foldedBias[5]).toBeCloseTo((b?.[5] as number) * (s?.[5] as number) + (c?.[5] as number), 6);
    expect(frozenTensors(net)).toHaveLength(29 * 2 + 1);
    tf.dispose(frozenTensors(net));
  });

  it('names a missing or misshapen tensor, and leaks nothing when it fails', () => {
    const w = loadFaceWeights();
    const before = tf.memory().numTensors;
    expect(() => buildFrozenNet(without(w, 'conv128_1/conv2/scale/biases'))).toThrow(
      new DataError('/models (face_recognition_model)', 'tensor "conv128_1/conv2/scale/biases" is missing'),
    );
    expect(() => buildFrozenNet(without(w, 'fc', { shape: [128, 256], values: new Float32Array(128 * 256) }))).toThrow(
      new DataError('/models (face_recognition_model)', 'tensor "fc" has shape [128, 256], expected [256, 128]'),
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
