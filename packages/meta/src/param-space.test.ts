import * as tf from '@tensorflow/tfjs-core';
import { PluginError, type Backbone, type Loss } from '@metadg/core';
import { initBackend } from '@metadg/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildParamSpace } from './param-space.js';

let v: Record<string, tf.Variable>;

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
  v = { a: tf.variable(tf.zeros([2])), b: tf.variable(tf.zeros([3])), w1: tf.variable(tf.zeros([1])), w2: tf.variable(tf.zeros([1])) };
});
afterAll(() => tf.dispose(Object.values(v)));

const backbone = (params: Record<string, tf.Variable>): Backbone => ({ name: 'bb', params }) as unknown as Backbone;
const loss = (name: string, params: Record<string, tf.Variable>): Loss => ({ name, params }) as unknown as Loss;

describe('buildParamSpace', () => {
  it('keys the backbone and every loss globally, backbone first, losses in config order', () => {
    const space = buildParamSpace(backbone({ conv: v.a!, dense: v.b! }), [loss('hard-pair', {}), loss('soft-classification', { W: v.w1! })]);
    expect(space.keys).toEqual(['backbone/conv', 'backbone/dense', 'loss/soft-classification/W']);
    expect(space.variables['loss/soft-classification/W']).toBe(v.w1);
  });

  it('gives each component its local view of a global map', () => {
    const space = buildParamSpace(backbone({ conv: v.a! }), [loss('x', { W: v.w1! }), loss('y', { W: v.w2! })]);
    const t = { 'backbone/conv': v.b!, 'loss/x/W': v.w2!, 'loss/y/W': v.w1! };
    expect(space.backboneParams(t)).toEqual({ conv: v.b });
    expect(space.lossParams(0, t)).toEqual({ W: v.w2 });
    expect(space.lossParams(1, t)).toEqual({ W: v.w1 });
    // Missing keys are left out, so components fall back to their variables.
    expect(space.lossParams(1, {})).toEqual({});
  });

  it('tells apart two losses of the same name by config index', () => {
    const space = buildParamSpace(backbone({}), [loss('cls', { W: v.w1! }), loss('cls', { W: v.w2! })]);
    expect(space.keys).toEqual(['loss/cls#0/W', 'loss/cls#1/W']);
  });

  it('refuses a variable owned twice (its gradient would count twice)', () => {
    expect(() => buildParamSpace(backbone({ conv: v.a! }), [loss('tied', { W: v.a! })])).toThrow(
      new PluginError('PLUGIN_INVALID', 'loss/tied', 'parameter "W" is the same variable as "backbone/conv"'),
    );
  });
});
