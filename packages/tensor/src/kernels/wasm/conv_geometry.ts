import * as tf from '@tensorflow/tfjs-core';
import type { ConvGeometry } from './conv_loops.js';

/** The attributes the two conv backprop kernels share (tfjs passes no dilations to either). */
export interface ConvBackpropAttrs {
  readonly strides: [number, number] | number;
  readonly pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  readonly dataFormat: 'NHWC' | 'NCHW';
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * Resolves the geometry of the forward convolution x [N,H,W,CI] ⋆ W
 * [FH,FW,CI,CO] whose gradient a backprop kernel computes, with tfjs's own
 * padding rules (`computeConv2DInfo`), so 'same', 'valid', numeric and
 * explicit padding all mean exactly what they mean in the forward kernel.
 */
export function convGeometry(
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: ConvBackpropAttrs,
  kernel: string,
): { geometry: ConvGeometry; outShape: [number, number, number, number]; outChannels: number } {
  if (attrs.dataFormat === 'NCHW') throw new Error(`${kernel}: dataFormat NCHW is not supported, use NHWC`);
  if (xShape.length !== 4) throw new Error(`${kernel}: input shape must be rank 4, got [${xShape}]`);
  if (filterShape.length !== 4) throw new Error(`${kernel}: filter shape must be rank 4, got [${filterShape}]`);
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  if (info.inChannels !== filterShape[2]) {
    throw new Error(`${kernel}: filter has ${filterShape[2]} input channels, input has ${info.inChannels}`);
  }
  return {
    geometry: {
      batch: info.batchSize,
      inHeight: info.inHeight,
      inWidth: info.inWidth,
      inChannels: info.inChannels,
      outHeight: info.outHeight,
      outWidth: info.outWidth,
      filterHeight: info.filterHeight,
      filterWidth: info.filterWidth,
      strideHeight: info.strideHeight,
      strideWidth: info.strideWidth,
      padTop: info.padInfo.top,
      padLeft: info.padInfo.left,
    },
    outShape: info.outShape as [number, number, number, number],
    outChannels: info.outChannels,
  };
}

/**
 * Most floats a fast conv kernel's patch buffer (im2col columns) may hold at
 * once: 2^24 (64 MB). The buffer takes FH·FW·CI floats per output pixel, 9×
 * the input for a 3×3 filter, so large batches of large images are processed
 * in chunks of whole images to keep the wasm heap (at most 4 GB) safe.
 */
export const PATCH_BUFFER_LIMIT = 1 << 24;

/** Splits `batch` images into [start, count] chunks of at most `limit / floatsPerImage` images (at least one each). */
export function imageChunks(batch: number, floatsPerImage: number, limit = PATCH_BUFFER_LIMIT): [number, number][] {
  const size = Math.max(1, Math.floor(limit / Math.max(1, floatsPerImage)));
  const chunks: [number, number][] = [];
  for (let start = 0; start < batch; start += size) chunks.push([start, Math.min(size, batch - start)]);
  return chunks;
}
