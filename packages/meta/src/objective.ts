import * as tf from '@tensorflow/tfjs-core';
import {
  ConfigError,
  ShapeError,
  type Backbone,
  type DomainBatch,
  type DomainEmbeddings,
  type Loss,
  type LossPhase,
  type ParamMap,
  type PluginContext,
} from '@metadg/core';
import { l2Normalize } from '@metadg/tensor';
import { buildParamSpace, type ParamSpace } from './param-space.js';
import type { StepRecorder } from './step-recorder.js';

/**
 * Embeds every batch at `params` (the backbone's local view) and
 * L2-normalises the rows, as every MetaDG loss expects. A pair batch goes
 * through the backbone in one call (gallery and probe concatenated), so
 * backbones see one domain per call.
 */
export function embedBatches(
  backbone: Backbone,
  batches: readonly DomainBatch[],
  params?: ParamMap,
): DomainEmbeddings[] {
  return batches.map((batch) =>
    tf.tidy((): DomainEmbeddings => {
      if (batch.kind === 'labelled') return { kind: 'labelled', x: l2Normalize(embedChecked(backbone, batch.x, batch.domain, params)) };
      const b = batch.gallery.shape[0];
      if (batch.probe.shape[0] !== b) {
        throw new ShapeError(`probe images of domain "${batch.domain}"`, `[${b}, …] like the gallery`, batch.probe.shape);
      }
      const both = l2Normalize(embedChecked(backbone, tf.concat([batch.gallery, batch.probe]), batch.domain, params));
      const [gallery, probe] = tf.split(both, [b, b]) as [tf.Tensor2D, tf.Tensor2D];
      return { kind: 'pairs', gallery, probe };
    }),
  );
}

function embedChecked(backbone: Backbone, x: tf.Tensor4D, domain: string, params: ParamMap | undefined): tf.Tensor2D {
  const [h, w, c] = backbone.inputShape;
  if (x.rank !== 4 || x.shape[1] !== h || x.shape[2] !== w || x.shape[3] !== c) {
    throw new ShapeError(`images of domain "${domain}" for backbone "${backbone.name}"`, `[n, ${h}, ${w}, ${c}]`, x.shape);
  }
  const e = backbone.embed(x, params);
  if (e.rank !== 2 || e.shape[0] !== x.shape[0] || e.shape[1] !== backbone.embeddingSize) {
    throw new ShapeError(`embeddings of backbone "${backbone.name}"`, `[${x.shape[0]}, ${backbone.embeddingSize}]`, e.shape);
  }
  return e;
}

/** What a phase objective needs: the backbone, the run's losses and their parameter space. */
export interface ObjectiveModel {
  readonly backbone: Backbone;
  /** The run's loss terms in config order, weights λ already applied (core's `weightLoss`). */
  readonly losses: readonly Loss[];
  readonly space: ParamSpace;
}

/** Phase names as they appear in metric keys (`metaTrain/hardPair`). */
export const PHASE_LABELS: Readonly<Record<LossPhase, string>> = {
  'meta-train': 'metaTrain',
  'meta-test': 'metaTest',
  pooled: 'pooled',
};

/** The losses of `model` that apply in `phase`, with their config indices. */
export function lossesIn(model: ObjectiveModel, phase: LossPhase): { loss: Loss; index: number }[] {
  return model.losses.map((loss, index) => ({ loss, index })).filter(({ loss }) => loss.phases.includes(phase));
}

/**
 * One phase's objective at θ = `params` (global keys): embed + normalise the
 * batches, then Σ_k λ_k L_k over the losses whose phases include `phase`
 * (λ is applied by core when the loss is configured with a weight).
 *
 * With a `recorder`, the total, every loss's named parts (unweighted, as
 * `<phase>/<part>`) and the embeddings are recorded with NaN/Inf guards that
 * name the loss and phase, so the caller can refuse to update on bad values.
 * Differentiable twice; call inside a gradient or `tidy` scope.
 */
export function phaseObjective(
  model: ObjectiveModel,
  batches: readonly DomainBatch[],
  params: ParamMap,
  phase: LossPhase,
  recorder?: StepRecorder,
): tf.Scalar {
  const active = lossesIn(model, phase);
  if (active.length === 0) throw new ShapeError(`losses for phase "${phase}"`, 'at least one loss applying in it', 'none');
  const label = PHASE_LABELS[phase];
  const embeddings = embedBatches(model.backbone, batches, model.space.backboneParams(params));
  if (recorder) {
    embeddings.forEach((e, i) => {
      const guard = `embeddings of domain "${batches[i]?.domain}" (${phase})`;
      if (e.kind === 'pairs') {
        recorder.check(e.gallery, guard);
        recorder.check(e.probe, guard);
      } else {
        recorder.check(e.x, guard);
      }
    });
  }
  const values = active.map(({ loss, index }) => {
    const result = loss.compute(batches, embeddings, model.space.lossParams(index, params), phase);
    if (recorder) {
      const guard = `loss "${loss.name}" (${phase})`;
      recorder.check(result.value, guard);
      for (const [part, value] of Object.entries(result.parts)) recorder.record(`${label}/${part}`, value, guard);
    }
    return result.value;
  });
  const total = tf.addN(values) as tf.Scalar;
  recorder?.record(`${label}/total`, total, `total loss (${phase})`);
  return total;
}

/** The run's backbone, losses and their parameter space, as an algorithm plugin's `create` needs them. */
export async function objectiveModelFrom(ctx: PluginContext): Promise<ObjectiveModel> {
  const backbone = await ctx.get('backbone');
  const losses = await ctx.losses();
  return { backbone, losses, space: buildParamSpace(backbone, losses) };
}

/** Throws a `ConfigError` unless some configured loss applies in each of `phases`. */
export function requirePhases(model: ObjectiveModel, phases: readonly LossPhase[], algorithm: string): void {
  for (const phase of phases) {
    if (lossesIn(model, phase).length === 0) {
      throw new ConfigError('losses', `no configured loss applies in the ${phase} phase, which the "${algorithm}" algorithm needs`);
    }
  }
}
