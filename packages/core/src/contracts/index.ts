export type { Backbone } from './backbone.js';
export { checkBackboneInput } from './backbone.js';
export type {
  DomainBatch,
  DomainDataset,
  Episode,
  EpisodeSplit,
  IdentityInfo,
  LabelledBatch,
  PairBatch,
  SampleRef,
  SampleShape,
} from './data.js';
export { batchImages, disposeEpisode, episodeImages } from './data.js';
export type { DomainEmbeddings, Loss, LossPhase, LossResult } from './loss.js';
export type { MetaOptimizer, StepMetrics } from './meta-optimizer.js';
export type { DomainSampler } from './sampler.js';
export type { LabelSpace, TrainingTask } from './task.js';
export { buildLabelSpace } from './task.js';
export type { NamedTensor, ParamMap, VariableMap } from './tensors.js';
