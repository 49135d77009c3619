// Shared test fixtures: a plugin context around a fake dataset, and seeded inputs.
import * as tf from '@tensorflow/tfjs-core';
import {
  buildLabelSpace,
  pluginTestContext,
  Rng,
  silentLogger,
  type Backbone,
  type DomainDataset,
  type PluginContext,
  type SampleShape,
  type TrainingTask,
} from '@metadg/core';

/** A dataset that only declares its sample shape (backbones read nothing else). */
export function shapeOnlyDataset(sampleShape: SampleShape): DomainDataset {
  return {
    name: 'shape-only',
    domains: ['a', 'b'],
    sampleShape,
    identities: () => [{ id: 'x', samples: 2 }],
    load: async (refs) => tf.zeros([refs.length, ...sampleShape]) as tf.Tensor4D,
  };
}

/** A plugin context whose task has `sampleShape` samples and whose rng is seeded by `seed`. */
export function contextFor(sampleShape: SampleShape, seed = 1, log = silentLogger): PluginContext {
  const dataset = shapeOnlyDataset(sampleShape);
  const task: TrainingTask = { dataset, sourceDomains: ['a'], heldOutDomains: ['b'], labels: buildLabelSpace(dataset, ['a']) };
  return pluginTestContext({ seed, rngLabel: 'backbone', log, components: { task, dataset } });
}

/** A batch `[n, ...shape]` of seeded uniform values in [0, 1) (image-like). */
export function seededBatch(n: number, shape: SampleShape, seed: number): tf.Tensor4D {
  const rng = new Rng(seed);
  const size = n * shape[0] * shape[1] * shape[2];
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = rng.next();
  return tf.tensor4d(values, [n, ...shape]);
}

/** The backbone's variables as a plain parameter map. */
export function paramsOf(backbone: Backbone): Record<string, tf.Tensor> {
  return { ...backbone.params };
}

/** A smooth scalar of the embeddings that depends on every output: ½‖E − T‖² with seeded T. */
export function smoothObjective(backbone: Backbone, x: tf.Tensor4D, seed = 99): (p: Readonly<Record<string, tf.Tensor>>) => tf.Scalar {
  const rng = new Rng(seed);
  const target = tf.tensor2d(rng.normalArray(x.shape[0] * backbone.embeddingSize), [x.shape[0], backbone.embeddingSize]);
  tf.keep(target);
  return (p) => tf.mul(tf.sum(tf.square(tf.sub(backbone.embed(x, p), target))), 0.5) as tf.Scalar;
}
