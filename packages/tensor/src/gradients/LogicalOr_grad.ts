import * as tf from '@tensorflow/tfjs-core';
import { zeroGradConfig } from './zero_grad_util.js';

/** LogicalOr is piecewise constant: zero gradient (lets masks built from it differentiate twice). */
export const logicalOrGradConfig: tf.GradConfig = zeroGradConfig(tf.LogicalOr, ['a', 'b']);
