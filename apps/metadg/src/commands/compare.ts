import { dirname, join, resolve } from 'node:path';
import { ConfigError, composeRun, parseConfigWith, readConfigFile, silentLogger, type Logger } from '@metadg/core';
import { builtinRegistry } from '../builtin-plugins.js';
import { compareConfigSchema, type CompareConfig } from '../config/app-config.js';
import { isJobDone } from '../jobs/job-runner.js';
import { writeStudyOutputs, type CompareOutput } from '../study/collect.js';
import { executeJob, writeJobDescription } from '../study/execute-job.js';
import { planJobs, type JobDescription } from '../study/job-plan.js';
import { StudyProgress } from '../study/study-progress.js';
import { runInWorkers } from '../study/worker-pool.js';
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
  readonly failed: readonly { job: JobDescription; error: string }[];
}

/** Reads and validates a comparison config file. */
export function loadCompareConfig(file: string): CompareConfig {
  return parseConfigWith(compareConfigSchema, readConfigFile(file), file);
}

/**
 * `metadg compare`: the leave-one-domain-out protocol over every contender
 * and seed, as durable jobs. Finished jobs are read back, unfinished ones
 * resume from their checkpoints; a failing job is reported, not fatal to the
 * others. Writes `compare.json` and `report.html` under `<out>/<name>/`.
 */
export async function compare(configFile: string, options: CompareOptions): Promise<CompareResult> {
  const config = loadCompareConfig(configFile);
  const searchFrom = [dirname(resolve(configFile)), process.cwd()];
  const studyDir = resolve(options.out ?? config.output, config.name);

  // The dataset alone tells which domains exist ("heldOut": "all").
  const first = config.compare.algorithms[0];
  const probe = await composeRun(
    { ...config, algorithm: config.algorithm ?? first!.algorithm },
    { registry: builtinRegistry(), searchFrom, log: silentLogger },
  );
  const jobs = planJobs(config, await probe.get('dataset'), studyDir, searchFrom);
  // Fail fast on a misspelt plugin or hyper-parameter of any contender, before hours of jobs.
  for (const [i, contender] of config.compare.algorithms.entries()) {
    const job = jobs.find((j) => j.algorithm === (contender.label ?? contender.algorithm.name));
    if (!job) continue;
    try {
      await composeRun(job.config, { registry: builtinRegistry(), searchFrom, log: silentLogger });
    } catch (err) {
      const own = err instanceof ConfigError && /^(algorithm|sampler|losses)\b/.test(err.field) && contender !== undefined;
      throw own ? new ConfigError(`compare.algorithms[${i}].${(err as ConfigError).field}`, (err as ConfigError).message.replace(/^[^:]*: /, ''), configFile) : err;
    }
  }
  for (const job of jobs) writeJobDescription(job);
  const pending = jobs.filter((j) => !isJobDone(j.dir));
  options.log.info(
    `compare "${config.name}": ${jobs.length} jobs (${jobs.length - pending.length} already done) → ${studyDir}`,
  );

  const progress = new StudyProgress(jobs.length, jobs.length - pending.length, options.progress);
  const failed: { job: JobDescription; error: string }[] = [];
  const workers = options.workers ?? config.compare.workers;
  if (workers > 0) {
    for (const outcome of await runInWorkers(pending, workers, (job, event) => progress.event(job, event))) {
      if (!outcome.ok) failed.push({ job: outcome.job, error: outcome.error ?? 'failed' });
    }
  } else {
    for (const job of pending) {
      try {
        await executeJob(job, options.log, (step, total, m) =>
          progress.event(job, { type: 'progress', step, total, loss: m.loss }),
        );
        progress.event(job, { type: 'done' });
      } catch (err) {
        const error = `${(err as Error).name}: ${(err as Error).message}`;
        failed.push({ job, error });
        progress.event(job, { type: 'failed', message: error });
      }
    }
  }
  const written = writeStudyOutputs(studyDir, config.name, config, jobs);
  return { studyDir, json: written.json, html: written.html, output: written.output, failed };
}

/** Where a study's outputs live (for `report`). */
export function studyPaths(studyDir: string): { json: string; html: string } {
  return { json: join(studyDir, 'compare.json'), html: join(studyDir, 'report.html') };
}
