// The shared-memory protocol between the main thread and a shard worker.
// Requests and results go through SharedArrayBuffers and Atomics, not
// postMessage: tfjs gradients are synchronous, so the main thread must be
// able to hand work over and wait for it inside a backward pass.

/** Slots of the control array (Int32Array over a SharedArrayBuffer). */
export const SLOT = {
  /** One of `STATE`. */
  state: 0,
  /** One of `COMMAND`, valid while `state` is `request`. */
  command: 1,
  /** Images in the request. */
  rows: 2,
  /** Bytes of the UTF-8 error message when `state` is `failed`. */
  errorBytes: 3,
} as const;

/** Control slots in all. */
export const CONTROL_SLOTS = 4;

/** Where a request stands. */
export const STATE = {
  /** No request; the worker waits. */
  idle: 0,
  /** The main thread posted a request. */
  request: 1,
  /** The worker wrote its result. */
  done: 2,
  /** The worker failed; the message is in the error buffer. */
  failed: 3,
} as const;

/** What a request asks for. */
export const COMMAND = {
  /** Embeddings of the shard's images at the given parameters. */
  forward: 1,
  /** Vector-Jacobian product: ∂(Σ dE ⊙ embed(x; θ))/∂θ of the shard. */
  backward: 2,
  /** Take the data buffer waiting on the message port (it grew). */
  resize: 3,
  /** Leave the request loop. */
  exit: 4,
} as const;

/** Bytes reserved for a worker's error message. */
export const ERROR_BUFFER_BYTES = 4096;

/** Sizes fixed for a worker's lifetime: the backbone's parameters and its input and output widths. */
export interface ShardGeometry {
  /** Floats of every trainable parameter, in key order. */
  readonly paramFloats: number;
  /** Floats of one input image (H·W·C). */
  readonly imageFloats: number;
  /** Width d of one embedding. */
  readonly embeddingSize: number;
}

/** Offsets (in floats) of one request's regions in the data buffer. */
export interface RequestLayout {
  readonly params: number;
  readonly images: number;
  /** dE of a backward request (rows × d). */
  readonly upstream: number;
  /** Embeddings (forward) or parameter gradients (backward). */
  readonly result: number;
  /** Floats the request needs in all. */
  readonly total: number;
}

/** Layout of a request with `rows` images: [θ | images | dE | result]. */
export function requestLayout(g: ShardGeometry, rows: number): RequestLayout {
  const params = 0;
  const images = params + g.paramFloats;
  const upstream = images + rows * g.imageFloats;
  const result = upstream + rows * g.embeddingSize;
  const total = result + Math.max(rows * g.embeddingSize, g.paramFloats);
  return { params, images, upstream, result, total };
}

/**
 * How many of `rows` images each shard takes: shard 0 is the main thread,
 * which gets `mainWeight` times a worker's share because a worker recomputes
 * its forward pass in the backward request (it keeps no tape between
 * requests). Every shard gets at least one row while rows last; the main
 * thread takes the remainder.
 */
export function shardRows(rows: number, workers: number, mainWeight: number): number[] {
  if (!Number.isInteger(rows) || rows < 0) throw new RangeError(`shardRows: rows must be a whole number ≥ 0, got ${rows}`);
  if (!Number.isInteger(workers) || workers < 0) throw new RangeError(`shardRows: workers must be a whole number ≥ 0, got ${workers}`);
  if (!(mainWeight > 0) || !Number.isFinite(mainWeight)) throw new RangeError(`shardRows: mainWeight must be > 0, got ${mainWeight}`);
  const perWorker = Math.floor((rows / (mainWeight + workers)) + 1e-9);
  const counts = [rows - perWorker * workers, ...Array.from({ length: workers }, () => perWorker)];
  return counts;
}
