import { join } from 'node:path';
import { mean, summarise, type ComparisonSummary, type ReportSection, type RunResult } from '@metadg/eval';
import type { StudyBudget } from '../budget/study-budget.js';
import type { SweepSettings } from '../config/app-config.js';
import { isJobDone, readJobResult, writeAtomic } from '../jobs/job-runner.js';
import { collectRuns, writeStudyOutputs, type CompareOutput, type JobSummary } from '../study/collect.js';
import type { StudyJobResult } from '../study/execute-job.js';
import type { JobDescription } from '../study/job-plan.js';
import { mainMetric } from '../study/report-sections.js';
import { drawnValues } from './draw-hparams.js';
import type { SweepPlan } from './plan-sweep.js';

/** The trial picked for one (contender, held-out domain, seed), and the score that picked it. */
export interface TrialChoice {
  readonly algorithm: string;
  readonly heldOut: string;
  readonly seed: number;
  readonly trial: number;
  readonly score: number;
  /** The chosen job's key (its directory under `jobs/`). */
  readonly key: string;
}

/** One trial of one contender: what it drew and how it scored on the selection criterion. */
export interface TrialRecord {
  readonly algorithm: string;
  readonly trial: number;
  /** The drawn hyper-parameters (`component.name` → value); empty for trial 0. */
  readonly hparams: Readonly<Record<string, unknown>>;
  /** Mean selection score over its finished (held-out domain, seed) jobs; absent when none finished. */
  readonly score?: number;
  readonly finished: number;
  readonly jobs: number;
}

/** What `sweep` writes to `sweep.json`. */
export interface SweepOutput {
  readonly name: string;
  readonly trials: number;
  readonly selection: SweepSettings['selection'];
  readonly components: SweepSettings['components'];
  readonly metric: string | undefined;
  /** Mean ± std of the selected trials' reported models. */
  readonly selected: ComparisonSummary;
  /** The test-domain oracle across trials and checkpoints: the best held-out evaluation (upper bound, not a valid model selection). */
  readonly oracle?: ComparisonSummary;
  readonly choices: readonly TrialChoice[];
  readonly oracleChoices: readonly TrialChoice[];
  readonly trialTable: readonly TrialRecord[];
}

/**
 * For every (contender, held-out domain, seed), the trial with the highest
 * score (DomainBed selects per trial seed, then averages over seeds); ties
 * go to the lower trial. Jobs without a score are not candidates.
 */
export function selectTrials(summaries: readonly JobSummary[], score: (s: JobSummary) => number | undefined): TrialChoice[] {
  const best = new Map<string, TrialChoice>();
  for (const s of summaries) {
    const value = score(s);
    if (value === undefined || s.trial === undefined) continue;
    const group = JSON.stringify([s.algorithm, s.heldOut, s.seed]);
    const current = best.get(group);
    if (!current || value > current.score || (value === current.score && s.trial < current.trial)) {
      best.set(group, { algorithm: s.algorithm, heldOut: s.heldOut, seed: s.seed, trial: s.trial, score: value, key: s.key });
    }
  }
  return [...best.values()];
}

/** Identifies the main job a leave-one-domain-out validation job shadows. */
function shadowOf(job: Pick<JobDescription, 'algorithm' | 'heldOut' | 'seed' | 'trial'>): string {
  return JSON.stringify([job.algorithm, job.trial, job.heldOut, job.seed]);
}

/**
 * Leave-one-domain-out scores: per main job, the mean of its validation
 * runs' main metric on the domain each also held out — only when all of
 * them have finished.
 */
export function leaveOneDomainOutScores(validation: readonly JobDescription[], metric: string): Map<string, number> {
  const byShadow = new Map<string, (number | undefined)[]>();
  for (const job of validation) {
    let value: number | undefined;
    if (isJobDone(job.dir)) {
      const result = readJobResult<StudyJobResult['metrics']>(job.dir);
      value = result.metrics.find((m) => m.domain === job.validationDomain)?.metrics[metric];
    }
    byShadow.set(shadowOf(job), [...(byShadow.get(shadowOf(job)) ?? []), value]);
  }
  const scores = new Map<string, number>();
  for (const [key, values] of byShadow) {
    if (values.every((v): v is number => v !== undefined)) scores.set(key, mean(values as number[]));
  }
  return scores;
}

/**
 * Collects a sweep: selects a trial per (contender, held-out domain, seed)
 * by the configured method, writes `compare.json` and `report.html` for the
 * selected runs (with the oracle across trials as its labelled upper
 * bound) and `sweep.json` with every trial's draws and scores.
 */
export function collectSweep(
  studyDir: string,
  name: string,
  config: unknown,
  plan: SweepPlan,
  settings: SweepSettings,
  budget: StudyBudget | undefined,
): { json: string; html: string; sweepJson: string; output: CompareOutput; sweep: SweepOutput } {
  const { summaries, runs } = collectRuns(plan.main);
  const metric = mainMetric(Object.keys(summaries[0]?.metrics ?? {}));
  const lodo = metric === undefined ? new Map<string, number>() : leaveOneDomainOutScores(plan.validation, metric);
  const score = (s: JobSummary): number | undefined =>
    settings.selection === 'training-domain' ? s.selection.value : lodo.get(shadowOf({ ...s, trial: s.trial }));
  const choices = selectTrials(summaries, score);
  const chosenKeys = new Set(choices.map((c) => c.key));
  // The oracle picks, across trials, the best full held-out evaluation (never below the selected trial's).
  const oracleChoices = metric === undefined ? [] : selectTrials(summaries, (s) => s.oracle?.metrics[metric]);
  const oracleKeys = new Set(oracleChoices.map((c) => c.key));
  const oracleRuns: RunResult[] = summaries
    .filter((s) => oracleKeys.has(s.key) && s.oracle)
    .map((s) => ({ algorithm: s.algorithm, heldOutDomain: s.heldOut, seed: s.seed, metrics: s.oracle?.metrics ?? {} }));
  const trialTable = trialRecords(plan.main, summaries, score);
  const selectedRuns = runs.filter((_, i) => chosenKeys.has((summaries[i] as JobSummary).key));
  const sweep: SweepOutput = {
    name,
    trials: settings.trials,
    selection: settings.selection,
    components: settings.components,
    metric,
    selected: summarise(selectedRuns),
    ...(oracleRuns.length > 0 ? { oracle: summarise(oracleRuns) } : {}),
    choices,
    oracleChoices,
    trialTable,
  };
  const sweepJson = join(studyDir, 'sweep.json');
  writeAtomic(sweepJson, `${JSON.stringify(sweep, null, 2)}\n`);
  const written = writeStudyOutputs(studyDir, name, config, plan.main.filter((j) => chosenKeys.has(j.key)), budget, {
    title: `MetaDG hyper-parameter sweep: ${name}`,
    notes: [
      `Random search: ${settings.trials} trial(s) per contender × held-out domain × seed (trial 0: the configured values; ` +
        `trial t ≥ 1: every unpinned hyper-parameter of ${settings.components.join(', ')} drawn from its plugin's search range, ` +
        'seeded by (algorithm, dataset, trial)). The tables show, per held-out domain and seed, the trial selected by ' +
        (settings.selection === 'training-domain'
          ? 'training-domain validation (its best checkpoint\'s validation metric on the source domains).'
          : 'leave-one-domain-out validation (mean metric of runs that also held out each other domain); every run reports its last checkpoint.'),
    ],
    sections: [searchSection(trialTable, choices, settings)],
    oracleRuns,
  });
  return { json: written.json, html: written.html, sweepJson, output: written.output, sweep };
}

function trialRecords(main: readonly JobDescription[], summaries: readonly JobSummary[], score: (s: JobSummary) => number | undefined): TrialRecord[] {
  const records: TrialRecord[] = [];
  const seen = new Set<string>();
  for (const job of main) {
    const id = JSON.stringify([job.algorithm, job.trial]);
    if (seen.has(id)) continue;
    seen.add(id);
    const twin = main.find((j) => j.algorithm === job.algorithm && j.trial === 0 && j.heldOut === job.heldOut && j.seed === job.seed);
    const own = main.filter((j) => j.algorithm === job.algorithm && j.trial === job.trial);
    const scores = summaries
      .filter((s) => s.algorithm === job.algorithm && s.trial === job.trial)
      .map(score)
      .filter((v): v is number => v !== undefined);
    records.push({
      algorithm: job.algorithm,
      trial: job.trial ?? 0,
      hparams: twin ? drawnValues(twin.config, job.config) : {},
      ...(scores.length > 0 ? { score: mean(scores) } : {}),
      finished: scores.length,
      jobs: own.length,
    });
  }
  return records;
}

function searchSection(trials: readonly TrialRecord[], choices: readonly TrialChoice[], settings: SweepSettings): ReportSection {
  const picked = (a: string, t: number) => choices.filter((c) => c.algorithm === a && c.trial === t).length;
  return {
    title: 'Hyper-parameter search',
    paragraphs: [
      `Selection score: ${settings.selection === 'training-domain' ? 'validation metric on held-back data of the source domains' : 'leave-one-domain-out validation metric'}, ` +
        'mean over held-out domains and seeds. "chosen" counts the (held-out domain, seed) cells that selected the trial.',
    ],
    tables: [
      {
        columns: ['Algorithm', 'trial', 'drawn hyper-parameters', 'selection score', 'finished jobs', 'chosen'],
        rows: trials.map((t) => [
          t.algorithm,
          t.trial,
          t.trial === 0 ? '(as configured)' : Object.entries(t.hparams).map(([k, v]) => `${k} = ${formatValue(v)}`).join(', ') || '(nothing to draw)',
          t.score === undefined ? '—' : t.score.toFixed(4),
          `${t.finished}/${t.jobs}`,
          picked(t.algorithm, t.trial),
        ]),
      },
    ],
  };
}

function formatValue(v: unknown): string {
  return typeof v === 'number' ? Number(v.toPrecision(3)).toString() : JSON.stringify(v);
}
