import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JobDescription } from './job-plan.js';
import { decodeEvent, type WorkerEvent } from './worker-events.js';

/** How one job ended in its worker. */
export interface WorkerOutcome {
  readonly job: JobDescription;
  readonly ok: boolean;
  /** Last error line of a failed job. */
  readonly error?: string;
}

/** The built CLI next to this module (workers are `metadg job <dir>` processes). */
export function cliPath(): string {
  return fileURLToPath(new URL('./cli.js', import.meta.url));
}

/**
 * Runs jobs in up to `workers` child processes (the wasm backend is
 * single-threaded under Node, so one process per core is how both cores get
 * used). Each child writes its log to `<job dir>/log.txt` and progress events
 * on stdout. A failing job does not stop the others.
 */
export async function runInWorkers(
  jobs: readonly JobDescription[],
  workers: number,
  onEvent: (job: JobDescription, event: WorkerEvent) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<WorkerOutcome[]> {
  const outcomes: WorkerOutcome[] = [];
  let next = 0;
  // Workers die with the parent: an orphan would keep training a job whose
  // directory a rerun then shares with a second worker.
  const running = new Set<ChildProcess>();
  const stopAll = (): void => {
    for (const c of running) c.kill('SIGTERM');
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    stopAll();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('exit', stopAll);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const runOne = (job: JobDescription): Promise<WorkerOutcome> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [cliPath(), 'job', job.dir], { stdio: ['ignore', 'pipe', 'pipe'], env });
      running.add(child);
      const logFile = join(job.dir, 'log.txt');
      let lastError = '';
      let buffered = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          const event = decodeEvent(line);
          if (event) {
            if (event.type === 'failed') lastError = event.message;
            onEvent(job, event);
          } else if (line.trim()) appendFileSync(logFile, `${line}\n`);
        }
      });
      child.stderr.setEncoding('utf8');
      let lastStderr = '';
      child.stderr.on('data', (chunk: string) => {
        appendFileSync(logFile, chunk);
        // The last line is the error; the first is usually the backend banner.
        lastStderr = chunk.trim().split('\n').pop() || lastStderr;
      });
      child.on('close', (code, signal) => {
        running.delete(child);
        const ok = code === 0;
        const error = lastError || lastStderr || `worker exited with ${signal ?? `code ${code}`}`;
        resolve({ job, ok, ...(ok ? {} : { error }) });
      });
    });
  const lane = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++] as JobDescription;
      outcomes.push(await runOne(job));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(workers, jobs.length)) }, lane));
  } finally {
    process.off('exit', stopAll);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return outcomes;
}
