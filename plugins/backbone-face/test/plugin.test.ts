import * as tf from '@tensorflow/tfjs-core';
import {
  PluginError,
  ShapeError,
  buildLabelSpace,
  instantiate,
  memoryLogger,
  pluginTestContext,
  validateHparams,
  type DomainDataset,
  type SampleShape,
  type TrainingTask,
} from '@metadg/core';
import { initBackend } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { faceResnetPlugin, metadgPlugins } from '../src/index.js';

/** A task over a dataset that only describes its shape (create() never loads images). */
function taskOf(sampleShape: SampleShape, name = 'shapes'): TrainingTask {
  const dataset: DomainDataset = {
    name,
    domains: ['a'],
    sampleShape,
    identities: () => [{ id: 'p1', samples: 2 }],
    load: async () => tf.zeros([0, ...sampleShape]) as tf.Tensor4D,
  };
  return { dataset, sourceDomains: ['a'], heldOutDomains: [], labels: buildLabelSpace(dataset, ['a']) };
}

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

describe('plugin face-resnet34', () => {
  it('is exported by the package with its defaults', () => {
    expect(metadgPlugins.packageName).toBe('@metadg/backbone-face');
    expect(metadgPlugins.plugins.map((p) => `${p.kind}:${p.name}`)).toEqual(['backbone:face-resnet34']);
    expect(validateHparams(faceResnetPlugin, {})).toEqual({ embeddingSize: 128, headInit: 'orthogonal', resize: false });
    expect(() => validateHparams(faceResnetPlugin, { embeddingSize: 0 })).toThrow(
      new PluginError('PLUGIN_HPARAMS_INVALID', 'face-resnet34', 'must be > 0', 'embeddingSize'),
    );
  });

  it('builds a backbone for 150×150 RGB datasets, sized by embeddingSize, and logs what it built', async () => {
    const log = memoryLogger();
    const ctx = pluginTestContext({ components: { task: taskOf([150, 150, 3]) }, log });
    const b = await instantiate(faceResnetPlugin, { embeddingSize: 64 }, ctx);
    expect(b.name).toBe('face-resnet34');
    expect(b.embeddingSize).toBe(64);
    expect(b.params['head/kernel']?.shape).toEqual([128, 64]);
    expect(log.lines.join('\n')).toMatch(/face-resnet34: \[150, 150, 3\] → frozen dlib ResNet/);
    b.dispose();
  });

  it('same seed ⇒ same head, bit for bit', async () => {
    const make = () => instantiate(faceResnetPlugin, {}, pluginTestContext({ seed: 3, components: { task: taskOf([150, 150, 3]) } }));
    const [a, b] = [await make(), await make()];
    expect(Array.from(a.params['head/kernel']?.dataSync() ?? [])).toEqual(Array.from(b.params['head/kernel']?.dataSync() ?? []));
    a.dispose();
    b.dispose();
  });

  it('rejects other image sizes with a ShapeError naming the dataset, unless resize is set', async () => {
    const ctx = pluginTestContext({ components: { task: taskOf([112, 112, 3], 'faces-112') } });
    await expect(instantiate(faceResnetPlugin, {}, ctx)).rejects.toThrow(
      new ShapeError(
        'backbone "face-resnet34" input (dataset "faces-112" sampleShape)',
        "[150, 150, 3] (set the dataset's imageSize to 150 and channels to 3, or hparams.resize: true)",
        [112, 112, 3],
      ),
    );
    const resized = await instantiate(faceResnetPlugin, { resize: true }, ctx);
    expect(resized.inputShape).toEqual([112, 112, 3]);
    resized.dispose();
    const grey = pluginTestContext({ components: { task: taskOf([150, 150, 1], 'grey') } });
    await expect(instantiate(faceResnetPlugin, { resize: true }, grey)).rejects.toThrow(
      new ShapeError(
        'backbone "face-resnet34" input (dataset "grey" sampleShape)',
        "[150, 150, 3] (set the dataset's imageSize to 150 and channels to 3)",
        [150, 150, 1],
      ),
    );
  });

  it('rejects headInit identity with embeddingSize < 128', async () => {
    const ctx = pluginTestContext({ components: { task: taskOf([150, 150, 3]) } });
    await expect(instantiate(faceResnetPlugin, { embeddingSize: 32, headInit: 'identity' }, ctx)).rejects.toThrow(PluginError);
  });
});
