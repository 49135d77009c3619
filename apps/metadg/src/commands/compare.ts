import { dirname, join, resolve } from 'node:path';
import { ConfigError, composeRun, parseConfigWith, readConfigFile, silentLogger, type DomainDataset, type Logger } from '@metadg/core';
import { studyBudget, type StudyBudget } from '../budget/study-budget.js';
import { builtinRegistry } from '../builtin-plugins.js';
import { compareConfigSchema, type CompareConfig } from '../config/app-config.js';
import { writeStudyOutputs, type CompareOutput } from '../study/collect.js';
import { contenderLabels, heldOutDomains, jobConfig, planJobs, studySeeds, type JobDescription } from '../study/job-plan.js';
import { runStudyJobs, type FailedJob } from '../study/run-jobs.js';
import type { ProgressSink } from '../ui/progress.js';

/** Options of `compare`. */
export interface CompareOptions {
  /** Output root (default: the config's `output`, relative to the working directory). */
  readonly out?: string;
  /** Overrides `compare.workers`. */
  readonly workers?: number;
  readonly log: Logger;
  readonly progress: ProgressSink;
}

/** What a comparison produced. */
export interface CompareResult {
  readonly studyDir: string;
  readonly json: string;
  readonly html: string;
  readonly output: CompareOutput;
  readonly failed: readonly FailedJob[];
}

/** Reads and validates a comparison config file. */
export function loadCompareConfig(file: string): CompareConfig {
  return parseConfigWith(compareConfigSchema, readConfigFile(file), file);
}

/** A comparison ready to run: its jobs and their common budget. */
export interface PreparedStudy {
  readonly dataset: DomainDataset;
  readonly jobs: JobDescription[];
  readonly budget: StudyBudget;
  readonly searchFrom: readonly string[];
}

/**
 * Plans a comparison: probes the dataset (which domains exist), derives the
 * common budget (see {@link studyBudget}), lists the jobs, and composes each
 * contender once so a misspelt plugin or hyper-parameter fails before hours
 * of jobs, named by its place in the config.
 */
export async function prepareStudy(config: CompareConfig, configFile: string, studyDir: string): Promise<PreparedStudy> {
  const searchFrom = [dirname(resolve(configFile)), process.cwd()];
  const first = config.compare.algorithms[0];
  const probe = await composeRun(
    { ...config, algorithm: config.algorithm ?? first!.algorithm },
    { registry: builtinRegistry(), searchFrom, log: silentLogger },
  );
  const dataset = await probe.get('dataset');
  const domains = heldOutDomains(config, dataset);
  const seeds = studySeeds(config);
  const labels = contenderLabels(config);
  // Fail fast on a misspelt plugin or hyper-parameter of any contender, before hours of jobs.
  const placeholder = config.budget ?? { kind: 'steps' as const, value: config.train.steps };
  for (const [i, contender] of config.compare.algorithms.entries()) {
    try {
      await composeRun(jobConfig(config, contender, [domains[0] as string], seeds[0] as number, placeholder), {
        registry: builtinRegistry(),
        searchFrom,
        log: silentLogger,
      });
    } catch (err) {
      if (!(err instanceof ConfigError) || !/^(algorithm|sampler|losses)\b/.test(err.field)) throw err;
      throw new ConfigError(`compare.algorithms[${i}].${err.field}`, err.message.replace(/^[^:]*: /, ''), configFile);
    }
  }
  const budget = await studyBudget(config, labels, domains[0] as string, seeds[0] as number, builtinRegistry, searchFrom);
  return { dataset, jobs: planJobs(config, dataset, studyDir, searchFrom, budget.budget), budget, searchFrom };
}

/**
 * `metadg compare`: the leave-one-domain-out protocol over every contender
 * and seed, at a common budget (equal images seen by default), as durable
 * jobs. Finished jobs are read back, unfinished ones resume from their
 * checkpoints; a failing job is reported, not fatal to the others. Writes
 * `compare.json` and `report.html` under `<out>/<name>/`.
 */
export async function compare(configFile: string, options: CompareOptions): Promise<CompareResult> {
  const config = loadCompareConfig(configFile);
  const studyDir = resolve(options.out ?? config.output, config.name);
  const study = await prepareStudy(config, configFile, studyDir);
  options.log.info(study.budget.rule);
  const failed = await runStudyJobs(`compare "${config.name}"`, studyDir, study.jobs, {
    workers: options.workers ?? config.compare.workers,
    log: options.log,
    progress: options.progress,
  });
  const written = writeStudyOutputs(studyDir, config.name, config, study.jobs, study.budget);
  return { studyDir, json: written.json, html: written.html, output: written.output, failed };
}

/** Where a study's outputs live (for `report`). */
export function studyPaths(studyDir: string): { json: string; html: string } {
  return { json: join(studyDir, 'compare.json'), html: join(studyDir, 'report.html') };
}
