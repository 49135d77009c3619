import * as tf from '@tensorflow/tfjs-core';
import { NumericalError } from '@metadg/core';

interface Entry {
  readonly name: string;
  readonly tensor: tf.Tensor;
  /** Where a non-finite value comes from, for the error; undefined for logged-only values. */
  readonly guard: string | undefined;
}

/**
 * Collects the scalars one training step wants to log or check, from inside
 * gradient and `tidy` scopes (they are kept alive until `read`), then reads
 * them all in one transfer. Values recorded with a guard must be finite:
 * `read` throws a `NumericalError` naming the first one that is not, so a
 * step can refuse to touch the weights. Several values under one name
 * (e.g. one per split) are averaged.
 */
export class StepRecorder {
  private entries: Entry[] = [];

  /** Logs `value` under `name`; with `guard`, NaN/Inf in it is an error naming `guard`. */
  record(name: string, value: tf.Scalar, guard?: string): void {
    this.entries.push({ name, tensor: tf.keep(value.clone()), guard });
  }

  /**
   * Guards a tensor without logging it; a NaN/Inf element is an error
   * naming `guard` (reduced to one scalar here, so reading stays cheap).
   */
  check(tensor: tf.Tensor, guard: string): void {
    const flag = tf.tidy(() => tf.sum(tensor));
    this.entries.push({ name: '', tensor: tf.keep(flag), guard });
  }

  /**
   * Reads every recorded value, releases the tensors, and returns the logged
   * means by name. Throws `NumericalError` for the first non-finite guarded value.
   */
  async read(): Promise<Record<string, number>> {
    const entries = this.entries;
    this.entries = [];
    if (entries.length === 0) return {};
    const packed = tf.tidy(() => tf.stack(entries.map((e) => tf.reshape(tf.cast(e.tensor, 'float32'), []))));
    let values: Float32Array | Int32Array | Uint8Array;
    try {
      values = await packed.data();
    } finally {
      packed.dispose();
      for (const e of entries) e.tensor.dispose();
    }
    entries.forEach((e, i) => {
      const v = values[i] as number;
      if (e.guard !== undefined && !Number.isFinite(v)) {
        throw new NumericalError(e.guard, `${Number.isNaN(v) ? 'NaN' : 'Inf'} value; no parameter was updated`);
      }
    });
    const sums = new Map<string, { total: number; count: number }>();
    entries.forEach((e, i) => {
      if (!e.name) return;
      const s = sums.get(e.name) ?? { total: 0, count: 0 };
      s.total += values[i] as number;
      s.count += 1;
      sums.set(e.name, s);
    });
    return Object.fromEntries([...sums].map(([name, s]) => [name, s.total / s.count]));
  }

  /** Releases recorded tensors without reading them (after a failed step). */
  dispose(): void {
    for (const e of this.entries) e.tensor.dispose();
    this.entries = [];
  }
}
