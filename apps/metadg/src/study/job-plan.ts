import { join } from 'node:path';
import { ConfigError, type DomainDataset } from '@metadg/core';
import type { AppRunConfig, CompareConfig } from '../config/app-config.js';
import { jobKey } from '../jobs/job-key.js';

/** Everything a worker needs to run one job; stored as `job.json` in its directory. */
export interface JobDescription {
  /** Row name in tables (the contender's label). */
  readonly algorithm: string;
  readonly heldOut: string;
  readonly seed: number;
  readonly config: AppRunConfig;
  readonly checkpointEvery: number;
  /** Where plugin packages and relative paths are resolved from (the config file's directory first). */
  readonly searchFrom: readonly string[];
  readonly key: string;
  readonly dir: string;
}

/**
 * The comparison protocol as a job list: every contender × held-out domain ×
 * seed, in that nesting. Each job is the base config with its own seed,
 * held-out domain, algorithm (and sampler/losses if the contender overrides
 * them). Seeds are shared across contenders, so for a given seed every
 * algorithm sees the same initial backbone and the same data stream.
 */
export function planJobs(
  config: CompareConfig,
  dataset: DomainDataset,
  studyDir: string,
  searchFrom: readonly string[],
): JobDescription[] {
  const { compare, ...base } = config;
  const heldOut = compare.heldOut === 'all' ? [...dataset.domains] : compare.heldOut;
  heldOut.forEach((d, i) => {
    if (!dataset.domains.includes(d)) {
      throw new ConfigError(`compare.heldOut[${i}]`, `unknown domain "${d}" (dataset "${dataset.name}" has: ${dataset.domains.join(', ')})`);
    }
  });
  const seeds = typeof compare.seeds === 'number' ? Array.from({ length: compare.seeds }, (_, i) => i) : compare.seeds;
  const labels = compare.algorithms.map((c) => c.label ?? c.algorithm.name);
  const duplicate = labels.find((l, i) => labels.indexOf(l) !== i);
  if (duplicate) throw new ConfigError('compare.algorithms', `two contenders are labelled "${duplicate}"; give each a distinct "label"`);
  const jobs: JobDescription[] = [];
  compare.algorithms.forEach((contender, a) => {
    for (const domain of heldOut) {
      for (const seed of seeds) {
        const jobConfig: AppRunConfig = {
          ...base,
          seed,
          split: { ...base.split, heldOut: [domain] },
          algorithm: contender.algorithm,
          sampler: contender.sampler ?? base.sampler,
          losses: contender.losses ?? base.losses,
        };
        const label = labels[a] as string;
        const key = jobKey(`${label}-${domain}-s${seed}`, { config: jobConfig, searchFrom });
        jobs.push({
          algorithm: label,
          heldOut: domain,
          seed,
          config: jobConfig,
          checkpointEvery: compare.checkpointEvery,
          searchFrom,
          key,
          dir: join(studyDir, 'jobs', key),
        });
      }
    }
  });
  return jobs;
}
