import * as tf from '@tensorflow/tfjs-core';
import { disposeParams, hvp, hvpFiniteDiff, paramsNorm, type HvpFiniteDiffOptions, type Params } from '../functional.js';

/**
 * The checker's finite differences: a five-point stencil at ‖εv‖ = 1e-2 keeps
 * both truncation (O(ε⁴)) and float32 round-off near 1e-5 relative on small
 * smooth problems, so a real second-order error of 1e-3 stands out.
 */
const CHECK_DEFAULTS: HvpFiniteDiffOptions = { stencil: 'five-point', stepNorm: 1e-2 };

/** Outcome of {@link checkHvp}. */
// A type alias (not an interface) so results can be returned from tf.tidy.
export type HvpCheckResult = {
  /** ‖a − b‖ / ‖b‖ with a the nested-gradient HVP and b the finite-difference one (0 when both are 0). */
  readonly relativeError: number;
  /** ‖a‖, the nested-gradient HVP's norm. */
  readonly nestedNorm: number;
  /** ‖b‖, the finite-difference HVP's norm. */
  readonly finiteDiffNorm: number;
  /** Relative error per parameter, ‖a_k − b_k‖ / ‖b‖ (where a wrong term hides). */
  readonly perParam: Readonly<Record<string, number>>;
};

/**
 * Checks second-order differentiation of `f` at `params` along `direction`:
 * compares the Hessian-vector product from nested gradients (what MAML/MFR
 * meta-gradients use) with central differences of first-order gradients
 * (which never differentiate a gradient). A relative error near float32
 * finite-difference noise (≲ 1e-4 for small smooth f; keep points ≥ 1e-2 away
 * from kinks such as relu's 0) means every op on the path differentiates twice
 * correctly; tens of percent means a dropped path. `options` override the
 * finite differences (default: five-point stencil, ‖εv‖ = 1e-2).
 *
 * @example
 * ```ts
 * await initBackend({ backend: 'cpu' });
 * const w = tf.randomNormal([3, 2]); const x = tf.randomNormal([4, 3]);
 * const f = (p: Params) => tf.sum(tf.tanh(tf.matMul(x, p.w))) as tf.Scalar;
 * const { relativeError } = checkHvp(f, { w }, { w: tf.randomNormal([3, 2]) });
 * ```
 */
export function checkHvp(
  f: (params: Params) => tf.Scalar,
  params: Params,
  direction: Params,
  options: HvpFiniteDiffOptions = {},
): HvpCheckResult {
  const nested = hvp(f, params, direction);
  const fd = hvpFiniteDiff(f, params, direction, { ...CHECK_DEFAULTS, ...options });
  try {
    const finiteDiffNorm = paramsNorm(fd);
    const perParam: Record<string, number> = {};
    let diffSquared = 0;
    for (const k of Object.keys(params)) {
      const d = tf.tidy(() => tf.sum(tf.square(tf.sub(nested[k] as tf.Tensor, fd[k] as tf.Tensor))).dataSync()[0] ?? 0);
      diffSquared += d;
      perParam[k] = relative(Math.sqrt(d), finiteDiffNorm);
    }
    return { relativeError: relative(Math.sqrt(diffSquared), finiteDiffNorm), nestedNorm: paramsNorm(nested), finiteDiffNorm, perParam };
  } finally {
    disposeParams(nested);
    disposeParams(fd);
  }
}

function relative(num: number, den: number): number {
  if (den === 0) return num === 0 ? 0 : Number.POSITIVE_INFINITY;
  return num / den;
}
