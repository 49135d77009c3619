import * as tf from '@tensorflow/tfjs-core';
import { KernelCalls } from '../kernel_calls.js';

/**
 * UnsortedSegmentSum for wasm (absent from tfjs-backend-wasm). It is the
 * gradient of `gather`, so without it any model that gathers rows (embedding
 * lookups, picking logits by label) could not train on wasm.
 *
 * out[s, …] = Σ_{i: ids[i] = s} x[i, …] is a ScatterNd (which sums duplicate
 * indices) into S + 1 rows; ids outside [0, S) are sent to the extra row and
 * sliced away, i.e. dropped — as TensorFlow and the cpu backend do.
 */
export const unsortedSegmentSumWasmConfig: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const name = `wasm ${tf.UnsortedSegmentSum}`;
    const { x, segmentIds } = inputs;
    if (x === undefined || segmentIds === undefined) throw new Error(`${name}: inputs x and segmentIds are required`);
    const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
    const idsRank = segmentIds.shape.length;
    if (!tf.util.arraysEqual(segmentIds.shape, x.shape.slice(0, idsRank))) {
      throw new Error(`${name}: segmentIds shape [${segmentIds.shape}] must be a prefix of x shape [${x.shape}]`);
    }
    const count = tf.util.sizeFromShape(segmentIds.shape);
    const inner = x.shape.slice(idsRank);
    const innerSize = tf.util.sizeFromShape(inner);
    const k = new KernelCalls(backend, 'wasm', name);
    try {
      const ids = segmentIds.dtype === 'int32' ? segmentIds : k.run(tf.Cast, { x: segmentIds }, { dtype: 'int32' });
      const zero = k.run(tf.Fill, {}, { shape: [], value: 0, dtype: 'int32' });
      const extra = k.run(tf.Fill, {}, { shape: [count], value: numSegments, dtype: 'int32' });
      const flatIds = k.run(tf.Reshape, { x: ids }, { shape: [count] });
      const valid = k.run(tf.LogicalAnd, {
        a: k.run(tf.GreaterEqual, { a: flatIds, b: zero }),
        b: k.run(tf.Less, { a: flatIds, b: extra }),
      });
      const safeIds = k.run(tf.Select, { condition: valid, t: flatIds, e: extra });
      const indices = k.run(tf.Reshape, { x: safeIds }, { shape: [count, 1] });
      const updates = k.run(tf.Reshape, { x }, { shape: [count, innerSize] });
      const scattered = k.run(tf.ScatterNd, { indices, updates }, { shape: [numSegments + 1, innerSize] });
      const kept = k.run(tf.Slice, { x: scattered }, { begin: [0, 0], size: [numSegments, innerSize] });
      return k.keep(k.run(tf.Reshape, { x: kept }, { shape: [numSegments, ...inner] }));
    } finally {
      k.dispose();
    }
  },
};
