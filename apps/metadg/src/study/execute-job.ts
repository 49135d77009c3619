import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger, StepMetrics } from '@metadg/core';
import { resolveBudget } from '../budget/budget.js';
import { builtinRegistry } from '../builtin-plugins.js';
import type { AppRunConfig } from '../config/app-config.js';
import { evaluateRun, heldOutScore, selectsOnValidation, trainingView, validationScore, type DomainEvaluation } from '../evaluation/evaluate-run.js';
import { runJob, type JobMonitor, type JobResult } from '../jobs/job-runner.js';
import { shardingFor } from '../parallel/threads.js';
import type { JobDescription } from './job-plan.js';

/** A finished job's result as stored in `result.json`. */
export type StudyJobResult = JobResult<DomainEvaluation[]>;

/** Writes `job.json` so a worker process (or a later resume) can run the job from its directory. */
export function writeJobDescription(job: JobDescription): void {
  mkdirSync(job.dir, { recursive: true });
  writeFileSync(join(job.dir, 'job.json'), JSON.stringify(job, null, 2));
}

/**
 * What a run watches during training under its protocol: the validation
 * split (training-domain selection) and the held-out diagnostic
 * (convergence), or `undefined` when neither is on.
 */
export function monitorFor(config: AppRunConfig): JobMonitor | undefined {
  const { protocol } = config;
  const selecting = selectsOnValidation(protocol);
  const tracing = protocol.convergence.enabled && config.split.heldOut.length > 0;
  if (!selecting && !tracing) return undefined;
  return {
    every: protocol.selection.every,
    points: protocol.selection.points,
    ...(selecting ? { validate: (run) => validationScore(run, protocol) } : {}),
    ...(tracing ? { heldOut: (run) => heldOutScore(run, protocol) } : {}),
  };
}

/** Runs one job in this process: compose, train within its budget (resuming if possible), select, evaluate. */
export function executeJob(
  job: JobDescription,
  log: Logger,
  onStep?: (step: number, total: number, metrics: StepMetrics) => void,
): Promise<StudyJobResult> {
  const view = trainingView(job.config.protocol);
  const monitor = monitorFor(job.config);
  const sharding = shardingFor(job.config.threads, job.config, job.searchFrom, log);
  return runJob(
    {
      label: `${job.algorithm} · held out ${job.heldOut} · seed ${job.seed}`,
      dir: job.dir,
      key: job.key,
      config: job.config,
      budget: resolveBudget(job.config),
      checkpointEvery: job.checkpointEvery,
      ...(monitor ? { monitor } : {}),
      // A leave-one-domain-out validation job is scored on its validation domain only.
      evaluate: (run) => evaluateRun(run, job.config.protocol, job.validationDomain === undefined ? undefined : [job.validationDomain]),
    },
    {
      compose: {
        registry: builtinRegistry(),
        searchFrom: job.searchFrom,
        ...(view ? { trainingView: view } : {}),
        ...(sharding ? { decorateBackbone: sharding } : {}),
      },
      log,
      ...(onStep ? { onStep } : {}),
    },
  );
}
