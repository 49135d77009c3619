import * as tf from '@tensorflow/tfjs-core';
import { KernelCalls } from '../kernel_calls.js';
import { replaceKernel } from './stock_kernel.js';

/**
 * OneHot for wasm with a correct non-int32 output. The stock wasm kernel
 * always writes int32 values (and truncates onValue/offValue to integers)
 * into a buffer of the requested dtype, so `tf.oneHot(ids, n, 1, 0, 'float32')`
 * silently gave 1.4e-45 instead of 1 — every classification loss built on a
 * float one-hot was zero on wasm. int32 requests go straight to the stock
 * kernel; others build the int32 mask there, cast it, and apply the on/off
 * values in float32.
 */
export function oneHotWasmConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const name = `wasm ${tf.OneHot}`;
  // The stock setup binds the native function this wrapper delegates to.
  return replaceKernel(stock, (args) => {
    const { dtype, depth, onValue, offValue } = args.attrs as unknown as tf.OneHotAttrs;
    if (dtype === 'int32') return stock.kernelFunc(args);
    const { indices } = args.inputs;
    if (indices === undefined) throw new Error(`${name}: input indices is required`);
    const k = new KernelCalls(args.backend, 'wasm', name);
    try {
      const mask = k.runConfig(stock, { indices }, { depth, onValue: 1, offValue: 0, dtype: 'int32' });
      let out = k.run(tf.Cast, { x: mask }, { dtype: 'float32' });
      if (onValue !== 1 || offValue !== 0) {
        const scale = k.run(tf.Fill, {}, { shape: [], value: onValue - offValue, dtype: 'float32' });
        const shift = k.run(tf.Fill, {}, { shape: [], value: offValue, dtype: 'float32' });
        out = k.run(tf.Add, { a: k.run(tf.Multiply, { a: out, b: scale }), b: shift });
      }
      if (dtype !== 'float32') out = k.run(tf.Cast, { x: out }, { dtype });
      return k.keep(out);
    } finally {
      k.dispose();
    }
  });
}
