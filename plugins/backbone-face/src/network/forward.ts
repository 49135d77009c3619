import * as tf from '@tensorflow/tfjs-core';
import { FACE_NET_MEAN_RGB, BLOCKS } from './architecture.js';
import type { FoldedConv, FrozenFaceNet } from './frozen-net.js';

function convUnit(x: tf.Tensor4D, c: FoldedConv, stride: 1 | 2, padding: 'same' | 'valid', relu: boolean): tf.Tensor4D {
  const y = tf.add<tf.Tensor4D>(tf.conv2d(x, c.kernel, stride, padding), c.bias);
  return relu ? tf.relu(y) : y;
}

/** face-api `residual`: relu(conv2(relu(conv1(x))) + x), both 3×3/1 same. */
function residual(x: tf.Tensor4D, b: FrozenFaceNet['blocks'][number]): tf.Tensor4D {
  const out = convUnit(convUnit(x, b.conv1, 1, 'same', true), b.conv2, 1, 'same', false);
  return tf.relu(tf.add<tf.Tensor4D>(out, x));
}

/**
 * face-api `residualDown`: the main path starts with a 3×3/2 *valid*
 * convolution; the shortcut is a 2×2/2 average pool, zero-padded in channels.
 * Where the two disagree in size by a row/column (odd maps: 8 → 3 vs 4), the
 * main path is zero-padded at the bottom/right, as face-api does.
 */
function residualDown(x: tf.Tensor4D, b: FrozenFaceNet['blocks'][number]): tf.Tensor4D {
  let out = convUnit(convUnit(x, b.conv1, 2, 'valid', true), b.conv2, 1, 'same', false);
  let pooled = tf.avgPool(x, 2, 2, 'valid');
  const [, ph, pw, pc] = pooled.shape;
  const [, oh, ow, oc] = out.shape;
  if (ph !== oh || pw !== ow) out = tf.pad(out, [[0, 0], [0, ph - oh], [0, pw - ow], [0, 0]]);
  if (pc !== oc) pooled = tf.pad(pooled, [[0, 0], [0, 0], [0, 0], [0, oc - pc]]);
  return tf.relu(tf.add<tf.Tensor4D>(pooled, out));
}

/**
 * The pretrained 128-d face descriptor of NHWC RGB images with values in
 * [0, 1] (MetaDG's convention), computed as face-api's
 * `FaceRecognitionNet.forwardInput` does for 0–255 input: subtract the mean
 * RGB, divide by 255 — here x − mean/255 —, stem, 14 residual blocks, global
 * average pool, dense 256 → 128. `x` must already be 150×150×3.
 */
export function faceDescriptor(x: tf.Tensor4D, net: FrozenFaceNet): tf.Tensor2D {
  return tf.tidy(() => {
    const mean = tf.tensor1d(FACE_NET_MEAN_RGB.map((v) => v / 255));
    let h = convUnit(tf.sub(x, mean), net.stem, 2, 'valid', true);
    h = tf.maxPool(h, 3, 2, 'valid');
    BLOCKS.forEach((spec, i) => {
      const b = net.blocks[i] as FrozenFaceNet['blocks'][number];
      h = spec.down ? residualDown(h, b) : residual(h, b);
    });
    return tf.matMul(tf.mean(h, [1, 2]) as tf.Tensor2D, net.fc);
  });
}
