import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  lossHistoryFromSteps,
  renderComparisonHtml,
  summarise,
  type ComparisonSummary,
  type ReportSection,
  type RunResult,
} from '@metadg/eval';
import type { StudyBudget } from '../budget/study-budget.js';
import type { Budget } from '../config/app-config.js';
import { isJobDone, readJobResult, writeAtomic, type EvaluationPoint, type SelectionRecord } from '../jobs/job-runner.js';
import type { StudyJobResult } from './execute-job.js';
import type { JobDescription } from './job-plan.js';
import { budgetSection, convergenceSection, mainMetric, oracleSection } from './report-sections.js';

/** One finished job as listed in `compare.json`: budgets spent next to metrics, for fair reading. */
export interface JobSummary {
  readonly algorithm: string;
  readonly heldOut: string;
  readonly seed: number;
  readonly key: string;
  /** Sweep trial, when the job belongs to one. */
  readonly trial?: number;
  readonly steps: number;
  readonly images: number;
  /** Training seconds (evaluation excluded), to 0.1 s. */
  readonly seconds: number;
  readonly budget: Budget;
  /** Which checkpoint is reported (and its validation metric). */
  readonly selection: SelectionRecord;
  /** Held-out-domain metrics of the selected checkpoint. */
  readonly metrics: Readonly<Record<string, number>>;
  /**
   * The test-domain oracle's checkpoint and its metrics — the better of the
   * selected checkpoint and the best one on the held-out diagnostic: an upper
   * bound, not a valid model selection.
   */
  readonly oracle?: {
    readonly step: number;
    readonly images: number;
    /** The held-out diagnostic at that checkpoint. */
    readonly value: number;
    readonly metrics: Readonly<Record<string, number>>;
  };
  /** Evaluation points during training (validation and held-out diagnostic): the convergence data. */
  readonly evaluations: readonly EvaluationPoint[];
}

/** What `compare` writes for machines. */
export interface CompareOutput {
  readonly name: string;
  /** The common budget and its conversion per contender (absent when rebuilt from jobs alone). */
  readonly budget?: StudyBudget;
  /** Mean ± std of the selected models. */
  readonly summary: ComparisonSummary;
  /** The same tables for the test-domain oracle (upper bound, not a valid model selection). */
  readonly oracle?: ComparisonSummary;
  readonly jobs: readonly JobSummary[];
  readonly missing: readonly { algorithm: string; heldOut: string; seed: number; key: string }[];
  readonly config: unknown;
}

/** Finished jobs as report rows: the selected models, their oracle twins, and summaries. */
export interface CollectedRuns {
  readonly runs: RunResult[];
  readonly oracleRuns: RunResult[];
  readonly summaries: JobSummary[];
  readonly missing: JobDescription[];
}

/** Reads every finished job's result into report rows. */
export function collectRuns(jobs: readonly JobDescription[]): CollectedRuns {
  const runs: RunResult[] = [];
  const oracleRuns: RunResult[] = [];
  const summaries: JobSummary[] = [];
  const missing: JobDescription[] = [];
  for (const job of jobs) {
    const summary = isJobDone(job.dir) ? summariseJob(job, readJobResult<StudyJobResult['metrics']>(job.dir)) : undefined;
    if (!summary) {
      missing.push(job);
      continue;
    }
    const { result, evaluation, oracle } = summary;
    runs.push({
      algorithm: job.algorithm,
      heldOutDomain: job.heldOut,
      seed: job.seed,
      metrics: evaluation.metrics,
      ...(evaluation.roc ? { roc: evaluation.roc } : {}),
      lossHistory: lossHistoryFromSteps(result.history.map(chartedParts)),
    });
    if (oracle) oracleRuns.push({ algorithm: job.algorithm, heldOutDomain: job.heldOut, seed: job.seed, metrics: oracle.metrics });
    summaries.push(summary.summary);
  }
  return { runs, oracleRuns, summaries, missing };
}

/**
 * A finished job's summary, or `undefined` when it has no evaluation of its
 * held-out domain. Its oracle is the better, on the full held-out
 * evaluation's main metric, of two fully evaluated checkpoints: the selected
 * one and the one with the best held-out diagnostic — so it bounds from above
 * what checkpoint selection could have reported.
 */
export function summariseJob(job: JobDescription, result: StudyJobResult) {
  const evaluation = result.metrics.find((m) => m.domain === job.heldOut) ?? result.metrics[0];
  if (!evaluation) return undefined;
  const oracleEval = result.oracle ? (result.oracle.metrics.find((m) => m.domain === job.heldOut) ?? result.oracle.metrics[0]) : undefined;
  const metric = mainMetric(Object.keys(evaluation.metrics));
  let oracle: JobSummary['oracle'];
  if (result.oracle && oracleEval) {
    const selectedWins = metric !== undefined && (evaluation.metrics[metric] ?? -Infinity) > (oracleEval.metrics[metric] ?? -Infinity);
    const at = selectedWins ? result.selection : result.oracle;
    const value = result.evaluations.find((e) => e.step === at.step)?.heldOut ?? result.oracle.value;
    oracle = { step: at.step, images: at.images, value, metrics: selectedWins ? evaluation.metrics : oracleEval.metrics };
  }
  const summary: JobSummary = {
    algorithm: job.algorithm,
    heldOut: job.heldOut,
    seed: job.seed,
    key: job.key,
    ...(job.trial !== undefined ? { trial: job.trial } : {}),
    steps: result.steps,
    images: result.imagesSeen,
    seconds: Math.round(result.secondsSpent * 10) / 10,
    budget: result.budget,
    selection: result.selection,
    metrics: evaluation.metrics,
    ...(oracle ? { oracle } : {}),
    evaluations: result.evaluations,
  };
  return { result, evaluation, oracle, summary };
}

/** Extra content of a study report (sweeps and ablations add their own). */
export interface StudyReportExtras {
  readonly title?: string;
  readonly notes?: readonly string[];
  /** Sections placed before the results tables (an ablation's or a sweep's summary). */
  readonly sections?: readonly ReportSection[];
  /** The oracle's runs, when they are not the listed jobs' own oracle checkpoints (a sweep's oracle picks across trials). */
  readonly oracleRuns?: readonly RunResult[];
  /** Extra fields of `compare.json`. */
  readonly json?: Readonly<Record<string, unknown>>;
}

/**
 * Writes `compare.json` and the self-contained `report.html` of a study;
 * returns their paths. The report holds the selected models' tables, ROC
 * and loss charts, then budgets per job, the oracle upper bound (its own,
 * labelled table) and the convergence curves.
 */
export function writeStudyOutputs(
  studyDir: string,
  name: string,
  config: unknown,
  jobs: readonly JobDescription[],
  budget?: StudyBudget,
  extras: StudyReportExtras = {},
): { json: string; html: string; output: CompareOutput; runs: RunResult[] } {
  const collected = collectRuns(jobs);
  const { runs, summaries, missing } = collected;
  const oracleRuns = [...(extras.oracleRuns ?? collected.oracleRuns)];
  const output: CompareOutput = {
    name,
    ...(budget ? { budget } : {}),
    summary: summarise(runs),
    ...(oracleRuns.length > 0 ? { oracle: summarise(oracleRuns) } : {}),
    jobs: summaries,
    missing: missing.map((j) => ({ algorithm: j.algorithm, heldOut: j.heldOut, seed: j.seed, key: j.key })),
    config,
    ...extras.json,
  };
  const json = join(studyDir, 'compare.json');
  const html = join(studyDir, 'report.html');
  writeAtomic(json, `${JSON.stringify(output, null, 2)}\n`);
  const metric = mainMetric(output.summary.metrics);
  const selection = summaries[0]?.selection.method;
  writeFileSync(
    html,
    renderComparisonHtml({
      title: extras.title ?? `MetaDG comparison: ${name}`,
      notes: [
        'Leave-one-domain-out: each column is a domain none of the algorithms saw in training. Mean ± std over seeds; ' +
          'the same seeds give every algorithm the same initial weights and data stream.',
        budget?.rule ?? 'Steps, images and seconds of every job are in the "Budgets" section.',
        selection === 'training-domain'
          ? 'Model selection: training-domain validation (DomainBed) — each run reports the checkpoint with the best metric on ' +
            'held-back validation identities (or samples) of its source domains; the held-out domain plays no part in it.'
          : 'Model selection: none — each run reports its final checkpoint.',
        ...(extras.notes ?? []),
        ...(missing.length ? [`${missing.length} job(s) have not finished and are not in the tables.`] : []),
      ],
      runs,
      ...(extras.sections ? { leadSections: extras.sections } : {}),
      sections: [
        budgetSection(summaries, budget),
        ...(metric && oracleRuns.length > 0 ? [oracleSection(summarise(oracleRuns), metric)] : []),
        ...(metric ? convergenceSection(summaries, output.summary.algorithms, metric) : []),
      ],
      config,
    }),
  );
  return { json, html, output, runs };
}

/**
 * Loss curves show the total and the per-phase totals only: the dozen
 * sub-parts (and counts such as mined hard negatives) stay in result.json.
 */
function chartedParts(record: StudyJobResult['history'][number]): StudyJobResult['history'][number] {
  const parts = Object.fromEntries(Object.entries(record.parts).filter(([k]) => /^(metaTrain|metaTest|pooled)\/total$/.test(k)));
  return { ...record, parts };
}
