import * as tf from '@tensorflow/tfjs-core';
import { dense } from '@metadg/backbone-cnn';
import { PluginError, Rng, ShapeError, checkBackboneInput, type Backbone, type ParamMap, type SampleShape, type VariableMap } from '@metadg/core';
import { initialHeadKernel, type HeadInit } from './head.js';
import { FACE_NET_DESCRIPTOR_SIZE, FACE_NET_INPUT_SIZE } from './network/architecture.js';
import { faceDescriptor } from './network/forward.js';
import { buildFrozenNet, frozenTensors, type FrozenFaceNet } from './network/frozen-net.js';
import { loadFaceWeights } from './weights/load-face-weights.js';

/** Name of the backbone (and of its plugin). */
export const FACE_BACKBONE_NAME = 'face-resnet34';

/** Parameter names of the trainable head. */
export const HEAD_KERNEL = 'head/kernel';
export const HEAD_BIAS = 'head/bias';

/** Options of {@link createFaceBackbone}. */
export interface FaceBackboneOptions {
  /** Width d of the embeddings the head outputs (default 128, the descriptor's own width). */
  readonly embeddingSize?: number;
  /** Initial head kernel (default `orthogonal`, see {@link HeadInit}). */
  readonly headInit?: HeadInit;
  /**
   * Input sample shape `[H, W, 3]` (default `[150, 150, 3]`, the network's
   * own). Any other H×W is resized to 150×150 inside `embed` (bilinear, as
   * face-api does for tensors of another size); channels must be 3 (RGB).
   */
  readonly inputShape?: SampleShape;
  /** Stream the head is drawn from (default `new Rng(0)`). */
  readonly rng?: Rng;
  /** Directory with `face_recognition_model-weights_manifest.json` and its shard (default: face-api's `model/`). */
  readonly weightsDir?: string;
}

/** The face backbone: a `Backbone` plus access to the frozen descriptor. */
export interface FaceBackbone extends Backbone {
  /**
   * The frozen network's 128-d descriptor, without the head (face-api's
   * `computeFaceDescriptor` for [0, 1] input). Not differentiable: its
   * gradient is zero.
   */
  descriptor(x: tf.Tensor4D): tf.Tensor2D;
}

/**
 * dlib's pretrained face recognition ResNet (weights from face-api's files,
 * frozen: they are not in `params`) followed by a trainable dense head
 * 128 → d (`head/kernel`, `head/bias`). `embed(x, params)` reads the head
 * from `params` where given. Images: float32 NHWC RGB in [0, 1].
 *
 * The frozen part runs as a gradient-free op: inside `tf.grads` nothing of
 * it is recorded on the tape, so none of the network's activations are kept
 * alive for backpropagation (only the head's are).
 */
export function createFaceBackbone(options: FaceBackboneOptions = {}): FaceBackbone {
  const name = FACE_BACKBONE_NAME;
  const d = options.embeddingSize ?? FACE_NET_DESCRIPTOR_SIZE;
  if (!Number.isInteger(d) || d < 1) {
    throw new PluginError('PLUGIN_HPARAMS_INVALID', name, `must be a positive integer, got ${d}`, 'embeddingSize');
  }
  const inputShape: SampleShape = options.inputShape ?? [FACE_NET_INPUT_SIZE, FACE_NET_INPUT_SIZE, 3];
  checkInputShape(inputShape);
  const rng = options.rng ?? new Rng(0);
  const kernelValues = initialHeadKernel(d, options.headInit ?? 'orthogonal', rng.fork(HEAD_KERNEL), name);

  const net: FrozenFaceNet = buildFrozenNet(loadFaceWeights(options.weightsDir));
  // tidy releases the initial tensors; each variable keeps its own reference to the data.
  const variables: Record<string, tf.Variable> = tf.tidy(() => ({
    [HEAD_KERNEL]: tf.variable(tf.tensor2d(kernelValues, [FACE_NET_DESCRIPTOR_SIZE, d]), true),
    [HEAD_BIAS]: tf.variable(tf.zeros([d]), true),
  }));
  const headShapes: Record<string, readonly number[]> = { [HEAD_KERNEL]: [FACE_NET_DESCRIPTOR_SIZE, d], [HEAD_BIAS]: [d] };
  const needsResize = inputShape[0] !== FACE_NET_INPUT_SIZE || inputShape[1] !== FACE_NET_INPUT_SIZE;
  let disposed = false;

  const checkInput = (x: tf.Tensor): void => {
    if (disposed) throw new PluginError('PLUGIN_DISPOSED', name, 'used after dispose()');
    checkBackboneInput(name, inputShape, x);
  };

  const toNetInput = (x: tf.Tensor4D): tf.Tensor4D =>
    // face-api's toBatchTensor: resizeBilinear(x, [150, 150], alignCorners = false, halfPixelCenters = false).
    needsResize ? tf.image.resizeBilinear(x, [FACE_NET_INPUT_SIZE, FACE_NET_INPUT_SIZE], false, false) : x;

  // A gradient-free op: its forward runs below the tape, so the network's
  // activations are never saved for backprop; the gradient w.r.t. the images is zero.
  const frozen = tf.customGrad((x: tf.Tensor | tf.GradSaveFunc) => {
    const images = x as tf.Tensor4D;
    return { value: faceDescriptor(toNetInput(images), net), gradFunc: () => tf.zerosLike(images) };
  });

  const descriptor = (x: tf.Tensor4D): tf.Tensor2D => {
    checkInput(x);
    return tf.tidy(() => frozen(x) as tf.Tensor2D);
  };

  return {
    name,
    inputShape,
    embeddingSize: d,
    params: variables as VariableMap,
    descriptor,
    embed(x, params?: ParamMap) {
      checkInput(x);
      const read = (key: string): tf.Tensor => {
        const p = params?.[key];
        if (!p) return variables[key] as tf.Variable;
        const shape = headShapes[key] as readonly number[];
        if (p.rank !== shape.length || p.shape.some((s, i) => s !== shape[i])) {
          throw new ShapeError(`backbone "${name}" params["${key}"]`, `[${shape.join(', ')}]`, p.shape);
        }
        return p;
      };
      return tf.tidy(() => dense(frozen(x) as tf.Tensor2D, read(HEAD_KERNEL) as tf.Tensor2D, read(HEAD_BIAS) as tf.Tensor1D));
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose(Object.values(variables));
      tf.dispose(frozenTensors(net));
    },
  };
}

function checkInputShape(shape: SampleShape): void {
  const [h, w, c] = shape;
  if (shape.length !== 3 || !Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1 || c !== 3) {
    throw new ShapeError(`backbone "${FACE_BACKBONE_NAME}" input (dataset sampleShape)`, '[H, W, 3] (RGB)', shape);
  }
}
