import * as tf from '@tensorflow/tfjs-core';
import { KernelCalls } from '../kernel_calls.js';
import { transpose2D } from './conv_loops.js';
import { replaceKernel } from './stock_kernel.js';

/**
 * BatchMatMul for wasm with transposed operands on the fast path. The stock
 * kernel sends only `a · b` with no transpose flag and no batch to XNNPACK;
 * `transposeA`/`transposeB` (every dense layer's backward pass: dW = xᵀ·dy,
 * dx = dy·Wᵀ) fall back to a scalar triple loop, 5–30× slower. This wrapper
 * materialises the flagged operand transposed (a tiled copy in JavaScript on
 * the wasm heap, O(size) against the product's O(M·N·K)) and calls the stock
 * kernel without flags. Batched products (batch > 1) go to the stock kernel
 * unchanged.
 */
export function batchMatMulWasmConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const name = `wasm ${tf.BatchMatMul}`;
  // The stock setup binds the native function this wrapper delegates to.
  return replaceKernel(stock, (args) => {
    const { a, b } = args.inputs;
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    if (a === undefined || b === undefined) throw new Error(`${name}: inputs a and b are required`);
    if ((!transposeA && !transposeB) || !isSingleMatrix(a) || !isSingleMatrix(b) || a.dtype !== 'float32' || b.dtype !== 'float32') {
      return stock.kernelFunc(args);
    }
    const outShape = [
      ...tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)),
      a.shape[a.shape.length - (transposeA ? 1 : 2)] as number,
      b.shape[b.shape.length - (transposeB ? 2 : 1)] as number,
    ];
    const k = new KernelCalls(args.backend, 'wasm', name);
    try {
      const a2 = transposeA ? transposed(k, a) : a;
      const b2 = transposeB ? transposed(k, b) : b;
      const product = k.runConfig(stock, { a: a2, b: b2 }, { transposeA: false, transposeB: false });
      return k.keep(k.run(tf.Reshape, { x: product }, { shape: outShape }));
    } finally {
      k.dispose();
    }
  });
}

/** True when every dimension before the last two is 1 (a single matrix, possibly with unit batch axes). */
function isSingleMatrix(t: tf.TensorInfo): boolean {
  return t.shape.length >= 2 && t.shape.slice(0, -2).every((d) => d === 1) && tf.util.sizeFromShape(t.shape) > 0;
}

/** The matrix of `t` ([…1, r, c]) transposed into a fresh [1, c, r] buffer. */
function transposed(k: KernelCalls, t: tf.TensorInfo): tf.TensorInfo {
  const rows = t.shape[t.shape.length - 2] as number;
  const cols = t.shape[t.shape.length - 1] as number;
  const out = k.allocate([1, cols, rows]);
  transpose2D(k.view(t), rows, cols, k.view(out));
  return out;
}
