// Tiny but real implementations of every contract, used to test the
// registry and composition root without any plugin package.
import * as tf from '@tensorflow/tfjs-core';
import type { Backbone, DomainDataset, Episode, Loss, MetaOptimizer, PairBatch } from '../src/index.js';
import { definePlugin, definePluginPackage, episodeImages, z, type PluginPackage } from '../src/index.js';

export const toyDataset = definePlugin({
  kind: 'dataset',
  name: 'toy',
  version: '1.0.0',
  description: 'Three domains × 4 identities × 3 samples of 2×2×1 images, values from a seeded stream.',
  hparams: z.object({ identities: z.number().int().min(2).default(4) }),
  create(h, ctx): DomainDataset {
    const domains = ['a', 'b', 'c'];
    const ids = Array.from({ length: h.identities }, (_, i) => `id${i}`);
    const base = new Map(ids.map((id) => [id, ctx.rng.fork(id).normalArray(4)]));
    return {
      name: 'toy',
      domains,
      sampleShape: [2, 2, 1],
      identities: (domain) => {
        if (!domains.includes(domain)) throw new Error(`unknown domain ${domain}`);
        return ids.map((id) => ({ id, samples: 3 }));
      },
      async load(refs) {
        const data = new Float32Array(refs.length * 4);
        refs.forEach((r, i) => {
          const b = base.get(r.identity)!;
          for (let k = 0; k < 4; k++) data[i * 4 + k] = b[k]! + 0.1 * (domains.indexOf(r.domain) + r.index);
        });
        return tf.tensor4d(data, [refs.length, 2, 2, 1]);
      },
    };
  },
});

export const toyBackbone = definePlugin({
  kind: 'backbone',
  name: 'toy-linear',
  version: '1.0.0',
  description: 'Flatten → dense (functional form).',
  hparams: z.object({ width: z.number().int().positive().default(3) }),
  async create(h, ctx): Promise<Backbone> {
    const task = await ctx.get('task');
    const [hh, ww, cc] = task.dataset.sampleShape;
    const inDim = hh * ww * cc;
    const w = tf.variable(tf.tensor2d(ctx.rng.normalArray(inDim * h.width, 0.5), [inDim, h.width]), true);
    return {
      name: 'toy-linear',
      inputShape: task.dataset.sampleShape,
      embeddingSize: h.width,
      params: { w },
      embed: (x, params) => tf.matMul(tf.reshape(x, [x.shape[0], inDim]), (params?.['w'] ?? w) as tf.Tensor2D),
      dispose: () => w.dispose(),
    };
  },
});

export const toyLoss = definePlugin({
  kind: 'loss',
  name: 'toy-ce',
  version: '1.0.0',
  description: 'Squared distance between gallery and probe embeddings.',
  hparams: z.object({ scale: z.number().positive().default(1) }),
  create(h): Loss {
    return {
      name: 'toy-ce',
      params: {},
      phases: ['meta-train', 'meta-test', 'pooled'],
      compute(_batches, embeddings) {
        const terms = embeddings.map((e) =>
          e.kind === 'pairs' ? tf.mean(tf.sum(tf.square(tf.sub(e.gallery, e.probe)), 1)) : tf.scalar(0),
        );
        const value = tf.mul(tf.addN(terms), h.scale / terms.length) as tf.Scalar;
        return { value, parts: { distance: value } };
      },
      dispose: () => {},
    };
  },
});

export const toySampler = definePlugin({
  kind: 'sampler',
  name: 'toy-sampler',
  version: '1.0.0',
  description: 'One pair per identity from every source domain.',
  hparams: z.object({ batchSize: z.number().int().positive().default(2) }),
  async create(h, ctx) {
    const task = await ctx.get('task');
    return {
      name: 'toy-sampler',
      async sample(step: number): Promise<Episode> {
        const rng = ctx.rng.fork(step);
        const batches: PairBatch[] = [];
        for (const domain of task.sourceDomains) {
          const ids = rng.sample(task.dataset.identities(domain), h.batchSize).map((i) => i.id);
          batches.push({
            kind: 'pairs',
            domain,
            gallery: await task.dataset.load(ids.map((identity) => ({ domain, identity, index: 0 }))),
            probe: await task.dataset.load(ids.map((identity) => ({ domain, identity, index: 1 }))),
            labels: tf.tensor1d(ids.map((id) => task.labels.indexOf(id)), 'int32'),
            identities: ids,
          });
        }
        return { step, batches, splits: [{ metaTrain: batches.slice(1), metaTest: batches.slice(0, 1) }] };
      },
    };
  },
});

export const toyAlgorithm = definePlugin({
  kind: 'meta-optimizer',
  name: 'toy-sgd',
  version: '1.0.0',
  description: 'Plain SGD on the pooled batches.',
  hparams: z.object({ lr: z.number().positive().default(0.1) }),
  async create(h, ctx): Promise<MetaOptimizer> {
    const backbone = await ctx.get('backbone');
    const losses = await ctx.losses();
    const optimizer = tf.train.sgd(h.lr);
    return {
      name: 'toy-sgd',
      async step(episode) {
        const cost = optimizer.minimize(() => {
          const embeddings = episode.batches.map((b) =>
            b.kind === 'pairs'
              ? { kind: 'pairs' as const, gallery: backbone.embed(b.gallery), probe: backbone.embed(b.probe) }
              : { kind: 'labelled' as const, x: backbone.embed(b.x) },
          );
          const values = losses.map((l) => l.compute(episode.batches, embeddings, {}, 'pooled').value);
          return tf.addN(values) as tf.Scalar;
        }, true)!;
        const loss = (await cost.data())[0]!;
        cost.dispose();
        return { loss, parts: {}, images: episodeImages(episode) };
      },
      getState: async () => [],
      setState: async () => {},
      dispose: () => optimizer.dispose(),
    };
  },
});

/** All toy plugins as one package. */
export const toyPackage: PluginPackage = definePluginPackage({
  packageName: '@metadg-test/toy',
  version: '1.0.0',
  plugins: [toyDataset, toyBackbone, toyLoss, toySampler, toyAlgorithm],
});

/** A config that composes the toy plugins. */
export const toyConfig = {
  seed: 1,
  dataset: { name: 'toy' },
  split: { heldOut: ['c'] },
  backbone: { name: 'toy-linear' },
  losses: [{ name: 'toy-ce' }],
  sampler: { name: 'toy-sampler' },
  algorithm: { name: 'toy-sgd' },
  train: { steps: 5, logEvery: 100 },
};
