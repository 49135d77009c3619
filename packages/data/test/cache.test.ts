import { describe, expect, it } from 'vitest';
import { ByteLruCache } from '../src/index.js';

const bytes = (n: number): Uint8Array => new Uint8Array(n);

describe('ByteLruCache', () => {
  it('evicts least recently used entries to stay within the byte budget', () => {
    const cache = new ByteLruCache<string, Uint8Array>(10, (v) => v.byteLength);
    cache.set('a', bytes(4));
    cache.set('b', bytes(4));
    expect(cache.get('a')).toBeDefined(); // a is now more recent than b
    cache.set('c', bytes(4)); // 12 > 10: evict b
    expect(cache.has('a')).toBe(true);
    expect(cache.has('b')).toBe(false);
    expect(cache.has('c')).toBe(true);
    expect(cache.stats()).toMatchObject({ entries: 2, bytes: 8, evictions: 1, hits: 1 });
  });

  it('never exceeds the budget over many inserts of mixed sizes', () => {
    const cache = new ByteLruCache<number, Uint8Array>(100, (v) => v.byteLength);
    for (let i = 0; i < 200; i++) {
      cache.set(i, bytes((i * 7) % 40 + 1));
      expect(cache.stats().bytes).toBeLessThanOrEqual(100);
    }
  });

  it('does not cache a value larger than the whole budget, and 0 disables caching', () => {
    const cache = new ByteLruCache<string, Uint8Array>(10, (v) => v.byteLength);
    expect(cache.set('big', bytes(11))).toBe(false);
    expect(cache.has('big')).toBe(false);
    const off = new ByteLruCache<string, Uint8Array>(0, (v) => v.byteLength);
    off.set('x', bytes(1));
    expect(off.stats().entries).toBe(0);
  });

  it('replacing a key updates its size; misses are counted', () => {
    const cache = new ByteLruCache<string, Uint8Array>(10, (v) => v.byteLength);
    cache.set('a', bytes(6));
    cache.set('a', bytes(2));
    expect(cache.stats().bytes).toBe(2);
    expect(cache.get('zzz')).toBeUndefined();
    expect(cache.stats().misses).toBe(1);
  });

  it('rejects a negative or non-finite budget', () => {
    expect(() => new ByteLruCache(-1, () => 0)).toThrow(/capacityBytes/);
    expect(() => new ByteLruCache(Number.POSITIVE_INFINITY, () => 0)).toThrow(/capacityBytes/);
  });
});
