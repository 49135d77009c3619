import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError } from '../../errors.js';
import { batchMatMulWasmConfig } from './BatchMatMul.js';
import { conv2DBackpropFilterWasmConfig } from './Conv2DBackpropFilter.js';
import { conv2DBackpropFilterDilatedWasmConfig } from './Conv2DBackpropFilterDilated.js';
import { conv2DBackpropInputWasmConfig } from './Conv2DBackpropInput.js';
import { depthwiseConv2dNativeBackpropFilterWasmConfig } from './DepthwiseConv2dNativeBackpropFilter.js';
import { depthwiseConv2dNativeBackpropInputWasmConfig } from './DepthwiseConv2dNativeBackpropInput.js';
import { identityWasmConfig } from './Identity.js';
import { maxPoolGradWasmConfig } from './MaxPoolGrad.js';
import { maxPoolWithArgmaxWasmConfig } from './MaxPoolWithArgmax.js';
import { oneHotWasmConfig } from './OneHot.js';
import { softplusWasmConfig } from './Softplus.js';
import { sumWasmConfig } from './Sum.js';
import { unsortedSegmentSumWasmConfig } from './UnsortedSegmentSum.js';

/** Kernels tfjs-backend-wasm 4.22 lacks that training (first or second order) needs. */
export const MISSING_WASM_KERNELS: readonly tf.KernelConfig[] = [
  conv2DBackpropFilterWasmConfig,
  depthwiseConv2dNativeBackpropFilterWasmConfig,
  depthwiseConv2dNativeBackpropInputWasmConfig,
  unsortedSegmentSumWasmConfig,
];

/**
 * Stock wasm kernels that are correct but slow, each with its fast
 * replacement: a composition of what wasm runs fast (XNNPACK matrix
 * products, the stock kernel on the cases it handles well) and data movement
 * or element-wise math in JavaScript on the wasm heap. Same results to
 * float32 round-off (Softplus: closer to exact than the stock kernel); the
 * gradients registered for these kernels are unchanged, so nested gradients
 * run through them as well.
 */
export const FAST_WASM_KERNELS: Readonly<Record<string, (stock: tf.KernelConfig) => tf.KernelConfig>> = {
  [tf.Conv2DBackpropInput]: () => conv2DBackpropInputWasmConfig,
  [tf.BatchMatMul]: batchMatMulWasmConfig,
  [tf.Sum]: sumWasmConfig,
  [tf.Identity]: identityWasmConfig,
  [tf.Softplus]: softplusWasmConfig,
};

/**
 * Which kernels `registerWasmKernelFixes` installs, from `METADG_WASM_KERNELS`:
 * `fast` (default): every fix and every fast replacement; `baseline`: the
 * correctness fixes only — the first composed Conv2DBackpropFilter (one
 * dilated convolution) and the stock Conv2DBackpropInput, BatchMatMul, Sum,
 * Identity and Softplus, i.e. the kernels the speed measurements in
 * docs/performance.md compare against. One set per process: a kernel already
 * registered by this package is not swapped by a later call.
 */
export type WasmKernelSet = 'fast' | 'baseline';

/** Reads `METADG_WASM_KERNELS` (unset or empty: `fast`); anything else is an `ArgumentError`. */
export function wasmKernelSet(value: string | undefined = process.env['METADG_WASM_KERNELS']): WasmKernelSet {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === 'fast') return 'fast';
  if (v === 'baseline') return 'baseline';
  throw new ArgumentError('METADG_WASM_KERNELS', `unknown kernel set "${value}" (choose fast or baseline)`);
}

// Stock kernels this package replaced or wrapped, by name, so tests and
// benchmarks can still run them side by side with their replacement.
const replaced = new Map<string, tf.KernelConfig>();

/** The stock wasm kernel that a fix or fast kernel replaced in this process, if any. */
export function replacedWasmKernel(kernelName: string): tf.KernelConfig | undefined {
  return replaced.get(kernelName);
}

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
 * newer tfjs-backend-wasm's native kernel always wins), wraps each broken
 * stock kernel once and, with the `fast` kernel set (default; see
 * `wasmKernelSet`), replaces each slow stock kernel by its fast composition.
 * Idempotent.
 */
export function registerWasmKernelFixes(kernelSet: WasmKernelSet = wasmKernelSet()): void {
  const missing = kernelSet === 'fast' ? MISSING_WASM_KERNELS : MISSING_WASM_KERNELS.map(baselineOf);
  for (const config of missing) {
    if (tf.getKernel(config.kernelName, 'wasm') === undefined) tf.registerKernel(markOurs(config));
  }
  for (const [kernelName, wrap] of Object.entries(BROKEN_WASM_KERNELS)) wrapStock(kernelName, wrap);
  if (kernelSet === 'fast') {
    for (const [kernelName, wrap] of Object.entries(FAST_WASM_KERNELS)) wrapStock(kernelName, wrap);
  }
}

/** Replaces the stock kernel `kernelName` by `wrap(stock)`, once (remembering the stock one). */
function wrapStock(kernelName: string, wrap: (stock: tf.KernelConfig) => tf.KernelConfig): void {
  const stock = tf.getKernel(kernelName, 'wasm');
  if (stock === undefined || isOurs(stock)) return;
  replaced.set(kernelName, stock);
  // Unregister first: registering over a kernel logs a warning.
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel(markOurs(wrap(stock)));
}

function baselineOf(config: tf.KernelConfig): tf.KernelConfig {
  return config === conv2DBackpropFilterWasmConfig ? conv2DBackpropFilterDilatedWasmConfig : config;
}
