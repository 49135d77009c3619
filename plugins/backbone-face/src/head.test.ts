import { PluginError, Rng } from '@metadg/core';
import { describe, expect, it } from 'vitest';
import { initialHeadKernel, semiOrthogonal } from './head.js';

/** Gram matrix of the columns (tall) or rows (wide) of a row-major rows×cols matrix. */
function gram(m: Float32Array, rows: number, cols: number, ofColumns: boolean): number[][] {
  const n = ofColumns ? cols : rows;
  const len = ofColumns ? rows : cols;
  const at = (v: number, k: number) => (ofColumns ? (m[k * cols + v] as number) : (m[v * cols + k] as number));
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => {
      let s = 0;
      for (let k = 0; k < len; k++) s += at(i, k) * at(j, k);
      return s;
    }),
  );
}

function maxDeviationFromIdentity(g: number[][]): number {
  let worst = 0;
  g.forEach((row, i) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - (i === j ? 1 : 0))))));
  return worst;
}

describe('semiOrthogonal', () => {
  it.each([
    [128, 128, 'columns'],
    [128, 32, 'columns'],
    [128, 200, 'rows'],
  ] as const)('%i×%i has orthonormal %s', (rows, cols, which) => {
    const ofColumns = which === 'columns';
    const m = semiOrthogonal(rows, cols, new Rng(4));
    expect(maxDeviationFromIdentity(gram(m, rows, cols, ofColumns))).toBeLessThan(1e-5);
  });

  it('is a pure function of the seed', () => {
    expect(semiOrthogonal(16, 8, new Rng(1))).toEqual(semiOrthogonal(16, 8, new Rng(1)));
    expect(semiOrthogonal(16, 8, new Rng(1))).not.toEqual(semiOrthogonal(16, 8, new Rng(2)));
  });
});

describe('initialHeadKernel', () => {
  it('identity is [I | 0] for d ≥ 128', () => {
    const k = initialHeadKernel(130, 'identity', new Rng(0));
    expect(k.length).toBe(128 * 130);
    expect(k[0]).toBe(1);
    expect(k[1]).toBe(0);
    expect(k[127 * 130 + 127]).toBe(1);
    expect(k[127 * 130 + 128]).toBe(0);
    expect(k.reduce((a, b) => a + b, 0)).toBe(128);
  });

  it('identity with d < 128 is a PluginError naming headInit', () => {
    expect(() => initialHeadKernel(64, 'identity', new Rng(0))).toThrow(
      new PluginError('PLUGIN_HPARAMS_INVALID', 'face-resnet34', '"identity" needs embeddingSize ≥ 128, got 64; use "orthogonal"', 'headInit'),
    );
  });
});
