import { ConfigError } from '@metadg/core';
import { GLYPH_DOMAINS, referenceWeight, type FontFamilySpec } from './domains.js';
import { GlyphSource } from './fonts/glyph-source.js';
import { GlyphRenderer } from './render/glyph-renderer.js';
import { CANONICAL_POSE, DEFAULT_LAYOUT, type GlyphLayout, type GlyphPose } from './render/pose.js';

/** Options of {@link renderGlyph}. */
export interface RenderGlyphOptions {
  /** A default family's id (e.g. `lobster`) or any family spec. Default `noto-sans`. */
  readonly family?: string | FontFamilySpec;
  /** Default: the family's weight closest to 400. */
  readonly weight?: number;
  /** Image side in pixels. Default 32. */
  readonly imageSize?: number;
  /** Jitter to apply; missing fields are the identity. */
  readonly pose?: Partial<GlyphPose>;
  readonly layout?: GlyphLayout;
}

/** A single greyscale render: white ink on black, values in [0, 1], row-major. */
export interface GlyphImage {
  readonly size: number;
  readonly data: Float32Array;
}

/**
 * Renders one character the way the glyph dataset does (for previews and
 * CLI tools). Throws a `DataError` if the family has no glyph for it.
 */
export function renderGlyph(char: string, options: RenderGlyphOptions = {}): GlyphImage {
  const cp = char.codePointAt(0);
  if (cp === undefined || String.fromCodePoint(cp) !== char) {
    throw new ConfigError('char', `expected exactly one character, got ${JSON.stringify(char)}`);
  }
  const family = resolveFamily(options.family ?? 'noto-sans');
  const size = options.imageSize ?? 32;
  const renderer = new GlyphRenderer(size, options.layout ?? DEFAULT_LAYOUT);
  const bytes = renderer.render(new GlyphSource(family), cp, options.weight ?? referenceWeight(family), {
    ...CANONICAL_POSE,
    ...options.pose,
  });
  return { size, data: Float32Array.from(bytes, (v) => v / 255) };
}

/** A crude text rendering of an image (`#` ink, `+` half, `.` faint), for terminals and logs. */
export function glyphToAscii(image: GlyphImage): string {
  const rows: string[] = [];
  for (let y = 0; y < image.size; y++) {
    let row = '';
    for (let x = 0; x < image.size; x++) {
      const v = image.data[y * image.size + x] as number;
      row += v > 0.67 ? '#' : v > 0.33 ? '+' : v > 0.08 ? '.' : ' ';
    }
    rows.push(row);
  }
  return rows.join('\n');
}

function resolveFamily(family: string | FontFamilySpec): FontFamilySpec {
  if (typeof family !== 'string') return family;
  for (const d of GLYPH_DOMAINS) for (const f of d.families) if (f.id === family) return f;
  const known = GLYPH_DOMAINS.flatMap((d) => d.families.map((f) => f.id)).join(', ');
  throw new ConfigError('family', `unknown family "${family}" (default families: ${known}); pass a FontFamilySpec for others`);
}
