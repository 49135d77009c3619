/// <reference path="./fontkit.d.ts" />
import { readFileSync } from 'node:fs';
import { DataError } from '@metadg/core';
import { create as createFont, type Font } from 'fontkit';
import type { FontFamilySpec } from '../domains.js';
import { FontPackage } from './font-package.js';
import { formatCodePoint } from './unicode-ranges.js';

/** A glyph outline in font units (y up), and the file it came from. */
export interface GlyphOutline {
  readonly codePoint: number;
  /** SVG path data in font units. Empty for blank glyphs (spaces). */
  readonly svg: string;
  /** Tight ink bounds in font units; all zero when the glyph is blank. */
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  readonly blank: boolean;
  readonly file: string;
}

// Parsed fonts and outlines are shared by every dataset in the process:
// parsing a woff2 (brotli) costs ~10 ms and an outline is immutable.
const fonts = new Map<string, Font>();
const outlines = new Map<string, GlyphOutline>();

function loadFont(path: string): Font {
  let font = fonts.get(path);
  if (!font) {
    let parsed;
    try {
      parsed = createFont(readFileSync(path));
    } catch (cause) {
      throw new DataError(path, `cannot parse font (${cause instanceof Error ? cause.message : String(cause)})`);
    }
    if ('fonts' in parsed) throw new DataError(path, 'is a font collection; expected a single font');
    font = parsed;
    fonts.set(path, font);
  }
  return font;
}

/**
 * Glyph outlines of one font family, each taken from the one file that really
 * holds it: the subset whose unicode-range covers the code point *and* whose
 * cmap maps it. Nothing is left to a renderer's font fallback, so a missing
 * glyph is a `DataError` naming the family, weight and code point.
 */
export class GlyphSource {
  readonly fonts: FontPackage;
  private readonly referenceHeights = new Map<number, number>();

  constructor(family: FontFamilySpec) {
    this.fonts = new FontPackage(family);
  }

  get family(): FontFamilySpec {
    return this.fonts.family;
  }

  /** The file holding `codePoint` at `weight`, or `undefined` if none does. */
  fileFor(codePoint: number, weight: number): string | undefined {
    for (const subset of this.fonts.subsetsFor(codePoint)) {
      const path = this.fonts.filePath(subset, weight);
      if (loadFont(path).hasGlyphForCodePoint(codePoint)) return path;
    }
    return undefined;
  }

  /** Whether some file of this family holds `codePoint` at `weight`. */
  holds(codePoint: number, weight: number): boolean {
    return this.fileFor(codePoint, weight) !== undefined;
  }

  /** Every code point this family holds at `weight` (ranges ∩ cmaps over all subsets). */
  coverage(weight: number): Set<number> {
    const out = new Set<number>();
    for (const subset of this.fonts.subsets) {
      const font = loadFont(this.fonts.filePath(subset, weight));
      for (const cp of font.characterSet) {
        if (!out.has(cp) && this.fileFor(cp, weight) !== undefined) out.add(cp);
      }
    }
    return out;
  }

  /** The outline of `codePoint` at `weight`; throws a `DataError` if no file holds it. */
  outline(codePoint: number, weight: number): GlyphOutline {
    const file = this.fileFor(codePoint, weight);
    if (file === undefined) throw this.fonts.missingGlyph(codePoint, weight);
    const key = `${file}#${codePoint}`;
    let outline = outlines.get(key);
    if (!outline) {
      const glyph = loadFont(file).glyphForCodePoint(codePoint);
      const svg = glyph.path.toSVG();
      const b = glyph.path.bbox;
      const blank = svg.length === 0 || !Number.isFinite(b.minX) || b.maxX <= b.minX || b.maxY <= b.minY;
      outline = blank
        ? { codePoint, svg: '', minX: 0, minY: 0, maxX: 0, maxY: 0, blank, file }
        : { codePoint, svg, minX: b.minX, minY: b.minY, maxX: b.maxX, maxY: b.maxY, blank, file };
      outlines.set(key, outline);
    }
    return outline;
  }

  /**
   * Height (font units above the baseline) of the family's reference
   * character at `weight`; glyphs are scaled so that it spans a fixed
   * fraction of the image, whatever the family's design size.
   */
  referenceHeight(weight: number): number {
    let h = this.referenceHeights.get(weight);
    if (h === undefined) {
      const ch = this.family.referenceChar ?? 'H';
      const cp = ch.codePointAt(0) ?? 0x48;
      h = this.outline(cp, weight).maxY;
      if (!(h > 0)) {
        throw new DataError(this.fonts.describe(weight), `reference character ${formatCodePoint(cp)} has no ink above the baseline`);
      }
      this.referenceHeights.set(weight, h);
    }
    return h;
  }
}
