import type { Scalar, Tensor2D } from '@tensorflow/tfjs-core';
import type { DomainBatch } from './data.js';
import type { ParamMap, VariableMap } from './tensors.js';

/**
 * Where a loss term is evaluated: on meta-train domains (L_S), on the
 * meta-test domain at adapted parameters (L_T), or on pooled source domains
 * (ERM-style training).
 */
export type LossPhase = 'meta-train' | 'meta-test' | 'pooled';

/** L2-normalised embeddings of one `DomainBatch`, in the same order. */
export type DomainEmbeddings =
  | { readonly kind: 'pairs'; readonly gallery: Tensor2D; readonly probe: Tensor2D }
  | { readonly kind: 'labelled'; readonly x: Tensor2D };

/** A loss value plus its named parts (for logging; parts are not summed again). */
export interface LossResult {
  readonly value: Scalar;
  readonly parts: Readonly<Record<string, Scalar>>;
}

/**
 * A training objective term over L2-normalised embeddings. A loss may own
 * parameters (e.g. a classifier W); they are trained with the backbone and
 * passed back in functional form through `params` (keyed like `this.params`).
 */
export interface Loss {
  readonly name: string;
  readonly params: VariableMap;
  /** Phases in which this term applies (e.g. domain alignment: meta-train and pooled only). */
  readonly phases: readonly LossPhase[];
  /**
   * Computes the loss for `batches` (one entry per domain) from their
   * normalised `embeddings` (same order). Must be differentiable twice.
   */
  compute(
    batches: readonly DomainBatch[],
    embeddings: readonly DomainEmbeddings[],
    params: ParamMap,
    phase: LossPhase,
  ): LossResult;
  dispose(): void;
}
