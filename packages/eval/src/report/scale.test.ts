import { describe, expect, it } from 'vitest';
import { autoDomain, makeScale } from './scale.js';

describe('scales', () => {
  it('maps linearly with nice ticks', () => {
    const s = makeScale('linear', [0, 1], 100, 300);
    expect(s.toPixel(0)).toBe(100);
    expect(s.toPixel(0.25)).toBe(150);
    expect(s.ticks.map((t) => t.label)).toEqual(['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    // A y axis runs upwards: pixel 300 at the bottom for 0.
    expect(makeScale('linear', [0, 4], 300, 100).toPixel(1)).toBe(250);
  });

  it('maps log10 with decade ticks and clamps values ≤ 0 to the minimum', () => {
    const s = makeScale('log', [1e-4, 1], 0, 400);
    expect(s.toPixel(1e-2)).toBeCloseTo(200, 10);
    expect(s.toPixel(0)).toBe(0);
    expect(s.toPixel(1e-9)).toBe(0);
    expect(s.ticks.map((t) => t.label)).toEqual(['10⁻⁴', '10⁻³', '10⁻²', '10⁻¹', '1']);
  });

  it('fits domains to the data', () => {
    expect(autoDomain('linear', [0.13, 0.87])).toEqual([0, 1]);
    expect(autoDomain('linear', [2.6, 0.18, NaN])).toEqual([0, 3]);
    expect(autoDomain('linear', [5, 5])).toEqual([4, 6]);
    expect(autoDomain('log', [0, 6.7e-4, 0.5, 1])).toEqual([1e-4, 1]);
    expect(autoDomain('log', [])).toEqual([0.1, 1]);
  });
});
