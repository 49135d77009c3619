import * as tf from '@tensorflow/tfjs-core';
import { zeroGradConfig } from './zero_grad_util.js';

/** Less is piecewise constant: zero gradient (lets masks built from it differentiate twice). */
export const lessGradConfig: tf.GradConfig = zeroGradConfig(tf.Less, ['a', 'b']);
