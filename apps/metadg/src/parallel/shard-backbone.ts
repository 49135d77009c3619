// The backbone factory a shard worker thread imports (dist/shard-backbone.js):
// it composes the job's run config in the worker, exactly as the job does on
// the main thread, and hands back the backbone (θ's values arrive with
// every request, so only names, shapes and frozen weights matter here).
import { composeRun, silentLogger, type Backbone, type RunConfig } from '@metadg/core';
import { builtinRegistry } from '../builtin-plugins.js';

/** What the main thread sends the worker's factory (structured-cloneable). */
export interface ShardBackboneOptions {
  readonly config: RunConfig;
  /** Plugin search paths of the job (the config's directory first). */
  readonly searchFrom: readonly string[];
}

/** Builds the job's backbone in a shard worker. */
export async function createBackbone(options: ShardBackboneOptions): Promise<Backbone> {
  const run = await composeRun(options.config, { registry: builtinRegistry(), searchFrom: options.searchFrom, log: silentLogger });
  return run.get('backbone');
}
