// Data-movement loops of the fast wasm convolution kernels, on plain
// Float32Arrays (the kernels pass views of the wasm heap). The arithmetic is
// done by XNNPACK matrix products; these loops only rearrange or scatter-add,
// which V8 runs several times faster than tfjs-backend-wasm's generic
// Transpose/DepthToSpace kernels (measured in docs/performance.md).

/** Geometry of a 2-D NHWC convolution with dilation 1, as the backward kernels need it. */
export interface ConvGeometry {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  /** Rows of zero padding above the input (may be negative: input rows cropped). */
  readonly padTop: number;
  /** Columns of zero padding left of the input. */
  readonly padLeft: number;
}

/** Rows of the patch matrix: one per output pixel, N·OH·OW. */
export function patchRows(g: ConvGeometry): number {
  return g.batch * g.outHeight * g.outWidth;
}

/** Columns of the patch matrix: one per filter tap and input channel, FH·FW·CI. */
export function patchColumns(g: ConvGeometry): number {
  return g.filterHeight * g.filterWidth * g.inChannels;
}

/**
 * col2im with accumulation: dx[n, oh·sh + i − top, ow·sw + j − left, ci] +=
 * cols[n, oh, ow, i, j, ci] for every tap that lands inside the input.
 * `cols` is [N·OH·OW, FH·FW·CI] row-major, `dx` is NHWC and must be zeroed
 * by the caller. This is the adjoint of im2col, i.e. the input gradient of a
 * convolution once cols = dy · Wᵀ.
 */
export function col2imAdd(cols: Float32Array, g: ConvGeometry, dx: Float32Array): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const { filterHeight: FH, filterWidth: FW, strideHeight: sh, strideWidth: sw, padTop, padLeft } = g;
  const tapStride = C;
  const rowStride = FH * FW * C;
  let src = 0;
  for (let n = 0; n < batch; n++) {
    const imageBase = n * H;
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * sh - padTop;
      for (let ow = 0; ow < OW; ow++, src += rowStride) {
        const w0 = ow * sw - padLeft;
        for (let i = 0; i < FH; i++) {
          const h = h0 + i;
          if (h < 0 || h >= H) continue;
          const rowBase = (imageBase + h) * W;
          const tapRow = src + i * FW * tapStride;
          for (let j = 0; j < FW; j++) {
            const w = w0 + j;
            if (w < 0 || w >= W) continue;
            const d = (rowBase + w) * C;
            const s = tapRow + j * tapStride;
            for (let c = 0; c < C; c++) dx[d + c] = (dx[d + c] as number) + (cols[s + c] as number);
          }
        }
      }
    }
  }
}

/**
 * Transposed im2col: out[(i·FW + j)·CI + ci, (n·OH + oh)·OW + ow] =
 * x[n, oh·sh + i − top, ow·sw + j − left, ci], zero outside the input. With
 * this layout the filter gradient is the plain matrix product out · dy (M×CO),
 * the one form tfjs-backend-wasm sends to XNNPACK (a transposed operand
 * falls back to a scalar loop).
 *
 * Each image is first copied channel-planar ([CI, H·W], see `planarImage`),
 * so every output row reads one plane row at stride sw (a few cache lines)
 * instead of one cache line per value at stride sw·CI in NHWC; the row copy
 * is unrolled 4×: 1.1–2× faster than gathering from NHWC directly.
 */
export function im2colTransposed(x: Float32Array, g: ConvGeometry, out: Float32Array): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const { filterHeight: FH, filterWidth: FW, strideHeight: sh, strideWidth: sw, padTop, padLeft } = g;
  const M = batch * OH * OW;
  const imageSize = H * W * C;
  const planeStride = planeStrideOf(H * W);
  const planes = new Float32Array(planeStride * C);
  const ranges: [number, number][] = [];
  // Output columns [owLo, owHi) read inside the input; the rest read padding.
  for (let j = 0; j < FW; j++) ranges.push(insideRange(OW, sw, j - padLeft, W));
  const sw2 = 2 * sw;
  const sw3 = 3 * sw;
  const sw4 = 4 * sw;
  for (let n = 0; n < batch; n++) {
    planarImage(x, n * imageSize, H * W, C, planeStride, planes);
    for (let i = 0; i < FH; i++) {
      for (let j = 0; j < FW; j++) {
        const [owLo, owHi] = ranges[j] as [number, number];
        const run4 = (owHi - owLo) & ~3;
        const tapBase = (i * FW + j) * C * M + n * OH * OW;
        for (let c = 0; c < C; c++) {
          const rowStart = tapBase + c * M;
          const plane = c * planeStride + owLo * sw - padLeft + j;
          for (let oh = 0; oh < OH; oh++) {
            const dst = rowStart + oh * OW;
            const h = oh * sh - padTop + i;
            if (h < 0 || h >= H) {
              out.fill(0, dst, dst + OW);
              continue;
            }
            for (let ow = 0; ow < owLo; ow++) out[dst + ow] = 0;
            for (let ow = owHi; ow < OW; ow++) out[dst + ow] = 0;
            let src = plane + h * W;
            let d = dst + owLo;
            const end4 = d + run4;
            for (; d < end4; d += 4, src += sw4) {
              out[d] = planes[src] as number;
              out[d + 1] = planes[src + sw] as number;
              out[d + 2] = planes[src + sw2] as number;
              out[d + 3] = planes[src + sw3] as number;
            }
            for (const end = dst + owHi; d < end; d++, src += sw) out[d] = planes[src] as number;
          }
        }
      }
    }
  }
}

/**
 * Distance between channel planes in `planarImage`'s output: the plane size
 * plus 17 floats, so that planes of power-of-two size do not all map to the
 * same cache sets (4K aliasing made the copy 2× slower).
 */
export function planeStrideOf(planeSize: number): number {
  return planeSize + 17;
}

/**
 * One NHWC image (`pixels` = H·W pixels of C channels, from x[offset]) copied
 * channel-planar: out[c·planeStride + p] = x[offset + p·C + c].
 */
export function planarImage(x: Float32Array, offset: number, pixels: number, C: number, planeStride: number, out: Float32Array): void {
  for (let p = 0, s = offset; p < pixels; p++) {
    for (let c = 0, d = p; c < C; c++, s++, d += planeStride) out[d] = x[s] as number;
  }
}

/** The output positions o in [0, count) whose input index o·stride + offset lies in [0, size). */
function insideRange(count: number, stride: number, offset: number, size: number): [number, number] {
  let lo = 0;
  while (lo < count && lo * stride + offset < 0) lo++;
  let hi = count;
  while (hi > lo && (hi - 1) * stride + offset >= size) hi--;
  return [lo, hi];
}

/** out[c, r] = a[r, c] for a row-major `rows`×`cols` matrix, in cache-sized tiles. */
export function transpose2D(a: Float32Array, rows: number, cols: number, out: Float32Array): void {
  const T = 32;
  for (let r0 = 0; r0 < rows; r0 += T) {
    const r1 = Math.min(rows, r0 + T);
    for (let c0 = 0; c0 < cols; c0 += T) {
      const c1 = Math.min(cols, c0 + T);
      for (let r = r0; r < r1; r++) {
        const base = r * cols;
        for (let c = c0; c < c1; c++) out[c * rows + r] = a[base + c] as number;
      }
    }
  }
}

