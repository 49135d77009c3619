import { describe, expect, it } from 'vitest';
import { ShapeError } from '@metadg/core';
import { coverRegion, cropAndResize, makeImage, resample, resizeImage, toChannels } from '../src/index.js';
import { img, maxAbsDiff } from './helpers.js';

describe('resample', () => {
  it('enlarges linearly between pixel centres (half-pixel convention, edges replicated)', () => {
    // Source [0, 1] → 4 pixels: centres map to -0.25, 0.25, 0.75, 1.25 in source pixels.
    const out = resizeImage(img(1, 2, 1, [0, 1]), 1, 4);
    expect(maxAbsDiff(out.data, [0, 0.25, 0.75, 1])).toBeLessThan(1e-6);
  });

  it('shrinks by averaging the covered pixels (2×2 blocks of a 4×4 image)', () => {
    const src = img(4, 4, 1, [
      0, 0.2, 1, 1,
      0.4, 0.2, 1, 0,
      0.5, 0.5, 0.1, 0.3,
      0.5, 0.5, 0.5, 0.7,
    ]);
    const out = resizeImage(src, 2, 2);
    expect(maxAbsDiff(out.data, [0.2, 0.75, 0.5, 0.4])).toBeLessThan(1e-6);
  });

  it('weights fractional coverage when the factor is not an integer (3 → 2)', () => {
    // Output pixel 0 covers source [0, 1.5): 1 × a + 0.5 × b, normalised.
    const out = resizeImage(img(1, 3, 1, [0.3, 0.6, 0.9]), 1, 2);
    expect(out.data[0]).toBeCloseTo((0.3 + 0.5 * 0.6) / 1.5, 6);
    expect(out.data[1]).toBeCloseTo((0.5 * 0.6 + 0.9) / 1.5, 6);
  });

  it('reads bytes with a scale and converts RGBA to RGB or grey', () => {
    const rgba = Uint8Array.from([255, 0, 0, 7, 0, 255, 0, 7]);
    const rgb = resample({ data: rgba, width: 2, height: 1, channels: 4, scale: 1 / 255 }, 1, 2, 3);
    expect(Array.from(rgb.data)).toEqual([1, 0, 0, 0, 1, 0]);
    const grey = resample({ data: rgba, width: 2, height: 1, channels: 4, scale: 1 / 255 }, 1, 2, 1);
    expect(grey.data[0]).toBeCloseTo(0.299, 6);
    expect(grey.data[1]).toBeCloseTo(0.587, 6);
  });

  it('the cover region centre-crops the longer side to the target aspect ratio', () => {
    expect(coverRegion(100, 200, 50, 50)).toEqual({ x: 50, y: 0, width: 100, height: 100 });
    expect(coverRegion(300, 100, 20, 10)).toEqual({ x: 0, y: 50, width: 100, height: 200 });
  });

  it('crop and resize at the same size copies the region exactly', () => {
    const src = img(3, 3, 1, [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]);
    const out = cropAndResize(src, { x: 1, y: 1, width: 2, height: 2 }, 2, 2);
    expect(maxAbsDiff(out.data, [0.4, 0.5, 0.7, 0.8])).toBeLessThan(1e-6);
  });

  it('keeps a constant image constant at any size', () => {
    const src = makeImage(new Float32Array(7 * 5 * 3).fill(0.37), 7, 5, 3);
    for (const [h, w] of [[1, 1], [3, 11], [20, 9]] as const) {
      const out = resizeImage(src, h, w);
      expect(maxAbsDiff(out.data, new Float32Array(h * w * 3).fill(0.37))).toBeLessThan(1e-6);
    }
  });

  it('rejects bad shapes with a ShapeError', () => {
    expect(() => makeImage(new Float32Array(5), 2, 2, 1)).toThrow(ShapeError);
    expect(() => resizeImage(img(1, 1, 1, [0]), 0, 3)).toThrow(ShapeError);
    expect(() => toChannels(img(1, 1, 2, [0, 0]), 3)).toThrow(ShapeError);
  });
});
