import * as tf from '@tensorflow/tfjs-core';
import { DataError } from '@metadg/core';
import type { FaceWeights } from '../weights/load-face-weights.js';
import { BLOCKS, FACE_NET_DESCRIPTOR_SIZE, FC_INPUT, STEM } from './architecture.js';

/**
 * A convolution with face-api's per-channel affine "scale layer" folded in:
 * (conv(x, K) + b)·w + c = conv(x, K·w) + (b·w + c), exact in real arithmetic,
 * one multiply-add pass over the feature map fewer per convolution.
 */
export interface FoldedConv {
  /** `[k, k, Cin, Cout]`. */
  readonly kernel: tf.Tensor4D;
  /** `[Cout]`. */
  readonly bias: tf.Tensor1D;
}

/** The frozen network as tensors (not variables: nothing here is trainable). */
export interface FrozenFaceNet {
  readonly stem: FoldedConv;
  readonly blocks: readonly { readonly conv1: FoldedConv; readonly conv2: FoldedConv }[];
  /** `[256, 128]`, no bias. */
  readonly fc: tf.Tensor2D;
}

/** Every tensor of a {@link FrozenFaceNet}, e.g. to dispose them. */
export function frozenTensors(net: FrozenFaceNet): tf.Tensor[] {
  return [net.stem.kernel, net.stem.bias, ...net.blocks.flatMap((b) => [b.conv1.kernel, b.conv1.bias, b.conv2.kernel, b.conv2.bias]), net.fc];
}

/**
 * Builds the frozen network's tensors from decoded weights, checking every
 * tensor's presence and shape against the architecture (a `DataError` naming
 * the weight file's tensor otherwise) and folding each scale layer into its
 * convolution. The caller owns (disposes) the result.
 */
export function buildFrozenNet(weights: FaceWeights): FrozenFaceNet {
  const source = `${weights.dir} (face_recognition_model)`;
  const take = (name: string, shape: readonly number[]): Float32Array => {
    const t = weights.tensors.get(name);
    if (!t) throw new DataError(source, `tensor "${name}" is missing`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new DataError(source, `tensor "${name}" has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}]`);
    }
    return t.values;
  };
  const conv = (prefix: string, k: number, cin: number, cout: number): FoldedConv => {
    const kernel = take(`${prefix}/conv/filters`, [k, k, cin, cout]);
    const bias = take(`${prefix}/conv/bias`, [cout]);
    const w = take(`${prefix}/scale/weights`, [cout]);
    const c = take(`${prefix}/scale/biases`, [cout]);
    const folded = new Float32Array(kernel.length);
    // Output channel is the fastest-varying axis of [k, k, Cin, Cout].
    for (let i = 0; i < kernel.length; i++) folded[i] = (kernel[i] as number) * (w[i % cout] as number);
    const foldedBias = new Float32Array(cout);
    for (let o = 0; o < cout; o++) foldedBias[o] = (bias[o] as number) * (w[o] as number) + (c[o] as number);
    return { kernel: tf.tensor4d(folded, [k, k, cin, cout]), bias: tf.tensor1d(foldedBias) };
  };
  const made: tf.Tensor[] = [];
  try {
    const track = <T extends FoldedConv>(f: T): T => {
      made.push(f.kernel, f.bias);
      return f;
    };
    const stem = track(conv(STEM.name, STEM.kernelSize, STEM.inChannels, STEM.channels));
    const blocks = BLOCKS.map((b) => ({
      conv1: track(conv(`${b.name}/conv1`, 3, b.inChannels, b.channels)),
      conv2: track(conv(`${b.name}/conv2`, 3, b.channels, b.channels)),
    }));
    const fc = tf.tensor2d(take('fc', [FC_INPUT, FACE_NET_DESCRIPTOR_SIZE]), [FC_INPUT, FACE_NET_DESCRIPTOR_SIZE]);
    return { stem, blocks, fc };
  } catch (err) {
    tf.dispose(made);
    throw err;
  }
}
