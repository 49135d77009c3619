// A literal transcription of face-api's FaceRecognitionNet forward pass
// (src/faceRecognitionNet/{FaceRecognitionNet,convLayer,residualLayer,scaleLayer}.ts
// of @vladmandic/face-api 1.7.15), on 0–255 input, with the conv bias and the
// scale layer kept separate and the down-sampling padding done by concat as
// there. The package folds the scale layers and pads with tf.pad; this is the
// independent reference it is checked against.
import * as tf from '@tensorflow/tfjs-core';
import type { FaceWeights } from '../src/index.js';

type Read = (name: string) => tf.Tensor;

function convLayer(x: tf.Tensor4D, read: Read, prefix: string, strides: 1 | 2, withRelu: boolean, padding: 'valid' | 'same' = 'same'): tf.Tensor4D {
  let out = tf.conv2d(x, read(`${prefix}/conv/filters`) as tf.Tensor4D, strides, padding);
  out = tf.add(out, read(`${prefix}/conv/bias`));
  out = tf.add(tf.mul(out, read(`${prefix}/scale/weights`)), read(`${prefix}/scale/biases`));
  return withRelu ? tf.relu(out) : out;
}

function residual(x: tf.Tensor4D, read: Read, prefix: string): tf.Tensor4D {
  let out = convLayer(x, read, `${prefix}/conv1`, 1, true);
  out = convLayer(out, read, `${prefix}/conv2`, 1, false);
  return tf.relu(tf.add<tf.Tensor4D>(out, x));
}

function residualDown(x: tf.Tensor4D, read: Read, prefix: string): tf.Tensor4D {
  let out = convLayer(x, read, `${prefix}/conv1`, 2, true, 'valid');
  out = convLayer(out, read, `${prefix}/conv2`, 1, false);
  let pooled = tf.avgPool(x, 2, 2, 'valid') as tf.Tensor4D;
  const zeros = tf.zeros<tf.Rank.R4>(pooled.shape);
  const isPad = pooled.shape[3] !== out.shape[3];
  const isAdjustShape = pooled.shape[1] !== out.shape[1] || pooled.shape[2] !== out.shape[2];
  if (isAdjustShape) {
    const padShapeX = [...out.shape] as [number, number, number, number];
    padShapeX[1] = 1;
    out = tf.concat([out, tf.zeros<tf.Rank.R4>(padShapeX)], 1);
    const padShapeY = [...out.shape] as [number, number, number, number];
    padShapeY[2] = 1;
    out = tf.concat([out, tf.zeros<tf.Rank.R4>(padShapeY)], 2);
  }
  pooled = isPad ? tf.concat([pooled, zeros], 3) : pooled;
  return tf.relu(tf.add<tf.Tensor4D>(pooled, out));
}

/** face-api's descriptor of 0–255 RGB images `[N, 150, 150, 3]`. */
export function faceApiForward(x255: tf.Tensor4D, weights: FaceWeights): tf.Tensor2D {
  return tf.tidy(() => {
    const read: Read = (name) => {
      const t = weights.tensors.get(name);
      if (!t) throw new Error(`missing ${name}`);
      return tf.tensor(t.values, [...t.shape]);
    };
    const [r, g, b] = [122.782, 117.001, 104.298];
    const shape = [...x255.shape.slice(0, 3), 1];
    const avg = tf.concat([tf.fill(shape, r), tf.fill(shape, g), tf.fill(shape, b)], 3);
    const normalized = tf.div(tf.sub(x255, avg), 255) as tf.Tensor4D;
    let out = convLayer(normalized, read, 'conv32_down', 2, true, 'valid');
    out = tf.maxPool(out, 3, 2, 'valid');
    for (const p of ['conv32_1', 'conv32_2', 'conv32_3']) out = residual(out, read, p);
    out = residualDown(out, read, 'conv64_down');
    for (const p of ['conv64_1', 'conv64_2', 'conv64_3']) out = residual(out, read, p);
    out = residualDown(out, read, 'conv128_down');
    for (const p of ['conv128_1', 'conv128_2']) out = residual(out, read, p);
    out = residualDown(out, read, 'conv256_down');
    for (const p of ['conv256_1', 'conv256_2']) out = residual(out, read, p);
    out = residualDown(out, read, 'conv256_down_out');
    return tf.matMul(tf.mean(out, [1, 2]) as tf.Tensor2D, read('fc') as tf.Tensor2D);
  });
}
