import { ConfigError, type ComponentRef, type LossRef } from '@metadg/core';
import type { CompareConfig, Contender } from '../config/app-config.js';

/** The paper's ablations, by name. */
export const ABLATION_STUDIES = ['order', 'gamma', 'losses', 'sampling', 'alpha'] as const;

/** One of {@link ABLATION_STUDIES}. */
export type AblationStudy = (typeof ABLATION_STUDIES)[number];

/** One setting of an ablation: a labelled contender, with its numeric value for studies of a number. */
export interface AblationVariant {
  readonly label: string;
  readonly value?: number;
  readonly contender: Contender;
}

/** What a study varies, and its variants in display order. */
export interface AblationSpec {
  readonly study: AblationStudy;
  readonly title: string;
  readonly description: string;
  /** For studies of a number: the plot's x axis. */
  readonly axis?: { readonly label: string; readonly scale: 'linear' | 'log' };
  readonly variants: readonly AblationVariant[];
}

/** γ values of the `gamma` study: from meta-test only (0) to meta-train only (1). */
export const GAMMAS = [0, 0.25, 0.5, 0.75, 1] as const;
/** α values of the `alpha` study, spanning the `mfr` plugin's search range 10^U(−3, −0.5) around its default 0.05. */
export const ALPHAS = [0.001, 0.01, 0.05, 0.1, 0.3] as const;

/** Loss plugins the `losses` study removes one at a time. */
const LOSS_TERMS = [
  { name: 'hard-pair', label: 'without hard-pair' },
  { name: 'soft-classification', label: 'without classification' },
  { name: 'domain-alignment', label: 'without domain alignment' },
] as const;

/** Whether `name` is a known study. */
export function isAblationStudy(name: string): name is AblationStudy {
  return (ABLATION_STUDIES as readonly string[]).includes(name);
}

/**
 * The MFR run an ablation varies: the first contender of `base` whose
 * algorithm is `mfr` (its own sampler and losses if it has them), else the
 * base run config itself when its algorithm is `mfr`.
 */
export function mfrBase(base: CompareConfig): { algorithm: ComponentRef; sampler: ComponentRef; losses: LossRef[] } {
  const contender = base.compare.algorithms.find((c) => c.algorithm.name === 'mfr');
  const algorithm = contender?.algorithm ?? (base.algorithm?.name === 'mfr' ? base.algorithm : undefined);
  if (!algorithm) throw new ConfigError('compare.algorithms', 'an ablation needs an "mfr" contender (or algorithm) in the base config');
  return { algorithm, sampler: contender?.sampler ?? base.sampler, losses: [...(contender?.losses ?? base.losses)] };
}

/**
 * The contenders of a study, generated from the base config's MFR run: each
 * variant changes one thing (the algorithm's order or γ or α, the loss
 * terms, or the sampler's domain split) and keeps every other setting.
 */
export function ablationSpec(study: AblationStudy, base: CompareConfig): AblationSpec {
  const mfr = mfrBase(base);
  const withAlgorithm = (label: string, hparams: Record<string, unknown>, value?: number): AblationVariant => ({
    label,
    ...(value !== undefined ? { value } : {}),
    contender: { label, algorithm: { ...mfr.algorithm, hparams: { ...mfr.algorithm.hparams, ...hparams } }, sampler: mfr.sampler, losses: mfr.losses },
  });
  const withSampler = (label: string, hparams: Record<string, unknown>): AblationVariant => {
    // With one meta-train domain the alignment of meta-train centres is identically 0 (and so is its gradient):
    // leaving the term out computes the same update, and avoids a crash of the second-order backward pass
    // through tf.stack of a single centre.
    const losses = hparams['metaTrainDomains'] === 1 ? mfr.losses.filter((l) => l.name !== 'domain-alignment') : mfr.losses;
    return { label, contender: { label, algorithm: mfr.algorithm, sampler: { ...mfr.sampler, hparams: { ...mfr.sampler.hparams, ...hparams } }, losses } };
  };
  switch (study) {
    case 'order':
      return {
        study,
        title: 'Meta-gradient order',
        description: 'Second-order MFR (exact Hessian-vector products) against the first-order approximation and the Hessian-vector product by central differences of first-order gradients.',
        variants: [
          withAlgorithm('second order', { order: 2, hessian: 'exact' }),
          withAlgorithm('first order', { order: 1 }),
          withAlgorithm('finite-difference Hessian', { order: 2, hessian: 'finite-difference' }),
        ],
      };
    case 'gamma':
      return {
        study,
        title: 'Meta-train weight γ',
        description: 'g = γ∇L_S(θ) + (1 − γ)∇θ L_T(θ′): γ = 0 trains on the meta-test loss only, γ = 1 on the meta-train loss only (no meta-learning).',
        axis: { label: 'γ', scale: 'linear' },
        variants: GAMMAS.map((g) => withAlgorithm(`γ = ${g}`, { gamma: g }, g)),
      };
    case 'alpha':
      return {
        study,
        title: 'Inner step α',
        description: 'θ′ = θ − α∇L_S(θ): the step the meta-test loss is evaluated after.',
        axis: { label: 'α (log scale)', scale: 'log' },
        variants: ALPHAS.map((a) => withAlgorithm(`α = ${a}`, { alpha: a }, a)),
      };
    case 'losses': {
      for (const term of LOSS_TERMS) {
        if (!mfr.losses.some((l) => l.name === term.name)) {
          throw new ConfigError('losses', `the "losses" study removes "${term.name}", which the base MFR run does not use (it has: ${mfr.losses.map((l) => l.name).join(', ')})`);
        }
      }
      const full: AblationVariant = { label: 'full', contender: { label: 'full', algorithm: mfr.algorithm, sampler: mfr.sampler, losses: mfr.losses } };
      return {
        study,
        title: 'Loss components',
        description: 'The full MFR objective, and the same run without one of its three terms.',
        variants: [
          full,
          ...LOSS_TERMS.map(({ name, label }) => ({
            label,
            contender: { label, algorithm: mfr.algorithm, sampler: mfr.sampler, losses: mfr.losses.filter((l) => l.name !== name) },
          })),
        ],
      };
    }
    case 'sampling':
      return {
        study,
        title: 'Domain-level sampling',
        description:
          'Meta-train + meta-test source domains per episode (random split each step), and every leave-one-out split of all source domains per meta-batch (mode all-splits). Budgets are in images, so variants that draw more domains per step take fewer steps. With one meta-train domain (1 + 1, 1 + 2) the domain-alignment term is identically 0 and is left out.',
        variants: [
          withSampler('2 + 1', { metaTrainDomains: 2, metaTestDomains: 1, mode: 'random' }),
          withSampler('1 + 1', { metaTrainDomains: 1, metaTestDomains: 1, mode: 'random' }),
          withSampler('1 + 2', { metaTrainDomains: 1, metaTestDomains: 2, mode: 'random' }),
          withSampler('all leave-one-out splits', { metaTrainDomains: 'rest', metaTestDomains: 1, mode: 'all-splits' }),
        ],
      };
  }
}

/** Overrides of an ablation run (`metadg ablate … --steps --seeds --held-out`). */
export interface AblationOverrides {
  readonly steps?: number;
  readonly seeds?: number;
  readonly heldOut?: readonly string[];
  readonly workers?: number;
}

/**
 * The comparison config of a study: the base config with the study's
 * variants as contenders, named `ablate-<study>`, with any overrides. The
 * budget rule is the comparison's (equal images seen unless the base sets
 * a budget).
 */
export function ablationConfig(study: AblationStudy, base: CompareConfig, overrides: AblationOverrides = {}): { spec: AblationSpec; config: CompareConfig } {
  const spec = ablationSpec(study, base);
  const config: CompareConfig = {
    ...base,
    name: `ablate-${study}`,
    train: overrides.steps !== undefined ? { ...base.train, steps: overrides.steps } : base.train,
    compare: {
      ...base.compare,
      algorithms: spec.variants.map((v) => v.contender),
      ...(overrides.seeds !== undefined ? { seeds: overrides.seeds } : {}),
      ...(overrides.heldOut !== undefined ? { heldOut: [...overrides.heldOut] } : {}),
      ...(overrides.workers !== undefined ? { workers: overrides.workers } : {}),
    },
  };
  return { spec, config };
}
