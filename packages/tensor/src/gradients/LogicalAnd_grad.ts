import * as tf from '@tensorflow/tfjs-core';
import { zeroGradConfig } from './zero_grad_util.js';

/** LogicalAnd is piecewise constant: zero gradient (lets masks built from it differentiate twice). */
export const logicalAndGradConfig: tf.GradConfig = zeroGradConfig(tf.LogicalAnd, ['a', 'b']);
