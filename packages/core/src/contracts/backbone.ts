import type { Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
import type { SampleShape } from './data.js';
import type { ParamMap, VariableMap } from './tensors.js';

/**
 * A feature extractor: NHWC images → embeddings (not yet normalised).
 *
 * `embed(x, params)` is the functional form: with `params` it computes with
 * those tensors in place of the variables, so a meta-learner can evaluate
 * adapted parameters θ' and differentiate through them (learn2learn/higher
 * style). Missing keys in `params` fall back to the variables.
 */
export interface Backbone {
  readonly name: string;
  /** Input sample shape [H, W, C] the backbone expects. */
  readonly inputShape: SampleShape;
  /** Width d of the embeddings. */
  readonly embeddingSize: number;
  /** Trainable variables by stable name; frozen weights are not listed. */
  readonly params: VariableMap;
  embed(x: Tensor4D, params?: ParamMap): Tensor2D;
  dispose(): void;
}
