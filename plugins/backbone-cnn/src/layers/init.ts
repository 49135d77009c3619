import type { Rng } from '@metadg/core';
import { sizeOf, type Initializer, type ParamSpec } from './layer.js';

/**
 * Initial values of one parameter, drawn from `rng`. Same stream ⇒ the same
 * float32 values, bit for bit.
 */
export function initialValues(init: Initializer, shape: readonly number[], rng: Rng): Float32Array {
  const n = sizeOf(shape);
  switch (init.kind) {
    case 'zeros':
      return new Float32Array(n);
    case 'ones':
      return new Float32Array(n).fill(1);
    case 'he-normal':
      return rng.normalArray(n, Math.sqrt(2 / init.fanIn));
    case 'glorot-uniform': {
      const limit = Math.sqrt(6 / (init.fanIn + init.fanOut));
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = rng.uniform(-limit, limit);
      return out;
    }
  }
}

/**
 * Initial values of every parameter. Each parameter draws from its own stream
 * `rng.fork(name)`, so adding or removing a layer leaves the other layers'
 * initial weights unchanged.
 */
export function initialParams(specs: readonly ParamSpec[], rng: Rng): Map<string, Float32Array> {
  return new Map(specs.map((s) => [s.name, initialValues(s.init, s.shape, rng.fork(s.name))] as const));
}
