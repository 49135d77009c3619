import { ConfigError, DataError, Rng } from '@metadg/core';
import { initBackend } from '@metadg/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { shardIndices } from './environments.js';
import { loadMnistDigits, type MnistDigits } from './mnist-digits.js';
import { rotateBilinear } from './rotate.js';
import { createRotatedMnist } from './rotated-mnist.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

/** n synthetic "digits" whose first two bytes spell their index and class (angle 0 keeps them intact). */
function taggedDigits(n: number): MnistDigits {
  const images = new Uint8Array(n * 784);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    images[i * 784] = i % 256;
    images[i * 784 + 1] = Math.floor(i / 256);
    labels[i] = i % 10;
  }
  return { count: n, images, labels, source: 'synthetic' };
}

describe('Rotated MNIST', () => {
  it("has DomainBed's six environments, 28×28×1, classes '0'…'9'", async () => {
    const ds = await createRotatedMnist({ seed: 0 });
    expect(ds.name).toBe('rotated-mnist');
    expect(ds.domains).toEqual(['0', '15', '30', '45', '60', '75']);
    expect(ds.sampleShape).toEqual([28, 28, 1]);
    expect(ds.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(ds.domains.map((d) => ds.size(d))).toEqual([1667, 1667, 1667, 1667, 1666, 1666]);
    for (const d of ds.domains) {
      const ids = ds.identities(d);
      expect(ids.map((i) => i.id)).toEqual(ds.classes);
      expect(ids.reduce((n, i) => n + i.samples, 0)).toBe(ds.size(d));
    }
  });

  it('environment k holds shard k of the seeded shuffle, rotated by its angle', async () => {
    const digits = await loadMnistDigits();
    const ds = await createRotatedMnist({ seed: 11 });
    const shards = shardIndices(digits.count, 6, new Rng(11).fork('shuffle'));
    for (const [env, angle] of [[0, 0], [3, 45], [5, 75]] as const) {
      const domain = ds.domains[env]!;
      // The 3rd image of class '7' in this shard.
      const src = shards[env]!.filter((i) => digits.labels[i] === 7)[2]!;
      const want = rotateBilinear(digits.images.subarray(src * 784, (src + 1) * 784), 28, 28, angle);
      const x = await ds.load([{ domain, identity: '7', index: 2 }]);
      const got = Array.from(await x.data(), (v) => Math.round(v * 255));
      x.dispose();
      expect(got).toEqual([...want]);
    }
  });

  it('environments are disjoint shards that together hold every digit once', async () => {
    // Full turns are exact identities, so each image keeps its tag bytes.
    const ds = await createRotatedMnist({ seed: 4, angles: [0, 360, -360], digits: taggedDigits(3000) });
    const seen = new Map<number, string>();
    for (const domain of ds.domains) {
      const x = await ds.load(ds.refs(domain));
      const v = await x.data();
      x.dispose();
      for (let i = 0; i < v.length / 784; i++) {
        const tag = Math.round(v[i * 784]! * 255) + 256 * Math.round(v[i * 784 + 1]! * 255);
        expect(seen.has(tag), `digit ${tag} in ${seen.get(tag)} and ${domain}`).toBe(false);
        seen.set(tag, domain);
      }
    }
    expect(seen.size).toBe(3000);
  });

  it('is deterministic per seed', async () => {
    const refs = [{ domain: '30', identity: '3', index: 5 }, { domain: '60', identity: '8', index: 0 }];
    const load = async (seed: number): Promise<Float32Array> => {
      const x = await (await createRotatedMnist({ seed })).load(refs);
      const v = (await x.data()) as Float32Array;
      x.dispose();
      return v;
    };
    const [a, b, c] = [await load(2), await load(2), await load(3)];
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
  });

  it('loads [0, 1] values, keeps the tensor count flat, and rejects bad refs', async () => {
    const ds = await createRotatedMnist({ seed: 1 });
    const refs = ds.refs('45').slice(0, 64);
    (await ds.load(refs)).dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const x = await ds.load(refs);
      expect(x.shape).toEqual([64, 28, 28, 1]);
      const v = await x.data();
      expect(Math.max(...v)).toBeLessThanOrEqual(1);
      expect(Math.min(...v)).toBe(0);
      x.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    await expect(ds.load([{ domain: '90', identity: '1', index: 0 }])).rejects.toThrow(/refs\[0\]\.domain: unknown domain "90"/);
    await expect(ds.load([{ domain: '0', identity: '10', index: 0 }])).rejects.toThrow(DataError);
    await expect(ds.load([{ domain: '0', identity: '1', index: 10_000 }])).rejects.toThrow(/refs\[0\]\.index: 10000 is outside/);
    await expect(createRotatedMnist({ angles: [0, 0] })).rejects.toThrow(ConfigError);
    await expect(createRotatedMnist({ seed: -1 })).rejects.toThrow(/seed/);
  });
});
