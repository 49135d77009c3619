import { definePlugin, episodeImages, z, type Episode, type StepMetrics } from '@metadg/core';
import {
  GradientAlgorithm,
  createOuterOptimizer,
  metaGradientShape,
  metaGradientSources,
  metaGradientSpace,
  orderSchema,
  metaGradient,
  objectiveModelFrom,
  outerOptimizerShape,
  outerOptimizerSources,
  outerOptimizerSpace,
  requirePhases,
  type ObjectiveModel,
  type OuterOptimizer,
} from '@metadg/meta';

/** MAML's options (Finn, Abbeel, Levine, ICML 2017). */
export interface MamlOptions {
  /** Inner step α. */
  readonly alpha: number;
  /** Inner SGD steps K on the support (meta-train) domains. */
  readonly innerSteps: number;
  /** 2: full MAML; 1: first-order MAML (FOMAML). */
  readonly order: 1 | 2;
  readonly hessian: 'exact' | 'finite-difference';
  readonly fdStep: number;
}

/**
 * MAML-style episodic training for domain generalisation: the meta-train
 * domains are the support set, the meta-test domain the query set.
 *
 *   θ_0 = θ,  θ_{k+1} = θ_k − α ∇L_support(θ_k)  (K steps)
 *   g = ∇θ L_query(θ_K)
 *
 * Unlike MLDG and MFR, the support loss at θ is not part of g. With
 * `order: 1`, ∇θ_K L_query(θ_K) replaces ∇θ L_query(θ_K) (FOMAML).
 */
export class MamlOptimizer extends GradientAlgorithm {
  readonly name = 'maml';

  constructor(
    model: ObjectiveModel,
    private readonly options: MamlOptions,
    optimizer: OuterOptimizer,
  ) {
    super(model, optimizer);
    requirePhases(model, ['meta-train', 'meta-test'], 'maml');
  }

  async step(episode: Episode): Promise<StepMetrics> {
    const { alpha, innerSteps, order, hessian, fdStep } = this.options;
    const parts = await this.bilevelUpdate(episode, (support, query, theta) =>
      metaGradient(support, query, theta, { alpha, innerSteps, trainWeight: 0, testWeight: 1, order, hessian, fdStep }),
    );
    return { loss: parts['metaTest/total'] ?? 0, parts, images: episodeImages(episode) };
  }
}

/** Hyper-parameters of the `maml` meta-optimizer. */
export const mamlHparams = z.object({
  ...metaGradientShape,
  innerSteps: z.number().int('must be an integer').min(1, 'must be ≥ 1').max(20, 'must be ≤ 20').default(1),
  order: orderSchema(2),
  ...outerOptimizerShape,
});

/** Plugin `maml`. */
export const mamlPlugin = definePlugin({
  kind: 'meta-optimizer',
  name: 'maml',
  version: '0.1.0',
  description: 'MAML-style episodic training: K inner steps on the meta-train domains, outer gradient of the meta-test loss at the adapted θ.',
  hparams: mamlHparams,
  hparamSources: {
    ...metaGradientSources,
    alpha: '0.05: the same inner step as our MFR and MLDG defaults, for comparable runs.',
    innerSteps: '1: one inner step as in MLDG/MFR-style domain generalisation (few-shot MAML uses 1–5).',
    order: '2: full MAML (Finn et al. 2017); 1 is first-order MAML.',
    ...outerOptimizerSources,
  },
  hparamSpace: {
    ...metaGradientSpace,
    innerSteps: (rng) => rng.pick([1, 2, 3]),
    ...outerOptimizerSpace,
  },
  async create(h, ctx) {
    const model = await objectiveModelFrom(ctx);
    return new MamlOptimizer(model, h, createOuterOptimizer(model.space.variables, h));
  },
});
