/**
 * @metadg/plugin-mfr — Meta Face Recognition (Guo et al., CVPR 2020): the
 * hard-pair attention, soft classification and domain alignment losses, the
 * second-order meta-step, the domain-level sampler, and a reproduction of the
 * float64 reference cases.The algorithm-independent building blocks it
 * uses (parameter space, phase objective, outer optimizer, step recorder)
 * live in @metadg/meta.
 *
 * @packageDocumentation
 */
export { metadgPlugins } from './plugins.js';

// Losses: kernels over normalised embeddings, Loss factories, plugins.
export {
  createHardPairLoss,
  hardPairLoss,
  hardPairPlugin,
  type HardPairOptions,
  type HardPairTerms,
} from './losses/hard-pair.js';
export {
  cosineLogits,
  createSoftClassificationLoss,
  softClassificationLoss,
  softClassificationPlugin,
  type SoftClassificationOptions,
} from './losses/soft-classification.js';
export {
  centreAlignmentLoss,
  createDomainAlignmentLoss,
  domainAlignmentLoss,
  domainAlignmentPlugin,
  domainCentre,
  type DomainAlignmentOptions,
  type PairEmbeddings,
} from './losses/domain-alignment.js';

// The MFR algorithm.
export { mfrMetaGradient, type MetaGradientOptions, type Objective } from './meta-gradient.js';
export { MfrMetaOptimizer, mfrHparams, mfrPlugin } from './meta-step.js';
export { MfrSampler, combinations, mfrSamplerHparams, mfrSamplerPlugin, type MfrSamplerOptions, type SamplerMode } from './sampler.js';

export { strictlyAbove } from './ops.js';

// Reference reproduction (`metadg mfr-reference <case.json>`).
export * from './reference/index.js';
