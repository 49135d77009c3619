import { fileURLToPath } from 'node:url';
import type { Backbone, Logger, RunConfig } from '@metadg/core';
import { builtFile, startShardedBackbone } from '@metadg/parallel';
import type { ShardBackboneOptions } from './shard-backbone.js';

/** The factory module of the app's shard workers: beside the bundle, or in dist/ when running from src/parallel (tests). */
function factoryModule(): string {
  return fileURLToPath(builtFile('shard-backbone.js', import.meta.url, '../../dist/'));
}

/**
 * `composeRun`'s `decorateBackbone` for a job that runs on `threads`
 * threads: the backbone is sharded over `threads − 1` worker threads
 * (@metadg/parallel), each composing the same config to build its copy.
 * Undefined for one thread. Disposing the backbone ends the workers.
 */
export function shardingFor(
  threads: number,
  config: RunConfig,
  searchFrom: readonly string[],
  log: Logger,
): ((backbone: Backbone) => Promise<Backbone>) | undefined {
  if (threads <= 1) return undefined;
  return async (backbone) => {
    const options: ShardBackboneOptions = { config, searchFrom };
    const running = await startShardedBackbone(backbone, { threads, factory: { module: factoryModule(), options } });
    log.info(`backbone ${backbone.name}: each batch split over ${threads} threads (this one + ${threads - 1} worker${threads > 2 ? 's' : ''})`);
    return running.backbone;
  };
}
