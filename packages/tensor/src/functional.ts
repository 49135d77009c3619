import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, ShapeError } from './errors.js';

/** Parameters in functional form (name → tensor). Same shape as core's `ParamMap`. */
export type Params = Readonly<Record<string, tf.Tensor>>;

/** A loss value and its gradient with respect to every parameter (same keys). */
export interface ValueAndGrads {
  readonly value: tf.Scalar;
  readonly grads: Record<string, tf.Tensor>;
}

/**
 * ∇f at `params`, as a map with the same keys. Parameters `f` does not use get
 * zero gradients (not an error). Called inside another gradient computation,
 * the result stays differentiable: that is how second-order meta-gradients
 * (∇θ L_T(θ − α∇L_S(θ))) are formed. Requires the fixes `initBackend` installs.
 */
export function valueAndGradsOf(f: (params: Params) => tf.Scalar, params: Params): ValueAndGrads {
  const keys = Object.keys(params);
  const xs = keys.map((k) => params[k] as tf.Tensor);
  const { value, grads } = tf.engine().gradients(() => f(params), xs, undefined, true);
  const out: Record<string, tf.Tensor> = {};
  keys.forEach((k, i) => {
    out[k] = grads[i] ?? tf.zerosLike(xs[i] as tf.Tensor);
  });
  return { value: value as tf.Scalar, grads: out };
}

/** θ − lr·g for every key of `params` (keys missing from `grads` are kept). */
export function sgdAdapt(params: Params, grads: Params, lr: number): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [k, p] of Object.entries(params)) {
    const g = grads[k];
    out[k] = g ? tf.sub(p, tf.mul(g, lr)) : p;
  }
  return out;
}

/** a·x + b·y for every key (the meta-update's γ∇L_S + (1−γ)∇L_T). */
export function combineParams(a: number, x: Params, b: number, y: Params): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const k of Object.keys(x)) {
    const yk = y[k];
    out[k] = yk ? tf.add(tf.mul(x[k] as tf.Tensor, a), tf.mul(yk, b)) : tf.mul(x[k] as tf.Tensor, a);
  }
  return out;
}

/** Σ over keys of ⟨x_k, y_k⟩ (a scalar), e.g. for Hessian-vector products. */
export function dotParams(x: Params, y: Params): tf.Scalar {
  const terms = Object.keys(x)
    .filter((k) => y[k] !== undefined)
    .map((k) => tf.sum(tf.mul(x[k] as tf.Tensor, y[k] as tf.Tensor)));
  return (terms.length === 0 ? tf.scalar(0) : tf.addN(terms)) as tf.Scalar;
}

/** Global L2 norm over every tensor of a parameter map (a JS number). */
export function paramsNorm(x: Params): number {
  return tf.tidy(() => Math.sqrt(dotParams(x, x).dataSync()[0] ?? 0));
}

/** Disposes every tensor of a map that is not also in `keep`. */
export function disposeParams(x: Params, keep: Params = {}): void {
  const kept = new Set(Object.values(keep).map((t) => t.id));
  for (const t of Object.values(x)) if (!kept.has(t.id)) t.dispose();
}

/** Options of {@link hvpFiniteDiff}. */
export interface HvpFiniteDiffOptions {
  /**
   * Length of the perturbation, ‖εv‖ (default 1e-3). ε = stepNorm / ‖v‖.
   * In float32 1e-3 balances truncation error (O(ε²)) against round-off in the
   * gradient difference (O(machine-ε / ε)); measured ≈ 2e-4 relative error on
   * the MFR meta-step (TFJS-NOTES in the project docs).
   */
  readonly stepNorm?: number;
  /** Use this ε directly instead of deriving it from `stepNorm`. */
  readonly epsilon?: number;
  /**
   * `central` (default): (∇f(θ+εv) − ∇f(θ−εv)) / 2ε, two gradients, error O(ε²).
   * `five-point`: (−∇f(θ+2εv) + 8∇f(θ+εv) − 8∇f(θ−εv) + ∇f(θ−2εv)) / 12ε,
   * four gradients, error O(ε⁴) — allows a larger ε, hence less float32
   * round-off (what the HVP checker uses).
   */
  readonly stencil?: 'central' | 'five-point';
}

/**
 * Hessian-vector product H·v of `f` at `params` by nested gradients,
 * ∇θ⟨∇θ f(θ), v⟩ — exact up to rounding. Needs the second-order fixes that
 * `initBackend` installs. Keys of `v` missing from `params` are an error; keys
 * of `params` missing from `v` count as zero directions.
 */
export function hvp(f: (params: Params) => tf.Scalar, params: Params, v: Params): Record<string, tf.Tensor> {
  checkDirection(params, v, 'hvp');
  return tf.tidy(() => {
    const { grads } = valueAndGradsOf((p) => dotParams(valueAndGradsOf(f, p).grads, v), params);
    return grads;
  });
}

/**
 * Hessian-vector product by central differences of first-order gradients,
 * (∇f(θ + εv) − ∇f(θ − εv)) / 2ε, for backends that cannot differentiate twice
 * (the MFR meta-step's fallback mode). ε makes ‖εv‖ = `stepNorm` (1e-3 by
 * default); a zero `v` gives zeros. Costs two gradient evaluations (four with
 * the `five-point` stencil). `f` must be deterministic (no dropout draws).
 */
export function hvpFiniteDiff(
  f: (params: Params) => tf.Scalar,
  params: Params,
  v: Params,
  options: HvpFiniteDiffOptions = {},
): Record<string, tf.Tensor> {
  checkDirection(params, v, 'hvpFiniteDiff');
  const stepNorm = options.stepNorm ?? 1e-3;
  if (!(stepNorm > 0) || !Number.isFinite(stepNorm)) {
    throw new ArgumentError('hvpFiniteDiff: stepNorm', `must be a positive finite number, got ${stepNorm}`);
  }
  if (options.epsilon !== undefined && (!(options.epsilon > 0) || !Number.isFinite(options.epsilon))) {
    throw new ArgumentError('hvpFiniteDiff: epsilon', `must be a positive finite number, got ${options.epsilon}`);
  }
  const vNorm = paramsNorm(v);
  if (!Number.isFinite(vNorm)) throw new ArgumentError('hvpFiniteDiff: v', `has a non-finite norm (${vNorm})`);
  if (vNorm === 0) return tf.tidy(() => mapParams(params, (p) => tf.zerosLike(p)));
  const eps = options.epsilon ?? stepNorm / vNorm;
  const gradAt = (t: number): Record<string, tf.Tensor> => valueAndGradsOf(f, combineParams(1, params, t * eps, v)).grads;
  return tf.tidy(() => {
    if (options.stencil === 'five-point') {
      const [p2, p1, m1, m2] = [gradAt(2), gradAt(1), gradAt(-1), gradAt(-2)];
      return mapParams(params, (_p, k) => {
        const near = tf.mul(tf.sub(p1[k] as tf.Tensor, m1[k] as tf.Tensor), 8);
        const far = tf.sub(p2[k] as tf.Tensor, m2[k] as tf.Tensor);
        return tf.div(tf.sub(near, far), 12 * eps);
      });
    }
    const [plus, minus] = [gradAt(1), gradAt(-1)];
    return mapParams(params, (_p, k) => tf.div(tf.sub(plus[k] as tf.Tensor, minus[k] as tf.Tensor), 2 * eps));
  });
}

function mapParams(params: Params, fn: (p: tf.Tensor, key: string) => tf.Tensor): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [k, p] of Object.entries(params)) out[k] = fn(p, k);
  return out;
}

/** A direction must name only known parameters, with their shapes. */
function checkDirection(params: Params, v: Params, caller: string): void {
  for (const [k, t] of Object.entries(v)) {
    const p = params[k];
    if (p === undefined) throw new ArgumentError(`${caller}: v.${k}`, 'is not a parameter');
    if (!tf.util.arraysEqual(p.shape, t.shape)) throw new ShapeError(`${caller}: v.${k}`, `[${p.shape.join(', ')}]`, t.shape);
  }
}
