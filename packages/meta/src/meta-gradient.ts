import * as tf from '@tensorflow/tfjs-core';
import { z, type Rng } from '@metadg/core';
import { combineParams, disposeParams, hvpFiniteDiff, sgdAdapt, valueAndGradsOf, type Params } from '@metadg/tensor';

/** A scalar objective of functional parameters (e.g. L_S or L_T of one episode split). */
export type Objective = (params: Params) => tf.Scalar;

/** How an inner/outer (bi-level) meta-gradient is formed. */
export interface MetaGradientOptions {
  /** Inner step size α of θ_{k+1} = θ_k − α∇L_train(θ_k). */
  readonly alpha: number;
  /** Number K of inner SGD steps on L_train (MFR and MLDG: 1; MAML: any). */
  readonly innerSteps?: number;
  /** Weight of ∇θ L_train(θ) in g (MFR: γ; MLDG: 1; MAML: 0). */
  readonly trainWeight: number;
  /** Weight of ∇θ L_test(θ_K) in g (MFR: 1 − γ; MLDG: β; MAML: 1). */
  readonly testWeight: number;
  /** 2: differentiate through the inner steps; 1: use ∇θ_K L_test(θ_K) instead (first-order MAML/MLDG). */
  readonly order: 1 | 2;
  /**
   * Second order only. `exact`: nested automatic differentiation.
   * `finite-difference`: the chain rule ∇θ L_test(θ_K) = Π_k (I − αH(θ_k)) ∇θ_K L_test(θ_K),
   * applied right to left with Hessian-vector products from central
   * differences of first-order gradients (for backends that cannot
   * differentiate twice).
   */
  readonly hessian: 'exact' | 'finite-difference';
  /** ‖εv‖ of each finite-difference Hessian-vector product. */
  readonly fdStep: number;
}

/**
 * The gradient of a bi-level objective, shared by MFR, MLDG and MAML:
 *
 *   θ_0 = θ,  θ_{k+1} = θ_k − α ∇L_train(θ_k)   (K inner steps)
 *   g = w_train ∇θ L_train(θ) + w_test ∇θ L_test(θ_K)
 *
 * `lossTrain`/`lossTest` evaluate at any parameters (functional form, keys of
 * `theta`); variables are never modified. Returns g with the keys of
 * `theta`; the caller disposes it.
 */
export function metaGradient(
  lossTrain: Objective,
  lossTest: Objective,
  theta: Params,
  options: MetaGradientOptions,
): Record<string, tf.Tensor> {
  const steps = options.innerSteps ?? 1;
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`metaGradient: innerSteps must be a positive integer, got ${steps}`);
  const { alpha, trainWeight, testWeight } = options;
  if (options.order === 2 && options.hessian === 'exact') {
    // ∇θ of L_test(θ_K(θ)): every inner gradient stays on the outer tape.
    let gradTrain: Record<string, tf.Tensor> = {};
    try {
      return tf.tidy(() => {
        const { grads: gradTest } = valueAndGradsOf((params) => {
          let adapted: Params = params;
          for (let k = 0; k < steps; k++) {
            const inner = valueAndGradsOf(lossTrain, adapted);
            if (k === 0) gradTrain = Object.fromEntries(Object.entries(inner.grads).map(([key, g]) => [key, tf.keep(g.clone())]));
            adapted = sgdAdapt(adapted, inner.grads, alpha);
          }
          return lossTest(adapted);
        }, theta);
        return combineParams(trainWeight, gradTrain, testWeight, gradTest);
      });
    } finally {
      disposeParams(gradTrain);
    }
  }
  return tf.tidy(() => {
    // Forward: θ_0 … θ_K without second-order tape.
    const trajectory: Params[] = [theta];
    let gradTrain: Record<string, tf.Tensor> = {};
    for (let k = 0; k < steps; k++) {
      const { grads } = valueAndGradsOf(lossTrain, trajectory[k] as Params);
      if (k === 0) gradTrain = grads;
      trajectory.push(sgdAdapt(trajectory[k] as Params, grads, alpha));
    }
    let v: Params = valueAndGradsOf(lossTest, trajectory[steps] as Params).grads;
    if (options.order === 2) {
      // Backward through each inner step: v ← (I − αH(θ_k)) v.
      for (let k = steps - 1; k >= 0; k--) {
        const hv = hvpFiniteDiff(lossTrain, trajectory[k] as Params, v, { stepNorm: options.fdStep });
        v = combineParams(1, v, -alpha, hv);
      }
    }
    return combineParams(trainWeight, gradTrain, testWeight, v);
  });
}

/**
 * Hyper-parameters every bi-level algorithm (MFR, MLDG, MAML) shares for
 * forming its meta-gradient: the inner step α and how the Hessian term is
 * computed. `order` is not here: its default differs per algorithm.
 */
export const metaGradientShape = {
  alpha: z.number().min(0, 'must be ≥ 0').default(0.05),
  hessian: z.enum(['exact', 'finite-difference']).default('exact'),
  fdStep: z.number().positive('must be > 0').default(1e-3),
};

/** Where the shared meta-gradient defaults come from (an algorithm may restate `alpha`'s). */
export const metaGradientSources = {
  alpha: '0.05: the inner step of the independent glyph-identity experiment reported with the MFR specification; the same for MFR, MLDG and MAML so comparisons isolate their objectives.',
  hessian: 'exact: nested automatic differentiation; finite-difference is the fallback for backends that cannot differentiate twice.',
  fdStep: '1e-3: ‖εv‖ of each finite-difference Hessian-vector product (measured accurate to about 2e-4 relative at this step).',
} as const;

/** Random search ranges of the shared meta-gradient hyper-parameters. */
export const metaGradientSpace = {
  alpha: (rng: Rng): number => 10 ** rng.uniform(-3, -0.5),
};

/** `order` (1 or 2) with an algorithm's own default. */
export function orderSchema(defaultOrder: 1 | 2) {
  return z.union([z.literal(1), z.literal(2)]).default(defaultOrder);
}
