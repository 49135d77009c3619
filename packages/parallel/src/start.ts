import type { Backbone } from '@metadg/core';
import { shardBackbone, type ShardedBackbone, type ShardOptions } from './sharded-backbone.js';
import { ShardWorker, type ShardWorkerOptions } from './shard-worker.js';

/** Options of {@link startShardedBackbone}. */
export interface StartShardedOptions extends ShardOptions, Omit<ShardWorkerOptions, 'index'> {
  /** Threads in all, this one included (≥ 1; 1 starts no worker and returns the backbone unchanged). */
  readonly threads: number;
}

/** A sharded backbone and the means to stop its workers. */
export interface RunningShards {
  readonly backbone: Backbone | ShardedBackbone;
  /** Ends the worker threads (the backbone keeps working, on this thread alone). Disposing the backbone also ends them. */
  close(): Promise<void>;
}

/**
 * Starts `threads − 1` shard workers for `backbone` and wraps it with
 * {@link shardBackbone}. The workers start in parallel; if one fails, the
 * others are stopped and its error is thrown.
 */
export async function startShardedBackbone(backbone: Backbone, options: StartShardedOptions): Promise<RunningShards> {
  const { threads } = options;
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a whole number ≥ 1, got ${threads}`);
  if (threads === 1) return { backbone, close: async () => {} };
  const started = await Promise.allSettled(
    Array.from({ length: threads - 1 }, (_, i) => ShardWorker.start(backbone, { ...options, index: i + 1 })),
  );
  const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(workers.map((w) => w.close()));
    throw failed.reason;
  }
  const sharded = shardBackbone(backbone, workers, options);
  let closed = false;
  const close = async (): Promise<void> => {
    closed = true;
    await Promise.all(workers.map((w) => w.close()));
  };
  const view: ShardedBackbone = {
    ...sharded,
    // After close() the backbone keeps working on this thread alone.
    embed: (x, params) => (closed ? backbone.embed(x, params) : sharded.embed(x, params)),
    dispose: () => {
      backbone.dispose();
      void close();
    },
  };
  return { backbone: view, close };
}
