/**
 * @metadg/meta — algorithm-independent building blocks for meta-learners
 * (MFR, MLDG, MAML) and ERM: θ as one functional parameter map over the
 * backbone and the losses, phase objectives over domain batches with NaN/Inf
 * guards, a per-step recorder of named loss parts, and outer optimizers with
 * checkpointable state.
 *
 * @packageDocumentation
 */
export { buildParamSpace, type ParamSpace } from './param-space.js';
export {
  PHASE_LABELS,
  embedBatches,
  lossesIn,
  objectiveModelFrom,
  phaseObjective,
  requirePhases,
  type ObjectiveModel,
} from './objective.js';
export {
  OUTER_OPTIMIZERS,
  createOuterOptimizer,
  outerOptimizerShape,
  outerOptimizerSources,
  outerOptimizerSpace,
  type OuterOptimizer,
  type OuterOptimizerHparams,
  type OuterOptimizerName,
} from './outer-optimizer.js';
export { StepRecorder } from './step-recorder.js';
export {
  metaGradient,
  metaGradientShape,
  metaGradientSources,
  metaGradientSpace,
  orderSchema,
  type MetaGradientOptions,
  type Objective,
} from './meta-gradient.js';
export { guardedUpdate, meanOverSplits, recordedOnce } from './guarded-update.js';
export { GradientAlgorithm } from './algorithm.js';
export {
  checkAligned,
  checkLabels,
  classifierHeadFrom,
  createClassifierLoss,
  meanOf,
  pairClassificationLoss,
  pairEmbeddings,
  type ClassifierHead,
  type ClassifierLogits,
  type ClassifierLossOptions,
} from './loss-terms.js';
