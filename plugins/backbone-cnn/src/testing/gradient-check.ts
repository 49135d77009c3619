import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@metadg/core';
import { dotParams, valueAndGradsOf, type Params } from '@metadg/tensor';

/** Result of comparing an analytic derivative with central finite differences. */
export interface GradientCheck {
  readonly analytic: number;
  readonly numeric: number;
  /** |analytic − numeric| / max(|analytic|, |numeric|, 1e-12). */
  readonly relError: number;
  /** ‖∂f/∂p‖ for every parameter p at θ (a zero one means p does not influence f). */
  readonly gradientNorms: Readonly<Record<string, number>>;
}

/** Result of comparing a Hessian-vector product with finite differences of gradients. */
export interface HessianVectorCheck {
  /** ‖Hv‖ from nested gradients. */
  readonly analyticNorm: number;
  /** ‖(∇f(θ + εv) − ∇f(θ − εv)) / 2ε‖. */
  readonly numericNorm: number;
  /** ‖analytic − numeric‖ / max(‖analytic‖, ‖numeric‖, 1e-12). */
  readonly relError: number;
}

/**
 * A random direction with the keys and shapes of `params` (standard normal
 * entries, scaled to global norm 1), drawn from `rng`.
 */
export function randomDirection(params: Params, rng: Rng): Record<string, tf.Tensor> {
  const raw = Object.entries(params).map(([k, p]) => [k, rng.normalArray(p.size)] as const);
  const norm = Math.sqrt(raw.reduce((s, [, a]) => s + a.reduce((t, v) => t + v * v, 0), 0)) || 1;
  const out: Record<string, tf.Tensor> = {};
  for (const [k, a] of raw) out[k] = tf.tensor(a.map((v) => v / norm), (params[k] as tf.Tensor).shape, 'float32');
  return out;
}

/** θ + s·v for every key of θ (keys absent from v are kept). */
function shifted(params: Params, v: Params, s: number): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [k, p] of Object.entries(params)) {
    const d = v[k];
    out[k] = d ? tf.add(p, tf.mul(d, s)) : p;
  }
  return out;
}

/**
 * Checks the gradient of `f` along `direction`: ⟨∇f(θ), v⟩ against
 * (f(θ + εv) − f(θ − εv)) / 2ε. Checking one direction per parameter tensor
 * covers every parameter without a forward pass per scalar.
 */
export function checkDirectionalDerivative(
  f: (params: Params) => tf.Scalar,
  params: Params,
  direction: Params,
  eps = 1e-2,
): GradientCheck {
  return tf.tidy(() => {
    const { grads } = valueAndGradsOf(f, params);
    const analytic = dotParams(grads, direction).dataSync()[0] ?? NaN;
    const plus = f(shifted(params, direction, eps)).dataSync()[0] ?? NaN;
    const minus = f(shifted(params, direction, -eps)).dataSync()[0] ?? NaN;
    const numeric = (plus - minus) / (2 * eps);
    const gradientNorms = Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.norm(g).dataSync()[0] ?? NaN]));
    return { analytic, numeric, relError: relativeError(analytic, numeric), gradientNorms };
  });
}

/**
 * Checks second-order differentiation: the Hessian-vector product Hv formed
 * by nested gradients, ∇θ ⟨∇f(θ), v⟩, against central differences of
 * gradients, (∇f(θ + εv) − ∇f(θ − εv)) / 2ε. This is the quantity a
 * second-order meta-step (MFR, MAML) differentiates through.
 */
export function checkHessianVectorProduct(
  f: (params: Params) => tf.Scalar,
  params: Params,
  direction: Params,
  eps = 1e-2,
): HessianVectorCheck {
  return tf.tidy(() => {
    const hv = valueAndGradsOf((p) => dotParams(valueAndGradsOf(f, p).grads, direction), params).grads;
    const gPlus = valueAndGradsOf(f, shifted(params, direction, eps)).grads;
    const gMinus = valueAndGradsOf(f, shifted(params, direction, -eps)).grads;
    let diff2 = 0;
    let a2 = 0;
    let n2 = 0;
    for (const k of Object.keys(params)) {
      const a = (hv[k] as tf.Tensor).dataSync();
      const p = (gPlus[k] as tf.Tensor).dataSync();
      const m = (gMinus[k] as tf.Tensor).dataSync();
      for (let i = 0; i < a.length; i++) {
        const num = ((p[i] ?? 0) - (m[i] ?? 0)) / (2 * eps);
        const an = a[i] ?? 0;
        diff2 += (an - num) ** 2;
        a2 += an * an;
        n2 += num * num;
      }
    }
    const analyticNorm = Math.sqrt(a2);
    const numericNorm = Math.sqrt(n2);
    return { analyticNorm, numericNorm, relError: Math.sqrt(diff2) / Math.max(analyticNorm, numericNorm, 1e-12) };
  });
}

function relativeError(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-12);
}
