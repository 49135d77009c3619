import * as tf from '@tensorflow/tfjs-core';

/** Geometry of a 2-D pooling: filter, strides, and the padding its windows read. */
export interface PoolWindows {
  readonly filter: [number, number];
  readonly strides: [number, number];
  /** Rows/columns of zeros before the input, and the padded extent the windows span. */
  readonly top: number;
  readonly left: number;
  readonly height: number;
  readonly width: number;
}

/** Window geometry of an AvgPool/MaxPool over an input of `xShape` (NHWC). */
export function poolWindows(
  xShape: readonly number[],
  filterSize: [number, number] | number,
  strides: [number, number] | number,
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): PoolWindows {
  const info = tf.backend_util.computePool2DInfo(xShape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  return {
    filter: [info.filterHeight, info.filterWidth],
    strides: [info.strideHeight, info.strideWidth],
    top: info.padInfo.top,
    left: info.padInfo.left,
    height: (info.outHeight - 1) * info.strideHeight + info.filterHeight,
    width: (info.outWidth - 1) * info.strideWidth + info.filterWidth,
  };
}

/**
 * `t` (NHWC) zero-padded/cropped to exactly the rows and columns the windows
 * span, so a 'valid' pool over it sees each window with its padding as zeros.
 */
export function padToWindows(t: tf.Tensor4D, w: PoolWindows): tf.Tensor4D {
  const [, h, wd] = t.shape;
  const bottom = w.height - w.top - h;
  const right = w.width - w.left - wd;
  const padded = tf.pad(t, [[0, 0], [Math.max(0, w.top), Math.max(0, bottom)], [Math.max(0, w.left), Math.max(0, right)], [0, 0]]);
  if (w.top >= 0 && w.left >= 0 && bottom >= 0 && right >= 0) return padded;
  return tf.slice(padded, [0, Math.max(0, -w.top), Math.max(0, -w.left), 0], [-1, w.height, w.width, -1]);
}

/** Σ over each window / (filter area): an average pool that counts padding as zeros. */
export function zeroPaddedAvgPool(t: tf.Tensor4D, w: PoolWindows): tf.Tensor4D {
  return tf.avgPool(padToWindows(t, w), w.filter, w.strides, 'valid');
}
