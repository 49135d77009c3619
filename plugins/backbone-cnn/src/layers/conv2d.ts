import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, ShapeError } from '@metadg/core';
import { requireInt, requireMap } from './checks.js';
import { formatShape, type FeatureShape, type Layer, type ParamSpec } from './layer.js';

/**
 * Zero padding of a convolution: a number `p` pads every border by `p`
 * (PyTorch's `padding=p`); `'same'` is TensorFlow's (output ⌈H/s⌉, any odd
 * extra row goes at the bottom/right); `'valid'` pads nothing.
 */
export type Padding = number | 'same' | 'valid';

/** Options of a conv2d layer. */
export interface Conv2dOptions {
  readonly filters: number;
  readonly kernelSize: number;
  /** Default 1. */
  readonly stride?: number;
  /**
   * Default `(kernelSize − 1) / 2` (symmetric, kernel must be odd): the
   * PyTorch convention, so the same weights give the same outputs there.
   */
  readonly padding?: Padding;
  /** Add a per-channel bias (default true). */
  readonly bias?: boolean;
  /** Kernel initialiser (default `he`: the layer feeds a ReLU-like activation). */
  readonly init?: 'he' | 'glorot';
}

/** Output height/width of a convolution along one axis. */
export function convOutputSize(size: number, kernelSize: number, stride: number, padding: Padding): number {
  if (padding === 'same') return Math.ceil(size / stride);
  if (padding === 'valid') return Math.ceil((size - kernelSize + 1) / stride);
  return Math.floor((size + 2 * padding - kernelSize) / stride) + 1;
}

/**
 * Functional 2-D convolution (NHWC, kernel `[k, k, Cin, Cout]`) plus an
 * optional bias. Plain `conv2d` + `add` rather than the fused op: the fused
 * op's gradient is a custom gradient, which is fragile at second order.
 */
export function conv2d(
  x: tf.Tensor4D,
  kernel: tf.Tensor4D,
  bias: tf.Tensor1D | undefined,
  stride: number,
  padding: Padding,
): tf.Tensor4D {
  const y = tf.conv2d(x, kernel, stride, padding);
  return bias ? tf.add(y, bias) : y;
}

/** A conv2d layer with parameters `<name>/kernel` (and `<name>/bias`). */
export function conv2dLayer(name: string, inputShape: FeatureShape, options: Conv2dOptions): Layer {
  const [h, w, cin] = requireMap(name, inputShape);
  const { filters, kernelSize } = options;
  const stride = options.stride ?? 1;
  requireInt(`${name}.filters`, filters, 1);
  requireInt(`${name}.kernelSize`, kernelSize, 1);
  requireInt(`${name}.stride`, stride, 1);
  if (options.padding === undefined && kernelSize % 2 === 0) {
    throw new ConfigError(`${name}.kernelSize`, `must be odd for the default symmetric padding (k − 1) / 2, got ${kernelSize}`);
  }
  const padding = options.padding ?? (kernelSize - 1) / 2;
  if (typeof padding === 'number') requireInt(`${name}.padding`, padding, 0);
  const oh = convOutputSize(h, kernelSize, stride, padding);
  const ow = convOutputSize(w, kernelSize, stride, padding);
  if (oh < 1 || ow < 1) {
    throw new ShapeError(
      `layer "${name}" input`,
      `at least ${kernelSize}×${kernelSize} after padding ${String(padding)}`,
      formatShape(inputShape),
    );
  }
  const fanIn = kernelSize * kernelSize * cin;
  const fanOut = kernelSize * kernelSize * filters;
  const useBias = options.bias ?? true;
  const params: ParamSpec[] = [
    {
      name: `${name}/kernel`,
      shape: [kernelSize, kernelSize, cin, filters],
      init: options.init === 'glorot' ? { kind: 'glorot-uniform', fanIn, fanOut } : { kind: 'he-normal', fanIn },
    },
  ];
  if (useBias) params.push({ name: `${name}/bias`, shape: [filters], init: { kind: 'zeros' } });
  const outputs = oh * ow * filters;
  return {
    name,
    kind: 'conv2d',
    inputShape,
    outputShape: [oh, ow, filters],
    params,
    // One multiply and one add per kernel tap, plus the bias add.
    flops: 2 * outputs * fanIn + (useBias ? outputs : 0),
    apply: (x, read) =>
      conv2d(
        x as tf.Tensor4D,
        read(`${name}/kernel`) as tf.Tensor4D,
        useBias ? (read(`${name}/bias`) as tf.Tensor1D) : undefined,
        stride,
        padding,
      ),
  };
}
