// Test fixtures for algorithm and loss authors: numerical helpers, an
// in-memory multi-domain dataset and tiny functional backbones. Exported as
// `@metadg/meta/testing` (not part of the main entry).
import * as tf from '@tensorflow/tfjs-core';
import { Rng, type Backbone, type DomainDataset, type Episode, type Loss, type PairBatch, type ParamMap } from '@metadg/core';

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
  return fixtureBackbone('test-dense', shape, d, params, (x, w) => {
    const h = tf.tanh(tf.add(tf.matMul(tf.reshape(x, [x.shape[0], inputs]), w('W1') as tf.Tensor2D), w('b1')));
    return tf.matMul(h as tf.Tensor2D, w('W2') as tf.Tensor2D);
  });
}

/** A Backbone over `params` whose `embed` runs `forward` with each key read from the given map, else the variable. */
function fixtureBackbone<K extends string>(
  name: string,
  inputShape: readonly [number, number, number],
  embeddingSize: number,
  params: Record<K, tf.Variable>,
  forward: (x: tf.Tensor4D, w: (key: K) => tf.Tensor) => tf.Tensor2D,
): Backbone {
  return {
    name,
    inputShape,
    embeddingSize,
    params,
    embed(x: tf.Tensor4D, p: ParamMap = {}) {
      return tf.tidy(() => forward(x, (key) => p[key] ?? params[key]));
    },
    dispose: () => tf.dispose(Object.values<tf.Variable>(params)),
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
  return fixtureBackbone('test-conv', shape, d, params, (x, k) => {
    const a = act(tf.conv2d(x, k('k1') as tf.Tensor4D, 2, 'same'));
    const b = act(tf.conv2d(a as tf.Tensor4D, k('k2') as tf.Tensor4D, 2, 'same'));
    return tf.matMul(tf.reshape(b, [x.shape[0], flat]), k('dense') as tf.Tensor2D);
  });
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

/**
 * A smooth, parameterised pair loss for testing algorithms (every phase):
 * per domain, mean_i ‖g_i − p_i‖² − τ·mean_{i≠j} ⟨g_i, p_j⟩, averaged over
 * domains, times a trainable scale `s` (so losses own parameters too).
 */
export function smoothPairLoss(name = 'smooth-pair', tau = 0.5): Loss {
  const s = tf.variable(tf.scalar(1.2));
  return {
    name,
    params: { s },
    phases: ['meta-train', 'meta-test', 'pooled'],
    compute(_batches, embeddings, params) {
      const scale = (params['s'] ?? s) as tf.Scalar;
      const terms = embeddings.map((e) => {
        if (e.kind !== 'pairs') throw new Error('smoothPairLoss needs pair batches');
        const n = e.gallery.shape[0];
        const pos = tf.mean(tf.sum(tf.square(tf.sub(e.gallery, e.probe)), 1));
        const sim = tf.matMul(e.gallery, e.probe, false, true);
        const off = tf.div(tf.sub(tf.sum(sim), tf.sum(tf.mul(sim, tf.eye(n)))), n * (n - 1));
        return tf.sub(pos, tf.mul(tau, off));
      });
      const value = tf.mul(scale, tf.div(tf.addN(terms), terms.length)) as tf.Scalar;
      return { value, parts: { pair: value } };
    },
    dispose: () => s.dispose(),
  };
}

/** Everything needed to test an algorithm on a 3-domain episode (2 meta-train + 1 meta-test). */
export interface AlgorithmTestbed {
  readonly backbone: Backbone;
  readonly loss: Loss;
  readonly episode: Episode;
  /** L2-normalised embeddings + loss, written without @metadg/meta (an independent reference). */
  objective(batches: readonly PairBatch[], params: ParamMap): tf.Scalar;
  /** θ as a flat map `backbone/<k>`, `loss/<name>/<k>` (the ParamSpace keys). */
  readonly theta: Readonly<Record<string, tf.Variable>>;
  dispose(): void;
}

/** A tiny smooth model and a seeded 3-domain pair episode. */
export function algorithmTestbed(seed = 1): AlgorithmTestbed {
  const rng = new Rng(seed);
  const shape = [2, 2, 1] as const;
  const backbone = denseBackbone(shape, 3, 4, seed + 10);
  const loss = smoothPairLoss();
  const batches = ['a', 'b', 'c'].map((d) => randomPairBatch(d, [0, 1, 2], shape, rng.fork(d)));
  const episode: Episode = { step: 0, batches, splits: [{ metaTrain: batches.slice(0, 2), metaTest: batches.slice(2) }] };
  const theta: Record<string, tf.Variable> = {};
  for (const [k, v] of Object.entries(backbone.params)) theta[`backbone/${k}`] = v;
  for (const [k, v] of Object.entries(loss.params)) theta[`loss/${loss.name}/${k}`] = v;
  const local = (prefix: string, params: ParamMap): Record<string, tf.Tensor> =>
    Object.fromEntries(
      Object.entries(params)
        .filter(([k]) => k.startsWith(prefix))
        .map(([k, v]) => [k.slice(prefix.length), v]),
    );
  return {
    backbone,
    loss,
    episode,
    theta,
    objective(bs, params) {
      const bb = local('backbone/', params);
      const normalise = (x: tf.Tensor4D) => {
        const e = backbone.embed(x, bb);
        return tf.div(e, tf.norm(e, 'euclidean', 1, true)) as tf.Tensor2D;
      };
      const embeddings = bs.map((b) => ({ kind: 'pairs' as const, gallery: normalise(b.gallery), probe: normalise(b.probe) }));
      return loss.compute(bs, embeddings, local(`loss/${loss.name}/`, params), 'pooled').value;
    },
    dispose() {
      backbone.dispose();
      loss.dispose();
      for (const b of batches) disposeBatch(b);
    },
  };
}

/** Current values of every variable of a map, as plain arrays (for before/after comparisons). */
export function snapshot(vars: Readonly<Record<string, tf.Tensor>>): Record<string, number[]> {
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, values(v)]));
}

/**
 * Central-difference gradient of a scalar function of a whole parameter map
 * (every entry of every tensor), Richardson-extrapolated from steps h and
 * h/2 — (4·D(h/2) − D(h)) / 3 cancels the O(h²) truncation error, which
 * matters for strongly curved objectives such as meta-losses.
 */
export function numericGradientOfMap(
  f: (params: ParamMap) => tf.Scalar,
  params: Readonly<Record<string, tf.Tensor>>,
  h = 1e-2,
): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const key of Object.keys(params)) {
    const x = params[key] as tf.Tensor;
    const fk = (xk: tf.Tensor) => f({ ...params, [key]: xk });
    const coarse = numericGradient(fk, x, h);
    const fine = numericGradient(fk, x, h / 2);
    out[key] = fine.map((d, i) => (4 * d - (coarse[i] as number)) / 3);
  }
  return out;
}
