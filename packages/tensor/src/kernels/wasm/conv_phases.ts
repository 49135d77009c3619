// Sub-pixel (phase) decomposition of a transposed convolution, one axis at a
// time. With stride s, the input rows h whose padded index h + top ≡ r
// (mod s) receive only the filter taps i ≡ r (mod s); for those rows the
// input gradient is a stride-1 correlation of dy with that subset of taps,
// flipped. So dx = s_h·s_w small forward convolutions (XNNPACK) whose outputs
// interleave, with exactly the multiply-adds of the forward convolution.
import type { ConvGeometry } from './conv_loops.js';

/** One phase r along one axis. */
export interface AxisPhase {
  /** Residue r of h + top modulo the stride. */
  readonly phase: number;
  /** Taps of this phase: i = r + s·k, k ∈ [0, taps). 0 when r ≥ the filter size. */
  readonly taps: number;
  /** Coarse indices q ∈ [first, first + count) with h = q·s + r − top inside the input. */
  readonly first: number;
  readonly count: number;
  /** Rows of dy above (≥ 0: zero padding) or cropped off (< 0) for the 'valid' correlation. */
  readonly padBefore: number;
  /** Rows of zero padding below (may be negative: rows cropped). */
  readonly padAfter: number;
}

/**
 * The phases of one axis of a convolution with input size `size`, output
 * size `outSize`, filter size `filter`, stride `stride`, padding `before`.
 */
export function axisPhases(size: number, outSize: number, filter: number, stride: number, before: number): AxisPhase[] {
  const phases: AxisPhase[] = [];
  for (let r = 0; r < stride; r++) {
    const taps = r < filter ? Math.ceil((filter - r) / stride) : 0;
    const first = Math.ceil((before - r) / stride);
    const last = Math.floor((size - 1 + before - r) / stride);
    const count = Math.max(0, last - first + 1);
    // out[t] = Σ_u in[t + u] · Wflip[u] with in[j] = dy[j + first − taps + 1].
    const padBefore = taps - 1 - first;
    const padAfter = count + taps - 1 - outSize - padBefore;
    phases.push({ phase: r, taps, first, count, padBefore, padAfter });
  }
  return phases;
}

/**
 * The flipped sub-filter of phase (ph, pw), transposed for the correlation
 * of dy: sub[u, v, co, ci] = W[ph.phase + s_h·(ph.taps − 1 − u), pw.phase + s_w·(pw.taps − 1 − v), ci, co].
 * `filter` is [FH, FW, CI, CO]; `out` holds ph.taps·pw.taps·CO·CI values.
 */
export function phaseFilter(
  filter: Float32Array,
  g: ConvGeometry,
  outChannels: number,
  ph: AxisPhase,
  pw: AxisPhase,
  out: Float32Array,
): void {
  const { filterWidth: FW, inChannels: CI, strideHeight: sh, strideWidth: sw } = g;
  const CO = outChannels;
  let o = 0;
  for (let u = 0; u < ph.taps; u++) {
    const i = ph.phase + sh * (ph.taps - 1 - u);
    for (let v = 0; v < pw.taps; v++) {
      const j = pw.phase + sw * (pw.taps - 1 - v);
      const base = (i * FW + j) * CI * CO;
      for (let co = 0; co < CO; co++) {
        for (let ci = 0; ci < CI; ci++) out[o++] = filter[base + ci * CO + co] as number;
      }
    }
  }
}

/**
 * Writes the phase output `part` [N, ph.count, pw.count, CI] to its rows and
 * columns of dx [N, H, W, CI]: dx[n, (ph.first + t)·s_h + ph.phase − top,
 * (pw.first + p)·s_w + pw.phase − left, :] = part[n, t, p, :].
 */
export function interleavePhase(part: Float32Array, g: ConvGeometry, ph: AxisPhase, pw: AxisPhase, dx: Float32Array): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, strideHeight: sh, strideWidth: sw, padTop, padLeft } = g;
  let src = 0;
  for (let n = 0; n < batch; n++) {
    for (let t = 0; t < ph.count; t++) {
      const h = (ph.first + t) * sh + ph.phase - padTop;
      let dst = ((n * H + h) * W + (pw.first * sw + pw.phase - padLeft)) * C;
      const step = sw * C;
      for (let p = 0; p < pw.count; p++, dst += step, src += C) {
        for (let c = 0; c < C; c++) dx[dst + c] = part[src + c] as number;
      }
    }
  }
}
