import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, type Rng } from '@metadg/core';
import { batchToImages, imagesToBatch } from '../dataset/batch.js';
import { clamp01, type Image } from '../image/image.js';
import { cropAndResize } from '../image/resample.js';
import { affineWarp, flipHorizontal } from './geometry.js';

/**
 * Photometric change: v ↦ clamp(contrast·(v − m) + m + brightness), where m
 * is the image mean (contrast stretches about the mean, so it does not shift
 * overall brightness).
 */
export function adjustBrightnessContrast(image: Image, brightness: number, contrast: number): Image {
  let mean = 0;
  for (let i = 0; i < image.data.length; i++) mean += image.data[i] as number;
  mean /= image.data.length;
  const out = new Float32Array(image.data.length);
  for (let i = 0; i < out.length; i++) out[i] = clamp01(contrast * ((image.data[i] as number) - mean) + mean + brightness);
  return { ...image, data: out };
}

/**
 * Seeded training augmentations. Each is drawn independently per image;
 * `false`/0 switches one off. Defaults are mild (faces are aligned: large
 * rotations or crops would undo the alignment the backbone relies on).
 */
export interface AugmentOptions {
  /** Probability of a horizontal flip (default 0.5; faces are left–right symmetric). */
  readonly flip?: number;
  /** Random crop keeping a side fraction in [minScale, 1], resized back (default { minScale: 0.9 }). */
  readonly crop?: { readonly minScale: number } | false;
  /** Rotation (degrees), zoom and shift jitter, uniform in ± the bound (default 8°, 0.05, 0.04). */
  readonly affine?: { readonly maxRotationDeg: number; readonly maxScale: number; readonly maxShift: number } | false;
  /** Brightness offset uniform in ±brightness (default 0.1). */
  readonly brightness?: number;
  /** Contrast gain uniform in [1 − contrast, 1 + contrast] (default 0.1). */
  readonly contrast?: number;
}

/** Defaults of `AugmentOptions`. */
export const AUGMENT_DEFAULTS = {
  flip: 0.5,
  crop: { minScale: 0.9 },
  affine: { maxRotationDeg: 8, maxScale: 0.05, maxShift: 0.04 },
  brightness: 0.1,
  contrast: 0.1,
} as const;

/**
 * One random augmentation of `image` drawn from `rng`: crop → affine → flip
 * → brightness/contrast. The same rng state gives the same output; the draws
 * are made in a fixed order whatever is switched off, so switching one step
 * off does not change the others' parameters.
 */
export function augmentImage(image: Image, rng: Rng, options: AugmentOptions = {}): Image {
  const o = resolveOptions(options);
  const draws = {
    cropScale: rng.next(),
    cropX: rng.next(),
    cropY: rng.next(),
    angle: rng.uniform(-1, 1),
    zoom: rng.uniform(-1, 1),
    shiftX: rng.uniform(-1, 1),
    shiftY: rng.uniform(-1, 1),
    flip: rng.next(),
    brightness: rng.uniform(-1, 1),
    contrast: rng.uniform(-1, 1),
  };
  let out = image;
  if (o.crop) {
    const s = o.crop.minScale + (1 - o.crop.minScale) * draws.cropScale;
    const w = image.width * s;
    const h = image.height * s;
    const region = { x: (image.width - w) * draws.cropX, y: (image.height - h) * draws.cropY, width: w, height: h };
    out = cropAndResize(out, region, image.height, image.width);
  }
  if (o.affine) {
    out = affineWarp(out, {
      angle: (draws.angle * o.affine.maxRotationDeg * Math.PI) / 180,
      scale: 1 + draws.zoom * o.affine.maxScale,
      shiftX: draws.shiftX * o.affine.maxShift,
      shiftY: draws.shiftY * o.affine.maxShift,
    });
  }
  if (draws.flip < o.flip) out = flipHorizontal(out);
  if (o.brightness > 0 || o.contrast > 0) {
    out = adjustBrightnessContrast(out, draws.brightness * o.brightness, 1 + draws.contrast * o.contrast);
  }
  return out;
}

/**
 * Augments every image of an NHWC batch, image i with `rng.fork(i)`, and
 * returns a new batch (the input is not disposed). A sampler calls this with
 * its per-step rng, which keeps episodes a pure function of seed and step.
 */
export async function augmentBatch(batch: tf.Tensor4D, rng: Rng, options: AugmentOptions = {}): Promise<tf.Tensor4D> {
  const images = await batchToImages(batch);
  const [, h, w, c] = batch.shape;
  return imagesToBatch(
    images.map((image, i) => augmentImage(image, rng.fork(i), options)),
    [h, w, c],
  );
}

interface ResolvedAugment {
  flip: number;
  crop: { minScale: number } | false;
  affine: { maxRotationDeg: number; maxScale: number; maxShift: number } | false;
  brightness: number;
  contrast: number;
}

function resolveOptions(options: AugmentOptions): ResolvedAugment {
  const o: ResolvedAugment = {
    flip: options.flip ?? AUGMENT_DEFAULTS.flip,
    crop: options.crop === undefined ? AUGMENT_DEFAULTS.crop : options.crop,
    affine: options.affine === undefined ? AUGMENT_DEFAULTS.affine : options.affine,
    brightness: options.brightness ?? AUGMENT_DEFAULTS.brightness,
    contrast: options.contrast ?? AUGMENT_DEFAULTS.contrast,
  };
  if (!(o.flip >= 0 && o.flip <= 1)) throw new ConfigError('augment.flip', `must be a probability in [0, 1], got ${o.flip}`);
  if (o.crop && !(o.crop.minScale > 0 && o.crop.minScale <= 1)) {
    throw new ConfigError('augment.crop.minScale', `must be in (0, 1], got ${o.crop.minScale}`);
  }
  if (o.affine) {
    const { maxRotationDeg, maxScale, maxShift } = o.affine;
    if (!(maxRotationDeg >= 0 && maxRotationDeg <= 180)) throw new ConfigError('augment.affine.maxRotationDeg', `must be in [0, 180], got ${maxRotationDeg}`);
    if (!(maxScale >= 0 && maxScale < 1)) throw new ConfigError('augment.affine.maxScale', `must be in [0, 1), got ${maxScale}`);
    if (!(maxShift >= 0 && maxShift < 1)) throw new ConfigError('augment.affine.maxShift', `must be in [0, 1), got ${maxShift}`);
  }
  if (!(o.brightness >= 0 && o.brightness <= 1)) throw new ConfigError('augment.brightness', `must be in [0, 1], got ${o.brightness}`);
  if (!(o.contrast >= 0 && o.contrast < 1)) throw new ConfigError('augment.contrast', `must be in [0, 1), got ${o.contrast}`);
  return o;
}
