import * as tf from '@tensorflow/tfjs-core';
import { KernelCalls } from '../kernel_calls.js';
import { shiftAboveOne } from './max_pool_shift.js';
import { replaceKernel } from './stock_kernel.js';

/**
 * MaxPoolGrad for wasm that routes the gradient of all-negative windows. The
 * stock kernel searches each window's max from FLT_MIN, so with 'same'
 * padding or negative activations (maxPool without a relu before it) whole
 * windows lost their gradient (measured: 3 of 4 windows of a negative 4×4
 * input). This wrapper runs the stock kernel on `input − min + 1`, which has
 * the same argmax everywhere.
 */
export function maxPoolGradWasmConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const name = `wasm ${tf.MaxPoolGrad}`;
  return replaceKernel(stock, ({ inputs, backend, attrs }) => {
    const { dy, input, output } = inputs;
    if (dy === undefined || input === undefined || output === undefined) {
      throw new Error(`${name}: inputs dy, input and output are required`);
    }
    const k = new KernelCalls(backend, 'wasm', name);
    try {
      const shifted = shiftAboveOne(k, input);
      return k.keep(k.runConfig(stock, { dy, input: shifted, output }, attrs ?? {}));
    } finally {
      k.dispose();
    }
  });
}
