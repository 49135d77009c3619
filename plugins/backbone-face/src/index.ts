/**
 * @metadg/backbone-face — a frozen pretrained face recognition network
 * (dlib's ResNet-34-style model, 150×150 RGB → 128-d; weights read and
 * dequantised from @vladmandic/face-api's local model files, forward pass
 * reimplemented in tfjs-core ops) with a trainable projection head, as the
 * MetaDG backbone plugin `face-resnet34`.
 *
 * @packageDocumentation
 */
import { definePluginPackage } from '@metadg/core';
import { faceResnetPlugin } from './plugin.js';
import { PLUGIN_VERSION } from './version.js';

export {
  FACE_BACKBONE_NAME,
  HEAD_BIAS,
  HEAD_KERNEL,
  createFaceBackbone,
  type FaceBackbone,
  type FaceBackboneOptions,
} from './face-backbone.js';
export { initialHeadKernel, semiOrthogonal, type HeadInit } from './head.js';
export { faceResnetHparams, faceResnetPlugin } from './plugin.js';
export {
  BLOCKS,
  FACE_NET_DESCRIPTOR_SIZE,
  FACE_NET_INPUT_SIZE,
  FACE_NET_MEAN_RGB,
  FC_INPUT,
  STEM,
  type BlockSpec,
} from './network/architecture.js';
export { faceDescriptor } from './network/forward.js';
export { buildFrozenNet, frozenTensors, type FoldedConv, type FrozenFaceNet } from './network/frozen-net.js';
export { FACE_RECOGNITION_MODEL, faceApiModelDir, loadFaceWeights, type FaceWeights } from './weights/load-face-weights.js';
export { parseWeightsManifest, type WeightEntry, type WeightGroup, type WeightQuantization } from './weights/manifest.js';
export { decodeWeights } from './weights/dequantize.js';

/** The plugins of this package: `face-resnet34` (backbone). */
export const metadgPlugins = definePluginPackage({
  packageName: '@metadg/backbone-face',
  version: PLUGIN_VERSION,
  plugins: [faceResnetPlugin],
});
