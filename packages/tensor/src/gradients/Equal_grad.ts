import * as tf from '@tensorflow/tfjs-core';
import { zeroGradConfig } from './zero_grad_util.js';

/** Equal is piecewise constant: zero gradient (lets masks built from it differentiate twice). */
export const equalGradConfig: tf.GradConfig = zeroGradConfig(tf.Equal, ['a', 'b']);
