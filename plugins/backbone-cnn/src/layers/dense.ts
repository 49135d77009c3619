import * as tf from '@tensorflow/tfjs-core';
import { requireInt, requireVector } from './checks.js';
import type { FeatureShape, Layer, ParamSpec } from './layer.js';

/** Options of a dense (fully connected) layer. */
export interface DenseOptions {
  readonly units: number;
  /** Add a bias (default true). */
  readonly bias?: boolean;
  /**
   * Kernel initialiser: `glorot` (default; a linear output such as an
   * embedding) or `he` (the layer feeds a ReLU-like activation).
   */
  readonly init?: 'he' | 'glorot';
}

/** Functional dense layer: `x · kernel (+ bias)`, x `[N, D]`, kernel `[D, U]`. */
export function dense(x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D | undefined): tf.Tensor2D {
  const y = tf.matMul<tf.Tensor2D>(x, kernel);
  return bias ? tf.add<tf.Tensor2D>(y, bias) : y;
}

/** A dense layer with parameters `<name>/kernel` `[D, units]` and `<name>/bias`. */
export function denseLayer(name: string, inputShape: FeatureShape, options: DenseOptions): Layer {
  const d = requireVector(name, inputShape);
  const { units } = options;
  requireInt(`${name}.units`, units, 1);
  const useBias = options.bias ?? true;
  const params: ParamSpec[] = [
    {
      name: `${name}/kernel`,
      shape: [d, units],
      init: options.init === 'he' ? { kind: 'he-normal', fanIn: d } : { kind: 'glorot-uniform', fanIn: d, fanOut: units },
    },
  ];
  if (useBias) params.push({ name: `${name}/bias`, shape: [units], init: { kind: 'zeros' } });
  return {
    name,
    kind: 'dense',
    inputShape,
    outputShape: [units],
    params,
    flops: 2 * d * units + (useBias ? units : 0),
    apply: (x, read) =>
      dense(x as tf.Tensor2D, read(`${name}/kernel`) as tf.Tensor2D, useBias ? (read(`${name}/bias`) as tf.Tensor1D) : undefined),
  };
}
