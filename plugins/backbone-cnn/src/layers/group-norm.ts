import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '@metadg/core';
import { requireInt, requireMap } from './checks.js';
import { formatShape, type FeatureShape, type Layer, type ParamSpec } from './layer.js';

/** Options of a GroupNorm layer. */
export interface GroupNormOptions {
  /** Number of channel groups; must divide the channel count. */
  readonly groups: number;
  /** Added to the variance (default 1e-5, PyTorch's default). */
  readonly eps?: number;
  /** Learn a per-channel scale γ and shift β (default true). */
  readonly affine?: boolean;
}

/**
 * Group normalisation (Wu & He 2018) of an NHWC batch: each sample's channels
 * are split into `groups` groups, and each group is normalised by its own mean
 * and (biased) variance over H, W and its channels, then scaled by γ and
 * shifted by β per channel.
 *
 * Why GroupNorm: its statistics are per sample, never per batch, so a
 * meta-step that evaluates θ' on another domain's batch sees the same
 * function (BatchNorm would not). Written with mean/sub/square/sqrt/div only,
 * whose gradients are themselves differentiable — no rsqrt/pow, whose
 * gradients reuse outputs and are fragile at second order.
 */
export function groupNorm(
  x: tf.Tensor4D,
  gamma: tf.Tensor1D | undefined,
  beta: tf.Tensor1D | undefined,
  groups: number,
  eps = 1e-5,
): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  if (c % groups !== 0) throw new ShapeError('groupNorm input', `[N, H, W, C] with C divisible by ${groups} groups`, x.shape);
  const grouped = tf.reshape(x, [n, h * w, groups, c / groups]);
  const mean = tf.mean(grouped, [1, 3], true);
  const centred = tf.sub(grouped, mean);
  const variance = tf.mean(tf.square(centred), [1, 3], true);
  const normed = tf.reshape<tf.Rank.R4>(tf.div(centred, tf.sqrt(tf.add(variance, eps))), [n, h, w, c]);
  const scaled = gamma ? tf.mul<tf.Tensor4D>(normed, gamma) : normed;
  return beta ? tf.add<tf.Tensor4D>(scaled, beta) : scaled;
}

/** A GroupNorm layer with parameters `<name>/gamma` (ones) and `<name>/beta` (zeros). */
export function groupNormLayer(name: string, inputShape: FeatureShape, options: GroupNormOptions): Layer {
  const [, , c] = requireMap(name, inputShape);
  const { groups } = options;
  const eps = options.eps ?? 1e-5;
  const affine = options.affine ?? true;
  requireInt(`${name}.groups`, groups, 1);
  if (c % groups !== 0) {
    throw new ShapeError(`layer "${name}" input`, `[H, W, C] with C divisible by groups = ${groups}`, formatShape(inputShape));
  }
  const params: ParamSpec[] = affine
    ? [
        { name: `${name}/gamma`, shape: [c], init: { kind: 'ones' } },
        { name: `${name}/beta`, shape: [c], init: { kind: 'zeros' } },
      ]
    : [];
  const elements = inputShape.reduce((a, b) => a * b, 1);
  return {
    name,
    kind: 'group-norm',
    inputShape,
    outputShape: inputShape,
    params,
    // Per element: mean, subtract, square, mean, divide (+ scale, shift); per group: +eps, sqrt.
    flops: (affine ? 7 : 5) * elements + 2 * groups,
    apply: (x, read) =>
      groupNorm(
        x as tf.Tensor4D,
        affine ? (read(`${name}/gamma`) as tf.Tensor1D) : undefined,
        affine ? (read(`${name}/beta`) as tf.Tensor1D) : undefined,
        groups,
        eps,
      ),
  };
}
