import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lossHistoryFromSteps, renderComparisonHtml, summarise, type ComparisonSummary, type RunResult } from '@metadg/eval';
import { isJobDone, readJobResult, writeAtomic } from '../jobs/job-runner.js';
import type { StudyJobResult } from './execute-job.js';
import type { JobDescription } from './job-plan.js';

/** One finished job as listed in `compare.json` (budgets next to metrics, for fair reading). */
export interface JobSummary {
  readonly algorithm: string;
  readonly heldOut: string;
  readonly seed: number;
  readonly key: string;
  readonly steps: number;
  readonly images: number;
  readonly seconds: number;
  readonly metrics: Readonly<Record<string, number>>;
}

/** What `compare` writes for machines. */
export interface CompareOutput {
  readonly name: string;
  readonly summary: ComparisonSummary;
  readonly jobs: readonly JobSummary[];
  readonly missing: readonly { algorithm: string; heldOut: string; seed: number; key: string }[];
  readonly config: unknown;
}

/** Reads every finished job's result into report rows. */
export function collectRuns(jobs: readonly JobDescription[]): { runs: RunResult[]; summaries: JobSummary[]; missing: JobDescription[] } {
  const runs: RunResult[] = [];
  const summaries: JobSummary[] = [];
  const missing: JobDescription[] = [];
  for (const job of jobs) {
    if (!isJobDone(job.dir)) {
      missing.push(job);
      continue;
    }
    const result = readJobResult<StudyJobResult['metrics']>(job.dir);
    const evaluation = result.metrics.find((m) => m.domain === job.heldOut) ?? result.metrics[0];
    if (!evaluation) {
      missing.push(job);
      continue;
    }
    runs.push({
      algorithm: job.algorithm,
      heldOutDomain: job.heldOut,
      seed: job.seed,
      metrics: evaluation.metrics,
      ...(evaluation.roc ? { roc: evaluation.roc } : {}),
      lossHistory: lossHistoryFromSteps(result.history.map(chartedParts)),
    });
    summaries.push({
      algorithm: job.algorithm,
      heldOut: job.heldOut,
      seed: job.seed,
      key: job.key,
      steps: result.steps,
      images: result.imagesSeen,
      seconds: Math.round(result.secondsSpent * 10) / 10,
      metrics: evaluation.metrics,
    });
  }
  return { runs, summaries, missing };
}

/** Writes `compare.json` and the self-contained `report.html` of a study; returns their paths. */
export function writeStudyOutputs(
  studyDir: string,
  name: string,
  config: unknown,
  jobs: readonly JobDescription[],
): { json: string; html: string; output: CompareOutput; runs: RunResult[] } {
  const { runs, summaries, missing } = collectRuns(jobs);
  const output: CompareOutput = {
    name,
    summary: summarise(runs),
    jobs: summaries,
    missing: missing.map((j) => ({ algorithm: j.algorithm, heldOut: j.heldOut, seed: j.seed, key: j.key })),
    config,
  };
  const json = join(studyDir, 'compare.json');
  const html = join(studyDir, 'report.html');
  writeAtomic(json, `${JSON.stringify(output, null, 2)}\n`);
  const budget = summaries.length
    ? `Budget per job: ${Math.min(...summaries.map((s) => s.steps))}–${Math.max(...summaries.map((s) => s.steps))} outer steps; ` +
      `images seen and seconds per job are listed in compare.json.`
    : 'No job has finished yet.';
  writeFileSync(
    html,
    renderComparisonHtml({
      title: `MetaDG comparison: ${name}`,
      notes: [
        'Leave-one-domain-out: each column is a domain none of the algorithms saw in training. Mean ± std over seeds; ' +
          'the same seeds give every algorithm the same initial weights and data stream.',
        budget,
        ...(missing.length ? [`${missing.length} job(s) have not finished and are not in the tables.`] : []),
      ],
      runs,
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
