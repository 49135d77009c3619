import { definePlugin, ShapeError, z } from '@metadg/core';
import { FACE_BACKBONE_NAME, createFaceBackbone } from './face-backbone.js';
import { FACE_NET_INPUT_SIZE } from './network/architecture.js';
import { PLUGIN_VERSION } from './version.js';

/** Hyper-parameters of `face-resnet34`. */
export const faceResnetHparams = z.object({
  /** Width d of the trainable head's output. */
  embeddingSize: z.number().int('must be an integer').positive('must be > 0').default(128),
  /** Initial head kernel: a random semi-orthogonal matrix, or [I | 0]. */
  headInit: z.enum(['orthogonal', 'identity']).default('orthogonal'),
  /** Accept datasets whose images are not 150×150 and resize them inside (bilinear). */
  resize: z.boolean().default(false),
});

/**
 * Plugin `face-resnet34` (backbone): dlib's pretrained face ResNet, frozen,
 * plus a trainable dense head. The dataset must deliver 150×150 RGB images
 * (`faces-fixture` does by default; `image-folder` with `imageSize: 150`),
 * or set `resize: true` to resize other square/rectangular RGB inputs.
 */
export const faceResnetPlugin = definePlugin({
  kind: 'backbone',
  name: FACE_BACKBONE_NAME,
  version: PLUGIN_VERSION,
  description:
    "Frozen pretrained face network (dlib's ResNet-34-style model, 150×150 RGB → 128-d; weights: the local " +
    "model files of @vladmandic/face-api) + a trainable dense head 128 → embeddingSize.",
  hparams: faceResnetHparams,
  hparamSources: {
    embeddingSize: "128: the pretrained descriptor's own width, so the head starts as an isometry (dlib / face-api).",
    headInit:
      'orthogonal: a seeded random semi-orthogonal matrix preserves the pretrained cosines exactly for d ≥ 128 ' +
      '(Saxe et al. 2014 orthogonal initialisation); identity reproduces the face-api descriptor itself.',
    resize:
      'false: the network was trained on 150×150 dlib-aligned chips; resizing other crops works but silently ' +
      'changes what the network sees, so it is opt-in.',
  },
  hparamSpace: {
    embeddingSize: (rng) => rng.pick([64, 128, 256]),
    headInit: (rng) => rng.pick(['orthogonal', 'identity'] as const),
  },
  async create(h, ctx) {
    const task = await ctx.get('task');
    const shape = task.dataset.sampleShape;
    const native = shape[0] === FACE_NET_INPUT_SIZE && shape[1] === FACE_NET_INPUT_SIZE && shape[2] === 3;
    if (!native && !(h.resize && shape[2] === 3)) {
      throw new ShapeError(
        `backbone "${FACE_BACKBONE_NAME}" input (dataset "${task.dataset.name}" sampleShape)`,
        `[${FACE_NET_INPUT_SIZE}, ${FACE_NET_INPUT_SIZE}, 3] (set the dataset's imageSize to 150 and channels to 3` +
          `${shape[2] === 3 ? ', or hparams.resize: true' : ''})`,
        shape,
      );
    }
    const backbone = createFaceBackbone({
      embeddingSize: h.embeddingSize,
      headInit: h.headInit,
      inputShape: shape,
      rng: ctx.rng,
    });
    ctx.log.info(
      `${FACE_BACKBONE_NAME}: [${shape.join(', ')}]${native ? '' : ' → resized to [150, 150, 3]'} → frozen dlib ResNet (128-d) → ` +
        `trainable head → ${h.embeddingSize}-d (${(128 * h.embeddingSize + h.embeddingSize).toLocaleString('en')} trainable params)`,
    );
    return backbone;
  },
});
