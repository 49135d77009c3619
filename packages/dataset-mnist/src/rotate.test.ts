import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rotateBilinear } from './rotate.js';

const grid = (rows: number[][]): Uint8Array => Uint8Array.from(rows.flat());
const rows = (img: Uint8Array, w: number): number[][] => Array.from({ length: img.length / w }, (_, y) => [...img.subarray(y * w, (y + 1) * w)]);

describe('rotateBilinear (Pillow / torchvision semantics)', () => {
  const ramp = grid([
    [1, 2, 3, 4],
    [5, 6, 7, 8],
    [9, 10, 11, 12],
    [13, 14, 15, 16],
  ]);

  it('90° counter-clockwise is the exact permutation out[y][x] = in[x][w−1−y]', () => {
    expect(rows(rotateBilinear(ramp, 4, 4, 90), 4)).toEqual([
      [4, 8, 12, 16],
      [3, 7, 11, 15],
      [2, 6, 10, 14],
      [1, 5, 9, 13],
    ]);
    expect(rows(rotateBilinear(ramp, 4, 4, -90), 4)).toEqual(rows(rotateBilinear(ramp, 4, 4, 270), 4));
    expect(rows(rotateBilinear(ramp, 4, 4, 180), 4)).toEqual([
      [16, 15, 14, 13],
      [12, 11, 10, 9],
      [8, 7, 6, 5],
      [4, 3, 2, 1],
    ]);
    expect(rotateBilinear(ramp, 4, 4, 0)).toEqual(ramp);
    expect(rotateBilinear(ramp, 4, 4, 360)).toEqual(ramp);
  });

  it('45°: bilinear weights and truncation, hand-computed', () => {
    // One lit pixel in[1][2] = 100. Output (x=2, y=1) maps back to (2.707, 2.0);
    // minus the half-pixel offset (2.207, 1.5): v = 100·(1 − 0.207)·0.5 = 39.6 → 39.
    // Output (1, 1) maps to (1.5, 0.793) → 100·0.5·0.793 = 39.6 → 39.
    const dot = new Uint8Array(16);
    dot[1 * 4 + 2] = 100;
    const out = rows(rotateBilinear(dot, 4, 4, 45), 4);
    expect(out[1]![2]).toBe(39);
    expect(out[1]![1]).toBe(39);
    // Whole image as Pillow 12.3 gives it.
    expect(out).toEqual([
      [0, 6, 6, 0],
      [0, 39, 39, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
  });

  it('non-square images rotate about (w/2, h/2) with black fill (Pillow 12.3: [[25, 40, 0], [15, 30, 0]])', () => {
    const img = grid([
      [10, 20, 30],
      [40, 50, 60],
    ]);
    expect(rows(rotateBilinear(img, 3, 2, 90), 3)).toEqual([
      [25, 40, 0],
      [15, 30, 0],
    ]);
  });

  it('matches Pillow byte for byte on real MNIST digits at DomainBed-like angles', () => {
    const fixture = JSON.parse(readFileSync(new URL('../test/fixtures/pil-rotations.json', import.meta.url), 'utf8')) as {
      cases: { digit: number; index: number; angle: number; input: number[]; output: number[] }[];
    };
    expect(fixture.cases.length).toBeGreaterThanOrEqual(6);
    for (const c of fixture.cases) {
      const got = rotateBilinear(Uint8Array.from(c.input), 28, 28, c.angle);
      expect([...got], `digit ${c.digit}#${c.index} at ${c.angle}°`).toEqual(c.output);
    }
  });

  it('rejects an image smaller than its stated size', () => {
    expect(() => rotateBilinear(new Uint8Array(3), 2, 2, 10)).toThrow(RangeError);
  });
});
