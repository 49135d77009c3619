import { ConfigError, type Rng } from '@metadg/core';
import type { Image } from '../image/image.js';
import { resizeImage } from '../image/resample.js';

/** Options of `gaussianBlur`. */
export interface BlurOptions {
  /** Standard deviation in pixels; 0 leaves the image unchanged. */
  readonly sigma: number;
}

/**
 * Gaussian blur (defocus, motion-free camera shake, cheap optics): separable
 * kernel of radius ⌈3σ⌉, normalised to sum 1, edges replicated.
 */
export function gaussianBlur(image: Image, options: BlurOptions): Image {
  const { sigma } = options;
  if (!(sigma >= 0 && Number.isFinite(sigma))) throw new ConfigError('blur.sigma', `must be >= 0, got ${sigma}`);
  if (sigma === 0) return image;
  const kernel = gaussianKernel(sigma);
  return convolveAxis(convolveAxis(image, kernel, 'x'), kernel, 'y');
}

/** Normalised 1-D Gaussian taps, centre at index `radius`. */
export function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float32Array(2 * radius + 1);
  let total = 0;
  for (let i = -radius; i <= radius; i++) {
    const w = Math.exp(-(i * i) / (2 * sigma * sigma));
    k[i + radius] = w;
    total += w;
  }
  for (let i = 0; i < k.length; i++) k[i] = (k[i] as number) / total;
  return k;
}

function convolveAxis(image: Image, kernel: Float32Array, axis: 'x' | 'y'): Image {
  const { height: h, width: w, channels: c } = image;
  const radius = (kernel.length - 1) / 2;
  const out = new Float32Array(image.data.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let k = -radius; k <= radius; k++) {
          const xx = axis === 'x' ? Math.min(w - 1, Math.max(0, x + k)) : x;
          const yy = axis === 'y' ? Math.min(h - 1, Math.max(0, y + k)) : y;
          acc += (kernel[k + radius] as number) * (image.data[(yy * w + xx) * c + ch] as number);
        }
        out[(y * w + x) * c + ch] = acc;
      }
    }
  }
  return { ...image, data: out };
}

/** Options of `lowResolution`. */
export interface LowResolutionOptions {
  /** Downsampling factor ≥ 1: the image is reduced to ⌈H/f⌉ × ⌈W/f⌉ pixels, then enlarged back. */
  readonly factor: number;
  /** How it is enlarged back: `bilinear` (default, soft) or `nearest` (blocky, like a digital zoom). */
  readonly upsample?: 'bilinear' | 'nearest';
}

/**
 * Low resolution (a distant face, a surveillance camera): area-average down
 * by `factor`, back up to the original size, so the shape is unchanged but
 * the detail above the reduced Nyquist limit is gone.
 */
export function lowResolution(image: Image, options: LowResolutionOptions): Image {
  const { factor, upsample = 'bilinear' } = options;
  if (!(factor >= 1 && Number.isFinite(factor))) throw new ConfigError('low-res.factor', `must be >= 1, got ${factor}`);
  if (factor === 1) return image;
  const h = Math.max(1, Math.ceil(image.height / factor));
  const w = Math.max(1, Math.ceil(image.width / factor));
  const small = resizeImage(image, h, w);
  return upsample === 'nearest' ? resizeNearest(small, image.height, image.width) : resizeImage(small, image.height, image.width);
}

/** Nearest-neighbour resize (pixel centres). */
export function resizeNearest(image: Image, height: number, width: number): Image {
  const c = image.channels;
  const out = new Float32Array(height * width * c);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(image.height - 1, Math.floor(((y + 0.5) * image.height) / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(image.width - 1, Math.floor(((x + 0.5) * image.width) / width));
      for (let ch = 0; ch < c; ch++) out[(y * width + x) * c + ch] = image.data[(sy * image.width + sx) * c + ch] as number;
    }
  }
  return { height, width, channels: c, data: out };
}

/** Options of `occlusionBand`. */
export interface OcclusionOptions {
  /** Top edge of the band as a fraction of the height (default 0.22: the band then centres on the eyes of a dlib-aligned face, y ≈ 0.3). */
  readonly top?: number;
  /** Band height as a fraction of the height (default 0.16). */
  readonly height?: number;
  /** Fill value, the same in every channel (default 0.05: dark glasses). */
  readonly value?: number;
  /** The band's top moves by a uniform draw in ±jitter (fraction of the height); needs an `rng` (default 0). */
  readonly jitter?: number;
}

/** Defaults of `occlusionBand`. */
export const OCCLUSION_DEFAULTS = { top: 0.22, height: 0.16, value: 0.05, jitter: 0 };

/**
 * A horizontal band across the full width (sunglasses, a mask, a scarf):
 * rows ⌊top·H⌉ … ⌊(top + height)·H⌉ − 1 are set to `value`.
 */
export function occlusionBand(image: Image, options: OcclusionOptions = {}, rng?: Rng): Image {
  const top = options.top ?? OCCLUSION_DEFAULTS.top;
  const height = options.height ?? OCCLUSION_DEFAULTS.height;
  const value = options.value ?? OCCLUSION_DEFAULTS.value;
  const jitter = options.jitter ?? OCCLUSION_DEFAULTS.jitter;
  if (!(top >= 0 && top < 1)) throw new ConfigError('occlusion.top', `must be in [0, 1), got ${top}`);
  if (!(height > 0 && height <= 1)) throw new ConfigError('occlusion.height', `must be in (0, 1], got ${height}`);
  if (!(value >= 0 && value <= 1)) throw new ConfigError('occlusion.value', `must be in [0, 1], got ${value}`);
  if (!(jitter >= 0 && jitter < 1)) throw new ConfigError('occlusion.jitter', `must be in [0, 1), got ${jitter}`);
  const shift = jitter > 0 && rng ? rng.uniform(-jitter, jitter) : 0;
  const y0 = Math.max(0, Math.round((top + shift) * image.height));
  const y1 = Math.min(image.height, Math.round((top + shift + height) * image.height));
  const out = image.data.slice();
  const rowValues = image.width * image.channels;
  for (let y = y0; y < y1; y++) out.fill(value, y * rowValues, (y + 1) * rowValues);
  return { ...image, data: out };
}
