import * as tf from '@tensorflow/tfjs-core';
import type { Backbone, ParamMap, VariableMap } from '@metadg/core';
import { flatten, unflatten } from './flat-params.js';
import { shardRows } from './protocol.js';
import type { ShardWorker } from './shard-worker.js';
import { gradientDepth, runLazyGradKernel } from './tape.js';

/** Options of {@link shardBackbone}. */
export interface ShardOptions {
  /**
   * The main thread takes `mainWeight` times a worker's share of each batch
   * (default 1.5: a worker recomputes its forward pass when asked for
   * gradients, the main thread keeps its tape; 1.5 balances the two on the
   * reference network).
   */
  readonly mainWeight?: number;
  /** Batches of fewer images stay on the main thread (default 8). */
  readonly minRows?: number;
}

/** How the calls of a sharded backbone ran (for logs and tests). */
export interface ShardStats {
  /** Calls split over the threads. */
  sharded: number;
  /** Calls run on the main thread alone: small batches, or inside a second-order gradient. */
  local: number;
}

/** A backbone whose `embed` runs part of every batch on worker threads. */
export interface ShardedBackbone extends Backbone {
  /** The wrapped backbone (the main thread's shard runs through it). */
  readonly inner: Backbone;
  /** Threads used per call: the main thread plus the workers. */
  readonly threads: number;
  readonly stats: Readonly<ShardStats>;
}

/**
 * Data parallelism for any backbone whose embeddings are computed image by
 * image (no batch statistics): `embed(x)` gives the first rows of `x` to
 * `inner` on this thread and the others to `workers`, each with its own
 * tfjs backend, at the same time. Every loss sees the full batch of
 * embeddings, so any loss — batch-coupled ones included (hard-pair mining,
 * domain alignment) — gets exactly the single-thread gradient up to float
 * rounding; only the backbone's work is split.
 *
 * Gradients: two custom kernels bracket the main thread's shard on the tape.
 * The first posts the workers' forward requests; the last collects their
 * embeddings. In the backward pass the last one runs first and posts dE to
 * the workers, the main thread back-propagates its own shard meanwhile, and
 * the first kernel collects the workers' ∂/∂θ. Inside a gradient that is
 * itself differentiated (a second-order meta-step's inner gradient) the call
 * runs on this thread alone, because a result from another thread cannot be
 * differentiated again. Gradients with respect to the input images are not
 * available through the workers' rows and raise an error.
 */
export function shardBackbone(inner: Backbone, workers: readonly ShardWorker[], options: ShardOptions = {}): ShardedBackbone {
  const mainWeight = options.mainWeight ?? 1.5;
  const minRows = options.minRows ?? 8;
  const keys = Object.keys(inner.params);
  workers.forEach((w) => {
    if (w.keys.join('\n') !== keys.join('\n')) throw new TypeError(`shardBackbone: worker ${w.index} serves another backbone (parameters differ)`);
  });
  const stats: ShardStats = { sharded: 0, local: 0 };
  const d = inner.embeddingSize;
  const imageFloats = inner.inputShape.reduce((a, b) => a * b, 1);

  const embedSharded = (x: tf.Tensor4D, params: ParamMap | undefined, counts: readonly number[]): tf.Tensor2D => {
    const theta = keys.map((k) => (params?.[k] ?? inner.params[k]) as tf.Tensor);
    const thetaValues = flatten(theta);
    const mainRows = counts[0] as number;
    // Only the workers' rows leave this thread's backend.
    const images = tf.slice(x, [mainRows, 0, 0, 0], [-1, -1, -1, -1]).dataSync() as Float32Array;
    let start = 0;
    const shards = workers.map((worker, i) => {
      const rows = counts[i + 1] as number;
      const shard = { worker, rows, images: images.subarray(start * imageFloats, (start + rows) * imageFloats) };
      start += rows;
      return shard;
    });
    const inputs: Record<string, tf.Tensor> = Object.fromEntries(theta.map((t, i) => [`theta${i}`, t]));
    inputs.x = x;

    // Opens the bracket: the workers start on their rows while this thread embeds its own.
    const token = runLazyGradKernel({
      inputs,
      forwardFunc: () => {
        for (const s of shards) s.worker.postForward(thetaValues, s.images, s.rows);
        return tf.scalar(0);
      },
      backwardsFunc: () => {
        // dE was posted by the closing kernel; this thread's shard has been back-propagated by now.
        let summed: Float32Array | undefined;
        for (const s of shards) {
          const g = s.worker.collect();
          if (summed === undefined) summed = g;
          else for (let j = 0; j < g.length; j++) summed[j] = (summed[j] as number) + (g[j] as number);
        }
        const parts = unflatten(summed as Float32Array, theta.map((t) => t.shape));
        const grads: Record<string, () => tf.Tensor> = Object.fromEntries(parts.map((g, i) => [`theta${i}`, () => g]));
        grads.x = () => {
          throw new Error(`${inner.name} (sharded over ${workers.length + 1} threads): gradients with respect to the input images are not supported; run with threads: 1`);
        };
        return grads;
      },
    });
    const local = inner.embed(tf.slice(x, [0, 0, 0, 0], [mainRows, -1, -1, -1]), params);
    // Closes the bracket: waits for the workers' embeddings; in the backward pass hands them dE.
    const remote = runLazyGradKernel({
      inputs: { token },
      forwardFunc: () => {
        const e = new Float32Array(shards.reduce((n, s) => n + s.rows, 0) * d);
        let at = 0;
        for (const s of shards) {
          const part = s.worker.collect();
          e.set(part, at);
          at += part.length;
        }
        return tf.tensor2d(e, [e.length / d, d]);
      },
      backwardsFunc: (dy) => ({
        token: () => {
          const upstream = dy.dataSync() as Float32Array;
          let row = 0;
          for (const s of shards) {
            s.worker.postBackward(thetaValues, s.images, upstream.subarray(row * d, (row + s.rows) * d), s.rows);
            row += s.rows;
          }
          return tf.scalar(0);
        },
      }),
    }) as tf.Tensor2D;
    return tf.concat([local, remote], 0);
  };

  return {
    name: inner.name,
    inputShape: inner.inputShape,
    embeddingSize: d,
    params: inner.params as VariableMap,
    inner,
    threads: workers.length + 1,
    stats,
    embed(x: tf.Tensor4D, params?: ParamMap): tf.Tensor2D {
      const counts = shardRows(x.shape[0], workers.length, mainWeight);
      if (workers.length === 0 || x.shape[0] < minRows || counts.some((c) => c === 0) || gradientDepth() > 1) {
        stats.local++;
        return inner.embed(x, params);
      }
      stats.sharded++;
      return tf.tidy(() => embedSharded(x, params, counts));
    },
    dispose: () => inner.dispose(),
  };
}
