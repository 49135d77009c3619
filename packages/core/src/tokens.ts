import type { ServiceIdentifier } from 'inversify';
import type { Backbone } from './contracts/backbone.js';
import type { DomainDataset } from './contracts/data.js';
import type { Loss } from './contracts/loss.js';
import type { MetaOptimizer } from './contracts/meta-optimizer.js';
import type { DomainSampler } from './contracts/sampler.js';
import type { TrainingTask } from './contracts/task.js';
import type { RunConfig } from './config/run-config.js';
import type { Logger } from './logger.js';
import type { Rng } from './rng.js';

// Tokens are registered symbols (Symbol.for) so that a plugin that loaded a
// second copy of @metadg/core (ESM next to CJS) still binds the same keys.
/** Injection tokens of the composition root. */
export const TOKENS = {
  RunConfig: Symbol.for('metadg.RunConfig') as ServiceIdentifier<RunConfig>,
  Rng: Symbol.for('metadg.Rng') as ServiceIdentifier<Rng>,
  Logger: Symbol.for('metadg.Logger') as ServiceIdentifier<Logger>,
  Dataset: Symbol.for('metadg.Dataset') as ServiceIdentifier<DomainDataset>,
  Task: Symbol.for('metadg.Task') as ServiceIdentifier<TrainingTask>,
  Backbone: Symbol.for('metadg.Backbone') as ServiceIdentifier<Backbone>,
  Loss: Symbol.for('metadg.Loss') as ServiceIdentifier<Loss>,
  DomainSampler: Symbol.for('metadg.DomainSampler') as ServiceIdentifier<DomainSampler>,
  MetaOptimizer: Symbol.for('metadg.MetaOptimizer') as ServiceIdentifier<MetaOptimizer>,
} as const;
