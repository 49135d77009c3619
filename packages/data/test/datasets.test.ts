import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataError, Rng, ShapeError } from '@metadg/core';
import {
  InMemoryDataset,
  LazyDataset,
  greyscale,
  mergeIdentities,
  restrictDomains,
  splitIdentities,
  withDerivedDomains,
  type Image,
} from '../src/index.js';
import { maxAbsDiff, useCpuBackend } from './helpers.js';

beforeAll(useCpuBackend);

/** 2×2×1 samples whose values encode domain, identity and index, so a load can be checked value by value. */
function coded(domain: number, identity: number, index: number): number[] {
  const base = (domain * 100 + identity * 10 + index) / 1000;
  return [base, base + 0.0001, base + 0.0002, base + 0.0003];
}

function toyDataset(): InMemoryDataset {
  const samples: Record<string, Record<string, Float32Array>> = {};
  ['a', 'b', 'c'].forEach((domain, d) => {
    samples[domain] = {};
    for (let id = 0; id < 6; id++) {
      const n = id + 2;
      if (domain === 'c' && id === 5) continue; // identity 5 is absent from c
      samples[domain]![`id${id}`] = Float32Array.from(Array.from({ length: n }, (_, k) => coded(d, id, k)).flat());
    }
  });
  return new InMemoryDataset({ name: 'toy', sampleShape: [2, 2, 1], samples });
}

describe('InMemoryDataset', () => {
  it('lists identities sorted with their counts, and loads NHWC float32 batches in ref order', async () => {
    const ds = toyDataset();
    expect(ds.domains).toEqual(['a', 'b', 'c']);
    expect(ds.identities('b').map((i) => [i.id, i.samples])).toEqual([
      ['id0', 2], ['id1', 3], ['id2', 4], ['id3', 5], ['id4', 6], ['id5', 7],
    ]);
    const batch = await ds.load([
      { domain: 'b', identity: 'id3', index: 4 },
      { domain: 'a', identity: 'id0', index: 1 },
    ]);
    expect(batch.shape).toEqual([2, 2, 2, 1]);
    expect(batch.dtype).toBe('float32');
    expect(maxAbsDiff(await batch.data(), [...coded(1, 3, 4), ...coded(0, 0, 1)])).toBeLessThan(1e-7);
    batch.dispose();
    const empty = await ds.load([]);
    expect(empty.shape).toEqual([0, 2, 2, 1]);
    empty.dispose();
  });

  it('scales bytes by 1/255 and groups labelled arrays by identity', async () => {
    const ds = InMemoryDataset.fromLabelled({
      name: 'digits',
      sampleShape: [1, 2, 1],
      domains: { x: { images: Uint8Array.from([0, 255, 51, 102, 255, 0]), identities: ['7', '3', '7'] } },
    });
    expect(ds.identities('x')).toEqual([{ id: '3', samples: 1 }, { id: '7', samples: 2 }]);
    const t = await ds.load([{ domain: 'x', identity: '7', index: 1 }, { domain: 'x', identity: '3', index: 0 }]);
    expect(maxAbsDiff(await t.data(), [1, 0, 0.2, 0.4])).toBeLessThan(1e-6);
    t.dispose();
  });

  it('names the bad ref, array or value in its errors', async () => {
    const ds = toyDataset();
    await expect(ds.load([{ domain: 'z', identity: 'id0', index: 0 }])).rejects.toThrow(/toy\/z\/id0#0: unknown domain/);
    await expect(ds.load([{ domain: 'c', identity: 'id5', index: 0 }])).rejects.toThrow(/not in domain "c"/);
    await expect(ds.load([{ domain: 'a', identity: 'id0', index: 2 }])).rejects.toThrow(/index 2 out of range/);
    expect(() => ds.identities('nope')).toThrow(DataError);
    expect(() => new InMemoryDataset({ name: 'bad', sampleShape: [2, 2, 1], samples: { a: { x: new Float32Array(5) } } })).toThrow(ShapeError);
    expect(() => new InMemoryDataset({ name: 'bad', sampleShape: [1, 1, 1], samples: { a: { x: Float32Array.of(Number.NaN) } } })).toThrow(/bad\/a\/x: .*\[0, 1\]/);
    expect(() => new InMemoryDataset({ name: 'bad', sampleShape: [1, 1, 1], samples: { a: { x: Float32Array.of(1.5) } } })).toThrow(DataError);
  });

  it('keeps the tensor count flat across loads', async () => {
    const ds = toyDataset();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) (await ds.load([{ domain: 'a', identity: 'id1', index: i % 3 }])).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('LazyDataset', () => {
  function lazy(cacheBytes: number, failing: Set<string> = new Set(), strict = false) {
    const decoded: string[] = [];
    const bad: string[] = [];
    const value = (s: string): number => Number(s.split(':')[1]) / 10;
    const index = new Map([
      ['d1', new Map([['p', ['p:1', 'p:2', 'p:3']], ['q', ['q:4']]])],
      ['d2', new Map([['p', ['p:5']]])],
    ]);
    const ds = new LazyDataset<string>({
      name: 'lazy',
      sampleShape: [1, 1, 1],
      index,
      cacheBytes,
      strict,
      decode: async (s): Promise<Image> => {
        decoded.push(s);
        if (failing.has(s)) throw new Error('broken bytes');
        return { height: 1, width: 1, channels: 1, data: Float32Array.of(value(s)) };
      },
      describe: (s) => `file(${s})`,
      onBadSource: (s) => bad.push(s),
    });
    return { ds, decoded, bad };
  }

  it('decodes on first use, serves repeats from the cache, and respects the byte budget', async () => {
    const { ds, decoded } = lazy(8); // two 1-pixel float images
    const t1 = await ds.load([{ domain: 'd1', identity: 'p', index: 0 }, { domain: 'd1', identity: 'p', index: 1 }]);
    t1.dispose();
    const t2 = await ds.load([{ domain: 'd1', identity: 'p', index: 0 }]);
    expect(Array.from(await t2.data())).toEqual([Math.fround(0.1)]);
    t2.dispose();
    expect(decoded).toEqual(['p:1', 'p:2']);
    (await ds.load([{ domain: 'd1', identity: 'p', index: 2 }])).dispose(); // evicts p:2 (p:1 was used more recently)
    (await ds.load([{ domain: 'd1', identity: 'p', index: 1 }])).dispose();
    expect(decoded).toEqual(['p:1', 'p:2', 'p:3', 'p:2']);
    expect(ds.cacheStats().bytes).toBeLessThanOrEqual(8);
  });

  it('lenient: an undecodable sample is reported once and replaced by the next one of its identity', async () => {
    const { ds, bad } = lazy(1024, new Set(['p:2']));
    const t = await ds.load([{ domain: 'd1', identity: 'p', index: 1 }, { domain: 'd1', identity: 'p', index: 1 }]);
    expect(Array.from(await t.data())).toEqual([Math.fround(0.3), Math.fround(0.3)]);
    t.dispose();
    expect(bad).toEqual(['p:2']);
    expect(ds.badSources).toBe(1);
  });

  it('lenient: an identity with no decodable sample is a DataError naming it', async () => {
    const { ds } = lazy(1024, new Set(['q:4']));
    await expect(ds.load([{ domain: 'd1', identity: 'q', index: 0 }])).rejects.toThrow(/lazy\/d1\/q: none of the identity's 1 images/);
  });

  it('strict: the first undecodable sample is a DataError naming its source', async () => {
    const { ds } = lazy(1024, new Set(['p:2']), true);
    await expect(ds.load([{ domain: 'd1', identity: 'p', index: 1 }])).rejects.toThrow(/file\(p:2\): cannot decode image: broken bytes/);
  });
});

describe('views', () => {
  it('restrictDomains keeps the given domains in order and refuses others', async () => {
    const v = restrictDomains(toyDataset(), ['c', 'a']);
    expect(v.domains).toEqual(['c', 'a']);
    expect(() => v.identities('b')).toThrow(DataError);
    await expect(v.load([{ domain: 'b', identity: 'id0', index: 0 }])).rejects.toThrow(DataError);
    expect(() => restrictDomains(toyDataset(), ['x'])).toThrow(/unknown domain "x"/);
  });

  it('splitIdentities gives disjoint parts covering all identities, deterministic per seed', async () => {
    const ds = toyDataset();
    const s1 = splitIdentities(ds, { testFraction: 0.34, valFraction: 0.17, seed: 7 });
    const s2 = splitIdentities(ds, { testFraction: 0.34, valFraction: 0.17, seed: 7 });
    expect(s1.identities).toEqual(s2.identities);
    const { train, val, test } = s1.identities;
    expect([train.length, val.length, test.length]).toEqual([3, 1, 2]);
    expect(new Set([...train, ...val, ...test]).size).toBe(6);
    // No identity is shared by two parts, in any domain.
    const idsOf = (view: typeof s1.train) => new Set(view.domains.flatMap((d) => view.identities(d).map((i) => i.id)));
    const [a, b, c] = [idsOf(s1.train), idsOf(s1.val!), idsOf(s1.test)];
    for (const id of a) expect(b.has(id) || c.has(id)).toBe(false);
    for (const id of b) expect(c.has(id)).toBe(false);
    await expect(s1.train.load([{ domain: 'a', identity: test[0]!, index: 0 }])).rejects.toThrow(DataError);
    const t = await s1.test.load([{ domain: 'a', identity: test[0]!, index: 1 }]);
    expect(t.shape[0]).toBe(1);
    t.dispose();
    const seeds = new Set([1, 2, 3, 4, 5, 6].map((seed) => splitIdentities(ds, { testFraction: 0.5, seed }).identities.test.join()));
    expect(seeds.size).toBeGreaterThan(1);
    expect(s1.identities.test.every((id) => !train.includes(id))).toBe(true);
  });

  it('splitIdentities validates fractions and sizes', () => {
    const ds = toyDataset();
    expect(() => splitIdentities(ds, { testFraction: 0, seed: 1 })).toThrow(/testFraction/);
    expect(() => splitIdentities(ds, { testFraction: 0.6, valFraction: 0.5, seed: 1 })).toThrow(/valFraction/);
    expect(() => splitIdentities(ds, { testFraction: 0.9, valFraction: 0.09, seed: 1 })).toThrow(/no training identities/);
  });

  it('mergeIdentities relabels and concatenates samples of merged identities in old-key order', async () => {
    const ds = toyDataset();
    const merged = mergeIdentities(ds, { id1: 'person', id0: 'person' });
    const a = merged.identities('a');
    expect(a.map((i) => i.id)).toEqual(['id2', 'id3', 'id4', 'id5', 'person']);
    expect(a.find((i) => i.id === 'person')?.samples).toBe(2 + 3);
    const t = await merged.load([
      { domain: 'a', identity: 'person', index: 1 }, // id0 #1
      { domain: 'a', identity: 'person', index: 2 }, // id1 #0
      { domain: 'b', identity: 'id4', index: 5 },
    ]);
    expect(maxAbsDiff(await t.data(), [...coded(0, 0, 1), ...coded(0, 1, 0), ...coded(1, 4, 5)])).toBeLessThan(1e-7);
    t.dispose();
    const byDomain = mergeIdentities(ds, (id, domain) => (domain === 'c' ? `c-${id}` : id));
    expect(byDomain.identities('c')[0]?.id).toBe('c-id0');
    expect(() => mergeIdentities(ds, () => '')).toThrow(DataError);
  });

  it('mergeIdentities with a table ignores inherited names (an identity called "constructor")', () => {
    const ds = new InMemoryDataset({
      name: 'proto',
      sampleShape: [1, 1, 1],
      samples: { a: { constructor: Float32Array.from([0.1]), toString: Float32Array.from([0.2]) } },
    });
    const merged = mergeIdentities(ds, { toString: 'x' });
    expect(merged.identities('a').map((i) => i.id)).toEqual(['constructor', 'x']);
  });

  it('withDerivedDomains adds transformed domains with the source identities, values = transform(source)', async () => {
    const ds = toyDataset();
    const calls: string[] = [];
    const view = withDerivedDomains(ds, [
      {
        name: 'a-dark',
        from: 'a',
        transform: (image, rng) => {
          calls.push(String(rng.seed));
          return { ...image, data: image.data.map((v) => v * v) };
        },
      },
    ], { seed: 3 });
    expect(view.domains).toEqual(['a', 'b', 'c', 'a-dark']);
    expect(view.identities('a-dark')).toEqual(ds.identities('a'));
    const refs = [
      { domain: 'a-dark', identity: 'id2', index: 3 },
      { domain: 'b', identity: 'id2', index: 3 },
      { domain: 'a-dark', identity: 'id2', index: 3 },
    ];
    const t = await view.load(refs);
    const src = coded(0, 2, 3);
    expect(maxAbsDiff(await t.data(), [...src.map((v) => v * v), ...coded(1, 2, 3), ...src.map((v) => v * v)])).toBeLessThan(1e-7);
    t.dispose();
    // Per-sample streams: the same sample always gets the same stream.
    expect(calls[0]).toBe(calls[1]);
    expect(calls[0]).toBe(String(new Rng(3).fork('derived-domains').fork('a-dark/id2/3').seed));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) (await view.load(refs)).dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => withDerivedDomains(ds, [{ name: 'b', from: 'a', transform: (x) => x }])).toThrow(/clashes/);
    const only = withDerivedDomains(ds, [{ name: 'g', from: 'a', transform: greyscale }], { keepSources: false });
    expect(only.domains).toEqual(['g']);
  });

  it('withDerivedDomains refuses a transform that changes the shape', async () => {
    const view = withDerivedDomains(toyDataset(), [
      { name: 'x', from: 'a', transform: (image) => ({ ...image, height: 1, data: image.data.slice(0, 2) }) },
    ]);
    await expect(view.load([{ domain: 'x', identity: 'id0', index: 0 }])).rejects.toThrow(ShapeError);
  });
});
