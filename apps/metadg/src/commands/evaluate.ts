import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeRun, DataError, type Logger } from '@metadg/core';
import { builtinRegistry } from '../builtin-plugins.js';
import { evaluateRun, trainingView, type DomainEvaluation } from '../evaluation/evaluate-run.js';
import { readCheckpoint } from '../jobs/checkpoint.js';
import type { JobProgressMeta } from '../jobs/job-runner.js';
import { modelVariables, restoreModel } from '../jobs/model-state.js';
import type { JobDescription } from '../study/job-plan.js';

/**
 * `metadg eval <job dir>`: re-evaluates a job's latest checkpoint on its
 * held-out domain(s) (optionally another domain), without training.
 */
export async function evaluateJob(dir: string, options: { heldOut?: string; log: Logger }): Promise<DomainEvaluation[]> {
  const descFile = join(dir, 'job.json');
  if (!existsSync(descFile)) throw new DataError(dir, 'is not a job directory (no job.json)');
  const job = JSON.parse(readFileSync(descFile, 'utf8')) as JobDescription;
  const checkpoint = join(dir, 'checkpoint.bin');
  if (!existsSync(checkpoint)) throw new DataError(checkpoint, 'no checkpoint yet: train the job first');
  const config = options.heldOut === undefined ? job.config : { ...job.config, split: { ...job.config.split, heldOut: [options.heldOut] } };
  const view = trainingView(config.protocol);
  const run = await composeRun(config, {
    registry: builtinRegistry(),
    searchFrom: job.searchFrom,
    log: options.log,
    ...(view ? { trainingView: view } : {}),
  });
  const trainer = await run.trainer();
  const state = readCheckpoint<JobProgressMeta>(checkpoint);
  await restoreModel(checkpoint, modelVariables(await run.get('backbone'), await run.losses()), trainer.algorithm, state);
  options.log.info(`eval: checkpoint at step ${state.step} of ${dir}`);
  return evaluateRun(run, config.protocol);
}
