import * as tf from '@tensorflow/tfjs-core';
import { PluginError, type Backbone } from '@metadg/core';
import { sizeOf, type Layer } from './layers/layer.js';
import type { NetworkBackbone } from './network-backbone.js';

/**
 * Forward-pass FLOPs of a batch.
 *
 * Convention (the usual one for reporting GFLOP/s): a multiply-accumulate in
 * a convolution or matrix product counts 2 FLOPs; every other arithmetic
 * operation counts 1 per output element (bias adds, activations — a
 * transcendental like softplus counts 1 —, normalisation steps, residual
 * adds), reductions count 1 per input element; reshapes and copies count 0.
 */
export interface FlopCount {
  readonly batchSize: number;
  /** FLOPs of one forward pass over the whole batch. */
  readonly total: number;
  readonly perSample: number;
  /** Per top-level layer, per sample. */
  readonly byLayer: readonly { readonly name: string; readonly kind: string; readonly flops: number }[];
}

/**
 * FLOPs of a forward pass, computed from the architecture (no tensor work).
 * Works for backbones built with this toolkit; for any other backbone use
 * `traceFlops`.
 */
export function countFlops(source: Backbone | Layer, batchSize = 1): FlopCount {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`countFlops: batchSize must be a positive integer, got ${batchSize}`);
  const network = networkOf(source);
  const layers = network.children ?? [network];
  return {
    batchSize,
    total: network.flops * batchSize,
    perSample: network.flops,
    byLayer: layers.map((l) => ({ name: l.name, kind: l.kind, flops: l.flops })),
  };
}

/**
 * FLOPs of a forward pass of any backbone, measured by running it once on a
 * zero batch under `tf.profile` and counting every kernel it launches (same
 * convention as `countFlops`). `byLayer` lists kernels by name instead.
 */
export async function traceFlops(backbone: Backbone, batchSize = 1): Promise<FlopCount> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`traceFlops: batchSize must be a positive integer, got ${batchSize}`);
  const x = tf.zeros([batchSize, ...backbone.inputShape]) as tf.Tensor4D;
  try {
    // tidy: a backbone that leaks intermediates must not leak them through us.
    const info = await tf.profile(() => tf.tidy(() => backbone.embed(x)));
    tf.dispose(info.result);
    const byKernel = new Map<string, number>();
    for (const k of info.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + kernelFlops(k.name, k.inputShapes, k.outputShapes));
    const total = [...byKernel.values()].reduce((a, b) => a + b, 0);
    return {
      batchSize,
      total,
      perSample: total / batchSize,
      byLayer: [...byKernel].map(([name, flops]) => ({ name, kind: 'kernel', flops: flops / batchSize })),
    };
  } finally {
    x.dispose();
  }
}

// Kernels that move or reinterpret data without arithmetic.
const FREE_KERNELS = new Set([
  'Reshape', 'Identity', 'Cast', 'ExpandDims', 'Squeeze', 'Transpose', 'Slice', 'StridedSlice', 'Concat',
  'Pack', 'Unpack', 'PadV2', 'MirrorPad', 'Tile', 'GatherV2', 'Fill', 'ZerosLike', 'OnesLike', 'Reverse', 'SplitV',
]);
const REDUCTIONS = new Set(['Sum', 'Mean', 'Max', 'Min', 'Prod', 'All', 'Any', 'ArgMax', 'ArgMin']);

/** FLOPs of one kernel launch from its input/output shapes (convention: see `FlopCount`). */
export function kernelFlops(name: string, inputShapes: readonly (readonly number[])[], outputShapes: readonly (readonly number[])[]): number {
  const out = outputShapes[0] ? sizeOf(outputShapes[0]) : 0;
  const in0 = inputShapes[0] ? sizeOf(inputShapes[0]) : 0;
  if (FREE_KERNELS.has(name)) return 0;
  if (REDUCTIONS.has(name)) return in0;
  switch (name) {
    case 'Conv2D':
    case 'FusedConv2D': {
      const f = inputShapes[1] ?? [];
      const taps = (f[0] ?? 0) * (f[1] ?? 0) * (f[2] ?? 0);
      return 2 * out * taps + (name === 'FusedConv2D' ? out : 0);
    }
    case 'DepthwiseConv2dNative': {
      const f = inputShapes[1] ?? [];
      return 2 * out * (f[0] ?? 0) * (f[1] ?? 0);
    }
    case 'BatchMatMul':
    case '_FusedMatMul': {
      // out is [..., M, N]; a holds M·K values per batch, so K = size(a)·N / size(out).
      const outShape = outputShapes[0] ?? [];
      const n = outShape[outShape.length - 1] ?? 0;
      const k = out === 0 ? 0 : (in0 * n) / out;
      return 2 * out * k + (name === '_FusedMatMul' ? out : 0);
    }
    default:
      return out;
  }
}

function networkOf(source: Backbone | Layer): Layer {
  if ('apply' in source && Array.isArray(source.params)) return source as Layer;
  const network = (source as Partial<NetworkBackbone>).network;
  if (!network) {
    throw new PluginError(
      'PLUGIN_UNSUPPORTED',
      (source as Backbone).name,
      'countFlops needs a backbone built from @metadg/backbone-cnn layers; use traceFlops(backbone) for any other',
    );
  }
  return network;
}
