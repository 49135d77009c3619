import { describe, expect, it } from 'vitest';
import { Rng, hashString } from './rng.js';

describe('Rng', () => {
  it('is reproducible: same seed, same stream', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 100 }, () => a.nextUint32());
    const ys = Array.from({ length: 100 }, () => b.nextUint32());
    expect(xs).toEqual(ys);
    expect(new Rng(43).nextUint32()).not.toBe(xs[0]);
  });

  it('forks depend on seed and label only, not on draws from the parent', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    for (let i = 0; i < 10; i++) b.next();
    expect(a.fork('episode/3').next()).toBe(b.fork('episode/3').next());
    expect(a.fork('episode/3').next()).not.toBe(a.fork('episode/4').next());
  });

  it('draws uniform floats with the right mean and range', () => {
    const r = new Rng(1);
    let sum = 0;
    for (let i = 0; i < 20000; i++) {
      const x = r.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      sum += x;
    }
    expect(sum / 20000).toBeCloseTo(0.5, 1);
  });

  it('int(n) is unbiased over a small range', () => {
    const r = new Rng(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30000; i++) counts[r.int(3)]!++;
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(400);
    expect(() => r.int(0)).toThrow(/positive integer/);
  });

  it('normal() has mean 0 and variance 1', () => {
    const r = new Rng(5);
    const xs = Array.from({ length: 20000 }, () => r.normal());
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it('sample() draws distinct items and refuses impossible draws', () => {
    const r = new Rng(9);
    const items = Array.from({ length: 20 }, (_, i) => i);
    const drawn = r.sample(items, 20);
    expect(new Set(drawn).size).toBe(20);
    expect([...drawn].sort((x, y) => x - y)).toEqual(items);
    expect(() => r.sample(items, 21)).toThrow(/cannot draw 21/);
  });

  it('shuffle() permutes without losing items', () => {
    const r = new Rng(11);
    const s = r.shuffle(['a', 'b', 'c', 'd', 'e']);
    expect([...s].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('string seeds hash deterministically', () => {
    expect(hashString('mfr')).toBe(hashString('mfr'));
    expect(hashString('mfr')).not.toBe(hashString('erm'));
    expect(new Rng('x').seed).toBe(hashString('x'));
  });
});
