import { PluginError, definePlugin, z, type Loss } from '@metadg/core';
import { classifierHeadFrom } from '@metadg/meta';
import { checkScale } from './arcface.js';
import { cosFaceLogits } from './margin-logits.js';
import { createMarginLoss, type ClassifierOptions } from './margin-loss-term.js';
import { PLUGIN_VERSION } from './version.js';

/** Options of {@link createCosFaceLoss}. */
export interface CosFaceLossOptions extends ClassifierOptions {
  readonly scale: number;
  readonly margin: number;
}

/**
 * The `cosface` loss term: MFR's soft classification with CosFace logits
 * s·(cos θ_y − m). Owns W (C×d, param key `W`); part `cosface`.
 */
export function createCosFaceLoss(options: CosFaceLossOptions): Loss {
  const { scale, margin } = options;
  checkScale('cosface', scale);
  if (!(margin >= 0 && margin <= 1)) throw new PluginError('PLUGIN_HPARAMS_INVALID', 'cosface', `must be in [0, 1], got ${margin}`, 'margin');
  return createMarginLoss({ ...options, name: 'cosface', part: 'cosface', logits: (e, w, y) => cosFaceLogits(e, w, y, { scale, margin }) });
}

/** Plugin `cosface` (loss): large-margin cosine loss over a cosine classifier of all training identities. */
export const cosfacePlugin = definePlugin({
  kind: 'loss',
  name: 'cosface',
  version: PLUGIN_VERSION,
  description:
    'CosFace / LMCL (large margin cosine loss, Wang et al. CVPR 2018): cross-entropy of s·(cos θ_y − m) / s·cos θ_j logits ' +
    'of a cosine classifier (C = task.labels.size, d = backbone.embeddingSize) on gallery and probe, like MFR soft classification.',
  hparams: z.object({
    scale: z.number().positive('must be > 0').default(64),
    margin: z.number().min(0, 'must be in [0, 1]').max(1, 'must be in [0, 1]').default(0.35),
  }),
  hparamSources: {
    scale: 'Wang et al., CosFace, CVPR 2018 (experimental settings): s = 64, as in their reported models.',
    margin: 'Wang et al., CosFace, CVPR 2018: m = 0.35, the margin of their reported models (best of their study of m).',
  },
  hparamSpace: {
    scale: (rng) => 2 ** rng.uniform(4, 6),
    margin: (rng) => rng.uniform(0.1, 0.45),
  },
  async create(h, ctx) {
    return createCosFaceLoss({ ...(await classifierHeadFrom(ctx)), scale: h.scale, margin: h.margin });
  },
});
