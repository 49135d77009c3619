/**
 * @metadg/backbone-resnet — ResNet-style backbones (basic residual blocks,
 * GroupNorm, configurable depth and width) for face crops, in functional form
 * for meta-learning. Built from the layer toolkit of @metadg/backbone-cnn.
 *
 * @packageDocumentation
 */
import { definePluginPackage } from '@metadg/core';
import { resnetPlugin } from './resnet.js';

export { basicBlock, type BasicBlockOptions } from './residual-block.js';
export { createResNet, resnetHparams, resnetNetwork, resnetPlugin, type ResNetOptions } from './resnet.js';

/** The plugins of this package: `resnet` (backbone). */
export const metadgPlugins = definePluginPackage({
  packageName: '@metadg/backbone-resnet',
  version: '0.1.0',
  plugins: [resnetPlugin],
});
