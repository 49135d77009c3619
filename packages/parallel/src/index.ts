/**
 * @metadg/parallel — data parallelism over worker threads for MetaDG
 * backbones: the wasm and cpu backends run one thread per process, so a
 * sharded backbone embeds part of every batch on other cores, with exact
 * gradients for any loss.
 *
 * @packageDocumentation
 */
export { builtFile } from './built-file.js';
export { ShardWorkerError } from './errors.js';
export { shardRows, requestLayout, type RequestLayout, type ShardGeometry } from './protocol.js';
export { ShardWorker, type BackboneFactory, type ShardWorkerOptions } from './shard-worker.js';
export { shardBackbone, type ShardedBackbone, type ShardOptions, type ShardStats } from './sharded-backbone.js';
export { startShardedBackbone, type RunningShards, type StartShardedOptions } from './start.js';
export { gradientDepth } from './tape.js';
