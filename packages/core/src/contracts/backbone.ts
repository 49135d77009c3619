import type { Tensor, Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors.js';
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

/**
 * Throws a `ShapeError` naming backbone `name` unless `x` is a float32 batch
 * of at least one image of `inputShape` ([N, H, W, C]) — the check a backbone
 * makes before its first layer.
 */
export function checkBackboneInput(name: string, inputShape: SampleShape, x: Tensor): void {
  const ok =
    x.rank === 4 &&
    (x.shape[0] ?? 0) >= 1 &&
    x.shape[1] === inputShape[0] &&
    x.shape[2] === inputShape[1] &&
    x.shape[3] === inputShape[2] &&
    x.dtype === 'float32';
  if (!ok) throw new ShapeError(`backbone "${name}" input`, `float32 [N, ${inputShape.join(', ')}]`, `${x.dtype} [${x.shape.join(', ')}]`);
}
