import * as tf from '@tensorflow/tfjs-core';
import { summarize, type Summary } from './stats.js';

/** How a case is timed. */
export interface MeasureOptions {
  /** Untimed runs first (JIT, kernel setup, allocator warm-up). */
  readonly warmup: number;
  /** Timed runs (the brief asks for at least 5). */
  readonly runs: number;
  /**
   * Seconds this case may take in all. When the first warm-up run shows
   * that `runs` timed runs would not fit, the case is reported as skipped
   * (with that one run's time) instead of blocking the suite for minutes.
   */
  readonly budgetS: number;
}

/** Timings of one case, wall-clock and process CPU time (all threads). */
export interface Measurement {
  readonly wallMs?: Summary;
  readonly cpuMs?: Summary;
  /** Wall-clock times of the warm-up runs, in order. */
  readonly warmupMs: readonly number[];
  /**
   * `tf.memory().numTensors` before the warm-up (`initial`), before the first
   * timed run (`before`: includes state created lazily by the first run, e.g.
   * momentum slots) and after the last (`after`). A flat loop has after = before.
   */
  readonly tensors: { readonly initial: number; readonly before: number; readonly after: number };
  /** Why the timed runs did not happen, if they did not. */
  readonly skipped?: string;
}

async function once(run: () => Promise<void>): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await run();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

/** Runs `run` `warmup` times untimed, then `runs` times timed. */
export async function measure(run: () => Promise<void>, options: MeasureOptions): Promise<Measurement> {
  const initial = tf.memory().numTensors;
  const warmupMs: number[] = [];
  const budgetMs = options.budgetS * 1000;
  for (let i = 0; i < Math.max(1, options.warmup); i++) {
    const { wall } = await once(run);
    warmupMs.push(wall);
    const projected = wall * (options.warmup - i - 1 + options.runs);
    if (i === 0 && projected > budgetMs) {
      return {
        warmupMs,
        tensors: { initial, before: initial, after: tf.memory().numTensors },
        skipped: `one run took ${(wall / 1000).toFixed(1)} s; ${options.runs} timed runs would exceed the ${options.budgetS} s budget of a case`,
      };
    }
  }
  const before = tf.memory().numTensors;
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    const t = await once(run);
    wall.push(t.wall);
    cpu.push(t.cpu);
  }
  return { wallMs: summarize(wall), cpuMs: summarize(cpu), warmupMs, tensors: { initial, before, after: tf.memory().numTensors } };
}
