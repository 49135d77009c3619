/**
 * @metadg/backbone-cnn — small GroupNorm CNN backbones for 28–64 px inputs,
 * the fixed benchmark network, and the functional layer toolkit they are built
 * from (conv2d, GroupNorm, dense, activations, flatten, pooling; seeded
 * He/Glorot initialisation; parameter and FLOP counts; gradient checks).
 *
 * @packageDocumentation
 */
import { definePluginPackage } from '@metadg/core';
import { referenceCnnPlugin } from './reference-cnn.js';
import { smallCnnPlugin } from './small-cnn.js';

export { ACTIVATIONS, ACTIVATION_COST, activate, activationLayer, type ActivationName } from './layers/activation.js';
export { conv2d, conv2dLayer, convOutputSize, type Conv2dOptions, type Padding } from './layers/conv2d.js';
export { dense, denseLayer, type DenseOptions } from './layers/dense.js';
export { groupNorm, groupNormLayer, type GroupNormOptions } from './layers/group-norm.js';
export { initialParams, initialValues } from './layers/init.js';
export { formatShape, sizeOf, type FeatureShape, type Initializer, type Layer, type ParamReader, type ParamSpec } from './layers/layer.js';
export { flatten, flattenLayer, globalAvgPool, globalAvgPoolLayer } from './layers/reshape.js';
export { NetworkBuilder, sequential } from './layers/sequential.js';
export { countFlops, kernelFlops, traceFlops, type FlopCount } from './flops.js';
export { countParams, createBackbone, type CreateBackboneOptions, type NetworkBackbone } from './network-backbone.js';
export { REFERENCE_CNN_INPUT, createReferenceCnn, referenceCnnNetwork, referenceCnnPlugin } from './reference-cnn.js';
export { createSmallCnn, smallCnnHparams, smallCnnNetwork, smallCnnPlugin, type SmallCnnOptions } from './small-cnn.js';
export { formatSummary, summarizeNetwork, type LayerSummary } from './summary.js';
export {
  checkDirectionalDerivative,
  checkHessianVectorProduct,
  randomDirection,
  type GradientCheck,
  type HessianVectorCheck,
} from './testing/gradient-check.js';

/** The plugins of this package: `small-cnn` and `reference-cnn` (backbones). */
export const metadgPlugins = definePluginPackage({
  packageName: '@metadg/backbone-cnn',
  version: '0.1.0',
  plugins: [smallCnnPlugin, referenceCnnPlugin],
});
