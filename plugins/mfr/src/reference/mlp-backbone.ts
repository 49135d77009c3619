import * as tf from '@tensorflow/tfjs-core';
import { ShapeError, type Backbone } from '@metadg/core';

/** Weights of the reference cases' two-layer perceptron. */
export interface MlpWeights {
  /** in×h */
  readonly W1: tf.Tensor2D;
  /** h */
  readonly b1: tf.Tensor1D;
  /** h×d */
  readonly W2: tf.Tensor2D;
  /** d */
  readonly b2: tf.Tensor1D;
}

/**
 * The tiny backbone of the MFR reference cases, e = relu(x·W1 + b1)·W2 + b2,
 * over inputs shaped [n, 1, 1, in] (a vector per "image"). Variables are
 * copies of `weights`, keyed `W1`, `b1`, `W2`, `b2`.
 */
export function createMlpBackbone(weights: MlpWeights): Backbone {
  const [inputs, hidden] = weights.W1.shape;
  const d = weights.W2.shape[1];
  if (weights.b1.shape[0] !== hidden) throw new ShapeError('mlp b1', `[${hidden}]`, weights.b1.shape);
  if (weights.W2.shape[0] !== hidden) throw new ShapeError('mlp W2', `[${hidden}, d]`, weights.W2.shape);
  if (weights.b2.shape[0] !== d) throw new ShapeError('mlp b2', `[${d}]`, weights.b2.shape);
  // A variable shares its initial tensor's data (ref-counted): the caller may dispose `weights`.
  const params = {
    W1: tf.variable(weights.W1, true),
    b1: tf.variable(weights.b1, true),
    W2: tf.variable(weights.W2, true),
    b2: tf.variable(weights.b2, true),
  };
  return {
    name: 'reference-mlp',
    inputShape: [1, 1, inputs],
    embeddingSize: d,
    params,
    embed(x, p = {}) {
      return tf.tidy(() => {
        const w = (k: keyof typeof params): tf.Tensor => p[k] ?? params[k];
        const h = tf.relu(tf.add(tf.matMul(tf.reshape(x, [x.shape[0], inputs]), w('W1') as tf.Tensor2D), w('b1')));
        return tf.add(tf.matMul(h as tf.Tensor2D, w('W2') as tf.Tensor2D), w('b2')) as tf.Tensor2D;
      });
    },
    dispose: () => tf.dispose(Object.values(params)),
  };
}
