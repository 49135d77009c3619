/**
 * @metadg/data — multi-domain datasets for MetaDG: `DomainDataset`
 * implementations (in-memory, lazily decoded with a byte-bounded cache, the
 * image-folder loader), views (domain restriction, identity splits, ID merge,
 * derived domains), verification pairs, seeded augmentations, domain
 * transforms, statistics, contact sheets, and a real multi-domain face
 * fixture. Dataset plugins: `image-folder`, `faces-fixture`.
 *
 * @packageDocumentation
 */

// Images and resampling
export { makeImage, filledImage, cloneImage, toChannels, LUMA_WEIGHTS, type Image } from './image/image.js';
export { resample, resizeImage, cropAndResize, coverRegion, type PixelSource, type Region } from './image/resample.js';

// Codecs
export type { CodecName, DecodeTarget, FitMode, ImageCodec } from './codec/codec.js';
export { loadCodec, type CodecChoice, type LoadCodecOptions } from './codec/load-codec.js';
export { DEFAULT_MAX_PIXELS, type CodecOptions } from './codec/sharp-codec.js';
export { probeImage, sniffFormat, type ImageFormat, type ProbeResult } from './codec/probe.js';

// Datasets
export { InMemoryDataset, type InMemoryDatasetOptions, type LabelledArraysOptions, type SamplePixels } from './dataset/in-memory.js';
export { LazyDataset, DEFAULT_CACHE_BYTES, mapLimit, type LazyDatasetOptions } from './dataset/lazy-dataset.js';
export { ByteLruCache, type CacheStats } from './dataset/byte-lru-cache.js';
export { imagesToBatch, batchToImages, describeRef, refKey } from './dataset/batch.js';

// Image-folder loader
export { openImageFolder, ImageFolderDataset, type ImageFolderOptions } from './folder/image-folder.js';
export { scanImageFolder, IMAGE_EXTENSIONS, type ScanOptions, type ScanResult } from './folder/scan.js';
export { countSkipped, type LoaderReport, type SkippedFile, type SkipReason } from './folder/report.js';
export { loaderReportOf, type WithLoaderReport } from './provenance.js';

// Views
export { restrictDomains, restrictIdentities } from './views/restrict.js';
export { splitIdentities, type IdentitySplit, type IdentitySplitOptions, type IdentityAssignment } from './views/split.js';
export { mergeIdentities, type IdentityMapping } from './views/merge.js';
export { withDerivedDomains, type DerivedDomain, type DerivedDomainOptions } from './views/derived-domains.js';

// Evaluation lists
export {
  makeVerificationPairs,
  makeIdentificationSplit,
  type VerificationPair,
  type VerificationPairOptions,
  type IdentificationSplit,
} from './pairs.js';

// Domain transforms
export { greyscale, simulateNir, gammaLighting, NIR_DEFAULTS, type NirOptions, type GammaOptions } from './transforms/colour.js';
export {
  gaussianBlur,
  gaussianKernel,
  lowResolution,
  resizeNearest,
  occlusionBand,
  OCCLUSION_DEFAULTS,
  type BlurOptions,
  type LowResolutionOptions,
  type OcclusionOptions,
} from './transforms/degradation.js';
export { jpegQuality, type JpegQualityOptions } from './transforms/jpeg.js';
export {
  buildTransform,
  parseTransformSpec,
  transformSpecSchema,
  DOMAIN_PRESETS,
  type ImageTransform,
  type TransformSpec,
  type BuildTransformOptions,
} from './transforms/spec.js';

// Augmentations
export { flipHorizontal, affineWarp, type AffineParams } from './augment/geometry.js';
export {
  augmentImage,
  augmentBatch,
  adjustBrightnessContrast,
  AUGMENT_DEFAULTS,
  type AugmentOptions,
} from './augment/augment.js';

// Statistics and previews
export { datasetStats, formatStats, type DatasetStats, type DomainStats } from './stats.js';
export {
  writeContactSheet,
  renderContactSheet,
  chooseContactSheetSamples,
  type ContactSheetOptions,
  type ContactSheetInfo,
} from './preview/contact-sheet.js';

// Face fixture
export {
  openFacesFixture,
  facesFixtureRoot,
  FACES_FIXTURE_DOMAINS,
  FACES_FIXTURE_DEFAULT_DOMAINS,
  type FacesFixtureOptions,
} from './faces-fixture.js';

// Plugins
export { metadgPlugins, imageFolderPlugin, facesFixturePlugin } from './plugins.js';

// ID merge: the same person filed under two labels in different sources
export {
  classCentres,
  describeLabel,
  type IdLabel,
  type LabelEmbeddings,
  type EmbeddingSet,
  type ClassCentre,
} from './id-merge/label-embeddings.js';
export { embedDataset, type EmbeddingModel, type EmbedDatasetOptions } from './id-merge/embed-dataset.js';
export {
  findIdMerges,
  type FindIdMergesOptions,
  type IdMergeLabel,
  type IdMergePair,
  type IdMergeReport,
  type ThresholdChoice,
} from './id-merge/find-merges.js';
export {
  AUTO_THRESHOLD_QUANTILE,
  autoThreshold,
  nearestImpostorSimilarities,
  type ImpostorStats,
  type ThresholdSplit,
} from './id-merge/threshold.js';
export type { SourceGrouping } from './id-merge/sources.js';
export { formatIdMergeReport } from './id-merge/format.js';
export {
  MERGE_MAP_KIND,
  buildMergeMap,
  parseMergeMap,
  serializeMergeMap,
  readMergeMap,
  writeMergeMap,
  applyMergeMap,
  type MergeMap,
  type MergeEvidence,
  type ApplyMergeMapOptions,
} from './id-merge/merge-map.js';
