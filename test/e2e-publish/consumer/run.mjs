// Runs inside the throw-away consumer project: everything imported here was
// installed from the local registry. It composes a run from the consumer's own
// small dataset, backbone and sampler plus the two *third-party* plugin
// packages named on the command line (found in node_modules by name, from the
// run config), trains it, and prints what happened as one JSON line.
//
// usage: node run.mjs <loss plugin package> <meta-optimizer plugin package>
import { PluginRegistry, composeRun, definePlugin, definePluginPackage, parseRunConfig, silentLogger, z, DataError } from '@metadg/core';
import { initBackend } from '@metadg/tensor';
import * as tf from '@tensorflow/tfjs-core';

const [lossPackage, algorithmPackage] = process.argv.slice(2);
const DOMAINS = ['d0', 'd1', 'd2', 'd3'];
const PIXELS = 16;

// Identity = a random 4×4 pattern; domain = a brightness offset; sample = noise.
const dataset = definePlugin({
  kind: 'dataset',
  name: 'consumer-blobs',
  version: '1.0.0',
  description: 'Random 4×4 patterns seen at four brightness levels.',
  hparams: z.object({ identities: z.number().int().min(2).default(6) }),
  create(h, ctx) {
    const ids = Array.from({ length: h.identities }, (_, i) => `id${i}`);
    return {
      name: 'consumer-blobs',
      domains: DOMAINS,
      sampleShape: [4, 4, 1],
      identities(domain) {
        if (!DOMAINS.includes(domain)) throw new DataError(domain, 'unknown domain');
        return ids.map((id) => ({ id, samples: 3 }));
      },
      async load(refs) {
        const data = new Float32Array(refs.length * PIXELS);
        refs.forEach((r, i) => {
          const pattern = ctx.rng.fork(r.identity).normalArray(PIXELS, 0.3);
          const noise = ctx.rng.fork(`${r.domain}/${r.identity}/${r.index}`).normalArray(PIXELS, 0.05);
          for (let k = 0; k < PIXELS; k++) data[i * PIXELS + k] = 0.5 + pattern[k] + noise[k] + 0.1 * DOMAINS.indexOf(r.domain);
        });
        return tf.tensor4d(data, [refs.length, 4, 4, 1]);
      },
    };
  },
});

const backbone = definePlugin({
  kind: 'backbone',
  name: 'consumer-linear',
  version: '1.0.0',
  description: 'Flatten → x·W, functional.',
  hparams: z.object({ width: z.number().int().positive().default(8) }),
  create(h, ctx) {
    const w = tf.variable(tf.tensor2d(ctx.rng.normalArray(PIXELS * h.width, 0.25), [PIXELS, h.width]));
    return {
      name: 'consumer-linear',
      inputShape: [4, 4, 1],
      embeddingSize: h.width,
      params: { w },
      embed: (x, params) => tf.matMul(tf.reshape(x, [x.shape[0], PIXELS]), params?.w ?? w),
      dispose: () => w.dispose(),
    };
  },
});

// Pairs from every source domain; the last drawn domain is meta-test.
const sampler = definePlugin({
  kind: 'sampler',
  name: 'consumer-pairs',
  version: '1.0.0',
  description: 'Gallery/probe pairs per source domain, one domain held out as meta-test.',
  hparams: z.object({ batchSize: z.number().int().positive().default(3) }),
  async create(h, ctx) {
    const task = await ctx.get('task');
    return {
      name: 'consumer-pairs',
      async sample(step) {
        const rng = ctx.rng.fork(step);
        const batches = [];
        for (const domain of rng.shuffle(task.sourceDomains)) {
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
        return { step, batches, splits: [{ metaTrain: batches.slice(0, -1), metaTest: batches.slice(-1) }] };
      },
    };
  },
});

const backend = await initBackend({ backend: 'cpu', log: () => {} });
const registry = new PluginRegistry().register(
  definePluginPackage({ packageName: 'metadg-e2e-consumer', version: '1.0.0', plugins: [dataset, backbone, sampler] }),
);
const config = parseRunConfig({
  name: 'e2e',
  seed: 5,
  plugins: [lossPackage, algorithmPackage],
  dataset: { name: 'consumer-blobs' },
  split: { heldOut: ['d3'] },
  backbone: { name: 'consumer-linear' },
  losses: [{ name: 'e2e-loss' }],
  sampler: { name: 'consumer-pairs' },
  algorithm: { name: 'e2e-mldg', hparams: { lr: 0.2 } },
  train: { steps: 15, logEvery: 100 },
});
const run = await composeRun(config, { registry, searchFrom: [process.cwd()], log: silentLogger });
const trainer = await run.trainer();
// The first step creates the components' variables; later steps must not add tensors.
const history = await trainer.train({ from: 0, to: 1 });
const before = tf.memory().numTensors;
history.push(...(await trainer.train({ from: 1 })));
process.stdout.write(
  `${JSON.stringify({
    backend: backend.backend,
    losses: history.map((m) => m.loss),
    metaTest: history.map((m) => m.parts.metaTest),
    leakedTensors: tf.memory().numTensors - before,
    plugins: run.registry.list().map((p) => `${p.packageName} ${p.manifest.kind}:${p.manifest.name}`),
  })}\n`,
);
