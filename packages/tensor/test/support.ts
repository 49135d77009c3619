// Shared helpers for @metadg/tensor's tests (not part of the package).
import { Rng } from '@metadg/core';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { initBackend, type Params } from '../src/index.js';

/** The two backends every numerical test runs on. */
export const BACKENDS = ['cpu', 'wasm'] as const;

/** Starts (or switches to) `backend` quietly. */
export async function useBackend(backend: string): Promise<void> {
  await initBackend({ backend, log: () => {} });
  expect(tf.getBackend()).toBe(backend);
}

/** Seeded normal tensor. */
export function randn(rng: Rng, shape: readonly number[], std = 1): tf.Tensor {
  return tf.tensor(rng.normalArray(tf.util.sizeFromShape([...shape]), std), [...shape]);
}

/** Seeded uniform tensor on [lo, hi). */
export function uniform(rng: Rng, shape: readonly number[], lo: number, hi: number): tf.Tensor {
  const n = tf.util.sizeFromShape([...shape]);
  return tf.tensor(Float32Array.from({ length: n }, () => rng.uniform(lo, hi)), [...shape]);
}

/** Seeded values with |x| in [lo, hi) and random sign (keeps relu/abs away from their kink). */
export function awayFromZero(rng: Rng, shape: readonly number[], lo: number, hi: number): tf.Tensor {
  const n = tf.util.sizeFromShape([...shape]);
  return tf.tensor(Float32Array.from({ length: n }, () => (rng.next() < 0.5 ? -1 : 1) * rng.uniform(lo, hi)), [...shape]);
}

/**
 * Evenly spaced values on [lo, hi] in seeded random order: any two entries
 * differ by at least (hi − lo)/(n − 1), so a max/argmax cannot switch under a
 * finite-difference step smaller than that.
 */
export function distinct(rng: Rng, shape: readonly number[], lo: number, hi: number): tf.Tensor {
  const n = tf.util.sizeFromShape([...shape]);
  const grid = Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / Math.max(1, n - 1));
  return tf.tensor(rng.shuffle(grid), [...shape]);
}

/** A seeded random direction with the keys and shapes of `params`. */
export function directionLike(rng: Rng, params: Params): Record<string, tf.Tensor> {
  const v: Record<string, tf.Tensor> = {};
  for (const [k, p] of Object.entries(params)) v[k] = randn(rng, p.shape);
  return v;
}

/** Values of a tensor as a plain array. */
export function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}

/** Asserts element-wise closeness with a tolerance relative to the reference's largest magnitude. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i] as number));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs((actual[i] as number) - (expected[i] as number)));
  }
  expect(worst).toBeLessThanOrEqual(tol * Math.max(scale, 1e-30));
}

/**
 * Runs `step` once to warm caches, then `times` more, and asserts the number
 * of live tensors (and backend buffers) did not grow.
 */
export function expectNoLeak(step: () => void, times = 3): void {
  step();
  const before = tf.memory();
  for (let i = 0; i < times; i++) step();
  const after = tf.memory();
  expect(after.numTensors).toBe(before.numTensors);
  expect(after.numDataBuffers).toBe(before.numDataBuffers);
}
