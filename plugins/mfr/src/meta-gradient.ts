import type * as tf from '@tensorflow/tfjs-core';
import { metaGradient, type Objective } from '@metadg/meta';
import type { Params } from '@metadg/tensor';

export type { Objective } from '@metadg/meta';

/** How the MFR meta-gradient is formed. */
export interface MetaGradientOptions {
  /** Inner step size α of θ' = θ − α∇L_S(θ). */
  readonly alpha: number;
  /** Meta weight γ of g = γ∇L_S(θ) + (1 − γ)∇θ L_T(θ'). */
  readonly gamma: number;
  /** 2: differentiate through the inner step (the paper); 1: use ∇θ' L_T(θ') instead. */
  readonly order: 1 | 2;
  /**
   * Second order only. `exact`: nested automatic differentiation.
   * `finite-difference`: ∇θ L_T(θ') = (I − αH_S)∇θ' L_T(θ') with the Hessian-vector
   * product from central differences of first-order gradients.
   */
  readonly hessian: 'exact' | 'finite-difference';
  /** ‖εv‖ of the finite-difference Hessian-vector product. */
  readonly fdStep: number;
}

/**
 * MFR's meta-gradient (Guo et al. 2020, Alg. 1), read top to bottom:
 *
 *   θ' = θ − α ∇θ L_S(θ)                        (inner step on meta-train)
 *   g  = γ ∇θ L_S(θ) + (1 − γ) ∇θ L_T(θ')       (meta-test at the adapted θ')
 *
 * The bi-level machinery is @metadg/meta's `metaGradient` (shared with MLDG
 * and MAML); MFR is its one-inner-step case with weights γ and 1 − γ.
 * Returns g with the keys of `theta`; the caller disposes it.
 */
export function mfrMetaGradient(
  lossS: Objective,
  lossT: Objective,
  theta: Params,
  options: MetaGradientOptions,
): Record<string, tf.Tensor> {
  return metaGradient(lossS, lossT, theta, {
    alpha: options.alpha,
    innerSteps: 1,
    trainWeight: options.gamma,
    testWeight: 1 - options.gamma,
    order: options.order,
    hessian: options.hessian,
    fdStep: options.fdStep,
  });
}
