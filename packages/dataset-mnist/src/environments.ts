import type { Rng } from '@metadg/core';

/**
 * DomainBed's environment split: shuffle all images once, then environment
 * i of n takes positions i, i + n, i + 2n, … (`images[i::n]`). Returns, per
 * environment, indices into the original order; the shards are disjoint and
 * together cover every image.
 */
export function shardIndices(total: number, environments: number, rng: Rng): number[][] {
  if (!Number.isInteger(environments) || environments < 1) throw new RangeError(`shardIndices: environments must be a positive integer, got ${environments}`);
  const order = rng.shuffle(Array.from({ length: total }, (_, i) => i));
  return Array.from({ length: environments }, (_, env) => {
    const shard: number[] = [];
    for (let k = env; k < total; k += environments) shard.push(order[k] as number);
    return shard;
  });
}
