import { dirname, join, resolve } from 'node:path';
import { parseConfigWith, readConfigFile, type Logger } from '@metadg/core';
import { appRunConfigSchema, type AppRunConfig } from '../config/app-config.js';
import { resolveBudget } from '../budget/budget.js';
import { jobKey } from '../jobs/job-key.js';
import { executeJob, writeJobDescription, type StudyJobResult } from '../study/execute-job.js';
import type { JobDescription } from '../study/job-plan.js';
import { Progress, type ProgressSink } from '../ui/progress.js';

/** Options of `train`. */
export interface TrainOptions {
  /** Hold out this domain (overrides `split.heldOut`). */
  readonly heldOut?: string;
  /** Threads per job (overrides `threads`). */
  readonly threads?: number;
  readonly out?: string;
  readonly checkpointEvery?: number;
  readonly log: Logger;
  readonly progress: ProgressSink;
}

/** Reads and validates a run config file as the app reads it (run config + protocol). */
export function loadAppRunConfig(file: string): AppRunConfig {
  return parseConfigWith(appRunConfigSchema, readConfigFile(file), file);
}

/** The durable job of a single run: `<out>/<name>/runs/<key>/`. */
export function singleRunJob(config: AppRunConfig, configFile: string, out: string | undefined, checkpointEvery: number): JobDescription {
  const searchFrom = [dirname(resolve(configFile)), process.cwd()];
  const key = jobKey(`${config.algorithm.name}-${config.split.heldOut.join('+') || 'all'}-s${config.seed}`, { config, configDir: searchFrom[0] });
  return {
    algorithm: config.algorithm.name,
    heldOut: config.split.heldOut.join('+'),
    seed: config.seed,
    config,
    checkpointEvery,
    searchFrom,
    key,
    dir: join(resolve(out ?? config.output, config.name), 'runs', key),
  };
}

/**
 * `metadg train`: one run from a config, checkpointed and resumable like a
 * comparison job, evaluated on its held-out domain(s) when it has any.
 */
export async function train(configFile: string, options: TrainOptions): Promise<{ job: JobDescription; result: StudyJobResult }> {
  const config = loadAppRunConfig(configFile);
  if (options.heldOut !== undefined) config.split = { ...config.split, heldOut: [options.heldOut] };
  if (options.threads !== undefined) config.threads = options.threads;
  const job = singleRunJob(config, configFile, options.out, options.checkpointEvery ?? Math.max(config.train.checkpointEvery, 0));
  writeJobDescription(job);
  options.log.info(`train: ${job.dir}`);
  const budget = resolveBudget(config);
  const bar = new Progress(config.algorithm.name, budget.kind === 'steps' ? budget.value : Number.NaN, options.progress);
  const result = await executeJob(job, options.log, (step, total, m) => bar.update({ done: step, total, loss: m.loss, parts: m.parts }));
  return { job, result };
}
