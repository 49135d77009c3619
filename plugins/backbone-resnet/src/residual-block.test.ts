import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@metadg/core';
import { conv2d, groupNorm, type ParamReader } from '@metadg/backbone-cnn';
import { initBackend } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { basicBlock } from './residual-block.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

/** Random values for every parameter, except the overrides given. */
function reader(specs: readonly { name: string; shape: readonly number[] }[], overrides: Record<string, tf.Tensor>, seed: number): ParamReader {
  const rng = new Rng(seed);
  const map = new Map<string, tf.Tensor>(
    specs.map((s) => [s.name, overrides[s.name] ?? tf.tensor(rng.normalArray(s.shape.reduce((a, b) => a * b, 1)), [...s.shape])]),
  );
  return (name) => map.get(name) as tf.Tensor;
}

const opts = { groups: 2, eps: 1e-5, activation: 'relu' as const };

describe('basicBlock', () => {
  it('keeps the identity shortcut when shapes match: with gn2 γ = β = 0 the block is act(x)', () => {
    const block = basicBlock('b', [4, 4, 8], { ...opts, filters: 8, stride: 1 });
    expect(block.outputShape).toEqual([4, 4, 8]);
    expect(block.params.map((p) => p.name)).toEqual(['b/conv1/kernel', 'b/gn1/gamma', 'b/gn1/beta', 'b/conv2/kernel', 'b/gn2/gamma', 'b/gn2/beta']);
    const x = tf.tensor4d(new Rng(1).normalArray(2 * 4 * 4 * 8), [2, 4, 4, 8]);
    const read = reader(block.params, { 'b/gn2/gamma': tf.zeros([8]), 'b/gn2/beta': tf.zeros([8]) }, 2);
    const [y, expected] = tf.tidy(() => [block.apply(x, read).arraySync(), tf.relu(x).arraySync()]);
    expect(y).toEqual(expected);
  });

  it('projects the shortcut (1×1 conv, stride, GroupNorm) when the shape changes', () => {
    const block = basicBlock('s2/b1', [6, 6, 4], { ...opts, filters: 8, stride: 2 });
    expect(block.outputShape).toEqual([3, 3, 8]);
    expect(block.params.filter((p) => p.name.includes('proj')).map((p) => [p.name, p.shape])).toEqual([
      ['s2/b1/proj/kernel', [1, 1, 4, 8]],
      ['s2/b1/proj-gn/gamma', [8]],
      ['s2/b1/proj-gn/beta', [8]],
    ]);
    const x = tf.tensor4d(new Rng(3).normalArray(2 * 6 * 6 * 4), [2, 6, 6, 4]);
    const read = reader(block.params, { 's2/b1/gn2/gamma': tf.zeros([8]), 's2/b1/gn2/beta': tf.zeros([8]) }, 4);
    // With the main branch silenced, the block is act(GN(conv1×1 stride 2 (x))).
    const [y, expected] = tf.tidy(() => [
      block.apply(x, read).arraySync(),
      tf
        .relu(
          groupNorm(
            conv2d(x, read('s2/b1/proj/kernel') as tf.Tensor4D, undefined, 2, 0),
            read('s2/b1/proj-gn/gamma') as tf.Tensor1D,
            read('s2/b1/proj-gn/beta') as tf.Tensor1D,
            2,
          ),
        )
        .arraySync(),
    ]);
    expect(y).toEqual(expected);
    // A channel change alone (stride 1) also needs a projection.
    expect(basicBlock('c', [6, 6, 4], { ...opts, filters: 8, stride: 1 }).params.some((p) => p.name === 'c/proj/kernel')).toBe(true);
  });

  it('counts FLOPs as its layers plus the inner activation, the residual add and the output activation', () => {
    const block = basicBlock('b', [4, 4, 8], { ...opts, filters: 8, stride: 1 });
    const children = (block.children ?? []).reduce((s, l) => s + l.flops, 0);
    expect(block.flops).toBe(children + 3 * 4 * 4 * 8);
  });
});
