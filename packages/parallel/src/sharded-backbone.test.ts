import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type { Backbone, ParamMap } from '@metadg/core';
import { initBackend } from '@metadg/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShardWorkerError } from './errors.js';
import { ShardWorker } from './shard-worker.js';
import { shardBackbone, type ShardedBackbone } from './sharded-backbone.js';
import { startShardedBackbone } from './start.js';

const FIXTURE = fileURLToPath(new URL('../test/fixtures/tiny-backbone.mjs', import.meta.url));

interface FixtureModule {
  createBackbone(options?: Record<string, unknown>): Backbone;
}
const fixture = (await import(FIXTURE)) as FixtureModule;

/** Random images of the fixture's shape (seeded through tfjs). */
function images(n: number, seed: number): tf.Tensor4D {
  return tf.randomUniform([n, 8, 8, 2], -1, 1, 'float32', seed) as tf.Tensor4D;
}

/** A loss that couples every row of the batch (like hard-pair mining or domain alignment do). */
function coupledLoss(e: tf.Tensor2D): tf.Scalar {
  const gram = tf.matMul(e, e, false, true);
  return tf.add(tf.mean(tf.square(gram)), tf.mean(tf.softplus(tf.sum(e, 0)))) as tf.Scalar;
}

function maxRelDiff(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  let scale = 1e-6;
  let diff = 0;
  for (let i = 0; i < x.length; i++) {
    scale = Math.max(scale, Math.abs(y[i] as number));
    diff = Math.max(diff, Math.abs((x[i] as number) - (y[i] as number)));
  }
  return diff / scale;
}

function gradsOf(backbone: Backbone, x: tf.Tensor4D, at?: ParamMap): tf.Tensor[] {
  const keys = Object.keys(backbone.params);
  const theta = keys.map((k) => (at?.[k] ?? backbone.params[k]) as tf.Tensor);
  return tf.grads((...p: tf.Tensor[]) => coupledLoss(backbone.embed(x, Object.fromEntries(keys.map((k, i) => [k, p[i] as tf.Tensor])))))(theta);
}

describe('shardBackbone (one worker thread, cpu backend)', () => {
  let local: Backbone;
  let worker: ShardWorker;
  let sharded: ShardedBackbone;

  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: () => {} });
    local = fixture.createBackbone();
    worker = await ShardWorker.start(local, { factory: { module: FIXTURE } });
    sharded = shardBackbone(local, [worker], { minRows: 4 });
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    local?.dispose();
  });

  it('embeds exactly as the backbone alone, the worker taking its share of rows', () => {
    const x = images(20, 1);
    const before = sharded.stats.sharded;
    const a = sharded.embed(x);
    const b = local.embed(x);
    expect(a.shape).toEqual([20, 6]);
    expect(maxRelDiff(a, b)).toBeLessThan(1e-6);
    expect(sharded.stats.sharded).toBe(before + 1);
    tf.dispose([x, a, b]);
  });

  it('gives the single-thread gradient of a batch-coupled loss, at the variables and at adapted parameters', () => {
    const x = images(24, 2);
    const expected = gradsOf(local, x);
    const got = gradsOf(sharded, x);
    got.forEach((g, i) => expect(maxRelDiff(g, expected[i] as tf.Tensor)).toBeLessThan(1e-5));
    // θ′ = θ − 0.3·g: tensors, not variables (a meta-learner's adapted parameters).
    const adapted: ParamMap = Object.fromEntries(Object.keys(local.params).map((k, i) => [k, tf.sub(local.params[k] as tf.Tensor, tf.mul(expected[i] as tf.Tensor, 0.3))]));
    const expectedAt = gradsOf(local, x, adapted);
    const gotAt = gradsOf(sharded, x, adapted);
    gotAt.forEach((g, i) => expect(maxRelDiff(g, expectedAt[i] as tf.Tensor)).toBeLessThan(1e-5));
    // A test that can fail: the adapted gradient really differs from the one at θ.
    expect(maxRelDiff(gotAt[0] as tf.Tensor, got[0] as tf.Tensor)).toBeGreaterThan(1e-3);
    tf.dispose([x, ...expected, ...got, ...Object.values(adapted), ...expectedAt, ...gotAt]);
  });

  it('differentiates a second-order meta-objective exactly: the inner gradient stays on this thread', () => {
    const x = images(16, 3);
    const xt = images(16, 4);
    const keys = Object.keys(local.params);
    // ∇θ L_T(θ − α∇L_S(θ)), the MAML/MFR meta-gradient, through nested tf.grads.
    const metaGrad = (b: Backbone): tf.Tensor[] =>
      tf.grads((...theta: tf.Tensor[]) => {
        const map = (p: readonly tf.Tensor[]): ParamMap => Object.fromEntries(keys.map((k, i) => [k, p[i] as tf.Tensor]));
        const inner = tf.grads((...p: tf.Tensor[]) => coupledLoss(b.embed(x, map(p))))(theta);
        const adapted = theta.map((t, i) => tf.sub(t, tf.mul(inner[i] as tf.Tensor, 0.5)));
        return coupledLoss(b.embed(xt, map(adapted)));
      })(keys.map((k) => local.params[k] as tf.Tensor));
    const { sharded: s0, local: l0 } = sharded.stats;
    const expected = metaGrad(local);
    const got = metaGrad(sharded);
    got.forEach((g, i) => expect(maxRelDiff(g, expected[i] as tf.Tensor)).toBeLessThan(1e-4));
    // The outer (depth-1) embedding ran sharded, the inner (depth-2) one locally.
    expect(sharded.stats.sharded - s0).toBe(1);
    expect(sharded.stats.local - l0).toBe(1);
    // Without the Hessian term the result would differ: the check can fail.
    const firstOrder = tf.grads((...theta: tf.Tensor[]) => coupledLoss(local.embed(xt, Object.fromEntries(keys.map((k, i) => [k, theta[i] as tf.Tensor])))))(
      keys.map((k) => local.params[k] as tf.Tensor),
    );
    expect(maxRelDiff(got[0] as tf.Tensor, firstOrder[0] as tf.Tensor)).toBeGreaterThan(1e-3);
    tf.dispose([x, xt, ...expected, ...got, ...firstOrder]);
  });

  it('keeps small batches on this thread', () => {
    const x = images(3, 5);
    const before = { ...sharded.stats };
    tf.dispose([sharded.embed(x), x]);
    expect(sharded.stats.local).toBe(before.local + 1);
    expect(sharded.stats.sharded).toBe(before.sharded);
  });

  it('grows the shared buffer for batches larger than the first one', () => {
    const x = images(300, 6);
    const a = sharded.embed(x);
    const b = local.embed(x);
    expect(maxRelDiff(a, b)).toBeLessThan(1e-6);
    tf.dispose([x, a, b]);
  });

  it('refuses gradients with respect to the images, naming the fix', () => {
    const x = images(12, 7);
    expect(() => tf.grad((img: tf.Tensor) => coupledLoss(sharded.embed(img as tf.Tensor4D)))(x)).toThrow(/input images.*threads: 1/);
    x.dispose();
  });

  it('keeps the tensor count flat over training steps', () => {
    const x = images(20, 8);
    const step = () => {
      const g = gradsOf(sharded, x);
      tf.dispose(g);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

describe('shard worker failures', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: () => {} });
  });

  it('reports a factory without the named export', async () => {
    const b = fixture.createBackbone();
    await expect(ShardWorker.start(b, { factory: { module: FIXTURE, exportName: 'missing' } })).rejects.toThrow(/shard worker 1: could not start: .*no function export "missing"/);
    b.dispose();
  });

  it('reports a factory that throws, and a copy whose parameters differ', async () => {
    const b = fixture.createBackbone();
    await expect(ShardWorker.start(b, { factory: { module: FIXTURE, exportName: 'notABackbone' } })).rejects.toThrow(/this factory always fails/);
    await expect(ShardWorker.start(b, { factory: { module: FIXTURE, options: { extraParam: true } } })).rejects.toThrow(/dense\/b/);
    await expect(ShardWorker.start(b, { factory: { module: 'relative/path.mjs' } })).rejects.toBeInstanceOf(ShardWorkerError);
    b.dispose();
  });

  it('turns a failure inside the worker into a typed error, and serves the next request', async () => {
    const b = fixture.createBackbone();
    // 20 rows → 12 here, 8 on the worker, whose copy fails on batches of 8.
    const running = await startShardedBackbone(b, { threads: 2, minRows: 4, factory: { module: FIXTURE, options: { failOnRows: 8 } } });
    try {
      const x = images(20, 9);
      expect(() => running.backbone.embed(x)).toThrow(ShardWorkerError);
      expect(() => running.backbone.embed(x)).toThrow(/shard worker 1: tiny-fixture: planted failure on a batch of 8/);
      const y = images(30, 10);
      const a = running.backbone.embed(y);
      const want = b.embed(y);
      expect(maxRelDiff(a, want)).toBeLessThan(1e-6);
      tf.dispose([x, y, a, want]);
    } finally {
      await running.close();
    }
    // After close the backbone still works, on this thread.
    const z = images(20, 11);
    tf.dispose([running.backbone.embed(z), z]);
    b.dispose();
  });

  it('splits over two workers: the same embeddings and gradients as one thread', async () => {
    const b = fixture.createBackbone();
    const running = await startShardedBackbone(b, { threads: 3, minRows: 4, factory: { module: FIXTURE } });
    try {
      const x = images(23, 12);
      const a = running.backbone.embed(x);
      const want = b.embed(x);
      expect(maxRelDiff(a, want)).toBeLessThan(1e-6);
      const expected = gradsOf(b, x);
      gradsOf(running.backbone, x).forEach((g, i) => expect(maxRelDiff(g, expected[i] as tf.Tensor)).toBeLessThan(1e-5));
      expect((running.backbone as ShardedBackbone).stats.sharded).toBe(2);
      tf.dispose([x, a, want, ...expected]);
    } finally {
      await running.close();
      b.dispose();
    }
  });

  it('threads: 1 starts nothing and returns the backbone itself', async () => {
    const b = fixture.createBackbone();
    const running = await startShardedBackbone(b, { threads: 1, factory: { module: FIXTURE } });
    expect(running.backbone).toBe(b);
    await running.close();
    await expect(startShardedBackbone(b, { threads: 0, factory: { module: FIXTURE } })).rejects.toThrow(/threads/);
    b.dispose();
  });
});
