import * as tf from '@tensorflow/tfjs-core';
import { sizeOf, type FeatureShape, type Layer } from './layer.js';

/** The activations a backbone can select. */
export const ACTIVATIONS = ['relu', 'softplus', 'tanh', 'gelu'] as const;
/** Name of an activation function. */
export type ActivationName = (typeof ACTIVATIONS)[number];

// √(2/π), the constant of GELU's tanh approximation (Hendrycks & Gimpel 2016).
const GELU_C = Math.sqrt(2 / Math.PI);

/**
 * Applies an activation elementwise. All are built from ops whose gradients
 * are themselves differentiable, so they work under second-order meta-steps.
 * ReLU is the default for real runs; softplus/tanh are smooth, which is what
 * finite-difference gradient checks need (ReLU kinks make them noisy).
 */
export function activate(x: tf.Tensor, name: ActivationName): tf.Tensor {
  switch (name) {
    case 'relu':
      return tf.relu(x);
    case 'softplus':
      return tf.softplus(x);
    case 'tanh':
      return tf.tanh(x);
    case 'gelu': {
      // x³ as a product, not tf.pow: Pow's gradient reuses its output, which
      // is fragile at second order (TFJS-NOTES.md).
      const cube = tf.mul(tf.mul(x, x), x);
      const inner = tf.mul(tf.add(x, tf.mul(cube, 0.044715)), GELU_C);
      return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
    }
  }
}

/** Elementwise operations per element of each activation (FLOP convention: one per op). */
export const ACTIVATION_COST: Readonly<Record<ActivationName, number>> = {
  relu: 1,
  softplus: 1,
  tanh: 1,
  gelu: 9,
};

/** A parameter-free activation layer. */
export function activationLayer(name: string, inputShape: FeatureShape, fn: ActivationName): Layer {
  return {
    name,
    kind: fn,
    inputShape,
    outputShape: inputShape,
    params: [],
    flops: ACTIVATION_COST[fn] * sizeOf(inputShape),
    apply: (x) => activate(x, fn),
  };
}
