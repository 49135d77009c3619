import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  NumericalError,
  composeRun,
  type ComposeOptions,
  type ComposedRun,
  type Logger,
  type RunConfig,
  type StepMetrics,
} from '@metadg/core';
import type * as tf from '@tensorflow/tfjs-core';
import { budgetReached, estimateTotalSteps, isEvaluationPoint, NOTHING_SPENT, type Spent } from '../budget/budget.js';
import type { Budget } from '../config/app-config.js';
import { trainWithinBudget } from './budget-loop.js';
import { CheckpointError, readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { modelVariables, restoreModel, restoreParams, snapshotModel, storeTensors } from './model-state.js';

/** Per-step record kept in checkpoints and results (loss curves, budgets). */
export interface StepRecord {
  readonly step: number;
  readonly loss: number;
  readonly parts: Readonly<Record<string, number>>;
  /** Images seen up to and including this step. */
  readonly images: number;
}

/** One evaluation point during training (every K steps or budget fraction, and the last step). */
export interface EvaluationPoint {
  readonly step: number;
  readonly images: number;
  /** Training seconds spent up to this point. */
  readonly seconds: number;
  /** Validation metric on the source domains' selection split (when selecting). */
  readonly validation?: number;
  /** The held-out-domain diagnostic: it looks at the test domain, so it never selects the reported model. */
  readonly heldOut?: number;
}

/** The best evaluation point so far by one criterion, whose parameters are stored in a file. */
export interface BestPoint {
  readonly step: number;
  readonly images: number;
  readonly value: number;
}

/** What a job carries across restarts besides tensors. */
export interface JobProgressMeta {
  readonly history: StepRecord[];
  readonly imagesSeen: number;
  readonly secondsSpent: number;
  readonly evaluations?: EvaluationPoint[];
  /** The selected checkpoint so far (parameters in `best.bin`). */
  readonly best?: BestPoint;
  /** The test-domain oracle's checkpoint so far (parameters in `oracle.bin`). */
  readonly oracle?: BestPoint;
}

/** Which checkpoint a job reports, and why. */
export interface SelectionRecord {
  /** `training-domain`: best validation metric; `last`: the final checkpoint. */
  readonly method: 'training-domain' | 'last';
  readonly step: number;
  readonly images: number;
  /** The validation metric of the selected checkpoint (training-domain only). */
  readonly value?: number;
}

/** Everything a finished job reports. */
export interface JobResult<Metrics> {
  readonly label: string;
  readonly key: string;
  /** Outer steps, images and training seconds actually spent. */
  readonly steps: number;
  readonly imagesSeen: number;
  readonly secondsSpent: number;
  readonly budget: Budget;
  readonly history: readonly StepRecord[];
  readonly evaluations: readonly EvaluationPoint[];
  readonly selection: SelectionRecord;
  /** The evaluation of the selected checkpoint. */
  readonly metrics: Metrics;
  /** The test-domain oracle: the checkpoint with the best held-out diagnostic, fully evaluated (an upper bound, not a valid selection). */
  readonly oracle?: BestPoint & { readonly metrics: Metrics };
}

/** Scores a run at evaluation points during training. */
export interface JobMonitor {
  /** Evaluate every K outer steps; 0: at `points` evenly spaced fractions of the budget. */
  readonly every: number;
  readonly points: number;
  /** The selection metric on the validation split (higher is better); absent: the last checkpoint is reported. */
  validate?(run: ComposedRun): Promise<number>;
  /** The held-out-domain diagnostic (higher is better); absent: no convergence curve or oracle. */
  heldOut?(run: ComposedRun): Promise<number>;
}

/** One (algorithm, held-out domain, seed) training + evaluation job. */
export interface JobSpec<Metrics> {
  readonly label: string;
  /** Directory named by the config hash (see `jobKey`). */
  readonly dir: string;
  readonly key: string;
  readonly config: RunConfig;
  readonly budget: Budget;
  /** Write a checkpoint every K outer steps (0: only at the end of training). */
  readonly checkpointEvery: number;
  readonly monitor?: JobMonitor;
  /** Evaluates the run with the parameters currently loaded (held-out domain metrics). */
  evaluate(run: ComposedRun): Promise<Metrics>;
}

/** How the job's run is composed, and hooks for progress display and tests. */
export interface JobHooks {
  /** Registry, plugin search paths, training view … (`log` below is used for composing too). */
  readonly compose?: Omit<ComposeOptions, 'log'>;
  readonly log: Logger;
  /** After every step: steps done, the (estimated) total, the step's metrics. */
  onStep?(step: number, total: number, metrics: StepMetrics): void;
  /** Called after each checkpoint is safely on disk. */
  onCheckpoint?(step: number): void;
}

const CHECKPOINT = 'checkpoint.bin';
/** Parameters of the selected checkpoint (training-domain validation). */
export const BEST = 'best.bin';
/** Parameters of the test-domain oracle's checkpoint. */
export const ORACLE = 'oracle.bin';
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
 * checkpoint — the sampler is a pure function of (seed, step), the optimizer
 * state, the evaluation history and the best checkpoints so far are
 * restored, so under a steps or images budget the resumed run ends exactly as
 * an uninterrupted one would. A damaged checkpoint is reported and the job
 * restarts from step 0 rather than failing the sweep.
 *
 * Training runs until the budget is spent. At evaluation points the monitor
 * scores the validation split (an improvement is written to `best.bin`
 * before the checkpoint that records it) and the held-out diagnostic
 * (`oracle.bin`). The reported metrics are those of the selected checkpoint.
 */
export async function runJob<Metrics>(spec: JobSpec<Metrics>, hooks: JobHooks): Promise<JobResult<Metrics>> {
  mkdirSync(spec.dir, { recursive: true });
  if (isJobDone(spec.dir)) return readJobResult<Metrics>(spec.dir);
  writeAtomic(join(spec.dir, 'config.json'), JSON.stringify(spec.config, null, 2));

  const run = await composeRun(spec.config, { ...hooks.compose, log: hooks.log });
  const restart = async (err: CheckpointError): Promise<JobResult<Metrics>> => {
    hooks.log.warn(`${err.message}; restarting ${spec.label} from step 0`);
    for (const f of [CHECKPOINT, BEST, ORACLE]) rmSync(join(spec.dir, f), { force: true });
    // Parameters may be half-restored: compose afresh.
    await disposeRun(run);
    return runJob(spec, hooks);
  };
  const trainer = await run.trainer();
  const variables = modelVariables(await run.get('backbone'), await run.losses());
  const file = (name: string) => join(spec.dir, name);

  let meta: JobProgressMeta = { history: [], imagesSeen: 0, secondsSpent: 0 };
  let start: Spent = NOTHING_SPENT;
  if (existsSync(file(CHECKPOINT))) {
    try {
      const state = readCheckpoint<JobProgressMeta>(file(CHECKPOINT));
      await restoreModel(file(CHECKPOINT), variables, trainer.algorithm, state);
      meta = state.meta;
      start = { steps: state.step, images: meta.imagesSeen, seconds: meta.secondsSpent };
      const lastImages = (meta.history.at(-1)?.images ?? 0) - (meta.history.at(-2)?.images ?? 0);
      const total = estimateTotalSteps(spec.budget, start, lastImages);
      hooks.log.info(`${spec.label}: resuming from step ${state.step}/${Number.isFinite(total) ? total : '?'}`);
    } catch (err) {
      if (!(err instanceof CheckpointError)) throw err;
      return restart(err);
    }
  }

  const history = [...meta.history];
  const evaluations = [...(meta.evaluations ?? [])];
  let best = meta.best;
  let oracle = meta.oracle;
  const saveParams = async (name: string, point: BestPoint): Promise<void> => {
    const params = await storeTensors([...variables].map(([n, tensor]) => ({ name: n, tensor })));
    writeCheckpoint(file(name), { step: point.step, params, optimizer: [], meta: point });
  };
  const evaluateAt = async (spent: Spent): Promise<void> => {
    const monitor = spec.monitor as JobMonitor;
    const validation = monitor.validate ? finite(await monitor.validate(run), 'validation metric', spent.steps) : undefined;
    const heldOut = monitor.heldOut ? finite(await monitor.heldOut(run), 'held-out diagnostic', spent.steps) : undefined;
    evaluations.push({
      step: spent.steps,
      images: spent.images,
      seconds: spent.seconds,
      ...(validation !== undefined ? { validation } : {}),
      ...(heldOut !== undefined ? { heldOut } : {}),
    });
    // Strictly better only: ties keep the earlier checkpoint (the arg-max's first occurrence).
    if (validation !== undefined && (best === undefined || validation > best.value)) {
      best = { step: spent.steps, images: spent.images, value: validation };
      await saveParams(BEST, best);
    }
    if (heldOut !== undefined && (oracle === undefined || heldOut > oracle.value)) {
      oracle = { step: spent.steps, images: spent.images, value: heldOut };
      await saveParams(ORACLE, oracle);
    }
  };
  const checkpoint = async (spent: Spent): Promise<void> => {
    const snapshot = await snapshotModel(variables, trainer.algorithm);
    const progress: JobProgressMeta = {
      history,
      imagesSeen: spent.images,
      secondsSpent: spent.seconds,
      evaluations,
      ...(best ? { best } : {}),
      ...(oracle ? { oracle } : {}),
    };
    writeCheckpoint<JobProgressMeta>(file(CHECKPOINT), { step: spent.steps, ...snapshot, meta: progress });
    hooks.onCheckpoint?.(spent.steps);
  };

  const monitor = spec.monitor && (spec.monitor.validate || spec.monitor.heldOut) ? spec.monitor : undefined;
  const spent = await trainWithinBudget(trainer, {
    budget: spec.budget,
    start,
    logEvery: spec.config.train.logEvery,
    log: hooks.log,
    onStep: async (step, metrics, before, after) => {
      history.push({ step: step + 1, loss: metrics.loss, parts: metrics.parts, images: after.images });
      hooks.onStep?.(step + 1, estimateTotalSteps(spec.budget, after, metrics.images), metrics);
      const finished = budgetReached(spec.budget, after);
      if (monitor && isEvaluationPoint(spec.budget, before, after, monitor.every, monitor.points)) await evaluateAt(after);
      if (finished || (spec.checkpointEvery > 0 && after.steps % spec.checkpointEvery === 0)) await checkpoint(after);
    },
  });

  try {
    const selected = await evaluateSelected(spec, run, variables, file, spent, spec.monitor?.validate ? best : undefined);
    const oracleResult =
      spec.monitor?.heldOut && oracle
        ? { ...oracle, metrics: oracle.step === selected.selection.step ? selected.metrics : await evaluateStored(spec, run, variables, file(ORACLE), oracle) }
        : undefined;
    const result: JobResult<Metrics> = {
      label: spec.label,
      key: spec.key,
      steps: spent.steps,
      imagesSeen: spent.images,
      secondsSpent: spent.seconds,
      budget: spec.budget,
      history,
      evaluations,
      selection: selected.selection,
      metrics: selected.metrics,
      ...(oracleResult ? { oracle: oracleResult } : {}),
    };
    writeAtomic(file(RESULT), JSON.stringify(result));
    writeAtomic(file(DONE), new Date().toISOString());
    await disposeRun(run);
    return result;
  } catch (err) {
    if (err instanceof CheckpointError) return restart(err);
    await disposeRun(run);
    throw err;
  }
}

/**
 * Evaluates the reported checkpoint: the one `best.bin` holds when selecting
 * (its step must be the one the progress records name, else the file is
 * stale or damaged), or the parameters as training left them.
 */
async function evaluateSelected<Metrics>(
  spec: JobSpec<Metrics>,
  run: ComposedRun,
  variables: Map<string, tf.Variable>,
  file: (name: string) => string,
  spent: Spent,
  best: BestPoint | undefined,
): Promise<{ selection: SelectionRecord; metrics: Metrics }> {
  if (best === undefined) {
    return { selection: { method: 'last', step: spent.steps, images: spent.images }, metrics: await spec.evaluate(run) };
  }
  const selection: SelectionRecord = { method: 'training-domain', step: best.step, images: best.images, value: best.value };
  // The final parameters are still loaded when the last checkpoint is the best one.
  if (best.step === spent.steps) return { selection, metrics: await spec.evaluate(run) };
  return { selection, metrics: await evaluateStored(spec, run, variables, file(BEST), best) };
}

/** Loads the parameters stored for `point` and evaluates them. */
async function evaluateStored<Metrics>(
  spec: JobSpec<Metrics>,
  run: ComposedRun,
  variables: Map<string, tf.Variable>,
  path: string,
  point: BestPoint,
): Promise<Metrics> {
  const stored = readCheckpoint<BestPoint>(path);
  if (stored.step !== point.step) {
    throw new CheckpointError(path, `holds step ${stored.step}, the job's progress records step ${point.step}`);
  }
  restoreParams(path, variables, stored.params);
  return spec.evaluate(run);
}

function finite(value: number, what: string, step: number): number {
  if (!Number.isFinite(value)) throw new NumericalError(what, `${value} at step ${step}`);
  return value;
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
