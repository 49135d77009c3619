/**
 * @metadg/dataset-glyphs — a glyph-identity domain-generalization benchmark:
 * identity = character, domain = font style, sample = a seeded render by one
 * of the domain's font families. Fonts come from `@fontsource/*` npm
 * packages; outlines are read with fontkit and filled with @napi-rs/canvas.
 *
 * @packageDocumentation
 */
export {
  GLYPH_DOMAINS,
  glyphDomains,
  referenceWeight,
  uniqueFamilies,
  familyKey,
  type FontFamilySpec,
  type GlyphDomainSpec,
} from './domains.js';
export {
  createGlyphDataset,
  type GlyphDataset,
  type GlyphDatasetOptions,
  type GlyphSampleSpec,
} from './glyph-dataset.js';
export { GlyphSource, type GlyphOutline } from './fonts/glyph-source.js';
export { FontPackage, type FontSubset } from './fonts/font-package.js';
export {
  formatCodePoint,
  parseCodePoint,
  parseUnicodeRange,
  rangesContain,
  type CodePointRange,
} from './fonts/unicode-ranges.js';
export { GlyphRenderer } from './render/glyph-renderer.js';
export { GlyphRasterizer, MIN_IMAGE_SIZE, MAX_IMAGE_SIZE } from './render/rasterizer.js';
export {
  CANONICAL_POSE,
  DEFAULT_JITTER,
  DEFAULT_LAYOUT,
  NO_JITTER,
  drawPose,
  layoutTransform,
  poseTransform,
  type GlyphLayout,
  type GlyphPose,
  type JitterRanges,
} from './render/pose.js';
export { compose, rotate, scale, shearX, translate, apply, IDENTITY, type Affine } from './render/affine.js';
export { identityKey, validateGlyphTable, type GlyphTable } from './table/glyph-table.js';
export { defaultGlyphTable } from './table/default-table.js';
export {
  DEFAULT_MERGE,
  buildGlyphTable,
  canonicalRenders,
  isStandaloneGraphic,
  sharedCodePoints,
  type BuildGlyphTableOptions,
  type MergeSettings,
} from './table/build.js';
export { groupLookalikes, renderDistance, type LookalikeCriterion } from './table/lookalikes.js';
export { renderGlyph, glyphToAscii, type GlyphImage, type RenderGlyphOptions } from './preview.js';
export { RenderCache } from './render-cache.js';
export { VERSION, glyphsHparams, glyphsPlugin, metadgPlugins } from './plugin.js';
