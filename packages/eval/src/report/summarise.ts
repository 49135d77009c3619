import { EvaluationError } from '../errors.js';
import { describeValue } from '../internal/validate.js';
import { mean, standardDeviation } from '../stats.js';
import type { RunResult } from './comparison-types.js';

/** Mean ± sample std of one metric over seeds. */
export interface SummaryStat {
  readonly mean: number;
  /** Sample standard deviation over seeds (ddof = 1); 0 with a single seed. */
  readonly std: number;
  /** Number of seeds aggregated. */
  readonly n: number;
  /** The seeds aggregated, ascending. */
  readonly seeds: number[];
}

/** One metric of one algorithm on one held-out domain, over seeds. */
export interface SummaryCell extends SummaryStat {
  readonly algorithm: string;
  readonly heldOutDomain: string;
  readonly metric: string;
}

/** One metric of one algorithm averaged over all held-out domains, over seeds. */
export interface SummaryAverage extends SummaryStat {
  readonly algorithm: string;
  readonly metric: string;
}

/** Mean ± std tables of a comparison, plain JSON (what `compare` writes for machines). */
export interface ComparisonSummary {
  /** In order of first appearance in the runs. */
  readonly algorithms: string[];
  readonly heldOutDomains: string[];
  readonly metrics: string[];
  /** Per algorithm × held-out domain × metric, over the seeds that have it. */
  readonly cells: SummaryCell[];
  /**
   * Per algorithm × metric: for each seed with that metric on every held-out
   * domain, the mean over domains; then mean ± std of those over seeds
   * (DomainBed's convention). Absent when no seed covers every domain.
   */
  readonly averages: SummaryAverage[];
}

/**
 * Aggregates runs into mean ± std per held-out domain and averaged over
 * domains (see {@link ComparisonSummary}).
 *
 * @throws EvaluationError naming the run at fault: empty names, a
 *   non-integer seed, a non-finite metric, or two runs with the same
 *   algorithm, held-out domain and seed.
 */
export function summarise(runs: readonly RunResult[]): ComparisonSummary {
  checkRuns(runs);
  const algorithms = unique(runs.map((r) => r.algorithm));
  const heldOutDomains = unique(runs.map((r) => r.heldOutDomain));
  const metrics = unique(runs.flatMap((r) => Object.keys(r.metrics)));
  const cells: SummaryCell[] = [];
  const averages: SummaryAverage[] = [];
  for (const algorithm of algorithms) {
    const own = runs.filter((r) => r.algorithm === algorithm);
    for (const metric of metrics) {
      for (const heldOutDomain of heldOutDomains) {
        const values = new Map(own.filter((r) => r.heldOutDomain === heldOutDomain && metric in r.metrics).map((r) => [r.seed, r.metrics[metric] as number]));
        if (values.size > 0) cells.push({ algorithm, heldOutDomain, metric, ...stat(values) });
      }
      const perSeed = new Map<number, number>();
      for (const seed of unique(own.map((r) => r.seed))) {
        const onDomains = heldOutDomains.map((d) => own.find((r) => r.seed === seed && r.heldOutDomain === d)?.metrics[metric]);
        if (onDomains.every((v) => v !== undefined)) perSeed.set(seed, mean(onDomains as number[]));
      }
      if (perSeed.size > 0) averages.push({ algorithm, metric, ...stat(perSeed) });
    }
  }
  return { algorithms, heldOutDomains, metrics, cells, averages };
}

function stat(bySeed: Map<number, number>): SummaryStat {
  const seeds = [...bySeed.keys()].sort((a, b) => a - b);
  const values = seeds.map((s) => bySeed.get(s) as number);
  return { mean: mean(values), std: standardDeviation(values, 1), n: values.length, seeds };
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function checkRuns(runs: readonly RunResult[]): void {
  if (!Array.isArray(runs)) throw new EvaluationError('EVAL_INPUT_INVALID', 'runs', `expected an array of runs, got ${describeValue(runs)}`);
  const seen = new Map<string, number>();
  runs.forEach((run, i) => {
    for (const key of ['algorithm', 'heldOutDomain'] as const) {
      if (typeof run[key] !== 'string' || run[key] === '') {
        throw new EvaluationError('EVAL_INPUT_INVALID', `runs[${i}].${key}`, `expected a non-empty string, got ${describeValue(run[key])}`);
      }
    }
    if (typeof run.seed !== 'number' || !Number.isInteger(run.seed)) {
      throw new EvaluationError('EVAL_INPUT_INVALID', `runs[${i}].seed`, `expected an integer, got ${describeValue(run.seed)}`);
    }
    if (typeof run.metrics !== 'object' || run.metrics === null) {
      throw new EvaluationError('EVAL_INPUT_INVALID', `runs[${i}].metrics`, `expected an object of numbers, got ${describeValue(run.metrics)}`);
    }
    for (const [key, value] of Object.entries(run.metrics)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new EvaluationError('EVAL_INPUT_INVALID', `runs[${i}].metrics.${key}`, `not a finite number (got ${describeValue(value)})`);
      }
    }
    const id = JSON.stringify([run.algorithm, run.heldOutDomain, run.seed]);
    const first = seen.get(id);
    if (first !== undefined) {
      throw new EvaluationError(
        'EVAL_INPUT_INVALID',
        `runs[${i}]`,
        `same algorithm "${run.algorithm}", held-out domain "${run.heldOutDomain}" and seed ${run.seed} as runs[${first}]`,
      );
    }
    seen.set(id, i);
  });
}
