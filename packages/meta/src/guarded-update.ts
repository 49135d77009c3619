import * as tf from '@tensorflow/tfjs-core';
import { DataError, type Episode, type EpisodeSplit } from '@metadg/core';
import { combineParams, disposeParams } from '@metadg/tensor';
import type { OuterOptimizer } from './outer-optimizer.js';
import { StepRecorder } from './step-recorder.js';

/**
 * One outer update, shared by every algorithm: compute the update direction
 * g (recording named loss parts on the way), check g and every recorded
 * value for NaN/Inf, and only then let the outer optimizer apply g. A
 * `NumericalError` naming the offending loss/parameter leaves θ untouched.
 * Returns the recorded parts (plus `gradNorm`, ‖g‖).
 */
export async function guardedUpdate(
  optimizer: OuterOptimizer,
  direction: (recorder: StepRecorder) => Record<string, tf.Tensor>,
): Promise<Record<string, number>> {
  const recorder = new StepRecorder();
  let g: Record<string, tf.Tensor> | undefined;
  try {
    g = direction(recorder);
    const grads = g;
    tf.tidy(() => {
      for (const [key, gk] of Object.entries(grads)) recorder.check(gk, `update direction of "${key}"`);
      recorder.record('gradNorm', tf.sqrt(tf.addN(Object.values(grads).map((gk) => tf.sum(tf.square(gk))))) as tf.Scalar);
    });
    // Throws before the update if anything is NaN/Inf.
    const parts = await recorder.read();
    optimizer.apply(grads);
    return parts;
  } finally {
    recorder.dispose();
    if (g) disposeParams(g);
  }
}

/**
 * Mean over an episode's splits of a per-split update direction (several
 * splits in MFR's "all leave-one-out splits" mode; one otherwise). Splits
 * without a meta-train or meta-test domain are a `DataError`.
 */
export function meanOverSplits(
  episode: Episode,
  perSplit: (split: EpisodeSplit) => Record<string, tf.Tensor>,
): Record<string, tf.Tensor> {
  const { splits } = episode;
  if (splits.length === 0) throw new DataError(`episode of step ${episode.step}`, 'has no meta-train/meta-test split');
  splits.forEach((split, i) => {
    if (split.metaTrain.length === 0) throw new DataError(`episode of step ${episode.step}, splits[${i}]`, 'has no meta-train domain');
    if (split.metaTest.length === 0) throw new DataError(`episode of step ${episode.step}, splits[${i}]`, 'has no meta-test domain');
  });
  let sum: Record<string, tf.Tensor> = {};
  try {
    for (const split of splits) {
      const g = perSplit(split);
      const previous = sum;
      sum = tf.tidy(() => combineParams(1, g, 1, previous));
      disposeParams(previous);
      disposeParams(g);
    }
    const total = sum;
    return tf.tidy(() => combineParams(1 / splits.length, total, 0, {}));
  } finally {
    disposeParams(sum);
  }
}

/**
 * An objective that records its parts only on its first evaluation:
 * finite-difference Hessians and inner loops re-evaluate the same loss at
 * other θ, which must not count as logged values.
 */
export function recordedOnce<P>(
  objective: (params: P, recorder: StepRecorder | undefined) => tf.Scalar,
  recorder: StepRecorder,
): (params: P) => tf.Scalar {
  let recorded = false;
  return (params) => {
    const value = objective(params, recorded ? undefined : recorder);
    recorded = true;
    return value;
  };
}
