import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  composeRun,
  type ComposeOptions,
  type ComposedRun,
  type Logger,
  type RunConfig,
  type StepMetrics,
} from '@metadg/core';
import { CheckpointError, readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { modelVariables, restoreModel, snapshotModel } from './model-state.js';

/** Per-step record kept in checkpoints and results (loss curves, budgets). */
export interface StepRecord {
  readonly step: number;
  readonly loss: number;
  readonly parts: Readonly<Record<string, number>>;
  readonly images: number;
}

/** What a job carries across restarts besides tensors. */
export interface JobProgressMeta {
  readonly history: StepRecord[];
  readonly imagesSeen: number;
  readonly secondsSpent: number;
}

/** Everything a finished job reports. */
export interface JobResult<Metrics> {
  readonly label: string;
  readonly key: string;
  readonly steps: number;
  readonly imagesSeen: number;
  readonly secondsSpent: number;
  readonly history: readonly StepRecord[];
  readonly metrics: Metrics;
}

/** One (algorithm, held-out domain, seed) training + evaluation job. */
export interface JobSpec<Metrics> {
  readonly label: string;
  /** Directory named by the config hash (see `jobKey`). */
  readonly dir: string;
  readonly key: string;
  readonly config: RunConfig;
  /** Write a checkpoint every K outer steps (0: only at the end of training). */
  readonly checkpointEvery: number;
  /** Evaluates the trained run (held-out domain metrics). */
  evaluate(run: ComposedRun): Promise<Metrics>;
}

/** How the job's run is composed, and hooks for progress display and tests. */
export interface JobHooks {
  /** Registry, plugin search paths, training view … (`log` below is used for composing too). */
  readonly compose?: Omit<ComposeOptions, 'log'>;
  readonly log: Logger;
  onStep?(step: number, total: number, metrics: StepMetrics): void;
  /** Called after each checkpoint is safely on disk. */
  onCheckpoint?(step: number): void;
}

const CHECKPOINT = 'checkpoint.bin';
const RESULT = 'result.json';
const DONE = 'done';

/** Whether the job in `dir` has finished (its `done` marker exists). */
export function isJobDone(dir: string): boolean {
  return existsSync(join(dir, DONE));
}

/** Reads a finished job's result. */
export function readJobResult<Metrics>(dir: string): JobResult<Metrics> {
  return JSON.parse(readFileSync(join(dir, RESULT), 'utf8')) as JobResult<Metrics>;
}

/**
 * Runs one job durably (DomainBed style): a finished job (its `done` marker
 * exists) is returned from disk; an unfinished one resumes from its last
 * checkpoint — the sampler is a pure function of (seed, step) and the
 * optimizer state is restored, so the resumed run continues exactly as an
 * uninterrupted one would. A damaged checkpoint is reported and the job
 * restarts from step 0 rather than failing the sweep.
 */
export async function runJob<Metrics>(spec: JobSpec<Metrics>, hooks: JobHooks): Promise<JobResult<Metrics>> {
  mkdirSync(spec.dir, { recursive: true });
  if (isJobDone(spec.dir)) return readJobResult<Metrics>(spec.dir);
  writeAtomic(join(spec.dir, 'config.json'), JSON.stringify(spec.config, null, 2));

  const run = await composeRun(spec.config, { ...hooks.compose, log: hooks.log });
  const trainer = await run.trainer();
  const variables = modelVariables(await run.get('backbone'), await run.losses());
  const total = spec.config.train.steps;
  const checkpointFile = join(spec.dir, CHECKPOINT);

  let from = 0;
  let meta: JobProgressMeta = { history: [], imagesSeen: 0, secondsSpent: 0 };
  if (existsSync(checkpointFile)) {
    try {
      const state = readCheckpoint<JobProgressMeta>(checkpointFile);
      await restoreModel(checkpointFile, variables, trainer.algorithm, state);
      from = state.step;
      meta = state.meta;
      hooks.log.info(`${spec.label}: resuming from step ${from}/${total}`);
    } catch (err) {
      if (!(err instanceof CheckpointError)) throw err;
      hooks.log.warn(`${err.message}; restarting ${spec.label} from step 0`);
      rmSync(checkpointFile, { force: true });
      // Parameters may be half-restored: compose afresh.
      await disposeRun(run);
      return runJob(spec, hooks);
    }
  }

  const history = [...meta.history];
  let imagesSeen = meta.imagesSeen;
  let secondsBase = meta.secondsSpent;
  let started = Date.now();
  const checkpoint = async (step: number): Promise<void> => {
    const snapshot = await snapshotModel(variables, trainer.algorithm);
    const secondsSpent = secondsBase + (Date.now() - started) / 1000;
    writeCheckpoint<JobProgressMeta>(checkpointFile, { step, ...snapshot, meta: { history, imagesSeen, secondsSpent } });
    secondsBase = secondsSpent;
    started = Date.now();
    hooks.onCheckpoint?.(step);
  };

  await trainer.train({
    from,
    to: total,
    onStep: async (step, metrics) => {
      imagesSeen += metrics.images;
      history.push({ step: step + 1, loss: metrics.loss, parts: metrics.parts, images: imagesSeen });
      hooks.onStep?.(step + 1, total, metrics);
      if (spec.checkpointEvery > 0 && (step + 1) % spec.checkpointEvery === 0 && step + 1 < total) {
        await checkpoint(step + 1);
      }
    },
  });
  if (from < total) await checkpoint(total);

  const metrics = await spec.evaluate(run).finally(() => disposeRun(run));
  const result: JobResult<Metrics> = {
    label: spec.label,
    key: spec.key,
    steps: total,
    imagesSeen,
    secondsSpent: secondsBase + (Date.now() - started) / 1000,
    history,
    metrics,
  };
  writeAtomic(join(spec.dir, RESULT), JSON.stringify(result));
  writeAtomic(join(spec.dir, DONE), new Date().toISOString());
  return result;
}

/** Writes a small file via temp + rename, so readers never see half of it. */
export function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** Releases the run's model, loss and optimizer tensors (jobs may share a process). */
async function disposeRun(run: ComposedRun): Promise<void> {
  const trainer = await run.trainer();
  trainer.algorithm.dispose();
  for (const loss of await run.losses()) loss.dispose();
  (await run.get('backbone')).dispose();
}
