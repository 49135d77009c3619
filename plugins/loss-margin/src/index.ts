/**
 * @metadg/loss-margin — ArcFace (additive angular margin) and CosFace (large
 * margin cosine) losses over a cosine classifier, as drop-in replacements for
 * MFR's `soft-classification` loss: same `Loss` contract, same phases, same
 * classifier ownership (W, C = task.labels.size, d = backbone.embeddingSize).
 * Differentiable twice (no `acos`), so MFR's meta-step can differentiate
 * through them.
 *
 * @packageDocumentation
 */
import { definePluginPackage } from '@metadg/core';
import { arcfacePlugin } from './arcface.js';
import { cosfacePlugin } from './cosface.js';
import { PLUGIN_VERSION } from './version.js';

export {
  SIN_EPSILON,
  arcFaceLogits,
  arcFaceTarget,
  cosFaceLogits,
  cosineMatrix,
  withTargetLogit,
  type ArcFaceOptions,
  type CosFaceOptions,
} from './margin-logits.js';
export { arcFaceLoss, cosFaceLoss, marginPairLoss, type MarginLogits } from './margin-loss.js';
export { createMarginLoss, type ClassifierOptions, type MarginLossOptions } from './margin-loss-term.js';
export { arcfacePlugin, createArcFaceLoss, type ArcFaceLossOptions } from './arcface.js';
export { cosfacePlugin, createCosFaceLoss, type CosFaceLossOptions } from './cosface.js';

/** The plugins of `@metadg/loss-margin`: losses `arcface` and `cosface`. */
export const metadgPlugins = definePluginPackage({
  packageName: '@metadg/loss-margin',
  version: PLUGIN_VERSION,
  plugins: [arcfacePlugin, cosfacePlugin],
});
