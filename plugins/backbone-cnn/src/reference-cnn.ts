import { definePlugin, ShapeError, z, type Rng, type SampleShape } from '@metadg/core';
import { formatShape, type Layer } from './layers/layer.js';
import { NetworkBuilder } from './layers/sequential.js';
import { createBackbone, type NetworkBackbone } from './network-backbone.js';

const PLUGIN = 'reference-cnn';

/** The only input the reference network accepts: 64×64 RGB. */
export const REFERENCE_CNN_INPUT: SampleShape = [64, 64, 3];

/**
 * The benchmark network (TFJS-NOTES.md speed table), fixed so that timings
 * are comparable across machines, backends and versions:
 *
 * | layer | op | output | params |
 * |---|---|---|---|
 * | conv1 + act1 | 3×3 conv, 32, stride 2, pad 1, bias; softplus | 32×32×32 | 896 |
 * | conv2 + act2 | 3×3 conv, 64, stride 2, pad 1, bias; softplus | 16×16×64 | 18,496 |
 * | conv3 + act3 | 3×3 conv, 64, stride 2, pad 1, bias; softplus | 8×8×64 | 36,928 |
 * | conv4 + act4 | 3×3 conv, 64, stride 2, pad 1, bias; softplus | 4×4×64 | 36,928 |
 * | flatten | row-major (H, W, C) | 1024 | 0 |
 * | embed | dense 1024 → 128, bias, linear | 128 | 131,200 |
 *
 * 224,448 parameters. No normalisation (it is a speed reference, not a model
 * to train under MFR); softplus so that gradient checks on it are smooth.
 * "pad 1" is symmetric zero padding (PyTorch `padding=1`); for these even
 * sizes it gives the same output sizes as TensorFlow's `'same'`.
 */
export function referenceCnnNetwork(): Layer {
  const b = new NetworkBuilder(REFERENCE_CNN_INPUT);
  [32, 64, 64, 64].forEach((filters, i) => {
    b.conv2d(`conv${i + 1}`, { filters, kernelSize: 3, stride: 2, padding: 1 }).activation(`act${i + 1}`, 'softplus');
  });
  return b.flatten().dense('embed', { units: 128 }).build(PLUGIN);
}

/** The reference network as a backbone with weights drawn from `rng`. */
export function createReferenceCnn(rng: Rng): NetworkBackbone {
  return createBackbone(referenceCnnNetwork(), { name: PLUGIN, rng });
}

/**
 * Plugin `reference-cnn`: the fixed benchmark network (no hyper-parameters).
 * The run's dataset must yield 64×64×3 samples.
 */
export const referenceCnnPlugin = definePlugin({
  kind: 'backbone',
  name: PLUGIN,
  version: '0.1.0',
  description: 'Fixed benchmark network: 64×64×3 → 4 × (3×3 conv stride 2, softplus) 32/64/64/64 → flatten → dense 128.',
  hparams: z.object({}),
  async create(_hparams, ctx) {
    const task = await ctx.get('task');
    const shape = task.dataset.sampleShape;
    if (formatShape(shape) !== formatShape(REFERENCE_CNN_INPUT)) {
      throw new ShapeError(
        `${PLUGIN} input (dataset "${task.dataset.name}" sampleShape)`,
        `${formatShape(REFERENCE_CNN_INPUT)} (the reference network is fixed; use small-cnn for other sizes)`,
        shape,
      );
    }
    return createReferenceCnn(ctx.rng);
  },
});
