import type * as tf from '@tensorflow/tfjs-core';

/**
 * A kernel config that takes `stock`'s place: the same kernel name and
 * backend, the stock setup and dispose functions (they manage the backend's
 * own state), and a new `kernelFunc` — which may still call the stock one for
 * the cases it handles well.
 */
export function replaceKernel(stock: tf.KernelConfig, kernelFunc: tf.KernelFunc): tf.KernelConfig {
  return {
    kernelName: stock.kernelName,
    backendName: stock.backendName,
    ...(stock.setupFunc === undefined ? {} : { setupFunc: stock.setupFunc }),
    ...(stock.disposeFunc === undefined ? {} : { disposeFunc: stock.disposeFunc }),
    kernelFunc,
  };
}
