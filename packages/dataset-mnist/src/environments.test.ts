import { Rng } from '@metadg/core';
import { describe, expect, it } from 'vitest';
import { shardIndices } from './environments.js';

describe('shardIndices (DomainBed: shuffle, then images[i::n])', () => {
  it('deals a shuffled order round-robin into disjoint shards covering everything', () => {
    const shards = shardIndices(10_001, 6, new Rng(3));
    expect(shards.map((s) => s.length)).toEqual([1667, 1667, 1667, 1667, 1667, 1666]);
    const all = shards.flat();
    expect(new Set(all).size).toBe(10_001);
    expect(Math.min(...all)).toBe(0);
    expect(Math.max(...all)).toBe(10_000);
    // Round-robin over the same permutation the Rng's shuffle gives.
    const order = new Rng(3).shuffle(Array.from({ length: 10_001 }, (_, i) => i));
    expect(shards[2]!.slice(0, 3)).toEqual([order[2], order[8], order[14]]);
  });

  it('is deterministic per seed and shuffles (not contiguous blocks)', () => {
    expect(shardIndices(100, 3, new Rng(1))).toEqual(shardIndices(100, 3, new Rng(1)));
    expect(shardIndices(100, 3, new Rng(1))).not.toEqual(shardIndices(100, 3, new Rng(2)));
    const s = shardIndices(1000, 2, new Rng(5))[0]!;
    expect(s.filter((i) => i < 500).length).toBeGreaterThan(200);
    expect(s.filter((i) => i >= 500).length).toBeGreaterThan(200);
  });
});
