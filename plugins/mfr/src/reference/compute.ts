import * as tf from '@tensorflow/tfjs-core';
import type { PairBatch } from '@metadg/core';
import { valueAndGradsOf, type Params } from '@metadg/tensor';
import { createDomainAlignmentLoss } from '../losses/domain-alignment.js';
import { createHardPairLoss } from '../losses/hard-pair.js';
import { createSoftClassificationLoss } from '../losses/soft-classification.js';
import { mfrMetaGradient, type MetaGradientOptions } from '../meta-gradient.js';
import { phaseObjective, type ObjectiveModel, buildParamSpace, StepRecorder } from '@metadg/meta';
import {
  REFERENCE_PARAM_NAMES,
  parseReferenceCase,
  type ReferenceParamName,
  type ReferenceParamValues,
  type ReferenceResult,
} from './case-schema.js';
import { createMlpBackbone } from './mlp-backbone.js';

/** Options of `computeReferenceCase`. */
export interface ReferenceOptions {
  /** How the second-order meta-gradient is formed (default `exact`). */
  readonly hessian?: MetaGradientOptions['hessian'];
  /** Names the case file in validation errors. */
  readonly file?: string;
}

/**
 * Recomputes an MFR reference case (`mfr-case-*.json`) with this package's
 * own losses, objective and meta-gradient on the current tensor backend: the
 * case's MLP as the backbone, its hard-pair (τ), soft-classification (s, W)
 * and domain-alignment (s) losses, its last domain as meta-test and the
 * others as meta-train. Returns an object with exactly the keys of the case's
 * `expected`. Validates the case first (`ConfigError` naming the key).
 */
export async function computeReferenceCase(raw: unknown, options: ReferenceOptions = {}): Promise<ReferenceResult> {
  const c = parseReferenceCase(raw, options.file);
  const { tau, scale, alpha, gamma } = c.hyper;
  const weights = {
    W1: tf.tensor2d(c.params.W1),
    b1: tf.tensor1d(c.params.b1),
    W2: tf.tensor2d(c.params.W2),
    b2: tf.tensor1d(c.params.b2),
    W: tf.tensor2d(c.params.W),
  };
  // Both copy their initial values into variables.
  const backbone = createMlpBackbone(weights);
  const losses = [
    createHardPairLoss({ tau }),
    createSoftClassificationLoss({ classes: c.params.W.length, embeddingSize: backbone.embeddingSize, scale, init: weights.W }),
    createDomainAlignmentLoss({ scale }),
  ];
  tf.dispose(Object.values(weights));
  const model: ObjectiveModel = { backbone, losses, space: buildParamSpace(backbone, losses) };
  const caseName = (key: string): ReferenceParamName => (key.split('/').pop() ?? key) as ReferenceParamName;
  const batches: PairBatch[] = c.domains.map((d, i) => ({
    kind: 'pairs',
    domain: `domains[${i}]`,
    gallery: asImages(d.xg),
    probe: asImages(d.xp),
    labels: tf.tensor1d(d.y, 'int32'),
    identities: d.y.map(String),
  }));
  const metaTrain = batches.slice(0, -1);
  const metaTest = batches.slice(-1);
  const theta = model.space.variables;
  const recorder = new StepRecorder();
  const lossS = (p: Params, rec?: StepRecorder): tf.Scalar => phaseObjective(model, metaTrain, p, 'meta-train', rec);
  const lossT = (p: Params, rec?: StepRecorder): tf.Scalar => phaseObjective(model, metaTest, p, 'meta-test', rec);
  const base = { alpha, gamma, hessian: options.hessian ?? 'exact', fdStep: 1e-3 } as const;

  const grads: Record<'gradMetaTrain' | 'metaGradFirstOrder' | 'metaGradSecondOrder', Record<string, tf.Tensor>> = {
    gradMetaTrain: {},
    metaGradFirstOrder: {},
    metaGradSecondOrder: {},
  };
  try {
    grads.gradMetaTrain = tf.tidy(() => valueAndGradsOf((p) => lossS(p, recorder), theta).grads);
    // L_T is recorded at θ' by the first-order pass; the others only need the gradients.
    grads.metaGradFirstOrder = mfrMetaGradient(lossS, (p) => lossT(p, recorder), theta, { ...base, order: 1 });
    grads.metaGradSecondOrder = mfrMetaGradient(lossS, lossT, theta, { ...base, order: 2 });
    const parts = await recorder.read();
    const part = (name: string): number => parts[name] ?? Number.NaN;
    const values = async (g: Record<string, tf.Tensor>): Promise<ReferenceParamValues> => {
      const out: Partial<Record<ReferenceParamName, number[] | number[][]>> = {};
      for (const [key, t] of Object.entries(g)) out[caseName(key)] = (await t.array()) as number[] | number[][];
      return out as ReferenceParamValues;
    };
    return {
      metaTrain: {
        hardPair: part('metaTrain/hardPair'),
        softCls: part('metaTrain/softCls'),
        domainAlign: part('metaTrain/domainAlign'),
        total: part('metaTrain/total'),
      },
      metaTest: { hardPair: part('metaTest/hardPair'), softCls: part('metaTest/softCls'), total: part('metaTest/total') },
      gradMetaTrain: await values(grads.gradMetaTrain),
      metaGradSecondOrder: await values(grads.metaGradSecondOrder),
      metaGradFirstOrder: await values(grads.metaGradFirstOrder),
    };
  } finally {
    recorder.dispose();
    for (const g of Object.values(grads)) tf.dispose(Object.values(g));
    for (const b of batches) tf.dispose([b.gallery, b.probe, b.labels]);
    for (const l of losses) l.dispose();
    backbone.dispose();
  }
}

/** Rows of a matrix as "images" of shape [1, 1, width], the reference MLP's input. */
function asImages(rows: readonly (readonly number[])[]): tf.Tensor4D {
  return tf.tensor4d(rows.flat(), [rows.length, 1, 1, rows[0]?.length ?? 0]);
}

/** Relative-error tolerances of the reference cases (float32 against float64). */
export const REFERENCE_TOLERANCES = { loss: 1e-4, gradient: 1e-3 } as const;

/** One compared quantity: its dotted key, relative error and whether it is within tolerance. */
export interface ReferenceError {
  readonly key: string;
  /** |a − b| / |b| for a loss, ‖a − b‖ / ‖b‖ for a gradient tensor. */
  readonly relativeError: number;
  readonly tolerance: number;
  readonly ok: boolean;
}

/**
 * Compares a computed result with a case's expected values, quantity by
 * quantity (e.g. `metaTrain.hardPair`, `metaGradSecondOrder.W1`).
 */
export function referenceErrors(actual: ReferenceResult, expected: ReferenceResult): ReferenceError[] {
  const out: ReferenceError[] = [];
  const push = (key: string, relativeError: number, tolerance: number): void => {
    out.push({ key, relativeError, tolerance, ok: relativeError <= tolerance });
  };
  for (const phase of ['metaTrain', 'metaTest'] as const) {
    for (const [name, b] of Object.entries(expected[phase])) {
      const a = (actual[phase] as Record<string, number>)[name] ?? Number.NaN;
      push(`${phase}.${name}`, relative([a], [b]), REFERENCE_TOLERANCES.loss);
    }
  }
  for (const kind of ['gradMetaTrain', 'metaGradSecondOrder', 'metaGradFirstOrder'] as const) {
    for (const name of REFERENCE_PARAM_NAMES) {
      push(`${kind}.${name}`, relative(flatten(actual[kind][name]), flatten(expected[kind][name])), REFERENCE_TOLERANCES.gradient);
    }
  }
  return out;
}

function flatten(v: number[] | number[][]): number[] {
  return (v as (number | number[])[]).flat();
}

function relative(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let norm = 0;
  b.forEach((bi, i) => {
    diff += ((a[i] as number) - bi) ** 2;
    norm += bi ** 2;
  });
  return Math.sqrt(diff) / Math.sqrt(norm || 1);
}
