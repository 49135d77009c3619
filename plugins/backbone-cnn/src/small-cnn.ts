import { definePlugin, PluginError, ShapeError, validateHparams, z, type Rng, type SampleShape } from '@metadg/core';
import { ACTIVATIONS } from './layers/activation.js';
import { formatShape, type Layer } from './layers/layer.js';
import { NetworkBuilder } from './layers/sequential.js';
import { countParams, createBackbone, type NetworkBackbone } from './network-backbone.js';

const PLUGIN = 'small-cnn';

/** Hyper-parameters of `small-cnn` (zod schema; defaults filled in by `parse`). */
export const smallCnnHparams = z.object({
  /** Output channels of each conv block; one block per entry. */
  channels: z.array(z.number().int().positive()).min(1).max(8).default([32, 64, 64, 64]),
  /** Square kernel size (odd: padding is the symmetric (k − 1) / 2). */
  kernelSize: z
    .number()
    .int()
    .positive()
    .refine((k) => k % 2 === 1, 'must be odd (padding is the symmetric (k − 1) / 2)')
    .default(3),
  /** Stride of every block's convolution: 2 halves the map per block (no pooling). */
  stride: z.number().int().min(1).max(2).default(2),
  /** GroupNorm groups after every convolution; must divide every entry of `channels`. */
  groups: z.number().int().positive().default(8),
  /** GroupNorm ε. */
  eps: z.number().positive().default(1e-5),
  activation: z.enum(ACTIVATIONS).default('relu'),
  /** Width d of the embedding (the final dense layer). */
  embeddingSize: z.number().int().positive().default(128),
});

/** Validated `small-cnn` hyper-parameters. */
export type SmallCnnOptions = z.output<typeof smallCnnHparams>;

/**
 * The `small-cnn` architecture for an input `[H, W, C]`: per entry `c_i` of
 * `channels`, `conv{i}` (k×k, stride s, symmetric padding, bias) → `gn{i}`
 * (GroupNorm) → `act{i}`; then `flatten` → `embed` (dense, linear output).
 */
export function smallCnnNetwork(inputShape: SampleShape, options: SmallCnnOptions): Layer {
  checkSmallCnn(inputShape, options);
  const b = new NetworkBuilder(inputShape);
  options.channels.forEach((filters, i) => {
    b.conv2d(`conv${i + 1}`, { filters, kernelSize: options.kernelSize, stride: options.stride, init: options.activation === 'tanh' ? 'glorot' : 'he' })
      .groupNorm(`gn${i + 1}`, { groups: options.groups, eps: options.eps })
      .activation(`act${i + 1}`, options.activation);
  });
  return b.flatten().dense('embed', { units: options.embeddingSize }).build(PLUGIN);
}

/** A `small-cnn` backbone with weights drawn from `rng`. Missing options take their defaults. */
export function createSmallCnn(inputShape: SampleShape, options: Partial<SmallCnnOptions>, rng: Rng): NetworkBackbone {
  const hparams = validateHparams(smallCnnPlugin, options);
  return createBackbone(smallCnnNetwork(inputShape, hparams), { name: PLUGIN, rng });
}

/** Cross-field checks zod cannot express, each naming the field at fault. */
function checkSmallCnn(inputShape: SampleShape, options: SmallCnnOptions): void {
  if (inputShape.length !== 3 || inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ShapeError(`${PLUGIN} input (dataset sampleShape)`, '[H, W, C] of positive integers', formatShape(inputShape));
  }
  options.channels.forEach((c, i) => {
    if (c % options.groups !== 0) {
      throw new PluginError(
        'PLUGIN_HPARAMS_INVALID',
        PLUGIN,
        `channels[${i}] = ${c} is not divisible by groups = ${options.groups} (GroupNorm splits channels into equal groups)`,
        'groups',
      );
    }
  });
}

/**
 * Plugin `small-cnn`: a GroupNorm CNN for 28–64 px inputs (glyphs, digits,
 * small face crops). Input shape comes from the run's dataset.
 */
export const smallCnnPlugin = definePlugin({
  kind: 'backbone',
  name: PLUGIN,
  version: '0.1.0',
  description: 'Conv blocks (stride 2, GroupNorm, activation) → flatten → dense embedding, for 28–64 px inputs.',
  hparams: smallCnnHparams,
  hparamSources: {
    channels:
      'Same widths as the benchmark network (TFJS-NOTES.md speed table); 4 stride-2 blocks take 32 px to 2×2 at ≈ 2 MMAC/sample, cheap on 2 CPU cores.',
    kernelSize: '3×3, the standard small-CNN kernel (VGG, ResNet).',
    stride: 'Stride 2 instead of pooling: strided convolutions differentiate cleanly at second order (MaxPool does not, TFJS-NOTES.md).',
    groups: 'Wu & He 2018 (GroupNorm): accuracy is flat for 8–32 groups; 8 keeps ≥ 4 channels per group at 32 channels.',
    eps: 'PyTorch GroupNorm default.',
    activation: 'ReLU for real runs; softplus/tanh for gradient checks (MFR.md / TFJS-NOTES.md).',
    embeddingSize: 'MFR.md measured notes: flatten → dense 128 trained well (GAP collapsed).',
  },
  hparamSpace: {
    channels: (rng) => rng.pick([[32, 64, 64, 64], [32, 64, 128], [16, 32, 64, 64], [64, 64, 128, 128]]),
    groups: (rng) => rng.pick([4, 8, 16]),
    activation: (rng) => rng.pick(['relu', 'gelu'] as const),
    embeddingSize: (rng) => rng.pick([64, 128, 256]),
  },
  async create(hparams, ctx) {
    const task = await ctx.get('task');
    const network = smallCnnNetwork(task.dataset.sampleShape, hparams);
    const backbone = createBackbone(network, { name: PLUGIN, rng: ctx.rng });
    ctx.log.info(
      `${PLUGIN}: ${formatShape(network.inputShape)} → ${backbone.embeddingSize}-d, ` +
        `${(countParams(network) / 1e6).toFixed(3)} M params, ${(network.flops / 1e6).toFixed(1)} MFLOP/sample`,
    );
    return backbone;
  },
});
