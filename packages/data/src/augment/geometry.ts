import type { Image } from '../image/image.js';

/** Mirror image left ↔ right. */
export function flipHorizontal(image: Image): Image {
  const { height: h, width: w, channels: c } = image;
  const out = new Float32Array(image.data.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const src = (y * w + (w - 1 - x)) * c;
      const dst = (y * w + x) * c;
      for (let k = 0; k < c; k++) out[dst + k] = image.data[src + k] as number;
    }
  }
  return { ...image, data: out };
}

/** A similarity transform about the image centre. */
export interface AffineParams {
  /** Rotation in radians (counter-clockwise as displayed). */
  readonly angle: number;
  /** Zoom factor: > 1 enlarges the content. */
  readonly scale: number;
  /** Shift of the content, as fractions of the width and height. */
  readonly shiftX: number;
  readonly shiftY: number;
}

/**
 * Warps by a rotation/zoom/shift about the centre: each output pixel samples
 * the input bilinearly at the inverse-mapped position, edges replicated
 * (no black corners that a network could learn as a cue).
 */
export function affineWarp(image: Image, params: AffineParams): Image {
  const { height: h, width: w, channels: c } = image;
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const cos = Math.cos(params.angle) / params.scale;
  const sin = Math.sin(params.angle) / params.scale;
  const tx = params.shiftX * w;
  const ty = params.shiftY * h;
  const out = new Float32Array(image.data.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // Inverse map: undo the shift, then rotate by −angle and divide by scale.
      const dx = x - cx - tx;
      const dy = y - cy - ty;
      const sx = cos * dx - sin * dy + cx;
      const sy = sin * dx + cos * dy + cy;
      sampleBilinear(image, sy, sx, out, (y * w + x) * c);
    }
  }
  return { ...image, data: out };
}

/** Writes the bilinear sample at (sy, sx) into `out[offset …]`, clamping to the border. */
function sampleBilinear(image: Image, sy: number, sx: number, out: Float32Array, offset: number): void {
  const { height: h, width: w, channels: c, data } = image;
  const y = Math.min(h - 1, Math.max(0, sy));
  const x = Math.min(w - 1, Math.max(0, sx));
  const y0 = Math.floor(y);
  const x0 = Math.floor(x);
  const y1 = Math.min(h - 1, y0 + 1);
  const x1 = Math.min(w - 1, x0 + 1);
  const fy = y - y0;
  const fx = x - x0;
  for (let k = 0; k < c; k++) {
    const a = data[(y0 * w + x0) * c + k] as number;
    const b = data[(y0 * w + x1) * c + k] as number;
    const d = data[(y1 * w + x0) * c + k] as number;
    const e = data[(y1 * w + x1) * c + k] as number;
    out[offset + k] = (1 - fy) * ((1 - fx) * a + fx * b) + fy * ((1 - fx) * d + fx * e);
  }
}
