// The benchmark networks' backbones, built from fixed seeds. Also the
// factory that shard worker threads import (dist/bench-backbone.js) to build
// their copy when a case runs with the backbone sharded over threads.
import { createReferenceCnn, createSmallCnn, type NetworkBackbone } from '@metadg/backbone-cnn';
import { Rng } from '@metadg/core';

/** Seed label of each network's workload (its data and its backbone derive from it). */
export const WORKLOAD_SEEDS = { reference: 'metadg-bench/reference', app: 'metadg-bench/app' } as const;

/** Options of {@link createBackbone}: which benchmark network. */
export interface BenchBackboneOptions {
  readonly network: keyof typeof WORKLOAD_SEEDS;
}

/**
 * The backbone of a benchmark network: `reference-cnn` (64×64×3 → 128), or
 * the default app's `small-cnn` [16, 32, 32] → 64 on 32×32×1.
 */
export function createBackbone(options: BenchBackboneOptions): NetworkBackbone {
  const rng = new Rng(WORKLOAD_SEEDS[options.network]).fork('backbone');
  if (options.network === 'reference') return createReferenceCnn(rng);
  return createSmallCnn([32, 32, 1], { channels: [16, 32, 32], groups: 4, embeddingSize: 64 }, rng);
}
