import { ConfigError } from '@metadg/core';
import { LUMA_WEIGHTS, clamp01, type Image } from '../image/image.js';

/**
 * Greyscale by BT.601 luma (0.299 R + 0.587 G + 0.114 B), written to every
 * channel so the image keeps its shape (a colour backbone still accepts it).
 * A 1-channel image is returned unchanged.
 */
export function greyscale(image: Image): Image {
  return channelMix(image, LUMA_WEIGHTS, 1, 0);
}

/** Parameters of `simulateNir`. */
export interface NirOptions {
  /** Weights of R, G, B in the NIR intensity (default [0.6, 0.3, 0.1]: red-heavy). */
  readonly mix?: readonly [number, number, number];
  /** Contrast gain about mid-grey (default 1.3). */
  readonly contrast?: number;
  /** Offset added after the contrast gain (default 0.05). */
  readonly brightness?: number;
}

/** Defaults of `simulateNir`. */
export const NIR_DEFAULTS = { mix: [0.6, 0.3, 0.1] as const, contrast: 1.3, brightness: 0.05 };

/**
 * A near-infrared look from a colour photo: a red-weighted channel mix (skin
 * reflects NIR much like red light, so it turns bright and even, while
 * colour information is lost), then a contrast gain about 0.5 and an offset,
 * clamped to [0, 1]. Like real NIR captures it is monochrome: every channel
 * gets the same value. Grey inputs are treated as R = G = B.
 */
export function simulateNir(image: Image, options: NirOptions = {}): Image {
  const mix = options.mix ?? NIR_DEFAULTS.mix;
  const contrast = options.contrast ?? NIR_DEFAULTS.contrast;
  const brightness = options.brightness ?? NIR_DEFAULTS.brightness;
  if (!mix.every((w) => Number.isFinite(w) && w >= 0) || !(mix[0] + mix[1] + mix[2] > 0)) {
    throw new ConfigError('nir.mix', `weights must be finite, >= 0 and not all 0, got [${mix.join(', ')}]`);
  }
  if (!(contrast > 0 && Number.isFinite(contrast))) throw new ConfigError('nir.contrast', `must be > 0, got ${contrast}`);
  if (!Number.isFinite(brightness)) throw new ConfigError('nir.brightness', `must be finite, got ${brightness}`);
  return channelMix(image, mix, contrast, brightness);
}

/** Options of `gammaLighting`. */
export interface GammaOptions {
  /** Exponent γ: > 1 darkens mid-tones (under-exposure), < 1 brightens them. */
  readonly gamma: number;
}

/** Lighting change by a gamma curve: v ↦ v^γ (0 and 1 stay fixed). */
export function gammaLighting(image: Image, options: GammaOptions): Image {
  const { gamma } = options;
  if (!(gamma > 0 && Number.isFinite(gamma))) throw new ConfigError('gamma.gamma', `must be > 0, got ${gamma}`);
  const out = new Float32Array(image.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.pow(clamp01(image.data[i] as number), gamma);
  return { ...image, data: out };
}

/** v = clamp(contrast·(w·rgb / Σw − 0.5) + 0.5 + brightness), replicated to all channels. */
function channelMix(image: Image, mix: readonly [number, number, number], contrast: number, brightness: number): Image {
  if (image.channels === 1 && contrast === 1 && brightness === 0) return image;
  const c = image.channels;
  const n = image.height * image.width;
  const total = mix[0] + mix[1] + mix[2];
  const [wr, wg, wb] = [mix[0] / total, mix[1] / total, mix[2] / total];
  const out = new Float32Array(image.data.length);
  for (let i = 0; i < n; i++) {
    const base = i * c;
    const grey =
      c >= 3
        ? wr * (image.data[base] as number) + wg * (image.data[base + 1] as number) + wb * (image.data[base + 2] as number)
        : (image.data[base] as number);
    const v = clamp01(contrast * (grey - 0.5) + 0.5 + brightness);
    for (let k = 0; k < c; k++) out[base + k] = v;
  }
  return { ...image, data: out };
}
