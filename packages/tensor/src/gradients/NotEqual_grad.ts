import * as tf from '@tensorflow/tfjs-core';
import { zeroGradConfig } from './zero_grad_util.js';

/** NotEqual is piecewise constant: zero gradient (lets masks built from it differentiate twice). */
export const notEqualGradConfig: tf.GradConfig = zeroGradConfig(tf.NotEqual, ['a', 'b']);
