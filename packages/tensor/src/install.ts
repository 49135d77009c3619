// tfjs-core alone registers no gradients; the @tensorflow/tfjs umbrella does
// (and it is what tfjs-node builds on, so users keep one tfjs instance).
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { installSavedOutputOrderFix } from './engine/saved_output_order.js';
import { registerGradientFixes } from './gradients/register_gradients.js';
import { registerWasmKernelFixes } from './kernels/wasm/register_wasm_kernels.js';

/**
 * Installs every fix MetaDG needs on top of stock tfjs for `backend`:
 * higher-order gradients (engine-wide: the tape-order fix and the missing
 * gradient configs) and the kernels that backend lacks (wasm). Idempotent;
 * `initBackend` calls it for the backend it starts. Each fix lives in its own
 * file under engine/, gradients/ or kernels/.
 */
export function installBackendFixes(backend: string): void {
  installSavedOutputOrderFix(tf.engine());
  registerGradientFixes();
  if (backend === 'wasm') registerWasmKernelFixes();
}
