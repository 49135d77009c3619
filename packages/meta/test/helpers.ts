import type * as tf from '@tensorflow/tfjs-core';

/** ‖a − b‖ / ‖b‖ over flat values (‖b‖ = 0 counts as 1). */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < b.length; i++) {
    diff += ((a[i] as number) - (b[i] as number)) ** 2;
    norm += (b[i] as number) ** 2;
  }
  return Math.sqrt(diff) / Math.sqrt(norm || 1);
}

/** Values of a tensor as a plain array (float64 in JS). */
export function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}
