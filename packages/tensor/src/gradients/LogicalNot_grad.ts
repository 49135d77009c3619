import * as tf from '@tensorflow/tfjs-core';
import { zeroGradConfig } from './zero_grad_util.js';

/** LogicalNot is piecewise constant: zero gradient (lets masks built from it differentiate twice). */
export const logicalNotGradConfig: tf.GradConfig = zeroGradConfig(tf.LogicalNot, ['x']);
