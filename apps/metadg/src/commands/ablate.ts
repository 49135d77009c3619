import { resolve } from 'node:path';
import { ConfigError, type Logger } from '@metadg/core';
import { ablationReportExtras, summariseSpec } from '../ablation/report.js';
import { ABLATION_STUDIES, ablationConfig, isAblationStudy, type AblationOverrides, type AblationSpec } from '../ablation/studies.js';
import { writeStudyOutputs, type CompareOutput } from '../study/collect.js';
import { runStudyJobs, type FailedJob } from '../study/run-jobs.js';
import type { ProgressSink } from '../ui/progress.js';
import { loadCompareConfig, prepareStudy } from './compare.js';

/** Options of `ablate`. */
export interface AblateOptions extends AblationOverrides {
  /** The comparison config whose MFR run is varied (the CLI passes the demo's by default). */
  readonly config: string;
  /** Output root (default: the base config's `output`); the study goes to `<out>/ablate-<study>/`. */
  readonly out?: string;
  readonly log: Logger;
  readonly progress: ProgressSink;
}

/** What an ablation produced. */
export interface AblateResult {
  readonly spec: AblationSpec;
  readonly studyDir: string;
  readonly json: string;
  readonly html: string;
  readonly output: CompareOutput;
  readonly failed: readonly FailedJob[];
}

/**
 * `metadg ablate <study>`: one of the paper's ablations as a comparison of
 * generated MFR variants (see {@link ablationSpec}) on the base config's
 * benchmark — leave-one-domain-out, equal images seen, durable jobs — with
 * the study's table and plot at the top of the report.
 */
export async function ablate(study: string, options: AblateOptions): Promise<AblateResult> {
  if (!isAblationStudy(study)) throw new ConfigError('STUDY', `unknown study "${study}" (studies: ${ABLATION_STUDIES.join(', ')})`);
  const base = loadCompareConfig(options.config);
  const { spec, config } = ablationConfig(study, base, options);
  const studyDir = resolve(options.out ?? base.output, config.name);
  const prepared = await prepareStudy(config, options.config, studyDir);
  options.log.info(prepared.budget.rule);
  const failed = await runStudyJobs(`ablate "${study}"`, studyDir, prepared.jobs, {
    workers: options.workers ?? config.compare.workers,
    log: options.log,
    progress: options.progress,
  });
  const written = writeStudyOutputs(studyDir, config.name, config, prepared.jobs, prepared.budget, ablationReportExtras(summariseSpec(spec), prepared.jobs));
  return { spec, studyDir, json: written.json, html: written.html, output: written.output, failed };
}
