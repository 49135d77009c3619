// Plain-loop reference implementations of the backward convolutions, written
// from their definitions, to test the composed wasm kernels against.
import * as tf from '@tensorflow/tfjs-core';

/** An NHWC (or filter HWIO) shape. */
export type Shape4 = [number, number, number, number];
/** A convolution's padding as tfjs accepts it. */
export type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

/** A 2-D convolution test case: input and filter shapes, strides, padding. */
export interface ConvCase {
  readonly x: Shape4;
  readonly filter: Shape4;
  readonly strides: number | [number, number];
  readonly pad: Pad;
}

/** Output shape of a case's forward convolution (dilation 1). */
export const convOutShape = (c: ConvCase): Shape4 => tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad).outShape as Shape4;
const at = (s: Shape4, a: number, b: number, c: number, d: number) => ((a * s[1] + b) * s[2] + c) * s[3] + d;

/** dW[i,j,ci,co] = Σ x[n, oh·s + i − top, ow·s + j − left, ci] · dy[n, oh, ow, co]. */
export function conv2DBackpropFilterRef(
  x: Float32Array,
  xShape: Shape4,
  dy: Float32Array,
  filterShape: Shape4,
  strides: number | [number, number],
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding,
): Float32Array {
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, 1, pad);
  const dyShape = info.outShape as Shape4;
  const out = new Float32Array(tf.util.sizeFromShape(filterShape));
  const [fh, fw, cin, cout] = filterShape;
  for (let i = 0; i < fh; i++)
    for (let j = 0; j < fw; j++)
      for (let ci = 0; ci < cin; ci++)
        for (let co = 0; co < cout; co++) {
          let sum = 0;
          for (let n = 0; n < xShape[0]; n++)
            for (let oh = 0; oh < dyShape[1]; oh++)
              for (let ow = 0; ow < dyShape[2]; ow++) {
                const h = oh * info.strideHeight + i - info.padInfo.top;
                const w = ow * info.strideWidth + j - info.padInfo.left;
                if (h < 0 || h >= xShape[1] || w < 0 || w >= xShape[2]) continue;
                sum += (x[at(xShape, n, h, w, ci)] as number) * (dy[at(dyShape, n, oh, ow, co)] as number);
              }
          out[at(filterShape, i, j, ci, co)] = sum;
        }
  return out;
}

/** Depthwise: out[n, oh, ow, c·M + m] = Σ_{i,j} x[n, oh·s + i·d − top, ow·s + j·d − left, c] · W[i, j, c, m]. */
function depthwiseTerms(
  xShape: Shape4,
  filterShape: Shape4,
  strides: number,
  dilations: number,
  pad: 'same' | 'valid',
  visit: (n: number, h: number, w: number, c: number, i: number, j: number, m: number, oh: number, ow: number, oc: number) => void,
): Shape4 {
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, dilations, pad, undefined, true);
  const [fh, fw, cin, mult] = filterShape;
  for (let n = 0; n < xShape[0]; n++)
    for (let oh = 0; oh < info.outHeight; oh++)
      for (let ow = 0; ow < info.outWidth; ow++)
        for (let c = 0; c < cin; c++)
          for (let m = 0; m < mult; m++)
            for (let i = 0; i < fh; i++)
              for (let j = 0; j < fw; j++) {
                const h = oh * strides + i * dilations - info.padInfo.top;
                const w = ow * strides + j * dilations - info.padInfo.left;
                if (h >= 0 && h < xShape[1] && w >= 0 && w < xShape[2]) visit(n, h, w, c, i, j, m, oh, ow, c * mult + m);
              }
  return info.outShape as Shape4;
}

/** Gradient of a depthwise convolution with respect to its filter. */
export function depthwiseBackpropFilterRef(
  x: Float32Array,
  xShape: Shape4,
  dy: Float32Array,
  filterShape: Shape4,
  strides: number,
  dilations: number,
  pad: 'same' | 'valid',
): Float32Array {
  const out = new Float32Array(tf.util.sizeFromShape(filterShape));
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, dilations, pad, undefined, true);
  const dyShape = info.outShape as Shape4;
  depthwiseTerms(xShape, filterShape, strides, dilations, pad, (n, h, w, c, i, j, m, oh, ow, oc) => {
    const k = at(filterShape, i, j, c, m);
    out[k] = (out[k] as number) + (x[at(xShape, n, h, w, c)] as number) * (dy[at(dyShape, n, oh, ow, oc)] as number);
  });
  return out;
}

/** Gradient of a depthwise convolution with respect to its input. */
export function depthwiseBackpropInputRef(
  dy: Float32Array,
  xShape: Shape4,
  filter: Float32Array,
  filterShape: Shape4,
  strides: number,
  dilations: number,
  pad: 'same' | 'valid',
): Float32Array {
  const out = new Float32Array(tf.util.sizeFromShape(xShape));
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, dilations, pad, undefined, true);
  const dyShape = info.outShape as Shape4;
  depthwiseTerms(xShape, filterShape, strides, dilations, pad, (n, h, w, c, i, j, m, oh, ow, oc) => {
    const k = at(xShape, n, h, w, c);
    out[k] = (out[k] as number) + (filter[at(filterShape, i, j, c, m)] as number) * (dy[at(dyShape, n, oh, ow, oc)] as number);
  });
  return out;
}
