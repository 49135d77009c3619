import { ShapeError } from '@metadg/core';
import { assertImageShape, toChannels, type Image } from './image.js';

/**
 * Pixels to resample from: decoded bytes (scale 1/255) or a float image
 * (scale 1). Any channel count; a 4th (alpha) channel is ignored.
 */
export interface PixelSource {
  readonly data: ArrayLike<number>;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /** Multiplier from stored values to [0, 1], e.g. 1/255 for bytes. */
  readonly scale: number;
}

/** A rectangle of the source in pixel units (fractional edges allowed). */
export interface Region {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** One output sample along one axis: source indices and their normalised weights. */
interface Taps {
  readonly index: Int32Array;
  readonly weight: Float32Array;
}

/**
 * Weights along one axis mapping `[start, start + length)` of a source of
 * `size` pixels onto `outSize` pixels. Shrinking averages the covered source
 * pixels (box filter with fractional coverage, no aliasing on big
 * reductions, e.g. 6000 → 112); enlarging interpolates linearly between pixel
 * centres (half-pixel convention, edges replicated).
 */
function axisTaps(start: number, length: number, size: number, outSize: number): Taps[] {
  const step = length / outSize;
  const taps: Taps[] = [];
  for (let i = 0; i < outSize; i++) {
    if (step > 1) {
      const lo = start + i * step;
      const hi = lo + step;
      const first = Math.max(0, Math.floor(lo));
      const last = Math.min(size - 1, Math.ceil(hi) - 1);
      const count = Math.max(1, last - first + 1);
      const index = new Int32Array(count);
      const weight = new Float32Array(count);
      let total = 0;
      for (let k = 0; k < count; k++) {
        const j = first + k;
        const w = Math.max(0, Math.min(hi, j + 1) - Math.max(lo, j));
        index[k] = Math.min(j, size - 1);
        weight[k] = w;
        total += w;
      }
      for (let k = 0; k < count; k++) weight[k] = total > 0 ? (weight[k] as number) / total : 1 / count;
      taps.push({ index, weight });
    } else {
      const p = start + (i + 0.5) * step - 0.5;
      const j0 = Math.floor(p);
      const t = p - j0;
      const clampIndex = (j: number): number => (j < 0 ? 0 : j >= size ? size - 1 : j);
      taps.push({ index: Int32Array.of(clampIndex(j0), clampIndex(j0 + 1)), weight: Float32Array.of(1 - t, t) });
    }
  }
  return taps;
}

/**
 * Resamples `region` of `source` (default: all of it) to `height × width`
 * with `channels` output channels (1: BT.601 luma; 3: RGB, grey replicated).
 * Separable: rows first, then columns, so a 6000×6000 source costs one pass
 * over its pixels and memory proportional to `rows × width` only.
 */
export function resample(
  source: PixelSource,
  height: number,
  width: number,
  channels: number,
  region: Region = { x: 0, y: 0, width: source.width, height: source.height },
): Image {
  assertImageShape(source.height, source.width, source.channels, 'resample source');
  assertImageShape(height, width, channels, 'resample target');
  if (!(region.width > 0 && region.height > 0)) {
    throw new ShapeError('resample region', 'positive width and height', [region.height, region.width]);
  }
  // Working channels: RGB when the source has colour, else grey (alpha dropped).
  const sc = source.channels;
  const wc = sc >= 3 ? 3 : 1;
  const xTaps = axisTaps(region.x, region.width, source.width, width);
  const yTaps = axisTaps(region.y, region.height, source.height, height);
  let rowLo = source.height;
  let rowHi = -1;
  for (const t of yTaps) {
    for (const j of t.index) {
      if (j < rowLo) rowLo = j;
      if (j > rowHi) rowHi = j;
    }
  }
  const rows = rowHi - rowLo + 1;
  const horizontal = new Float32Array(rows * width * wc);
  const src = source.data;
  for (let r = 0; r < rows; r++) {
    const rowBase = (rowLo + r) * source.width * sc;
    for (let x = 0; x < width; x++) {
      const tap = xTaps[x] as Taps;
      const o = (r * width + x) * wc;
      for (let k = 0; k < tap.index.length; k++) {
        const w = tap.weight[k] as number;
        if (w === 0) continue;
        const s = rowBase + (tap.index[k] as number) * sc;
        for (let c = 0; c < wc; c++) horizontal[o + c] = (horizontal[o + c] as number) + w * (src[s + c] as number);
      }
    }
  }
  const out = new Float32Array(height * width * wc);
  for (let y = 0; y < height; y++) {
    const tap = yTaps[y] as Taps;
    for (let k = 0; k < tap.index.length; k++) {
      const w = (tap.weight[k] as number) * source.scale;
      if (w === 0) continue;
      const rowBase = ((tap.index[k] as number) - rowLo) * width * wc;
      const outBase = y * width * wc;
      for (let i = 0; i < width * wc; i++) out[outBase + i] = (out[outBase + i] as number) + w * (horizontal[rowBase + i] as number);
    }
  }
  // Float rounding can leave values a hair outside [0, 1].
  for (let i = 0; i < out.length; i++) {
    const v = out[i] as number;
    out[i] = v > 0 ? (v < 1 ? v : 1) : 0;
  }
  return toChannels({ height, width, channels: wc, data: out }, channels);
}

/** Resizes the whole image to `height × width` (area average when shrinking, bilinear when enlarging). */
export function resizeImage(image: Image, height: number, width: number): Image {
  return resample({ ...image, scale: 1 }, height, width, image.channels);
}

/** Cuts `region` out of `image` and resamples it to `height × width`. */
export function cropAndResize(image: Image, region: Region, height: number, width: number): Image {
  return resample({ ...image, scale: 1 }, height, width, image.channels, region);
}

/**
 * The centred region of a `srcHeight × srcWidth` image with the aspect ratio
 * of `height × width`: resizing it fills the target with no distortion
 * ("cover" — shorter side fits, the longer one is centre-cropped).
 */
export function coverRegion(srcHeight: number, srcWidth: number, height: number, width: number): Region {
  const scale = Math.min(srcWidth / width, srcHeight / height);
  const w = width * scale;
  const h = height * scale;
  return { x: (srcWidth - w) / 2, y: (srcHeight - h) / 2, width: w, height: h };
}
