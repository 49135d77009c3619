import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Rng } from '@metadg/core';
import { adjustBrightnessContrast, affineWarp, augmentBatch, augmentImage, flipHorizontal, imagesToBatch } from '../src/index.js';
import { img, maxAbsDiff, meanAbsDiff, pattern, useCpuBackend } from './helpers.js';

beforeAll(useCpuBackend);

describe('geometric primitives', () => {
  it('flip mirrors columns (and twice is the identity)', () => {
    const src = img(2, 3, 1, [1, 2, 3, 4, 5, 6].map((v) => v / 10));
    expect(Array.from(flipHorizontal(src).data)).toEqual([3, 2, 1, 6, 5, 4].map((v) => Math.fround(v / 10)));
    expect(Array.from(flipHorizontal(flipHorizontal(src)).data)).toEqual(Array.from(src.data));
  });

  it('identity affine parameters reproduce the image', () => {
    const p = pattern(9, 7, 1);
    const out = affineWarp(p, { angle: 0, scale: 1, shiftX: 0, shiftY: 0 });
    expect(maxAbsDiff(out.data, p.data)).toBeLessThan(1e-6);
  });

  it('a 90° rotation moves the top-middle pixel to the left-middle (counter-clockwise as displayed)', () => {
    const src = img(3, 3, 1, [0, 1, 0, 0, 0, 0, 0, 0, 0]);
    const out = affineWarp(src, { angle: Math.PI / 2, scale: 1, shiftX: 0, shiftY: 0 });
    expect(out.data[1 * 3 + 0]).toBeCloseTo(1, 5);
    expect(out.data[0 * 3 + 1]).toBeCloseTo(0, 5);
  });

  it('a shift by one pixel moves content right by one pixel, replicating the left edge', () => {
    const src = img(1, 4, 1, [0.1, 0.2, 0.3, 0.4]);
    const out = affineWarp(src, { angle: 0, scale: 1, shiftX: 0.25, shiftY: 0 });
    expect(maxAbsDiff(out.data, [0.1, 0.1, 0.2, 0.3])).toBeLessThan(1e-6);
  });
});

describe('brightness and contrast', () => {
  it('scales about the mean and adds the offset: [0.2, 0.6], contrast 2, brightness 0.1 → [0.1, 0.9]', () => {
    const out = adjustBrightnessContrast(img(1, 2, 1, [0.2, 0.6]), 0.1, 2);
    expect(out.data[0]).toBeCloseTo(0.1, 6);
    expect(out.data[1]).toBeCloseTo(0.9, 6);
  });

  it('clamps to [0, 1]', () => {
    const out = adjustBrightnessContrast(img(1, 2, 1, [0, 1]), 0.5, 3);
    expect(Array.from(out.data)).toEqual([0, 1]);
  });
});

describe('augmentImage', () => {
  const p = pattern(20, 16, 4);

  it('is deterministic per rng state, differs between seeds, and keeps shape and range', () => {
    const a = augmentImage(p, new Rng(3));
    const b = augmentImage(p, new Rng(3));
    const c = augmentImage(p, new Rng(4));
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(meanAbsDiff(a.data, c.data)).toBeGreaterThan(1e-3);
    expect([a.height, a.width, a.channels]).toEqual([20, 16, 3]);
    expect(a.data.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('with everything switched off it is the identity', () => {
    const out = augmentImage(p, new Rng(9), { flip: 0, crop: false, affine: false, brightness: 0, contrast: 0 });
    expect(maxAbsDiff(out.data, p.data)).toBe(0);
  });

  it('flip-only with p = 1 is exactly a horizontal flip', () => {
    const out = augmentImage(p, new Rng(9), { flip: 1, crop: false, affine: false, brightness: 0, contrast: 0 });
    expect(maxAbsDiff(out.data, flipHorizontal(p).data)).toBe(0);
  });

  it('switching one step off does not change the parameters drawn for the others', () => {
    const onlyFlip = augmentImage(p, new Rng(11), { flip: 0.5, crop: false, affine: false, brightness: 0, contrast: 0 });
    const flipAndBrightness = augmentImage(p, new Rng(11), { flip: 0.5, crop: false, affine: false, brightness: 0.2, contrast: 0 });
    // Undo the brightness offset: same flip decision in both.
    const diff = Array.from(flipAndBrightness.data, (v, i) => v - (onlyFlip.data[i] as number));
    const interior = diff.filter((_, i) => (onlyFlip.data[i] as number) > 0.25 && (onlyFlip.data[i] as number) < 0.75);
    expect(Math.max(...interior) - Math.min(...interior)).toBeLessThan(1e-5);
  });

  it('rejects bad options with a ConfigError naming the field', () => {
    expect(() => augmentImage(p, new Rng(1), { flip: 2 })).toThrow(/augment\.flip/);
    expect(() => augmentImage(p, new Rng(1), { crop: { minScale: 0 } })).toThrow(ConfigError);
  });
});

describe('augmentBatch', () => {
  it('augments each image with its own fork, leaves the input alone and keeps the tensor count flat', async () => {
    const images = [pattern(12, 12, 1), pattern(12, 12, 2), pattern(12, 12, 3)];
    const input = imagesToBatch(images, [12, 12, 3]);
    const rng = new Rng(21);
    const first = await augmentBatch(input, rng);
    const expected = augmentImage(images[1]!, rng.fork(1));
    const data = await first.data();
    expect(maxAbsDiff(data.subarray(12 * 12 * 3, 2 * 12 * 12 * 3), expected.data)).toBeLessThan(1e-6);
    first.dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) (await augmentBatch(input, rng.fork(i))).dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(input.isDisposed).toBe(false);
    input.dispose();
  });
});
