import type { GlyphSource } from '../fonts/glyph-source.js';
import { compose } from './affine.js';
import { CANONICAL_POSE, DEFAULT_LAYOUT, layoutTransform, poseTransform, type GlyphLayout, type GlyphPose } from './pose.js';
import { GlyphRasterizer } from './rasterizer.js';

/**
 * Renders one character of one family at one weight and pose: white ink
 * (coverage) on a black background, `size × size`, baseline-aligned and
 * horizontally centred before the pose is applied.
 */
export class GlyphRenderer {
  readonly size: number;
  readonly layout: GlyphLayout;
  private readonly rasterizer: GlyphRasterizer;

  constructor(size: number, layout: GlyphLayout = DEFAULT_LAYOUT) {
    this.rasterizer = new GlyphRasterizer(size);
    this.size = size;
    this.layout = layout;
  }

  /** Coverage bytes (0…255) of the render, written at `out[offset…]`. */
  renderInto(
    source: GlyphSource,
    codePoint: number,
    weight: number,
    pose: GlyphPose,
    out: Uint8Array,
    offset: number,
  ): void {
    const outline = source.outline(codePoint, weight);
    const place = layoutTransform(outline, source.referenceHeight(weight), this.size, this.layout);
    this.rasterizer.renderInto(outline, compose(poseTransform(pose, this.size), place), out, offset);
  }

  /** One render as a fresh byte array (canonical pose unless given). */
  render(source: GlyphSource, codePoint: number, weight: number, pose: GlyphPose = CANONICAL_POSE): Uint8Array {
    const out = new Uint8Array(this.size * this.size);
    this.renderInto(source, codePoint, weight, pose, out, 0);
    return out;
  }
}
