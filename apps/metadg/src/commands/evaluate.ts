import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeRun, DataError, type ComposedRun, type Logger } from '@metadg/core';
import { builtinRegistry } from '../builtin-plugins.js';
import { evaluateRun, trainingView, type DomainEvaluation } from '../evaluation/evaluate-run.js';
import { readCheckpoint } from '../jobs/checkpoint.js';
import { BEST, type JobProgressMeta } from '../jobs/job-runner.js';
import { modelVariables, restoreModel, restoreParams } from '../jobs/model-state.js';
import type { JobDescription } from '../study/job-plan.js';

/**
 * A job's run with its reported model restored — the selected checkpoint
 * (`best.bin`) when the job selects on validation, else its latest
 * checkpoint — ready to evaluate or embed with (no training).
 */
export async function restoreJob(
  dir: string,
  options: { heldOut?: string; log: Logger },
): Promise<{ run: ComposedRun; config: JobDescription['config'] }> {
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
  const variables = modelVariables(await run.get('backbone'), await run.losses());
  await restoreModel(checkpoint, variables, trainer.algorithm, state);
  const best = join(dir, BEST);
  if (existsSync(best)) {
    const selected = readCheckpoint(best);
    restoreParams(best, variables, selected.params);
    options.log.info(`restored the selected checkpoint (step ${selected.step}) of ${dir}`);
  } else {
    options.log.info(`restored the checkpoint at step ${state.step} of ${dir}`);
  }
  return { run, config };
}

/**
 * `metadg eval <job dir>`: re-evaluates a job's reported model on its
 * held-out domain(s) (optionally another domain), without training.
 */
export async function evaluateJob(dir: string, options: { heldOut?: string; log: Logger }): Promise<DomainEvaluation[]> {
  const { run, config } = await restoreJob(dir, options);
  return evaluateRun(run, config.protocol);
}
