import * as tf from '@tensorflow/tfjs-core';

/** The single upstream gradient of a one-output kernel (tfjs passes an array only for multi-output kernels). */
export function singleDy(dy: tf.Tensor | tf.Tensor[], kernelName: string): tf.Tensor {
  if (Array.isArray(dy)) throw new Error(`${kernelName} gradient: expected one upstream gradient, got ${dy.length}`);
  return dy;
}

/** `saved[i]`, or a one-line error naming the kernel (never an undefined deep inside tfjs). */
export function savedAt(saved: readonly tf.Tensor[], i: number, kernelName: string): tf.Tensor {
  const t = saved[i];
  if (t === undefined) throw new Error(`${kernelName} gradient: saved tensor ${i} is missing`);
  return t;
}

/** Runs a kernel by name through the engine, so the call is recorded on the gradient tape. */
export function runKernel(kernelName: string, inputs: tf.NamedTensorMap, attrs: object): tf.Tensor {
  return tf.engine().runKernel<tf.Tensor>(kernelName, inputs, attrs as tf.NamedAttrMap);
}
