import { definePlugin, PluginError, ShapeError, validateHparams, z, type Rng, type SampleShape } from '@metadg/core';
import {
  ACTIVATIONS,
  NetworkBuilder,
  countParams,
  createBackbone,
  formatShape,
  type Layer,
  type NetworkBackbone,
} from '@metadg/backbone-cnn';
import { basicBlock } from './residual-block.js';

const PLUGIN = 'resnet';

/** Hyper-parameters of `resnet` (zod schema; defaults filled in by parsing). */
export const resnetHparams = z.object({
  /** Residual blocks per stage; one stage per entry, each halving the map and doubling the width. */
  blocksPerStage: z.array(z.number().int().positive()).min(1).max(6).default([2, 2, 2, 2]),
  /** Width of the stem and of the first stage; stage i has `baseChannels · 2^i` channels. */
  baseChannels: z.number().int().positive().default(32),
  /** Stride of the 3×3 stem convolution: 2 for 96–128 px face crops, 1 for 28–64 px inputs. */
  stemStride: z.number().int().min(1).max(2).default(2),
  /** GroupNorm groups everywhere; must divide `baseChannels`. */
  groups: z.number().int().positive().default(8),
  /** GroupNorm ε. */
  eps: z.number().positive().default(1e-5),
  activation: z.enum(ACTIVATIONS).default('relu'),
  /** How the last feature map becomes a vector before the embedding layer. */
  head: z.enum(['flatten', 'gap']).default('flatten'),
  /** Width d of the embedding (the final dense layer). */
  embeddingSize: z.number().int().positive().default(128),
});

/** Validated `resnet` hyper-parameters. */
export type ResNetOptions = z.output<typeof resnetHparams>;

/**
 * The `resnet` architecture for an input `[H, W, C]`:
 *
 * - `stem`: 3×3 conv (`baseChannels`, stride `stemStride`, no bias) → `stem-gn` → `stem-act`;
 * - stage s = 1…S (S = `blocksPerStage.length`), width `baseChannels · 2^(s−1)`:
 *   `stage{s}/block{b}` basic residual blocks, the first with stride 2
 *   (and a 1×1 projection shortcut), the others stride 1;
 * - head: `flatten` (default) or `gap` → `embed` (dense, linear output).
 *
 * No BatchNorm anywhere: the meta-step evaluates θ' on another domain's
 * batch, so the function must not depend on batch statistics (MFR.md).
 * Flatten is the default head because a GAP head collapsed under the MFR
 * losses in the measured notes (MFR.md), and for aligned faces the position
 * of a feature is informative: ArcFace (Deng et al. 2019, output setting E)
 * found a flatten → FC embedding better than global pooling. `gap` stays
 * available for unaligned inputs and for ablations.
 */
export function resnetNetwork(inputShape: SampleShape, options: ResNetOptions): Layer {
  checkResnet(inputShape, options);
  const { baseChannels, groups, eps, activation } = options;
  const b = new NetworkBuilder(inputShape)
    .conv2d('stem', { filters: baseChannels, kernelSize: 3, stride: options.stemStride, bias: false })
    .groupNorm('stem-gn', { groups, eps })
    .activation('stem-act', activation);
  options.blocksPerStage.forEach((blocks, s) => {
    const filters = baseChannels * 2 ** s;
    for (let i = 0; i < blocks; i++) {
      b.add((shape) =>
        basicBlock(`stage${s + 1}/block${i + 1}`, shape, { filters, stride: i === 0 ? 2 : 1, groups, eps, activation }),
      );
    }
  });
  if (options.head === 'gap') b.globalAvgPool('gap');
  else b.flatten('flatten');
  return b.dense('embed', { units: options.embeddingSize }).build(PLUGIN);
}

/** A `resnet` backbone with weights drawn from `rng`. Missing options take their defaults. */
export function createResNet(inputShape: SampleShape, options: Partial<ResNetOptions>, rng: Rng): NetworkBackbone {
  const hparams = validateHparams(resnetPlugin, options);
  return createBackbone(resnetNetwork(inputShape, hparams), { name: PLUGIN, rng });
}

/** Cross-field checks zod cannot express, each naming the field at fault. */
function checkResnet(inputShape: SampleShape, options: ResNetOptions): void {
  if (inputShape.length !== 3 || inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ShapeError(`${PLUGIN} input (dataset sampleShape)`, '[H, W, C] of positive integers', formatShape(inputShape));
  }
  if (options.baseChannels % options.groups !== 0) {
    throw new PluginError(
      'PLUGIN_HPARAMS_INVALID',
      PLUGIN,
      `baseChannels = ${options.baseChannels} is not divisible by groups = ${options.groups} (GroupNorm splits channels into equal groups)`,
      'groups',
    );
  }
}

/**
 * Plugin `resnet`: a GroupNorm ResNet (basic blocks) for face crops of the
 * 112 px class; with `stemStride: 1` also for 28–64 px inputs.
 */
export const resnetPlugin = definePlugin({
  kind: 'backbone',
  name: PLUGIN,
  version: '0.1.0',
  description: 'ResNet with basic blocks and GroupNorm (configurable depth/width) → flatten or GAP → dense embedding.',
  hparams: resnetHparams,
  hparamSources: {
    blocksPerStage: 'ResNet-18 layout [2, 2, 2, 2] (He et al. 2016); insightface trains r18 … r100 the same way.',
    baseChannels: 'Half the ResNet-18 width (64): at 112 px the default network is 3.3 M params and 0.24 GFLOP per forward pass, affordable on 2 CPU cores.',
    stemStride: 'Stride-2 stem for 112 px crops (like torchvision ResNet’s stride-2 stem + pool; final map 4×4 after four stages); use 1 for 28–64 px inputs.',
    groups: 'Wu & He 2018 (GroupNorm): accuracy is flat for 8–32 groups; 8 keeps ≥ 4 channels per group at 32 channels.',
    eps: 'PyTorch GroupNorm default.',
    activation: 'ReLU as in ResNet; softplus/tanh for gradient checks.',
    head: 'MFR.md measured notes (GAP collapsed, flatten → dense trained well); ArcFace output setting E.',
    embeddingSize: 'MFR.md measured notes: dense 128 (insightface uses 512 at web scale).',
  },
  hparamSpace: {
    blocksPerStage: (rng) => rng.pick([[1, 1, 1, 1], [2, 2, 2, 2], [1, 1, 1], [2, 2, 2]]),
    baseChannels: (rng) => rng.pick([16, 32, 64]),
    groups: (rng) => rng.pick([4, 8, 16]),
    embeddingSize: (rng) => rng.pick([128, 256, 512]),
  },
  async create(hparams, ctx) {
    const task = await ctx.get('task');
    const network = resnetNetwork(task.dataset.sampleShape, hparams);
    const backbone = createBackbone(network, { name: PLUGIN, rng: ctx.rng });
    ctx.log.info(
      `${PLUGIN}: ${formatShape(network.inputShape)} → ${backbone.embeddingSize}-d, ` +
        `${(countParams(network) / 1e6).toFixed(3)} M params, ${(network.flops / 1e9).toFixed(3)} GFLOP/sample`,
    );
    return backbone;
  },
});
