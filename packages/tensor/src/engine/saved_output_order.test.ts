import { Rng } from '@metadg/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectClose, expectNoLeak, randn, useBackend, values } from '../../test/support.js';
import { hvp, type Params } from '../functional.js';
import {
  installSavedOutputOrderFix,
  isSavedOutputOrderFixInstalled,
  uninstallSavedOutputOrderFix,
} from './saved_output_order.js';

/** Hv of Σ g(x) is g''(x) ⊙ v: hand-derived second derivatives of ops that save their outputs. */
const ELEMENTWISE: Record<string, { op: (x: tf.Tensor) => tf.Tensor; second: (x: number) => number }> = {
  exp: { op: tf.exp, second: (x) => Math.exp(x) },
  tanh: { op: tf.tanh, second: (x) => -2 * Math.tanh(x) * (1 - Math.tanh(x) ** 2) },
  sigmoid: {
    op: tf.sigmoid,
    second: (x) => {
      const s = 1 / (1 + Math.exp(-x));
      return s * (1 - s) * (1 - 2 * s);
    },
  },
  'elu (x < 0)': { op: tf.elu, second: (x) => (x < 0 ? Math.exp(x) : 0) },
};

const X = [-1.2, -0.4, 0.3, 0.9, -0.7, 1.5];
const V = [0.5, -1, 2, 0.25, 1, -0.5];

describe('saved-output tape-order fix', () => {
  beforeAll(() => useBackend('cpu'));
  afterEach(() => {
    installSavedOutputOrderFix();
  });

  it('is installed by initBackend, idempotently', () => {
    expect(isSavedOutputOrderFixInstalled()).toBe(true);
    expect(installSavedOutputOrderFix()).toBe(false);
    expect(uninstallSavedOutputOrderFix()).toBe(true);
    expect(uninstallSavedOutputOrderFix()).toBe(false);
    expect(isSavedOutputOrderFixInstalled()).toBe(false);
    expect(installSavedOutputOrderFix()).toBe(true);
  });

  it.each(Object.keys(ELEMENTWISE))('%s: nested HVP equals the hand-derived g″(x)·v', (name) => {
    const { op, second } = ELEMENTWISE[name] as (typeof ELEMENTWISE)[string];
    const xs = name.startsWith('elu') ? X.map((x) => -Math.abs(x)) : X;
    tf.tidy(() => {
      const f = (p: Params) => tf.sum(op(p['x'] as tf.Tensor)) as tf.Scalar;
      const got = hvp(f, { x: tf.tensor1d(xs) }, { x: tf.tensor1d(V) })['x'] as tf.Tensor;
      expectClose(values(got), xs.map((x, i) => second(x) * (V[i] as number)), 1e-5);
    });
  });

  it('the stock bug is real: without the fix the HVP of an exp chain loses its path', () => {
    const f = (p: Params) => tf.sum(tf.exp(tf.mul(p['x'] as tf.Tensor, 2))) as tf.Scalar;
    const expected = X.map((x, i) => 4 * Math.exp(2 * x) * (V[i] as number));
    const run = () => tf.tidy(() => values(hvp(f, { x: tf.tensor1d(X) }, { x: tf.tensor1d(V) })['x'] as tf.Tensor));
    uninstallSavedOutputOrderFix();
    const stock = run();
    installSavedOutputOrderFix();
    const fixed = run();
    expectClose(fixed, expected, 1e-5);
    const stockError = Math.max(...stock.map((s, i) => Math.abs(s - (expected[i] as number))));
    expect(stockError).toBeGreaterThan(0.5 * Math.max(...expected.map(Math.abs)));
  });

  it('fixes ops built with customGrad that save their own output', () => {
    // y = exp(x) with a gradient that reuses the saved output, as tf.logSoftmax does.
    const myExp = tf.customGrad((x, save) => {
      const value = tf.exp(x as tf.Tensor);
      (save as tf.GradSaveFunc)([value]);
      return { value, gradFunc: (dy, saved) => tf.mul(dy, saved[0] as tf.Tensor) };
    });
    tf.tidy(() => {
      const f = (p: Params) => tf.sum(myExp(p['x'] as tf.Tensor)) as tf.Scalar;
      const got = hvp(f, { x: tf.tensor1d(X) }, { x: tf.tensor1d(V) })['x'] as tf.Tensor;
      expectClose(values(got), X.map((x, i) => Math.exp(x) * (V[i] as number)), 1e-5);
    });
  });

  it('keeps first-order gradients and memory unchanged', () => {
    const rng = new Rng('tape-order/memory');
    const x = randn(rng, [4, 3]);
    const w = randn(rng, [3, 2]);
    const f = (p: Params) => tf.sum(tf.softmax(tf.tanh(tf.matMul(x as tf.Tensor2D, p['w'] as tf.Tensor2D)))) as tf.Scalar;
    const g = (p: Params) => tf.sum(tf.exp(tf.matMul(x as tf.Tensor2D, p['w'] as tf.Tensor2D))) as tf.Scalar;
    const grad = tf.tidy(() => values(tf.grad((wt: tf.Tensor) => g({ w: wt }))(w)));
    uninstallSavedOutputOrderFix();
    const stockGrad = tf.tidy(() => values(tf.grad((wt: tf.Tensor) => g({ w: wt }))(w)));
    installSavedOutputOrderFix();
    expectClose(grad, stockGrad, 0);
    expectNoLeak(() => tf.dispose(hvp(f, { w }, { w })));
    tf.dispose([x, w]);
  });
});
