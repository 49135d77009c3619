import { definePlugin, episodeImages, z, type Episode, type StepMetrics } from '@metadg/core';
import {
  GradientAlgorithm,
  createOuterOptimizer,
  objectiveModelFrom,
  outerOptimizerShape,
  outerOptimizerSources,
  outerOptimizerSpace,
  requirePhases,
  type ObjectiveModel,
  type OuterOptimizer,
} from '@metadg/meta';

/**
 * Empirical risk minimisation (Vapnik 1998; DomainBed's `ERM`): pool every
 * domain of the episode and take one outer step on Σ_k λ_k L_k over the
 * losses of the `pooled` phase. With MFR's losses this is MFR minus the
 * meta-step, so a comparison isolates what the meta-learning adds.
 */
export class ErmOptimizer extends GradientAlgorithm {
  readonly name = 'erm';

  constructor(model: ObjectiveModel, optimizer: OuterOptimizer) {
    super(model, optimizer);
    requirePhases(model, ['pooled'], 'erm');
  }

  async step(episode: Episode): Promise<StepMetrics> {
    const parts = await this.pooledUpdate(episode);
    return { loss: parts['pooled/total'] ?? 0, parts, images: episodeImages(episode) };
  }
}

/** Plugin `erm`. */
export const ermPlugin = definePlugin({
  kind: 'meta-optimizer',
  name: 'erm',
  version: '0.1.0',
  description: 'ERM: one outer-optimizer step on the pooled loss of all domains in the episode (no meta-step).',
  hparams: z.object({ ...outerOptimizerShape }),
  hparamSources: { ...outerOptimizerSources },
  hparamSpace: { ...outerOptimizerSpace },
  async create(h, ctx) {
    const model = await objectiveModelFrom(ctx);
    return new ErmOptimizer(model, createOuterOptimizer(model.space.variables, h));
  },
});
