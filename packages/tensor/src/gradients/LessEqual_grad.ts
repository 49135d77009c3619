import * as tf from '@tensorflow/tfjs-core';
import { zeroGradConfig } from './zero_grad_util.js';

/** LessEqual is piecewise constant: zero gradient (lets masks built from it differentiate twice). */
export const lessEqualGradConfig: tf.GradConfig = zeroGradConfig(tf.LessEqual, ['a', 'b']);
