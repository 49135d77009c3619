import * as tf from '@tensorflow/tfjs-core';
import type { KernelCalls } from '../kernel_calls.js';

/**
 * `x − min(x) + 1`: the same argmax in every pooling window, with every value
 * ≥ 1. The wasm MaxPoolGrad and MaxPoolWithArgmax kernels start their max
 * search from FLT_MIN (the smallest *positive* float) instead of −∞, so a
 * window whose values are all negative routes its gradient nowhere (or to
 * index 0); shifted inputs never hit that case. The shift is monotonic, so
 * positions are unchanged (up to float ties between values closer than the
 * shifted magnitude's rounding). Returns the input itself when its minimum is
 * not finite (nothing sensible to shift by).
 */
export function shiftAboveOne(k: KernelCalls, x: tf.TensorInfo): tf.TensorInfo {
  const axes = x.shape.map((_, i) => i);
  const min = k.run(tf.Min, { x }, { axis: axes, keepDims: false });
  const minValue = k.read(min)[0];
  if (minValue === undefined || !Number.isFinite(minValue)) return x;
  const offset = k.run(tf.Fill, {}, { shape: [], value: 1 - minValue, dtype: 'float32' });
  return k.run(tf.Add, { a: x, b: offset });
}
