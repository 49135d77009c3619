import { createCanvas, Path2D, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import { ConfigError } from '@metadg/core';
import type { GlyphOutline } from '../fonts/glyph-source.js';
import type { Affine } from './affine.js';

/** Smallest image side the rasterizer accepts. */
export const MIN_IMAGE_SIZE = 8;
/** Largest image side the rasterizer accepts. */
export const MAX_IMAGE_SIZE = 512;

/**
 * Fills glyph outlines with Skia (via @napi-rs/canvas) and returns ink
 * coverage per pixel, 0 (background) … 255 (fully inside the glyph). Drawing
 * the outline itself, rather than `fillText` with a registered font, means the
 * canvas never picks a glyph from some other font.
 */
export class GlyphRasterizer {
  readonly size: number;
  private readonly canvas: Canvas;
  private readonly ctx: SKRSContext2D;
  private readonly paths = new WeakMap<GlyphOutline, Path2D>();

  constructor(size: number) {
    if (!Number.isInteger(size) || size < MIN_IMAGE_SIZE || size > MAX_IMAGE_SIZE) {
      throw new ConfigError('imageSize', `expected an integer in [${MIN_IMAGE_SIZE}, ${MAX_IMAGE_SIZE}], got ${size}`);
    }
    this.size = size;
    this.canvas = createCanvas(size, size);
    this.ctx = this.canvas.getContext('2d');
  }

  /**
   * Renders `outline` mapped by `transform` (font units → pixels) into
   * `out[offset … offset + size²)`, row-major, one coverage byte per pixel.
   */
  renderInto(outline: GlyphOutline, transform: Affine, out: Uint8Array, offset: number): void {
    const { ctx, size } = this;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, size, size);
    if (!outline.blank) {
      ctx.setTransform(transform[0], transform[1], transform[2], transform[3], transform[4], transform[5]);
      ctx.fillStyle = '#ffffff';
      ctx.fill(this.pathOf(outline));
    }
    const rgba = ctx.getImageData(0, 0, size, size).data;
    // Transparent background: alpha is exactly the coverage.
    for (let i = 0, n = size * size; i < n; i++) out[offset + i] = rgba[4 * i + 3] as number;
  }

  /** Convenience: one render as a fresh byte array. */
  render(outline: GlyphOutline, transform: Affine): Uint8Array {
    const out = new Uint8Array(this.size * this.size);
    this.renderInto(outline, transform, out, 0);
    return out;
  }

  private pathOf(outline: GlyphOutline): Path2D {
    let p = this.paths.get(outline);
    if (!p) {
      p = new Path2D(outline.svg);
      this.paths.set(outline, p);
    }
    return p;
  }
}
