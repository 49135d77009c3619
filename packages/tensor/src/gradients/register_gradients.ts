import * as tf from '@tensorflow/tfjs-core';
import { avgPoolGradConfig } from './AvgPool_grad.js';
import { avgPoolGradGradConfig } from './AvgPoolGrad_grad.js';
import { conv2DBackpropFilterGradConfig } from './Conv2DBackpropFilter_grad.js';
import { depthwiseConv2dNativeBackpropFilterGradConfig } from './DepthwiseConv2dNativeBackpropFilter_grad.js';
import { depthwiseConv2dNativeBackpropInputGradConfig } from './DepthwiseConv2dNativeBackpropInput_grad.js';
import { eluGradGradConfig } from './EluGrad_grad.js';
import { equalGradConfig } from './Equal_grad.js';
import { gatherV2GradConfig } from './GatherV2_grad.js';
import { greaterGradConfig } from './Greater_grad.js';
import { lessEqualGradConfig } from './LessEqual_grad.js';
import { lessGradConfig } from './Less_grad.js';
import { logicalAndGradConfig } from './LogicalAnd_grad.js';
import { logicalNotGradConfig } from './LogicalNot_grad.js';
import { logicalOrGradConfig } from './LogicalOr_grad.js';
import { maxPoolGradGradConfig } from './MaxPoolGrad_grad.js';
import { notEqualGradConfig } from './NotEqual_grad.js';
import { unpackGradConfig } from './Unpack_grad.js';

/** Gradients stock tfjs 4.22 lacks, which second-order differentiation needs. */
export const MISSING_GRADIENTS: readonly tf.GradConfig[] = [
  conv2DBackpropFilterGradConfig,
  depthwiseConv2dNativeBackpropFilterGradConfig,
  depthwiseConv2dNativeBackpropInputGradConfig,
  eluGradGradConfig,
  avgPoolGradGradConfig,
  maxPoolGradGradConfig,
  greaterGradConfig,
  lessGradConfig,
  lessEqualGradConfig,
  equalGradConfig,
  notEqualGradConfig,
  logicalAndGradConfig,
  logicalOrGradConfig,
  logicalNotGradConfig,
];

/** Stock gradients that give wrong numbers, replaced by correct ones. */
export const WRONG_GRADIENTS: readonly tf.GradConfig[] = [avgPoolGradConfig, unpackGradConfig];

// Marks configs this package registered, so a second install (or a second copy
// of this package, ESM next to CJS) never replaces or wraps its own fixes again.
const OURS = Symbol.for('@metadg/tensor:gradient-fix');

function isOurs(config: tf.GradConfig): boolean {
  return Object.prototype.hasOwnProperty.call(config, OURS);
}

function markOurs(config: tf.GradConfig): tf.GradConfig {
  if (!isOurs(config)) Object.defineProperty(config, OURS, { value: true });
  return config;
}

/**
 * Registers every gradient fix (globally: gradients are backend-independent).
 * Idempotent. A missing gradient that someone else registered in the meantime
 * is kept; the wrong stock AvgPool and Unpack gradients are replaced;
 * GatherV2's gradient is wrapped once.
 */
export function registerGradientFixes(): void {
  for (const config of MISSING_GRADIENTS) {
    if (tf.getGradient(config.kernelName) === undefined) tf.registerGradient(markOurs(config));
  }
  // Stock gradients that are wrong (not missing) are replaced outright.
  for (const config of WRONG_GRADIENTS) {
    const current = tf.getGradient(config.kernelName);
    if (current === undefined || !isOurs(current)) tf.registerGradient(markOurs(config));
  }
  const gather = tf.getGradient(tf.GatherV2);
  if (gather !== undefined && !isOurs(gather)) tf.registerGradient(markOurs(gatherV2GradConfig(gather)));
}
