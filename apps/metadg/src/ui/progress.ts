/** Formats seconds as `1h02m`, `3m05s` or `12s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** Where progress goes: a TTY gets a redrawn bar, anything else periodic lines. */
export interface ProgressSink {
  readonly isTTY: boolean;
  write(text: string): void;
}

/** One progress update. */
export interface ProgressUpdate {
  readonly done: number;
  /** A new estimate of the total (images or seconds budgets learn it while training). */
  readonly total?: number;
  readonly parts?: Readonly<Record<string, number>>;
  readonly loss?: number;
}

/**
 * Progress of one long task: step counter, loss parts and an ETA from the
 * mean time per step so far. On a TTY it redraws one line (a bar); otherwise
 * it prints a plain line every `everySeconds` (and at the end), so CI logs
 * and files stay readable.
 */
export class Progress {
  private readonly started = Date.now();
  private lastLine = 0;
  private startDone: number | undefined;

  constructor(
    private readonly label: string,
    private total: number,
    private readonly sink: ProgressSink = { isTTY: Boolean(process.stderr.isTTY), write: (t) => process.stderr.write(t) },
    private readonly everySeconds = 10,
    private readonly now: () => number = Date.now,
  ) {}

  update(u: ProgressUpdate): void {
    if (u.total !== undefined && Number.isFinite(u.total)) this.total = u.total;
    this.startDone ??= u.done - 1;
    const elapsed = (this.now() - this.started) / 1000;
    const rate = (u.done - this.startDone) / Math.max(elapsed, 1e-9);
    const eta = rate > 0 ? (this.total - u.done) / rate : Number.NaN;
    const parts = Object.entries(u.parts ?? {})
      .map(([k, v]) => `${k} ${v.toFixed(3)}`)
      .join(' ');
    const loss = u.loss === undefined ? '' : ` loss ${u.loss.toFixed(4)}`;
    const total = Number.isFinite(this.total) ? String(this.total) : '?';
    const text = `${this.label} step ${u.done}/${total}${loss}${parts ? ` (${parts})` : ''} ETA ${formatDuration(eta)}`;
    const finished = u.done >= this.total;
    if (this.sink.isTTY) {
      const width = 20;
      const filled = Number.isFinite(this.total) ? Math.min(width, Math.round((width * u.done) / Math.max(this.total, 1))) : 0;
      const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
      this.sink.write(`\r\x1b[2K${bar} ${text}${finished ? '\n' : ''}`);
    } else if (finished || this.now() - this.lastLine >= this.everySeconds * 1000) {
      this.lastLine = this.now();
      this.sink.write(`${text}\n`);
    }
  }
}
