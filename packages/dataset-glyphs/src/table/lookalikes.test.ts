import { describe, expect, it } from 'vitest';
import { groupLookalikes, renderDistance } from './lookalikes.js';

/** A 4×4 render with ink at the given pixel indices. */
function img(...ink: number[]): Float32Array {
  const a = new Float32Array(16);
  for (const i of ink) a[i] = 1;
  return a;
}

describe('renderDistance', () => {
  it('matches hand-computed values', () => {
    expect(renderDistance(img(0, 1), img(0, 1))).toBe(0);
    // Disjoint ink of equal mass: ‖a − b‖² = 4, mass = 2 → √2.
    expect(renderDistance(img(0, 1), img(2, 3))).toBeCloseTo(Math.SQRT2, 12);
    // b = 2a: ‖a − b‖² = ‖a‖² = 2, mass = (2 + 8)/2 = 5 → √0.4.
    const a = img(5, 6);
    const b = a.map((v) => 2 * v);
    expect(renderDistance(a, b)).toBeCloseTo(Math.sqrt(0.4), 12);
    // One pixel of three differs: ‖a − b‖² = 2, mass = 3 → √(2/3).
    expect(renderDistance(img(0, 1, 2), img(0, 1, 3))).toBeCloseTo(Math.sqrt(2 / 3), 12);
    expect(renderDistance(img(), img())).toBe(0);
  });
});

describe('groupLookalikes', () => {
  // Code points 10, 20, 30, 40 rendered by three families on a 4×4 grid.
  const X = img(0, 1, 2, 3, 4, 8, 12);
  const Y = img(5, 6, 9, 10);
  const Z = img(15);

  it('merges code points that render the same in more than half of the families', () => {
    const renders = [
      [X, X, Y, Z], // family 0: 10 ≡ 20
      [X, X, Y, Z], // family 1: 10 ≡ 20
      [X, Y, Y, Z], // family 2: 20 ≡ 30
    ];
    const groups = groupLookalikes(renders, [10, 20, 30, 40], 4, { threshold: 0.1, agreement: 0.5 });
    expect(groups).toEqual([[10, 20], [30], [40]]);
  });

  it('does not merge on exactly half of the families, and merges transitively', () => {
    const half = [
      [X, X],
      [X, Y],
    ];
    expect(groupLookalikes(half, [1, 2], 4, { threshold: 0.1, agreement: 0.5 })).toEqual([[1], [2]]);
    // a ≈ b (d ≈ 0.47) and b ≈ c (0.47) but a ≉ c (0.67): one group through b.
    const a = img(0, 1, 2, 4, 5, 6, 8, 9, 10);
    const b = img(0, 1, 2, 4, 5, 6, 8, 9, 11);
    const c = img(0, 1, 2, 4, 5, 6, 8, 13, 11);
    expect(renderDistance(a, c)).toBeGreaterThan(0.5);
    expect(groupLookalikes([[c, a, b]], [3, 1, 2], 4, { threshold: 0.5, agreement: 0.5 })).toEqual([[1, 2, 3]]);
  });

  it('uses the threshold on the scale-free distance (near-identical, not just similar)', () => {
    const a = img(0, 1, 2, 4, 5, 6, 8, 9, 10); // 9 px
    const b = img(0, 1, 2, 4, 5, 6, 8, 9, 11); // 1 of 9 moved: d = √(2/9) ≈ 0.47
    expect(groupLookalikes([[a, b]], [1, 2], 4, { threshold: 0.5, agreement: 0.5 })).toEqual([[1, 2]]);
    expect(groupLookalikes([[a, b]], [1, 2], 4, { threshold: 0.4, agreement: 0.5 })).toEqual([[1], [2]]);
  });

  it('rejects families with a different number of renders', () => {
    expect(() => groupLookalikes([[X, Y], [X]], [1, 2], 4, { threshold: 0.1, agreement: 0.5 })).toThrow(/family 1/);
  });
});
