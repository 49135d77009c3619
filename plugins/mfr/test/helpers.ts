// Shared fixtures of the MFR plugin's tests: reference cases, an in-memory
// multi-domain dataset, tiny functional backbones and numerical helpers.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { Rng, type Backbone, type DomainDataset, type PairBatch, type ParamMap } from '@metadg/core';
import type { ReferenceResult } from '../src/index.js';

/** A reference case file as read from JSON (validated by the code under test, not here). */
export interface CaseJson {
  readonly hyper: Record<string, number>;
  readonly params: Record<string, unknown>;
  readonly domains: Record<string, unknown>[];
  readonly expected: ReferenceResult;
  readonly [key: string]: unknown;
}

/** A reference case file of test/fixtures, parsed. */
export function loadCase(n: number): CaseJson {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`./fixtures/mfr-case-${n}.json`, import.meta.url)), 'utf8'));
}

/** ‖a − b‖ / ‖b‖ over flat values. */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < b.length; i++) {
    diff += ((a[i] as number) - (b[i] as number)) ** 2;
    norm += (b[i] as number) ** 2;
  }
  return Math.sqrt(diff) / Math.sqrt(norm || 1);
}

/** Values of a tensor as a plain array (float64 in JS). */
export function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}

/**
 * Central-difference gradient of a scalar function of one tensor's values,
 * evaluated by `f` on float32 tensors. Step h = 1e-2 suits smooth functions
 * in float32 (truncation O(h²), round-off O(1e-7/h)).
 */
export function numericGradient(f: (x: tf.Tensor) => tf.Scalar, x: tf.Tensor, h = 1e-2): number[] {
  const base = Float32Array.from(x.dataSync());
  const out: number[] = [];
  for (let i = 0; i < base.length; i++) {
    const at = (delta: number): number =>
      tf.tidy(() => {
        const shifted = Float32Array.from(base);
        shifted[i] = (shifted[i] as number) + delta;
        return f(tf.tensor(shifted, x.shape)).dataSync()[0] as number;
      });
    out.push((at(h) - at(-h)) / (2 * h));
  }
  return out;
}

/** Autodiff gradient of `f` at `x`, as plain values. */
export function autodiffGradient(f: (x: tf.Tensor) => tf.Scalar, x: tf.Tensor): number[] {
  return tf.tidy(() => values(tf.grad(f)(x)));
}

/**
 * An in-memory dataset: `domains` × identities, each identity with
 * `samples(domain, identity)` samples of `shape`, pixel values from a seeded
 * stream shared by identity (so identities are learnable) plus a domain shift.
 */
export function memoryDataset(options: {
  domains: readonly string[];
  identities: number;
  samples?: (domain: string, identity: number) => number;
  shape?: readonly [number, number, number];
  seed?: number;
}): DomainDataset {
  const shape = options.shape ?? [2, 2, 1];
  const size = shape[0] * shape[1] * shape[2];
  const rng = new Rng(options.seed ?? 7);
  const ids = Array.from({ length: options.identities }, (_, i) => `id${String(i).padStart(3, '0')}`);
  const base = new Map(ids.map((id) => [id, rng.fork(id).normalArray(size, 0.5)]));
  const samples = options.samples ?? (() => 3);
  return {
    name: 'memory',
    domains: options.domains,
    sampleShape: shape,
    identities(domain: string) {
      if (!options.domains.includes(domain)) throw new Error(`unknown domain ${domain}`);
      return ids.map((id, i) => ({ id, samples: samples(domain, i) })).filter((x) => x.samples > 0);
    },
    async load(refs: readonly { domain: string; identity: string; index: number }[]) {
      const data = new Float32Array(refs.length * size);
      refs.forEach((r, i) => {
        const b = base.get(r.identity) as Float32Array;
        const shift = 0.2 * options.domains.indexOf(r.domain);
        for (let k = 0; k < size; k++) data[i * size + k] = 0.5 + (b[k] as number) + shift + 0.05 * r.index;
      });
      return tf.tensor4d(data, [refs.length, ...shape]);
    },
  };
}

/**
 * A functional dense backbone over flattened images: tanh(x·W1 + b1)·W2,
 * smooth so finite differences are clean. Keys `W1`, `b1`, `W2`.
 */
export function denseBackbone(shape: readonly [number, number, number], hidden: number, d: number, seed = 3): Backbone {
  const rng = new Rng(seed);
  const inputs = shape[0] * shape[1] * shape[2];
  const params = {
    W1: tf.variable(tf.tensor2d(rng.normalArray(inputs * hidden, 1 / Math.sqrt(inputs)), [inputs, hidden])),
    b1: tf.variable(tf.tensor1d(rng.normalArray(hidden, 0.1))),
    W2: tf.variable(tf.tensor2d(rng.normalArray(hidden * d, 1 / Math.sqrt(hidden)), [hidden, d])),
  };
  return {
    name: 'test-dense',
    inputShape: shape,
    embeddingSize: d,
    params,
    embed(x: tf.Tensor4D, p: ParamMap = {}) {
      return tf.tidy(() => {
        const w = (k: keyof typeof params): tf.Tensor => p[k] ?? params[k];
        const h = tf.tanh(tf.add(tf.matMul(tf.reshape(x, [x.shape[0], inputs]), w('W1') as tf.Tensor2D), w('b1')));
        return tf.matMul(h as tf.Tensor2D, w('W2') as tf.Tensor2D);
      });
    },
    dispose: () => tf.dispose(Object.values(params)),
  };
}

/**
 * A small convolutional backbone (conv 3×3 stride 2 → act → conv 3×3
 * stride 2 → act → flatten → dense), functional like every Backbone;
 * act is relu (default, as in real runs) or tanh (smooth, for finite differences).
 */
export function convBackbone(
  shape: readonly [number, number, number],
  d: number,
  options: { seed?: number; activation?: 'relu' | 'tanh' } = {},
): Backbone {
  const seed = options.seed ?? 5;
  const act = options.activation === 'tanh' ? tf.tanh : tf.relu;
  const rng = new Rng(seed);
  const [h, w, c] = shape;
  const c1 = 4;
  const c2 = 4;
  const flat = Math.ceil(h / 4) * Math.ceil(w / 4) * c2;
  const params = {
    k1: tf.variable(tf.tensor4d(rng.normalArray(9 * c * c1, Math.sqrt(2 / (9 * c))), [3, 3, c, c1])),
    k2: tf.variable(tf.tensor4d(rng.normalArray(9 * c1 * c2, Math.sqrt(2 / (9 * c1))), [3, 3, c1, c2])),
    dense: tf.variable(tf.tensor2d(rng.normalArray(flat * d, 1 / Math.sqrt(flat)), [flat, d])),
  };
  return {
    name: 'test-conv',
    inputShape: shape,
    embeddingSize: d,
    params,
    embed(x: tf.Tensor4D, p: ParamMap = {}) {
      return tf.tidy(() => {
        const k = (key: keyof typeof params): tf.Tensor => p[key] ?? params[key];
        const a = act(tf.conv2d(x, k('k1') as tf.Tensor4D, 2, 'same'));
        const b = act(tf.conv2d(a as tf.Tensor4D, k('k2') as tf.Tensor4D, 2, 'same'));
        return tf.matMul(tf.reshape(b, [x.shape[0], flat]), k('dense') as tf.Tensor2D);
      });
    },
    dispose: () => tf.dispose(Object.values(params)),
  };
}

/** A pair batch of random images (values from `rng`) with the given labels. */
export function randomPairBatch(
  domain: string,
  labels: readonly number[],
  shape: readonly [number, number, number],
  rng: Rng,
): PairBatch {
  const size = shape[0] * shape[1] * shape[2];
  const b = labels.length;
  return {
    kind: 'pairs',
    domain,
    gallery: tf.tensor4d(rng.normalArray(b * size), [b, ...shape]),
    probe: tf.tensor4d(rng.normalArray(b * size), [b, ...shape]),
    labels: tf.tensor1d(labels as number[], 'int32'),
    identities: labels.map((l) => `id${l}`),
  };
}

/** Releases a pair batch's tensors. */
export function disposeBatch(b: PairBatch): void {
  tf.dispose([b.gallery, b.probe, b.labels]);
}
