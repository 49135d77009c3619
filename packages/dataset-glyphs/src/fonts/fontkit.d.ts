// fontkit 3 ships no type declarations: this is the small part of its API
// this package uses (font parsing, cmap lookup, glyph outlines).
declare module 'fontkit' {
  export interface BBox {
    readonly minX: number;
    readonly minY: number;
    readonly maxX: number;
    readonly maxY: number;
  }

  export interface Path {
    /** Tight bounds of the outline, in font units (y up). */
    readonly bbox: BBox;
    /** The outline as SVG path data, in font units (y up). */
    toSVG(): string;
  }

  export interface Glyph {
    readonly id: number;
    readonly name: string;
    readonly path: Path;
    readonly advanceWidth: number;
  }

  export interface Font {
    readonly type: string;
    readonly postscriptName: string;
    readonly familyName: string;
    readonly unitsPerEm: number;
    /** Every code point the cmap maps to a glyph. */
    readonly characterSet: number[];
    hasGlyphForCodePoint(codePoint: number): boolean;
    glyphForCodePoint(codePoint: number): Glyph;
  }

  export interface FontCollection {
    readonly type: 'TTC' | 'DFont';
    readonly fonts: Font[];
  }

  export function create(buffer: Uint8Array, postscriptName?: string): Font | FontCollection;
}
