import { PluginError, definePlugin, z, type Loss } from '@metadg/core';
import { classifierHeadFrom } from '@metadg/meta';
import { arcFaceLogits } from './margin-logits.js';
import { createMarginLoss, type ClassifierOptions } from './margin-loss-term.js';
import { PLUGIN_VERSION } from './version.js';

/** Options of {@link createArcFaceLoss}. */
export interface ArcFaceLossOptions extends ClassifierOptions {
  readonly scale: number;
  readonly margin: number;
  readonly easyMargin?: boolean;
}

/**
 * The `arcface` loss term: MFR's soft classification with ArcFace logits
 * s·cos(θ_y + m) (insightface formulation, see `arcFaceTarget`). Owns W
 * (C×d, param key `W`); part `arcface`.
 */
export function createArcFaceLoss(options: ArcFaceLossOptions): Loss {
  const { scale, margin, easyMargin = false } = options;
  checkScale('arcface', scale);
  if (!(margin >= 0 && margin <= Math.PI / 2)) {
    throw new PluginError('PLUGIN_HPARAMS_INVALID', 'arcface', `must be in [0, π/2], got ${margin}`, 'margin');
  }
  return createMarginLoss({
    ...options,
    name: 'arcface',
    part: 'arcface',
    logits: (e, w, y) => arcFaceLogits(e, w, y, { scale, margin, easyMargin }),
  });
}

/** Throws a PluginError naming `scale` unless it is a finite positive number. */
export function checkScale(plugin: string, scale: number): void {
  if (!(scale > 0 && Number.isFinite(scale))) throw new PluginError('PLUGIN_HPARAMS_INVALID', plugin, `must be > 0, got ${scale}`, 'scale');
}

/** Plugin `arcface` (loss): additive angular margin softmax over a cosine classifier of all training identities. */
export const arcfacePlugin = definePlugin({
  kind: 'loss',
  name: 'arcface',
  version: PLUGIN_VERSION,
  description:
    'ArcFace (additive angular margin, Deng et al. CVPR 2019): cross-entropy of s·cos(θ_y + m) / s·cos θ_j logits of a ' +
    'cosine classifier (C = task.labels.size, d = backbone.embeddingSize) on gallery and probe, like MFR soft classification.',
  hparams: z.object({
    scale: z.number().positive('must be > 0').default(64),
    margin: z.number().min(0, 'must be in [0, π/2]').max(Math.PI / 2, 'must be in [0, π/2]').default(0.5),
    easyMargin: z.boolean().default(false),
  }),
  hparamSources: {
    scale: 'Deng et al., ArcFace, CVPR 2019, §4.1 implementation details: "we set the feature scale s to 64".',
    margin: 'Deng et al., ArcFace, CVPR 2019, §4.1: "choose the angular margin m of ArcFace at 0.5".',
    easyMargin:
      "false: insightface's default (recognition/arcface_torch/losses.py, ArcFace: easy_margin = False) — past θ > π − m the target logit is " +
      's·(cos θ − m·sin m) instead of the non-monotonic cos(θ + m).',
  },
  hparamSpace: {
    scale: (rng) => 2 ** rng.uniform(4, 6),
    margin: (rng) => rng.uniform(0.2, 0.6),
  },
  async create(h, ctx) {
    return createArcFaceLoss({ ...(await classifierHeadFrom(ctx)), scale: h.scale, margin: h.margin, easyMargin: h.easyMargin });
  },
});
