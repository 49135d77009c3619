import { availableParallelism } from 'node:os';
import type { Logger } from '@metadg/core';
import { isJobDone } from '../jobs/job-runner.js';
import type { ProgressSink } from '../ui/progress.js';
import { executeJob, writeJobDescription } from './execute-job.js';
import type { JobDescription } from './job-plan.js';
import { StudyProgress } from './study-progress.js';
import { runInWorkers } from './worker-pool.js';

/** A job that ended with an error (the others went on). */
export interface FailedJob {
  readonly job: JobDescription;
  readonly error: string;
}

/**
 * Runs every unfinished job of a study — in `workers` child processes, or in
 * this process when `workers` is 0 — with a study-wide progress line.
 * Finished jobs are skipped, unfinished ones resume from their checkpoints;
 * a failing job is reported, not fatal to the others.
 */
export async function runStudyJobs(
  what: string,
  studyDir: string,
  jobs: readonly JobDescription[],
  options: { readonly workers: number; readonly log: Logger; readonly progress: ProgressSink },
): Promise<FailedJob[]> {
  for (const job of jobs) writeJobDescription(job);
  const pending = jobs.filter((j) => !isJobDone(j.dir));
  options.log.info(`${what}: ${jobs.length} jobs (${jobs.length - pending.length} already done) → ${studyDir}`);
  const crowded = oversubscription(options.workers, pending.map((j) => j.config.threads), availableParallelism());
  if (crowded !== undefined) options.log.warn(`${what}: ${crowded}`);
  const progress = new StudyProgress(jobs.length, jobs.length - pending.length, options.progress);
  const failed: FailedJob[] = [];
  if (options.workers > 0) {
    for (const outcome of await runInWorkers(pending, options.workers, (job, event) => progress.event(job, event))) {
      if (!outcome.ok) failed.push({ job: outcome.job, error: outcome.error ?? 'failed' });
    }
    return failed;
  }
  for (const job of pending) {
    try {
      await executeJob(job, options.log, (step, total, m) => progress.event(job, { type: 'progress', step, total, loss: m.loss }));
      progress.event(job, { type: 'done' });
    } catch (err) {
      const error = `${(err as Error).name}: ${(err as Error).message}`;
      failed.push({ job, error });
      progress.event(job, { type: 'failed', message: error });
    }
  }
  return failed;
}

/**
 * A warning when the jobs that run at once (`workers`, or one in this
 * process) times their threads exceed the cores; undefined otherwise.
 */
export function oversubscription(workers: number, threadsPerJob: readonly number[], cores: number): string | undefined {
  if (threadsPerJob.length === 0) return undefined;
  const atOnce = Math.max(1, Math.min(workers, threadsPerJob.length));
  const threads = Math.max(...threadsPerJob);
  if (threads <= 1 || atOnce * threads <= cores) return undefined;
  return `${atOnce} job(s) at a time × ${threads} threads each on ${cores} cores: the threads compete for the cores (lower compare.workers or threads)`;
}
