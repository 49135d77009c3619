/**
 * @metadg/core — the contracts (Backbone, Loss, DomainSampler, MetaOptimizer),
 * the plugin registry, run configuration, seeded randomness and the
 * dependency-injection composition root of MetaDG.
 *
 * @packageDocumentation
 */
import 'reflect-metadata';

export * from './contracts/index.js';
export { composeRun, buildTask, type ComposeOptions, type ComposedRun } from './compose.js';
export {
  runConfigSchema,
  componentRefSchema,
  lossRefSchema,
  backendNameSchema,
  type RunConfig,
  type RunConfigInput,
  type ComponentRef,
  type LossRef,
  type BackendName,
} from './config/run-config.js';
export { loadRunConfig, parseConfigWith, parseRunConfig, readConfigFile } from './config/load-config.js';
export { ConfigError, DataError, MetaDGError, NumericalError, PluginError, ShapeError, formatError } from './errors.js';
export { describeIssues } from './validation.js';
export { consoleLogger, memoryLogger, silentLogger, type Logger } from './logger.js';
export {
  definePlugin,
  definePluginPackage,
  type ComponentMap,
  type HParamIssue,
  type HParamSchema,
  type PluginContext,
  type PluginInstanceMap,
  type PluginKind,
  type PluginManifest,
  type PluginPackage,
} from './plugin/manifest.js';
export { PluginRegistry, instantiate, validateHparams, type RegisteredPlugin } from './plugin/registry.js';
export { importPluginPackage, loadPluginPackages } from './plugin/discover.js';
export { Rng, hashString } from './rng.js';
export { TOKENS } from './tokens.js';
export { Trainer, type StepListener } from './trainer.js';
export { weightLoss } from './weighted-loss.js';
/** zod, re-exported so plugin authors declare hyper-parameters against the same copy. */
export { z } from 'zod';
export { pluginTestContext, type PluginTestContextOptions } from './testing.js';
