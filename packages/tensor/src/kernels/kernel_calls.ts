import * as tf from '@tensorflow/tfjs-core';

/** A backend as composed kernels use it: data ids are reference counted. */
interface RefCountedBackend {
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
  readSync(dataId: tf.DataId): tf.BackendValues;
}

/** A backend whose buffers live in one linear memory that JavaScript can view (tfjs-backend-wasm). */
interface HeapBackend extends RefCountedBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): tf.backend_util.TypedArray;
}

function isRefCountedBackend(backend: unknown): backend is RefCountedBackend {
  const b = backend as Partial<RefCountedBackend> | null;
  return typeof b?.disposeData === 'function' && typeof b.readSync === 'function';
}

function isHeapBackend(backend: RefCountedBackend): backend is HeapBackend {
  const b = backend as Partial<HeapBackend>;
  return typeof b.makeOutput === 'function' && typeof b.typedArrayFromHeap === 'function';
}

/**
 * Runs other registered kernels of one backend from inside a composed kernel,
 * the way tfjs's own composed kernels do (SpaceToBatchND, Mean…): directly,
 * below the engine, so nothing is recorded on a gradient tape or tracked as a
 * tensor. Every intermediate is an owned data id (a fresh buffer, or an
 * `incRef`'d input for view-like kernels such as Reshape), so `dispose()`
 * releases each exactly once; the kernel's result is `keep()`-ed instead.
 * A result that merely views an input therefore holds its own reference, which
 * is what tfjs requires of kernels that return an input's data.
 */
export class KernelCalls {
  private readonly owned: tf.TensorInfo[] = [];
  private readonly backend: RefCountedBackend;

  constructor(
    backend: unknown,
    private readonly backendName: string,
    private readonly caller: string,
  ) {
    if (!isRefCountedBackend(backend)) throw new Error(`${caller}: backend has no disposeData/readSync`);
    this.backend = backend;
  }

  /** Runs `kernelName` on this backend; its output is freed by `dispose()` unless kept. */
  run(kernelName: string, inputs: tf.NamedTensorInfoMap | readonly tf.TensorInfo[], attrs: object = {}): tf.TensorInfo {
    const kernel = tf.getKernel(kernelName, this.backendName);
    if (kernel === undefined) {
      throw new Error(`${this.caller}: needs kernel ${kernelName}, not registered for backend ${this.backendName}`);
    }
    return this.runConfig(kernel, inputs, attrs);
  }

  /** Like `run`, with a given kernel config (e.g. the stock kernel a fix wraps). */
  runConfig(kernel: tf.KernelConfig, inputs: tf.NamedTensorInfoMap | readonly tf.TensorInfo[], attrs: object = {}): tf.TensorInfo {
    const kernelName = kernel.kernelName;
    const out = kernel.kernelFunc({
      // Pack and Concat take an array of inputs, as in tfjs itself.
      inputs: inputs as tf.NamedTensorInfoMap,
      backend: this.backend,
      attrs: attrs as tf.NamedAttrMap,
    });
    if (Array.isArray(out)) {
      out.forEach((t) => this.owned.push(t));
      throw new Error(`${this.caller}: kernel ${kernelName} returned ${out.length} outputs, expected one`);
    }
    this.owned.push(out);
    return out;
  }

  /** Takes ownership of a buffer produced outside `run` (freed by `dispose()`). */
  adopt(info: tf.TensorInfo): tf.TensorInfo {
    this.owned.push(info);
    return info;
  }

  /**
   * A fresh float32 buffer of `shape` in the backend's memory, contents
   * undefined (fill it before use); freed by `dispose()` unless kept.
   */
  allocate(shape: readonly number[]): tf.TensorInfo {
    return this.adopt(this.heapBackend().makeOutput([...shape], 'float32'));
  }

  /**
   * A Float32Array over a float32 buffer's memory, for kernels that move data
   * in JavaScript. Any later allocation may grow (and so detach) the memory:
   * take views after the last `run`/`allocate` that precedes the loop.
   */
  view(info: tf.TensorInfo): Float32Array {
    if (info.dtype !== 'float32') throw new Error(`${this.caller}: view needs a float32 buffer, got ${info.dtype}`);
    return this.heapBackend().typedArrayFromHeap(info) as Float32Array;
  }

  private heapBackend(): HeapBackend {
    if (!isHeapBackend(this.backend)) throw new Error(`${this.caller}: backend ${this.backendName} exposes no heap (makeOutput/typedArrayFromHeap)`);
    return this.backend;
  }

  /** Reads a (small) numeric tensor synchronously: cheap on wasm, whose data lives in its heap. */
  read(info: tf.TensorInfo): number[] {
    return Array.from(this.backend.readSync(info.dataId) as ArrayLike<number>);
  }

  /** Marks `info` as the composed kernel's result (not freed by `dispose()`). */
  keep(info: tf.TensorInfo): tf.TensorInfo {
    const i = this.owned.indexOf(info);
    if (i >= 0) this.owned.splice(i, 1);
    return info;
  }

  /** Frees one intermediate now (e.g. a per-chunk buffer), instead of at `dispose()`. */
  release(info: tf.TensorInfo): void {
    const i = this.owned.indexOf(info);
    if (i < 0) throw new Error(`${this.caller}: release of a buffer this kernel does not own`);
    this.owned.splice(i, 1);
    this.backend.disposeData(info.dataId);
  }

  /** Releases every intermediate that was not kept. */
  dispose(): void {
    for (const info of this.owned.splice(0)) this.backend.disposeData(info.dataId);
  }

  /**
   * Rows [-top, -top + height) and columns [-left, -left + width) of an NHWC
   * tensor, zero outside it: the window a convolution with that padding reads.
   * Pads and crops as needed (either may be a no-op).
   */
  window(x: tf.TensorInfo, top: number, height: number, left: number, width: number): tf.TensorInfo {
    const [n, h, w, c] = x.shape as [number, number, number, number];
    const padTop = Math.max(0, top);
    const padLeft = Math.max(0, left);
    const padBottom = Math.max(0, height - top - h);
    const padRight = Math.max(0, width - left - w);
    let out = x;
    if (padTop + padLeft + padBottom + padRight > 0) {
      const paddings = [[0, 0], [padTop, padBottom], [padLeft, padRight], [0, 0]];
      out = this.run(tf.PadV2, { x: out }, { paddings, constantValue: 0 });
    }
    const beginH = padTop - top;
    const beginW = padLeft - left;
    if (beginH !== 0 || beginW !== 0 || out.shape[1] !== height || out.shape[2] !== width) {
      out = this.run(tf.Slice, { x: out }, { begin: [0, beginH, beginW, 0], size: [n, height, width, c] });
    }
    return out;
  }
}

/** A `[n, h, w, c]` shape, or a one-line error naming the kernel and input. */
export function shape4D(info: tf.TensorInfo, kernel: string, input: string): [number, number, number, number] {
  if (info.shape.length !== 4) throw new Error(`${kernel}: ${input} must be rank 4, got shape [${info.shape}]`);
  return info.shape as [number, number, number, number];
}

/** Throws a one-line error unless `actual` equals `expected`. */
export function expectShape(actual: readonly number[], expected: readonly number[], kernel: string, input: string): void {
  if (!tf.util.arraysEqual(actual as number[], expected as number[])) {
    throw new Error(`${kernel}: ${input} has shape [${actual}], expected [${expected}]`);
  }
}
