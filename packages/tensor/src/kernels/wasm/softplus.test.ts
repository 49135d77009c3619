import { Rng } from '@metadg/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeak, useBackend, values } from '../../../test/support.js';
import { checkHvp } from '../../testing/hvp_check.js';
import type { Params } from '../../functional.js';
import { registerWasmKernelFixes, replacedWasmKernel } from './register_wasm_kernels.js';
import { softplusInto } from './softplus_math.js';

// The fast Softplus: its math (softplusInto) against softplus in float64, and
// the registered wasm kernel against the math, the cpu backend and the stock
// kernel it replaced, under first and second-order gradients.

/** softplus in float64, in the form that keeps full relative precision on each side of 0. */
const exact = (x: number): number => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));

const bits = new Float32Array(1);
const bitsInt = new Int32Array(bits.buffer);

/** The float32 spacing at |r|: the gap between r rounded to float32 and the next float32 away from 0. */
function ulp32(r: number): number {
  bits[0] = Math.abs(r);
  const f = bits[0] as number;
  bitsInt[0] = (bitsInt[0] as number) + 1;
  return (bits[0] as number) - f;
}

interface Errors {
  /** Max |y − exact| / exact over results ≥ 2⁻¹²⁶ (float32's normal range). */
  readonly relative: number;
  /** Max |y − exact| in float32 ulps (at the exact value rounded to float32), subnormal results included; ∞ for a wrong NaN or ∞. */
  readonly ulps: number;
  /** Where `ulps` was reached. */
  readonly worstX: number;
}

function errors(x: Float32Array, y: ArrayLike<number>): Errors {
  let relative = 0;
  let ulps = 0;
  let worstX = NaN;
  for (let i = 0; i < x.length; i++) {
    const r = exact(x[i] as number);
    const v = y[i] as number;
    // NaN and +∞ must come out as they are; otherwise, `!(u <= ulps)` also catches a NaN or ∞ result.
    const u = Number.isFinite(r) ? Math.abs(v - r) / ulp32(r) : Object.is(v, r) ? 0 : Infinity;
    if (r >= 2 ** -126 && r < Infinity) relative = Math.max(relative, Math.abs(v - r) / r);
    if (!(u <= ulps)) [ulps, worstX] = [u, x[i] as number];
  }
  return { relative, ulps, worstX };
}

/** n evenly spaced float32 values on [lo, hi]. */
function sweep(lo: number, hi: number, n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/** The float32s at and next to the boundaries of the table's intervals (multiples of 1/4) on both sides of 0, up to 105. */
function intervalEdges(): Float32Array {
  const out: number[] = [];
  for (let j = 0; j <= 105 * 4; j++) {
    bits[0] = j / 4;
    const edge = bitsInt[0] as number;
    for (const step of [-1, 0, 1]) {
      bitsInt[0] = edge + step;
      const v = bits[0] as number;
      if (v >= 0) out.push(v, -v);
    }
  }
  return Float32Array.from(out);
}

const rng = new Rng('softplus');
/** Random values: standard normal (pre-activations), wide normal, and uniform over the whole interesting range. */
const RANDOM = Float32Array.from([
  ...rng.normalArray(100_000),
  ...rng.normalArray(100_000, 20),
  ...Array.from({ length: 100_000 }, () => rng.uniform(-110, 110)),
]);
/** Results in float32's subnormal range and the underflow to 0 (float32 softplus(x) < 2⁻¹²⁶ for x < −87.34). */
const UNDERFLOW = sweep(-104.5, -87, 200_001);
const TINY = Float32Array.from([1e-45, 1e-40, 1e-38, 1e-30, 1e-20, 1e-10, 1e-7, 6e-8, 1e-5, 1e-3].flatMap((v) => [v, -v]));
const SPECIAL = Float32Array.from([0, -0, Infinity, -Infinity, NaN, 3.4e38, -3.4e38, 104, -104, 103.97, -103.97]);

describe('softplusInto', () => {
  it('dense sweep of [−100, 100]: within 1 float32 ulp and 2e-7 relative of softplus in float64', () => {
    const x = sweep(-100, 100, 2_000_001);
    const y = new Float32Array(x.length);
    softplusInto(x, y);
    const e = errors(x, y);
    expect(e.relative).toBeLessThanOrEqual(2e-7);
    expect(e.ulps, `worst at x = ${e.worstX}`).toBeLessThanOrEqual(1);
  });

  it('random values, tiny |x| and the edges of every table interval: within 1 ulp and 2e-7 relative', () => {
    for (const [label, x] of Object.entries({ random: RANDOM, tiny: TINY, 'interval edges': intervalEdges() })) {
      const y = new Float32Array(x.length);
      softplusInto(x, y);
      const e = errors(x, y);
      expect(e.relative, label).toBeLessThanOrEqual(2e-7);
      expect(e.ulps, `${label}: worst at x = ${e.worstX}`).toBeLessThanOrEqual(1);
    }
  });

  it('x ∈ (−104.5, −87]: subnormal results agree with float32 rounding of the exact value, and vanish only where it does', () => {
    const y = new Float32Array(UNDERFLOW.length);
    softplusInto(UNDERFLOW, y);
    let nonzero = 0;
    let worst = 0;
    let flushed = 0;
    for (let i = 0; i < y.length; i++) {
      const rounded = Math.fround(exact(UNDERFLOW[i] as number));
      worst = Math.max(worst, Math.abs((y[i] as number) - rounded));
      if (rounded !== 0) nonzero++;
      if (rounded !== 0 && y[i] === 0) flushed++;
    }
    // One subnormal step (2⁻¹⁴⁹) at most; a result flushed to 0 early would miss by many.
    expect(worst).toBeLessThanOrEqual(2 ** -149);
    expect(flushed).toBe(0);
    // The sweep does reach both the subnormal range and the underflow to 0.
    expect(nonzero).toBeGreaterThan(0);
    expect(nonzero).toBeLessThan(y.length);
    expect(errors(UNDERFLOW, y).ulps).toBeLessThanOrEqual(1);
  });

  it('±0, ±∞, NaN and the largest float32 values', () => {
    const y = new Float32Array(SPECIAL.length);
    softplusInto(SPECIAL, y);
    expect(Array.from(y)).toEqual([Math.fround(Math.LN2), Math.fround(Math.LN2), Infinity, 0, NaN, Math.fround(3.4e38), 0, 104, 0, Math.fround(103.97), Math.fround(exact(SPECIAL[10] as number))]);
    expect(y[10]).toBeGreaterThan(0);
  });

  it('works in place; an output of another length is an error', () => {
    const x = RANDOM.slice(0, 1000);
    const expected = new Float32Array(x.length);
    softplusInto(x, expected);
    softplusInto(x, x);
    expect(x).toEqual(expected);
    expect(() => softplusInto(new Float32Array(3), new Float32Array(2))).toThrow(/softplusInto: out has 2 elements, x has 3/);
  });
});

describe('wasm Softplus kernel', () => {
  /** Values the backends are compared on: everything above plus a dense sweep. */
  const INPUT = Float32Array.from([...sweep(-100, 100, 200_001), ...RANDOM, ...UNDERFLOW.filter((_, i) => i % 10 === 0), ...TINY, ...SPECIAL]);
  const SHAPE = [4, 8, 8, 16];
  const shaped = Float32Array.from(RANDOM.subarray(0, 4 * 8 * 8 * 16));
  let cpu: { input: number[] } & ReturnType<typeof shapedAndGradients>;
  let wasIsTest = false;

  const softplusValues = () => tf.tidy(() => values(tf.softplus(tf.tensor(INPUT))));
  const shapedAndGradients = () =>
    tf.tidy(() => {
      const g = tf.tensor(shaped, SHAPE);
      return {
        shaped: values(tf.softplus(g)),
        grad: values(tf.grad((t: tf.Tensor) => tf.softplus(t))(g)),
        grad2: values(tf.grad((t: tf.Tensor) => tf.grad((u: tf.Tensor) => tf.softplus(u))(t))(g)),
      };
    });

  beforeAll(async () => {
    await useBackend('cpu');
    cpu = { input: softplusValues(), ...shapedAndGradients() };
    await useBackend('wasm');
    // IS_TEST makes the engine check every kernel call for leaked data ids.
    wasIsTest = tf.env().getBool('IS_TEST');
    tf.env().set('IS_TEST', true);
  });
  afterAll(() => {
    tf.env().set('IS_TEST', wasIsTest);
  });

  it('is the registered kernel, with the stock kernel kept, and gives exactly softplusInto’s values', () => {
    const stock = replacedWasmKernel(tf.Softplus);
    expect(stock).toBeDefined();
    expect(tf.getKernel(tf.Softplus, 'wasm')).not.toBe(stock);
    const expected = new Float32Array(INPUT.length);
    softplusInto(INPUT, expected);
    const wasm = softplusValues();
    expect(wasm).toHaveLength(INPUT.length);
    expect(wasm.filter((v, i) => !Object.is(v, expected[i])).length).toBe(0);
  });

  it('matches softplus in float64 (≤ 1 ulp) and the cpu backend (to the cpu kernel’s own error)', () => {
    const wasm = { input: softplusValues(), ...shapedAndGradients() };
    const e = errors(INPUT, wasm.input);
    expect(e.relative).toBeLessThanOrEqual(2e-7);
    expect(e.ulps, `worst at x = ${e.worstX}`).toBeLessThanOrEqual(1);
    // The cpu kernel (like the stock wasm one) returns x or eˣ beyond |x| ≈ 13.9: up to 4.8e-7 relative off.
    const cpuErrors = errors(INPUT, cpu.input);
    expect(cpuErrors.relative).toBeGreaterThan(2e-7);
    expect(cpuErrors.relative).toBeLessThan(1e-6);
    // Normal results: within 1e-6 relative; subnormal ones: one step (2⁻¹⁴⁹); NaN and ±∞ identical.
    let worst = 0;
    let worstX = NaN;
    for (let i = 0; i < INPUT.length; i++) {
      const [w, c] = [wasm.input[i] as number, cpu.input[i] as number];
      const miss = !Number.isFinite(c) ? (Object.is(w, c) ? 0 : Infinity) : Math.abs(c) < 2 ** -126 ? Math.abs(w - c) / 2 ** -149 : Math.abs(w - c) / (1e-6 * Math.abs(c));
      if (!(miss <= worst)) [worst, worstX] = [miss, INPUT[i] as number];
    }
    expect(worst, `worst at x = ${worstX}`).toBeLessThanOrEqual(1);
    expect(wasm.shaped).toHaveLength(shaped.length);
    expect(Math.max(...wasm.shaped.map((w, i) => Math.abs(w - (cpu.shaped[i] as number)) / (cpu.shaped[i] as number)))).toBeLessThanOrEqual(1e-6);
    tf.tidy(() => {
      const y = tf.softplus(tf.tensor(shaped, SHAPE));
      expect(y.shape).toEqual(SHAPE);
      expect(y.dtype).toBe('float32');
    });
  });

  it('gradients are unchanged: first and second derivative on wasm match σ(x), σ(x)(1 − σ(x)) and the cpu backend', () => {
    const wasm = shapedAndGradients();
    let worst = 0;
    for (let i = 0; i < shaped.length; i++) {
      const s = 1 / (1 + Math.exp(-(shaped[i] as number)));
      worst = Math.max(worst, Math.abs((wasm.grad[i] as number) - s), Math.abs((wasm.grad2[i] as number) - s * (1 - s)));
    }
    expect(worst).toBeLessThanOrEqual(1e-6);
    expect(Math.max(...wasm.grad.map((g, i) => Math.abs(g - (cpu.grad[i] as number))))).toBeLessThanOrEqual(1e-6);
    expect(Math.max(...wasm.grad2.map((g, i) => Math.abs(g - (cpu.grad2[i] as number))))).toBeLessThanOrEqual(1e-6);
  });

  it('nested gradients through conv → softplus → conv → softplus: HVP on wasm matches finite differences and cpu', async () => {
    const r = new Rng('softplus/hvp');
    const shapes: Record<string, number[]> = { w1: [3, 3, 2, 4], w2: [3, 3, 4, 3] };
    const init = Object.fromEntries(Object.entries(shapes).map(([k, s]) => [k, r.normalArray(tf.util.sizeFromShape(s), 0.5)]));
    const dir = Object.fromEntries(Object.entries(shapes).map(([k, s]) => [k, r.normalArray(tf.util.sizeFromShape(s))]));
    const xData = r.normalArray(2 * 7 * 7 * 2, 2);
    const head = r.normalArray(2 * 2 * 2 * 3);
    const hvpOn = async (backend: string) => {
      await useBackend(backend);
      return tf.tidy(() => {
        const x = tf.tensor4d(xData, [2, 7, 7, 2]);
        const weights = tf.tensor4d(head, [2, 2, 2, 3]);
        const params: Params = Object.fromEntries(Object.entries(shapes).map(([k, s]) => [k, tf.tensor(init[k] as Float32Array, s)]));
        const v: Params = Object.fromEntries(Object.entries(shapes).map(([k, s]) => [k, tf.tensor(dir[k] as Float32Array, s)]));
        const f = (p: Params) => {
          const h1 = tf.softplus(tf.conv2d(x, p['w1'] as tf.Tensor4D, 2, 'same'));
          const h2 = tf.softplus(tf.conv2d(h1, p['w2'] as tf.Tensor4D, 2, 'same'));
          return tf.sum(tf.mul(tf.tanh(h2), weights)) as tf.Scalar;
        };
        const check = checkHvp(f, params, v);
        return { relativeError: check.relativeError, nestedNorm: check.nestedNorm };
      });
    };
    const wasm = await hvpOn('wasm');
    const cpuCheck = await hvpOn('cpu');
    await useBackend('wasm');
    expect(wasm.nestedNorm).toBeGreaterThan(0);
    expect(wasm.relativeError).toBeLessThan(1e-3);
    expect(Math.abs(wasm.nestedNorm - cpuCheck.nestedNorm)).toBeLessThan(1e-4 * cpuCheck.nestedNorm);
  });

  it('no leak; empty input keeps its shape (stock kernel)', () => {
    const x = tf.tensor(shaped, SHAPE);
    expectNoLeak(() => tf.tidy(() => tf.softplus(x)).dispose());
    x.dispose();
    tf.tidy(() => {
      const y = tf.softplus(tf.zeros([0, 3]));
      expect(y.shape).toEqual([0, 3]);
      expect(y.dtype).toBe('float32');
    });
  });

  it('the baseline kernel set keeps the stock Softplus; fast replaces it again', () => {
    const fast = tf.getKernel(tf.Softplus, 'wasm') as tf.KernelConfig;
    const stock = replacedWasmKernel(tf.Softplus) as tf.KernelConfig;
    try {
      tf.unregisterKernel(tf.Softplus, 'wasm');
      tf.registerKernel(stock);
      registerWasmKernelFixes('baseline');
      expect(tf.getKernel(tf.Softplus, 'wasm')).toBe(stock);
      // The stock kernel, still callable, loses up to 7 ulp where it switches to eˣ (x ≈ −13.9).
      const near = sweep(-14.5, -13.5, 1001);
      expect(errors(near, tf.tidy(() => values(tf.softplus(tf.tensor(near))))).ulps).toBeGreaterThan(1);
      registerWasmKernelFixes('fast');
      expect(tf.getKernel(tf.Softplus, 'wasm')).not.toBe(stock);
      expect(errors(near, tf.tidy(() => values(tf.softplus(tf.tensor(near))))).ulps).toBeLessThanOrEqual(1);
    } finally {
      if (tf.getKernel(tf.Softplus, 'wasm') !== undefined) tf.unregisterKernel(tf.Softplus, 'wasm');
      tf.registerKernel(fast);
    }
  });
});
