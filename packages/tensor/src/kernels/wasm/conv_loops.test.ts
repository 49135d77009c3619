import { Rng } from '@metadg/core';
import { describe, expect, it } from 'vitest';
import { col2imAdd, im2colTransposed, patchColumns, patchRows, planarImage, planeStrideOf, transpose2D, type ConvGeometry } from './conv_loops.js';
import { axisPhases } from './conv_phases.js';
import { sumRows } from './Sum.js';

// The data-movement loops of the fast kernels, on plain arrays, against
// their definitions written as the most direct loops.

function geometry(
  batch: number,
  [inHeight, inWidth, inChannels]: [number, number, number],
  [filterHeight, filterWidth]: [number, number],
  [strideHeight, strideWidth]: [number, number],
  [padTop, padLeft]: [number, number],
  [outHeight, outWidth]: [number, number],
): ConvGeometry {
  return { batch, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth, padTop, padLeft };
}

const GEOMETRIES: Record<string, ConvGeometry> = {
  '3×3 stride 2 pad 1 (reference layer)': geometry(2, [8, 8, 3], [3, 3], [2, 2], [1, 1], [4, 4]),
  '3×3 stride 1 pad 1, odd size': geometry(1, [5, 7, 2], [3, 3], [1, 1], [1, 1], [5, 7]),
  '3×3 stride 2 valid, odd size': geometry(2, [7, 7, 2], [3, 3], [2, 2], [0, 0], [3, 3]),
  'asymmetric same padding (top 0, left 1)': geometry(1, [6, 5, 1], [2, 3], [2, 1], [0, 1], [3, 5]),
  '5×5 stride 3 pad 2': geometry(2, [9, 8, 2], [5, 5], [3, 3], [2, 2], [3, 3]),
  '1×1 stride 1': geometry(1, [3, 4, 5], [1, 1], [1, 1], [0, 0], [3, 4]),
  'filter larger than the stride grid, pad 3': geometry(1, [4, 4, 1], [4, 4], [2, 2], [3, 3], [4, 4]),
  '3×3 stride 1 pad 1, 3 images of 8 channels, width 9': geometry(3, [6, 9, 8], [3, 3], [1, 1], [1, 1], [6, 9]),
};

/** x value at (n, h, w, c), 0 outside the input (padding). */
function at(x: Float32Array, g: ConvGeometry, n: number, h: number, w: number, c: number): number {
  if (h < 0 || h >= g.inHeight || w < 0 || w >= g.inWidth) return 0;
  return x[((n * g.inHeight + h) * g.inWidth + w) * g.inChannels + c] as number;
}

/** P[m, (i, j, c)] by definition. */
function im2colRef(x: Float32Array, g: ConvGeometry): Float32Array {
  const cols = patchColumns(g);
  const out = new Float32Array(patchRows(g) * cols);
  for (let n = 0; n < g.batch; n++)
    for (let oh = 0; oh < g.outHeight; oh++)
      for (let ow = 0; ow < g.outWidth; ow++)
        for (let i = 0; i < g.filterHeight; i++)
          for (let j = 0; j < g.filterWidth; j++)
            for (let c = 0; c < g.inChannels; c++) {
              const m = (n * g.outHeight + oh) * g.outWidth + ow;
              const k = (i * g.filterWidth + j) * g.inChannels + c;
              out[m * cols + k] = at(x, g, n, oh * g.strideHeight - g.padTop + i, ow * g.strideWidth - g.padLeft + j, c);
            }
  return out;
}

const random = (label: string, n: number) => new Rng(`conv-loops/${label}`).normalArray(n);
const inputSize = (g: ConvGeometry) => g.batch * g.inHeight * g.inWidth * g.inChannels;

describe('conv loops', () => {
  it.each(Object.keys(GEOMETRIES))('im2colTransposed is the transpose of the patch matrix: %s', (name) => {
    const g = GEOMETRIES[name] as ConvGeometry;
    const x = random(`${name}/x`, inputSize(g));
    const rows = patchRows(g);
    const cols = patchColumns(g);
    const expected = im2colRef(x, g);
    // Poisoned output: every entry, padding included, must be written.
    const out = new Float32Array(rows * cols).fill(Number.NaN);
    im2colTransposed(x, g, out);
    for (let m = 0; m < rows; m++) for (let k = 0; k < cols; k++) expect(out[k * rows + m]).toBe(expected[m * cols + k]);
  });

  it('planarImage copies one NHWC image channel-planar with the padded plane stride', () => {
    const [pixels, C] = [12, 5];
    const x = random('planar/x', 3 * pixels * C);
    const stride = planeStrideOf(pixels);
    expect(stride).toBeGreaterThanOrEqual(pixels);
    const out = new Float32Array(stride * C).fill(Number.NaN);
    planarImage(x, 2 * pixels * C, pixels, C, stride, out);
    for (let c = 0; c < C; c++) for (let p = 0; p < pixels; p++) expect(out[c * stride + p]).toBe(x[(2 * pixels + p) * C + c]);
  });

  it.each(Object.keys(GEOMETRIES))('col2imAdd is the adjoint of im2col, ⟨col2im(C), X⟩ = ⟨C, im2col(X)⟩: %s', (name) => {
    const g = GEOMETRIES[name] as ConvGeometry;
    const x = random(`${name}/x`, inputSize(g));
    const c = random(`${name}/c`, patchRows(g) * patchColumns(g));
    const dx = new Float32Array(inputSize(g));
    col2imAdd(c, g, dx);
    const p = im2colRef(x, g);
    let lhs = 0;
    let rhs = 0;
    for (let i = 0; i < dx.length; i++) lhs += (dx[i] as number) * (x[i] as number);
    for (let i = 0; i < p.length; i++) rhs += (c[i] as number) * (p[i] as number);
    expect(Math.abs(lhs - rhs)).toBeLessThan(1e-4 * Math.max(1, Math.abs(rhs)));
  });

  it('col2imAdd: hand-computed overlap counts (all-ones columns count the taps covering each pixel)', () => {
    // 3×3 taps, stride 2, pad 1 on a 4×4 image: output row 0 reads input rows −1, 0, 1 and output row 1
    // reads rows 1, 2, 3, so row 1 is covered twice and rows 0, 2, 3 once (columns alike).
    const g = geometry(1, [4, 4, 1], [3, 3], [2, 2], [1, 1], [2, 2]);
    const dx = new Float32Array(16);
    col2imAdd(new Float32Array(patchRows(g) * patchColumns(g)).fill(1), g, dx);
    const perAxis = [1, 2, 1, 1];
    expect(Array.from(dx)).toEqual(perAxis.flatMap((r) => perAxis.map((c) => r * c)));
  });

  it('col2imAdd accumulates into what dx already holds', () => {
    const g = geometry(1, [2, 2, 1], [1, 1], [1, 1], [0, 0], [2, 2]);
    const dx = Float32Array.from([10, 20, 30, 40]);
    col2imAdd(Float32Array.from([1, 2, 3, 4]), g, dx);
    expect(Array.from(dx)).toEqual([11, 22, 33, 44]);
  });

  it.each([
    [1, 1],
    [3, 5],
    [33, 70],
    [64, 1],
  ])('transpose2D %i×%i', (rows, cols) => {
    const a = random(`t/${rows}x${cols}`, rows * cols);
    const out = new Float32Array(rows * cols);
    transpose2D(a, rows, cols, out);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) expect(out[c * rows + r]).toBe(a[r * cols + c]);
  });

  it('axisPhases: the reference layer (32 → 16, 3 taps, stride 2, pad 1), hand-computed', () => {
    // Even padded rows h + 1 = 2q take taps 0 and 2 (dy[q], dy[q − 1]) for q = 1…16, which reads one row
    // past dy's 16 (padAfter 1); odd ones take tap 1 (dy[q]) for q = 0…15.
    expect(axisPhases(32, 16, 3, 2, 1)).toEqual([
      { phase: 0, taps: 2, first: 1, count: 16, padBefore: 0, padAfter: 1 },
      { phase: 1, taps: 1, first: 0, count: 16, padBefore: 0, padAfter: 0 },
    ]);
    // A 1-tap filter with stride 2 leaves the odd phase without taps; stride 1 is one phase (a full correlation).
    expect(axisPhases(5, 3, 1, 2, 0).map((p) => p.taps)).toEqual([1, 0]);
    expect(axisPhases(5, 5, 3, 1, 1)).toEqual([{ phase: 0, taps: 3, first: 1, count: 5, padBefore: 1, padAfter: 1 }]);
  });

  it.each([
    [1, 3],
    [7, 2],
    [8, 5],
    [21, 4],
  ])('sumRows %i×%i: column sums (the 8-row blocks and the remainder rows)', (rows, cols) => {
    const x = random(`sum/${rows}x${cols}`, rows * cols);
    const out = new Float32Array(cols);
    sumRows(x, rows, cols, out);
    for (let c = 0; c < cols; c++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += x[r * cols + c] as number;
      expect(out[c]).toBeCloseTo(s, 5);
    }
  });

  it('sumRows: column sums, accumulated in float64 (1e8 + many 1s is not lost)', () => {
    expect(Array.from(((): Float32Array => {
      const out = new Float32Array(2);
      sumRows(Float32Array.from([1, 2, 3, 4, 5, 6]), 3, 2, out);
      return out;
    })())).toEqual([9, 12]);
    const rows = 1000;
    const x = new Float32Array(rows).fill(1);
    x[0] = 1e8;
    const out = new Float32Array(1);
    sumRows(x, rows, 1, out);
    // float32 accumulation would stay at 1e8 (1 is below its spacing of 8).
    expect(out[0]).toBe(Math.fround(1e8 + 999));
  });
});
