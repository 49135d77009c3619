// Reproduces the independent float64 MFR reference cases (test/fixtures,
// see README there) with this package's losses and meta-step, on cpu and wasm.
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@metadg/core';
import { initBackend } from '@metadg/tensor';
import { describe, expect, it } from 'vitest';
import {
  REFERENCE_TOLERANCES,
  computeReferenceCase,
  parseReferenceCase,
  referenceErrors,
} from '../src/index.js';
import { loadCase, relError } from './helpers.js';

const CASES = [1, 2, 3, 4];

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`reference cases on ${backend}`, () => {
    for (const n of CASES) {
      it(`case ${n}: losses ≤ 1e-4, ∇L_S and both meta-gradients ≤ 1e-3 (exact second order)`, async () => {
        await initBackend({ backend, log: () => {} });
        const raw = loadCase(n);
        const before = tf.memory().numTensors;
        const result = await computeReferenceCase(raw);
        expect(tf.memory().numTensors).toBe(before);
        const errors = referenceErrors(result, raw.expected);
        expect(errors).toHaveLength(7 + 3 * 5);
        expect(errors.filter((e) => !e.ok)).toEqual([]);
      });
    }

    it('finite-difference Hessian mode reproduces the second-order meta-gradients too', async () => {
      await initBackend({ backend, log: () => {} });
      for (const n of CASES) {
        const raw = loadCase(n);
        const result = await computeReferenceCase(raw, { hessian: 'finite-difference' });
        const bad = referenceErrors(result, raw.expected).filter((e) => !e.ok);
        expect(bad).toEqual([]);
      }
    });
  });
}

describe('computeReferenceCase', () => {
  it('returns exactly the keys of the case’s expected values', async () => {
    await initBackend({ backend: 'cpu', log: () => {} });
    const raw = loadCase(1);
    const result = await computeReferenceCase(raw);
    const keys = (o: object): unknown =>
      Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'object' && !Array.isArray(v) ? keys(v) : 'x']));
    expect(keys(result)).toEqual(keys(raw.expected));
  });

  it('second order differs measurably from first order at a larger α (the Hessian term)', async () => {
    await initBackend({ backend: 'cpu', log: () => {} });
    const raw = loadCase(1);
    const gap = async (alpha: number): Promise<number> => {
      const r = await computeReferenceCase({ ...raw, hyper: { ...raw.hyper, alpha }, expected: undefined });
      return relError(r.metaGradSecondOrder.W1.flat(), r.metaGradFirstOrder.W1.flat());
    };
    const small = await gap(0.01);
    const large = await gap(0.5);
    expect(large).toBeGreaterThan(0.05);
    expect(large).toBeGreaterThan(5 * small);
    // The difference is real, not noise: an independent Hessian (finite differences) agrees with the exact one.
    const exact = await computeReferenceCase({ ...raw, hyper: { ...raw.hyper, alpha: 0.5 }, expected: undefined });
    const fd = await computeReferenceCase({ ...raw, hyper: { ...raw.hyper, alpha: 0.5 }, expected: undefined }, { hessian: 'finite-difference' });
    expect(relError(exact.metaGradSecondOrder.W1.flat(), fd.metaGradSecondOrder.W1.flat())).toBeLessThan(REFERENCE_TOLERANCES.gradient);
  });

  it('reports a wrong case with a ConfigError naming the key (and the file)', async () => {
    const raw = loadCase(1);
    const { hyper: _hyper, ...noHyper } = raw;
    const check = (value: unknown, error: ConfigError): void => {
      expect(() => parseReferenceCase(value, 'case.json')).toThrow(error);
    };
    check(noHyper, new ConfigError('hyper', 'required', 'case.json'));
    check({ ...raw, hyper: { tau: 2, scale: 8, alpha: 0.1, gamma: 0.5 } }, new ConfigError('hyper.tau', 'must be a cosine in [-1, 1]', 'case.json'));
    check({ ...raw, params: { ...raw.params, W2: 'x' } }, new ConfigError('params.W2', 'expected an array of rows', 'case.json'));
    check({ ...raw, params: { ...raw.params, b1: [1, 2] } }, new ConfigError('params.b1', 'expected length 16 (columns of W1), got 2', 'case.json'));
    check(
      { ...raw, domains: [raw.domains[0], { ...raw.domains[1], xp: [[1, 2]] }, raw.domains[2]] },
      new ConfigError('domains[1].xp', 'expected 5 rows (one per label in y), got 1', 'case.json'),
    );
    check(
      { ...raw, domains: [raw.domains[0], raw.domains[1], { ...raw.domains[2], y: [0, 1, 2, 3, 10] }] },
      new ConfigError('domains[2].y', 'class index 10 is outside [0, 10) (rows of params.W)', 'case.json'),
    );
    check({ ...raw, extra: 1 }, new ConfigError('', 'unknown key(s) extra', 'case.json'));
    await expect(computeReferenceCase({ ...raw, domains: [raw.domains[0]] }, { file: 'x.json' })).rejects.toThrow(
      'x.json: domains: needs at least 2 domains (meta-train domains, then the meta-test domain last)',
    );
  });
});
