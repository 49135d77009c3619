import type { ProgressSink } from '../ui/progress.js';
import { formatDuration } from '../ui/progress.js';
import type { JobDescription } from './job-plan.js';
import type { WorkerEvent } from './worker-events.js';

/**
 * Progress of a whole comparison: jobs finished / total with an ETA from the
 * mean job time so far, and each running job's step and loss. A TTY gets one
 * redrawn status line; logs get a line per finished job and a status line
 * every `everySeconds`.
 */
export class StudyProgress {
  private readonly started = Date.now();
  private finished = 0;
  private failed = 0;
  private lastLine = 0;
  private readonly running = new Map<string, { job: JobDescription; step: number; total: number; loss: number }>();

  constructor(
    private readonly total: number,
    private readonly alreadyDone: number,
    private readonly sink: ProgressSink,
    private readonly everySeconds = 15,
  ) {}

  event(job: JobDescription, event: WorkerEvent): void {
    if (event.type === 'progress') {
      this.running.set(job.key, { job, step: event.step, total: event.total, loss: event.loss });
      this.draw(false);
      return;
    }
    this.running.delete(job.key);
    if (event.type === 'done') this.finished++;
    else this.failed++;
    const what = event.type === 'done' ? 'done' : `FAILED: ${event.message}`;
    this.line(`[${this.alreadyDone + this.finished + this.failed}/${this.total}] ${label(job)} ${what}`);
    this.draw(true);
  }

  private draw(force: boolean): void {
    const elapsed = (Date.now() - this.started) / 1000;
    const completed = this.finished + this.failed;
    const remaining = this.total - this.alreadyDone - completed;
    const eta = completed > 0 ? (elapsed / completed) * remaining : Number.NaN;
    const jobs = [...this.running.values()]
      .map((r) => `${label(r.job)} ${r.step}/${Number.isFinite(r.total) ? r.total : '?'} loss ${r.loss.toFixed(3)}`)
      .join(' | ');
    const text = `jobs ${this.alreadyDone + completed}/${this.total} ETA ${formatDuration(eta)}${jobs ? ` — ${jobs}` : ''}`;
    if (this.sink.isTTY) {
      this.sink.write(`\r\x1b[2K${text.slice(0, (process.stderr.columns ?? 160) - 1)}`);
    } else if (force || Date.now() - this.lastLine >= this.everySeconds * 1000) {
      this.lastLine = Date.now();
      this.sink.write(`${text}\n`);
    }
  }

  private line(text: string): void {
    this.sink.write(this.sink.isTTY ? `\r\x1b[2K${text}\n` : `${text}\n`);
  }
}

function label(job: JobDescription): string {
  return `${job.algorithm}/${job.heldOut}/s${job.seed}`;
}
