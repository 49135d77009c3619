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

/** MLDG's options (Li et al., AAAI 2018). */
export interface MldgOptions {
  /** Inner step α of θ' = θ − α∇L_train(θ). */
  readonly alpha: number;
  /** Weight β of the meta-test loss. */
  readonly beta: number;
  /** 1: DomainBed's first-order MLDG; 2: differentiate through the inner step. */
  readonly order: 1 | 2;
  readonly hessian: 'exact' | 'finite-difference';
  readonly fdStep: number;
}

/**
 * Meta-Learning Domain Generalization (Li, Yang, Song, Hospedales 2018),
 * Algorithm 1: split the source domains into meta-train and meta-test,
 *
 *   minimise  L_train(θ) + β · L_test(θ − α ∇L_train(θ)),
 *
 * i.e. g = ∇L_train(θ) + β ∇θ L_test(θ'). First order by default, as in
 * DomainBed (∇θ' L_test(θ') in place of ∇θ L_test(θ')). L_train uses the
 * losses of the `meta-train` phase, L_test those of `meta-test`.
 */
export class MldgOptimizer extends GradientAlgorithm {
  readonly name = 'mldg';

  constructor(
    model: ObjectiveModel,
    private readonly options: MldgOptions,
    optimizer: OuterOptimizer,
  ) {
    super(model, optimizer);
    requirePhases(model, ['meta-train', 'meta-test'], 'mldg');
  }

  async step(episode: Episode): Promise<StepMetrics> {
    const { alpha, beta, order, hessian, fdStep } = this.options;
    const parts = await this.bilevelUpdate(episode, (train, test, theta) =>
      metaGradient(train, test, theta, { alpha, trainWeight: 1, testWeight: beta, order, hessian, fdStep }),
    );
    const loss = (parts['metaTrain/total'] ?? 0) + beta * (parts['metaTest/total'] ?? 0);
    return { loss, parts, images: episodeImages(episode) };
  }
}

/** Hyper-parameters of the `mldg` meta-optimizer. */
export const mldgHparams = z.object({
  ...metaGradientShape,
  beta: z.number().min(0, 'must be ≥ 0').default(1),
  order: orderSchema(1),
  ...outerOptimizerShape,
});

/** Plugin `mldg`. */
export const mldgPlugin = definePlugin({
  kind: 'meta-optimizer',
  name: 'mldg',
  version: '0.1.0',
  description: 'MLDG: g = ∇L_train(θ) + β∇θ L_test(θ − α∇L_train(θ)) over a meta-train/meta-test domain split (first order by default).',
  hparams: mldgHparams,
  hparamSources: {
    ...metaGradientSources,
    alpha: '0.05: the same inner step as our MFR default, so a comparison isolates the objectives (the MLDG paper tunes α per task).',
    beta: '1: the MLDG paper and DomainBed (mldg_beta = 1).',
    order: '1: DomainBed implements MLDG first order; 2 is the paper\'s exact gradient.',
    ...outerOptimizerSources,
  },
  hparamSpace: {
    ...metaGradientSpace,
    beta: (rng) => 10 ** rng.uniform(-1, 1),
    ...outerOptimizerSpace,
  },
  async create(h, ctx) {
    const model = await objectiveModelFrom(ctx);
    return new MldgOptimizer(model, h, createOuterOptimizer(model.space.variables, h));
  },
});
