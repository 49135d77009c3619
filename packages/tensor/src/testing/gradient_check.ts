import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError } from '../errors.js';
import { combineParams, dotParams, paramsNorm, valueAndGradsOf, type Params } from '../functional.js';

/** Outcome of {@link checkGradient}. */
// A type alias (not an interface) so results can be returned from tf.tidy.
export type GradientCheckResult = {
  /** |a − b| / |b| with a = ⟨∇f, v⟩ from autodiff and b its finite-difference estimate (0 when both are 0). */
  readonly relativeError: number;
  /** ⟨∇f(θ), v⟩ from autodiff. */
  readonly analytic: number;
  /** Five-point finite-difference estimate of the same directional derivative. */
  readonly finiteDiff: number;
};

/**
 * First-order gradient check of `f` at `params` along `direction`: the
 * directional derivative ⟨∇f, v⟩ from autodiff against the five-point
 * difference (−f(θ+2εv) + 8f(θ+εv) − 8f(θ−εv) + f(θ−2εv)) / 12ε with
 * ‖εv‖ = `stepNorm` (default 1e-2). Use it to test a new gradient config or
 * loss; use {@link checkHvp} for second order. The comparison is of one
 * scalar, so pick `direction` such that it is not ≈ 0.
 */
export function checkGradient(
  f: (params: Params) => tf.Scalar,
  params: Params,
  direction: Params,
  options: { readonly stepNorm?: number } = {},
): GradientCheckResult {
  const stepNorm = options.stepNorm ?? 1e-2;
  if (!(stepNorm > 0) || !Number.isFinite(stepNorm)) {
    throw new ArgumentError('checkGradient: stepNorm', `must be a positive finite number, got ${stepNorm}`);
  }
  const vNorm = paramsNorm(direction);
  if (!(vNorm > 0) || !Number.isFinite(vNorm)) throw new ArgumentError('checkGradient: direction', `needs a finite non-zero norm, got ${vNorm}`);
  const eps = stepNorm / vNorm;
  return tf.tidy(() => {
    const analytic = dotParams(valueAndGradsOf(f, params).grads, direction).dataSync()[0] ?? Number.NaN;
    const at = (t: number): number => f(combineParams(1, params, t * eps, direction)).dataSync()[0] ?? Number.NaN;
    const finiteDiff = (-at(2) + 8 * at(1) - 8 * at(-1) + at(-2)) / (12 * eps);
    const diff = Math.abs(analytic - finiteDiff);
    const relativeError = finiteDiff === 0 ? (diff === 0 ? 0 : Number.POSITIVE_INFINITY) : diff / Math.abs(finiteDiff);
    return { relativeError, analytic, finiteDiff };
  });
}
