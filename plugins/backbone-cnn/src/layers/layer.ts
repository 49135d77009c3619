import type * as tf from '@tensorflow/tfjs-core';

/**
 * Shape of one sample's features, without the batch axis: `[H, W, C]` for
 * feature maps (NHWC), `[D]` for vectors.
 */
export type FeatureShape = readonly number[];

/**
 * How a parameter's initial values are drawn. Kept as data (not a closure) so
 * an architecture can be printed, compared and documented.
 *
 * - `he-normal`: N(0, 2 / fanIn) — for layers followed by ReLU-like activations (He et al. 2015).
 * - `glorot-uniform`: U(±√(6 / (fanIn + fanOut))) — for linear or tanh outputs (Glorot & Bengio 2010).
 * - `zeros` / `ones`: constants (biases, GroupNorm β / γ).
 */
export type Initializer =
  | { readonly kind: 'he-normal'; readonly fanIn: number }
  | { readonly kind: 'glorot-uniform'; readonly fanIn: number; readonly fanOut: number }
  | { readonly kind: 'zeros' }
  | { readonly kind: 'ones' };

/** One trainable tensor of a layer: its stable full name, shape and initialiser. */
export interface ParamSpec {
  /** Stable name, `<layer>/<param>`, e.g. `conv1/kernel`, `gn1/gamma`. */
  readonly name: string;
  readonly shape: readonly number[];
  readonly init: Initializer;
}

/**
 * Looks a parameter up by its full name. Backbones pass a reader that prefers
 * the caller's functional `params` and falls back to their own variables.
 */
export type ParamReader = (name: string) => tf.Tensor;

/**
 * A functional layer with static shapes: it owns no tensors, only describes
 * its parameters, and `apply` computes with whatever tensors `read` returns.
 * That is what lets a meta-learner evaluate adapted parameters θ' through the
 * very same code, and differentiate through them.
 */
export interface Layer {
  /** Unique within a network; prefix of this layer's parameter names. */
  readonly name: string;
  /** Layer type, e.g. `conv2d`, `group-norm`, `residual-block`. */
  readonly kind: string;
  readonly inputShape: FeatureShape;
  readonly outputShape: FeatureShape;
  /** Every parameter this layer (and its children) reads, in a stable order. */
  readonly params: readonly ParamSpec[];
  /** Forward-pass FLOPs for one sample (convention: see `flops.ts`). */
  readonly flops: number;
  /** Sub-layers of composite layers (sequential stacks, residual blocks). */
  readonly children?: readonly Layer[];
  /** Forward pass on a batch `[N, ...inputShape]`. */
  apply(x: tf.Tensor, read: ParamReader): tf.Tensor;
}

/** Number of elements of a shape (1 for a scalar shape `[]`). */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** `[a, b, c]` rendering used in error messages and summaries. */
export function formatShape(shape: readonly (number | string)[]): string {
  return `[${shape.join(', ')}]`;
}
