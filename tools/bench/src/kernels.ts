import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@metadg/core';
import { measure, type MeasureOptions } from './measure.js';
import type { Summary } from './stats.js';

/** One kernel call on fixed shapes, run through whatever kernel the backend has registered. */
interface KernelCase {
  readonly id: string;
  readonly kernel: string;
  /** Where the shape comes from, e.g. `reference conv2 (32×32×32 → 16×16×64)`. */
  readonly shape: string;
  readonly flops: number;
  readonly inputs: Readonly<Record<string, readonly number[]>>;
  readonly attrs: Readonly<Record<string, unknown>>;
}

/** Timing of one kernel case on the running backend and kernel set. */
export interface KernelTiming {
  readonly id: string;
  readonly kernel: string;
  readonly shape: string;
  readonly flops: number;
  readonly wallMs?: Summary;
  readonly cpuMs?: Summary;
  /** Σ|output| in float64: the same inputs under another kernel set must give the same value to round-off. */
  readonly checksum: number;
  readonly skipped?: string;
}

const PAD1: tf.backend_util.ExplicitPadding = [
  [0, 0],
  [1, 1],
  [1, 1],
  [0, 0],
];

/** The reference network's convolutions at batch 64: input [64, H, H, CI], filter [3, 3, CI, CO], stride 2, pad 1. */
const LAYERS = [
  { name: 'conv1', h: 64, ci: 3, co: 32 },
  { name: 'conv2', h: 32, ci: 32, co: 64 },
  { name: 'conv3', h: 16, ci: 64, co: 64 },
  { name: 'conv4', h: 8, ci: 64, co: 64 },
] as const;

/** The kernels the fast wasm kernel set replaces, on the shapes of the reference network's training step. */
export function kernelCases(): KernelCase[] {
  const cases: KernelCase[] = [];
  for (const l of LAYERS) {
    const o = l.h / 2;
    const x = [64, l.h, l.h, l.ci];
    const dy = [64, o, o, l.co];
    const filter = [3, 3, l.ci, l.co];
    const macs = 64 * o * o * l.co * 9 * l.ci;
    const shape = `reference ${l.name}: ${l.h}×${l.h}×${l.ci} → ${o}×${o}×${l.co}, batch 64`;
    const conv = { strides: 2, pad: PAD1, dataFormat: 'NHWC', dimRoundingMode: undefined };
    cases.push(
      { id: `Conv2D/${l.name}`, kernel: 'Conv2D', shape, flops: 2 * macs, inputs: { x, filter }, attrs: { ...conv, dilations: 1 } },
      { id: `Conv2DBackpropInput/${l.name}`, kernel: 'Conv2DBackpropInput', shape, flops: 2 * macs, inputs: { dy, filter }, attrs: { ...conv, inputShape: x } },
      { id: `Conv2DBackpropFilter/${l.name}`, kernel: 'Conv2DBackpropFilter', shape, flops: 2 * macs, inputs: { x, dy }, attrs: { ...conv, filterShape: filter } },
      { id: `Sum/${l.name}-bias-grad`, kernel: 'Sum', shape: `${shape}: Σ over N, H, W of dy`, flops: 64 * o * o * l.co, inputs: { x: dy }, attrs: { axis: [0, 1, 2], keepDims: false } },
      // One transcendental per element counts 1 FLOP (as in the FLOP model).
      { id: `Softplus/${l.name}`, kernel: 'Softplus', shape: `${shape}: softplus of the [${dy}] activation`, flops: 64 * o * o * l.co, inputs: { x: dy }, attrs: {} },
    );
  }
  const dense = 'reference embed: dense 1024 → 128, batch 64';
  cases.push(
    { id: 'BatchMatMul/dense-dW', kernel: 'BatchMatMul', shape: `${dense}: dW = xᵀ·dy (transposeA)`, flops: 2 * 64 * 1024 * 128, inputs: { a: [64, 1024], b: [64, 128] }, attrs: { transposeA: true, transposeB: false } },
    { id: 'BatchMatMul/dense-dx', kernel: 'BatchMatMul', shape: `${dense}: dx = dy·Wᵀ (transposeB)`, flops: 2 * 64 * 1024 * 128, inputs: { a: [64, 128], b: [1024, 128] }, attrs: { transposeA: false, transposeB: true } },
    { id: 'BatchMatMul/dense-forward', kernel: 'BatchMatMul', shape: `${dense}: y = x·W (no transpose)`, flops: 2 * 64 * 1024 * 128, inputs: { a: [64, 1024], b: [1024, 128] }, attrs: { transposeA: false, transposeB: false } },
  );
  return cases;
}

/** Times every kernel case on the current backend (`tf.engine().runKernel`: the registered kernel, nothing recorded for gradients). */
export async function benchKernels(options: MeasureOptions): Promise<KernelTiming[]> {
  const out: KernelTiming[] = [];
  for (const c of kernelCases()) {
    const rng = new Rng(`metadg-bench/kernel/${c.id}`);
    const values = Object.entries(c.inputs).map(([name, shape]) => [name, rng.normalArray(shape.reduce((a, b) => a * b, 1)), shape] as const);
    // Every call gets its own copies of the inputs, as in training (a new dy each step):
    // tfjs-backend-wasm caches XNNPACK's packing of a matrix product's right operand
    // by tensor, which a reused input would hide (≈ half of a filter gradient's product).
    const copies: tf.NamedTensorMap[] = Array.from({ length: options.warmup + options.runs + 1 }, () =>
      Object.fromEntries(values.map(([name, v, shape]) => [name, tf.tensor(v, [...shape])])),
    );
    let calls = 0;
    const call = () => tf.engine().runKernel(c.kernel, copies[calls++ % copies.length] as tf.NamedTensorMap, c.attrs as tf.NamedAttrMap) as tf.Tensor;
    const first = call();
    const result = await first.data();
    first.dispose();
    let checksum = 0;
    for (let i = 0; i < result.length; i++) checksum += Math.abs(result[i] as number);
    const m = await measure(async () => {
      const r = call();
      // A one-element read forces completion on asynchronous backends without timing a full download.
      const probe = tf.tidy(() => tf.slice(tf.reshape(r, [-1]), 0, 1));
      await probe.data();
      tf.dispose([r, probe]);
    }, options);
    tf.dispose(copies.flatMap((m) => Object.values(m)));
    out.push({
      id: c.id,
      kernel: c.kernel,
      shape: c.shape,
      flops: c.flops,
      checksum,
      ...(m.wallMs ? { wallMs: m.wallMs } : {}),
      ...(m.cpuMs ? { cpuMs: m.cpuMs } : {}),
      ...(m.skipped ? { skipped: m.skipped } : {}),
    });
  }
  return out;
}
