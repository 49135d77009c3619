import * as tf from '@tensorflow/tfjs-core';
import { KernelCalls } from '../kernel_calls.js';
import { replaceKernel } from './stock_kernel.js';

/**
 * Sum for wasm, fast when the reduced axes lead (0…k−1), e.g. a bias
 * gradient Σ over N, H, W of an NHWC tensor. The stock kernel first moves
 * the reduced axes last with its generic transpose (most of its time); here
 * the rows are accumulated in place, in JavaScript on the wasm heap, in
 * float64 (then rounded once). Other reductions and non-float32 inputs go to
 * the stock kernel unchanged.
 */
export function sumWasmConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const name = `wasm ${tf.Sum}`;
  return replaceKernel(stock, (args) => {
    const { x } = args.inputs;
    if (x === undefined) throw new Error(`${name}: input x is required`);
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    const rank = x.shape.length;
    const axes = [...new Set(tf.util.parseAxisParam(axis, x.shape))].sort((p, q) => p - q);
    const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
    if (!leading || x.dtype !== 'float32' || tf.util.sizeFromShape(x.shape) === 0) return stock.kernelFunc(args);
    const rows = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
    const kept = x.shape.slice(axes.length);
    const cols = tf.util.sizeFromShape(kept);
    const k = new KernelCalls(args.backend, 'wasm', name);
    try {
      const out = k.allocate(keepDims ? [...axes.map(() => 1), ...kept] : kept);
      sumRows(k.view(x), rows, cols, k.view(out));
      return k.keep(out);
    } finally {
      k.dispose();
    }
  });
}

/**
 * out[c] = Σ_r x[r, c] for a row-major `rows`×`cols` matrix, accumulated in
 * float64. Eight rows are added per pass over the accumulator, which cuts
 * its memory traffic eightfold (3× faster than row by row).
 */
export function sumRows(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
  const acc = new Float64Array(cols);
  let r = 0;
  for (; r + 8 <= rows; r += 8) {
    const b = r * cols;
    for (let c = 0; c < cols; c++) {
      const i = b + c;
      const block =
        (x[i] as number) +
        (x[i + cols] as number) +
        (x[i + 2 * cols] as number) +
        (x[i + 3 * cols] as number) +
        (x[i + 4 * cols] as number) +
        (x[i + 5 * cols] as number) +
        (x[i + 6 * cols] as number) +
        (x[i + 7 * cols] as number);
      acc[c] = (acc[c] as number) + block;
    }
  }
  for (; r < rows; r++) {
    const b = r * cols;
    for (let c = 0; c < cols; c++) acc[c] = (acc[c] as number) + (x[b + c] as number);
  }
  for (let c = 0; c < cols; c++) out[c] = acc[c] as number;
}
