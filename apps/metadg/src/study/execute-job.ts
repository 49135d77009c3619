import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger, StepMetrics } from '@metadg/core';
import { builtinRegistry } from '../builtin-plugins.js';
import { evaluateRun, trainingView, type DomainEvaluation } from '../evaluation/evaluate-run.js';
import { runJob, type JobResult } from '../jobs/job-runner.js';
import type { JobDescription } from './job-plan.js';

/** A finished job's result as stored in `result.json`. */
export type StudyJobResult = JobResult<DomainEvaluation[]>;

/** Writes `job.json` so a worker process (or a later resume) can run the job from its directory. */
export function writeJobDescription(job: JobDescription): void {
  mkdirSync(job.dir, { recursive: true });
  writeFileSync(join(job.dir, 'job.json'), JSON.stringify(job, null, 2));
}

/** Runs one job in this process: compose, train (resuming if possible), evaluate. */
export function executeJob(
  job: JobDescription,
  log: Logger,
  onStep?: (step: number, total: number, metrics: StepMetrics) => void,
): Promise<StudyJobResult> {
  const view = trainingView(job.config.protocol);
  return runJob(
    {
      label: `${job.algorithm} · held out ${job.heldOut} · seed ${job.seed}`,
      dir: job.dir,
      key: job.key,
      config: job.config,
      checkpointEvery: job.checkpointEvery,
      evaluate: (run) => evaluateRun(run, job.config.protocol),
    },
    {
      compose: { registry: builtinRegistry(), searchFrom: job.searchFrom, ...(view ? { trainingView: view } : {}) },
      log,
      ...(onStep ? { onStep } : {}),
    },
  );
}
