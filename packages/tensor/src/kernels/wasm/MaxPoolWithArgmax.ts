import * as tf from '@tensorflow/tfjs-core';
import { KernelCalls } from '../kernel_calls.js';
import { shiftAboveOne } from './max_pool_shift.js';
import { replaceKernel } from './stock_kernel.js';

/**
 * MaxPoolWithArgmax for wasm with correct results for negative windows. The
 * stock kernel starts from FLT_MIN, so an all-negative window returned
 * 1.2e-38 and index 0. Indexes come from the stock kernel on `x − min + 1`
 * (same argmax); values from the (correct, XNNPACK) MaxPool kernel.
 */
export function maxPoolWithArgmaxWasmConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const name = `wasm ${tf.MaxPoolWithArgmax}`;
  return replaceKernel(stock, ({ inputs, backend, attrs }) => {
    const { x } = inputs;
    if (x === undefined) throw new Error(`${name}: input x is required`);
    const { filterSize, strides, pad } = attrs as unknown as tf.MaxPoolWithArgmaxAttrs;
    const k = new KernelCalls(backend, 'wasm', name);
    try {
      const shifted = shiftAboveOne(k, x);
      const out = stock.kernelFunc({ inputs: { x: shifted }, backend, attrs: attrs ?? {} });
      if (!Array.isArray(out) || out.length !== 2) throw new Error(`${name}: stock kernel must return [result, indexes]`);
      const [shiftedMax, indexes] = out as [tf.TensorInfo, tf.TensorInfo];
      k.adopt(shiftedMax);
      const result = k.run(tf.MaxPool, { x }, { filterSize, strides, pad });
      return [k.keep(result), indexes];
    } finally {
      k.dispose();
    }
  });
}
