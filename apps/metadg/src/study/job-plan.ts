import { join } from 'node:path';
import { ConfigError, type DomainDataset } from '@metadg/core';
import type { AppRunConfig, Budget, CompareConfig, Contender } from '../config/app-config.js';
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
  /** Sweep trial (0: the configured hyper-parameters); absent outside sweeps. */
  readonly trial?: number;
  /** Leave-one-domain-out validation job of a sweep: the source domain it also holds out and is scored on. */
  readonly validationDomain?: string;
}

/** The base run config of a comparison (no `compare`/`sweep` sections). */
export function baseRunConfig(config: CompareConfig): Omit<CompareConfig, 'compare' | 'sweep'> {
  const { compare: _compare, sweep: _sweep, ...base } = config;
  return base;
}

/** The config of one job: the base with the contender's components, the seed, the held-out domain(s) and the budget. */
export function jobConfig(config: CompareConfig, contender: Contender, heldOut: readonly string[], seed: number, budget: Budget): AppRunConfig {
  const base = baseRunConfig(config);
  return {
    ...base,
    seed,
    split: { ...base.split, heldOut: [...heldOut] },
    algorithm: contender.algorithm,
    sampler: contender.sampler ?? base.sampler,
    losses: contender.losses ?? base.losses,
    budget,
  };
}

/** The held-out domains of a comparison, checked against the dataset. */
export function heldOutDomains(config: CompareConfig, dataset: DomainDataset): string[] {
  const { heldOut } = config.compare;
  const domains = heldOut === 'all' ? [...dataset.domains] : heldOut;
  domains.forEach((d, i) => {
    if (!dataset.domains.includes(d)) {
      throw new ConfigError(`compare.heldOut[${i}]`, `unknown domain "${d}" (dataset "${dataset.name}" has: ${dataset.domains.join(', ')})`);
    }
  });
  return domains;
}

/** The run seeds of a comparison: `0 … n − 1` for a count, or the list. */
export function studySeeds(config: CompareConfig): number[] {
  const { seeds } = config.compare;
  return typeof seeds === 'number' ? Array.from({ length: seeds }, (_, i) => i) : seeds;
}

/** Contender labels (default: the algorithm's plugin name); two equal labels are a `ConfigError`. */
export function contenderLabels(config: CompareConfig): string[] {
  const labels = config.compare.algorithms.map((c) => c.label ?? c.algorithm.name);
  const duplicate = labels.find((l, i) => labels.indexOf(l) !== i);
  if (duplicate) throw new ConfigError('compare.algorithms', `two contenders are labelled "${duplicate}"; give each a distinct "label"`);
  return labels;
}

/**
 * The comparison protocol as a job list: every contender × held-out domain ×
 * seed, in that nesting. Each job is the base config with its own seed,
 * held-out domain, algorithm (and sampler/losses if the contender overrides
 * them) and the study's common `budget`. Seeds are shared across contenders,
 * so for a given seed every algorithm sees the same initial backbone and the
 * same data stream.
 */
export function planJobs(
  config: CompareConfig,
  dataset: DomainDataset,
  studyDir: string,
  searchFrom: readonly string[],
  budget: Budget,
): JobDescription[] {
  const domains = heldOutDomains(config, dataset);
  const seeds = studySeeds(config);
  const labels = contenderLabels(config);
  const jobs: JobDescription[] = [];
  config.compare.algorithms.forEach((contender, a) => {
    const label = labels[a] as string;
    for (const domain of domains) {
      for (const seed of seeds) {
        const cfg = jobConfig(config, contender, [domain], seed, budget);
        jobs.push(describeJob(label, domain, seed, cfg, config.compare.checkpointEvery, searchFrom, studyDir));
      }
    }
  });
  return jobs;
}

/** A job description with its hash-keyed directory under `<studyDir>/jobs/`. */
export function describeJob(
  label: string,
  heldOut: string,
  seed: number,
  config: AppRunConfig,
  checkpointEvery: number,
  searchFrom: readonly string[],
  studyDir: string,
  extra: { trial?: number; validationDomain?: string } = {},
): JobDescription {
  const name = [label, extra.trial !== undefined ? `t${extra.trial}` : '', heldOut, extra.validationDomain ? `v-${extra.validationDomain}` : '', `s${seed}`]
    .filter(Boolean)
    .join('-');
  // The config's directory anchors relative paths; the shell's working directory does not enter the key.
  const key = jobKey(name, { config, configDir: searchFrom[0] });
  return { algorithm: label, heldOut, seed, config, checkpointEvery, searchFrom, key, dir: join(studyDir, 'jobs', key), ...extra };
}
