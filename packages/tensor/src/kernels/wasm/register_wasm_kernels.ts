import * as tf from '@tensorflow/tfjs-core';
import { conv2DBackpropFilterWasmConfig } from './Conv2DBackpropFilter.js';
import { depthwiseConv2dNativeBackpropFilterWasmConfig } from './DepthwiseConv2dNativeBackpropFilter.js';
import { depthwiseConv2dNativeBackpropInputWasmConfig } from './DepthwiseConv2dNativeBackpropInput.js';
import { maxPoolGradWasmConfig } from './MaxPoolGrad.js';
import { maxPoolWithArgmaxWasmConfig } from './MaxPoolWithArgmax.js';
import { oneHotWasmConfig } from './OneHot.js';
import { unsortedSegmentSumWasmConfig } from './UnsortedSegmentSum.js';

/** Kernels tfjs-backend-wasm 4.22 lacks that training (first or second order) needs. */
export const MISSING_WASM_KERNELS: readonly tf.KernelConfig[] = [
  conv2DBackpropFilterWasmConfig,
  depthwiseConv2dNativeBackpropFilterWasmConfig,
  depthwiseConv2dNativeBackpropInputWasmConfig,
  unsortedSegmentSumWasmConfig,
];

/** Stock wasm kernels that give wrong numbers, each with the wrapper that corrects it. */
export const BROKEN_WASM_KERNELS: Readonly<Record<string, (stock: tf.KernelConfig) => tf.KernelConfig>> = {
  [tf.OneHot]: oneHotWasmConfig,
  [tf.MaxPoolGrad]: maxPoolGradWasmConfig,
  [tf.MaxPoolWithArgmax]: maxPoolWithArgmaxWasmConfig,
};

// Marks kernels this package registered (shared by ESM and CJS copies), so a
// second install never wraps its own wrapper again.
const OURS = Symbol.for('@metadg/tensor:kernel-fix');

function isOurs(config: tf.KernelConfig): boolean {
  return Object.prototype.hasOwnProperty.call(config, OURS);
}

function markOurs(config: tf.KernelConfig): tf.KernelConfig {
  if (!isOurs(config)) Object.defineProperty(config, OURS, { value: true });
  return config;
}

/**
 * Registers each missing wasm kernel unless the backend already has one (a
 * newer tfjs-backend-wasm's native kernel always wins), and wraps each broken
 * stock kernel once. Idempotent.
 */
export function registerWasmKernelFixes(): void {
  for (const config of MISSING_WASM_KERNELS) {
    if (tf.getKernel(config.kernelName, 'wasm') === undefined) tf.registerKernel(markOurs(config));
  }
  for (const [kernelName, wrap] of Object.entries(BROKEN_WASM_KERNELS)) {
    const stock = tf.getKernel(kernelName, 'wasm');
    if (stock === undefined || isOurs(stock)) continue;
    // Unregister first: registering over a kernel logs a warning.
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel(markOurs(wrap(stock)));
  }
}
