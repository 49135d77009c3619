import { resolve } from 'node:path';
import { ConfigError, composeRun, silentLogger, type Logger } from '@metadg/core';
import { builtinRegistry } from '../builtin-plugins.js';
import { sweepSchema, type SweepSettings } from '../config/app-config.js';
import type { CompareOutput } from '../study/collect.js';
import { runStudyJobs, type FailedJob } from '../study/run-jobs.js';
import { collectSweep, type SweepOutput } from '../sweep/collect-sweep.js';
import { planSweep } from '../sweep/plan-sweep.js';
import type { ProgressSink } from '../ui/progress.js';
import { loadCompareConfig, prepareStudy } from './compare.js';

/** Options of `sweep`. */
export interface SweepOptions {
  /** Output root (default: the config's `output`); the study goes to `<out>/<name>-sweep/`. */
  readonly out?: string;
  /** Overrides `compare.workers`. */
  readonly workers?: number;
  /** Overrides `sweep.trials`. */
  readonly trials?: number;
  readonly log: Logger;
  readonly progress: ProgressSink;
}

/** What a sweep produced. */
export interface SweepResult {
  readonly studyDir: string;
  /** `compare.json` and `report.html` of the selected runs, and `sweep.json` of every trial. */
  readonly json: string;
  readonly html: string;
  readonly sweepJson: string;
  readonly output: CompareOutput;
  readonly sweep: SweepOutput;
  readonly failed: readonly FailedJob[];
}

/** A comparison config's sweep settings (its `sweep` section, defaults otherwise), with `trials` overridden. */
export function sweepSettings(section: SweepSettings | undefined, trials?: number): SweepSettings {
  const settings = section ?? sweepSchema.parse({});
  if (trials !== undefined && !(Number.isInteger(trials) && trials > 0)) throw new ConfigError('--trials', `must be a positive integer, got ${trials}`);
  return trials === undefined ? settings : { ...settings, trials };
}

/**
 * `metadg sweep`: a random hyper-parameter search (DomainBed) through the
 * durable job machinery — contender × trial × held-out domain × seed at the
 * comparison's common budget (finished jobs skipped, unfinished resumed,
 * worker processes) — then a trial is selected per (contender, held-out
 * domain, seed) by training-domain validation (default) or
 * leave-one-domain-out validation, and mean ± std tables are written.
 */
export async function sweep(configFile: string, options: SweepOptions): Promise<SweepResult> {
  const config = loadCompareConfig(configFile);
  const settings = sweepSettings(config.sweep, options.trials);
  const studyDir = resolve(options.out ?? config.output, `${config.name}-sweep`);
  const study = await prepareStudy(config, configFile, studyDir);
  options.log.info(study.budget.rule);
  const registry = builtinRegistry();
  const plan = planSweep(config, study.dataset, studyDir, study.searchFrom, study.budget.budget, settings, registry);
  // A drawn value a plugin rejects fails now, naming the trial, not in the middle of the sweep.
  const checked = new Set<string>();
  for (const job of plan.main) {
    const id = `${job.algorithm}/${job.trial}`;
    if (checked.has(id)) continue;
    checked.add(id);
    try {
      await composeRun(job.config, { registry: builtinRegistry(), searchFrom: study.searchFrom, log: silentLogger });
    } catch (err) {
      throw new ConfigError(`sweep (contender "${job.algorithm}", trial ${job.trial})`, (err as Error).message, configFile);
    }
  }
  const failed = await runStudyJobs(`sweep "${config.name}"`, studyDir, [...plan.main, ...plan.validation], {
    workers: options.workers ?? config.compare.workers,
    log: options.log,
    progress: options.progress,
  });
  const collected = collectSweep(studyDir, config.name, config, plan, settings, study.budget);
  return { studyDir, ...collected, failed };
}
