import * as tf from '@tensorflow/tfjs-core';
import type { LabelledBatch } from '@metadg/core';
import { phaseObjective, type ObjectiveModel } from '@metadg/meta';
import { hvp, valueAndGradsOf, type Params } from '@metadg/tensor';

/** Parameters or gradients as plain arrays, in the model's stable key order (what crosses threads). */
export type FlatParams = Float32Array[];

/** Rows [start, start + count) of a labelled batch (the caller disposes the copy). */
export function sliceBatch(batch: LabelledBatch, start: number, count: number): LabelledBatch {
  return {
    kind: 'labelled',
    domain: batch.domain,
    x: tf.slice(batch.x, [start, 0, 0, 0], [count, -1, -1, -1]),
    labels: tf.slice(batch.labels, [start], [count]),
    identities: batch.identities.slice(start, start + count),
  };
}

/** a·x + b·y element-wise over flat parameter lists (a new list). */
export function combineFlat(a: number, x: FlatParams, b: number, y: FlatParams): FlatParams {
  if (x.length !== y.length) throw new RangeError(`combineFlat: ${x.length} vs ${y.length} parameters`);
  return x.map((xi, i) => {
    const yi = y[i] as Float32Array;
    if (yi.length !== xi.length) throw new RangeError(`combineFlat: parameter ${i} has ${xi.length} vs ${yi.length} values`);
    const out = new Float32Array(xi.length);
    for (let j = 0; j < xi.length; j++) out[j] = a * (xi[j] as number) + b * (yi[j] as number);
    return out;
  });
}

/**
 * One data-parallel shard of the reference MFR meta-step: this shard's rows
 * of the meta-train and meta-test batches, and the model (θ) it evaluates
 * them with. With equal shard sizes, every mean-over-images loss is the mean
 * of the shard losses, so gradients and Hessian-vector products average:
 *
 *   ∇θ L_T(θ − α∇L_S(θ)) = (I − α H_S(θ)) ∇L_T(θ′)
 *
 * takes three data-parallel passes (∇L_S; ∇L_T at θ′; H_S·v by nested
 * autodiff — exact, not finite differences) with an exchange after each.
 * Valid for losses that are means over images (the reference cross-entropy),
 * not for batch-coupled ones (hard-pair mining, domain alignment).
 */
export class ShardComputer {
  private readonly keys: readonly string[];

  constructor(
    private readonly model: ObjectiveModel,
    private readonly metaTrain: LabelledBatch,
    private readonly metaTest: LabelledBatch,
  ) {
    this.keys = model.space.keys;
  }

  private get theta(): Params {
    return this.model.space.variables;
  }

  private lossS = (p: Params): tf.Scalar => phaseObjective(this.model, [this.metaTrain], p, 'meta-train');
  private lossT = (p: Params): tf.Scalar => phaseObjective(this.model, [this.metaTest], p, 'meta-test');

  /**
   * Runs `compute` in a tidy scope and reads its tensors out in key order.
   * (Typed arrays must not be returned from `tf.tidy`: it walks every
   * element of its result looking for tensors — seconds per step.)
   */
  private read(compute: () => Record<string, tf.Tensor>): FlatParams {
    const grads = tf.tidy(compute);
    try {
      return this.keys.map((k) => {
        const g = grads[k];
        if (g === undefined) throw new Error(`shard: no gradient for "${k}"`);
        return g.dataSync() as Float32Array;
      });
    } finally {
      tf.dispose(Object.values(grads));
    }
  }

  private unflatten(flat: FlatParams): Params {
    return Object.fromEntries(this.keys.map((k, i) => [k, tf.tensor(flat[i] as Float32Array, (this.theta[k] as tf.Tensor).shape)]));
  }

  /** Embeddings of this shard's meta-train images, flattened. */
  forward(): Float32Array {
    const e = tf.tidy(() => this.model.backbone.embed(this.metaTrain.x));
    try {
      return e.dataSync() as Float32Array;
    } finally {
      e.dispose();
    }
  }

  /** ∇θ of this shard's meta-train loss at θ. */
  gradS(): FlatParams {
    return this.read(() => valueAndGradsOf(this.lossS, this.theta).grads);
  }

  /** ∇ of this shard's meta-test loss at θ′ = θ − α·gS (gS: the full-batch ∇L_S). */
  gradTAt(gS: FlatParams, alpha: number): FlatParams {
    return this.read(() => {
      const g = this.unflatten(gS);
      const adapted = Object.fromEntries(this.keys.map((k) => [k, tf.sub(this.theta[k] as tf.Tensor, tf.mul(g[k] as tf.Tensor, alpha))]));
      return valueAndGradsOf(this.lossT, adapted).grads;
    });
  }

  /** H_S(θ)·v of this shard's meta-train loss, by nested gradients. */
  hvpS(v: FlatParams): FlatParams {
    return this.read(() => hvp(this.lossS, this.theta, this.unflatten(v)));
  }

  /** ∇θ of this shard's meta-train and meta-test losses pooled (the ERM step's gradient on this shard). */
  gradPooled(): FlatParams {
    return this.read(() => valueAndGradsOf((p) => phaseObjective(this.model, [this.metaTrain, this.metaTest], p, 'pooled'), this.theta).grads);
  }

  /** θ ← θ − lr·g (plain SGD, as the reference workload's outer optimizer). */
  applySgd(g: FlatParams, lr: number): void {
    tf.tidy(() => {
      this.keys.forEach((k, i) => {
        const variable = this.model.space.variables[k] as tf.Variable;
        variable.assign(tf.sub(variable, tf.mul(tf.tensor(g[i] as Float32Array, variable.shape), lr)));
      });
    });
  }
}

/** The per-shard results of one meta-step, combined as the full-batch meta-gradient. */
export function combineMetaGradient(
  gS: FlatParams,
  v: FlatParams,
  h: FlatParams | undefined,
  options: { readonly alpha: number; readonly gamma: number },
): FlatParams {
  // Second order: ∇θL_T(θ′) = v − α·H_S v; first order: v.
  const gradT = h === undefined ? v : combineFlat(1, v, -options.alpha, h);
  return combineFlat(options.gamma, gS, 1 - options.gamma, gradT);
}

/** Mean of two shards' flat results. */
export function meanFlat(a: FlatParams, b: FlatParams): FlatParams {
  return combineFlat(0.5, a, 0.5, b);
}
