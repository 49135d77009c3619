import { definePlugin, episodeImages, z, type Episode, type StepMetrics } from '@metadg/core';
import { mfrMetaGradient, type MetaGradientOptions } from './meta-gradient.js';
import {
  GradientAlgorithm,
  createOuterOptimizer,
  metaGradientShape,
  metaGradientSources,
  metaGradientSpace,
  orderSchema,
  objectiveModelFrom,
  outerOptimizerShape,
  outerOptimizerSources,
  outerOptimizerSpace,
  requirePhases,
  type ObjectiveModel,
  type OuterOptimizer,
} from '@metadg/meta';
import { PLUGIN_VERSION } from './version.js';

/**
 * The MFR meta-optimizer (Guo et al. 2020): per episode split, L_S on the
 * meta-train domains (losses with phase `meta-train`), θ' = θ − α∇L_S(θ),
 * L_T at θ' on the meta-test domain (losses with phase `meta-test`), and
 * g = γ∇L_S(θ) + (1 − γ)∇θ L_T(θ'), averaged over splits; then one step of
 * the outer optimizer on θ (backbone and loss parameters alike).
 *
 * NaN/Inf in an embedding, a loss or g is a `NumericalError` naming it,
 * raised before θ is touched. Metrics: `loss` = γ·L_S + (1 − γ)·L_T, parts
 * `metaTrain/<part>`, `metaTest/<part>`, `metaTrain/total`, `metaTest/total`,
 * `gradNorm` (‖g‖; parts are means over splits).
 */
export class MfrMetaOptimizer extends GradientAlgorithm {
  readonly name = 'mfr';

  constructor(
    model: ObjectiveModel,
    private readonly options: MetaGradientOptions,
    optimizer: OuterOptimizer,
  ) {
    super(model, optimizer);
    requirePhases(model, ['meta-train', 'meta-test'], 'mfr');
  }

  async step(episode: Episode): Promise<StepMetrics> {
    const parts = await this.bilevelUpdate(episode, (lossS, lossT, theta) => mfrMetaGradient(lossS, lossT, theta, this.options));
    const { gamma } = this.options;
    const loss = gamma * (parts['metaTrain/total'] ?? 0) + (1 - gamma) * (parts['metaTest/total'] ?? 0);
    return { loss, parts, images: episodeImages(episode) };
  }
}

/** Hyper-parameters of the `mfr` meta-optimizer. */
export const mfrHparams = z.object({
  gamma: z.number().min(0, 'must be in [0, 1]').max(1, 'must be in [0, 1]').default(0.5),
  ...metaGradientShape,
  order: orderSchema(2),
  ...outerOptimizerShape,
});

/** Plugin `mfr`: the MFR meta-optimizer. */
export const mfrPlugin = definePlugin({
  kind: 'meta-optimizer',
  name: 'mfr',
  version: PLUGIN_VERSION,
  description:
    'Meta Face Recognition meta-step: g = γ∇L_S(θ) + (1−γ)∇θ L_T(θ − α∇L_S(θ)) (second order by default), then an outer optimizer step.',
  hparams: mfrHparams,
  hparamSources: {
    gamma: "0.5: the paper's ablation (Guo et al. 2020) found γ ≈ 0.5 best.",
    ...metaGradientSources,
    alpha:
      'Not published in the paper. 0.05 is the inner step of the independent glyph-identity experiment reported ' +
      'with the MFR specification.',
    order: "2: the paper's ablation found full second order better than the first-order approximation.",
    ...outerOptimizerSources,
  },
  hparamSpace: {
    gamma: (rng) => rng.uniform(0, 1),
    ...metaGradientSpace,
    ...outerOptimizerSpace,
  },
  async create(h, ctx) {
    const model = await objectiveModelFrom(ctx);
    return new MfrMetaOptimizer(
      model,
      { alpha: h.alpha, gamma: h.gamma, order: h.order, hessian: h.hessian, fdStep: h.fdStep },
      createOuterOptimizer(model.space.variables, h),
    );
  },
});
