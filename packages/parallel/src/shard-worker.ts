import { pathToFileURL } from 'node:url';
import { isAbsolute } from 'node:path';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type { Backbone } from '@metadg/core';
import { builtFile } from './built-file.js';
import { createChannelBuffers, readError, signal, waitWhile, type ChannelBuffers } from './channel.js';
import { ShardWorkerError } from './errors.js';
import { COMMAND, requestLayout, SLOT, STATE, type RequestLayout, type ShardGeometry } from './protocol.js';

/**
 * How a worker thread builds its own copy of the backbone: it imports
 * `module` (an absolute path or a `file:` URL) and calls its export
 * `exportName` (default `createBackbone`) with `options`, which must be
 * structured-cloneable. The copy must have the same trainable parameters
 * (names and shapes), input shape and embedding width; their values do not
 * matter — every request carries θ. Frozen weights must be loaded the same
 * way as on the main thread.
 */
export interface BackboneFactory {
  readonly module: string;
  readonly exportName?: string;
  readonly options?: unknown;
}

/** Options of `ShardWorker.start`. */
export interface ShardWorkerOptions {
  readonly factory: BackboneFactory;
  /** tfjs backend of the worker (default: the main thread's current backend). */
  readonly backend?: string;
  /** Milliseconds to wait for one answer (default 300 000). */
  readonly timeoutMs?: number;
  /** Index of this worker in error messages (default 1). */
  readonly index?: number;
  /** Worker script (default: this package's built `worker.js`). */
  readonly workerScript?: URL;
}

/** A backbone's trainable parameters in key order (names and shapes), and the sizes of a request. */
export interface ShardLayout {
  readonly keys: readonly string[];
  readonly shapes: readonly (readonly number[])[];
  readonly geometry: ShardGeometry;
}

/** What the worker thread receives at start (workerData). */
export interface ShardWorkerData extends ShardLayout {
  readonly buffers: ChannelBuffers;
  readonly port: MessagePort;
  readonly backend: string;
  readonly factory: { readonly module: string; readonly exportName: string; readonly options: unknown };
  readonly inputShape: readonly number[];
}

/** The worker's first message: ready, or why it could not start. */
export type ShardWorkerHello = { readonly ready: true } | { readonly ready: false; readonly error: string };

/** Rows of the first data buffer; it grows when a request needs more. */
const INITIAL_ROWS = 64;


function moduleUrl(module: string): string {
  if (module.startsWith('file:')) return module;
  if (isAbsolute(module)) return pathToFileURL(module).href;
  throw new TypeError(`factory.module must be an absolute path or a file: URL, got "${module}"`);
}

/**
 * The main thread's handle on one shard worker: a worker thread with its own
 * tfjs backend and its own copy of the backbone, which embeds images, or
 * back-propagates into θ, on request. Requests are synchronous (shared memory
 * and `Atomics.wait`), so they can be made from inside a tfjs gradient.
 * One request is in flight at a time.
 */
export class ShardWorker {
  readonly keys: readonly string[];
  readonly shapes: readonly (readonly number[])[];
  readonly geometry: ShardGeometry;
  readonly index: number;
  private buffers: ChannelBuffers;
  private data: Float32Array;
  private readonly control: Int32Array;
  private pending: { readonly command: number; readonly rows: number } | undefined;
  private closed = false;

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    layout: ShardLayout,
    buffers: ChannelBuffers,
    private readonly timeoutMs: number,
    index: number,
  ) {
    this.keys = layout.keys;
    this.shapes = layout.shapes;
    this.geometry = layout.geometry;
    this.index = index;
    this.buffers = buffers;
    this.data = new Float32Array(buffers.data);
    this.control = new Int32Array(buffers.control);
  }

  /** Starts a worker for `backbone` and waits until its copy is built and checked. */
  static async start(backbone: Backbone, options: ShardWorkerOptions): Promise<ShardWorker> {
    const index = options.index ?? 1;
    const layout = layoutOf(backbone);
    const buffers = createChannelBuffers(requestLayout(layout.geometry, INITIAL_ROWS).total);
    const { port1, port2 } = new MessageChannel();
    let factoryUrl: string;
    try {
      factoryUrl = moduleUrl(options.factory.module);
    } catch (err) {
      throw new ShardWorkerError(index, (err as Error).message);
    }
    const workerData: ShardWorkerData = {
      buffers,
      port: port2,
      backend: options.backend ?? tf.getBackend(),
      factory: { module: factoryUrl, exportName: options.factory.exportName ?? 'createBackbone', options: options.factory.options },
      ...layout,
      inputShape: [...backbone.inputShape],
    };
    const worker = new Worker(options.workerScript ?? builtFile('worker.js', import.meta.url, '../dist/'), { workerData, transferList: [port2] });
    try {
      await new Promise<void>((resolve, reject) => {
        worker.once('message', (hello: ShardWorkerHello) =>
          hello.ready ? resolve() : reject(new ShardWorkerError(index, `could not start: ${hello.error}`)),
        );
        worker.once('error', (err) => reject(new ShardWorkerError(index, `could not start: ${err.message}`, { cause: err })));
        worker.once('exit', (code) => reject(new ShardWorkerError(index, `exited with code ${code} while starting`)));
      });
    } catch (err) {
      port1.close();
      await worker.terminate();
      throw err;
    }
    worker.removeAllListeners('message');
    worker.removeAllListeners('exit');
    // A worker never keeps the process alive; `close` ends it cleanly.
    worker.unref();
    port1.unref();
    return new ShardWorker(worker, port1, layout, buffers, options.timeoutMs ?? 300_000, index);
  }

  /** Posts "embed these images at θ" (returns at once; `collect` waits for the embeddings). */
  postForward(theta: Float32Array, images: Float32Array, rows: number): void {
    this.post(COMMAND.forward, rows, (data, at) => {
      data.set(theta, at.params);
      data.set(images, at.images);
    });
  }

  /** Posts "back-propagate dE through these images at θ" (`collect` waits for ∂/∂θ). */
  postBackward(theta: Float32Array, images: Float32Array, upstream: Float32Array, rows: number): void {
    this.post(COMMAND.backward, rows, (data, at) => {
      data.set(theta, at.params);
      data.set(images, at.images);
      data.set(upstream, at.upstream);
    });
  }

  /**
   * Waits for the pending request and returns a copy of its result: the
   * embeddings (rows × d) of a forward request, the flat parameter gradient
   * of a backward one.
   */
  collect(): Float32Array {
    const pending = this.pending;
    if (pending === undefined) throw new ShardWorkerError(this.index, 'collect() without a pending request');
    this.pending = undefined;
    try {
      this.await();
      const at = requestLayout(this.geometry, pending.rows);
      const size = pending.command === COMMAND.forward ? pending.rows * this.geometry.embeddingSize : this.geometry.paramFloats;
      return this.data.slice(at.result, at.result + size);
    } finally {
      signal(this.control, STATE.idle);
    }
  }

  /** Ends the worker thread. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.settle();
      Atomics.store(this.control, SLOT.command, COMMAND.exit);
      signal(this.control, STATE.request);
    } catch {
      // A failed or silent worker is terminated below anyway.
    }
    this.port.close();
    await this.worker.terminate();
  }

  private post(command: number, rows: number, fill: (data: Float32Array, at: RequestLayout) => void): void {
    if (this.closed) throw new ShardWorkerError(this.index, 'used after close()');
    this.settle();
    const at = requestLayout(this.geometry, rows);
    if (at.total > this.data.length) this.grow(Math.ceil(at.total * 1.25));
    fill(this.data, at);
    Atomics.store(this.control, SLOT.rows, rows);
    Atomics.store(this.control, SLOT.command, command);
    this.pending = { command, rows };
    signal(this.control, STATE.request);
  }

  /** Waits out and drops a request nobody collected (e.g. a forward pass that threw before its results were needed). */
  private settle(): void {
    if (this.pending === undefined) return;
    this.pending = undefined;
    try {
      this.await();
    } finally {
      signal(this.control, STATE.idle);
    }
  }

  /** Hands the worker a larger data buffer (a synchronous round trip). */
  private grow(floats: number): void {
    const buffers = createChannelBuffers(floats);
    this.buffers = { ...this.buffers, data: buffers.data };
    this.data = new Float32Array(buffers.data);
    this.port.postMessage(buffers.data);
    Atomics.store(this.control, SLOT.command, COMMAND.resize);
    signal(this.control, STATE.request);
    try {
      this.await();
    } finally {
      signal(this.control, STATE.idle);
    }
  }

  private await(): void {
    const state = waitWhile(this.control, STATE.request, this.timeoutMs);
    if (state === STATE.done) return;
    if (state === STATE.failed) throw new ShardWorkerError(this.index, readError(this.control, this.buffers.error));
    throw new ShardWorkerError(this.index, `no answer within ${this.timeoutMs} ms (the thread may have died; see stderr)`);
  }
}

/** The backbone's trainable parameters in key order, and the sizes a request needs. */
function layoutOf(backbone: Backbone): ShardLayout {
  const keys = Object.keys(backbone.params);
  return {
    keys,
    shapes: keys.map((k) => (backbone.params[k] as tf.Variable).shape),
    geometry: {
      paramFloats: Object.values(backbone.params).reduce((n, v) => n + v.size, 0),
      imageFloats: backbone.inputShape.reduce((a, b) => a * b, 1),
      embeddingSize: backbone.embeddingSize,
    },
  };
}
