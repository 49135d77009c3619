import * as tf from '@tensorflow/tfjs-core';

/** Writes the tensors' values one after another into `out` from `offset` (θ or ∂/∂θ as they cross threads). */
export function flattenInto(tensors: readonly tf.Tensor[], out: Float32Array, offset = 0): void {
  let at = offset;
  for (const t of tensors) {
    out.set(t.dataSync() as Float32Array, at);
    at += t.size;
  }
}

/** The tensors' values one after another in a new array. */
export function flatten(tensors: readonly tf.Tensor[]): Float32Array {
  const out = new Float32Array(tensors.reduce((n, t) => n + t.size, 0));
  flattenInto(tensors, out);
  return out;
}

/**
 * Tensors of the given shapes from consecutive values of `flat`. The values
 * are copied: tfjs may keep the array it is given, and `flat` may be shared
 * memory that the next request overwrites.
 */
export function unflatten(flat: Float32Array, shapes: readonly (readonly number[])[]): tf.Tensor[] {
  let at = 0;
  return shapes.map((shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const t = tf.tensor(flat.slice(at, at + size), [...shape]);
    at += size;
    return t;
  });
}
