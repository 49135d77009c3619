import * as tf from '@tensorflow/tfjs-core';
import { zeroGradConfig } from './zero_grad_util.js';

/** Greater is piecewise constant: zero gradient (lets masks built from it differentiate twice). */
export const greaterGradConfig: tf.GradConfig = zeroGradConfig(tf.Greater, ['a', 'b']);
