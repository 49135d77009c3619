import { fileURLToPath } from 'node:url';
import type { Backbone } from '@metadg/core';
import { builtFile, shardBackbone, ShardWorker } from '@metadg/parallel';
import { createBackbone } from '../bench-backbone.js';
import type { NetworkId } from '../workloads.js';

/** Variant label of the cases run with the backbone sharded over `threads` threads. */
export function threadsVariant(threads: number): string {
  return `${threads} threads (sharded backbone)`;
}

/** A file of the bench's build (from src/parallel in tests, the build is ../../dist). */
const built = (name: string): URL => builtFile(name, import.meta.url, '../../dist/');

/** Shard workers for one benchmark network, and how to wrap that network's backbone with them. */
export interface BenchShards {
  wrap(backbone: Backbone): Backbone;
  close(): Promise<void>;
}

/**
 * Starts `threads − 1` shard workers (@metadg/parallel) that build the
 * network's backbone with this bench's factory (dist/bench-backbone.js) and
 * run the bench's bundled copy of the worker (dist/shard-worker.js).
 */
export async function startBenchShards(network: NetworkId, threads: number, backend: string): Promise<BenchShards> {
  const template = createBackbone({ network });
  const workers: ShardWorker[] = [];
  try {
    for (let i = 1; i < threads; i++) {
      workers.push(
        await ShardWorker.start(template, {
          backend,
          index: i,
          factory: { module: fileURLToPath(built('bench-backbone.js')), options: { network } },
          workerScript: built('shard-worker.js'),
        }),
      );
    }
  } catch (err) {
    await Promise.all(workers.map((w) => w.close()));
    throw err;
  } finally {
    template.dispose();
  }
  return {
    wrap: (backbone) => shardBackbone(backbone, workers),
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
