// The plugin definitions, written once against whichever copy of
// @metadg/core and tfjs the loader (ESM or CJS) hands in.
module.exports = function acmePlugins(core, tf) {
  const { definePlugin, definePluginPackage, episodeImages, z } = core;

  const dataset = definePlugin({
    kind: 'dataset',
    name: 'acme-blobs',
    version: '1.2.3',
    description: 'Gaussian blobs: identity = blob centre, domain = an intensity offset.',
    hparams: z.object({ identities: z.number().int().min(2).default(6), samples: z.number().int().min(2).default(4) }),
    create(h, ctx) {
      const domains = ['dim', 'mid', 'bright'];
      const ids = Array.from({ length: h.identities }, (_, i) => `blob${i}`);
      const centres = new Map(ids.map((id) => [id, ctx.rng.fork(id).normalArray(16)]));
      return {
        name: 'acme-blobs',
        domains,
        sampleShape: [4, 4, 1],
        identities(domain) {
          if (!domains.includes(domain)) throw new core.DataError(domain, 'unknown domain');
          return ids.map((id) => ({ id, samples: h.samples }));
        },
        async load(refs) {
          const data = new Float32Array(refs.length * 16);
          refs.forEach((r, i) => {
            const c = centres.get(r.identity);
            const noise = ctx.rng.fork(`${r.domain}/${r.identity}/${r.index}`).normalArray(16, 0.1);
            const offset = domains.indexOf(r.domain) * 0.5;
            for (let k = 0; k < 16; k++) data[i * 16 + k] = c[k] + noise[k] + offset;
          });
          return tf.tensor4d(data, [refs.length, 4, 4, 1]);
        },
      };
    },
  });

  const backbone = definePlugin({
    kind: 'backbone',
    name: 'acme-linear',
    version: '1.2.3',
    description: 'Flatten → dense, functional.',
    hparams: z.object({ width: z.number().int().positive().default(8) }),
    async create(h, ctx) {
      const task = await ctx.get('task');
      const w = tf.variable(tf.tensor2d(ctx.rng.normalArray(16 * h.width, 0.3), [16, h.width]));
      return {
        name: 'acme-linear',
        inputShape: task.dataset.sampleShape,
        embeddingSize: h.width,
        params: { w },
        embed: (x, params) => tf.matMul(tf.reshape(x, [x.shape[0], 16]), (params && params.w) || w),
        dispose: () => w.dispose(),
      };
    },
  });

  const loss = definePlugin({
    kind: 'loss',
    name: 'acme-contrastive',
    version: '1.2.3',
    description: 'Pulls gallery and probe together, pushes other pairs apart.',
    hparams: z.object({ margin: z.number().min(0).max(2).default(0.5) }),
    create(h) {
      return {
        name: 'acme-contrastive',
        params: {},
        phases: ['meta-train', 'meta-test', 'pooled'],
        compute(_batches, embeddings) {
          const terms = embeddings.map((e) => {
            const sim = tf.matMul(e.gallery, e.probe, false, true);
            const n = sim.shape[0];
            const eye = tf.eye(n);
            const pos = tf.div(tf.sum(tf.mul(sim, eye)), n);
            const neg = tf.div(tf.sum(tf.relu(tf.sub(tf.mul(sim, tf.sub(1, eye)), h.margin))), n * (n - 1));
            return tf.add(tf.sub(1, pos), neg);
          });
          const value = tf.div(tf.addN(terms), terms.length);
          return { value, parts: { contrastive: value } };
        },
        dispose() {},
      };
    },
  });

  const sampler = definePlugin({
    kind: 'sampler',
    name: 'acme-pairs',
    version: '1.2.3',
    description: 'B identities per source domain, samples 0 and 1 as gallery and probe.',
    hparams: z.object({ batchSize: z.number().int().min(2).default(4) }),
    async create(h, ctx) {
      const task = await ctx.get('task');
      return {
        name: 'acme-pairs',
        async sample(step) {
          const rng = ctx.rng.fork(step);
          const batches = [];
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

  const algorithm = definePlugin({
    kind: 'meta-optimizer',
    name: 'acme-sgd',
    version: '1.2.3',
    description: 'SGD on pooled batches with L2-normalised embeddings.',
    hparams: z.object({ lr: z.number().positive().default(0.2) }),
    async create(h, ctx) {
      const bb = await ctx.get('backbone');
      const losses = await ctx.losses();
      const optimizer = tf.train.sgd(h.lr);
      const normalise = (t) => tf.div(t, tf.add(tf.norm(t, 'euclidean', 1, true), 1e-12));
      return {
        name: 'acme-sgd',
        async step(episode) {
          const cost = optimizer.minimize(() => {
            const emb = episode.batches.map((b) => ({
              kind: 'pairs',
              gallery: normalise(bb.embed(b.gallery)),
              probe: normalise(bb.embed(b.probe)),
            }));
            return tf.addN(losses.map((l) => l.compute(episode.batches, emb, {}, 'pooled').value));
          }, true);
          const loss = (await cost.data())[0];
          cost.dispose();
          return { loss, parts: {}, images: episodeImages(episode) };
        },
        getState: async () => [],
        setState: async () => {},
        dispose: () => optimizer.dispose(),
      };
    },
  });

  return definePluginPackage({
    packageName: '@acme/metadg-toy',
    version: '1.2.3',
    plugins: [dataset, backbone, loss, sampler, algorithm],
  });
};
