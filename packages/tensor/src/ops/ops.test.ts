import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, expectClose, expectNoLeak, useBackend, values } from '../../test/support.js';
import { ArgumentError, ShapeError } from '../errors.js';
import { crossEntropyWithLogits } from './cross_entropy_with_logits.js';
import { l2Normalize } from './l2_normalize.js';

describe.each(BACKENDS)('crossEntropyWithLogits on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it('equals hand-computed values', () => {
    tf.tidy(() => {
      expectClose(values(crossEntropyWithLogits(tf.tensor2d([[0, 0]]), [0])), [Math.LN2], 1e-6);
      // Row 0: log(e + e² + e³) − 3; row 1: log 3.
      const expected = (Math.log(Math.E + Math.E ** 2 + Math.E ** 3) - 3 + Math.log(3)) / 2;
      const loss = crossEntropyWithLogits(tf.tensor2d([[1, 2, 3], [1, 1, 1]]), tf.tensor1d([2, 0], 'int32'));
      expect(loss.shape).toEqual([]);
      expectClose(values(loss), [expected], 1e-6);
    });
  });

  it('has gradient (softmax − onehot) / N', () => {
    tf.tidy(() => {
      const g = tf.grad((l: tf.Tensor) => crossEntropyWithLogits(l, [2, 0]))(tf.tensor2d([[1, 2, 3], [1, 1, 1]]));
      const z = Math.E + Math.E ** 2 + Math.E ** 3;
      const expected = [Math.E / z, Math.E ** 2 / z, Math.E ** 3 / z - 1, 1 / 3 - 1, 1 / 3, 1 / 3].map((v) => v / 2);
      expectClose(values(g), expected, 1e-6);
    });
  });

  it('is stable for large logits', () => {
    tf.tidy(() => expectClose(values(crossEntropyWithLogits(tf.tensor2d([[1000, 0], [0, -1000]]), [1, 0])), [500], 1e-6));
  });

  it('rejects bad shapes, dtypes and labels with one-line typed errors', () => {
    tf.tidy(() => {
      const logits = tf.tensor2d([[0, 1, 2], [2, 1, 0]]);
      expect(() => crossEntropyWithLogits(tf.tensor1d([1, 2]), [0])).toThrow(ShapeError);
      expect(() => crossEntropyWithLogits(tf.tensor1d([1, 2]), [0])).toThrow(/logits: expected shape \[N, C\]/);
      expect(() => crossEntropyWithLogits(logits, [0])).toThrow(/labels: expected shape \[2\]/);
      expect(() => crossEntropyWithLogits(logits, tf.tensor1d([0, 1]))).toThrow(/labels: expected shape int32 \[2\], got dtype float32/);
      expect(() => crossEntropyWithLogits(logits, tf.tensor2d([[0], [1]], [2, 1], 'int32'))).toThrow(ShapeError);
      expect(() => crossEntropyWithLogits(logits, [0, 3])).toThrow(ArgumentError);
      expect(() => crossEntropyWithLogits(logits, [0, 3])).toThrow('crossEntropyWithLogits: labels[1]: 3 is not a class index in [0, 3)');
      expect(() => crossEntropyWithLogits(logits, [-1, 0])).toThrow(/labels\[0\]/);
      expect(() => crossEntropyWithLogits(logits, [0.5, 0])).toThrow(/labels\[0\]/);
    });
  });

  it('keeps the tensor count flat', () => {
    const logits = tf.tensor2d([[0.1, 0.2, 0.3], [0.3, 0.2, 0.1]]);
    const labels = tf.tensor1d([1, 2], 'int32');
    expectNoLeak(() => tf.dispose(tf.valueAndGrad((l: tf.Tensor) => crossEntropyWithLogits(l, labels))(logits)));
    tf.dispose([logits, labels]);
  });
});

describe.each(BACKENDS)('l2Normalize on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it('scales rows to unit length and leaves a zero row at zero', () => {
    tf.tidy(() => {
      expectClose(values(l2Normalize(tf.tensor2d([[3, 4], [0, 0], [-1e-3, 0]]))), [0.6, 0.8, 0, 0, -1, 0], 1e-6);
      expectClose(values(l2Normalize(tf.tensor2d([[3], [4]]), 0)), [0.6, 0.8], 1e-6);
      const norms = tf.norm(l2Normalize(tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]), 1), 'euclidean', 1);
      expectClose(values(norms), [1, 1, 1, 1], 1e-6);
    });
  });

  it('has the Jacobian (I − uuᵀ)/‖x‖ and finite gradients at 0', () => {
    tf.tidy(() => {
      const r = tf.tensor2d([[1, 0]]);
      const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(r, l2Normalize(x))))(tf.tensor2d([[3, 4]]));
      expectClose(values(g), [0.128, -0.096], 1e-6);
      const atZero = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(r, l2Normalize(x))))(tf.zeros([1, 2]));
      expect(values(atZero).every(Number.isFinite)).toBe(true);
    });
  });

  it('rejects a scalar, an axis out of range and a non-positive epsilon', () => {
    tf.tidy(() => {
      expect(() => l2Normalize(tf.scalar(1))).toThrow(ArgumentError);
      expect(() => l2Normalize(tf.ones([2, 3]), 2)).toThrow('l2Normalize: axis: 2 is outside [-2, 1] for shape [2,3]');
      expect(() => l2Normalize(tf.ones([2, 3]), -1, 0)).toThrow(/l2Normalize: epsilon/);
    });
  });

  it('keeps the tensor count flat', () => {
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    expectNoLeak(() => tf.dispose(tf.valueAndGrad((t: tf.Tensor) => tf.sum(l2Normalize(t)))(x)));
    x.dispose();
  });
});
