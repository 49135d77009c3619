import { DataError } from '@metadg/core';
import { referenceWeight, uniqueFamilies, type GlyphDomainSpec } from '../domains.js';
import { GlyphSource } from '../fonts/glyph-source.js';
import { GlyphRenderer } from '../render/glyph-renderer.js';
import { DEFAULT_LAYOUT, type GlyphLayout } from '../render/pose.js';
import type { GlyphTable } from './glyph-table.js';
import { groupLookalikes, type LookalikeCriterion } from './lookalikes.js';

/** Look-alike merging settings: a criterion and the resolution it is judged at. */
export interface MergeSettings extends LookalikeCriterion {
  readonly imageSize: number;
}

/**
 * Default merging: near-identical means a render distance below 0.12 at
 * 32×32, in more than half of the families. Measured on the 15 default
 * families: merged pairs have median distances ≤ 0.08 (A/А 0.00, ï/ї 0.08),
 * the closest distinct pairs ≥ 0.17 (Ă/Ӑ, whose breves differ), so the
 * result does not hinge on the exact threshold.
 */
export const DEFAULT_MERGE: MergeSettings = { threshold: 0.12, agreement: 0.5, imageSize: 32 };

/** Options of {@link buildGlyphTable}. */
export interface BuildGlyphTableOptions {
  /** Look-alike merging, or `false` to keep every shared code point as its own identity. */
  readonly merge?: MergeSettings | false;
  readonly layout?: GlyphLayout;
  /** Candidate code points (default: every graphic code point the first family holds). */
  readonly codePoints?: readonly number[];
}

/** Characters that cannot be an identity: controls, format characters, separators, combining marks. */
const NOT_STANDALONE = /[\p{C}\p{Z}\p{M}]/u;

/** Whether a code point is a standalone visible character (candidate identity). */
export function isStandaloneGraphic(codePoint: number): boolean {
  return !NOT_STANDALONE.test(String.fromCodePoint(codePoint));
}

/**
 * Code points held by every family of `domains` at every listed weight,
 * restricted to standalone graphic characters, ascending.
 */
export function sharedCodePoints(domains: readonly GlyphDomainSpec[], candidates?: readonly number[]): number[] {
  const sources = uniqueFamilies(domains).map((f) => new GlyphSource(f));
  const first = sources[0];
  if (!first) throw new DataError('domains', 'no font family given');
  let shared = candidates ? [...new Set(candidates)] : [...first.coverage(referenceWeight(first.family))];
  shared = shared.filter(isStandaloneGraphic);
  for (const s of sources) {
    for (const w of s.family.weights) shared = shared.filter((cp) => s.holds(cp, w));
  }
  return shared.sort((a, b) => a - b);
}

/**
 * Canonical (un-jittered) renders at each family's reference weight, as
 * values in [0, 1]: `result[f][i]` renders `codePoints[i]` in `sources[f]`.
 */
export function canonicalRenders(
  sources: readonly GlyphSource[],
  codePoints: readonly number[],
  size: number,
  layout: GlyphLayout = DEFAULT_LAYOUT,
): Float32Array[][] {
  const renderer = new GlyphRenderer(size, layout);
  return sources.map((s) => {
    const w = referenceWeight(s.family);
    return codePoints.map((cp) => Float32Array.from(renderer.render(s, cp, w), (v) => v / 255));
  });
}

/**
 * Computes the identity table of a domain table from the installed fonts:
 * shared code points, minus those that render blank in some family, with
 * look-alikes merged. Deterministic; takes seconds for the default table
 * (`scripts/build-glyph-table.mjs` commits the result).
 */
export function buildGlyphTable(domains: readonly GlyphDomainSpec[], options: BuildGlyphTableOptions = {}): GlyphTable {
  const merge = options.merge === undefined ? DEFAULT_MERGE : options.merge;
  const layout = options.layout ?? DEFAULT_LAYOUT;
  const sources = uniqueFamilies(domains).map((f) => new GlyphSource(f));
  const shared = sharedCodePoints(domains, options.codePoints);
  const visible = shared.filter((cp) => sources.every((s) => !s.outline(cp, referenceWeight(s.family)).blank));

  let identities: number[][];
  if (merge === false) {
    identities = visible.map((cp) => [cp]);
  } else {
    const renders = canonicalRenders(sources, visible, merge.imageSize, layout);
    identities = groupLookalikes(renders, visible, merge.imageSize, merge);
  }

  const fonts: Record<string, string> = {};
  for (const s of sources) fonts[s.fonts.packageName] = s.fonts.version;
  return {
    version: 1,
    identities,
    sharedCodePoints: shared.length,
    merge: merge === false ? null : { threshold: merge.threshold, agreement: merge.agreement, imageSize: merge.imageSize, layout },
    fonts,
  };
}
