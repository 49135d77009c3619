import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError, NumericalError, ShapeError, type SampleShape } from '@metadg/core';
import { useCpuBackend } from '../../test/helpers.js';
import { InMemoryDataset } from '../dataset/in-memory.js';
import { embedDataset, type EmbeddingModel } from './embed-dataset.js';

beforeAll(useCpuBackend);

/** 2×2 grey images, 3 labels with 5, 3 and 4 samples; sample k of a label has pixels (k+1)·[1, 2, 3, 4]/20 (+ label offset). */
function dataset(): InMemoryDataset {
  const pixels = (offset: number, n: number): Float32Array =>
    Float32Array.from({ length: n * 4 }, (_, i) => Math.min(1, ((Math.floor(i / 4) + 1) * ((i % 4) + 1)) / 20 + offset));
  return new InMemoryDataset({
    name: 'toy',
    sampleShape: [2, 2, 1],
    samples: { d1: { a: pixels(0, 5), b: pixels(0.01, 3) }, d2: { a: pixels(0.02, 4) } },
  });
}

/** Embedding = [x₀ + x₁, x₂ − x₃ + 1, 3·x₃]: hand-checkable. */
function linearModel(overrides: Partial<EmbeddingModel> = {}): EmbeddingModel {
  return {
    name: 'linear',
    inputShape: [2, 2, 1],
    embeddingSize: 3,
    embed: (x) =>
      tf.tidy(() => {
        const f = tf.reshape(x, [x.shape[0], 4]);
        const w = tf.tensor2d([1, 0, 0, 1, 0, 0, 0, 1, 0, 0, -1, 3], [4, 3]);
        return tf.add(tf.matMul(f, w), tf.tensor2d([[0, 1, 0]]));
      }),
    ...overrides,
  };
}

describe('embedDataset', () => {
  it('embeds every sample of every label, L2-normalised, in batches that span labels (hand-computed)', async () => {
    const set = await embedDataset(dataset(), linearModel(), { batchSize: 3 });
    expect(set.embeddingSize).toBe(3);
    expect(set.labels.map((l) => [l.domain, l.identity, l.vectors.length / 3])).toEqual([
      ['d1', 'a', 5],
      ['d1', 'b', 3],
      ['d2', 'a', 4],
    ]);
    // d1/a sample 0: pixels [0.05, 0.1, 0.15, 0.2] → [0.15, 0.95, 0.6], normalised.
    const e = [0.15, 0.95, 0.6];
    const n = Math.hypot(...e);
    const row0 = Array.from(set.labels[0]?.vectors.subarray(0, 3) ?? []);
    row0.forEach((v, k) => expect(v).toBeCloseTo((e[k] as number) / n, 6));
    for (const l of set.labels) {
      for (let r = 0; r < l.vectors.length / 3; r++) expect(Math.hypot(...l.vectors.subarray(r * 3, r * 3 + 3))).toBeCloseTo(1, 5);
    }
    // The batch size does not change the result.
    const whole = await embedDataset(dataset(), linearModel(), { batchSize: 64 });
    whole.labels.forEach((l, i) => expect(Array.from(l.vectors)).toEqual(Array.from(set.labels[i]?.vectors ?? [])));
  });

  it('keeps the tensor count flat, also when the model fails', async () => {
    const before = tf.memory().numTensors;
    await embedDataset(dataset(), linearModel(), { batchSize: 2 });
    expect(tf.memory().numTensors).toBe(before);
    const nan = linearModel({ embed: (x) => tf.tidy(() => tf.mul(tf.reshape(x, [x.shape[0], 4]).slice([0, 0], [-1, 3]), Number.NaN)) });
    await expect(embedDataset(dataset(), nan)).rejects.toThrow(NumericalError);
    const wide = linearModel({ embeddingSize: 4 });
    await expect(embedDataset(dataset(), wide)).rejects.toThrow(ShapeError);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('draws at most maxPerIdentity samples per label, reproducibly from the seed', async () => {
    const full = await embedDataset(dataset(), linearModel());
    const capped = await embedDataset(dataset(), linearModel(), { maxPerIdentity: 3, seed: 7 });
    expect(capped.labels.map((l) => l.vectors.length / 3)).toEqual([3, 3, 3]);
    const again = await embedDataset(dataset(), linearModel(), { maxPerIdentity: 3, seed: 7 });
    again.labels.forEach((l, i) => expect(Array.from(l.vectors)).toEqual(Array.from(capped.labels[i]?.vectors ?? [])));
    // Every drawn row is one of the label's rows, and no row is drawn twice.
    capped.labels.forEach((l, i) => {
      const rows = (v: Float32Array): string[] => Array.from({ length: v.length / 3 }, (_, r) => Array.from(v.subarray(r * 3, r * 3 + 3)).join(','));
      const all = rows(full.labels[i]?.vectors ?? new Float32Array());
      const drawn = rows(l.vectors);
      expect(new Set(drawn).size).toBe(drawn.length);
      for (const r of drawn) expect(all).toContain(r);
    });
  });

  it('embeds only the domains asked for', async () => {
    const set = await embedDataset(dataset(), linearModel(), { domains: ['d2'] });
    expect(set.labels.map((l) => `${l.domain}/${l.identity}`)).toEqual(['d2/a']);
  });

  it('names what is wrong: shapes, options, domains, non-finite embeddings', async () => {
    const ds = dataset();
    const wrongInput = linearModel({ inputShape: [4, 4, 1] as SampleShape });
    await expect(embedDataset(ds, wrongInput)).rejects.toThrow('toy samples for linear: expected shape [4, 4, 1] (the model\'s input), got [2, 2, 1]');
    await expect(embedDataset(ds, linearModel({ embeddingSize: 4 }))).rejects.toThrow(/linear\.embed output: expected shape \[12, 4\], got \[12, 3\]/);
    await expect(embedDataset(ds, linearModel(), { batchSize: 0 })).rejects.toThrow(ConfigError);
    await expect(embedDataset(ds, linearModel(), { maxPerIdentity: 1.5 })).rejects.toThrow(/maxPerIdentity: must be a positive integer/);
    await expect(embedDataset(ds, linearModel(), { domains: ['d9'] })).rejects.toThrow(DataError);
    const inf = linearModel({
      embed: (x) => tf.tidy(() => tf.div(tf.reshape(x, [x.shape[0], 4]).slice([0, 0], [-1, 3]), tf.scalar(0))),
    });
    await expect(embedDataset(ds, inf)).rejects.toThrow(/linear on toy\/d1\/a#0: embedding is not finite/);
  });
});
