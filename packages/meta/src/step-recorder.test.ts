import * as tf from '@tensorflow/tfjs-core';
import { NumericalError } from '@metadg/core';
import { initBackend } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { StepRecorder } from './step-recorder.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('StepRecorder', () => {
  it('keeps values recorded inside tidy scopes, averages them by name and releases them', async () => {
    const before = tf.memory().numTensors;
    const r = new StepRecorder();
    tf.tidy(() => {
      r.record('a', tf.scalar(1));
      r.record('a', tf.scalar(3));
      r.record('b', tf.scalar(-2), 'guarded b');
      r.check(tf.tensor([[1, 2]]), 'a tensor');
    });
    expect(await r.read()).toEqual({ a: 2, b: -2 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('throws a NumericalError naming the first non-finite guarded value, and releases everything', async () => {
    const before = tf.memory().numTensors;
    const r = new StepRecorder();
    tf.tidy(() => {
      r.record('fine', tf.scalar(Number.NaN)); // logged only: not guarded
      r.check(tf.tensor([1, Number.POSITIVE_INFINITY]), 'embeddings of domain "x" (meta-test)');
      r.record('loss', tf.scalar(Number.NaN), 'loss "hard-pair" (meta-test)');
    });
    await expect(r.read()).rejects.toThrow(new NumericalError('embeddings of domain "x" (meta-test)', 'Inf value; no parameter was updated'));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names NaN as NaN', async () => {
    const r = new StepRecorder();
    tf.tidy(() => r.record('l', tf.scalar(Number.NaN), 'loss "x" (meta-train)'));
    await expect(r.read()).rejects.toThrow('loss "x" (meta-train): NaN value; no parameter was updated');
  });

  it('dispose releases unread values', () => {
    const before = tf.memory().numTensors;
    const r = new StepRecorder();
    tf.tidy(() => r.record('a', tf.scalar(1)));
    r.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
