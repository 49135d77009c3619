import { ShapeError } from '@metadg/core';

/**
 * One image as float32 HWC: `data[(y * width + x) * channels + c]`, values
 * nominally in [0, 1]. Every transform and augmentation in this package is a
 * pure function from `Image` to a new `Image` (inputs are never modified).
 */
export interface Image {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly data: Float32Array;
}

/** Wraps `data` as an image after checking that its length matches the shape. */
export function makeImage(data: Float32Array, height: number, width: number, channels: number): Image {
  assertImageShape(height, width, channels, 'image');
  const expected = height * width * channels;
  if (data.length !== expected) {
    throw new ShapeError('image data', `[${height}, ${width}, ${channels}] (${expected} values)`, `${data.length} values`);
  }
  return { height, width, channels, data };
}

/** A new image of the given shape filled with `value`. */
export function filledImage(height: number, width: number, channels: number, value = 0): Image {
  assertImageShape(height, width, channels, 'image');
  return { height, width, channels, data: new Float32Array(height * width * channels).fill(value) };
}

/** A copy of `image` with the same shape and a fresh buffer. */
export function cloneImage(image: Image): Image {
  return { height: image.height, width: image.width, channels: image.channels, data: image.data.slice() };
}

/** Applies `f` to every value, clamping the result to [0, 1]. */
export function mapValues(image: Image, f: (value: number, channel: number) => number): Image {
  const out = new Float32Array(image.data.length);
  const c = image.channels;
  for (let i = 0; i < out.length; i++) out[i] = clamp01(f(image.data[i] as number, i % c));
  return { height: image.height, width: image.width, channels: c, data: out };
}

/** Clamps to [0, 1]; NaN becomes 0 so that a bad value never propagates silently into a batch. */
export function clamp01(v: number): number {
  return v > 0 ? (v < 1 ? v : 1) : 0;
}

/** Value at (y, x, c) with coordinates clamped to the border (edge replication). */
export function pixelAt(image: Image, y: number, x: number, c: number): number {
  const yy = y < 0 ? 0 : y >= image.height ? image.height - 1 : y;
  const xx = x < 0 ? 0 : x >= image.width ? image.width - 1 : x;
  return image.data[(yy * image.width + xx) * image.channels + c] as number;
}

/** Throws a `ShapeError` unless height, width and channels are positive integers. */
export function assertImageShape(height: number, width: number, channels: number, what: string): void {
  const ok = [height, width, channels].every((v) => Number.isInteger(v) && v > 0);
  if (!ok) throw new ShapeError(what, '[H, W, C] of positive integers', [height, width, channels]);
}

/** Throws a `ShapeError` unless `image` has the given shape. */
export function assertSameShape(image: Image, shape: readonly [number, number, number], what: string): void {
  if (image.height !== shape[0] || image.width !== shape[1] || image.channels !== shape[2]) {
    throw new ShapeError(what, `[${shape.join(', ')}]`, [image.height, image.width, image.channels]);
  }
}

/** ITU-R BT.601 luma weights (R, G, B), the usual RGB → grey conversion. */
export const LUMA_WEIGHTS: readonly [number, number, number] = [0.299, 0.587, 0.114];

/**
 * Converts to `channels` (1 or 3): RGB → grey by BT.601 luma, grey → RGB by
 * replication. Other channel counts are a `ShapeError`.
 */
export function toChannels(image: Image, channels: number): Image {
  if (image.channels === channels) return image;
  const n = image.height * image.width;
  const out = new Float32Array(n * channels);
  if (image.channels === 3 && channels === 1) {
    const [wr, wg, wb] = LUMA_WEIGHTS;
    for (let i = 0; i < n; i++) {
      out[i] = wr * (image.data[3 * i] as number) + wg * (image.data[3 * i + 1] as number) + wb * (image.data[3 * i + 2] as number);
    }
  } else if (image.channels === 1 && channels === 3) {
    for (let i = 0; i < n; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = image.data[i] as number;
  } else {
    throw new ShapeError('image channels', '1 or 3', `${image.channels} → ${channels}`);
  }
  return { height: image.height, width: image.width, channels, data: out };
}
